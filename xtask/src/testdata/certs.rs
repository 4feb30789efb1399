//! Certificate fixtures about structure and paths (issue 15, items 12-14):
//! a duplicate extension, a malformed subjectAltName, a negative serial
//! number, keyCertSign on a client certificate, an intermediate
//! cross-signed by a re-keyed root, and an expired copy of an intermediate
//! next to its current one. Ed25519 keys from fixed seeds and fixed dates
//! and serials make every certificate the same on every run, so `--check`
//! holds. TEST KEYS, public by construction.

use openssl::asn1::{Asn1Integer, Asn1Object, Asn1OctetString, Asn1Time};
use openssl::bn::BigNum;
use openssl::hash::MessageDigest;
use openssl::pkey::{Id, PKey, Private};
use openssl::x509::extension::{BasicConstraints, ExtendedKeyUsage, KeyUsage};
use openssl::x509::{X509Builder, X509Extension, X509NameBuilder, X509};
use serde_json::json;

use super::{fx, Body, Fixture, NOW};

const DAY: i64 = 86_400;
const PARAMS: &str = "grant_type=client_credentials&client_id=client-1&scope=read";

fn key(label: &str) -> PKey<Private> {
    let seed = openssl::sha::sha256(label.as_bytes());
    PKey::private_key_from_raw_bytes(&seed, Id::ED25519).expect("an Ed25519 seed")
}

/// What a certificate is, beyond its names and keys.
struct Spec {
    cn: &'static str,
    ca: bool,
    serial: i64,
    not_before: i64,
    not_after: i64,
    /// Extensions added as given (raw or repeated).
    extra: Vec<X509Extension>,
    /// keyUsage: keyCertSign on a certificate that is not a CA.
    key_cert_sign: bool,
}

impl Spec {
    fn new(cn: &'static str, ca: bool, serial: i64) -> Self {
        Spec {
            cn,
            ca,
            serial,
            not_before: NOW - 30 * DAY,
            not_after: NOW + 365 * DAY,
            extra: Vec::new(),
            key_cert_sign: false,
        }
    }
}

fn issue(spec: Spec, subject_key: &PKey<Private>, issuer: Option<(&X509, &PKey<Private>)>) -> X509 {
    let build = move || -> Result<X509, openssl::error::ErrorStack> {
        let mut name = X509NameBuilder::new()?;
        name.append_entry_by_text("O", "Example PKI")?;
        name.append_entry_by_text("CN", spec.cn)?;
        let name = name.build();
        let mut b = X509Builder::new()?;
        b.set_version(2)?;
        let serial = BigNum::from_dec_str(&spec.serial.to_string())?;
        let serial = Asn1Integer::from_bn(&serial)?;
        b.set_serial_number(&serial)?;
        b.set_subject_name(&name)?;
        b.set_issuer_name(issuer.map_or(&name, |(c, _)| c.subject_name()))?;
        b.set_pubkey(subject_key)?;
        let not_before = Asn1Time::from_unix(spec.not_before)?;
        let not_after = Asn1Time::from_unix(spec.not_after)?;
        b.set_not_before(&not_before)?;
        b.set_not_after(&not_after)?;
        let mut bc = BasicConstraints::new();
        bc.critical();
        if spec.ca {
            bc.ca();
        }
        b.append_extension(bc.build()?)?;
        let mut ku = KeyUsage::new();
        ku.critical();
        if spec.ca || spec.key_cert_sign {
            ku.key_cert_sign();
        }
        if !spec.ca {
            ku.digital_signature();
        }
        b.append_extension(ku.build()?)?;
        if !spec.ca {
            b.append_extension(ExtendedKeyUsage::new().client_auth().build()?)?;
        }
        for ext in spec.extra {
            b.append_extension(ext)?;
        }
        let signer = issuer.map_or(subject_key, |(_, k)| k);
        b.sign(signer, MessageDigest::null())?;
        Ok(b.build())
    };
    build().expect("a test certificate")
}

fn pem(c: &X509) -> String {
    String::from_utf8(c.to_pem().expect("PEM")).expect("PEM is ASCII")
}

fn request(leaf: &X509, path: &[&X509]) -> Body {
    let path: Vec<String> = path.iter().map(|c| pem(c)).collect();
    Body::Json(json!({
        "parameters": PARAMS,
        "clientCertificate": pem(leaf),
        "clientCertificatePath": path,
    }))
}

