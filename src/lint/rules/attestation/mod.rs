//! `attestation/`: OAuth 2.0 Attestation-Based Client Authentication
//! (draft-ietf-oauth-attestation-based-client-auth-10): the
//! `OAuth-Client-Attestation` JWT (`oauthClientAttestation`), its PoP
//! (`oauthClientAttestationPop`) and the DPoP combined mode.
//!
//! By concern: `header.rs` (both headers present, compact, typed, signed
//! with a usable `alg`), `claims.rs` (the attestation's `sub`, `exp`,
//! `cnf`), `keys.rs` (who signed what), `pop.rs` (the PoP's claims),
//! `combined.rs` (a DPoP proof in place of the PoP). The prose of every
//! finding is in `diags.rs` and `pop_diags.rs`.

mod claims;
mod combined;
mod diags;
mod header;
mod keys;
mod pop;
mod pop_diags;

use crate::lint::{Context, Sink};

/// The `Attestation` area: its rules and the check that runs them.
pub static AREA: crate::lint::rules::AreaRules = crate::lint::rules::AreaRules {
    hooks: crate::lint::rules::Hooks::NONE,
    area: crate::lint::Area::Attestation,
    rules: &[
        header::RULES,
        claims::RULES,
        keys::RULES,
        pop::RULES,
        combined::RULES,
    ],
    check,
};

/// The area's checks, in the order their findings are pushed.
fn check(cx: &Context, sink: &mut Sink) {
    let (att, pop) = (cx.attestation(), cx.attestation_pop());
    header::check_compact(att, pop, sink);
    let Some(att) = att else {
        header::check_pop_alone(pop, sink);
        return;
    };
    let Some(att) = att.parsed() else { return };
    header::check_attestation(&att, sink);
    claims::check(cx, &att, sink);
    keys::check_attestation(cx, &att, sink);
    let cnf = keys::cnf_jwk(&att);
    let Some(pop) = pop else {
        combined::check(cx, &att, cnf.as_ref(), sink);
        return;
    };
    if let Some(pop) = pop.parsed() {
        header::check_pop(&pop, sink);
        keys::check_pop(&pop, cnf.as_ref(), sink);
        pop::check(cx, &pop, sink);
        claims::check_legacy_iss(&att, &pop, sink);
    }
}

#[cfg(test)]
mod tests {
    use super::claims::{CNF_JWK, EXP, SUB_MISMATCH};
    use super::header::TYP;
    use super::keys::POP_SIGNATURE;
    use super::pop::{POP_AUD, POP_CHALLENGE, POP_IAT};
    use serde_json::json;

