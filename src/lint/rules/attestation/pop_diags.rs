//! The prose of the findings about the PoP's claims (`pop.rs`) and DPoP
//! combined mode (`combined.rs`): one constructor per kind of finding.

use std::fmt;

use super::combined::{KeyDifference, COMBINED_KEY_MISMATCH, COMBINED_MODE};
use super::diags::{on, ATTESTATION};
use super::pop::{AudHint, ClaimProblem, POP_AUD, POP_CHALLENGE, POP_CLAIMS, POP_EXP_NBF, POP_IAT};
use super::pop::{POP_MAX_AGE, POP_MAX_SKEW};
use crate::clock::format_rfc3339;
use crate::lint::rules::jwt::millis_note;
use crate::lint::view::jwt::{ExpProblem, Jwt, TimeProblem};
use crate::lint::Finding;
use crate::span::Span;

impl fmt::Display for ClaimProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ClaimProblem::AudMissing => "`aud` is missing",
            ClaimProblem::AudNotString => "`aud` is not a string",
            ClaimProblem::JtiMissing => "`jti` is missing",
            ClaimProblem::JtiNotString => "`jti` is not a non-empty string",
            ClaimProblem::IatMissing => "`iat` is missing",
            ClaimProblem::IatNotNumber => "`iat` is not a number",
        })
    }
}

pub(super) fn pop_claims(pop: &Jwt, problems: &[ClaimProblem]) -> Finding {
    let problems: Vec<String> = problems.iter().map(ToString::to_string).collect();
    on(
        pop,
        &POP_CLAIMS,
        format!(
            "the PoP's required claims are wrong: {}",
            problems.join("; ")
        ),
    )
    .label(pop.payload_span(), "aud, jti and iat are REQUIRED")
    .help("a PoP carries aud (the AS issuer identifier), a fresh unique jti and iat")
}

/// `n`: how many audiences.
pub(super) fn pop_aud_array(pop: &Jwt, n: usize) -> Finding {
    on(
        pop,
        &POP_AUD,
        format!(
            "the PoP's `aud` is an array of {n}: a PoP is for a single audience, and \
             node-oidc-provider requires a string"
        ),
    )
    .label(pop.payload_span(), "aud")
    .help("set `aud` to the authorization server's issuer identifier, as a string")
}

pub(super) fn pop_aud_not_issuer(pop: &Jwt, aud: &str, issuer: &str, hint: AudHint) -> Finding {
    let hint = match hint {
        AudHint::TrailingSlash => {
            " (they differ only in a trailing slash; issuers are compared exactly)"
        }
        AudHint::EndpointUrl => {
            " (that looks like an endpoint URL: the draft requires the issuer identifier itself)"
        }
        AudHint::None => "",
    };
    on(
        pop,
        &POP_AUD,
        format!("the PoP's `aud` is `{aud}`, not the issuer `{issuer}`{hint}"),
    )
    .label(pop.payload_span(), "aud")
    .help(format!(
        "set `aud` to `{issuer}`, the issuer identifier from the AS metadata (RFC 8414)"
    ))
}

/// `now`: the check time.
pub(super) fn pop_iat(pop: &Jwt, iat: i64, now: i64) -> Finding {
    let age = now.saturating_sub(iat);
    let when = if age > 0 {
        format!("{age} s before the check time")
    } else {
        format!("{} s after the check time", -age)
    };
    on(
        pop,
        &POP_IAT,
        format!(
            "the PoP was issued at {} ({when} {}); servers accept PoPs from the last \
             {POP_MAX_AGE} s with {POP_MAX_SKEW} s of clock skew{}",
            format_rfc3339(iat),
            format_rfc3339(now),
            millis_note("iat", iat, now)
        ),
    )
    .label(pop.payload_span(), "iat outside the window")
    .help("make a fresh PoP for every request (or pin the clock with --now when linting a capture)")
}

/// `exp`: what is wrong with `exp`, if anything; `nbf`: with `nbf`.
pub(super) fn pop_exp_nbf(pop: &Jwt, exp: Option<ExpProblem>, nbf: &[TimeProblem]) -> Finding {
    let mut problems: Vec<String> = Vec::new();
    match exp {
        Some(ExpProblem::Expired { exp, now }) => problems.push(format!(
            "it expired at {} ({} s before the check time {})",
            format_rfc3339(exp),
            now.saturating_sub(exp),
            format_rfc3339(now)
        )),
        Some(ExpProblem::NotNumber) => problems.push("`exp` is not a number".to_owned()),
        Some(ExpProblem::Missing) | None => {}
    }
    problems.extend(nbf.iter().map(ToString::to_string));
    on(
        pop,
        &POP_EXP_NBF,
        format!(
            "the PoP is not valid at the check time: {} (whether or not its signature was \
             checked, the server reads these claims)",
            problems.join("; ")
        ),
    )
    .label(pop.payload_span(), "exp / nbf")
    .help("make a fresh PoP for every request (or pin the clock with --now when linting a capture)")
}

/// `got`: the PoP's challenge, if any; `want`: the server's.
pub(super) fn pop_challenge(pop: &Jwt, got: Option<&str>, want: &str) -> Finding {
    let message = match got {
        Some(c) => format!(
            "the PoP's `challenge` is `{c}`, not the server's challenge `{want}`: the server \
             answers use_attestation_challenge"
        ),
        None => format!(
            "the PoP has no `challenge`, but the server issued `{want}`: the server answers \
             use_attestation_challenge"
        ),
    };
    on(pop, &POP_CHALLENGE, message)
        .label(pop.payload_span(), "challenge")
        .help(
            "fetch a challenge from the challenge endpoint (or the last \
             OAuth-Client-Attestation-Challenge header) and put it in the PoP's `challenge` claim",
        )
}

/// `proof`: the DPoP proof's header.
pub(super) fn combined_mode(att: &Jwt, proof: Span) -> Finding {
    Finding::new(
        &COMBINED_MODE,
        "the attestation comes with a DPoP proof and no PoP, made with the attested key: this is \
         DPoP combined mode (attest_jwt_client_auth_dpop), which the server must support; \
         node-oidc-provider does not",
    )
    .field(ATTESTATION)
    .label(att.view.whole_span(), "attestation")
    .label(proof, "DPoP proof with cnf.jwk as its jwk")
    .help(
        "check that the server's token_endpoint_auth_methods_supported has \
         attest_jwt_client_auth_dpop (or client_attestation_pop_methods_supported has \
         dpop_combined); otherwise send an OAuth-Client-Attestation-PoP too",
    )
}

/// `proof`: the DPoP proof's header.
pub(super) fn combined_key_mismatch(att: &Jwt, proof: Span, why: &KeyDifference) -> Finding {
    let detail = match why {
        KeyDifference::Thumbprints { proof, cnf } => format!(
            "the proof's key has thumbprint {}, cnf.jwk has {cnf}",
            proof.as_deref().unwrap_or("(unreadable)")
        ),
        KeyDifference::Unusable => "the proof has no usable jwk".to_owned(),
    };
    Finding::new(
        &COMBINED_KEY_MISMATCH,
        format!(
            "the attestation comes with a DPoP proof and no PoP (DPoP combined mode), but the \
             proof's key is not the attested key: {detail}"
        ),
    )
    .field("dpop")
    .label(proof, "a different key")
    .label(att.view.whole_span(), "attestation")
    .help(
        "in combined mode, make the DPoP proof with the client instance key from cnf.jwk; or send \
         a separate OAuth-Client-Attestation-PoP",
    )
}
