//! The DPoP toolkit: key generation, proof creation, inspection and RFC 7638
//! thumbprints. Keys and signatures come from josekit; the proof's JSON is
//! written here so `iat` is an integer (josekit's `set_issued_at` writes a
//! fractional one) and tests can build deliberately broken proofs.

use std::path::Path;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use josekit::jwk::alg::ec::EcKeyPair;
use josekit::jwk::alg::ed::EdKeyPair;
use josekit::jwk::alg::rsa::RsaKeyPair;
use josekit::jwk::{Jwk, KeyPair};
use josekit::jws::JwsSigner;
use serde_json::{json, Map, Value};

use crate::jose::jwk as jwkmod;
use crate::lint::{self, FileReport, Settings};
use crate::request::fixture;
use crate::text::printable_path;

/// The algorithms `dpop keygen` and `dpop proof` support.
pub const ALGS: &[&str] = &["ES256", "ES384", "ES512", "RS256", "PS256", "EdDSA"];

#[derive(Debug, thiserror::Error)]
pub enum ToolError {
    #[error("{0}")]
    Msg(String),
    #[error("{0}")]
    Jose(#[from] josekit::JoseError),
}

fn err(m: impl Into<String>) -> ToolError {
    ToolError::Msg(m.into())
}

const NO_PRIVATE_PART: &str = "the key has no private part (`d`): give the private key file \
    that `tokenlint dpop keygen` wrote";

const UNREADABLE_PEM: &str =
    "not a private key PEM that tokenlint can read (EC, RSA or Ed25519, PKCS#8 or traditional)";

/// A private key and the algorithm it signs with.
pub struct SigningKey {
    pub alg: String,
    /// The private JWK (with `alg`).
    jwk: Jwk,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the private members.
        write!(f, "SigningKey({}, {})", self.alg, self.thumbprint())
    }
}

impl SigningKey {
    /// A fresh key pair for `alg`.
    pub fn generate(alg: &str) -> Result<SigningKey, ToolError> {
        use josekit::jws::{EdDSA, ES256, ES384, ES512, PS256, RS256};
        let jwk = match alg {
            "ES256" => ES256.generate_key_pair()?.to_jwk_key_pair(),
            "ES384" => ES384.generate_key_pair()?.to_jwk_key_pair(),
            "ES512" => ES512.generate_key_pair()?.to_jwk_key_pair(),
            "RS256" => RS256.generate_key_pair(2048)?.to_jwk_key_pair(),
            "PS256" => PS256.generate_key_pair(2048)?.to_jwk_key_pair(),
            "EdDSA" => EdDSA
                .generate_key_pair(josekit::jwk::alg::ed::EdCurve::Ed25519)?
                .to_jwk_key_pair(),
            other => {
                return Err(err(format!(
                    "unsupported algorithm {other}; one of {}",
                    ALGS.join(", ")
                )))
            }
        };
        Self::from_jwk(jwk, Some(alg))
    }

    fn from_jwk(mut jwk: Jwk, alg: Option<&str>) -> Result<SigningKey, ToolError> {
        check_rsa_size(&jwk)?;
        let alg = match (alg, jwk.algorithm()) {
            (Some(a), _) => a.to_owned(),
            (None, Some(a)) => a.to_owned(),
            (None, None) => match (jwk.key_type(), jwk.curve()) {
                ("EC", Some("P-256")) => "ES256".into(),
                ("EC", Some("P-384")) => "ES384".into(),
                ("EC", Some("P-521")) => "ES512".into(),
                ("RSA", _) => "RS256".into(),
                ("OKP", Some("Ed25519")) => "EdDSA".into(),
                (kty, crv) => {
                    return Err(err(format!(
                        "cannot sign with a kty {kty} {} key",
                        crv.unwrap_or("")
                    )))
                }
            },
        };
        if !ALGS.contains(&alg.as_str()) {
            return Err(err(format!(
                "unsupported algorithm {alg}; one of {}",
                ALGS.join(", ")
            )));
        }
        if jwk.parameter("d").is_none() {
            return Err(err(NO_PRIVATE_PART));
        }
        jwk.set_algorithm(&alg);
        let key = SigningKey { alg, jwk };
        key.signer()?; // the key fits the algorithm
        Ok(key)
    }

