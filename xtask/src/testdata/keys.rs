//! Fixtures about the keys a JWT is checked with: an HS256 client assertion
//! forged against a verifier that holds only the client's RSA key, RSA keys
//! with e = 1 (whose "signature" is the padded message itself), a ROCA
//! modulus, `key_ops` that do not allow verifying, `b64` outside `crit`, an
//! EdDSA name the profile does not list. Every signature is deterministic
//! (HMAC, RSA PKCS#1 v1.5, Ed25519, or the e = 1 "signature", which is no
//! signature at all), so `--check` holds.
//!
//! Also the key sets under `testdata/jwks/` that `tokenlint.toml` gives the
//! fixtures which need one (`client-jwks`, `attester-jwks`).

use openssl::hash::MessageDigest;
use openssl::pkey::PKey;
use openssl::rsa::Rsa;
use openssl::sign::Signer;
use serde_json::{json, Value};

use super::signed::{
    attestation_pop, attested_request, b64, b64_bytes, dpop_request, ed25519, eddsa, proof_claims,
    ATT_CLIENT,
};
use super::{fx, Body, Fixture, AS_ISSUER, CLIENT_ID, JWT_BEARER_TYPE, NOW};

/// A ROCA-fingerprinted RSA private key: `privkey05.pem` of the ROCA
/// authors' detection tool's tests (github.com/crocs-muni/roca,
/// roca/tests/data; MIT licence, Copyright (c) 2017, CRoCS, EnigmaBridge
/// Ltd.). A TEST KEY that anyone can factor; its 2049-bit modulus has the
/// fingerprint.
const ROCA_KEY: &str = "-----BEGIN RSA PRIVATE KEY-----
MIIEowIBAAKCAQEBqcWmh9uPsqMPgt/43aFUwpHvJ7BLJeGFuKsgxMal9gSFn+We3lSgr3wOcoiA
CtcZO7cxpb8eEXDXocZpMNQeo+sh3t97ivXUKpHDT3IEW5bv1XyxgjAd3MJpZ+VQjpq4iZhtV+g3
3+cPmfw3xJj0PBfDubBkz3BEQ9egM+A6ghaXqr8w+ynufTOzdnllqJBY47OXVL06HAB9KKI7DPp5
+dcRrG5MS093sGNLHs1oWRrwPH1TtipfLZEWPU70+PJoMa5GHthexfeIxRI//BLIdCD9z+odG0pS
w1IYJPs5mDSHObYqmG2OdrIom8Lri8BtE4FHhRuDoHGD0hBVn5BjIQIDAQABAoIBADRqRKoM+Y/A
SzSNZhHCvrCFTq/QIDA1p0SorIwM+Hlk7R5WIky0lmOEHjMzYq/y8wRK9S22bXkwLxuXVXPRaUQ8
uhq54Hem88uZzjWFj8vGtRfPFfs0+TgoJtnHfTdRDM7DmRJtYBOMWntWdXcabVbIhivh70cqRv0j
GnHIdOt2kgzOOgLL2qPD46lhsvmRsJ2qa8eTBOGVkTCraL/AVTL5K7NSnjO07YzINu4b63k7nrvH
24DXPVPd0trFo8P+GL0u9onbDPeXvjAjcISpK37nzYXOfvPqcQ+nG4rvAZxuIEdL7kFDSRcdegbL
JAuyYDsBFIVINUNKWGI9wwOeDsECgYEBFc0LykL2bABN6n6F3xQkg8X7PFFPdItKj6ipx++x/GHf
VjCUq18jHtNmBdjVmq9r3PPElljFHVesmnczQ3LnJFLPTgQTu06NILf69Hagga2RY8VRQXhWkTCs
POo+tlrskpj5knSpyHEtjDMqPsuAQDYdjyXUYFDMdiqptuUw3IUCgYEBiFvaBdiiRC6ByhINyX2N
56rClxxX7UW/3dFO1oUygMnmQmKlamZMi5PTpktVzT7YU2X1TcdqI2ceBPTtKOeWWPZcYEfm0VP7
a7xRRvLtARfwjlBGt0KzoUS2gjFj54ZlYPkxsXxvCt0TXG6GTt2/GUZwTOwCpYxTU5GhF0JmDO0C
gYBvYTqs6ZQrUSPsNLYv7r+FJcfJM0CMFZzbZGBODUhrTEJjKC8zVn2aSl/JUFq0Hkk82W+kaAr/
7LsDY29mR5ds9NaxDOlsW94xlBJGGZnY5GI6gk5F1Z2/sKgd9D0Yl/PqAvNtSOEZwGbmo0z4yFav
aAMJ9bzksQCJECnjbpjckQKBgQDjchOOBgnyql8Uq6iQYBct78BD5utVoXRa+uXP14DyRZgUbajk
aA8Bbp1nrg48H605k0ZDY1E02qb9Sppcdvuh8JaWPbghKqT5zD31egdH9f++D+0eeS02VGXUTRtT
8IW+VFapQ6//RS7fCzcSattHpJyfCsVyAEmhjS8sE5Ki9QKBgGs75w9+SZiZiOlaBhuCf5KK4gwv
lRDUSMycvT/aWh1LZO71VT1nwths7Lx10xdWa76mJhvjbWMUZKbOgEPECoqPV20O7U52Jmwh/a0l
4+8optwPUa8vdvy7KZVkVth/xCL4mJOF3UGN0qUlwm3d9H6VXCUYcxf0idonxCD1ndzQ
-----END RSA PRIVATE KEY-----
";

