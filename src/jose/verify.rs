//! Verifying a compact JWS against supplied keys: a JWKS (picking the key by
//! `kid`, else every key that fits the algorithm), a single JWK, or a shared
//! secret for HS*. Built on [`super::jwk`].

use openssl::hash::MessageDigest;
use openssl::pkey::PKey;
use openssl::sign::Signer;
use serde_json::Value as J;

use super::compact::CompactJws;
use super::jwk::{self, Alg, AlgKind};

/// The result of checking one JWS.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verified {
    /// The signature verifies; with the `kid` (or index) of the key used.
    Valid { key: String },
    /// No key verified it; why, for the message.
    Invalid { reason: String },
    /// Nothing to check it with (no key fits the algorithm, unknown alg).
    NoKey { reason: String },
    /// The header's `kid` names no key of the set (`jwt/kid-unknown`).
    UnknownKid { kid: String },
}

impl Verified {
    pub fn is_valid(&self) -> bool {
        matches!(self, Verified::Valid { .. })
    }
}

/// What a signature check reads of a JWS: the header's `alg` and `kid`,
/// the signing input and the decoded signature. [`Signed::of`] takes them
/// from a parsed compact JWS; test vectors whose payload is not a JWT
/// claims set give them directly.
#[derive(Clone, Copy, Debug)]
pub struct Signed<'a> {
    pub alg: Option<&'a str>,
    pub kid: Option<&'a str>,
    pub input: &'a [u8],
    pub signature: &'a [u8],
}

impl<'a> Signed<'a> {
    pub fn of(compact: &'a str, jws: &'a CompactJws) -> Self {
        Signed {
            alg: jws.header.get_str("alg"),
            kid: jws.header.get_str("kid"),
            input: compact
                .get(jws.signing_input.clone())
                .unwrap_or_default()
                .as_bytes(),
            signature: &jws.signature,
        }
    }
}

/// Why a key of a key set is not one a server verifies signatures with:
/// its `use` is not `sig`, or its `key_ops` lacks `verify` (RFC 7517 §4.2,
/// §4.3; jose's and Nimbus's key selectors skip such keys).
pub fn unusable_for_verifying(key: &J) -> Option<String> {
    if let Some(u) = key.get("use").and_then(J::as_str).filter(|u| *u != "sig") {
        return Some(format!("its `use` is \"{u}\", not \"sig\""));
    }
    let ops = key.get("key_ops")?;
    let verify = ops
        .as_array()
        .is_some_and(|a| a.iter().any(|o| o.as_str() == Some("verify")));
    (!verify).then(|| format!("its `key_ops` ({ops}) does not include \"verify\""))
}

/// Verifies with one JWK: a public key, or (for HS*) a symmetric `oct` key.
pub fn with_jwk(compact: &str, jws: &CompactJws, key: &J) -> Verified {
    Signed::of(compact, jws).with_jwk(key)
}

/// Verifies with a JWKS (`{"keys": [...]}`, or a single JWK): the key named
/// by the header's `kid` when there is one, else each key that fits.
pub fn with_jwks(compact: &str, jws: &CompactJws, jwks: &J) -> Verified {
    Signed::of(compact, jws).with_jwks(jwks)
}

/// Verifies an HS256/384/512 JWS with a shared secret (constant-time compare).
pub fn with_secret(compact: &str, jws: &CompactJws, secret: &[u8]) -> Verified {
    Signed::of(compact, jws).with_secret(secret)
}

/// Why a key whose `alg` names another algorithm is not used for `alg_name`:
/// RFC 7517 §4.4 names the one algorithm a key is for, and RFC 8725 §3.1
/// has each key used with exactly one (jose's and Nimbus's key selectors
/// skip such keys). Without it, an RSA key published for PS512 verifies an
/// RS256 signature, and a key meant for AES wraps is an HMAC key.
fn alg_conflict(key: &J, alg_name: &str) -> Option<String> {
    let a = key.get("alg")?;
    (a.as_str() != Some(alg_name))
        .then(|| format!("its `alg` is {a}, and the JWS is signed with {alg_name}"))
}

