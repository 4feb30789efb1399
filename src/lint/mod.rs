//! The lint engine: rule metadata, findings, the per-request [`Context`] of
//! decoded views, and [`lint`], which runs every area's checks over a loaded
//! request. Nothing here prints or knows about output formats or the CLI.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use crate::form::{self, Form, Pair};
use crate::request::{Loaded, TokenRequest};
use crate::source::Source;
use crate::span::{Span, Text};

pub mod docs;
pub mod profile;
pub mod rules;
pub mod view;

pub use rules::Area;
use view::dpop;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "info" => Some(Severity::Info),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What every rule declares once: its stable id, default severity, a one-line
/// summary and the spec section it enforces. The long documentation, with
/// examples, is `rules/<id>.md`.
#[derive(Debug)]
pub struct RuleMeta {
    pub id: &'static str,
    pub area: Area,
    /// The module that declares it (`module_path!()`), checked against `area`.
    pub module: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
    pub spec: &'static str,
}

impl RuleMeta {
    pub fn area(&self) -> &'static str {
        self.area.id()
    }

    /// The rule's documentation (front matter stripped), if embedded.
    pub fn docs(&self) -> Option<&'static str> {
        docs::find(self.id).map(|d| d.body)
    }
}

/// Declares rule metadata statics:
/// `declare_rules! { area: Dpop; NAME = "dpop/id", Error, "RFC …", "summary"; … }`.
macro_rules! declare_rules {
    (area: $area:ident; $( $(#[$m:meta])* $name:ident = $id:literal, $sev:ident, $spec:literal, $summary:literal; )*) => {
        $(
            $(#[$m])*
            pub static $name: $crate::lint::RuleMeta = $crate::lint::RuleMeta {
                id: $id,
                area: $crate::lint::Area::$area,
                module: module_path!(),
                severity: $crate::lint::Severity::$sev,
                summary: $summary,
                spec: $spec,
            };
        )*
        /// Every rule of this area, in declaration order.
        pub static RULES: &[&$crate::lint::RuleMeta] = &[$(&$name),*];
    };
}
pub(crate) use declare_rules;

/// Every rule, grouped by area in a fixed order.
pub fn registry() -> Vec<&'static RuleMeta> {
    rules::AREAS
        .iter()
        .flat_map(|a| a.rules.iter().flat_map(|rs| rs.iter().copied()))
        .collect()
}

pub fn find_rule(id: &str) -> Option<&'static RuleMeta> {
    registry().into_iter().find(|r| r.id == id)
}

/// A span with the text shown under it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub text: String,
}

/// One problem found in one input.
#[derive(Clone, Debug)]
pub struct Finding {
    pub rule: &'static RuleMeta,
    /// The effective severity (after configuration).
    pub severity: Severity,
    pub message: String,
    /// Which part of the request: `parameters.code_verifier`, `clientId`, ….
    pub field: Option<String>,
    /// The first label is the primary one.
    pub labels: Vec<Label>,
    pub help: Option<String>,
    /// A readable view of decoded data (a DPoP proof's header or payload)
    /// with the offending member underlined; its spans are into its own text.
    pub decoded: Option<Decoded>,
    /// With `--profile all`: the servers whose profile rejects the request
    /// for this finding (`None` in single-profile runs).
    pub rejected_by: Option<Vec<String>>,
}

/// Decoded text shown beside the source: a title, the text, and labels
/// whose spans are into `text`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded {
    pub title: String,
    pub text: String,
    pub labels: Vec<Label>,
}

impl Finding {
    pub fn new(rule: &'static RuleMeta, message: impl Into<String>) -> Self {
        Finding {
            rule,
            severity: rule.severity,
            message: message.into(),
            field: None,
            labels: Vec::new(),
            help: None,
            decoded: None,
            rejected_by: None,
        }
    }

    /// Shows decoded data beside the source (see [`Decoded`]).
    pub fn decoded(mut self, decoded: Option<Decoded>) -> Self {
        self.decoded = decoded;
        self
    }

    /// A severity other than the rule's default, for a rule whose weight
    /// depends on the profile; a configured severity still wins.
    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    pub fn label(mut self, span: Span, text: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            text: text.into(),
        });
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn primary_span(&self) -> Option<Span> {
        self.labels.first().map(|l| l.span)
    }
}