    /// Reads a private key: a JWK (JSON) or a PKCS#8 / traditional PEM.
    /// `alg` picks the algorithm when the key allows several (RSA: RS256 or PS256).
    pub fn parse(text: &str, alg: Option<&str>) -> Result<SigningKey, ToolError> {
        let t = text.trim_start();
        if t.starts_with('{') {
            let jwk = Jwk::from_bytes(t.as_bytes()).map_err(|e| err(format!("not a JWK: {e}")))?;
            return Self::from_jwk(jwk, alg);
        }
        if t.starts_with("-----BEGIN") {
            let pem = t.as_bytes();
            let jwk = if let Ok(k) = EcKeyPair::from_pem(pem, None) {
                k.to_jwk_key_pair()
            } else if let Ok(k) = RsaKeyPair::from_pem(pem) {
                k.to_jwk_key_pair()
            } else if let Ok(k) = EdKeyPair::from_pem(pem) {
                k.to_jwk_key_pair()
            } else {
                return Err(err(UNREADABLE_PEM));
            };
            return Self::from_jwk(jwk, alg);
        }
        Err(err(
            "the key file is neither a JWK (JSON) nor a PEM private key",
        ))
    }

    /// Reads a key file (`limit`: the file limit) and parses it.
    pub fn load(path: &Path, alg: Option<&str>, limit: usize) -> Result<SigningKey, ToolError> {
        let text = crate::read::string(path, limit)
            .map_err(|e| err(format!("cannot read {}: {e}", printable_path(path))))?;
        Self::parse(&text, alg)
    }

    fn signer(&self) -> Result<Box<dyn JwsSigner>, ToolError> {
        use josekit::jws::{EdDSA, ES256, ES384, ES512, PS256, RS256};
        let j = &self.jwk;
        Ok(match self.alg.as_str() {
            "ES256" => Box::new(ES256.signer_from_jwk(j)?),
            "ES384" => Box::new(ES384.signer_from_jwk(j)?),
            "ES512" => Box::new(ES512.signer_from_jwk(j)?),
            "RS256" => Box::new(RS256.signer_from_jwk(j)?),
            "PS256" => Box::new(PS256.signer_from_jwk(j)?),
            "EdDSA" => Box::new(EdDSA.signer_from_jwk(j)?),
            other => return Err(err(format!("unsupported algorithm {other}"))),
        })
    }

    /// The public key: exactly the RFC 7638 required members.
    pub fn public_jwk(&self) -> Value {
        let mut m = Map::new();
        let kty = self.jwk.key_type().to_owned();
        for name in jwkmod::required_members(&kty).unwrap_or(&[]) {
            if let Some(v) = self.jwk.parameter(name) {
                m.insert((*name).to_owned(), v.clone());
            }
        }
        Value::Object(m)
    }

    /// The RFC 7638 SHA-256 thumbprint of the public key.
    pub fn thumbprint(&self) -> String {
        jwkmod::thumbprint(&self.public_jwk()).unwrap_or_default()
    }

    /// The private key as a JWK document (for a 0600 key file; never print it
    /// unasked).
    pub fn private_jwk_text(&self) -> String {
        let mut s = serde_json::to_string_pretty(self.jwk.as_ref()).unwrap_or_default();
        s.push('\n');
        s
    }