/// The keys of a JWKS (`{"keys": [...]}`), or the one JWK given instead;
/// `None` when it is neither.
pub fn keys_of(jwks: &J) -> Option<Vec<&J>> {
    match jwks.get("keys").and_then(J::as_array) {
        Some(keys) => Some(keys.iter().collect()),
        None if jwks.get("kty").is_some() => Some(vec![jwks]),
        None => None,
    }
}

impl Signed<'_> {
    /// Verifies with one JWK: a public key, or (for HS*) a symmetric `oct` key.
    pub fn with_jwk(&self, key: &J) -> Verified {
        let Some(alg_name) = self.alg else {
            return Verified::NoKey {
                reason: "the header has no `alg`".into(),
            };
        };
        let Some(alg) = jwk::find_alg(alg_name) else {
            return Verified::NoKey {
                reason: format!("`{alg_name}` is not a registered JWS algorithm"),
            };
        };
        if let Some(why) = alg_conflict(key, alg_name) {
            return Verified::NoKey { reason: why };
        }
        if alg.kind == AlgKind::Mac {
            return self.with_oct(key, alg);
        }
        let pk = match jwk::public_key(key, alg) {
            Ok(pk) => pk,
            Err(e) => {
                return Verified::NoKey {
                    reason: e.describe(),
                }
            }
        };
        match jwk::verify(&pk, alg, self.input, self.signature) {
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
    pub fn with_jwks(&self, jwks: &J) -> Verified {
        let Some(keys) = keys_of(jwks) else {
            return Verified::NoKey {
                reason: "the JWKS has no `keys` array".into(),
            };
        };
        let kid = self.kid;
        let candidates: Vec<&J> = match kid {
            Some(kid) => keys
                .iter()
                .copied()
                .filter(|k| k.get("kid").and_then(J::as_str) == Some(kid))
                .collect(),
            None => keys.clone(),
        };
        if candidates.is_empty() {
            return Verified::UnknownKid {
                kid: kid.unwrap_or_default().to_owned(),
            };
        }
        let mut last = Verified::NoKey {
            reason: "no key in the JWKS fits the algorithm".into(),
        };
        for k in candidates {
            if let Some(why) = unusable_for_verifying(k) {
                let name = k.get("kid").and_then(J::as_str).unwrap_or("a key");
                if !matches!(last, Verified::Invalid { .. }) {
                    last = Verified::NoKey {
                        reason: format!("`{name}` is not a key to verify signatures with: {why}"),
                    };
                }
                continue;
            }
            match self.with_jwk(k) {
                v @ Verified::Valid { .. } => return v,
                v @ Verified::Invalid { .. } => last = v,
                v @ (Verified::NoKey { .. } | Verified::UnknownKid { .. }) => {
                    if !matches!(last, Verified::Invalid { .. }) {
                        last = v;
                    }
                }
            }
        }
        last
    }

    /// Verifies an HS* JWS with a JWKS's symmetric key (`kty` `oct`, its `k`).
    fn with_oct(&self, key: &J, alg: &Alg) -> Verified {
        if key.get("kty").and_then(J::as_str) != Some("oct") {
            return Verified::NoKey {
                reason: format!(
                    "a MAC is checked with a shared (kty oct) key, and this one is kty {}",
                    key.get("kty").and_then(J::as_str).unwrap_or("?")
                ),
            };
        }
        let secret = key
            .get("k")
            .and_then(J::as_str)
            .and_then(|k| super::compact::decode_b64url(k).ok());
        match secret {
            Some(secret) if secret.len() < usize::from(alg.hash / 8) => Verified::NoKey {
                reason: format!(
                    "the oct key is {} octets; {} needs a key of at least {} (the hash's \
                     size, RFC 7518 §3.2)",
                    secret.len(),
                    alg.name,
                    alg.hash / 8
                ),
            },
            Some(secret) => self.with_secret(&secret),
            None => Verified::NoKey {
                reason: "the oct key's `k` is not base64url".into(),
            },
        }
    }

    /// Verifies an HS256/384/512 JWS with a shared secret (constant-time compare).
    pub fn with_secret(&self, secret: &[u8]) -> Verified {
        let alg_name = self.alg.unwrap_or_default();
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
            s.update(self.input)?;
            s.sign_to_vec()
        })();
        match mac {
            Ok(m) if m.len() == self.signature.len() && openssl::memcmp::eq(&m, self.signature) => {
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
}
