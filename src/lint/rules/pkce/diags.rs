//! The `pkce/` findings' prose: one constructor per kind of finding, so the
//! checks read as logic.

use super::{
    BadChar, MIN_LEN, VERIFIER_CHARSET, VERIFIER_LENGTH, VERIFIER_LOW_ENTROPY, VERIFIER_UNEXPECTED,
};
use crate::form::Pair;
use crate::lint::rules::grant::table::Grant;
use crate::lint::{Context, Finding};

/// At most this many characters are marked in one finding.
const MAX_MARKED: usize = 8;

pub(super) fn verifier_unexpected(cx: &Context, v: &Pair, grant: &Grant) -> Finding {
    Finding::new(
        &VERIFIER_UNEXPECTED,
        format!(
            "`code_verifier` is sent with grant_type={}, which does not use PKCE; the server \
             ignores it",
            grant.name
        ),
    )
    .field("parameters.code_verifier")
    .label(cx.pair_span(v), "not used by this grant")
    .help(
        "PKCE belongs to the authorization_code grant (RFC 7636 §4.5); remove code_verifier here, \
         or check that the grant_type is the one you meant",
    )
}

/// `n`: the verifier's length in characters.
pub(super) fn verifier_length(cx: &Context, v: &Pair, n: usize) -> Finding {
    let (what, help) = if n < MIN_LEN {
        (
            "too short",
            "generate 32 random octets and base64url-encode them without padding: that gives 43 \
             characters (`tokenlint pkce generate`)",
        )
    } else {
        (
            "too long",
            "use at most 128 characters; 32 to 96 random octets, base64url-encoded without \
             padding, fit",
        )
    };
    Finding::new(
        &VERIFIER_LENGTH,
        format!("`code_verifier` is {n} characters long, {what}: RFC 7636 requires 43 to 128"),
    )
    .field("parameters.code_verifier")
    .label(cx.value_span(v), format!("{n} characters"))
    .help(help)
}

pub(super) fn verifier_charset(cx: &Context, v: &Pair, bad: &[BadChar]) -> Finding {
    // No advice to encode: `%2B` still decodes to a `+`, outside the
    // verifier's alphabet; and a verifier changed after the authorization
    // request no longer matches its code_challenge.
    let help = if bad.iter().any(|b| b.from_plus) {
        "a raw `+` in the form body decodes to a space (RFC 6749 Appendix B), and `+` is outside \
         the verifier's alphabet anyway (%2B does not help): the verifier was made with standard \
         base64. Generate it with base64url (`-` and `_`, no padding; `tokenlint pkce \
         generate`), derive the code_challenge from it, and start a new authorization request \
         with them"
    } else if v.value.ends_with('=') {
        "`=` is base64 padding: RFC 7636 Appendix A encodes the verifier as base64url WITHOUT \
         padding. Generate it without padding (`tokenlint pkce generate`) and derive the \
         code_challenge from the same verifier"
    } else if bad.iter().any(|b| b.ch == '+' || b.ch == '/') {
        "`+` and `/` come from standard base64: generate the verifier with base64url (`-` and \
         `_`) without padding (RFC 7636 Appendix A; `tokenlint pkce generate`), derive the \
         code_challenge from it, and start a new authorization request with them"
    } else {
        "use only the unreserved characters A-Z a-z 0-9 - . _ ~ (for example base64url of random \
         octets)"
    };
    let shown: String = bad
        .iter()
        .map(|b| format!("{:?}", b.ch))
        .collect::<Vec<_>>()
        .join(", ");
    let mut f = Finding::new(
        &VERIFIER_CHARSET,
        format!("`code_verifier` contains characters outside [A-Za-z0-9-._~]: {shown}"),
    )
    .field("parameters.code_verifier")
    .help(help);
    for b in bad.iter().take(MAX_MARKED) {
        let label = if b.from_plus {
            "`+` here decodes to a space".to_owned()
        } else {
            format!("{:?} not allowed", b.ch)
        };
        f = f.label(cx.value_sub_span(v, b.at..b.at + b.ch.len_utf8()), label);
    }
    f
}

/// `distinct` different characters in a verifier of `n`.
pub(super) fn verifier_low_entropy(cx: &Context, v: &Pair, distinct: usize, n: usize) -> Finding {
    Finding::new(
        &VERIFIER_LOW_ENTROPY,
        format!(
            "`code_verifier` uses only {distinct} distinct characters in {n}; a verifier should \
             carry 256 bits of randomness"
        ),
    )
    .field("parameters.code_verifier")
    .label(cx.value_span(v), "not random enough")
    .help(
        "generate it from a cryptographic random source: 32 random octets, base64url-encoded \
         (`tokenlint pkce generate`)",
    )
}
