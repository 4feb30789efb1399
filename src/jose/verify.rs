//! Verifying a compact JWS against supplied keys: a JWKS (picking the key by
//! `kid`, else every key that fits the algorithm), a single JWK, or a shared
//! secret for HS*. Built on [`super::jwk`].

use openssl::hash::MessageDigest;
use openssl::pkey::PKey;
use openssl::sign::Signer;
use serde_json::Value as J;

use super::compact::CompactJws;
use super::jwk::{self, AlgKind};

/// The result of checking one JWS.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verified {
    /// The signature verifies; with the `kid` (or index) of the key used.
    Valid { key: String },
    /// No key verified it; why, for the message.
    Invalid { reason: String },
    /// Nothing to check it with (no key fits the algorithm, unknown alg).
    NoKey { reason: String },
}

impl Verified {
    pub fn is_valid(&self) -> bool {
        matches!(self, Verified::Valid { .. })
    }
}

fn signing_input<'a>(compact: &'a str, jws: &CompactJws) -> &'a [u8] {
    compact
        .get(jws.signing_input.clone())
        .unwrap_or_default()
        .as_bytes()
}

/// Verifies with one public JWK.
pub fn with_jwk(compact: &str, jws: &CompactJws, key: &J) -> Verified {
    let Some(alg_name) = jws.header.get_str("alg") else {
        return Verified::NoKey {
            reason: "the header has no `alg`".into(),
        };
    };
    let Some(alg) = jwk::find_alg(alg_name) else {
        return Verified::NoKey {
            reason: format!("`{alg_name}` is not a registered JWS algorithm"),
        };
    };
    let pk = match jwk::public_key(key, alg) {
        Ok(pk) => pk,
        Err(e) => {
            return Verified::NoKey {
                reason: e.describe(),
            }
        }
    };
    match jwk::verify(&pk, alg, signing_input(compact, jws), &jws.signature) {
        Ok(true) => Verified::Valid {
            key: key
                .get("kid")
                .and_then(J::as_str)
                .unwrap_or("the key")
                .to_owned(),
        },
        Ok(false) => Verified::Invalid {
            reason: format!("the {alg_name} signature does not verify"),
        },
        Err(e) => Verified::Invalid { reason: e },
    }
}

/// Verifies with a JWKS (`{"keys": [...]}`, or a single JWK): the key named
/// by the header's `kid` when there is one, else each key that fits.
pub fn with_jwks(compact: &str, jws: &CompactJws, jwks: &J) -> Verified {
    let keys: Vec<&J> = match jwks.get("keys").and_then(J::as_array) {
        Some(k) => k.iter().collect(),
        None if jwks.get("kty").is_some() => vec![jwks],
        None => {
            return Verified::NoKey {
                reason: "the JWKS has no `keys` array".into(),
            }
        }
    };
    let kid = jws.header.get_str("kid");
    let candidates: Vec<&J> = match kid {
        Some(kid) => keys
            .iter()
            .copied()
            .filter(|k| k.get("kid").and_then(J::as_str) == Some(kid))
            .collect(),
        None => keys.clone(),
    };
    if candidates.is_empty() {
        return Verified::NoKey {
            reason: format!(
                "no key in the JWKS has kid `{}` (it has: {})",
                kid.unwrap_or_default(),
                keys.iter()
                    .filter_map(|k| k.get("kid").and_then(J::as_str))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
    }
    let mut last = Verified::NoKey {
        reason: "no key in the JWKS fits the algorithm".into(),
    };
    for k in candidates {
        match with_jwk(compact, jws, k) {
            v @ Verified::Valid { .. } => return v,
            v @ Verified::Invalid { .. } => last = v,
            v @ Verified::NoKey { .. } => {
                if !matches!(last, Verified::Invalid { .. }) {
                    last = v;
                }
            }
        }
    }
    last
}

/// Verifies an HS256/384/512 JWS with a shared secret (constant-time compare).
pub fn with_secret(compact: &str, jws: &CompactJws, secret: &[u8]) -> Verified {
    let alg_name = jws.header.get_str("alg").unwrap_or_default();
    let Some(alg) = jwk::find_alg(alg_name).filter(|a| a.kind == AlgKind::Mac) else {
        return Verified::NoKey {
            reason: format!("`{alg_name}` is not an HMAC algorithm"),
        };
    };
    let md = match alg.hash {
        384 => MessageDigest::sha384(),
        512 => MessageDigest::sha512(),
        _ => MessageDigest::sha256(),
    };
    let mac = (|| {
        let key = PKey::hmac(secret)?;
        let mut s = Signer::new(md, &key)?;
        s.update(signing_input(compact, jws))?;
        s.sign_to_vec()
    })();
    match mac {
        Ok(m) if m.len() == jws.signature.len() && openssl::memcmp::eq(&m, &jws.signature) => {
            Verified::Valid {
                key: "the client secret".into(),
            }
        }
        Ok(_) => Verified::Invalid {
            reason: format!("the {alg_name} MAC does not match the client secret"),
        },
        Err(e) => Verified::NoKey {
            reason: e.to_string(),
        },
    }
}
