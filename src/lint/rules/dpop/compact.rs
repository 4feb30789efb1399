//! The proof as a compact JWS: one value of three base64url parts, a JSON
//! object in the header and the payload, each name once in each.

use super::header::alg_none_unsigned;
use super::Checker;
use crate::jose::compact::{self, CompactError, PartName};
use crate::json::Member;
use crate::lint::profile::{DuplicatePolicy, EmptyHeader};
use crate::lint::view::dpop::{member_span, Part};
use crate::lint::{Context, Decoded, Finding, Label, Severity, Sink};
use crate::span::Span;

crate::lint::declare_rules! {
    area: Dpop;
    MALFORMED = "dpop/malformed", Error, "RFC 9449 §4.3 (1) (2); RFC 7515 §7.1",
        "The DPoP value is not one compact JWS with JSON-object header and payload";
    B64URL = "dpop/b64url", Error, "RFC 7515 §2; RFC 7515 §7.1",
        "A part of the DPoP proof is not base64url without padding";
    DUPLICATE_MEMBER = "dpop/duplicate-member", Error,
        "RFC 7515 §4; RFC 7519 §4; RFC 8725 §3.7",
        "A header parameter or claim appears twice in the DPoP proof";
    HEADER_TOO_LARGE = "dpop/header-too-large", Error, "RFC 6585 §5; RFC 9110 §5.4",
        "The request's header section is larger than the server reads (HTTP 431)";
}

/// How a value that is not a compact JWS went wrong, for the advice.
enum Shape {
    /// Several DPoP header fields joined with commas: this many values.
    Joined(usize),
    /// Whitespace around the proof, or the `DPoP ` scheme kept.
    Wrapped,
    Other,
}

impl Checker<'_, '_> {
    /// The value is not a usable compact JWS: unsigned, not base64url, or
    /// not a JWS at all.
    pub(super) fn not_compact(&self, e: &CompactError, sink: &mut Sink) {
        if let Some(f) = self.unsigned(e) {
            sink.push(f);
        } else if let CompactError::Base64 { .. } = e {
            sink.push(self.b64url(e));
        } else {
            sink.push(self.malformed(e));
        }
    }

    /// `header.payload.` with `alg: none`: an unsigned JWS. Reported as
    /// `dpop/alg-none` rather than as a malformed value.
    fn unsigned(&self, e: &CompactError) -> Option<Finding> {
        let CompactError::EmptyPart {
            part: PartName::Signature,
            ..
        } = e
        else {
            return None;
        };
        // Any signature makes the rest parse; its bytes are not looked at.
        let padded = format!("{}AA", self.view.text.value);
        let j = compact::parse(&padded).ok()?;
        let a = j.header.value.get("alg")?.value.as_str()?;
        if !a.value.eq_ignore_ascii_case("none") {
            return None;
        }
        Some(alg_none_unsigned(
            &a.value,
            self.view.span(j.header.raw.clone()),
        ))
    }

    fn malformed(&self, e: &CompactError) -> Finding {
        let value = &self.view.text.value;
        let shape = if value.contains(',') {
            Shape::Joined(value.split(',').count())
        } else if value.trim() != value.as_str() || value.starts_with("DPoP ") {
            Shape::Wrapped
        } else {
            Shape::Other
        };
        let at = match e {
            CompactError::Empty => self.view.text.span,
            _ => self.view.span(e.raw(value.len())),
        };
        malformed(e, shape, at)
    }

    /// An empty DPoP header that the profile's server ignores: reported as a
    /// warning (the token will not be DPoP-bound), and nothing else checked.
    pub(super) fn ignored_as_empty(&self, sink: &mut Sink) -> bool {
        if self.cx.profile.empty_header != EmptyHeader::Ignore
            || !self.view.text.value.trim().is_empty()
        {
            return false;
        }
        let message = format!(
            "the DPoP header is empty: {} ignores it and issues a Bearer token, not a \
            DPoP-bound one; a server that reads it as a proof rejects the request",
            self.cx.profile.name
        );
        sink.push(
            Finding::new(&MALFORMED, message)
                .field("dpop")
                .label(self.view.text.span, "empty")
                .severity(Severity::Warning)
                .help("send a proof in the DPoP header, or leave the header out"),
        );
        true
    }

    pub(super) fn duplicate_members(&self, sink: &mut Sink) {
        for part in [Part::Header, Part::Payload] {
            let Some(p) = self.view.part(part) else {
                continue;
            };
            for m in p.duplicate_names() {
                sink.push(self.duplicate_member(part, m));
            }
        }
    }
}

/// The head of the request against the profile's server's limit. With a
/// capture, counted as Node.js counts it (the request target plus each
/// header field's name and value); otherwise the DPoP field alone.
pub(super) fn header_size(cx: &Context, sink: &mut Sink) {
    let Some(limit) = cx.profile.max_header_bytes else {
        return;
    };
    let (bytes, at, whole) = match cx.capture {
        Some(c) => {
            let target = c.url.as_ref().map_or(0, |u| u.value.len());
            let fields: usize = c
                .headers
                .iter()
                .map(|h| h.name.value.len() + h.value.value.len())
                .sum();
            let Some(dpop) = c.header("dpop") else {
                return;
            };
            (target + fields, dpop.value.span, true)
        }
        None => match &cx.dpop {
            Some(v) => ("DPoP".len() + v.text.value.len(), v.text.span, false),
            None => return,
        },
    };
    if bytes >= limit {
        sink.push(header_too_large(cx, bytes, limit, at, whole));
    }
}

