//! X.509 for mTLS client authentication (RFC 8705): finding the PEM blocks
//! (or bare base64 DER) in a string with their byte ranges, reading each
//! certificate into an owned summary (x509-parser), verifying one
//! certificate's signature with another's key, and building the chain from
//! the client's certificate through `clientCertificatePath`.
//!
//! Nothing here knows about rules or spans in a source: ranges are byte
//! offsets into the string that was scanned.

use std::ops::Range;

use crate::memo::Memo;
use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, URL_SAFE_NO_PAD};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;
use sha2::{Digest, Sha256};
use x509_parser::prelude::*;

/// Standard base64 that tolerates missing padding (PEM bodies in the wild).
const LENIENT_B64: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// One certificate-looking item found in a string.
#[derive(Clone, Debug)]
pub struct Item {
    /// Bytes of the scanned string: the whole PEM block, armour included.
    pub range: Range<usize>,
    /// `false` for base64 DER without `-----BEGIN CERTIFICATE-----`.
    pub armoured: bool,
    /// The PEM label (`CERTIFICATE`, `PRIVATE KEY`, …), if armoured.
    pub label: Option<String>,
    /// The certificate, or what the item was recognised as instead.
    pub cert: Result<Box<CertInfo>, String>,
}

/// Everything found in one string.
#[derive(Clone, Debug, Default)]
pub struct Scan {
    pub items: Vec<Item>,
    /// When nothing certificate-like was found: what the text looks like.
    pub unrecognised: Option<String>,
}

impl Scan {
    pub fn certs(&self) -> impl Iterator<Item = (&Item, &CertInfo)> {
        self.items
            .iter()
            .filter_map(|i| i.cert.as_ref().ok().map(|c| (i, c.as_ref())))
    }
}

/// What kind of public key a certificate carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyKind {
    Rsa { bits: usize },
    Ec { curve: String },
    Ed25519,
    Ed448,
    Dsa { bits: usize },
    Other { oid: String },
}

impl KeyKind {
    pub fn describe(&self) -> String {
        match self {
            KeyKind::Rsa { bits } => format!("RSA {bits}"),
            KeyKind::Ec { curve } => format!("EC {curve}"),
            KeyKind::Ed25519 => "Ed25519".into(),
            KeyKind::Ed448 => "Ed448".into(),
            KeyKind::Dsa { bits } => format!("DSA {bits}"),
            KeyKind::Other { oid } => format!("unknown key algorithm {oid}"),
        }
    }

    /// Why the key is too weak or not accepted by common TLS stacks.
    pub fn weakness(&self) -> Option<String> {
        match self {
            KeyKind::Rsa { bits } if *bits < 2048 => Some(format!(
                "an RSA key of {bits} bits (at least 2048 are required)"
            )),
            KeyKind::Ec { curve } if !matches!(curve.as_str(), "P-256" | "P-384" | "P-521") => {
                Some(format!(
                    "an EC key on {curve}, a curve TLS client authentication does not support (use P-256 or P-384)"
                ))
            }
            KeyKind::Dsa { .. } => {
                Some("a DSA key, which TLS 1.3 and current servers no longer accept".into())
            }
            KeyKind::Other { oid } => Some(format!("a key of unknown algorithm {oid}")),
            _ => None,
        }
    }
}

