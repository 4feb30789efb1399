//! DPoP combined mode (§5.2, §6.3): an attestation with no PoP, whose
//! possession proof is the DPoP proof, made with the attested key.

use serde_json::Value as J;

use super::pop_diags as diags;
use crate::jose::jwk;
use crate::lint::view::jwt::Jwt;
use crate::lint::{Context, Sink};

crate::lint::declare_rules! {
    area: Attestation;
    COMBINED_MODE = "attestation/combined-mode", Warning,
        "draft-ietf-oauth-attestation-based-client-auth-10 §5.2, §6.3",
        "Attestation with a DPoP proof as its PoP (DPoP combined mode): the server must support \
         attest_jwt_client_auth_dpop";
    COMBINED_KEY_MISMATCH = "attestation/combined-key-mismatch", Error,
        "draft-ietf-oauth-attestation-based-client-auth-10 §6.3",
        "DPoP combined mode, but the DPoP proof's `jwk` is not the attestation's `cnf.jwk`";
}

/// Why the proof's key is not the attested one.
pub(super) enum KeyDifference {
    /// Both keys have thumbprints (the proof's may be unreadable) that differ.
    Thumbprints { proof: Option<String>, cnf: String },
    /// The proof has no `jwk`, or `cnf.jwk` has no thumbprint.
    Unusable,
}

/// The attestation came without a PoP: DPoP combined mode, or nothing
/// proves possession of the attested key.
pub(super) fn check(cx: &Context, att: &Jwt, cnf: Option<&J>, sink: &mut Sink) {
    let proof = cx
        .dpop
        .as_ref()
        .and_then(|d| Some((d, d.jws.as_ref().ok()?)));
    let Some((dpop, jws)) = proof else {
        return sink.push(super::diags::attestation_without_pop(att));
    };
    let Some(cnf) = cnf else { return };
    let proof_span = dpop.span(jws.header.raw.clone());
    let proof_key = jws.header.get("jwk").map(|v| v.to_json());
    let thumbprint = |k: &J| jwk::thumbprint(k).ok();
    let difference = match (&proof_key, thumbprint(cnf)) {
        (Some(d), Some(cnf)) => match thumbprint(d) {
            Some(proof) if proof == cnf => {
                return sink.push(diags::combined_mode(att, proof_span));
            }
            proof => KeyDifference::Thumbprints { proof, cnf },
        },
        _ => KeyDifference::Unusable,
    };
    sink.push(diags::combined_key_mismatch(att, proof_span, &difference));
}
