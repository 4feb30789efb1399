//! Fixtures whose JWTs carry real signatures, made with keys whose
//! signatures are deterministic (Ed25519, RSA PKCS#1 v1.5, HMAC), so every
//! run writes the same bytes and `cargo xtask testdata --check` holds.
//!
//! The keys: `testdata/keys/dpop-eddsa.jwk` (written once by `cargo xtask
//! dpop-testdata` and reused, TEST KEYS), and the fixed secrets below.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use openssl::pkey::{Id, PKey};
use serde_json::{json, Value};
use tokenlint::toolkit::dpop::SigningKey;

use super::{fx, Body, Fixture, NOW, TOKEN_ENDPOINT};

/// The form body of every DPoP fixture: a public client's authorization
/// code request with the RFC 7636 App. B verifier.
const DPOP_PARAMS: &str = "grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA&redirect_uri=https%3A%2F%2Fclient.example.org%2Fcb&client_id=s6BhdRkqt3&code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

/// The Ed25519 DPoP test key.
pub(super) fn eddsa() -> SigningKey {
    let path = crate::root().join("testdata/keys/dpop-eddsa.jwk");
    SigningKey::load(&path, Some("EdDSA"), 1 << 20)
        .unwrap_or_else(|e| panic!("{}: {e:?}; run `cargo xtask dpop-testdata`", path.display()))
}

/// An Ed25519 key made from a fixed seed (SHA-256 of `label`): the same key
/// on every run, with nothing to store. TEST KEYS, public by construction.
pub(super) fn ed25519(label: &str) -> SigningKey {
    let seed = openssl::sha::sha256(label.as_bytes());
    let key = PKey::private_key_from_raw_bytes(&seed, Id::ED25519).expect("an Ed25519 seed");
    let x = key.raw_public_key().expect("its public key");
    let jwk = json!({"kty": "OKP", "crv": "Ed25519", "x": b64_bytes(&x), "d": b64_bytes(&seed)});
    SigningKey::parse(&jwk.to_string(), Some("EdDSA")).expect("an Ed25519 JWK")
}

pub(super) fn b64_bytes(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

pub(super) fn b64(text: &str) -> String {
    URL_SAFE_NO_PAD.encode(text.as_bytes())
}

/// A proof signed with `key` over a header and payload written as given
/// (so a member may appear twice).
pub(super) fn sign_raw(key: &SigningKey, header: &str, payload: &str) -> String {
    key.sign_parts(&b64(header), &b64(payload))
        .expect("the test key signs")
}

/// The claims of a fresh proof for the token endpoint.
pub(super) fn proof_claims(jti: &str) -> Value {
    json!({"jti": jti, "htm": "POST", "htu": TOKEN_ENDPOINT, "iat": NOW - 5})
}

/// A request carrying `proof` for the token endpoint.
pub(super) fn dpop_request(proof: &str) -> Value {
    json!({
        "parameters": DPOP_PARAMS,
        "dpop": proof,
        "htm": "POST",
        "htu": TOKEN_ENDPOINT,
    })
}

/// The client of the attestation fixtures (draft-ietf-oauth-attestation-based-client-auth
/// uses a URL as client ID).
pub(super) const ATT_CLIENT: &str = "https://client.example.com";

/// A client attestation for [`ATT_CLIENT`] binding `instance`, signed by
/// `attester`, valid around [`NOW`], with `extra` claims on top.
pub(super) fn attestation(attester: &SigningKey, instance: &SigningKey, extra: Value) -> String {
    let mut claims = json!({
        "sub": ATT_CLIENT,
        "iat": NOW - 3600,
        "exp": NOW + 30 * 86_400,
        "cnf": {"jwk": instance.public_jwk()},
    });
    merge(&mut claims, extra);
    let header =
        json!({"typ": "oauth-client-attestation+jwt", "alg": "EdDSA", "kid": "attester-ed"});
    attester
        .sign_compact(&header, &claims)
        .expect("the test key signs")
}

/// A PoP for the attestation of `instance`, made 5 s before [`NOW`].
pub(super) fn attestation_pop(instance: &SigningKey, jti: &str, extra: Value) -> String {
    let mut claims = json!({"aud": super::AS_ISSUER, "jti": jti, "iat": NOW - 5});
    merge(&mut claims, extra);
    let header = json!({"typ": "oauth-client-attestation-pop+jwt", "alg": "EdDSA"});
    instance
        .sign_compact(&header, &claims)
        .expect("the test key signs")
}

fn merge(base: &mut Value, extra: Value) {
    if let (Some(b), Value::Object(e)) = (base.as_object_mut(), extra) {
        b.extend(e);
    }
}

/// An authorization code request authenticated by client attestation.
pub(super) fn attested_request(attestation: &str, pop: &str) -> Value {
    json!({
        "parameters": format!(
            "grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA&redirect_uri={}&client_id={}",
            super::enc("https://client.example.com/cb"),
            super::enc(ATT_CLIENT)
        ),
        "oauthClientAttestation": attestation,
        "oauthClientAttestationPop": pop,
    })
}

pub(super) fn bad(t: &mut Vec<Fixture>) {
    dpop(t);
    attested(t);
}

fn attested(t: &mut Vec<Fixture>) {
    let attester = ed25519("tokenlint testdata attester");
    let instance = ed25519("tokenlint testdata client instance");
    t.push(fx(
        "bad/attestation-nbf-future.json",
        "an attestation whose nbf is an hour ahead, with no attester key to verify it: its \
         claims are checked all the same",
        &["attestation/iat-nbf", "attestation/unverified"],
        Body::Json(attested_request(
            &attestation(&attester, &instance, json!({"nbf": NOW + 3600})),
            &attestation_pop(&instance, "6f1c0a4e-7b2d-4e9a-8c3f-0d5e1a2b3c4d", json!({})),
        )),
    ));
    t.push(fx(
        "bad/attestation-pop-expired.json",
        "an attestation PoP whose exp passed a minute ago (the attestation is not verified)",
        &["attestation/pop-exp-nbf", "attestation/unverified"],
        Body::Json(attested_request(
            &attestation(&attester, &instance, json!({})),
            &attestation_pop(
                &instance,
                "0a9b8c7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d",
                json!({"exp": NOW - 60}),
            ),
        )),
    ));
}

fn dpop(t: &mut Vec<Fixture>) {
    let key = eddsa();
    let jwk = key.public_jwk().to_string();
    let claims = proof_claims("dup-typ-Zr4mQ8wL2vN6").to_string();
    t.push(fx(
        "bad/dpop-duplicate-member-last-wins.json",
        "`typ` twice in the proof header, the last one `JWT`: the last is the one a server \
         keeps, so it is the one checked",
        &["dpop/duplicate-member", "dpop/typ"],
        Body::Json(dpop_request(&sign_raw(
            &key,
            &format!(r#"{{"typ":"dpop+jwt","alg":"EdDSA","jwk":{jwk},"typ":"JWT"}}"#),
            &claims,
        ))),
    ));
    let mut claims = proof_claims("ms-iat-Hk3vT9qW2zL5");
    claims["iat"] = json!((NOW - 5) * 1000);
    t.push(fx(
        "bad/dpop-iat-milliseconds.json",
        "a proof whose iat is in milliseconds (Date.now()): the finding says so",
        &["dpop/iat-out-of-window"],
        Body::Json(dpop_request(
            &key.sign_compact(&key.proof_header(), &claims)
                .expect("the test key signs"),
        )),
    ));
}
