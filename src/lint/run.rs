//! Running the rules over one input: [`lint`], and the merge of every
//! profile's verdict for `--profile all`.

use std::sync::Arc;

use super::view::dpop;
use super::{profile, rules, Context, Finding, Limits, Settings, Severity, Sink};
use crate::request::capture::CaptureTime;
use crate::request::{Loaded, TokenRequest};
use crate::secrets::Redactor;
use crate::source::{Masked, Source};
use crate::span::Span;

/// Everything found in one input. Its findings hold no secret: each is
/// scrubbed by the input's [`Redactor`] as it is added ([`lint`],
/// [`FileReport::add`]), before any report format sees it; the source is
/// shown only through [`FileReport::masked_source`].
#[derive(Clone, Debug)]
pub struct FileReport {
    pub source: Arc<Source>,
    pub findings: Vec<Finding>,
    /// Spans of secrets in the source, masked in every display.
    pub secrets: Vec<Span>,
    /// The input's secrets as values, to scrub from any text shown.
    pub redactor: Arc<Redactor>,
    /// The DPoP proof's `jti`, for [`CrossCheck`](super::CrossCheck) (replay across inputs).
    pub dpop_jti: Option<dpop::JtiUse>,
    /// The input was expected to fail (`expect-errors`) and does: its errors
    /// are reported but do not fail the run.
    pub expected_errors: bool,
    /// The capture's own time, when it was the clock (see [`lint`]).
    pub clock: Option<CaptureTime>,
}

impl FileReport {
    pub fn count(&self, sev: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity == sev).count()
    }

    pub fn has_errors(&self) -> bool {
        self.count(Severity::Error) > 0
    }

    /// Whether this input fails the run: it has errors that were not expected.
    pub fn fails(&self) -> bool {
        self.has_errors() && !self.expected_errors
    }

    /// Adds findings raised after the lint (across inputs, against an
    /// answer), scrubbed like the others.
    pub fn add(&mut self, findings: impl IntoIterator<Item = Finding>) {
        for mut f in findings {
            scrub(&self.redactor, &mut f);
            self.findings.push(f);
        }
    }

    /// The input's text with its secrets masked: the only way a report
    /// shows it.
    pub fn masked_source(&self) -> Masked<'_> {
        self.source.masked_text(&self.secrets)
    }
}

/// Masks every piece of a secret in a finding's text: message, help,
/// labels, field and decoded view.
fn scrub(r: &Redactor, f: &mut Finding) {
    if r.is_empty() {
        return;
    }
    r.scrub_in_place(&mut f.message);
    if let Some(h) = &mut f.help {
        r.scrub_in_place(h);
    }
    if let Some(field) = &mut f.field {
        r.scrub_in_place(field);
    }
    for l in &mut f.labels {
        r.scrub_in_place(&mut l.text);
    }
    if let Some(d) = &mut f.decoded {
        r.scrub_in_place(&mut d.title);
        // Offsets of the decoded labels stay valid only if the length does:
        // a masked character becomes one `*`, so scrub by characters and
        // keep multi-byte ones' width.
        let scrubbed = r.scrub(&d.text);
        if scrubbed.len() == d.text.len() {
            d.text = scrubbed.into_owned();
        } else if let std::borrow::Cow::Owned(_) = scrubbed {
            d.text = pad_like(&d.text, &scrubbed);
        }
        for l in &mut d.labels {
            r.scrub_in_place(&mut l.text);
        }
    }
}

/// `scrubbed` (one `*` per masked character of `original`) with each `*`
/// that replaced a multi-byte character widened to its byte length, so
/// byte offsets into `original` still fit.
fn pad_like(original: &str, scrubbed: &str) -> String {
    let mut out = String::with_capacity(original.len());
    for (o, s) in original.chars().zip(scrubbed.chars()) {
        if s == '*' && o != '*' {
            out.extend(std::iter::repeat_n('*', o.len_utf8()));
        } else {
            out.push(s);
        }
    }
    out
}

/// Runs every rule over one loaded input, with the profile of `settings`
/// (with `--profile all`: once per profile, merged, each DPoP finding
/// saying which servers reject).
///
/// A capture that records when it was made (a HAR entry's
/// `startedDateTime`, a `Date` header) is judged at that time, unless the
/// clock was chosen for this input (`--now`, or a configuration override
/// for its file): a proof that was fresh when it was sent is not reported
/// as stale because the capture is an hour old. The report says so.
/// A capture that holds the server's error answer (a HAR entry's response)
/// gets the finding that relates the answer to its findings.
pub fn lint(loaded: &Loaded, settings: &Settings) -> FileReport {
    let time = loaded
        .capture
        .as_ref()
        .and_then(|c| c.time)
        .filter(|_| !settings.clock.is_pinned());
    let at_capture_time = time.map(|t| Settings {
        now: t.at,
        ..settings.clone()
    });
    let settings = at_capture_time.as_ref().unwrap_or(settings);
    let mut report = if settings.profile.as_deref() == Some(profile::ALL) {
        lint_all_profiles(loaded, settings)
    } else {
        lint_one(loaded, settings)
    };
    report.clock = time;
    if let Some(answer) = loaded.capture.as_ref().and_then(|c| c.answer.as_ref()) {
        answer.relate(&mut report);
    }
    report
}

