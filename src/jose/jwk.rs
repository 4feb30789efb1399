//! JSON Web Keys as they appear embedded in a JWS header: the RFC 7638
//! thumbprint, the private members a public key must not carry, the JWS
//! algorithms and which key each needs, and building an OpenSSL public key
//! from a JWK with exactly the validation that matters (point on the curve,
//! RSA modulus size) and nothing redundant, so verifying costs about one
//! raw signature check.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use openssl::bn::{BigNum, BigNumContext};
use openssl::ec::{EcGroup, EcKey, EcPoint};
use openssl::ecdsa::EcdsaSig;
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::{Id, PKey, Public};
use openssl::rsa::{Padding, Rsa};
use openssl::sign::{RsaPssSaltlen, Verifier};
use serde_json::Value as J;

use crate::memo::{self, Memo};
use sha2::{Digest, Sha256, Sha384, Sha512};

pub use crate::secrets::JWK_PRIVATE_MEMBERS as PRIVATE_MEMBERS;

/// The smallest RSA modulus RFC 7518 §3.3 allows.
pub const MIN_RSA_BITS: usize = 2048;

/// The largest RSA modulus tokenlint computes with (OpenSSL's own ceiling,
/// `OPENSSL_RSA_MAX_MODULUS_BITS`). Every key path checks it on the
/// modulus's length before any arithmetic: signing with a malformed
/// 74,000-bit key took 13 s.
pub const MAX_RSA_BITS: usize = 16_384;

/// The size in bits of a big-endian unsigned integer (leading zero octets
/// ignored), counted without arithmetic on it.
pub fn unsigned_bits(be: &[u8]) -> usize {
    let digits = be
        .iter()
        .position(|&b| b != 0)
        .map_or(&[][..], |i| &be[i..]);
    match digits.first() {
        Some(&top) => (digits.len() - 1) * 8 + (8 - top.leading_zeros() as usize),
        None => 0,
    }
}

/// Why an RSA modulus of `bits` bits is not used, if it is too large.
pub fn rsa_too_large(bits: usize) -> Option<String> {
    (bits > MAX_RSA_BITS).then(|| {
        format!(
            "the RSA modulus is {bits} bits; tokenlint uses RSA keys of at most {MAX_RSA_BITS} bits"
        )
    })
}

/// What a JWS `alg` is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AlgKind {
    None,
    Mac,
    /// ECDSA on a named curve (JWK `crv`), coordinates of `len` bytes.
    Ecdsa {
        crv: &'static str,
        len: usize,
    },
    Rsa {
        pss: bool,
    },
    /// EdDSA; `crv` is fixed for the fully-specified `Ed25519`/`Ed448` (RFC 9864).
    Eddsa {
        crv: Option<&'static str>,
    },
}

/// A JWS algorithm registered in IANA's JOSE registry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Alg {
    pub name: &'static str,
    pub kind: AlgKind,
    /// SHA-2 output size in bits (0 when there is no separate hash).
    pub hash: u16,
}

const fn alg(name: &'static str, kind: AlgKind, hash: u16) -> Alg {
    Alg { name, kind, hash }
}

pub const ALGS: &[Alg] = &[
    alg("none", AlgKind::None, 0),
    alg("HS256", AlgKind::Mac, 256),
    alg("HS384", AlgKind::Mac, 384),
    alg("HS512", AlgKind::Mac, 512),
    alg("RS256", AlgKind::Rsa { pss: false }, 256),
    alg("RS384", AlgKind::Rsa { pss: false }, 384),
    alg("RS512", AlgKind::Rsa { pss: false }, 512),
    alg("PS256", AlgKind::Rsa { pss: true }, 256),
    alg("PS384", AlgKind::Rsa { pss: true }, 384),
    alg("PS512", AlgKind::Rsa { pss: true }, 512),
    alg(
        "ES256",
        AlgKind::Ecdsa {
            crv: "P-256",
            len: 32,
        },
        256,
    ),
    alg(
        "ES384",
        AlgKind::Ecdsa {
            crv: "P-384",
            len: 48,
        },
        384,
    ),
    alg(
        "ES512",
        AlgKind::Ecdsa {
            crv: "P-521",
            len: 66,
        },
        512,
    ),
    alg(
        "ES256K",
        AlgKind::Ecdsa {
            crv: "secp256k1",
            len: 32,
        },
        256,
    ),
    alg("EdDSA", AlgKind::Eddsa { crv: None }, 0),
    alg(
        "Ed25519",
        AlgKind::Eddsa {
            crv: Some("Ed25519"),
        },
        0,
    ),
    alg("Ed448", AlgKind::Eddsa { crv: Some("Ed448") }, 0),
];

