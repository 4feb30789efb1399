//! `client-auth/basic-…`: the `Authorization: Basic` header of a captured
//! request (raw HTTP, HAR, curl), whose encoding the Authlete body no longer
//! shows once it is split into `clientId` and `clientSecret`. The capture
//! loader finds the problems; this turns each into a finding, so it holds
//! these findings' prose.

use crate::lint::{Context, Finding, Sink};
use crate::request::capture::{describe_char, Issue, Part};
use crate::span::Span;

crate::lint::declare_rules! {
    area: ClientAuth;
    BASIC_MALFORMED = "client-auth/basic-malformed", Error, "RFC 7617 §2; RFC 6749 §2.3.1",
        "The Authorization header is not `Basic` followed by one base64 token";
    BASIC_BAD_BASE64 = "client-auth/basic-bad-base64", Error, "RFC 7617 §2; RFC 4648 §4",
        "The Basic credentials are not valid standard base64";
    BASIC_NO_COLON = "client-auth/basic-no-colon", Error, "RFC 7617 §2",
        "The decoded Basic credentials have no `:` between client ID and secret";
    BASIC_EMPTY_PART = "client-auth/basic-empty-part", Error, "RFC 6749 §2.3.1",
        "The client ID or the client secret in the Basic credentials is empty";
    BASIC_NOT_FORM_ENCODED = "client-auth/basic-not-form-encoded", Warning,
        "RFC 6749 §2.3.1, Appendix B",
        "The Basic client ID or secret was not form-urlencoded before base64";
    BASIC_BAD_PERCENT = "client-auth/basic-bad-percent-encoding", Error,
        "RFC 6749 §2.3.1, Appendix B",
        "The Basic client ID or secret has a broken percent-escape or is not UTF-8 once decoded";
    BASIC_NON_VSCHAR = "client-auth/basic-non-vschar", Error, "RFC 6749 Appendix A.1, A.2",
        "The decoded Basic client ID or secret has a character outside VSCHAR";
}

/// One finding per Basic-header issue the capture loader found.
pub(super) fn check(cx: &Context, sink: &mut Sink) {
    let Some(c) = cx.capture else {
        return;
    };
    c.issues
        .iter()
        .filter_map(finding)
        .for_each(|f| sink.push(f));
}

/// `None` for the capture's syntax, body and variables: `input/` findings.
fn finding(issue: &Issue) -> Option<Finding> {
    let f = match issue {
        Issue::Syntax { .. } | Issue::Unresolved { .. } | Issue::Body { .. } => return None,
        Issue::BasicMalformed { span, message } => malformed(*span, message),
        Issue::BasicBadBase64 { span, message } => bad_base64(*span, message),
        Issue::BasicNoColon { span } => no_colon(*span),
        Issue::BasicEmptyPart { span, part } => empty_part(*span, *part),
        Issue::BasicNotFormEncoded {
            span,
            part,
            ch,
            count,
        } => not_form_encoded(*span, *part, *ch, *count),
        Issue::BasicBadPercent {
            span,
            part,
            message,
        } => bad_percent(*span, *part, message),
        Issue::BasicNonVschar { span, part, code } => non_vschar(*span, *part, *code),
    };
    Some(f)
}

fn malformed(span: Span, message: &str) -> Finding {
    Finding::new(&BASIC_MALFORMED, message)
        .field("clientId")
        .label(span, "not `Basic <credentials>`")
        .help(
            "send `Authorization: Basic base64(urlencode(client_id) \":\" \
             urlencode(client_secret))`, one space after `Basic`",
        )
}

fn bad_base64(span: Span, message: &str) -> Finding {
    Finding::new(
        &BASIC_BAD_BASE64,
        format!("the Basic credentials are not standard base64: {message}"),
    )
    .field("clientId")
    .label(span, "not base64")
    .help(
        "encode `client_id:client_secret` with standard base64 (RFC 4648 §4: `A-Z a-z 0-9 + /` \
         and `=` padding), not base64url",
    )
}

fn no_colon(span: Span) -> Finding {
    Finding::new(
        &BASIC_NO_COLON,
        "the decoded Basic credentials have no `:`, so there is no client ID and secret to split",
    )
    .field("clientId")
    .label(span, "decodes without a `:`")
    .help("encode `client_id:client_secret`, joined by a colon, then base64")
}

fn empty_part(span: Span, part: Part) -> Finding {
    Finding::new(
        &BASIC_EMPTY_PART,
        format!("the {} in the Basic credentials is empty", part.as_str()),
    )
    .field(part.field())
    .label(span, format!("empty {}", part.as_str()))
    .help(
        "client_secret_basic needs both: a public client sends `client_id` in the body and no \
         Authorization header",
    )
}

/// `ch`: the first raw character, of `count`.
fn not_form_encoded(span: Span, part: Part, ch: char, count: usize) -> Finding {
    let what = match ch {
        '+' => {
            "a raw `+`, which a server that decodes per RFC 6749 §2.3.1 reads as a space".to_owned()
        }
        ' ' => "a raw space (form encoding writes it as `+`)".to_owned(),
        _ => format!(
            "a raw {} (form encoding writes it as `%{:02X}`)",
            describe_char(ch),
            ch as u32
        ),
    };
    let more = if count > 1 {
        format!("; {count} such characters in all")
    } else {
        String::new()
    };
    Finding::new(
        &BASIC_NOT_FORM_ENCODED,
        format!(
            "the {} in the Basic credentials was not form-urlencoded before base64: it has \
             {what}{more}",
            part.as_str()
        ),
    )
    .field(part.field())
    .label(span, format!("{} here", describe_char(ch)))
    .help(
        "urlencode the client ID and the secret (application/x-www-form-urlencoded) before \
         joining them with `:` and base64-encoding; servers differ (node-oidc-provider, Spring \
         Authorization Server and Keycloak decode, others do not), so the encoded form works \
         everywhere only when the values need no escaping",
    )
}

fn bad_percent(span: Span, part: Part, message: &str) -> Finding {
    Finding::new(
        &BASIC_BAD_PERCENT,
        format!("{message}; servers that form-decode the Basic credentials reject it"),
    )
    .field(part.field())
    .label(span, "bad escape")
    .help("escape `%` itself as `%25`; every `%` must start a `%XX` escape of a UTF-8 octet")
}

fn non_vschar(span: Span, part: Part, code: u32) -> Finding {
    // The secret's characters are not shown; the client ID's are.
    let which = match part {
        Part::ClientId => char::from_u32(code).map_or(format!("U+{code:04X}"), describe_char),
        Part::ClientSecret => "a character".to_owned(),
    };
    Finding::new(
        &BASIC_NON_VSCHAR,
        format!(
            "the decoded {} has {which} outside VSCHAR (printable ASCII, %x20-7E)",
            part.as_str()
        ),
    )
    .field(part.field())
    .label(span, "outside %x20-7E")
    .help(
        "client IDs and secrets are printable ASCII (RFC 6749 Appendix A); node-oidc-provider \
         rejects anything else as not properly encoded",
    )
}