/// Settings that change what the rules check. Built by the CLI from flags and
/// `tokenlint.toml`.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    /// The clock, in Unix seconds, for time-based checks.
    pub now: i64,
    /// Severity overrides; `None` turns a rule off.
    pub severities: HashMap<String, Option<Severity>>,
    /// The token endpoint URL (the `htu` a proof must carry when the request
    /// has none), from configuration.
    pub token_endpoint: Option<String>,
    /// The DPoP profile (`rules/dpop/profiles.toml`): `None` is the default
    /// (`authlete`); `all` lints once per profile and merges.
    pub profile: Option<String>,
    /// Overrides the profile's `iat` window: (seconds in the past, seconds in the future).
    pub iat_window: Option<(i64, i64)>,
    /// The authorization server's issuer identifier (RFC 8414), the audience
    /// client assertions and attestation PoPs must name.
    pub issuer: Option<String>,
    /// The client's JWKS (`--client-jwks`), to verify `client_assertion`.
    pub client_jwks: Option<serde_json::Value>,
    /// Trusted client attesters' JWKS (`--attester-jwks`).
    pub attester_jwks: Option<serde_json::Value>,
    /// The challenge the server handed out (`--attestation-challenge`).
    pub attestation_challenge: Option<String>,
    /// Size limits: a value over one is reported and not parsed further.
    pub limits: Limits,
    /// The input must raise an error (`expect-errors` in a config override):
    /// see [`apply_expectation`].
    pub expect_errors: bool,
}

/// Size limits, in bytes of the source text. Each exceeded limit is an
/// `input/…-too-large` finding naming it, and the oversized value is not
/// parsed further, so no input makes tokenlint run out of memory or time.
///
/// The defaults sit far above anything legitimate and far below what hurts:
/// - `file`, 64 MiB: a HAR export of a long browser session reaches tens of
///   MiB; a token request body is a few KiB. The whole file is held in
///   memory once (plus spans), so 64 MiB keeps a run well under 1 GiB.
/// - `field`, 1 MiB: Authlete's own request limit is about that size, and
///   servers cap form bodies lower still (Tomcat/Spring `maxPostSize` 2 MiB,
///   nginx `client_max_body_size` 1 MiB by default).
/// - `jws`, 16 KiB: a DPoP proof is ~0.5–1 KiB; a client assertion or
///   attestation carrying an `x5c` chain of three RSA-4096 certificates
///   stays under 8 KiB. Common HTTP servers reject header fields over 8 KiB
///   (nginx `large_client_header_buffers`, Node's 16 KiB total), so a DPoP
///   header of 16 KiB never reaches a token endpoint.
/// - `pem`, 256 KiB (all of `clientCertificate` and `clientCertificatePath`):
///   a certificate is 1–2 KiB in PEM; 256 KiB holds a chain of 100.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    pub file: usize,
    pub field: usize,
    pub jws: usize,
    pub pem: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            file: 64 << 20,
            field: 1 << 20,
            jws: 16 << 10,
            pem: 256 << 10,
        }
    }
}

impl Settings {
    pub fn with_now(now: i64) -> Self {
        Settings {
            now,
            ..Settings::default()
        }
    }

    pub fn severity_of(&self, rule: &RuleMeta) -> Option<Severity> {
        match self.severities.get(rule.id) {
            Some(s) => *s,
            None => Some(rule.severity),
        }
    }
}

/// At most this many labels on one finding; the rest are dropped.
pub const MAX_LABELS: usize = 16;

/// Collects findings, applying configured severities.
pub struct Sink<'s> {
    settings: &'s Settings,
    findings: Vec<Finding>,
}

impl<'s> Sink<'s> {
    pub fn new(settings: &'s Settings) -> Self {
        Sink {
            settings,
            findings: Vec::new(),
        }
    }

    /// Whether the rule is on: skip expensive work for rules that are off.
    pub fn enabled(&self, rule: &RuleMeta) -> bool {
        self.settings.severity_of(rule).is_some()
    }

    /// Keeps the finding's own severity (the rule's default, or one a rule
    /// set for the profile) unless the configuration names one.
    pub fn push(&mut self, mut f: Finding) {
        // A pathological input (one parameter repeated 100,000 times) must
        // not yield a finding with 100,000 labels: every report renders them.
        f.labels.truncate(MAX_LABELS);
        match self.settings.severities.get(f.rule.id) {
            Some(None) => {}
            Some(Some(sev)) => {
                f.severity = *sev;
                self.findings.push(f);
            }
            None => self.findings.push(f),
        }
    }
}

