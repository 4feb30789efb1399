//! Fixtures whose JWTs carry real signatures, made with keys whose
//! signatures are deterministic (Ed25519, RSA PKCS#1 v1.5, HMAC), so every
//! run writes the same bytes and `cargo xtask testdata --check` holds.
//!
//! The keys: `testdata/keys/dpop-eddsa.jwk` (written once by `cargo xtask
//! dpop-testdata` and reused, TEST KEYS), and the fixed secrets below.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::{json, Value};
use tokenlint::toolkit::dpop::SigningKey;

use super::{fx, Body, Fixture, NOW, TOKEN_ENDPOINT};

/// The form body of every DPoP fixture: a public client's authorization
/// code request with the RFC 7636 App. B verifier.
const DPOP_PARAMS: &str = "grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA&redirect_uri=https%3A%2F%2Fclient.example.org%2Fcb&client_id=s6BhdRkqt3&code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

/// The Ed25519 DPoP test key.
fn eddsa() -> SigningKey {
    let path = crate::root().join("testdata/keys/dpop-eddsa.jwk");
    SigningKey::load(&path, Some("EdDSA"), 1 << 20)
        .unwrap_or_else(|e| panic!("{}: {e:?}; run `cargo xtask dpop-testdata`", path.display()))
}

fn b64(text: &str) -> String {
    URL_SAFE_NO_PAD.encode(text.as_bytes())
}

/// A proof signed with `key` over a header and payload written as given
/// (so a member may appear twice).
fn sign_raw(key: &SigningKey, header: &str, payload: &str) -> String {
    key.sign_parts(&b64(header), &b64(payload))
        .expect("the test key signs")
}

/// The claims of a fresh proof for the token endpoint.
fn proof_claims(jti: &str) -> Value {
    json!({"jti": jti, "htm": "POST", "htu": TOKEN_ENDPOINT, "iat": NOW - 5})
}

/// A request carrying `proof` for the token endpoint.
fn dpop_request(proof: &str) -> Value {
    json!({
        "parameters": DPOP_PARAMS,
        "dpop": proof,
        "htm": "POST",
        "htu": TOKEN_ENDPOINT,
    })
}

pub(super) fn bad(t: &mut Vec<Fixture>) {
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
}