/// The registered algorithm with exactly this name (names are case-sensitive).
pub fn find_alg(name: &str) -> Option<&'static Alg> {
    ALGS.iter().find(|a| a.name == name)
}

/// RFC 7638 §3.2: the required members of each key type.
pub fn required_members(kty: &str) -> Option<&'static [&'static str]> {
    match kty {
        "EC" => Some(&["crv", "kty", "x", "y"]),
        "RSA" => Some(&["e", "kty", "n"]),
        "oct" => Some(&["k", "kty"]),
        "OKP" => Some(&["crv", "kty", "x"]),
        _ => None,
    }
}

/// The RFC 7638 input: the required members, sorted, no whitespace.
pub fn thumbprint_input(jwk: &J) -> Result<String, String> {
    let obj = jwk.as_object().ok_or("the JWK is not a JSON object")?;
    let kty = obj
        .get("kty")
        .and_then(J::as_str)
        .ok_or("the JWK has no string `kty`")?;
    let members = required_members(kty).ok_or_else(|| format!("unknown kty `{kty}`"))?;
    let mut out = String::from("{");
    for (i, m) in members.iter().enumerate() {
        let v = obj
            .get(*m)
            .and_then(J::as_str)
            .ok_or_else(|| format!("the {kty} JWK has no string `{m}`"))?;
        if i > 0 {
            out.push(',');
        }
        out.push_str(&serde_json::to_string(m).unwrap_or_default());
        out.push(':');
        out.push_str(&serde_json::to_string(v).unwrap_or_default());
    }
    out.push('}');
    Ok(out)
}

/// The RFC 7638 SHA-256 thumbprint, base64url without padding (`jkt`).
pub fn thumbprint(jwk: &J) -> Result<String, String> {
    let input = thumbprint_input(jwk)?;
    Ok(URL_SAFE_NO_PAD.encode(Sha256::digest(input.as_bytes())))
}

/// RFC 9449 §4.2 `ath`: base64url(SHA-256(ASCII access token)).
pub fn ath(access_token: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(access_token.as_bytes()))
}

/// Why a JWK cannot be used as the public key for an algorithm.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyError {
    /// `kty`/`crv` does not fit the algorithm.
    Mismatch(String),
    /// A member is missing, not a string or not base64url.
    Member { name: &'static str, problem: String },
    /// A well-formed key that is not acceptable (point off the curve, small RSA modulus).
    Invalid { name: &'static str, problem: String },
    /// The algorithm has no public key (`none`, MACs).
    NoPublicKey,
}

impl KeyError {
    pub fn describe(&self) -> String {
        match self {
            KeyError::Mismatch(m) => m.clone(),
            KeyError::Member { name, problem } | KeyError::Invalid { name, problem } => {
                format!("`{name}`: {problem}")
            }
            KeyError::NoPublicKey => "this algorithm does not use a public key".into(),
        }
    }

    /// The JWK member the problem is about, if any.
    pub fn member(&self) -> Option<&'static str> {
        match self {
            KeyError::Member { name, .. } | KeyError::Invalid { name, .. } => Some(name),
            _ => None,
        }
    }
}

