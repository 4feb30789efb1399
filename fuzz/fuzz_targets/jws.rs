//! The compact JWS parser (src/jose/compact.rs): part ranges and error
//! ranges fit the input on character boundaries, the decoded header and
//! payload spans fit their decoded text, and verifying with the header's
//! own `jwk` (src/jose/verify.rs) does not panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tokenlint::jose::{compact, verify};
use tokenlint_fuzz::{check_json, check_range};

fuzz_target!(|data: &[u8]| {
    let s = tokenlint_fuzz::text(data);
    let s = s.as_ref();
    match compact::parse(s) {
        Ok(jws) => {
            check_range(s, jws.header.raw.clone(), "header");
            check_range(s, jws.payload.raw.clone(), "payload");
            check_range(s, jws.signature_raw.clone(), "signature");
            check_range(s, jws.signing_input.clone(), "signing input");
            assert!(jws.header.raw.end <= jws.payload.raw.start);
            assert!(jws.payload.raw.end <= jws.signature_raw.start);
            check_json(&jws.header.text, 0, &jws.header.value);
            check_json(&jws.payload.text, 0, &jws.payload.value);
            let _ = jws.header.duplicate_names();
            if let Some(jwk) = jws.header.get("jwk") {
                let jwk = jwk.to_json();
                let _ = verify::with_jwk(s, &jws, &jwk);
                let _ = verify::with_jwks(s, &jws, &jwk);
            }
            let _ = verify::with_secret(s, &jws, b"secret");
        }
        Err(e) => {
            check_range(s, e.raw(s.len()), "error");
            assert!(!e.describe().is_empty());
        }
    }
});
