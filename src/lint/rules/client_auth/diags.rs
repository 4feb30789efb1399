//! The prose of the `client-auth/` findings: one constructor per kind of
//! finding, so the checks read as logic. (The Basic header's findings are
//! in `basic.rs`, which does nothing else; the assertion's claims and
//! signature in `assertion_diags.rs`.)

use std::ops::Range;

use super::assertion_format::{Malformation, ASSERTION_MALFORMED};
use super::assertion_type::{
    TypeMistake, ASSERTION_MISSING, ASSERTION_TYPE_INVALID, ASSERTION_TYPE_MISSING, JWT_BEARER,
};
use super::methods::{IdDifference, CLIENT_ID_MISMATCH, MULTIPLE_METHODS};
use super::secret::{SECRET_IN_BODY, SECRET_WITHOUT_CLIENT_ID};
use crate::jose::compact::{B64Problem, CompactError};
use crate::lint::view::client::AuthMethod;
use crate::lint::{Finding, Severity};
use crate::span::{Span, Text};

const ASSERTION: &str = "parameters.client_assertion";
const ASSERTION_TYPE: &str = "parameters.client_assertion_type";
const SECRET: &str = "parameters.client_secret";

pub(super) fn client_id_mismatch(
    header: &Text,
    body: &str,
    body_span: Span,
    difference: IdDifference,
) -> Finding {
    let help = match difference {
        IdDifference::FormEncoded => {
            "`clientId` still carries the form encoding of the Basic credentials: RFC 6749 \
             §2.3.1 form-encodes the id before Base64, so decode it (`%3A` → `:`, `+` → space) \
             when you fill `clientId`"
        }
        IdDifference::Whitespace => {
            "the two differ only in leading or trailing whitespace: trim the value where it is \
             copied from"
        }
        IdDifference::Case => {
            "the two differ only in letter case, and client IDs are compared exactly: use the \
             registered spelling in both places"
        }
        IdDifference::Other => {
            "send the client ID once (in the Authorization header, or as client_id in the body), \
             or make both identical; Authlete rejects credentials that disagree"
        }
    };
    Finding::new(
        &CLIENT_ID_MISMATCH,
        format!(
            "`clientId` (from the Authorization: Basic header) is {:?} but the body's \
             `client_id` is {body:?}: they must identify the same client",
            header.value
        ),
    )
    .field("clientId")
    .label(header.span, "client ID from the Basic header")
    .label(body_span, "a different client_id in the body")
    .help(help)
}

/// `methods`: each method presented, with where to underline it.
pub(super) fn multiple_methods(methods: &[(Span, AuthMethod)]) -> Finding {
    let names: Vec<&str> = methods.iter().map(|(_, m)| m.name()).collect();
    let mut f = Finding::new(
        &MULTIPLE_METHODS,
        format!(
            "the client authenticates in {} ways at once ({}); RFC 6749 §2.3 allows exactly one \
             per request",
            methods.len(),
            names.join(", ")
        ),
    )
    .field(methods[0].1.field())
    .help(
        "keep the one method the client is registered with (its token_endpoint_auth_method) and \
         remove the others; node-oidc-provider answers \"client authentication must only be \
         provided using one mechanism\"",
    );
    for (span, method) in methods {
        f = f.label(*span, method.short_name());
    }
    f
}

/// The Basic header and the body carry the same credentials, which the
/// `profile` accepts (Authlete: "they must be identical").
pub(super) fn multiple_methods_identical(methods: &[(Span, AuthMethod)], profile: &str) -> Finding {
    let mut f = Finding::new(
        &MULTIPLE_METHODS,
        format!(
            "the client sends its secret twice, in the Basic header and in the body; {profile} \
             accepts this when both are identical, as here, but RFC 6749 §2.3 allows one method \
             per request and other servers refuse it"
        ),
    )
    .field(methods[0].1.field())
    .help(
        "keep the one method the client is registered with (its token_endpoint_auth_method); \
         node-oidc-provider answers \"client authentication must only be provided using one \
         mechanism\" (see --profile all)",
    );
    for (span, method) in methods {
        f = f.label(*span, method.short_name());
    }
    f
}

/// `name`: the `client_secret` parameter's name.
pub(super) fn secret_without_client_id(name: Span) -> Finding {
    Finding::new(
        &SECRET_WITHOUT_CLIENT_ID,
        "`client_secret` is in the body but nothing says which client it belongs to: \
         client_secret_post requires `client_id` next to it",
    )
    .field(SECRET)
    .label(name, "secret without client_id")
    .help(
        "add client_id=<your client ID> to the body, or better, send both in the \
         Authorization: Basic header (`clientId` and `clientSecret`)",
    )
}