fn member<'j>(jwk: &'j J, name: &'static str) -> Result<&'j str, KeyError> {
    match jwk.get(name) {
        None => Err(KeyError::Member {
            name,
            problem: "missing".into(),
        }),
        Some(J::String(s)) => Ok(s),
        Some(_) => Err(KeyError::Member {
            name,
            problem: "not a string".into(),
        }),
    }
}

fn b64_member(jwk: &J, name: &'static str) -> Result<Vec<u8>, KeyError> {
    let s = member(jwk, name)?;
    crate::jose::compact::decode_b64url(s).map_err(|_| KeyError::Member {
        name,
        problem: "not base64url without padding".into(),
    })
}

/// A public key ready to verify signatures of one algorithm.
pub enum PublicKey {
    Ec {
        key: EcKey<Public>,
        len: usize,
    },
    Rsa {
        key: PKey<Public>,
        pss: bool,
        bits: usize,
    },
    Ed(PKey<Public>),
}

fn curve_nid(crv: &str) -> Option<Nid> {
    match crv {
        "P-256" => Some(Nid::X9_62_PRIME256V1),
        "P-384" => Some(Nid::SECP384R1),
        "P-521" => Some(Nid::SECP521R1),
        "secp256k1" => Some(Nid::SECP256K1),
        _ => None,
    }
}

/// The curve's parameters. They are constants, so each group is built once
/// per process (building one costs about a fifth of a P-256 verify).
fn curve_group(nid: Nid) -> Result<&'static EcGroup, openssl::error::ErrorStack> {
    use std::sync::OnceLock;
    static GROUPS: [OnceLock<EcGroup>; 4] = [const { OnceLock::new() }; 4];
    let i = match nid {
        Nid::X9_62_PRIME256V1 => 0,
        Nid::SECP384R1 => 1,
        Nid::SECP521R1 => 2,
        _ => 3,
    };
    if let Some(g) = GROUPS[i].get() {
        return Ok(g);
    }
    let g = EcGroup::from_curve_name(nid)?;
    Ok(GROUPS[i].get_or_init(|| g))
}

/// Whether the JWK's `kty`/`crv` fit `alg`; `Err` says how they do not.
pub fn check_kty(jwk: &J, alg: &Alg) -> Result<(), KeyError> {
    let kty = member(jwk, "kty")?;
    let crv = jwk.get("crv").and_then(J::as_str);
    let want = |k: &str, c: Option<&str>| -> Result<(), KeyError> {
        if kty != k {
            return Err(KeyError::Mismatch(format!(
                "alg {} needs a kty {k} key, but the jwk has kty {kty}",
                alg.name
            )));
        }
        if let Some(c) = c {
            if crv != Some(c) {
                return Err(KeyError::Mismatch(format!(
                    "alg {} needs curve {c}, but the jwk has {}",
                    alg.name,
                    crv.map_or("no crv".to_owned(), |x| format!("crv {x}"))
                )));
            }
        }
        Ok(())
    };
    match alg.kind {
        AlgKind::None | AlgKind::Mac => Err(KeyError::NoPublicKey),
        AlgKind::Ecdsa { crv, .. } => want("EC", Some(crv)),
        AlgKind::Rsa { .. } => want("RSA", None),
        AlgKind::Eddsa { crv: Some(c) } => want("OKP", Some(c)),
        AlgKind::Eddsa { crv: None } => {
            want("OKP", None)?;
            match crv {
                Some("Ed25519" | "Ed448") => Ok(()),
                other => Err(KeyError::Mismatch(format!(
                    "alg EdDSA needs curve Ed25519 or Ed448, but the jwk has {}",
                    other.map_or("no crv".to_owned(), |x| format!("crv {x}"))
                ))),
            }
        }
    }
}