/// The client's RSA public key: the RS256 DPoP test key's, given a kid.
fn client_rsa_public() -> Value {
    let path = crate::root().join("testdata/keys/dpop-rs256.jwk");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; run `cargo xtask dpop-testdata`", path.display()));
    let jwk: Value = serde_json::from_str(&text).expect("a JWK");
    json!({"kty": "RSA", "kid": "client-rsa-2025", "use": "sig", "alg": "RS256",
        "n": jwk["n"], "e": jwk["e"]})
}

/// The same modulus with e = 1: a key for which anyone can "sign".
fn rsa_e1_public(kid: &str) -> Value {
    let mut k = client_rsa_public();
    k["e"] = json!("AQ");
    k["kid"] = json!(kid);
    k
}

/// The key sets `tokenlint.toml` gives some fixtures, under `testdata/jwks/`.
pub(super) fn key_sets() -> Vec<(String, Value)> {
    vec![
        (
            "jwks/client-rsa.jwks.json".to_owned(),
            json!({"keys": [client_rsa_public()]}),
        ),
        (
            "jwks/client-rsa-e1.jwks.json".to_owned(),
            json!({"keys": [rsa_e1_public("client-e1")]}),
        ),
    ]
}

fn compact(header: &Value, claims: &Value) -> String {
    format!("{}.{}", b64(&header.to_string()), b64(&claims.to_string()))
}

/// HS256 over `header.claims` with `secret` (which may be empty: OpenSSL
/// refuses an empty HMAC key, RFC 2104 does not).
fn hs256(header: &Value, claims: &Value, secret: &[u8]) -> String {
    let input = compact(header, claims);
    let mac = hmac_sha256(secret, input.as_bytes());
    format!("{input}.{}", b64_bytes(&mac))
}

/// RFC 2104 HMAC with SHA-256 (keys up to one block).
fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    use openssl::sha::Sha256;
    let mut block = [0u8; 64];
    block[..key.len()].copy_from_slice(key);
    let mut inner = Sha256::new();
    inner.update(&block.map(|b| b ^ 0x36));
    inner.update(message);
    let mut outer = Sha256::new();
    outer.update(&block.map(|b| b ^ 0x5c));
    outer.update(&inner.finish());
    outer.finish()
}

/// The RS256 "signature" that an e = 1 key of `modulus_len` octets accepts:
/// the EMSA-PKCS1-v1_5 encoding of the digest itself (RFC 8017 §9.2).
fn rs256_forged_for_e1(header: &Value, claims: &Value, modulus_len: usize) -> String {
    const SHA256_PREFIX: [u8; 19] = [
        0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
        0x05, 0x00, 0x04, 0x20,
    ];
    let input = compact(header, claims);
    let digest = openssl::sha::sha256(input.as_bytes());
    let mut em = vec![0x00, 0x01];
    em.resize(modulus_len - SHA256_PREFIX.len() - digest.len() - 1, 0xff);
    em.push(0x00);
    em.extend_from_slice(&SHA256_PREFIX);
    em.extend_from_slice(&digest);
    format!("{input}.{}", b64_bytes(&em))
}

/// The octets of an RSA JWK's modulus.
fn modulus_len(jwk: &Value) -> usize {
    let n = jwk["n"].as_str().expect("n");
    (n.len() * 6) / 8
}

