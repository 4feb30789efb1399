//! The attestation's claims: whose it is (`sub`), until when (`exp`), and
//! the client instance's key (`cnf.jwk`); and a draft-07 PoP `iss` that
//! must name the same client.

use serde_json::Value as J;

use super::diags;
use crate::jose::jwk::{self, KeyError};
use crate::jose::verify;
use crate::lint::view::jwt::{ExpProblem, Jwt};
use crate::lint::{Context, Sink};

crate::lint::declare_rules! {
    area: Attestation;
    SUB_MISMATCH = "attestation/sub-mismatch", Error,
        "draft-ietf-oauth-attestation-based-client-auth-10 §4, §6.4",
        "The attestation's `sub` is missing or is not the request's client ID";
    EXP = "attestation/exp", Error,
        "draft-ietf-oauth-attestation-based-client-auth-10 §4; RFC 7519 §4.1.4",
        "The attestation's `exp` is missing or has passed";
    CNF_JWK = "attestation/cnf-jwk", Error,
        "draft-ietf-oauth-attestation-based-client-auth-10 §4, §6.1; RFC 7800 §3.2; RFC 7517 §4.3",
        "The attestation's `cnf.jwk` is missing, malformed, holds a private key, or is no \
         valid key to verify the PoP with";
    LEGACY_ISS = "attestation/legacy-iss", Warning,
        "draft-ietf-oauth-attestation-based-client-auth-07 §4.2",
        "The PoP carries an `iss` that is not the client ID, which servers of draft 07 and \
         earlier reject";
    IAT_NBF = "attestation/iat-nbf", Error,
        "draft-ietf-oauth-attestation-based-client-auth-10 §4; RFC 7519 §4.1.5, §4.1.6",
        "The attestation's `nbf` or `iat` is in the future or not a number";
}

/// Why `cnf` gives the server no key to check the PoP with.
pub(super) enum CnfProblem {
    NoCnf,
    /// A thumbprint (`jkt`) where the key itself is needed.
    JktOnly,
    NoJwk,
    /// The names of the private-key members present.
    Private(Vec<&'static str>),
    NoKty,
    NotObject,
    /// `use` is not "sig", or `key_ops` lacks "verify": the key says it is
    /// not for checking the PoP's signature (RFC 7517 §4.2, §4.3).
    NotForVerifying(String),
    /// Not a valid public key (a weak RSA exponent or modulus, a point off
    /// its curve, a member that does not decode).
    Invalid(String),
}

pub(super) fn check(cx: &Context, att: &Jwt, sink: &mut Sink) {
    match (att.claims().get_str("sub"), cx.client_id()) {
        (None, _) => sink.push(diags::sub_missing(att)),
        (Some(sub), Some(id)) if sub != id => sink.push(diags::sub_mismatch(att, sub, id)),
        _ => {}
    }
    // The claims count whether or not the signature could be checked.
    let now = cx.settings.now;
    match att.exp_problem(now, true) {
        Some(ExpProblem::Missing) => sink.push(diags::exp_missing(att)),
        Some(ExpProblem::NotNumber) => sink.push(diags::exp_not_number(att)),
        Some(ExpProblem::Expired { exp, now }) => sink.push(diags::expired(att, exp, now)),
        None => {}
    }
    let problems = att.iat_nbf_problems(now);
    if !problems.is_empty() {
        sink.push(diags::iat_nbf(att, &problems));
    }
    if let Some(p) = cnf_problem(att) {
        sink.push(diags::cnf_jwk(att, &p));
    }
}

fn cnf_problem(att: &Jwt) -> Option<CnfProblem> {
    let Some(cnf) = att.claims().get("cnf") else {
        return Some(CnfProblem::NoCnf);
    };
    let Some(key) = cnf.get("jwk").map(|m| m.value.to_json()) else {
        return Some(match cnf.get("jkt") {
            Some(_) => CnfProblem::JktOnly,
            None => CnfProblem::NoJwk,
        });
    };
    let J::Object(ref o) = key else {
        return Some(CnfProblem::NotObject);
    };
    let private: Vec<&str> = jwk::PRIVATE_MEMBERS
        .iter()
        .copied()
        .filter(|m| o.contains_key(*m))
        .collect();
    if !private.is_empty() {
        return Some(CnfProblem::Private(private));
    }
    if !o.get("kty").is_some_and(J::is_string) {
        return Some(CnfProblem::NoKty);
    }
    if let Some(why) = verify::unusable_for_verifying(&key) {
        return Some(CnfProblem::NotForVerifying(why));
    }
    // Read the key as a server would to check the PoP with it: the same
    // validation as a DPoP `jwk` or a key of --client-jwks.
    let alg = jwk::signing_alg_for(&key)?;
    match jwk::public_key(&key, alg) {
        Err(e @ (KeyError::Member { .. } | KeyError::Invalid { .. })) => {
            Some(CnfProblem::Invalid(e.describe()))
        }
        _ => None,
    }
}

/// Draft 07 and earlier: the PoP's `iss` is the client_id (= the
/// attestation's `sub`). Draft 08 removed it.
pub(super) fn check_legacy_iss(att: &Jwt, pop: &Jwt, sink: &mut Sink) {
    let iss = pop.claims().get_str("iss");
    let sub = att.claims().get_str("sub");
    if let (Some(iss), Some(sub)) = (iss, sub) {
        if iss != sub {
            sink.push(diags::legacy_iss(pop, iss, sub));
        }
    }
}