/// Builds the public key for `alg` from a JWK. For EC keys the point is
/// decoded with `EC_POINT_oct2point`, which rejects coordinates outside the
/// field and points not on the curve; all supported curves have cofactor 1,
/// so that is the full validity check (no extra scalar multiplication, as
/// `EC_KEY_check_key` would do).
pub fn public_key(jwk: &J, alg: &Alg) -> Result<PublicKey, KeyError> {
    check_kty(jwk, alg)?;
    match alg.kind {
        AlgKind::None | AlgKind::Mac => Err(KeyError::NoPublicKey),
        AlgKind::Ecdsa { crv, len } => ec_key(jwk, crv, len),
        AlgKind::Rsa { pss } => rsa_key(jwk, pss),
        AlgKind::Eddsa { .. } => ed_key(jwk),
    }
}

/// Maps an OpenSSL error to an invalid `name` member.
fn ossl(name: &'static str) -> impl Fn(openssl::error::ErrorStack) -> KeyError {
    move |e| KeyError::Invalid {
        name,
        problem: format!("OpenSSL: {e}"),
    }
}

fn ec_key(jwk: &J, crv: &'static str, len: usize) -> Result<PublicKey, KeyError> {
    let nid = curve_nid(crv).ok_or(KeyError::NoPublicKey)?;
    let x = b64_member(jwk, "x")?;
    let y = b64_member(jwk, "y")?;
    for (name, c) in [("x", &x), ("y", &y)] {
        if c.len() != len {
            return Err(KeyError::Invalid {
                name,
                problem: format!(
                    "a {crv} coordinate is {len} octets (RFC 7518 §6.2.1.2), this one is {}",
                    c.len()
                ),
            });
        }
    }
    let mut octets = Vec::with_capacity(1 + 2 * len);
    octets.push(4);
    octets.extend_from_slice(&x);
    octets.extend_from_slice(&y);
    // A client signs every proof with the same key: build each key
    // (and check its point) once per run. Public keys only.
    static KEYS: Memo<EcKey<Public>> = Memo::new(1024);
    let key = KEYS.get_or_try(memo::key(&[crv.as_bytes(), &octets]), || {
        let group = curve_group(nid).map_err(ossl("crv"))?;
        let mut ctx = BigNumContext::new().map_err(ossl("x"))?;
        let point =
            EcPoint::from_bytes(group, &octets, &mut ctx).map_err(|_| KeyError::Invalid {
                name: "x",
                problem: format!("the point (x, y) is not on curve {crv}"),
            })?;
        EcKey::from_public_key(group, &point).map_err(ossl("x"))
    })?;
    Ok(PublicKey::Ec { key, len })
}

fn rsa_key(jwk: &J, pss: bool) -> Result<PublicKey, KeyError> {
    let n = b64_member(jwk, "n")?;
    let e = b64_member(jwk, "e")?;
    let bits = unsigned_bits(&n);
    if let Some(problem) = rsa_too_large(bits) {
        return Err(KeyError::Invalid { name: "n", problem });
    }
    if unsigned_bits(&e) > bits {
        return Err(KeyError::Invalid {
            name: "e",
            problem: "the RSA exponent is larger than the modulus".into(),
        });
    }
    let n = BigNum::from_slice(&n).map_err(ossl("n"))?;
    let e = BigNum::from_slice(&e).map_err(ossl("e"))?;
    if let Some(problem) = rsa_exponent_problem(&e, &n) {
        return Err(KeyError::Invalid { name: "e", problem });
    }
    if !n.is_bit_set(0) {
        return Err(KeyError::Invalid {
            name: "n",
            problem: "the RSA modulus is even, so it is not the product of two large odd primes \
                      (RFC 8017 §3.1): the key is broken or made up"
                .into(),
        });
    }
    if bits < MIN_RSA_BITS {
        return Err(KeyError::Invalid {
            name: "n",
            problem: format!(
                "the RSA modulus is {bits} bits; RFC 7518 §3.3 requires at least {MIN_RSA_BITS}"
            ),
        });
    }
    let rsa = Rsa::from_public_components(n, e).map_err(ossl("n"))?;
    let key = PKey::from_rsa(rsa).map_err(ossl("n"))?;
    Ok(PublicKey::Rsa { key, pss, bits })
}