/// An owned summary of one certificate.
#[derive(Clone, Debug)]
pub struct CertInfo {
    pub der: Vec<u8>,
    pub subject: String,
    pub issuer: String,
    pub subject_raw: Vec<u8>,
    pub issuer_raw: Vec<u8>,
    pub serial: String,
    pub not_before: i64,
    pub not_after: i64,
    /// basicConstraints cA.
    pub is_ca: bool,
    /// `None` when there is no keyUsage extension.
    pub key_cert_sign: Option<bool>,
    pub digital_signature: Option<bool>,
    /// `None` when there is no extendedKeyUsage extension.
    pub eku: Option<Eku>,
    pub key: KeyKind,
    pub sig_alg: String,
    /// `Some("SHA-1")` etc. when the signature uses a broken hash.
    pub weak_hash: Option<&'static str>,
    pub sans: Vec<String>,
    /// base64url(SHA-256(DER)), RFC 8705 §3.1.
    pub x5t_s256: String,
    /// SHA-256 of the DER, colon-separated hex.
    pub sha256_hex: String,
    /// Issuer name equals subject name.
    pub self_issued: bool,
    /// Self-issued and its signature verifies with its own key.
    pub self_signed: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Eku {
    pub client_auth: bool,
    pub server_auth: bool,
    pub any: bool,
    /// Every purpose, by name.
    pub purposes: Vec<String>,
}

impl CertInfo {
    /// A name for messages: the subject, or the serial when the subject is empty.
    pub fn name(&self) -> String {
        if self.subject.is_empty() {
            format!("(empty subject, serial {})", self.serial)
        } else {
            self.subject.clone()
        }
    }
}

/// Thumbprint of a DER certificate as a certificate-bound token carries it.
pub fn x5t_s256(der: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(der))
}

/// Scans a string for certificates: PEM blocks, or else the whole string as
/// bare base64 DER.
pub fn scan(text: &str) -> Scan {
    let mut scan = Scan::default();
    let mut pos = 0;
    while let Some(found) = text[pos..].find("-----BEGIN ") {
        let start = pos + found;
        let after = start + "-----BEGIN ".len();
        let Some(label_end) = text[after..].find("-----").map(|i| after + i) else {
            scan.items.push(Item {
                range: start..text.len(),
                armoured: true,
                label: None,
                cert: Err("a `-----BEGIN` line that never ends with `-----`".into()),
            });
            break;
        };
        let label = text[after..label_end].to_owned();
        let body_start = label_end + 5;
        let end_marker = format!("-----END {label}-----");
        let Some(end_at) = text[body_start..].find(&end_marker).map(|i| body_start + i) else {
            scan.items.push(Item {
                range: start..text.len(),
                armoured: true,
                label: Some(label.clone()),
                cert: Err(format!(
                    "a `-----BEGIN {label}-----` block with no `{end_marker}` line (cut short?)"
                )),
            });
            break;
        };
        let end = end_at + end_marker.len();
        let body = &text[body_start..end_at];
        let cert = read_block(&label, body);
        scan.items.push(Item {
            range: start..end,
            armoured: true,
            label: Some(label),
            cert,
        });
        pos = end;
    }
    if scan.items.is_empty() {
        let trimmed_start = text.len() - text.trim_start().len();
        let trimmed = text.trim();
        if looks_like_base64(trimmed) {
            match LENIENT_B64.decode(strip_ws(trimmed)) {
                Ok(der) if der.first() == Some(&0x30) => {
                    scan.items.push(Item {
                        range: trimmed_start..trimmed_start + trimmed.len(),
                        armoured: false,
                        label: None,
                        cert: parse_der(der),
                    });
                }
                _ => scan.unrecognised = Some(describe(text)),
            }
        } else {
            scan.unrecognised = Some(describe(text));
        }
    }
    scan
}

fn strip_ws(s: &str) -> String {
    s.chars().filter(|c| !c.is_ascii_whitespace()).collect()
}

fn looks_like_base64(s: &str) -> bool {
    s.len() >= 16
        && s.chars().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=') || c.is_ascii_whitespace()
        })
}

/// What a string that holds no certificate looks like, for the message.
pub fn describe(text: &str) -> String {
    let t = text.trim();
    if t.is_empty() {
        return "the value is empty".into();
    }
    if t.contains("BEGIN%20") || t.contains("%0A") || t.contains("%2F") {
        return "URL-encoded PEM (as nginx's $ssl_client_escaped_cert gives it): percent-decode it first".into();
    }
    if t.starts_with('{') || t.starts_with('[') {
        return "JSON, not a certificate".into();
    }
    if t.starts_with("eyJ") && t.matches('.').count() >= 2 {
        return "a JWT, not a certificate".into();
    }
    let hex: String = t.chars().filter(|c| *c != ':').collect();
    if hex.len() >= 32 && hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return format!(
            "{} hex digits: a fingerprint, not the certificate itself",
            hex.len()
        );
    }
    if t.starts_with('/') || t.ends_with(".pem") || t.ends_with(".crt") || t.ends_with(".cer") {
        return "a file name: the field takes the certificate's PEM text, not a path".into();
    }
    if looks_like_base64(t) {
        return "base64 text that does not decode to a DER certificate".into();
    }
    "text that is neither PEM nor base64 DER".into()
}

