//! `grant/assertion-*`: the JWT of the JWT bearer grant (RFC 7523 §2.1,
//! §3): its form, the claims the server must find, its times, its audience
//! and its signature. The `jwt/` rules (a `kid` no given key has, `crit`,
//! `b64`, duplicate members, an `aud` nothing is known to compare with) see
//! it too.

use serde_json::Value as J;

use super::assertion_diags as diags;
use crate::jose::compact::{self, CompactError, PartName};
use crate::jose::jwk::{self, AlgKind};
use crate::jose::verify::{self, Verified};
use crate::lint::view::jwt::{ExpProblem, Jwt};
use crate::lint::{Context, Sink};

crate::lint::declare_rules! {
    area: Grant;
    ASSERTION_MALFORMED = "grant/assertion-malformed", Error, "RFC 7523 §2.1, §3",
        "The JWT bearer grant's `assertion` is not a JWT (a compact JWS)";
    ASSERTION_CLAIMS = "grant/assertion-claims", Error, "RFC 7523 §3",
        "The JWT bearer assertion lacks `iss`, `sub`, `aud` or `exp`, or one has the wrong type";
    ASSERTION_AUD = "grant/assertion-aud", Error, "RFC 7523 §3",
        "The JWT bearer assertion's `aud` names neither the issuer nor the token endpoint";
    ASSERTION_TIME = "grant/assertion-time", Error,
        "RFC 7523 §3; RFC 7519 §4.1.4, §4.1.5, §4.1.6",
        "The JWT bearer assertion has expired, or its `nbf` or `iat` is in the future";
    ASSERTION_SIGNATURE = "grant/assertion-signature", Error, "RFC 7523 §3; RFC 8725 §3.1",
        "The JWT bearer assertion is unsigned, or its signature does not verify with the keys given";
    ASSERTION_UNVERIFIED = "grant/assertion-unverified", Info, "RFC 7523 §3",
        "The JWT bearer assertion's signature was not checked (no `--assertion-jwks`)";
}

/// A claim RFC 7523 §3 requires that is missing or of the wrong type.
pub(super) struct ClaimProblem {
    pub claim: &'static str,
    /// What it must be.
    pub expected: &'static str,
    /// `None`: missing; else the JSON kind it has.
    pub found: Option<&'static str>,
}