/// `secret`: the `clientSecret` value (masked in every display);
/// `body_id`: the body's `client_id`, when it has one.
pub(super) fn basic_secret_without_client_id(secret: Span, body_id: Option<Span>) -> Finding {
    let (message, severity) = match body_id {
        None => (
            "`clientSecret` is given without `clientId`: an Authorization: Basic header always \
             carries both (client ID, a colon, the secret), and no client_id in the body says \
             whose secret it is, so the client cannot be authenticated (invalid_client)",
            Severity::Error,
        ),
        Some(_) => (
            "`clientSecret` is given without `clientId`: an Authorization: Basic header always \
             carries both, so the request lost the header's client ID on the way; the secret \
             may end up checked against the body's client_id, or not at all",
            Severity::Warning,
        ),
    };
    let mut f = Finding::new(&SECRET_WITHOUT_CLIENT_ID, message)
        .severity(severity)
        .field("clientSecret")
        .label(secret, "a secret without its client ID");
    if let Some(id) = body_id {
        f = f.label(id, "the body's client_id");
    }
    f.help(
        "set `clientId` to the user-id half of the Basic header (decode the header: \
         client_id:client_secret, each form-encoded), next to `clientSecret`",
    )
}

pub(super) fn secret_in_body(name: Span) -> Finding {
    Finding::new(
        &SECRET_IN_BODY,
        "the client secret is sent in the body (client_secret_post); RFC 6749 §2.3.1 says this \
         is NOT RECOMMENDED",
    )
    .field(SECRET)
    .label(name, "client_secret in the form body")
    .help(
        "prefer HTTP Basic (`clientId` + `clientSecret`, client_secret_basic), or a key-based \
         method such as private_key_jwt; the client's registered token_endpoint_auth_method \
         must change with it",
    )
}

/// The type, form-encoded as it goes in the body.
fn jwt_bearer_encoded() -> String {
    JWT_BEARER.replace(':', "%3A")
}

/// `name`: the `client_assertion` parameter's name.
pub(super) fn assertion_type_missing(name: Span) -> Finding {
    Finding::new(
        &ASSERTION_TYPE_MISSING,
        "`client_assertion` is sent without `client_assertion_type`, which RFC 7521 §4.2 \
         requires next to it",
    )
    .field(ASSERTION)
    .label(name, "no client_assertion_type for this")
    .help(format!(
        "add client_assertion_type={}",
        jwt_bearer_encoded()
    ))
}

/// `ty`: the `client_assertion_type` pair; `empty`: an empty `client_assertion`.
pub(super) fn assertion_missing(ty: Span, empty: Option<Span>) -> Finding {
    let mut f = Finding::new(
        &ASSERTION_MISSING,
        "`client_assertion_type` is sent but there is no `client_assertion`: the type announces \
         a JWT that is not there",
    )
    .field(ASSERTION_TYPE)
    .label(ty, "announces a client assertion");
    if let Some(empty) = empty {
        f = f.label(empty, "empty client_assertion");
    }
    f.help(
        "add client_assertion=<the signed JWT>, or remove client_assertion_type if the client \
         authenticates another way",
    )
}