fn read_block(label: &str, body: &str) -> Result<Box<CertInfo>, String> {
    match label {
        "CERTIFICATE" | "X509 CERTIFICATE" | "TRUSTED CERTIFICATE" => {}
        l if l.contains("PRIVATE KEY") => {
            return Err(format!(
                "a `{l}` block: a private key, not a certificate. Never send the private key; remove it and rotate the key"
            ))
        }
        "PUBLIC KEY" | "RSA PUBLIC KEY" => {
            return Err(
                "a `PUBLIC KEY` block: a bare public key, not a certificate".into(),
            )
        }
        "CERTIFICATE REQUEST" | "NEW CERTIFICATE REQUEST" => {
            return Err("a `CERTIFICATE REQUEST` (CSR), not the issued certificate".into())
        }
        other => return Err(format!("a PEM `{other}` block, not a `CERTIFICATE`")),
    }
    if body.contains("\\n") {
        return Err(
            "a CERTIFICATE block whose lines are joined by literal `\\n` (escaped twice)".into(),
        );
    }
    let compact = strip_ws(body);
    if let Some(bad) = compact
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=')))
    {
        return Err(format!(
            "a CERTIFICATE block whose body is not base64 (found {bad:?})"
        ));
    }
    let der = LENIENT_B64
        .decode(compact)
        .map_err(|e| format!("a CERTIFICATE block whose base64 does not decode: {e}"))?;
    parse_der(der)
}

fn oid_name(oid: &str) -> Option<&'static str> {
    Some(match oid {
        "1.2.840.113549.1.1.2" => "md2WithRSAEncryption",
        "1.2.840.113549.1.1.4" => "md5WithRSAEncryption",
        "1.2.840.113549.1.1.5" | "1.3.14.3.2.29" => "sha1WithRSAEncryption",
        "1.2.840.113549.1.1.10" => "RSASSA-PSS",
        "1.2.840.113549.1.1.11" => "sha256WithRSAEncryption",
        "1.2.840.113549.1.1.12" => "sha384WithRSAEncryption",
        "1.2.840.113549.1.1.13" => "sha512WithRSAEncryption",
        "1.2.840.113549.1.1.14" => "sha224WithRSAEncryption",
        "1.2.840.10045.4.1" => "ecdsa-with-SHA1",
        "1.2.840.10045.4.3.1" => "ecdsa-with-SHA224",
        "1.2.840.10045.4.3.2" => "ecdsa-with-SHA256",
        "1.2.840.10045.4.3.3" => "ecdsa-with-SHA384",
        "1.2.840.10045.4.3.4" => "ecdsa-with-SHA512",
        "1.2.840.10040.4.3" => "dsa-with-SHA1",
        "2.16.840.1.101.3.4.3.2" => "dsa-with-SHA256",
        "1.3.101.112" => "Ed25519",
        "1.3.101.113" => "Ed448",
        _ => return None,
    })
}

fn weak_hash(oid: &str) -> Option<&'static str> {
    match oid {
        "1.2.840.113549.1.1.2" => Some("MD2"),
        "1.2.840.113549.1.1.4" => Some("MD5"),
        "1.2.840.113549.1.1.5" | "1.3.14.3.2.29" | "1.2.840.10045.4.1" | "1.2.840.10040.4.3" => {
            Some("SHA-1")
        }
        _ => None,
    }
}