// The findings.

fn header_too_large(cx: &Context, bytes: usize, limit: usize, at: Span, whole: bool) -> Finding {
    let p = cx.profile;
    let what = if whole {
        "the request target and header fields"
    } else {
        "the DPoP header field alone"
    };
    let message = format!(
        "{what} come to {bytes} bytes; {} reads at most {} and answers 431 Request Header \
        Fields Too Large before looking at the proof",
        p.name,
        limit - 1
    );
    Finding::new(&HEADER_TOO_LARGE, message)
        .field("dpop")
        .label(at, "the DPoP header")
        .help(
            "a DPoP proof is a few hundred bytes: drop the claims and header parameters it does \
            not need (x5c, large custom claims), or raise the server's header limit",
        )
}

fn malformed(e: &CompactError, shape: Shape, at: Span) -> Finding {
    let not_jws = || format!("the DPoP value is not a compact JWS: {}", e.describe());
    let (message, help) = match shape {
        Shape::Joined(n) => (
            format!(
                "the DPoP value holds {n} comma-separated values: several DPoP header fields \
                were joined; a request must carry exactly one proof (RFC 9449 §4.3 (1))"
            ),
            "send exactly one DPoP header with one proof",
        ),
        Shape::Wrapped => (
            not_jws(),
            "give only the proof (header.payload.signature), without whitespace or a \
            `DPoP ` prefix",
        ),
        Shape::Other => (
            not_jws(),
            "a DPoP proof is a signed JWT in compact form: \
            base64url(header).base64url(payload).base64url(signature); \
            make one with `tokenlint dpop proof`",
        ),
    };
    Finding::new(&MALFORMED, message)
        .field("dpop")
        .label(at, "here")
        .help(help)
        .decoded(not_json(e))
}

/// The part that is not JSON, decoded, with the parser's complaint at its
/// place.
fn not_json(e: &CompactError) -> Option<Decoded> {
    let CompactError::NotJson {
        part,
        text,
        message,
        offset,
        ..
    } = e
    else {
        return None;
    };
    Some(Decoded {
        title: format!("DPoP proof {} (decoded)", part.as_str()),
        text: text.clone(),
        labels: vec![Label {
            span: Span::new((*offset).min(text.len()), 0),
            text: message.clone(),
        }],
    })
}

impl Checker<'_, '_> {
    fn b64url(&self, e: &CompactError) -> Finding {
        let value = &self.view.text.value;
        let help = if value.trim().len() != value.len() {
            "remove the whitespace around the proof"
        } else if value.starts_with("DPoP ") {
            "give the DPoP header's value only, without the `DPoP ` prefix"
        } else {
            "encode each part with base64url (`-` and `_`) and strip the `=` padding (RFC 7515 §2)"
        };
        Finding::new(
            &B64URL,
            format!("the DPoP proof is not valid compact JWS: {}", e.describe()),
        )
        .field("dpop")
        .label(self.view.span(e.raw(value.len())), "not base64url")
        .help(help)
    }

    /// A part that breaks RFC 7515 §2 in a way the profile's server forgives.
    pub(super) fn b64url_tolerated(&self, e: &CompactError) -> Finding {
        let name = &self.cx.profile.name;
        let f = self.b64url(e).severity(Severity::Warning);
        let message = format!(
            "{}; {name} decodes it anyway (forgiving base64, as `atob` does), but a strict \
            server rejects the proof",
            f.message
        );
        Finding { message, ..f }
    }

    fn duplicate_member(&self, part: Part, m: &Member) -> Finding {
        let what = match part {
            Part::Header => "header parameter",
            Part::Payload => "claim",
        };
        let p = self.cx.profile;
        let (severity, server) = match p.duplicate_members {
            DuplicatePolicy::Reject => (Severity::Error, format!("{} rejects the proof", p.name)),
            DuplicatePolicy::LastWins => (
                Severity::Warning,
                format!(
                    "{} keeps the last one (tokenlint checks it too), but a server that \
                    rejects duplicates fails the request",
                    p.name
                ),
            ),
        };
        let message = format!(
            "the {what} `{}` appears more than once in the proof; RFC 7515 §4 lets a parser \
            reject it or keep the last: {server}",
            m.key.value
        );
        let checked = self
            .view
            .member(part, &m.key.value)
            .is_some_and(|last| std::ptr::eq(last, m));
        let label = if checked {
            "again here (the one checked)"
        } else {
            "again here"
        };
        self.finding_in(part, &DUPLICATE_MEMBER, message)
            .member(member_span(m), label)
            .severity(severity)
            .help("serialize the header and payload from a map, so each name appears once")
    }
}
