//! Invariant checks shared by the fuzz targets: every span a parser or the
//! linter hands out must lie inside the text it points into, on character
//! boundaries (the renderers slice the source with them).

use std::ops::Range;

use tokenlint::json;
use tokenlint::lint::{self, FileReport, Settings};
use tokenlint::report::stream::{render_all, Format};
use tokenlint::report::Outcome;
use tokenlint::request::capture::Issue as CaptureIssue;
use tokenlint::request::{LoadIssue, Loaded};
use tokenlint::span::{Span, Text};

/// The default clock of the rule docs: 2026-01-01T00:00:00Z.
pub const NOW: i64 = 1_767_225_600;

/// `range` lies in `text` and starts and ends on character boundaries.
#[track_caller]
pub fn check_range(text: &str, range: Range<usize>, what: &str) {
    assert!(
        range.start <= range.end && range.end <= text.len(),
        "{what}: {range:?} outside 0..{}",
        text.len()
    );
    assert!(
        text.is_char_boundary(range.start) && text.is_char_boundary(range.end),
        "{what}: {range:?} splits a character"
    );
}

#[track_caller]
pub fn check_span(text: &str, span: Span, what: &str) {
    check_range(text, span.offset..span.end(), what);
}

/// A decoded value's span, and the span of each of its characters.
#[track_caller]
pub fn check_text(text: &str, t: &Text, what: &str) {
    check_span(text, t.span, what);
    for (i, c) in t.value.char_indices() {
        check_span(text, t.sub_span(i..i + c.len_utf8()), what);
    }
}

/// Every span of a parsed JSON value (`base` is where `text` starts).
pub fn check_json(text: &str, base: usize, v: &json::Value) {
    let rel = |s: Span| {
        assert!(s.offset >= base, "json span {s:?} before base {base}");
        Span::new(s.offset - base, s.len)
    };
    check_span(text, rel(v.span), "json value");
    match &v.node {
        json::Node::String(t) => check_json_text(text, base, t),
        json::Node::Array(items) => items.iter().for_each(|i| check_json(text, base, i)),
        json::Node::Object(members) => {
            for m in members {
                check_span(text, rel(m.key_span), "json key");
                check_json_text(text, base, &m.key);
                check_json(text, base, &m.value);
            }
        }
        _ => {}
    }
}

fn check_json_text(text: &str, base: usize, t: &Text) {
    let shifted = Text {
        value: t.value.clone(),
        span: Span::new(t.span.offset - base.min(t.span.offset), t.span.len),
        map: t.map.clone(),
    };
    check_text(text, &shifted, "json string");
}

/// Every span of a loaded input: request fields, load issues, secrets and
/// what a capture carries.
pub fn check_loaded(l: &Loaded) {
    let text = l.source.text.as_str();
    let r = &l.request;
    let texts = [
        ("parameters", &r.parameters),
        ("clientId", &r.client_id),
        ("clientSecret", &r.client_secret),
        ("clientCertificate", &r.client_certificate),
        ("dpop", &r.dpop),
        ("htm", &r.htm),
        ("htu", &r.htu),
        ("accessToken", &r.access_token),
        ("jwtAtClaims", &r.jwt_at_claims),
        ("oauthClientAttestation", &r.oauth_client_attestation),
        ("oauthClientAttestationPop", &r.oauth_client_attestation_pop),
    ];
    for (name, t) in texts {
        if let Some(t) = t {
            check_text(text, t, name);
        }
    }
    for t in &r.client_certificate_path {
        check_text(text, t, "clientCertificatePath[]");
    }
    for s in [
        r.dpop_nonce_required.map(|s| s.span),
        r.access_token_duration.map(|s| s.span),
        r.refresh_token_duration.map(|s| s.span),
    ]
    .into_iter()
    .flatten()
    {
        check_span(text, s, "scalar field");
    }
    for v in [&r.properties, &r.cimd_options].into_iter().flatten() {
        check_json(text, 0, v);
    }
    for i in &l.issues {
        match i {
            LoadIssue::InvalidUtf8 { span, .. }
            | LoadIssue::NotAnObject { span, .. }
            | LoadIssue::MissingParameters { span }
            | LoadIssue::WrongType { span, .. }
            | LoadIssue::UnknownField { span, .. } => check_span(text, *span, "load issue"),
            LoadIssue::DuplicateField { span, first, .. } => {
                check_span(text, *span, "load issue");
                check_span(text, *first, "load issue");
            }
            LoadIssue::InvalidJson { offset, .. } => {
                assert!(
                    *offset <= text.len(),
                    "invalid-json offset {offset} past the end"
                )
            }
        }
    }
    for s in &l.secrets {
        check_span(text, *s, "secret");
    }
    if let Some(c) = &l.capture {
        for (name, t) in [
            ("capture method", &c.method),
            ("capture url", &c.url),
            ("capture query", &c.query),
            ("capture content type", &c.content_type),
        ] {
            if let Some(t) = t {
                check_text(text, t, name);
            }
        }
        for h in &c.headers {
            check_text(text, &h.name, "header name");
            check_text(text, &h.value, "header value");
        }
        if let Some(b) = c.basic {
            check_span(text, b, "basic credentials");
        }
        for i in &c.issues {
            let (span, what) = match i {
                CaptureIssue::Syntax { span, .. } => (span, "capture issue Syntax"),
                CaptureIssue::BasicMalformed { span, .. } => (span, "capture issue BasicMalformed"),
                CaptureIssue::BasicBadBase64 { span, .. } => (span, "capture issue BasicBadBase64"),
                CaptureIssue::BasicNoColon { span } => (span, "capture issue BasicNoColon"),
                CaptureIssue::BasicEmptyPart { span, .. } => (span, "capture issue BasicEmptyPart"),
                CaptureIssue::BasicNotFormEncoded { span, .. } => {
                    (span, "capture issue BasicNotFormEncoded")
                }
                CaptureIssue::BasicBadPercent { span, .. } => {
                    (span, "capture issue BasicBadPercent")
                }
                CaptureIssue::BasicNonVschar { span, .. } => (span, "capture issue BasicNonVschar"),
            };
            check_span(text, *span, what);
        }
    }
    let masked = l.source.masked_text(&l.secrets);
    assert_eq!(masked.len(), text.len(), "masking changed the length");
}

/// Every label of every finding: in the source, or in the decoded view.
pub fn check_report(r: &FileReport) {
    let text = r.source.text.as_str();
    for f in &r.findings {
        for l in &f.labels {
            check_span(text, l.span, f.rule.id);
        }
        if let Some(d) = &f.decoded {
            for l in &d.labels {
                check_span(&d.text, l.span, f.rule.id);
            }
        }
    }
    for s in &r.secrets {
        check_span(text, *s, "report secret");
    }
}

/// Lints a loaded input and checks the report's spans.
pub fn lint_checked(l: &Loaded) -> FileReport {
    let r = lint::lint(l, &Settings::with_now(NOW));
    check_report(&r);
    r
}

/// Renders a report in the pretty and JSON formats.
pub fn render(r: FileReport) {
    let outcomes = [Outcome::Linted(r)];
    let pretty = render_all(Format::Pretty(Default::default()), &outcomes);
    assert!(!pretty.is_empty());
    let json = render_all(Format::Json, &outcomes);
    assert!(
        serde_json::from_str::<serde_json::Value>(&json).is_ok(),
        "the JSON report is not JSON"
    );
}

/// The fuzz input as text: lossily decoded, as the loaders do it.
pub fn text(data: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(data)
}