/// Why the signature is not good.
pub(super) enum SignatureProblem<'a> {
    /// No `alg`, or `none`: RFC 7523 §3 requires a signature or a MAC.
    Unsigned(Option<&'a str>),
    Unregistered(&'a str),
    /// It does not verify with the key set given.
    Invalid(String),
}

pub(super) fn check(cx: &Context, sink: &mut Sink) {
    // Another grant, no assertion, or over the JWS limit (input/ says so).
    let Some(view) = cx.grant_assertion() else {
        return;
    };
    let a = match view.jws {
        Ok(_) => view.parsed(),
        // RFC 7523 §3 lets the JWT be encrypted (a nested JWT): nothing in it
        // can be read offline, and saying so is better than silence.
        Err(CompactError::PartCount { count: 5 }) => {
            return sink.push(diags::encrypted(view.whole_span()));
        }
        // `alg: none` with the empty signature it calls for.
        Err(CompactError::EmptyPart {
            part: PartName::Signature,
            raw,
        }) if unsigned_header(view.value()) => {
            let alg = Some("none");
            return sink.push(diags::signature(
                &SignatureProblem::Unsigned(alg),
                view.span(raw.clone()),
            ));
        }
        Err(e) => {
            let raw = e.raw(view.value().len());
            let span = if raw.len() >= view.value().len() {
                view.whole_span()
            } else {
                view.span(raw)
            };
            return sink.push(diags::malformed(e, span));
        }
    };
    let Some(a) = a else {
        return;
    };
    let problems = claim_problems(&a);
    if !problems.is_empty() {
        sink.push(diags::claims(&problems, a.payload_span()));
    }
    check_aud(cx, &a, sink);
    check_times(cx, &a, sink);
    check_signature(cx, &a, sink);
}

/// Whether the header part of `compact` decodes to a JSON object whose
/// `alg` is `none` (in any case).
fn unsigned_header(compact: &str) -> bool {
    let header = compact.split('.').next().unwrap_or_default();
    let json = compact::decode_b64url(header)
        .ok()
        .and_then(|b| serde_json::from_slice::<J>(&b).ok());
    json.as_ref()
        .and_then(|h| h.get("alg"))
        .and_then(J::as_str)
        .is_some_and(|a| a.eq_ignore_ascii_case("none"))
}

fn claim_problems(a: &Jwt) -> Vec<ClaimProblem> {
    let claims = a.claims();
    let mut out = Vec::new();
    for claim in ["iss", "sub"] {
        let v = claims.get(claim);
        if v.is_none_or(|v| v.as_str().is_none_or(|t| t.value.is_empty())) {
            out.push(ClaimProblem {
                claim,
                expected: "a non-empty string",
                found: v.map(|v| v.kind()),
            });
        }
    }
    let aud = claims.get("aud");
    let aud_ok = aud.is_some_and(|v| !aud_values(&v.to_json()).is_empty());
    if !aud_ok {
        out.push(ClaimProblem {
            claim: "aud",
            expected: "a string or an array of strings",
            found: aud.map(|v| v.kind()),
        });
    }
    let exp = claims.get("exp");
    if exp.is_none_or(|v| v.as_f64().is_none()) {
        out.push(ClaimProblem {
            claim: "exp",
            expected: "a NumericDate (seconds)",
            found: exp.map(|v| v.kind()),
        });
    }
    out
}

/// The audiences of an `aud` value: empty when it is neither a string nor
/// an array holding one.
fn aud_values(aud: &J) -> Vec<String> {
    match aud {
        J::String(s) => vec![s.clone()],
        J::Array(v) => v
            .iter()
            .filter_map(|x| x.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    }
}

/// RFC 7523 §3: the audience identifies the authorization server; the token
/// endpoint URL may be used. Unknown both, `jwt/aud-unchecked` says so.
fn check_aud(cx: &Context, a: &Jwt, sink: &mut Sink) {
    let Some(aud) = a.claims().get("aud") else {
        return;
    };
    let values = aud_values(&aud.to_json());
    let issuer = cx.settings.issuer.as_deref();
    let endpoint = cx.settings.token_endpoint.as_deref();
    let accepted: Vec<&str> = issuer.into_iter().chain(endpoint).collect();
    if values.is_empty() || accepted.is_empty() {
        return;
    }
    if !values.iter().any(|v| accepted.contains(&v.as_str())) {
        sink.push(diags::aud_mismatch(&values, &accepted, a.payload_span()));
    }
}

fn check_times(cx: &Context, a: &Jwt, sink: &mut Sink) {
    let now = cx.settings.now;
    // A missing or non-numeric `exp` is assertion-claims.
    let expired = match a.exp_problem(now, false) {
        Some(ExpProblem::Expired { exp, now }) => Some((exp, now)),
        _ => None,
    };
    let others = a.iat_nbf_problems(now);
    if expired.is_some() || !others.is_empty() {
        sink.push(diags::times(expired, &others, a.payload_span()));
    }
}

fn check_signature(cx: &Context, a: &Jwt, sink: &mut Sink) {
    let name = a.header().get_str("alg");
    let alg = name.and_then(jwk::find_alg);
    let problem = match (name, alg) {
        (None, _) => Some(SignatureProblem::Unsigned(None)),
        (Some(n), Some(alg)) if alg.kind == AlgKind::None => {
            Some(SignatureProblem::Unsigned(Some(n)))
        }
        (Some(n), None) => Some(SignatureProblem::Unregistered(n)),
        (Some(_), Some(_)) => None,
    };
    if let Some(p) = problem {
        return sink.push(diags::signature(&p, a.sig_span()));
    }
    let Some(jwks) = cx.settings.assertion_jwks.as_ref() else {
        return sink.push(diags::unverified(name.unwrap_or_default()));
    };
    match verify::with_jwks(a.value(), a.jws, jwks) {
        // jwt/kid-unknown says it.
        Verified::Valid { .. } | Verified::UnknownKid { .. } => {}
        Verified::Invalid { reason } | Verified::NoKey { reason } => {
            let p = SignatureProblem::Invalid(reason);
            sink.push(diags::signature(&p, a.sig_span()));
        }
    }
}
