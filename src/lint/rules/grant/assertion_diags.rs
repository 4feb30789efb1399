//! The findings of `grant/assertion-*`: the JWT bearer grant's assertion.

use super::assertion::{
    ClaimProblem, SignatureProblem, ASSERTION_AUD, ASSERTION_CLAIMS, ASSERTION_MALFORMED,
    ASSERTION_SIGNATURE, ASSERTION_TIME, ASSERTION_UNVERIFIED,
};
use crate::clock::format_rfc3339;
use crate::jose::compact::CompactError;
use crate::lint::rules::jwt::millis_note;
use crate::lint::view::jwt::TimeProblem;
use crate::lint::Finding;
use crate::span::Span;

const FIELD: &str = "parameters.assertion";

pub(super) fn malformed(e: &CompactError, span: Span) -> Finding {
    Finding::new(
        &ASSERTION_MALFORMED,
        format!(
            "the JWT bearer grant's `assertion` is not a JWT: {}; the server answers \
             invalid_grant (RFC 7523 §3.1)",
            e.describe()
        ),
    )
    .field(FIELD)
    .label(span, "not a compact JWS")
    .help(
        "send the signed JWT itself: base64url(header).base64url(claims).base64url(signature), \
         form-encoded, with no padding, quotes, prefix or line breaks",
    )
}

/// A five-part assertion: a JWE, which RFC 7523 §3 allows (a nested JWT).
pub(super) fn encrypted(span: Span) -> Finding {
    Finding::new(
        &ASSERTION_UNVERIFIED,
        "the JWT bearer assertion is encrypted (a JWE, 5 parts): its claims and signature \
         cannot be checked offline",
    )
    .field(FIELD)
    .label(span, "encrypted")
    .help("lint the signed JWT before it is encrypted to have its claims checked")
}

pub(super) fn claims(problems: &[ClaimProblem], payload: Span) -> Finding {
    let each: Vec<String> = problems
        .iter()
        .map(|p| match p.found {
            None => format!("`{}` is missing", p.claim),
            Some(kind) => format!("`{}` is {kind}, not {}", p.claim, p.expected),
        })
        .collect();
    Finding::new(
        &ASSERTION_CLAIMS,
        format!(
            "the JWT bearer assertion does not carry what RFC 7523 §3 requires: {}; the server \
             answers invalid_grant",
            each.join("; ")
        ),
    )
    .field(FIELD)
    .label(payload, "claims")
    .help(
        "`iss` names who issued the assertion, `sub` the resource owner (or the client itself), \
         `aud` the authorization server (its issuer identifier or token endpoint URL), and \
         `exp` when it expires, in seconds",
    )
}

/// `values`: the `aud` values; `accepted`: the issuer and the token endpoint.
pub(super) fn aud_mismatch(values: &[String], accepted: &[&str], payload: Span) -> Finding {
    Finding::new(
        &ASSERTION_AUD,
        format!(
            "the JWT bearer assertion's `aud` ({}) names neither the issuer nor the token \
             endpoint ({}): the server rejects it (RFC 7523 §3: invalid_grant)",
            values.join(", "),
            accepted.join(", ")
        ),
    )
    .field(FIELD)
    .label(payload, "aud")
    .help(format!(
        "set `aud` to `{}`, the authorization server the assertion is for",
        accepted[0]
    ))
}

/// `expired`: (`exp`, now) when it has passed; `others`: `iat`/`nbf`.
pub(super) fn times(expired: Option<(i64, i64)>, others: &[TimeProblem], payload: Span) -> Finding {
    let mut each: Vec<String> = Vec::new();
    if let Some((exp, now)) = expired {
        each.push(format!(
            "it expired at {} ({} s before the check time {}){}",
            format_rfc3339(exp),
            now.saturating_sub(exp),
            format_rfc3339(now),
            millis_note("exp", exp, now)
        ));
    }
    each.extend(others.iter().map(ToString::to_string));
    Finding::new(
        &ASSERTION_TIME,
        format!(
            "the JWT bearer assertion is not valid at the check time: {}; the server answers \
             invalid_grant whether or not the signature is good",
            each.join("; ")
        ),
    )
    .field(FIELD)
    .label(payload, "exp / iat / nbf")
    .help(
        "have the issuer make a fresh assertion with a short lifetime, from a synchronised \
         clock; pin the clock with --now when linting a capture",
    )
}

pub(super) fn signature(p: &SignatureProblem, signature: Span) -> Finding {
    let message = match p {
        SignatureProblem::Unsigned(alg) => format!(
            "the JWT bearer assertion is not signed (`alg` {}): RFC 7523 §3 requires a \
             signature or a MAC, and an unsigned assertion lets anyone claim any subject",
            alg.map_or_else(|| "missing".to_owned(), |a| format!("{a:?}"))
        ),
        SignatureProblem::Unregistered(alg) => format!(
            "the JWT bearer assertion's `alg` {alg:?} is not a registered JWS algorithm \
             (RFC 7518 §3.1): no server can verify it"
        ),
        SignatureProblem::Invalid(reason) => format!(
            "the JWT bearer assertion's signature does not verify with the keys given \
             (--assertion-jwks): {reason}"
        ),
    };
    Finding::new(&ASSERTION_SIGNATURE, message)
        .field(FIELD)
        .label(signature, "signature")
        .help(
            "sign the assertion with the issuer's key that the authorization server trusts \
             (RS256, ES256 or EdDSA), and put that key's kid in the header",
        )
}

/// Said on every assertion checked without a key, so one line: what to give.
pub(super) fn unverified(alg: &str) -> Finding {
    Finding::new(
        &ASSERTION_UNVERIFIED,
        format!(
            "the JWT bearer assertion's {alg} signature was not checked: no --assertion-jwks \
             FILE given"
        ),
    )
    .field(FIELD)
    .help("--assertion-jwks FILE: the assertion issuer's public JWKS; the claims were checked without it")
}