fn curve_name(oid: &str) -> String {
    match oid {
        "1.2.840.10045.3.1.7" => "P-256".into(),
        "1.3.132.0.34" => "P-384".into(),
        "1.3.132.0.35" => "P-521".into(),
        "1.3.132.0.10" => "secp256k1".into(),
        "1.2.840.10045.3.1.1" => "P-192".into(),
        "1.3.132.0.33" => "P-224".into(),
        "1.3.36.3.3.2.8.1.1.7" => "brainpoolP256r1".into(),
        "1.3.36.3.3.2.8.1.1.11" => "brainpoolP384r1".into(),
        "1.3.36.3.3.2.8.1.1.13" => "brainpoolP512r1".into(),
        other => format!("curve {other}"),
    }
}

fn hex_colons(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// Reads one DER certificate.
pub fn parse_der(der: Vec<u8>) -> Result<Box<CertInfo>, String> {
    let info = {
        let (_, cert) = X509Certificate::from_der(&der).map_err(|e| {
            format!(
                "{} bytes of DER that are not an X.509 certificate ({e})",
                der.len()
            )
        })?;
        let spki = cert.public_key();
        let alg_oid = spki.algorithm.algorithm.to_id_string();
        let key = match alg_oid.as_str() {
            "1.2.840.113549.1.1.1" | "1.2.840.113549.1.1.10" => KeyKind::Rsa {
                bits: spki.parsed().map(|k| k.key_size()).unwrap_or(0),
            },
            "1.2.840.10045.2.1" => KeyKind::Ec {
                curve: spki
                    .algorithm
                    .parameters
                    .as_ref()
                    .and_then(|p| p.as_oid().ok())
                    .map(|o| curve_name(&o.to_id_string()))
                    .unwrap_or_else(|| "an unnamed curve".into()),
            },
            "1.3.101.112" => KeyKind::Ed25519,
            "1.3.101.113" => KeyKind::Ed448,
            "1.2.840.10040.4.1" => KeyKind::Dsa {
                bits: spki.parsed().map(|k| k.key_size()).unwrap_or(0),
            },
            other => KeyKind::Other {
                oid: other.to_owned(),
            },
        };
        let sig_oid = cert.signature_algorithm.algorithm.to_id_string();
        let eku = match cert.extended_key_usage() {
            Ok(Some(e)) => {
                let v = e.value;
                let mut purposes = Vec::new();
                for (on, name) in [
                    (v.any, "anyExtendedKeyUsage"),
                    (v.server_auth, "serverAuth"),
                    (v.client_auth, "clientAuth"),
                    (v.code_signing, "codeSigning"),
                    (v.email_protection, "emailProtection"),
                    (v.time_stamping, "timeStamping"),
                    (v.ocsp_signing, "OCSPSigning"),
                ] {
                    if on {
                        purposes.push(name.to_owned());
                    }
                }
                purposes.extend(v.other.iter().map(|o| o.to_id_string()));
                Some(Eku {
                    client_auth: v.client_auth,
                    server_auth: v.server_auth,
                    any: v.any,
                    purposes,
                })
            }
            _ => None,
        };
        let (key_cert_sign, digital_signature) = match cert.key_usage() {
            Ok(Some(k)) => (
                Some(k.value.key_cert_sign()),
                Some(k.value.digital_signature()),
            ),
            _ => (None, None),
        };
        let mut sans = Vec::new();
        if let Ok(Some(san)) = cert.subject_alternative_name() {
            for n in &san.value.general_names {
                sans.push(match n {
                    GeneralName::DNSName(s) => format!("DNS:{s}"),
                    GeneralName::URI(s) => format!("URI:{s}"),
                    GeneralName::RFC822Name(s) => format!("email:{s}"),
                    GeneralName::IPAddress(b) => format!("IP:{}", ip_string(b)),
                    GeneralName::DirectoryName(d) => format!("DirName:{d}"),
                    other => format!("{other:?}"),
                });
            }
        }
        let subject_raw = cert.subject().as_raw().to_vec();
        let issuer_raw = cert.issuer().as_raw().to_vec();
        CertInfo {
            subject: cert.subject().to_string(),
            issuer: cert.issuer().to_string(),
            self_issued: subject_raw == issuer_raw,
            subject_raw,
            issuer_raw,
            serial: cert.raw_serial_as_string(),
            not_before: cert.validity().not_before.timestamp(),
            not_after: cert.validity().not_after.timestamp(),
            is_ca: cert.is_ca(),
            key_cert_sign,
            digital_signature,
            eku,
            key,
            sig_alg: oid_name(&sig_oid).map_or(sig_oid.clone(), str::to_owned),
            weak_hash: weak_hash(&sig_oid),
            sans,
            x5t_s256: x5t_s256(&der),
            sha256_hex: hex_colons(&Sha256::digest(&der)),
            self_signed: false,
            der: Vec::new(),
        }
    };
    let mut info = info;
    info.der = der;
    if info.self_issued {
        info.self_signed = verify_signed_by(&info, &info) == SigCheck::Valid;
    }
    Ok(Box::new(info))
}

fn ip_string(b: &[u8]) -> String {
    match b.len() {
        4 => std::net::Ipv4Addr::new(b[0], b[1], b[2], b[3]).to_string(),
        16 => {
            let mut a = [0u8; 16];
            a.copy_from_slice(b);
            std::net::Ipv6Addr::from(a).to_string()
        }
        _ => hex_colons(b),
    }
}

/// Whether `child`'s signature verifies with `issuer`'s public key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SigCheck {
    Valid,
    Invalid,
    /// Neither ring nor OpenSSL could check it (unknown algorithm, bad key).
    Unsupported(String),
}