    /// The private key as PKCS#8 PEM.
    pub fn private_pem_text(&self) -> Result<String, ToolError> {
        let pem = match self.jwk.key_type() {
            "EC" => EcKeyPair::from_jwk(&self.jwk)?.to_pem_private_key(),
            "RSA" => RsaKeyPair::from_jwk(&self.jwk)?.to_pem_private_key(),
            _ => EdKeyPair::from_jwk(&self.jwk)?.to_pem_private_key(),
        };
        String::from_utf8(pem).map_err(|e| err(e.to_string()))
    }

    /// Signs any header and payload into a compact JWS, serialized as given.
    pub fn sign_compact(&self, header: &Value, payload: &Value) -> Result<String, ToolError> {
        let h = URL_SAFE_NO_PAD.encode(serde_json::to_vec(header).unwrap_or_default());
        let p = URL_SAFE_NO_PAD.encode(serde_json::to_vec(payload).unwrap_or_default());
        self.sign_parts(&h, &p)
    }

    /// Signs already-encoded parts (lets tests build odd JSON by hand).
    pub fn sign_parts(&self, header_b64: &str, payload_b64: &str) -> Result<String, ToolError> {
        let input = format!("{header_b64}.{payload_b64}");
        let sig = self.signer()?.sign(input.as_bytes())?;
        Ok(format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig)))
    }

    /// The standard proof header: typ, alg and the public jwk.
    pub fn proof_header(&self) -> Value {
        json!({"typ": "dpop+jwt", "alg": self.alg, "jwk": self.public_jwk()})
    }
}

/// An RSA key over [`jwkmod::MAX_RSA_BITS`] is refused on the length of
/// its modulus, before any arithmetic (signing with a malformed 74,000-bit
/// key took 13 s). A PEM key reaches this as the JWK it was converted to,
/// which parsing alone produced.
fn check_rsa_size(jwk: &Jwk) -> Result<(), ToolError> {
    if jwk.key_type() != "RSA" {
        return Ok(());
    }
    // A missing or undecodable `n`: josekit says what is wrong with it.
    let Some(Value::String(n)) = jwk.parameter("n") else {
        return Ok(());
    };
    let Ok(n) = URL_SAFE_NO_PAD.decode(n) else {
        return Ok(());
    };
    match jwkmod::rsa_too_large(jwkmod::unsigned_bits(&n)) {
        Some(problem) => Err(err(problem)),
        None => Ok(()),
    }
}

/// What goes into a proof.
#[derive(Clone, Debug, Default)]
pub struct ProofOptions {
    pub htu: String,
    pub htm: String,
    pub nonce: Option<String>,
    /// Hashed into `ath`; never stored in the proof.
    pub access_token: Option<String>,
    pub iat: i64,
    /// Random when `None`.
    pub jti: Option<String>,
}

/// 16 random octets, base64url: 128 bits (RFC 9449 §4.2 asks for ≥ 96).
pub fn random_jti() -> Result<String, ToolError> {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).map_err(|e| err(format!("no randomness: {e}")))?;
    Ok(URL_SAFE_NO_PAD.encode(b))
}

/// The payload of a proof: jti, htm, htu, iat (an integer), nonce, ath.
pub fn proof_payload(opts: &ProofOptions) -> Result<Value, ToolError> {
    let jti = match &opts.jti {
        Some(j) => j.clone(),
        None => random_jti()?,
    };
    let mut p = json!({"jti": jti, "htm": opts.htm, "htu": opts.htu, "iat": opts.iat});
    if let Some(n) = &opts.nonce {
        p["nonce"] = json!(n);
    }
    if let Some(at) = &opts.access_token {
        p["ath"] = json!(jwkmod::ath(at));
    }
    Ok(p)
}

/// A fresh, signed DPoP proof.
pub fn make_proof(key: &SigningKey, opts: &ProofOptions) -> Result<String, ToolError> {
    key.sign_compact(&key.proof_header(), &proof_payload(opts)?)
}