/// [`lint`] with one profile, at `settings.now`.
fn lint_one(loaded: &Loaded, settings: &Settings) -> FileReport {
    let mut sink = Sink::new(settings);
    for load in rules::hooks().filter_map(|h| h.load) {
        load(loaded, &mut sink);
    }
    let mut secrets = loaded.secrets.clone();
    let mut values: Vec<String> = Vec::new();
    let mut dpop_jti = None;
    if loaded.is_readable() {
        secrets.extend(private_key_spans(&loaded.request, &settings.limits));
        // Oversized values are reported and dropped before any rule parses them.
        let trimmed = match rules::hooks().find_map(|h| h.limit) {
            Some(limit) => limit(loaded, &settings.limits, &mut sink),
            None => rules::Trimmed::default(),
        };
        secrets.extend(trimmed.secrets);
        let req = trimmed.request.as_ref().unwrap_or(&loaded.request);
        let mut cx = Context::new(req, &loaded.source, settings);
        cx.capture = loaded.capture.as_deref();
        for area in rules::AREAS {
            (area.check)(&cx, &mut sink);
        }
        secrets.extend(cx.secret_param_spans());
        values.extend(cx.secret_param_values().into_iter().map(str::to_owned));
        values.extend(secret_field_values(req));
        if let Some(view) = &cx.dpop {
            // A private key in the proof's jwk: hide the whole header segment.
            if !view.private_member_spans().is_empty() {
                secrets.push(view.part_span(dpop::Part::Header));
            }
            dpop_jti = view.jti_use();
        }
    }
    // An unresolved REST-client reference (`{{verifier}}`) is no secret:
    // its value is unknown, and its finding names it.
    let refs = unresolved_references(loaded);
    let inside = |s: &Span| {
        refs.iter()
            .any(|r| s.offset >= r.offset && s.end() <= r.end())
    };
    secrets.retain(|s| !inside(s));
    let text = &loaded.source.text;
    values.retain(|v| {
        !refs
            .iter()
            .any(|r| text.get(r.offset..r.end()) == Some(v.as_str()))
    });
    let redactor = Arc::new(redactor(&loaded.source.text, &secrets, &values));
    let mut findings = sink.finish();
    drop_inside_unresolved(&mut findings, &refs);
    for f in &mut findings {
        scrub(&redactor, f);
    }
    sort_findings(&mut findings);
    FileReport {
        source: Arc::clone(&loaded.source),
        findings,
        secrets,
        redactor,
        dpop_jti,
        expected_errors: false,
        clock: None,
    }
}

/// The REST-client references tokenlint could not resolve (`{{name}}`).
fn unresolved_references(loaded: &Loaded) -> Vec<Span> {
    use crate::request::capture::Issue;
    let Some(c) = &loaded.capture else {
        return Vec::new();
    };
    c.issues
        .iter()
        .filter_map(|i| match i {
            Issue::Unresolved { span, .. } => Some(*span),
            _ => None,
        })
        .collect()
}

/// A reference tokenlint could not resolve is linted as the text
/// `{{name}}`: what other rules find inside it is about the braces, not
/// the request, and is dropped (the reference's own finding stays).
fn drop_inside_unresolved(findings: &mut Vec<Finding>, refs: &[Span]) {
    if refs.is_empty() {
        return;
    }
    findings.retain(|f| {
        f.rule.area == rules::Area::Input
            || !f.primary_span().is_some_and(|s| {
                refs.iter()
                    .any(|r| s.offset >= r.offset && s.end() <= r.end())
            })
    });
}

/// The values of the request's secret fields as decoded (a JSON escape or
/// the Basic credentials' form encoding undone): a message could quote
/// them in either form.
fn secret_field_values(req: &TokenRequest) -> Vec<String> {
    crate::request::FIELDS
        .iter()
        .filter(|f| f.is_secret())
        .flat_map(|f| f.texts(req))
        .map(|t| t.value.clone())
        .collect()
}

/// The redactor of one input: the text under each secret span, and the
/// decoded values.
fn redactor(text: &str, spans: &[Span], values: &[String]) -> Redactor {
    let under_spans = spans.iter().filter_map(|s| {
        let start = crate::source::floor_char_boundary(text, s.offset.min(text.len()));
        let end = crate::source::ceil_char_boundary(text, s.end().min(text.len()));
        text.get(start..end)
    });
    Redactor::new(under_spans.chain(values.iter().map(String::as_str)))
}