/// Decoded views of one request, built once and shared by every rule.
pub struct Context<'a> {
    pub req: &'a TokenRequest,
    pub source: &'a Source,
    pub settings: &'a Settings,
    /// The decoded `parameters` (empty when there are none).
    pub form: Form,
    /// The decoded DPoP proof, when the request has one.
    pub dpop: Option<dpop::DpopView<'a>>,
    /// The DPoP profile in force.
    pub profile: &'static profile::Profile,
    /// `clientCertificate` and `clientCertificatePath`, parsed on first use.
    certs: std::cell::OnceCell<crate::x509::RequestCerts>,
    /// The HTTP capture the request came from (method, URL, headers), if any.
    pub capture: Option<&'a crate::request::capture::Capture>,
}

impl<'a> Context<'a> {
    pub fn new(req: &'a TokenRequest, source: &'a Source, settings: &'a Settings) -> Self {
        let form = req
            .parameters
            .as_ref()
            .map(|p| form::decode(&p.value))
            .unwrap_or_default();
        Context {
            req,
            source,
            settings,
            form,
            dpop: req.dpop.as_ref().map(dpop::DpopView::new),
            profile: profile::get_or_default(settings.profile.as_deref()),
            certs: std::cell::OnceCell::new(),
            capture: None,
        }
    }

    /// The request's certificates, scanned and parsed once per request.
    pub fn certs(&self) -> &crate::x509::RequestCerts {
        self.certs
            .get_or_init(|| crate::x509::RequestCerts::of(self.req))
    }

    /// The `iat` window in force: (past, future) seconds.
    pub fn iat_window(&self) -> (i64, i64) {
        self.settings
            .iat_window
            .unwrap_or((self.profile.iat_past, self.profile.iat_future))
    }

    fn params_text(&self) -> &Text {
        self.req
            .parameters
            .as_ref()
            .expect("a form pair exists only when parameters do")
    }

    /// The first parameter of this name with a non-empty value: RFC 6749
    /// §3.2 says a parameter sent without a value is treated as omitted.
    pub fn param(&self, name: &str) -> Option<&Pair> {
        self.form
            .pairs
            .iter()
            .find(|p| p.name == name && !p.value.is_empty())
    }

    pub fn has_param(&self, name: &str) -> bool {
        self.param(name).is_some()
    }

    pub fn param_value(&self, name: &str) -> Option<&str> {
        self.param(name).map(|p| p.value.as_str())
    }

    /// The grant type as sent, if any.
    pub fn grant_type(&self) -> Option<&str> {
        self.param_value("grant_type")
    }

    /// Span of a range of raw bytes of the encoded `parameters` string.
    pub fn raw_params_span(&self, raw: std::ops::Range<usize>) -> Span {
        self.params_text().sub_span(raw)
    }

    pub fn name_span(&self, p: &Pair) -> Span {
        self.raw_params_span(p.name_raw.clone())
    }

    pub fn value_span(&self, p: &Pair) -> Span {
        if p.value_raw.is_empty() {
            // Nothing to underline: point at the whole pair instead.
            return self.pair_span(p);
        }
        self.raw_params_span(p.value_raw.clone())
    }

    pub fn pair_span(&self, p: &Pair) -> Span {
        self.raw_params_span(p.raw.clone())
    }

    /// Span of a byte range of a parameter's decoded value.
    pub fn value_sub_span(&self, p: &Pair, dec: std::ops::Range<usize>) -> Span {
        self.raw_params_span(p.value_raw_range(dec))
    }

    /// Span of the `parameters` field itself, for findings about a missing parameter.
    pub fn parameters_span(&self) -> Span {
        self.req
            .parameters
            .as_ref()
            .map_or(Span::default(), |p| p.span)
    }

    /// Spans of secret parameter values to mask in any display.
    pub fn secret_param_spans(&self) -> Vec<Span> {
        self.form
            .pairs
            .iter()
            .filter(|p| SECRET_PARAMS.contains(&p.name.as_str()) && !p.value_raw.is_empty())
            .map(|p| self.value_span(p))
            .collect()
    }
}

/// Form parameters whose values are credentials.
pub const SECRET_PARAMS: &[&str] = &[
    "client_secret",
    "refresh_token",
    "password",
    "code",
    "device_code",
    "subject_token",
    "actor_token",
    "access_token",
];