/// What a [`TypeMistake`] is, how to fix it, and which bytes to underline.
struct MistakeProse {
    detail: &'static str,
    help: String,
    labels: Vec<(Range<usize>, &'static str)>,
}

fn mistake_prose(mistake: &TypeMistake) -> MistakeProse {
    let encoded = jwt_bearer_encoded();
    let (detail, help, labels) = match mistake {
        TypeMistake::Whitespace(ranges) => (
            "the right URN with whitespace around it",
            "remove the whitespace: servers compare the URN exactly (a `+` in the form body also \
             decodes to a space)"
                .to_owned(),
            ranges.iter().map(|r| (r.clone(), "whitespace")).collect(),
        ),
        TypeMistake::DoubleEncoded => (
            "percent-encoded twice",
            format!("encode the value once: client_assertion_type={encoded}"),
            vec![],
        ),
        TypeMistake::GrantType(r) => (
            "the jwt-bearer *grant type* URN (RFC 7523 §2.1), not the client assertion type",
            format!("use the client assertion type: client_assertion_type={encoded}"),
            vec![(
                r.clone(),
                "`grant-type` here; `client-assertion-type` expected",
            )],
        ),
        TypeMistake::Saml => (
            "the SAML 2.0 assertion type (RFC 7522), which Authlete does not support for client \
             authentication",
            format!(
                "authenticate with a signed JWT (private_key_jwt or client_secret_jwt) and \
                 client_assertion_type={encoded}"
            ),
            vec![],
        ),
        TypeMistake::ShortForm => (
            "a short name, not the URN",
            format!("give the full URN: client_assertion_type={encoded}"),
            vec![],
        ),
        TypeMistake::Case(r) => (
            "the right URN in the wrong letter case",
            format!(
                "servers compare it exactly (node-oidc-provider, Spring): use \
                 client_assertion_type={encoded}"
            ),
            vec![(r.clone(), "case differs")],
        ),
        TypeMistake::Typo(r) => (
            "a misspelling of the jwt-bearer URN",
            format!("use client_assertion_type={encoded}"),
            vec![(r.clone(), "differs here")],
        ),
        TypeMistake::Other => (
            "not a client assertion type Authlete knows",
            format!(
                "RFC 7523 §2.2 defines one value for JWT client assertions: \
                 client_assertion_type={encoded}"
            ),
            vec![],
        ),
    };
    MistakeProse {
        detail,
        help,
        labels,
    }
}

/// `value`: the type as sent, `whole` its span, `span` maps a byte range
/// of it to the source.
pub(super) fn assertion_type_invalid(
    value: &str,
    mistake: &TypeMistake,
    whole: Span,
    span: impl Fn(Range<usize>) -> Span,
) -> Finding {
    let prose = mistake_prose(mistake);
    let mut f = Finding::new(
        &ASSERTION_TYPE_INVALID,
        format!(
            "`client_assertion_type` is {value:?}: {}; it must be `{JWT_BEARER}`",
            prose.detail
        ),
    )
    .field(ASSERTION_TYPE);
    if prose.labels.is_empty() {
        f = f.label(whole, "expected urn:…:client-assertion-type:jwt-bearer");
    }
    for (r, text) in prose.labels {
        f = f.label(span(r), text);
    }
    f.help(prose.help)
}

/// `span`: where the parse failed.
pub(super) fn assertion_malformed(e: &CompactError, why: Malformation, span: Span) -> Finding {
    let (message, label, help) = match why {
        Malformation::Jwe => (
            "`client_assertion` has 5 parts: it is an encrypted JWT (JWE), not a signed one; \
             RFC 7523 client authentication verifies a signature (node-oidc-provider: \
             \"invalid client_assertion format\")"
                .to_owned(),
            "a JWE (5 parts)".to_owned(),
            "send the signed JWT (JWS, 3 parts) itself, not an encrypted one",
        ),
        why => (
            format!(
                "`client_assertion` is not a single compact JWS: {}",
                e.describe()
            ),
            match why {
                Malformation::PlusSpace => "`+` here decodes to a space".to_owned(),
                _ => short_label(e),
            },
            malformed_help(why),
        ),
    };
    Finding::new(&ASSERTION_MALFORMED, message)
        .field(ASSERTION)
        .label(span, label)
        .help(help)
}

fn malformed_help(why: Malformation) -> &'static str {
    match why {
        Malformation::PlusSpace => {
            "a raw `+` in the form body decodes to a space (RFC 6749 Appendix B): the JWT was \
             encoded with standard base64; use base64url (`-` and `_`, no padding)"
        }
        Malformation::BearerPrefix => {
            "remove the `Bearer ` prefix: the parameter carries the JWT alone"
        }
        Malformation::Quoted => "remove the quotes around the JWT",
        Malformation::Jwe | Malformation::Other => {
            "send exactly one compact JWS: \
             base64url(header).base64url(claims).base64url(signature), \
             with no padding, whitespace or line breaks"
        }
    }
}

fn short_label(e: &CompactError) -> String {
    match e {
        CompactError::Empty => "empty".into(),
        CompactError::PartCount { count } => format!("{count} part(s), 3 expected"),
        CompactError::EmptyPart { part, .. } => format!("empty {}", part.as_str()),
        CompactError::Base64 { part, problem, .. } => match problem {
            B64Problem::Padding { .. } => "`=` padding".into(),
            B64Problem::StandardAlphabet { ch, .. } => format!("{ch:?} is standard base64"),
            B64Problem::BadChar { ch, .. } => format!("{ch:?} not base64url"),
            B64Problem::Length => format!("bad {} length", part.as_str()),
            B64Problem::NonCanonical => "non-canonical base64url".into(),
        },
        CompactError::NotUtf8 { part, .. } => format!("{} is not UTF-8", part.as_str()),
        CompactError::NotJson { part, .. } => format!("{} is not JSON", part.as_str()),
        CompactError::NotObject { part, found, .. } => format!("{} is {found}", part.as_str()),
    }
}