/// RS256 with the ROCA key, and its public JWK.
fn roca_signed(header: &mut Value, claims: &Value) -> String {
    let rsa = Rsa::private_key_from_pem(ROCA_KEY.as_bytes()).expect("the ROCA test key");
    let public = json!({"kty": "RSA",
        "n": b64_bytes(&rsa.n().to_vec()), "e": b64_bytes(&rsa.e().to_vec())});
    header["jwk"] = public;
    let input = compact(header, claims);
    let key = PKey::from_rsa(rsa).expect("a key");
    let mut signer = Signer::new(MessageDigest::sha256(), &key).expect("a signer");
    let sig = signer
        .sign_oneshot_to_vec(input.as_bytes())
        .expect("a signature");
    format!("{input}.{}", b64_bytes(&sig))
}

/// A client assertion for [`CLIENT_ID`], valid at [`NOW`].
fn assertion_claims(jti: &str) -> Value {
    json!({"iss": CLIENT_ID, "sub": CLIENT_ID, "aud": AS_ISSUER, "jti": jti,
        "iat": NOW - 30, "exp": NOW + 270})
}

fn assertion_request(assertion: &str) -> Value {
    json!({"parameters": format!(
        "grant_type=client_credentials&scope=api.read&client_id={CLIENT_ID}\
         &client_assertion_type={JWT_BEARER_TYPE}&client_assertion={assertion}"
    )})
}

pub(super) fn bad(t: &mut Vec<Fixture>) {
    assertions(t);
    dpop(t);
    attestation(t);
}

fn assertions(t: &mut Vec<Fixture>) {
    let forged = |kid: Option<&str>, jti: &str| {
        let mut header = json!({"alg": "HS256", "typ": "JWT"});
        if let Some(k) = kid {
            header["kid"] = json!(k);
        }
        // /dev/null is empty: the key the path traversal hopes to get.
        hs256(&header, &assertion_claims(jti), b"")
    };
    t.push(fx(
        "bad/client-auth-assertion-forged-hs256-kid.json",
        "an HS256 client assertion whose kid (../../dev/null) names no key, against a key set \
         holding only the client's RSA key (client-jwks in tokenlint.toml)",
        &["client-auth/assertion-alg", "jwt/kid-unknown"],
        Body::Json(assertion_request(&forged(
            Some("../../dev/null"),
            "9e8d7c6b-0a1f-4e2d-8c3b-5a6f7e8d9c0b",
        ))),
    ));
    t.push(fx(
        "bad/client-auth-assertion-forged-hs256.json",
        "an HS256 client assertion without kid, against a key set holding only the client's \
         RSA key: no MAC can be checked with it, whatever the kid",
        &["client-auth/assertion-alg"],
        Body::Json(assertion_request(&forged(
            None,
            "1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e",
        ))),
    ));
    let e1 = rsa_e1_public("client-e1");
    let header = json!({"alg": "RS256", "typ": "JWT", "kid": "client-e1"});
    t.push(fx(
        "bad/client-auth-assertion-jwks-e1.json",
        "a client assertion \"signed\" for a key with e = 1 in client-jwks: the padded digest \
         is its own signature, so the key must be refused",
        &["client-auth/assertion-signature"],
        Body::Json(assertion_request(&rs256_forged_for_e1(
            &header,
            &assertion_claims("4c5d6e7f-8a9b-4c0d-9e1f-2a3b4c5d6e7f"),
            modulus_len(&e1),
        ))),
    ));
    let claims = assertion_claims("7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d");
    let header = json!({"alg": "EdDSA", "typ": "JWT", "b64": false});
    t.push(fx(
        "bad/client-auth-assertion-b64-without-crit.json",
        "a client assertion with b64: false in its header and no crit (RFC 7797 §6: MUST)",
        &["jwt/b64-without-crit"],
        Body::Json(assertion_request(
            &eddsa().sign_compact(&header, &claims).expect("signs"),
        )),
    ));
}