/// Everything found in one input.
#[derive(Clone, Debug)]
pub struct FileReport {
    pub source: Arc<Source>,
    pub findings: Vec<Finding>,
    /// Spans of secrets in the source, masked in every display.
    pub secrets: Vec<Span>,
    /// The DPoP proof's `jti`, for [`CrossCheck`] (replay across inputs).
    pub dpop_jti: Option<dpop::JtiUse>,
    /// The input was expected to fail (`expect-errors`) and does: its errors
    /// are reported but do not fail the run.
    pub expected_errors: bool,
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
}

/// Runs every rule over one loaded input, with the profile of `settings`
/// (with `--profile all`: once per profile, merged, each DPoP finding
/// saying which servers reject).
pub fn lint(loaded: &Loaded, settings: &Settings) -> FileReport {
    if settings.profile.as_deref() == Some(profile::ALL) {
        return lint_all_profiles(loaded, settings);
    }
    let mut sink = Sink::new(settings);
    rules::input::check_load(loaded, &mut sink);
    let mut secrets = loaded.secrets.clone();
    let mut dpop_jti = None;
    if loaded.is_readable() {
        // Oversized values are reported and dropped before any rule parses them.
        let trimmed = rules::input::check_limits(&loaded.request, &settings.limits, &mut sink);
        let req = trimmed.as_ref().unwrap_or(&loaded.request);
        secrets.extend(private_key_spans(&loaded.request, &settings.limits));
        secrets.extend(rules::input::unchecked_secret_spans(
            &loaded.request,
            req,
            &loaded.source,
        ));
        let mut cx = Context::new(req, &loaded.source, settings);
        cx.capture = loaded.capture.as_deref();
        for area in rules::AREAS {
            (area.check)(&cx, &mut sink);
        }
        secrets.extend(cx.secret_param_spans());
        if let Some(view) = &cx.dpop {
            // A private key in the proof's jwk: hide the whole header segment.
            if !view.private_member_spans().is_empty() {
                secrets.push(view.part_span(dpop::Part::Header));
            }
            dpop_jti = view.jti_use();
        }
    }
    let mut findings = sink.findings;
    sort_findings(&mut findings);
    FileReport {
        source: Arc::clone(&loaded.source),
        findings,
        secrets,
        dpop_jti,
        expected_errors: false,
    }
}

/// Spans of PEM private-key blocks pasted into `clientCertificate` or
/// `clientCertificatePath`: masked in every display like any other secret.
fn private_key_spans(req: &TokenRequest, limits: &Limits) -> Vec<Span> {
    let mut out = Vec::new();
    for t in req
        .client_certificate
        .iter()
        .chain(req.client_certificate_path.iter())
    {
        if !t.value.contains("PRIVATE KEY") {
            continue;
        }
        if t.value.len() > limits.pem {
            // Over the limit, not scanned: mask all of it.
            out.push(t.span);
            continue;
        }
        let scan = crate::x509::scan(&t.value);
        for item in &scan.items {
            let private = match item.label.as_deref() {
                Some(l) => l.contains("PRIVATE KEY"),
                None => t
                    .value
                    .get(item.range.clone())
                    .is_some_and(|s| s.contains("PRIVATE KEY")),
            };
            if private {
                out.push(t.sub_span(item.range.clone()));
            }
        }
        // A block the scanner could not delimit still must not show.
        if scan.items.is_empty() {
            out.push(t.span);
        }
    }
    out
}

/// Stable order: by position, then severity (errors first), then rule id.
fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        let pa = a.primary_span().map(|s| s.offset).unwrap_or(0);
        let pb = b.primary_span().map(|s| s.offset).unwrap_or(0);
        pa.cmp(&pb)
            .then(b.severity.cmp(&a.severity))
            .then(a.rule.id.cmp(b.rule.id))
    });
}

/// `--profile all`: lints once per profile and merges the findings (same
/// rule at the same place), keeping the highest severity and listing, on
/// each `dpop/` finding, the servers whose profile makes it an error.
fn lint_all_profiles(loaded: &Loaded, settings: &Settings) -> FileReport {
    let mut merged: Option<FileReport> = None;
    let mut rejected: Vec<Vec<String>> = Vec::new();
    for p in profile::all() {
        let mut s = settings.clone();
        s.profile = Some(p.name.clone());
        let r = lint(loaded, &s);
        let base = merged.get_or_insert_with(|| FileReport {
            findings: Vec::new(),
            ..r.clone()
        });
        for f in r.findings {
            let key = (f.rule.id, f.primary_span());
            let i = match base
                .findings
                .iter()
                .position(|g| (g.rule.id, g.primary_span()) == key)
            {
                Some(i) => i,
                None => {
                    base.findings.push(f.clone());
                    rejected.push(Vec::new());
                    base.findings.len() - 1
                }
            };
            if f.severity > base.findings[i].severity {
                base.findings[i] = f.clone();
            }
            if p.server && f.severity == Severity::Error {
                rejected[i].push(p.name.clone());
            }
        }
    }
    let Some(mut report) = merged else {
        return lint(loaded, &Settings::default());
    };
    for (f, r) in report.findings.iter_mut().zip(rejected) {
        if f.rule.area() == "dpop" {
            f.rejected_by = Some(r);
        }
    }
    sort_findings(&mut report.findings);
    report
}

