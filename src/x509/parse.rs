//! Reading one DER certificate (with x509-parser) into an owned summary:
//! names, validity, key, signature algorithm, the extensions a client
//! certificate check looks at, and its thumbprints.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use sha2::{Digest, Sha256};
use x509_parser::prelude::*;
use x509_parser::x509::SubjectPublicKeyInfo;

use super::chain::{verify_signed_by, SigCheck};
use super::oid;

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
    /// SHA-256 of the DER: the certificate's identity (equal digests, equal
    /// certificates), computed once when it is read.
    pub sha256: [u8; 32],
    /// base64url(SHA-256(DER)), RFC 8705 §3.1.
    pub x5t_s256: String,
    /// SHA-256 of the DER, colon-separated hex.
    pub sha256_hex: String,
    /// Issuer name equals subject name.
    pub self_issued: bool,
    /// Self-issued and its signature verifies with its own key.
    pub self_signed: bool,
    /// The serial number's DER content octets (two's complement).
    pub serial_raw: Vec<u8>,
    /// Extensions present more than once (RFC 5280 §4.2 forbids it), by name.
    pub duplicate_extensions: Vec<String>,
    /// What is wrong with the subjectAltName extension, if anything.
    pub san_problem: Option<String>,
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

/// Reads one DER certificate.
pub fn parse_der(der: Vec<u8>) -> Result<Box<CertInfo>, String> {
    let mut info = {
        // `cert` borrows `der`: summarize first, then move `der` in.
        let (_, cert) = X509Certificate::from_der(&der).map_err(|e| {
            format!(
                "{} bytes of DER that are not an X.509 certificate ({e})",
                der.len()
            )
        })?;
        summarize(&cert, &der)
    };
    info.der = der;
    if info.self_issued {
        info.self_signed = verify_signed_by(&info, &info) == SigCheck::Valid;
    }
    Ok(Box::new(info))
}

/// Everything but the DER itself and whether it is self-signed.
fn summarize(cert: &X509Certificate, der: &[u8]) -> CertInfo {
    let sig_oid = cert.signature_algorithm.algorithm.to_id_string();
    let key_usage = cert.key_usage().ok().flatten().map(|k| k.value);
    let subject_raw = cert.subject().as_raw().to_vec();
    let issuer_raw = cert.issuer().as_raw().to_vec();
    let sha256: [u8; 32] = Sha256::digest(der).into();
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
        key_cert_sign: key_usage.map(|k| k.key_cert_sign()),
        digital_signature: key_usage.map(|k| k.digital_signature()),
        eku: eku(cert),
        key: key_kind(cert.public_key()),
        sig_alg: oid::signature_name(&sig_oid).map_or(sig_oid.clone(), str::to_owned),
        weak_hash: oid::weak_hash(&sig_oid),
        sans: sans(cert),
        sha256,
        x5t_s256: URL_SAFE_NO_PAD.encode(sha256),
        sha256_hex: hex_colons(&sha256),
        self_signed: false,
        der: Vec::new(),
        serial_raw: cert.raw_serial().to_vec(),
        duplicate_extensions: duplicate_extensions(cert),
        san_problem: san_problem(cert),
    }
}

/// The extensions that appear more than once, each named once.
fn duplicate_extensions(cert: &X509Certificate) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    let mut twice: Vec<String> = Vec::new();
    for ext in cert.extensions() {
        let id = ext.oid.to_id_string();
        if seen.contains(&id) {
            let name = oid::extension_name(&id).map_or(id.clone(), str::to_owned);
            if !twice.contains(&name) {
                twice.push(name);
            }
        } else {
            seen.push(id);
        }
    }
    twice
}

