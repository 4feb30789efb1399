//! Fixtures of the JWT bearer grant (RFC 7523 §2.1): an `assertion` that is
//! no JWT, one that expired, one without the claims §3 requires, one that
//! is not signed, and one signed by another key than the issuer's. The
//! issuer's key set is written to `testdata/jwks/` and given to them by
//! `tokenlint.toml` (`assertion-jwks`). Ed25519 signatures are
//! deterministic, so `--check` holds.

use serde_json::{json, Value};
use tokenlint::toolkit::dpop::SigningKey;

use super::signed::{b64, ed25519, sign_raw};
use super::{fx, Body, Fixture, NOW, TOKEN_ENDPOINT};

const GRANT: &str = "urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer";
const KID: &str = "idp-2026";

/// The assertion issuer's signing key (TEST KEY, from a fixed seed).
fn idp() -> SigningKey {
    ed25519("tokenlint jwt-bearer idp")
}

/// The issuer's public key set, as `assertion-jwks` reads it.
pub(super) fn key_sets() -> Vec<(String, Value)> {
    let mut jwk = idp().public_jwk();
    jwk["kid"] = json!(KID);
    jwk["use"] = json!("sig");
    vec![(
        "jwks/assertion-idp.jwks.json".to_owned(),
        json!({"keys": [jwk]}),
    )]
}

fn claims() -> Value {
    json!({
        "iss": "https://jwt-idp.example.com",
        "sub": "mailto:mike@example.com",
        "aud": TOKEN_ENDPOINT,
        "iat": NOW - 60,
        "exp": NOW + 600,
        "jti": "jwt-grant-7f3e1c",
    })
}

fn header() -> Value {
    json!({"alg": "EdDSA", "typ": "JWT", "kid": KID})
}

/// `claims` signed by the issuer (or by `label`'s key, with the issuer's kid).
fn signed(claims: &Value, label: Option<&str>) -> String {
    let key = label.map_or_else(idp, ed25519);
    sign_raw(&key, &header().to_string(), &claims.to_string())
}

fn request(assertion: &str) -> Body {
    Body::Json(json!({
        "parameters": format!("grant_type={GRANT}&assertion={assertion}&scope=openid")
    }))
}

pub(super) fn good(t: &mut Vec<Fixture>) {
    t.push(fx(
        "good/jwt-bearer-verified.json",
        "a JWT bearer grant whose assertion verifies with the issuer's key set (assertion-jwks in tokenlint.toml)",
        &[],
        request(&signed(&claims(), None)),
    ));
}

pub(super) fn bad(t: &mut Vec<Fixture>) {
    t.push(fx(
        "bad/grant-assertion-not-jwt.json",
        "a JWT bearer grant whose assertion is an e-mail address, not a JWT: it was not linted at all before",
        &["grant/assertion-malformed"],
        request("mailto%3Amike%40example.com"),
    ));
    let mut expired = claims();
    expired["iat"] = json!(NOW - 3600);
    expired["exp"] = json!(NOW - 600);
    t.push(fx(
        "bad/grant-assertion-expired.json",
        "a JWT bearer assertion, correctly signed, that expired ten minutes ago",
        &["grant/assertion-time"],
        request(&signed(&expired, None)),
    ));
    let mut partial = claims();
    let o = partial.as_object_mut().expect("claims");
    o.remove("sub");
    o.remove("exp");
    t.push(fx(
        "bad/grant-assertion-claims.json",
        "a JWT bearer assertion without sub and exp, which RFC 7523 §3 requires",
        &["grant/assertion-claims"],
        request(&signed(&partial, None)),
    ));
    let none = format!(
        "{}.{}.",
        b64(&json!({"alg": "none", "typ": "JWT"}).to_string()),
        b64(&claims().to_string())
    );
    t.push(fx(
        "bad/grant-assertion-unsigned.json",
        "a JWT bearer assertion with alg none: anyone could claim any subject",
        &["grant/assertion-signature"],
        request(&none),
    ));
    t.push(fx(
        "bad/grant-assertion-wrong-key.json",
        "a JWT bearer assertion signed by another Ed25519 key under the issuer's kid",
        &["grant/assertion-signature"],
        request(&signed(&claims(), Some("tokenlint jwt-bearer attacker"))),
    ));
}