/// Checks that need several inputs at once, fed the reports of one run in
/// order: a DPoP `jti` already used by an earlier request is a replay
/// (RFC 9449 §11.1). The later use is reported, naming the earlier ones: a
/// server accepts the first proof and rejects the ones after it. Only the
/// jtis are kept, so a run over many inputs need not hold their reports.
#[derive(Debug, Default)]
pub struct CrossCheck {
    seen: HashMap<String, JtiUses>,
}

/// The inputs that used one jti so far: the first [`CrossCheck::NAMED`]
/// (name, iat), and how many did.
#[derive(Debug, Default)]
struct JtiUses {
    named: Vec<(String, Option<i64>)>,
    count: usize,
}

impl CrossCheck {
    /// Earlier uses named in one finding; the rest are counted.
    const NAMED: usize = 5;

    /// Checks `report` against the earlier reports and remembers its jti.
    /// Returns whether it added a finding.
    pub fn check(&mut self, report: &mut FileReport, settings: &Settings) -> bool {
        let Some(u) = report.dpop_jti.clone() else {
            return false;
        };
        let name = report.source.name.clone();
        let JtiUses {
            named: earlier,
            count,
        } = self.seen.entry(u.jti.clone()).or_default();
        let added = *count > 0;
        if added {
            let mut names: Vec<String> = earlier
                .iter()
                .map(|(other, other_iat)| match (u.iat, other_iat) {
                    (Some(a), Some(b)) => format!("{other} (iat {:+} s)", b.saturating_sub(a)),
                    _ => other.clone(),
                })
                .collect();
            if *count > earlier.len() {
                names.push(format!("{} more", *count - earlier.len()));
            }
            let mut sink = Sink::new(settings);
            sink.push(
                Finding::new(
                    &rules::dpop::REPLAY,
                    format!(
                        "the DPoP proof's jti `{}` was already used by {}: a server that has seen that proof rejects this one as a replay",
                        u.jti,
                        names.join(", ")
                    ),
                )
                .field("dpop.jti")
                .label(u.span, "payload with a reused jti")
                .decoded(u.decoded.clone())
                .help("make a fresh proof for every request: a new random jti (at least 96 bits, e.g. 16 random octets base64url-encoded, or a UUIDv4) and a current iat"),
            );
            report.findings.extend(sink.findings);
            sort_findings(&mut report.findings);
        }
        if earlier.len() < Self::NAMED {
            earlier.push((name, u.iat));
        }
        *count += 1;
        added
    }
}

/// [`CrossCheck`] over reports that share one configuration.
pub fn cross_check<'r>(reports: impl IntoIterator<Item = &'r mut FileReport>, settings: &Settings) {
    let mut cross = CrossCheck::default();
    for r in reports {
        cross.check(r, settings);
    }
}

/// [`CrossCheck`], whose findings count. Run again after a later check
/// adds an error, it first takes back what it concluded before.
pub fn apply_expectation(report: &mut FileReport, settings: &Settings) {
    if !settings.expect_errors {
        return;
    }
    report.expected_errors = false;
    report
        .findings
        .retain(|f| f.rule.id != rules::input::EXPECTED_ERRORS_MISSING.id);
    if report.has_errors() {
        report.expected_errors = true;
        return;
    }
    let mut sink = Sink::new(settings);
    sink.push(
        Finding::new(
            &rules::input::EXPECTED_ERRORS_MISSING,
            "this input is configured to fail (`expect-errors = true`) but raises no error",
        )
        .label(
            crate::span::Span::new(0, 0),
            "expected at least one error in this input",
        )
        .help("fix the fixture so it shows the error it is meant to show, or move it out of the folder the override names (or set expect-errors = false for it)"),
    );
    report.findings.extend(sink.findings);
    sort_findings(&mut report.findings);
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