/// What RFC 5280 §4.2.1.6 forbids in a subjectAltName: a value that is not
/// GeneralNames, no name at all, or a DNS name, e-mail address or URI that
/// is empty or not what it names.
fn san_problem(cert: &X509Certificate) -> Option<String> {
    let ext = cert
        .extensions()
        .iter()
        .find(|e| e.oid.to_id_string() == oid::SUBJECT_ALT_NAME)?;
    let names = match ext.parsed_extension() {
        ParsedExtension::SubjectAlternativeName(san) => &san.general_names,
        ParsedExtension::ParseError { error } => {
            return Some(format!(
                "its value is not a list of names (GeneralNames): {error}"
            ));
        }
        _ => return Some("its value is not a list of names (GeneralNames)".into()),
    };
    if names.is_empty() {
        return Some("it holds no name; RFC 5280 §4.2.1.6 requires at least one".into());
    }
    names.iter().find_map(|n| match n {
        GeneralName::DNSName(d) if !is_dns_name(d) => Some(format!(
            "the DNS name {d:?} is not a host name (RFC 1034 preferred syntax)"
        )),
        GeneralName::RFC822Name(m) if !m.contains('@') && !m.starts_with('.') && !m.is_empty() => {
            Some(format!("the e-mail address {m:?} has no @"))
        }
        GeneralName::RFC822Name("") => Some("an e-mail address is empty".into()),
        GeneralName::URI(u) if !u.contains(':') => Some(format!(
            "the URI {u:?} has no scheme (RFC 5280 §4.2.1.6: it MUST)"
        )),
        _ => None,
    })
}

/// A DNS name as RFC 5280 §4.2.1.6 allows it: labels of letters, digits
/// and hyphens (a leading `*.` wildcard tolerated), not empty, not " ".
fn is_dns_name(d: &str) -> bool {
    let d = d.strip_prefix("*.").unwrap_or(d);
    !d.is_empty()
        && d.len() <= 253
        && d.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

fn key_kind(spki: &SubjectPublicKeyInfo) -> KeyKind {
    let bits = || spki.parsed().map(|k| k.key_size()).unwrap_or(0);
    match spki.algorithm.algorithm.to_id_string().as_str() {
        "1.2.840.113549.1.1.1" | "1.2.840.113549.1.1.10" => KeyKind::Rsa { bits: bits() },
        "1.2.840.10045.2.1" => KeyKind::Ec {
            curve: spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.as_oid().ok())
                .map(|o| oid::curve_name(&o.to_id_string()))
                .unwrap_or_else(|| "an unnamed curve".into()),
        },
        "1.3.101.112" => KeyKind::Ed25519,
        "1.3.101.113" => KeyKind::Ed448,
        "1.2.840.10040.4.1" => KeyKind::Dsa { bits: bits() },
        other => KeyKind::Other {
            oid: other.to_owned(),
        },
    }
}

fn eku(cert: &X509Certificate) -> Option<Eku> {
    let v = cert.extended_key_usage().ok().flatten()?.value;
    let named = [
        (v.any, "anyExtendedKeyUsage"),
        (v.server_auth, "serverAuth"),
        (v.client_auth, "clientAuth"),
        (v.code_signing, "codeSigning"),
        (v.email_protection, "emailProtection"),
        (v.time_stamping, "timeStamping"),
        (v.ocsp_signing, "OCSPSigning"),
    ];
    let mut purposes: Vec<String> = named
        .iter()
        .filter(|(on, _)| *on)
        .map(|(_, name)| (*name).to_owned())
        .collect();
    purposes.extend(v.other.iter().map(|o| o.to_id_string()));
    Some(Eku {
        client_auth: v.client_auth,
        server_auth: v.server_auth,
        any: v.any,
        purposes,
    })
}

fn sans(cert: &X509Certificate) -> Vec<String> {
    let Ok(Some(san)) = cert.subject_alternative_name() else {
        return Vec::new();
    };
    san.value
        .general_names
        .iter()
        .map(|n| match n {
            GeneralName::DNSName(s) => format!("DNS:{s}"),
            GeneralName::URI(s) => format!("URI:{s}"),
            GeneralName::RFC822Name(s) => format!("email:{s}"),
            GeneralName::IPAddress(b) => format!("IP:{}", ip_string(b)),
            GeneralName::DirectoryName(d) => format!("DirName:{d}"),
            other => format!("{other:?}"),
        })
        .collect()
}

fn hex_colons(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":")
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