pub fn verify_signed_by(child: &CertInfo, issuer: &CertInfo) -> SigCheck {
    // The same certificates come back in input after input (one client
    // certificate in every fixture of a folder): check each pair once.
    static CHECKED: Memo<SigCheck> = Memo::new(4096);
    let key = crate::memo::key(&[&child.der, &issuer.der]);
    CHECKED.get_or(key, || check_signed_by(child, issuer))
}

fn check_signed_by(child: &CertInfo, issuer: &CertInfo) -> SigCheck {
    // ring (through x509-parser) first; it covers the common algorithms but
    // not P-521, SHA-1 ECDSA or RSA keys under 2048 bits, so fall back to OpenSSL.
    if let (Ok((_, c)), Ok((_, i))) = (
        X509Certificate::from_der(&child.der),
        X509Certificate::from_der(&issuer.der),
    ) {
        if c.verify_signature(Some(i.public_key())).is_ok() {
            return SigCheck::Valid;
        }
    }
    let openssl = || -> Result<bool, openssl::error::ErrorStack> {
        let c = openssl::x509::X509::from_der(&child.der)?;
        let i = openssl::x509::X509::from_der(&issuer.der)?;
        c.verify(&*i.public_key()?)
    };
    match openssl() {
        Ok(true) => SigCheck::Valid,
        Ok(false) => SigCheck::Invalid,
        Err(e) => SigCheck::Unsupported(
            e.errors()
                .first()
                .and_then(|e| e.reason().map(str::to_owned))
                .unwrap_or_else(|| "unsupported signature".into()),
        ),
    }
}

/// One step of the chain: the certificate at `issuer` (an index into the
/// path) issued the previous one.
#[derive(Clone, Debug)]
pub struct Link {
    /// `None` = the leaf; `Some(i)` = path entry i.
    pub child: Option<usize>,
    pub issuer: usize,
    pub signature: SigCheck,
}

/// The chain built from the leaf through the path.
#[derive(Clone, Debug, Default)]
pub struct Chain {
    pub links: Vec<Link>,
    /// Path entries identical to the leaf.
    pub leaf_repeats: Vec<usize>,
    /// Path entries that no link used.
    pub unused: Vec<usize>,
    /// The leaf's issuer was not in a non-empty path.
    pub leaf_issuer_missing: bool,
}

impl Chain {
    /// Path indices in chain order (leaf's issuer first).
    pub fn order(&self) -> Vec<usize> {
        self.links.iter().map(|l| l.issuer).collect()
    }

