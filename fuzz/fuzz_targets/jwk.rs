//! JWK handling (src/jose/jwk.rs): a JWK (or a JWKS) from JSON through the
//! RFC 7638 thumbprint, `check_kty` and `public_key` for every registered
//! algorithm, and a signature check with the key that results.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value as J;
use tokenlint::jose::jwk;

fn one_key(key: &J, sig: &[u8]) {
    if let Ok(t) = jwk::thumbprint(key) {
        assert_eq!(
            t.len(),
            43,
            "a SHA-256 thumbprint is 43 base64url characters"
        );
    }
    for alg in jwk::ALGS {
        let kty = jwk::check_kty(key, alg);
        match jwk::public_key(key, alg) {
            Ok(pk) => {
                assert!(kty.is_ok(), "public_key accepted what check_kty rejects");
                let _ = jwk::verify(&pk, alg, b"header.payload", sig);
            }
            Err(e) => {
                let _ = (e.describe(), e.member());
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    // The JSON, then (after a NUL) bytes to use as a signature.
    let (json, sig) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let Ok(v) = serde_json::from_slice::<J>(json) else {
        return;
    };
    match v.get("keys").and_then(J::as_array) {
        Some(keys) => keys.iter().take(8).for_each(|k| one_key(k, sig)),
        None => one_key(&v, sig),
    }
});