fn dpop(t: &mut Vec<Fixture>) {
    let e1 = rsa_e1_public("unused");
    let header = json!({"typ": "dpop+jwt", "alg": "RS256",
        "jwk": {"kty": "RSA", "n": e1["n"], "e": "AQ"}});
    t.push(fx(
        "bad/dpop-jwk-rsa-e1.json",
        "a DPoP proof whose RSA jwk has e = 1 and whose \"signature\" is the padded digest: \
         it verified, so anyone could make proofs for this key",
        &["dpop/jwk-invalid"],
        Body::Json(dpop_request(&rs256_forged_for_e1(
            &header,
            &proof_claims("e1-forged-Qm7vX2pL9kR4"),
            modulus_len(&e1),
        ))),
    ));
    let mut header = json!({"typ": "dpop+jwt", "alg": "RS256"});
    let proof = roca_signed(&mut header, &proof_claims("roca-key-Wz5nB8tK3hJ6"));
    t.push(fx(
        "bad/dpop-jwk-roca.json",
        "a DPoP proof signed with an RSA key that has the ROCA fingerprint (a warning: it \
         verifies, but the key can be factored)",
        &["jwt/roca-key"],
        Body::Json(dpop_request(&proof)),
    ));
    let key = eddsa();
    let mut header = key.proof_header();
    header["jwk"]["key_ops"] = json!(["encrypt"]);
    t.push(fx(
        "bad/dpop-jwk-key-ops-encrypt.json",
        "a DPoP proof whose jwk says key_ops [\"encrypt\"]: not a key to verify with, as \
         use \"enc\" would say",
        &["dpop/jwk-alg-mismatch"],
        Body::Json(dpop_request(
            &key.sign_compact(&header, &proof_claims("key-ops-Hr2mV6wQ9tZ1"))
                .expect("signs"),
        )),
    ));
    let mut header = key.proof_header();
    header["b64"] = json!(false);
    t.push(fx(
        "bad/dpop-b64-without-crit.json",
        "a DPoP proof with b64: false and no crit (RFC 7797 §6)",
        &["jwt/b64-without-crit"],
        Body::Json(dpop_request(
            &key.sign_compact(&header, &proof_claims("b64-no-crit-Lp8sD3fG6jK0"))
                .expect("signs"),
        )),
    ));
    let mut header = key.proof_header();
    header["alg"] = json!("Ed25519");
    t.push(fx(
        "bad/dpop-alg-ed25519.json",
        "a proof with RFC 9864's alg Ed25519, which the default profile lists as EdDSA only: \
         the finding says to use EdDSA",
        &["dpop/alg-not-allowed"],
        Body::Json(dpop_request(
            &key.sign_compact(&header, &proof_claims("ed25519-name-Tg4wN7xC2vB5"))
                .expect("signs"),
        )),
    ));
}

fn attestation(t: &mut Vec<Fixture>) {
    let attester = ed25519("tokenlint testdata attester");
    let e1 = rsa_e1_public("unused");
    let cnf = json!({"kty": "RSA", "n": e1["n"], "e": "AQ"});
    let claims = json!({"sub": ATT_CLIENT, "iat": NOW - 3600, "exp": NOW + 30 * 86_400,
        "cnf": {"jwk": cnf}});
    let header =
        json!({"typ": "oauth-client-attestation+jwt", "alg": "EdDSA", "kid": "attester-ed"});
    let att = attester.sign_compact(&header, &claims).expect("signs");
    let pop_header = json!({"typ": "oauth-client-attestation-pop+jwt", "alg": "RS256"});
    let pop_claims = json!({"aud": AS_ISSUER, "jti": "2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a",
        "iat": NOW - 5});
    t.push(fx(
        "bad/attestation-cnf-jwk-rsa-e1.json",
        "an attestation binding an RSA key with e = 1, and a PoP \"signed\" for it with the \
         padded digest: the key must be refused, not used to verify",
        &["attestation/cnf-jwk", "attestation/pop-signature"],
        Body::Json(attested_request(
            &att,
            &rs256_forged_for_e1(&pop_header, &pop_claims, modulus_len(&e1)),
        )),
    ));
    let instance = ed25519("tokenlint testdata client instance");
    let mut cnf = instance.public_jwk();
    cnf["key_ops"] = json!(["encrypt"]);
    let claims = json!({"sub": ATT_CLIENT, "iat": NOW - 3600, "exp": NOW + 30 * 86_400,
        "cnf": {"jwk": cnf}});
    let att = attester.sign_compact(&header, &claims).expect("signs");
    t.push(fx(
        "bad/attestation-cnf-jwk-key-ops.json",
        "an attestation binding a key whose key_ops is [\"encrypt\"]: not a key to verify the \
         PoP with",
        &["attestation/cnf-jwk"],
        Body::Json(attested_request(
            &att,
            &attestation_pop(&instance, "3e4f5a6b-7c8d-4e9f-8a0b-1c2d3e4f5a6b", json!({})),
        )),
    ));
}