    /// Whether the path entries on the chain appear in chain order.
    pub fn in_order(&self) -> bool {
        self.order().windows(2).all(|w| w[0] < w[1])
    }
}

/// Builds the chain from `leaf` through `path` (entries that are not
/// certificates are `None`): each next link is an unused entry whose subject
/// is the current issuer, preferring one whose key verifies the signature.
pub fn build_chain(leaf: &CertInfo, path: &[Option<&CertInfo>]) -> Chain {
    let mut chain = Chain::default();
    let mut used = vec![false; path.len()];
    for (i, p) in path.iter().enumerate() {
        if p.is_some_and(|p| p.der == leaf.der) {
            used[i] = true;
            chain.leaf_repeats.push(i);
        }
    }
    let any_candidates = path
        .iter()
        .enumerate()
        .any(|(i, p)| p.is_some() && !used[i]);
    let mut cur = leaf;
    let mut child: Option<usize> = None;
    while !cur.self_issued {
        let candidates: Vec<usize> = (0..path.len())
            .filter(|&i| !used[i] && path[i].is_some_and(|p| p.subject_raw == cur.issuer_raw))
            .collect();
        if candidates.is_empty() {
            if child.is_none() && any_candidates {
                chain.leaf_issuer_missing = true;
            }
            break;
        }
        let mut pick = (candidates[0], SigCheck::Invalid);
        for &i in &candidates {
            let Some(p) = path[i] else { continue };
            let s = verify_signed_by(cur, p);
            if s == SigCheck::Valid {
                pick = (i, s);
                break;
            }
            if i == candidates[0] {
                pick = (i, s);
            }
        }
        let (idx, signature) = pick;
        used[idx] = true;
        chain.links.push(Link {
            child,
            issuer: idx,
            signature,
        });
        child = Some(idx);
        match path[idx] {
            Some(p) => cur = p,
            None => break,
        }
    }
    chain.unused = (0..path.len())
        .filter(|&i| !used[i] && path[i].is_some())
        .collect();
    chain
}

/// The certificates of one token request: `clientCertificate` and each
/// entry of `clientCertificatePath`, scanned.
#[derive(Clone, Debug, Default)]
pub struct RequestCerts {
    pub leaf: Option<Scan>,
    pub path: Vec<Scan>,
}

impl RequestCerts {
    pub fn of(req: &crate::request::TokenRequest) -> Self {
        RequestCerts {
            leaf: req.client_certificate.as_ref().map(|t| scan(&t.value)),
            path: req
                .client_certificate_path
                .iter()
                .map(|t| scan(&t.value))
                .collect(),
        }
    }

    /// The client's certificate: the first certificate of `clientCertificate`.
    pub fn leaf_cert(&self) -> Option<&CertInfo> {
        self.leaf.as_ref()?.certs().next().map(|(_, c)| c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_what_is_not_a_certificate() {
        assert_eq!(scan("").unrecognised.as_deref(), Some("the value is empty"));
        assert!(scan("eyJhbGciOiJFUzI1NiJ9.e30.AA")
            .unrecognised
            .unwrap()
            .contains("JWT"));
        assert!(scan("AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89")
            .unrecognised
            .unwrap()
            .contains("fingerprint"));
        let s = scan("-----BEGIN PRIVATE KEY-----\nMIGH\n-----END PRIVATE KEY-----\n");
        assert!(s.items[0]
            .cert
            .as_ref()
            .unwrap_err()
            .contains("private key"));
        let s = scan("-----BEGIN CERTIFICATE-----\nMIIB");
        assert!(s.items[0]
            .cert
            .as_ref()
            .unwrap_err()
            .contains("no `-----END"));
    }

    #[test]
    fn garbage_never_panics() {
        for s in [
            "-----BEGIN ",
            "-----BEGIN CERTIFICATE-----\n\n-----END CERTIFICATE-----",
            "-----BEGIN CERTIFICATE-----\nMA==\n-----END CERTIFICATE-----",
            "MIIBMIIBMIIBMIIBMIIB",
            "é-----BEGIN é-----",
        ] {
            let _ = scan(s);
        }
    }
}