/// The RFC 7638 thumbprint of a key, from what a user has at hand: a JWK
/// (public or private: only the public members count), a JWKS with one key,
/// a PEM key (public or private: SPKI, PKCS#1, PKCS#8, SEC1) or certificate,
/// or a compact JWS carrying one in its header's `jwk` (a DPoP proof).
/// Nothing private is ever returned.
pub fn thumbprint_of(input: &str) -> Result<String, ToolError> {
    let t = input.trim();
    let jwk: Value = if t.starts_with('{') {
        let v: Value = serde_json::from_str(t).map_err(|e| err(format!("not JSON: {e}")))?;
        match v.get("keys").and_then(Value::as_array) {
            Some(keys) if keys.len() == 1 => keys[0].clone(),
            Some(keys) => {
                return Err(err(format!(
                    "a JWKS with {} keys: give the one key to take the thumbprint of",
                    keys.len()
                )))
            }
            None => v,
        }
    } else if t.starts_with("-----BEGIN") {
        pem_public_jwk(t)?
    } else {
        let jws = crate::jose::compact::parse(t).map_err(|e| {
            err(format!(
                "neither a key (JWK, PEM) nor a compact JWS: {}",
                e.describe()
            ))
        })?;
        jws.header
            .get("jwk")
            .map(crate::json::Value::to_json)
            .ok_or_else(|| err("the JWS header has no `jwk`"))?
    };
    jwkmod::thumbprint(&jwk).map_err(err)
}

/// The public JWK (RFC 7638 members only) of a PEM key or certificate.
fn pem_public_jwk(pem: &str) -> Result<Value, ToolError> {
    use openssl::pkey::{Id, PKey, Public};
    let bytes = pem.as_bytes();
    let public: PKey<Public> = if pem.contains("PRIVATE KEY") {
        if pem.contains("ENCRYPTED") {
            return Err(err(
                "an encrypted private key: tokenlint reads no passphrase; give its public key \
                 (`openssl pkey -pubout -in KEY`)",
            ));
        }
        // No passphrase callback: OpenSSL's default would prompt on the terminal.
        let private = PKey::private_key_from_pem_callback(bytes, |_| Ok(0))
            .map_err(|_| err("a PEM private key tokenlint cannot read (EC, RSA, Ed25519)"))?;
        let der = private
            .public_key_to_der()
            .map_err(|e| err(e.to_string()))?;
        PKey::public_key_from_der(&der).map_err(|e| err(e.to_string()))?
    } else if pem.contains("BEGIN CERTIFICATE") {
        openssl::x509::X509::from_pem(bytes)
            .and_then(|c| c.public_key())
            .map_err(|_| err("a PEM certificate tokenlint cannot read"))?
    } else if pem.contains("BEGIN RSA PUBLIC KEY") {
        let rsa = openssl::rsa::Rsa::public_key_from_pem_pkcs1(bytes)
            .map_err(|_| err("a PKCS#1 RSA public key tokenlint cannot read"))?;
        PKey::from_rsa(rsa).map_err(|e| err(e.to_string()))?
    } else {
        PKey::public_key_from_pem(bytes)
            .map_err(|_| err("a PEM public key tokenlint cannot read (EC, RSA, Ed25519)"))?
    };
    let b64 = |b: &[u8]| URL_SAFE_NO_PAD.encode(b);
    match public.id() {
        Id::RSA => {
            let rsa = public.rsa().map_err(|e| err(e.to_string()))?;
            Ok(json!({"kty": "RSA", "n": b64(&rsa.n().to_vec()), "e": b64(&rsa.e().to_vec())}))
        }
        Id::EC => {
            let ec = public.ec_key().map_err(|e| err(e.to_string()))?;
            let group = ec.group();
            let crv = match group.curve_name() {
                Some(openssl::nid::Nid::X9_62_PRIME256V1) => "P-256",
                Some(openssl::nid::Nid::SECP384R1) => "P-384",
                Some(openssl::nid::Nid::SECP521R1) => "P-521",
                Some(openssl::nid::Nid::SECP256K1) => "secp256k1",
                _ => return Err(err("an EC key on a curve JOSE does not name")),
            };
            let size = (group.degree() as usize).div_ceil(8);
            let mut ctx = openssl::bn::BigNumContext::new().map_err(|e| err(e.to_string()))?;
            let (mut x, mut y) = (
                openssl::bn::BigNum::new().map_err(|e| err(e.to_string()))?,
                openssl::bn::BigNum::new().map_err(|e| err(e.to_string()))?,
            );
            ec.public_key()
                .affine_coordinates(group, &mut x, &mut y, &mut ctx)
                .map_err(|e| err(e.to_string()))?;
            let pad = |n: &openssl::bn::BigNum| n.to_vec_padded(size as i32).map(|v| b64(&v));
            let (x, y) = (pad(&x), pad(&y));
            Ok(
                json!({"kty": "EC", "crv": crv, "x": x.map_err(|e| err(e.to_string()))?,
                      "y": y.map_err(|e| err(e.to_string()))?}),
            )
        }
        Id::ED25519 | Id::ED448 => {
            let raw = public.raw_public_key().map_err(|e| err(e.to_string()))?;
            let crv = if public.id() == Id::ED25519 {
                "Ed25519"
            } else {
                "Ed448"
            };
            Ok(json!({"kty": "OKP", "crv": crv, "x": b64(&raw)}))
        }
        _ => Err(err("a key type JOSE has no thumbprint for")),
    }
}