    // draft-ietf-oauth-attestation-based-client-auth-10, the examples.
    pub(super) const ABCA10_ATTESTATION: &str = "eyJ0eXAiOiJvYXV0aC1jbGllbnQtYXR0ZXN0YXRpb24rand0I\
        iwiYWxnIjoiRVMyNTYiLCJraWQiOiIxMSJ9.eyJzdWIiOiJodHRwczovL2NsaWVudC5leGFtcGxlLmNvbSIsImlhd\
        CI6MTc3MjQ4NzU5NSwiZXhwIjoyNTI5ODY2Mzk0LCJjbmYiOnsiandrIjp7Imt0eSI6IkVDIiwidXNlIjoic2lnIi\
        wiY3J2IjoiUC0yNTYiLCJ4IjoiVmNLVk5CWjRJYUJBWVczanhNNHczVEpGVkE3bXllVUdReUd0LWdfeXZwUSIsInk\
        iOiJmLUUtaFlFM1RBV0t3aFZ2OXBlajlOQUJzOVNYOVhzTk84MHg1N2pGVHlVIn19fQ._TS4d-LAnRlwdN97wiVnl\
        4z7C9gvm45IWr-BvGTzeZaHtZtgNZ88gvzroU3LElUPbgF4kWi_DFORnKzsx5yu6A";
    pub(super) const ABCA10_POP_AS: &str = "eyJ0eXAiOiJvYXV0aC1jbGllbnQtYXR0ZXN0YXRpb24tcG9wK2p3dC\
        IsImFsZyI6IkVTMjU2In0.eyJhdWQiOiJodHRwczovL2FzLmV4YW1wbGUuY29tIiwianRpIjoiZDI1ZDAwYWItNTU\
        yYi00NmZjLWFlMTktOThmNDQwZjI1MDY0IiwiaWF0IjoxNzcyNDg3NTk1LCJjaGFsbGVuZ2UiOiI1YzFhOWUxMC0y\
        OWZmLTRjMmItYWU3My01N2MwOTU3YzA5YzQifQ.M4Uc4rWVAqaLlmDDUXQKkKPbAQKj0JrTizLgWhZndmbkvM3VL8\
        y-w_QJr7Z0HZlH94E64cLa8L5fSjJItYv0jg";
    pub(super) const ABCA10_POP_RS: &str = "eyJ0eXAiOiJvYXV0aC1jbGllbnQtYXR0ZXN0YXRpb24tcG9wK2p3dC\
        IsImFsZyI6IkVTMjU2In0.eyJhdWQiOiJodHRwczovL3JzLmV4YW1wbGUuY29tIiwianRpIjoiZDI1ZDAwYWItNTU\
        yYi00NmZjLWFlMTktOThmNDQwZjI1MDY0IiwiaWF0IjoxNzcyNDg3NTk1LCJjaGFsbGVuZ2UiOiI1YzFhOWUxMC0y\
        OWZmLTRjMmItYWU3My01N2MwOTU3YzA5YzQifQ.Uh-vRynTGGARZNqijGyovBMm_EsX5qu0fg0VGPVRsp1rJdF7rE\
        lbZcEv0CAtzm5kXhjSXHYGxEVb0I7HIeUFRg";

    fn lint(body: serde_json::Value, settings: crate::lint::Settings) -> Vec<&'static str> {
        let loaded = crate::request::fixture::load_str("t.json", &body.to_string());
        let r = crate::lint::lint(&loaded, &settings);
        r.findings.iter().map(|f| f.rule.id).collect()
    }

    /// A request with the draft's attestation and `pop`.
    fn request(parameters: &str, pop: &str) -> serde_json::Value {
        json!({"parameters": parameters,
            "oauthClientAttestation": ABCA10_ATTESTATION, "oauthClientAttestationPop": pop})
    }

    #[test]
    fn abca10_examples_pass_at_their_time_and_negatives_are_caught() {
        let mut s = crate::lint::Settings::with_now(1_772_487_600);
        s.issuer = Some("https://as.example.com".into());
        s.attestation_challenge = Some("5c1a9e10-29ff-4c2b-ae73-57c0957c09c4".into());
        let code = "grant_type=authorization_code&code=n0esc3NRze7LTCu7iYzS6a5acc3f0ogp4";
        let ids = lint(request(code, ABCA10_POP_AS), s.clone());
        for bad in [
            POP_SIGNATURE.id,
            POP_AUD.id,
            POP_IAT.id,
            POP_CHALLENGE.id,
            TYP.id,
            EXP.id,
            SUB_MISMATCH.id,
            CNF_JWK.id,
        ] {
            assert!(!ids.contains(&bad), "{bad} in {ids:?}");
        }
        // The resource-server PoP presented to the AS: wrong audience.
        let code = "grant_type=authorization_code&code=x";
        assert!(lint(request(code, ABCA10_POP_RS), s.clone()).contains(&POP_AUD.id));
        // The PAR example: client_id s6BhdRkqt3, attestation sub https://client.example.com.
        let par = "response_type=code&client_id=s6BhdRkqt3&client_secret=7Fjfp0ZBr1KtDRbnfVdmIw";
        assert!(lint(request(par, ABCA10_POP_AS), s.clone()).contains(&SUB_MISMATCH.id));
        // At 2026-01-01 the PoP's iat (2026-03-02) is in the future.
        let mut early = s.clone();
        early.now = 1_767_225_600;
        assert!(lint(request(code, ABCA10_POP_AS), early).contains(&POP_IAT.id));
    }
}