/// What is wrong with the public exponent `e` of modulus `n`: RFC 8017
/// §3.1 wants an odd `e` with 3 <= e < n. With e = 1 a "signature" is the
/// padded message itself, which anyone can write: OpenSSL verifies it.
fn rsa_exponent_problem(e: &BigNum, n: &BigNum) -> Option<String> {
    let small = e.num_bits() <= 32;
    let value = || {
        e.to_dec_str()
            .map_or_else(|_| "?".into(), |s| s.to_string())
    };
    if small && e.num_bits() <= 1 {
        return Some(format!(
            "the RSA public exponent is {}: with e = 1 the \"signature\" is the padded message \
             itself, so anyone can forge one for this key (RFC 8017 §3.1 requires 3 <= e < n)",
            value()
        ));
    }
    if !e.is_bit_set(0) {
        return Some(format!(
            "the RSA public exponent {} is even: no RSA key has one (e must be coprime to the \
             even λ(n), RFC 8017 §3.1)",
            value()
        ));
    }
    if e >= n {
        return Some("the RSA public exponent is not below the modulus (RFC 8017 §3.1)".into());
    }
    None
}

/// An algorithm a public key of this `kty` (and `crv`) signs with, to read
/// and validate a key that no JWS names the algorithm of (an attestation's
/// `cnf.jwk`): RS256 for RSA, the curve's ECDSA, EdDSA for OKP.
pub fn signing_alg_for(jwk: &J) -> Option<&'static Alg> {
    let crv = jwk.get("crv").and_then(J::as_str);
    let name = match (jwk.get("kty").and_then(J::as_str)?, crv) {
        ("RSA", _) => "RS256",
        ("EC", Some("P-256")) => "ES256",
        ("EC", Some("P-384")) => "ES384",
        ("EC", Some("P-521")) => "ES512",
        ("EC", Some("secp256k1")) => "ES256K",
        ("OKP", Some("Ed25519" | "Ed448")) => "EdDSA",
        _ => return None,
    };
    find_alg(name)
}

/// Whether an RSA JWK's modulus has the ROCA fingerprint (CVE-2017-15361,
/// see [`super::roca`]); `false` for any other key or a modulus that does
/// not decode.
pub fn rsa_roca(jwk: &J) -> bool {
    if jwk.get("kty").and_then(J::as_str) != Some("RSA") {
        return false;
    }
    let Ok(n) = b64_member(jwk, "n") else {
        return false;
    };
    // No arithmetic on a modulus over the size every key path refuses.
    if rsa_too_large(unsigned_bits(&n)).is_some() {
        return false;
    }
    BigNum::from_slice(&n).is_ok_and(|n| super::roca::fingerprinted(&n))
}

fn ed_key(jwk: &J) -> Result<PublicKey, KeyError> {
    let crv = member(jwk, "crv")?;
    let (id, len) = match crv {
        "Ed25519" => (Id::ED25519, 32),
        _ => (Id::ED448, 57),
    };
    let x = b64_member(jwk, "x")?;
    if x.len() != len {
        return Err(KeyError::Invalid {
            name: "x",
            problem: format!(
                "an {crv} public key is {len} octets, this one is {}",
                x.len()
            ),
        });
    }
    let key = PKey::public_key_from_raw_bytes(&x, id).map_err(ossl("x"))?;
    Ok(PublicKey::Ed(key))
}

fn digest(bits: u16, data: &[u8]) -> Vec<u8> {
    match bits {
        384 => Sha384::digest(data).to_vec(),
        512 => Sha512::digest(data).to_vec(),
        _ => Sha256::digest(data).to_vec(),
    }
}

fn md(bits: u16) -> MessageDigest {
    match bits {
        384 => MessageDigest::sha384(),
        512 => MessageDigest::sha512(),
        _ => MessageDigest::sha256(),
    }
}

