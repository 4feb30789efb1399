//! The PoP's claims: `aud` (the issuer, alone), a `jti`, a recent `iat`,
//! and the server's `challenge` when it issued one.

use serde_json::Value as J;

use super::pop_diags as diags;
use crate::lint::view::jwt::{Jwt, TimeProblem};
use crate::lint::{Context, Sink};

crate::lint::declare_rules! {
    area: Attestation;
    POP_CLAIMS = "attestation/pop-claims", Error,
        "draft-ietf-oauth-attestation-based-client-auth-10 §5.1",
        "The PoP lacks `aud`, `jti` or `iat`, or one has the wrong type";
    POP_AUD = "attestation/pop-aud", Error,
        "draft-ietf-oauth-attestation-based-client-auth-10 §5.1, §6.2",
        "The PoP's `aud` is not the authorization server's issuer identifier alone";
    POP_IAT = "attestation/pop-iat", Error,
        "draft-ietf-oauth-attestation-based-client-auth-10 §6.2, §12.1",
        "The PoP's `iat` is outside the acceptance window";
    POP_CHALLENGE = "attestation/pop-challenge", Error,
        "draft-ietf-oauth-attestation-based-client-auth-10 §6.2, §7",
        "The PoP's `challenge` is missing or is not the server's challenge";
    POP_EXP_NBF = "attestation/pop-exp-nbf", Error,
        "draft-ietf-oauth-attestation-based-client-auth-10 §5.1; RFC 7519 §4.1.4, §4.1.5",
        "The PoP's `exp` has passed, or its `nbf` is in the future, or one is not a number";
}

/// How old a PoP may be (node-oidc-provider's challenge and jti window).
pub(super) const POP_MAX_AGE: i64 = 300;
/// How far in the future a PoP `iat` may be (clock skew).
pub(super) const POP_MAX_SKEW: i64 = 60;

/// A required claim that is missing or of the wrong type.
pub(super) enum ClaimProblem {
    AudMissing,
    AudNotString,
    JtiMissing,
    JtiNotString,
    IatMissing,
    IatNotNumber,
}

/// Why an `aud` string is not the issuer, when it can be told.
pub(super) enum AudHint {
    TrailingSlash,
    EndpointUrl,
    None,
}

pub(super) fn check(cx: &Context, pop: &Jwt, sink: &mut Sink) {
    let aud = pop.claims().get("aud").map(|v| v.to_json());
    let iat = pop.time("iat");
    let problems = claim_problems(pop, aud.as_ref(), iat);
    if !problems.is_empty() {
        sink.push(diags::pop_claims(pop, &problems));
    }
    if let Some(aud) = &aud {
        check_aud(cx, pop, aud, sink);
    }
    if let Some(Ok(iat)) = iat {
        let now = cx.settings.now;
        let age = now.saturating_sub(iat);
        if age > POP_MAX_AGE || -age > POP_MAX_SKEW {
            sink.push(diags::pop_iat(pop, iat, now));
        }
    }
    check_exp_nbf(cx, pop, sink);
    if let Some(want) = &cx.settings.attestation_challenge {
        let got = pop.claims().get_str("challenge");
        if got != Some(want.as_str()) {
            sink.push(diags::pop_challenge(pop, got, want));
        }
    }
}

/// `exp` and `nbf` are optional in a PoP, but when present they bind the
/// server, verified signature or not. (`iat` has its window: `pop-iat`.)
fn check_exp_nbf(cx: &Context, pop: &Jwt, sink: &mut Sink) {
    let now = cx.settings.now;
    let exp = pop.exp_problem(now, false);
    let nbf: Vec<TimeProblem> = pop
        .iat_nbf_problems(now)
        .into_iter()
        .filter(|p| {
            matches!(
                p,
                TimeProblem::NotNumber("nbf") | TimeProblem::Future { claim: "nbf", .. }
            )
        })
        .collect();
    if exp.is_some() || !nbf.is_empty() {
        sink.push(diags::pop_exp_nbf(pop, exp, &nbf));
    }
}

fn claim_problems(pop: &Jwt, aud: Option<&J>, iat: Option<Result<i64, ()>>) -> Vec<ClaimProblem> {
    let mut out = Vec::new();
    match aud {
        None => out.push(ClaimProblem::AudMissing),
        Some(J::String(_)) => {}
        Some(J::Array(a)) if a.iter().all(J::is_string) && !a.is_empty() => {}
        Some(_) => out.push(ClaimProblem::AudNotString),
    }
    match pop.claims().get("jti") {
        None => out.push(ClaimProblem::JtiMissing),
        Some(v) if v.as_str().is_none_or(|t| t.value.is_empty()) => {
            out.push(ClaimProblem::JtiNotString)
        }
        _ => {}
    }
    match iat {
        None => out.push(ClaimProblem::IatMissing),
        Some(Err(())) => out.push(ClaimProblem::IatNotNumber),
        _ => {}
    }
    out
}

fn check_aud(cx: &Context, pop: &Jwt, aud: &J, sink: &mut Sink) {
    match (aud, cx.settings.issuer.as_deref()) {
        (J::Array(a), _) => sink.push(diags::pop_aud_array(pop, a.len())),
        (J::String(s), Some(iss)) if s != iss => {
            let hint = if s.trim_end_matches('/') == iss.trim_end_matches('/') {
                AudHint::TrailingSlash
            } else if s.starts_with(iss) {
                AudHint::EndpointUrl
            } else {
                AudHint::None
            };
            sink.push(diags::pop_aud_not_issuer(pop, s, iss, hint));
        }
        _ => {}
    }
}
