//! The PKCE toolkit (RFC 7636): generate a verifier, derive its challenge,
//! verify a pair.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use sha2::{Digest, Sha256};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    S256,
    Plain,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::S256 => "S256",
            Method::Plain => "plain",
        }
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PkceError {
    #[error("a code_verifier must be 43 to 128 characters long; {0} was asked for")]
    Length(usize),
    #[error("the system random source failed: {0}")]
    Random(String),
}

/// `BASE64URL(SHA256(ASCII(verifier)))` for S256, the verifier itself for plain.
pub fn challenge(verifier: &str, method: Method) -> String {
    match method {
        Method::S256 => URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())),
        Method::Plain => verifier.to_owned(),
    }
}

/// Whether `challenge` is what `verifier` derives to under `method` (RFC 7636 §4.6).
pub fn verify(verifier: &str, challenge_value: &str, method: Method) -> bool {
    let expected = challenge(verifier, method);
    // Constant-time comparison: the challenge is not secret, but this costs nothing.
    expected.len() == challenge_value.len()
        && expected
            .bytes()
            .zip(challenge_value.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

/// A verifier of `length` characters (43..=128) from the system CSPRNG,
/// in the base64url alphabet (6 bits of entropy per character).
pub fn generate_verifier(length: usize) -> Result<String, PkceError> {
    if !(43..=128).contains(&length) {
        return Err(PkceError::Length(length));
    }
    let mut bytes = vec![0u8; length.div_ceil(4) * 3];
    getrandom::fill(&mut bytes).map_err(|e| PkceError::Random(e.to_string()))?;
    let mut s = URL_SAFE_NO_PAD.encode(&bytes);
    s.truncate(length);
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 7636 Appendix B.
    #[test]
    fn rfc7636_appendix_b() {
        let octets: [u8; 32] = [
            116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212,
            37, 77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121,
        ];
        let verifier = URL_SAFE_NO_PAD.encode(octets);
        assert_eq!(verifier, "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
        assert_eq!(
            challenge(&verifier, Method::S256),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        assert!(verify(
            &verifier,
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
            Method::S256
        ));
        assert!(!verify(
            &verifier,
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cN",
            Method::S256
        ));
        assert!(verify(&verifier, &verifier, Method::Plain));
    }

    #[test]
    fn generated_verifiers_have_the_asked_length_and_charset() {
        for len in [43, 64, 100, 128] {
            let v = generate_verifier(len).unwrap();
            assert_eq!(v.len(), len);
            assert!(v.chars().all(crate::lint::rules::pkce::is_unreserved));
        }
        assert_eq!(generate_verifier(42), Err(PkceError::Length(42)));
        assert_ne!(
            generate_verifier(43).unwrap(),
            generate_verifier(43).unwrap()
        );
    }
}