/// Verifies a JWS signature (`signature` as in the compact form: `r || s`
/// for ECDSA). `Err` is a signature that is malformed (wrong length).
pub fn verify(key: &PublicKey, alg: &Alg, input: &[u8], signature: &[u8]) -> Result<bool, String> {
    match key {
        PublicKey::Ec { key, len } => {
            if signature.len() != 2 * len {
                return Err(format!(
                    "an {} signature is {} octets (r || s, RFC 7518 §3.4), this one is {}{}",
                    alg.name,
                    2 * len,
                    signature.len(),
                    if signature.first() == Some(&0x30) {
                        ": it looks DER-encoded; JWS uses the raw r || s form"
                    } else {
                        ""
                    }
                ));
            }
            let r = BigNum::from_slice(&signature[..*len]).map_err(|e| e.to_string())?;
            let s = BigNum::from_slice(&signature[*len..]).map_err(|e| e.to_string())?;
            let sig = EcdsaSig::from_private_components(r, s).map_err(|e| e.to_string())?;
            Ok(sig.verify(&digest(alg.hash, input), key).unwrap_or(false))
        }
        PublicKey::Rsa { key, pss, bits } => {
            if signature.len() != bits.div_ceil(8) {
                return Err(format!(
                    "an RSA signature with this {bits}-bit key is {} octets, this one is {}",
                    bits.div_ceil(8),
                    signature.len()
                ));
            }
            let mut v = Verifier::new(md(alg.hash), key).map_err(|e| e.to_string())?;
            if *pss {
                v.set_rsa_padding(Padding::PKCS1_PSS)
                    .and_then(|()| v.set_rsa_pss_saltlen(RsaPssSaltlen::DIGEST_LENGTH))
                    .map_err(|e| e.to_string())?;
            }
            v.update(input).map_err(|e| e.to_string())?;
            Ok(v.verify(signature).unwrap_or(false))
        }
        PublicKey::Ed(key) => {
            let mut v = Verifier::new_without_digest(key).map_err(|e| e.to_string())?;
            Ok(v.verify_oneshot(signature, input).unwrap_or(false))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn bits_are_counted_without_arithmetic() {
        assert_eq!(unsigned_bits(&[]), 0);
        assert_eq!(unsigned_bits(&[0, 0]), 0);
        assert_eq!(unsigned_bits(&[0, 1]), 1);
        assert_eq!(unsigned_bits(&[0, 0x80, 0]), 16);
        assert_eq!(unsigned_bits(&[0x01, 0xff]), 9);
    }

    /// The ROCA test does no arithmetic on a modulus over the size limit:
    /// 65537^k has the fingerprint at any size, and is looked at only up to
    /// the limit.
    #[test]
    fn roca_is_not_computed_over_the_size_limit() {
        let power = |k: u32| {
            let mut ctx = openssl::bn::BigNumContext::new().unwrap();
            let mut n = BigNum::new().unwrap();
            let g = BigNum::from_u32(65_537).unwrap();
            n.exp(&g, &BigNum::from_u32(k).unwrap(), &mut ctx).unwrap();
            json!({"kty": "RSA", "e": "AQAB", "n": URL_SAFE_NO_PAD.encode(n.to_vec())})
        };
        // 65537^k has 16k + 1 bits.
        assert!(rsa_roca(&power(1000)));
        assert!(!rsa_roca(&power(1100)));
    }

    /// An RSA modulus over 16,384 bits is refused on its length; one at the
    /// limit is built.
    #[test]
    fn rsa_keys_over_the_size_limit_are_refused_before_use() {
        let alg = find_alg("RS256").unwrap();
        let jwk = |n: &[u8]| json!({"kty": "RSA", "e": "AQAB", "n": URL_SAFE_NO_PAD.encode(n)});
        let mut over = vec![0xff; MAX_RSA_BITS / 8];
        over.insert(0, 0x01);
        match public_key(&jwk(&over), alg) {
            Err(KeyError::Invalid { name: "n", problem }) => {
                assert!(problem.contains("16385 bits"), "{problem}");
                assert!(problem.contains("at most 16384"), "{problem}");
            }
            Err(e) => panic!("{e:?}"),
            Ok(_) => panic!("a 16,385-bit modulus was accepted"),
        }
        assert!(public_key(&jwk(&vec![0xff; MAX_RSA_BITS / 8]), alg).is_ok());
        // An exponent larger than the modulus is no RSA key.
        let big_e = json!({"kty": "RSA", "e": URL_SAFE_NO_PAD.encode([0xff; 300]),
            "n": URL_SAFE_NO_PAD.encode([0xff; 256])});
        assert!(matches!(
            public_key(&big_e, alg),
            Err(KeyError::Invalid { name: "e", .. })
        ));
    }

    #[test]
    fn rfc7638_section_3_1() {
        let jwk = json!({"kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw","e":"AQAB","alg":"RS256","kid":"2011-04-29"});
        assert_eq!(
            thumbprint(&jwk).unwrap(),
            "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
        );
        assert!(thumbprint_input(&jwk)
            .unwrap()
            .starts_with(r#"{"e":"AQAB","kty":"RSA","n":"0vx7"#));
    }

    #[test]
    fn rfc9449_jkt_and_ath() {
        let jwk = json!({"kty":"EC","x":"l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs","y":"9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDA","crv":"P-256"});
        assert_eq!(
            thumbprint(&jwk).unwrap(),
            "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"
        );
        assert_eq!(
            ath("Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU"),
            "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo"
        );
    }

    #[test]
    fn rfc8037_a3() {
        let jwk =
            json!({"crv":"Ed25519","kty":"OKP","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"});
        assert_eq!(
            thumbprint(&jwk).unwrap(),
            "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"
        );
    }

    /// RFC 8017 §3.1: 3 <= e < n, e odd, n odd. With e = 1 the padding is
    /// its own signature: without the check, OpenSSL verifies the forgery.
    #[test]
    fn rsa_exponent_and_modulus_are_checked() {
        let rs256 = find_alg("RS256").unwrap();
        let n = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";
        let key = |e: &str, n: &str| json!({"kty": "RSA", "n": n, "e": e});
        let member = |r: Result<PublicKey, KeyError>| r.err().and_then(|e| e.member());
        assert!(public_key(&key("AQAB", n), rs256).is_ok());
        assert!(public_key(&key("Aw", n), rs256).is_ok()); // e = 3
        for e in ["AQ", "AA", "Ag", "AQAA"] {
            // 1, 0, 2, 65536
            assert_eq!(member(public_key(&key(e, n), rs256)), Some("e"), "e = {e}");
        }
        // The last character holds the modulus's two lowest bits: `w` is
        // 0b11, `g` 0b10.
        let even = format!("{}g", &n[..n.len() - 1]);
        assert_eq!(member(public_key(&key("AQAB", &even), rs256)), Some("n"));
        // e = 1 makes the padded digest its own signature: the forgery that
        // verified before the check.
        let e1 = key("AQ", n);
        assert!(matches!(
            public_key(&e1, rs256),
            Err(KeyError::Invalid { name: "e", problem }) if problem.contains("forge")
        ));
    }

    #[test]
    fn point_must_be_on_the_curve() {
        let es256 = find_alg("ES256").unwrap();
        let good = json!({"kty":"EC","x":"l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs","y":"9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDA","crv":"P-256"});
        assert!(public_key(&good, es256).is_ok());
        let mut bad = good.clone();
        bad["y"] = json!("9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDE");
        assert!(matches!(
            public_key(&bad, es256),
            Err(KeyError::Invalid { name: "x", .. })
        ));
        let mut short = good.clone();
        short["x"] = json!("AAAA");
        assert!(matches!(
            public_key(&short, es256),
            Err(KeyError::Invalid { name: "x", .. })
        ));
        let es384 = find_alg("ES384").unwrap();
        assert!(matches!(
            public_key(&good, es384),
            Err(KeyError::Mismatch(_))
        ));
    }
}