/// Spans of PEM private keys in any string field (`clientCertificate`,
/// `clientCertificatePath`, or pasted where they do not belong): masked in
/// every display like any other secret. A value over the PEM limit is not
/// scanned: all of it is masked.
fn private_key_spans(req: &TokenRequest, limits: &Limits) -> Vec<Span> {
    let mut out = Vec::new();
    let certs = || {
        req.client_certificate
            .iter()
            .chain(req.client_certificate_path.iter())
    };
    // Over a limit, the certificates are not scanned (scanning reads every
    // certificate): a value holding a private key is masked whole. So is
    // any other field's value over the PEM limit.
    let total: usize = certs().map(|t| t.value.len()).sum();
    let certs_unscanned = total > limits.pem || req.client_certificate_path.len() > limits.path;
    for f in crate::request::FIELDS.iter() {
        let is_cert = matches!(f.json, "clientCertificate" | "clientCertificatePath");
        for t in f.texts(req) {
            if !crate::secrets::holds_private_key(&t.value) {
                continue;
            }
            let unscanned = if is_cert {
                certs_unscanned
            } else {
                t.value.len() > limits.pem
            };
            if unscanned {
                out.push(t.span);
                continue;
            }
            out.extend(
                crate::secrets::private_key_ranges(&t.value)
                    .into_iter()
                    .map(|r| t.sub_span(r)),
            );
        }
    }
    out
}

/// Stable order: by position, then severity (errors first), then rule id.
/// A finding with no place is about the whole request: an error or warning
/// comes first, an info note (one line, such as "not checked: no key
/// given") last, after what there is to fix.
pub(super) fn sort_findings(findings: &mut [Finding]) {
    let position = |f: &Finding| match f.primary_span() {
        Some(s) => s.offset,
        None if f.severity == Severity::Info => usize::MAX,
        None => 0,
    };
    findings.sort_by(|a, b| {
        let pa = position(a);
        let pb = position(b);
        pa.cmp(&pb)
            .then(b.severity.cmp(&a.severity))
            .then(a.rule.id.cmp(b.rule.id))
    });
}

/// `--profile all`: lints once per profile and merges the findings (same
/// rule at the same place), keeping the highest severity (as a server's
/// profile words it) and listing, on each `dpop/` finding, the servers whose
/// profile makes it an error.
fn lint_all_profiles(loaded: &Loaded, settings: &Settings) -> FileReport {
    let mut merged: Option<FileReport> = None;
    let mut rejected: Vec<Vec<String>> = Vec::new();
    // Whether a server's profile worded the finding kept: `strict` is no
    // server, so its words ("the strict profile") give way to a server's.
    let mut by_server: Vec<bool> = Vec::new();
    for p in profile::all() {
        let mut s = settings.clone();
        s.profile = Some(p.name.clone());
        let r = lint_one(loaded, &s);
        let base = merged.get_or_insert_with(|| FileReport {
            findings: Vec::new(),
            ..r.clone()
        });
        for f in r.findings {
            let key = merge_key(&f);
            let i = match base.findings.iter().position(|g| merge_key(g) == key) {
                Some(i) => i,
                None => {
                    base.findings.push(f.clone());
                    rejected.push(Vec::new());
                    by_server.push(p.server);
                    base.findings.len() - 1
                }
            };
            let kept = &base.findings[i];
            let reworded = f.severity == kept.severity && p.server && !by_server[i];
            if f.severity > kept.severity || reworded {
                base.findings[i] = f.clone();
                by_server[i] = p.server;
            }
            if p.server && f.severity == Severity::Error {
                rejected[i].push(p.name.clone());
            }
        }
    }
    let Some(mut report) = merged else {
        return lint_one(loaded, &Settings::default());
    };
    for (f, r) in report.findings.iter_mut().zip(rejected) {
        if f.rule.area == rules::Area::Dpop {
            f.rejected_by = Some(r);
        }
    }
    sort_findings(&mut report.findings);
    report
}

/// What makes two profiles' findings one: the rule and where it points,
/// and for a findings-cap closing finding, which cap it closes (its label).
fn merge_key(f: &Finding) -> (&'static str, Option<Span>, Option<&str>) {
    let closing = rules::hooks()
        .find_map(|h| h.suppressed)
        .is_some_and(|h| std::ptr::eq(h.rule, f.rule));
    let which = closing.then(|| f.labels.first().map_or("", |l| l.text.as_str()));
    (f.rule.id, f.primary_span(), which)
}

/// For the rules' unit tests: the ids of the findings a fixture raises whose
/// id starts with `prefix` (`""` for all).
#[cfg(test)]
pub(crate) fn rule_ids(fixture: &str, settings: &Settings, prefix: &str) -> Vec<&'static str> {
    let loaded = crate::request::fixture::load_str("t.json", fixture);
    lint(&loaded, settings)
        .findings
        .iter()
        .map(|f| f.rule.id)
        .filter(|id| id.starts_with(prefix))
        .collect()
}
