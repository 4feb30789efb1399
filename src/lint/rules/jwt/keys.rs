//! The keys a JWT is verified with: a `kid` that names none of the key set
//! given for it, and RSA keys with the ROCA fingerprint (the header's `jwk`,
//! an attestation's `cnf.jwk`, or a key of the set given to verify).

use serde_json::Value as J;

use super::diags;
use super::jwts::Jwt;
use crate::jose::{jwk, verify};
use crate::lint::{Context, Sink};

crate::lint::declare_rules! {
    area: Jwt;
    KID_UNKNOWN = "jwt/kid-unknown", Error, "RFC 7515 §4.1.4; RFC 7517 §4.5",
        "A JWT's `kid` names no key of the key set given to verify it";
    ROCA_KEY = "jwt/roca-key", Warning, "RFC 8725 §3.5; CVE-2017-15361",
        "An RSA key has the ROCA fingerprint (Infineon RSALib): its modulus can be factored";
}

/// The key set given to verify the JWT in `field` and the option that gave
/// it: `--client-jwks` for the client assertion, `--attester-jwks` for the
/// attestation, `--assertion-jwks` for a JWT bearer grant's assertion.
pub(super) fn key_set<'c>(cx: &'c Context, field: &str) -> Option<(&'static str, &'c J)> {
    let s = cx.settings;
    match field {
        "parameters.client_assertion" => s.client_jwks.as_ref().map(|j| ("--client-jwks", j)),
        "oauthClientAttestation" => s.attester_jwks.as_ref().map(|j| ("--attester-jwks", j)),
        "parameters.assertion" => s.assertion_jwks.as_ref().map(|j| ("--assertion-jwks", j)),
        _ => None,
    }
}

fn kid_of(key: &J) -> Option<&str> {
    key.get("kid").and_then(J::as_str)
}

/// A `kid` that matches no key of the set: a server looks the key up by it
/// and finds nothing (or, worse, looks it up in a file system or a
/// database), whatever the algorithm.
pub(super) fn check_kid(cx: &Context, jwt: &Jwt, sink: &mut Sink) {
    let Some((option, jwks)) = key_set(cx, jwt.field) else {
        return;
    };
    let Some(m) = jwt.jws.header.value.get("kid") else {
        return;
    };
    let keys = verify::keys_of(jwks).unwrap_or_default();
    let kid = m.value.as_str().map(|t| t.value.as_str());
    if kid.is_some_and(|k| keys.iter().any(|key| kid_of(key) == Some(k))) {
        return;
    }
    let known: Vec<&str> = keys.iter().filter_map(|k| kid_of(k)).collect();
    sink.push(diags::kid_unknown(jwt, m, kid, option, &known));
}

/// Where an RSA key with the ROCA fingerprint was found.
pub(super) enum RocaKey<'a> {
    /// The JWT header's `jwk`.
    Header,
    /// The attestation's `cnf.jwk`.
    Cnf,
    /// A key of the set given with `option`, by its `kid` if it has one.
    KeySet {
        option: &'static str,
        kid: Option<&'a str>,
    },
}

pub(super) fn check_roca(cx: &Context, jwt: &Jwt, sink: &mut Sink) {
    let header_jwk = jwt.jws.header.value.get("jwk");
    if header_jwk.is_some_and(|m| jwk::rsa_roca(&m.value.to_json())) {
        sink.push(diags::roca_key(jwt, &RocaKey::Header));
    }
    let cnf = jwt.jws.payload.value.get("cnf");
    let cnf_jwk = cnf.and_then(|c| c.value.get("jwk"));
    if cnf_jwk.is_some_and(|m| jwk::rsa_roca(&m.value.to_json())) {
        sink.push(diags::roca_key(jwt, &RocaKey::Cnf));
    }
    let Some((option, jwks)) = key_set(cx, jwt.field) else {
        return;
    };
    // The keys that could verify it: the one its `kid` names, else all.
    let kid = jwt.jws.header.get_str("kid");
    let keys = verify::keys_of(jwks).unwrap_or_default();
    let candidates = keys
        .iter()
        .filter(|k| kid.is_none() || kid_of(k) == kid)
        .filter(|k| jwk::rsa_roca(k));
    for k in candidates {
        let at = RocaKey::KeySet {
            option,
            kid: kid_of(k),
        };
        sink.push(diags::roca_key(jwt, &at));
    }
}