/// An extension from its OID and DER contents, as a CA might write it.
fn raw_extension(oid: &str, der: &[u8]) -> X509Extension {
    let oid = Asn1Object::from_str(oid).expect("an OID");
    let der = Asn1OctetString::new_from_bytes(der).expect("contents");
    X509Extension::new_from_der(&oid, false, &der).expect("an extension")
}

pub(super) fn fixtures(t: &mut Vec<Fixture>) {
    let (root_key, int_key) = (key("cert root"), key("cert intermediate"));
    let root = issue(Spec::new("Example Root CA", true, 1), &root_key, None);
    let int = issue(
        Spec::new("Example Issuing CA", true, 2),
        &int_key,
        Some((&root, &root_key)),
    );
    let client = |spec: Spec| issue(spec, &key("cert client"), Some((&int, &int_key)));

    // keyUsage twice: the second says keyCertSign.
    let mut s = Spec::new("client-1", false, 10);
    s.extra
        .push(KeyUsage::new().key_cert_sign().build().expect("keyUsage"));
    t.push(fx(
        "bad/cert-duplicate-extension.json",
        "a client certificate with keyUsage twice (RFC 5280 §4.2: MUST NOT); x509-parser read neither before",
        &["cert/duplicate-extension"],
        request(&client(s), &[&int]),
    ));
    // subjectAltName whose value is an OCTET STRING, not GeneralNames.
    let mut s = Spec::new("client-1", false, 11);
    s.extra
        .push(raw_extension("2.5.29.17", &[0x04, 0x02, 0x41, 0x42]));
    t.push(fx(
        "bad/cert-san-malformed.json",
        "a client certificate whose subjectAltName is not a list of names",
        &["cert/san-malformed"],
        request(&client(s), &[&int]),
    ));
    // dNSName " " (a space).
    let mut s = Spec::new("client-1", false, 12);
    s.extra
        .push(raw_extension("2.5.29.17", &[0x30, 0x03, 0x82, 0x01, 0x20]));
    t.push(fx(
        "bad/cert-san-dns-space.json",
        "a client certificate whose subjectAltName DNS name is a single space",
        &["cert/san-malformed"],
        request(&client(s), &[&int]),
    ));
    t.push(fx(
        "bad/cert-serial-negative.json",
        "a client certificate with serial number -1 (RFC 5280 §4.1.2.2: a positive integer)",
        &["cert/serial-number"],
        request(&client(Spec::new("client-1", false, -1)), &[&int]),
    ));
    t.push(fx(
        "bad/cert-serial-zero.json",
        "a client certificate with serial number 0",
        &["cert/serial-number"],
        request(&client(Spec::new("client-1", false, 0)), &[&int]),
    ));
    let mut s = Spec::new("client-1", false, 13);
    s.key_cert_sign = true;
    t.push(fx(
        "bad/cert-key-cert-sign-not-ca.json",
        "a client certificate with keyUsage keyCertSign and basicConstraints cA false (RFC 5280 §4.2.1.9)",
        &["cert/key-cert-sign-not-ca"],
        request(&client(s), &[&int]),
    ));

    // The root re-keyed under the same name; the intermediate certified by
    // both. The path lists the old root's certificate first, then the new
    // one's, then the new root: only the second leads to a valid chain.
    let new_root_key = key("cert root 2");
    let new_root = issue(Spec::new("Example Root CA", true, 3), &new_root_key, None);
    let int_by_new = issue(
        Spec::new("Example Issuing CA", true, 4),
        &int_key,
        Some((&new_root, &new_root_key)),
    );
    let leaf = client(Spec::new("client-1", false, 14));
    t.push(fx(
        "good/cert-cross-signed.json",
        "an intermediate certified by the old root and by the re-keyed root of the same name, with the new root: a valid chain exists, the old copy is not needed (it was reported as chain-signature)",
        &["cert/path-unrelated"],
        request(&leaf, &[&int, &int_by_new, &new_root]),
    ));
    // An expired copy of the intermediate (same name and key) before the
    // current one.
    let mut s = Spec::new("Example Issuing CA", true, 5);
    s.not_before = NOW - 800 * DAY;
    s.not_after = NOW - 400 * DAY;
    let int_expired = issue(s, &int_key, Some((&root, &root_key)));
    t.push(fx(
        "good/cert-expired-unneeded.json",
        "an expired copy of the intermediate next to its current one: the chain does not need it, so it is not cert/expired",
        &["cert/path-unrelated"],
        request(&leaf, &[&int_expired, &int]),
    ));
}