/// The warning `dpop inspect` turns into a line when no `htu` is given.
const HTU_UNKNOWN: &str = "dpop/htu-unknown-target";

/// What `dpop inspect` shows.
pub struct Inspection {
    /// Whether `htu` was compared with a URL (`--htu`, `token-endpoint`).
    pub htu_compared: bool,
    pub header: Option<Value>,
    pub payload: Option<Value>,
    pub thumbprint: Option<String>,
    pub signature: &'static str,
    pub report: FileReport,
}

/// Decodes a proof and lints it alone (as a request carrying only this
/// proof, with the given `htm`/`htu`); only `dpop/` findings are kept.
pub fn inspect(
    proof: &str,
    htm: Option<&str>,
    htu: Option<&str>,
    settings: &Settings,
) -> Inspection {
    let mut body = json!({"dpop": proof.trim()});
    if let Some(m) = htm {
        body["htm"] = json!(m);
    }
    if let Some(u) = htu {
        body["htu"] = json!(u);
    }
    let text = serde_json::to_string_pretty(&body).unwrap_or_default();
    let loaded = fixture::load_str("<proof>", &text);
    let mut report = lint::lint(&loaded, settings);
    // Without a URL to compare with, that is one line of the inspection
    // (`htu_compared`), not a warning on every proof.
    report
        .findings
        .retain(|f| f.rule.area() == "dpop" && !(htu.is_none() && f.rule.id == HTU_UNKNOWN));
    let jws = crate::jose::compact::parse(proof.trim()).ok();
    let t = crate::span::Text::verbatim(proof.trim(), 0);
    let view = lint::view::dpop::DpopView::new(&t);
    let signature = match view.verification() {
        lint::view::dpop::Verification::Valid => "valid",
        lint::view::dpop::Verification::Invalid => "invalid",
        lint::view::dpop::Verification::Malformed(_) => "malformed",
        lint::view::dpop::Verification::NotChecked => "not checked",
    };
    let mut header = jws.as_ref().map(|j| j.header.value.to_json());
    // Never show private key members, even when the proof has them.
    if let Some(h) = &mut header {
        crate::secrets::mask_private_jwk_members(h);
    }
    Inspection {
        htu_compared: htu.is_some(),
        header,
        payload: jws.as_ref().map(|j| j.payload.value.to_json()),
        thumbprint: view.thumbprint(),
        signature,
        report,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A private RSA key over 16,384 bits, as a JWK or a PEM, is refused
    /// on the size of its modulus before any signing (a malformed
    /// 74,000-bit key took 13 s to sign with).
    #[test]
    fn rsa_keys_over_the_size_limit_are_refused() {
        use openssl::bn::BigNum;
        use openssl::rsa::Rsa;
        // Components that make no RSA key, as an attacker would give them:
        // only their sizes matter.
        let odd = |bits: usize| {
            let mut v = vec![0xa5u8; bits / 8];
            v[0] |= 0x80;
            if let Some(last) = v.last_mut() {
                *last |= 1;
            }
            BigNum::from_slice(&v).unwrap()
        };
        let bits = jwkmod::MAX_RSA_BITS + 8;
        let half = bits / 2;
        let rsa = Rsa::from_private_components(
            odd(bits),
            BigNum::from_u32(65537).unwrap(),
            odd(bits - 8),
            odd(half),
            odd(half),
            odd(half - 8),
            odd(half - 8),
            odd(half - 8),
        )
        .unwrap();
        let pem = String::from_utf8(rsa.private_key_to_pem().unwrap()).unwrap();
        let err = SigningKey::parse(&pem, None).unwrap_err().to_string();
        assert!(
            err.contains("16392 bits") && err.contains("at most 16384"),
            "{err}"
        );
        let b64 = |n: &openssl::bn::BigNumRef| URL_SAFE_NO_PAD.encode(n.to_vec());
        let jwk = json!({"kty": "RSA", "n": b64(rsa.n()), "e": "AQAB", "d": b64(rsa.d()),
            "p": b64(rsa.p().unwrap()), "q": b64(rsa.q().unwrap()),
            "dp": b64(rsa.dmp1().unwrap()), "dq": b64(rsa.dmq1().unwrap()),
            "qi": b64(rsa.iqmp().unwrap())});
        let err = SigningKey::parse(&jwk.to_string(), None)
            .unwrap_err()
            .to_string();
        assert!(err.contains("at most 16384"), "{err}");
    }

    #[test]
    fn proofs_for_every_algorithm_verify_and_lint_clean() {
        for alg in ALGS {
            let key = SigningKey::generate(alg).unwrap();
            let proof = make_proof(
                &key,
                &ProofOptions {
                    htu: "https://as.example.com/token".into(),
                    htm: "POST".into(),
                    iat: 1_767_225_600,
                    ..Default::default()
                },
            )
            .unwrap();
            assert!(!proof.contains("\"d\""));
            let mut settings = Settings::with_now(1_767_225_600);
            settings.profile = Some("rfc".into());
            let i = inspect(
                &proof,
                None,
                Some("https://as.example.com/token"),
                &settings,
            );
            assert_eq!(i.signature, "valid", "{alg}");
            let ids: Vec<_> = i.report.findings.iter().map(|f| f.rule.id).collect();
            assert!(ids.is_empty(), "{alg}: {ids:?}");
            assert_eq!(i.thumbprint.as_deref(), Some(key.thumbprint().as_str()));
            // The key round-trips through its files.
            let again = SigningKey::parse(&key.private_jwk_text(), None).unwrap();
            assert_eq!(again.thumbprint(), key.thumbprint());
            assert_eq!(again.alg, *alg);
            let pem = key.private_pem_text().unwrap();
            let from_pem = SigningKey::parse(&pem, Some(alg)).unwrap();
            assert_eq!(from_pem.thumbprint(), key.thumbprint());
        }
    }

    #[test]
    fn iat_is_an_integer_and_ath_is_the_hash() {
        let p = proof_payload(&ProofOptions {
            htu: "https://a/t".into(),
            htm: "POST".into(),
            iat: 5,
            access_token: Some("Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU".into()),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(p["iat"].to_string(), "5");
        assert_eq!(p["ath"], "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo");
        assert_eq!(p["jti"].as_str().unwrap().len(), 22);
    }
}
