//! Who signed what: a client attester the server trusts signed the
//! attestation, and the client instance key it attests (`cnf.jwk`) signed
//! the PoP.

use serde_json::Value as J;

use super::diags;
use crate::jose::verify::{self, Verified};
use crate::lint::view::jwt::Jwt;
use crate::lint::{Context, Sink};

crate::lint::declare_rules! {
    area: Attestation;
    SIGNATURE = "attestation/signature", Error,
        "draft-ietf-oauth-attestation-based-client-auth-10 §6.1",
        "The attestation's signature does not verify with the attester keys given";
    UNVERIFIED = "attestation/unverified", Info,
        "draft-ietf-oauth-attestation-based-client-auth-10 §6.1",
        "The attestation's signature was not checked (no `--attester-jwks`)";
    POP_SIGNATURE = "attestation/pop-signature", Error,
        "draft-ietf-oauth-attestation-based-client-auth-10 §5.1, §6.2",
        "The PoP is not signed by the attestation's `cnf.jwk`";
}

/// The attested key, when `cnf.jwk` is a JSON object (`claims.rs` says
/// what is wrong otherwise).
pub(super) fn cnf_jwk(att: &Jwt) -> Option<J> {
    att.claims()
        .get("cnf")
        .and_then(|c| c.get("jwk"))
        .map(|m| m.value.to_json())
        .filter(J::is_object)
}

pub(super) fn check_attestation(cx: &Context, att: &Jwt, sink: &mut Sink) {
    let Some(jwks) = &cx.settings.attester_jwks else {
        return sink.push(diags::unverified(att));
    };
    if let Verified::Invalid { reason } | Verified::NoKey { reason } =
        verify::with_jwks(att.value(), att.jws, jwks)
    {
        sink.push(diags::signature(att, &reason));
    }
}

pub(super) fn check_pop(pop: &Jwt, cnf: Option<&J>, sink: &mut Sink) {
    let Some(key) = cnf else { return };
    if let Verified::Invalid { reason } | Verified::NoKey { reason } =
        verify::with_jwk(pop.value(), pop.jws, key)
    {
        sink.push(diags::pop_signature(pop, &reason));
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::tests::{ABCA10_ATTESTATION, ABCA10_POP_AS, ABCA10_POP_RS};
    use crate::jose::compact;
    use crate::jose::jwk;
    use crate::jose::verify::{self, Verified};
    use serde_json::Value as J;

    fn cnf() -> J {
        let a = compact::parse(ABCA10_ATTESTATION).unwrap();
        a.payload
            .get("cnf")
            .unwrap()
            .get("jwk")
            .unwrap()
            .value
            .to_json()
    }

    #[test]
    fn abca10_pops_verify_with_cnf_jwk() {
        let key = cnf();
        assert_eq!(
            jwk::thumbprint(&key).unwrap(),
            "Ak20Cf62SpTybasujYXbaI-Ms655MyvOZCtnnf8y1QU"
        );
        for pop in [ABCA10_POP_AS, ABCA10_POP_RS] {
            let j = compact::parse(pop).unwrap();
            assert!(verify::with_jwk(pop, &j, &key).is_valid(), "{pop}");
        }
        // A tampered payload does not.
        let bad = ABCA10_POP_AS.replacen("eyJhdWQi", "eyJhdWQj", 1);
        if let Ok(j) = compact::parse(&bad) {
            assert!(!verify::with_jwk(&bad, &j, &key).is_valid());
        }
    }

    #[test]
    fn abca10_attestation_verifies_with_the_drafts_attester_key() {
        // The "Client Attestation Key" published in the draft repository's README.
        let jwks = json!({"keys": [{"kty": "EC", "crv": "P-256", "kid": "11",
            "x": "EVs_o5-uQbTjL3chynL4wXgUg2R9q9UU8I5mEovUf84",
            "y": "kGe5DgSIycKp8w9aJmoHhB1sB3QTugfnRWm5nU_TzsY"}]});
        let j = compact::parse(ABCA10_ATTESTATION).unwrap();
        let v = verify::with_jwks(ABCA10_ATTESTATION, &j, &jwks);
        assert_eq!(v, Verified::Valid { key: "11".into() });
    }
}
