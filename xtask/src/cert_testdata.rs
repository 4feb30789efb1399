//! Makes the certificates, keys and signed JWTs that the `cert/`,
//! `attestation/` and `client-auth/assertion-*` rule docs and tests use:
//! real keys, real signatures, valid around 2026-01-01T00:00:00Z
//! (now = 1767225600, the rule docs' default clock).
//!
//!     cargo xtask cert-testdata
//!
//! Writes `testdata/certs/` (PEM keys and certificates, and request
//! fixtures under `examples/`), `testdata/attestation/` and
//! `testdata/assertion/`. Keys are fresh on every run, so the rule docs keep
//! the copies they embed; rerun only to make new ones.

use std::fs;
use std::path::Path;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use josekit::jws::JwsSigner;
use openssl::asn1::{Asn1Integer, Asn1Time};
use openssl::bn::{BigNum, BigNumContext, MsbOption};
use openssl::ec::{EcGroup, EcKey};
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::{PKey, Private};
use openssl::rsa::Rsa;
use openssl::x509::extension::{
    BasicConstraints, ExtendedKeyUsage, KeyUsage, SubjectAlternativeName, SubjectKeyIdentifier,
};
use openssl::x509::{X509Builder, X509NameBuilder, X509};
use serde_json::{json, Value};

const NOW: i64 = 1_767_225_600; // 2026-01-01T00:00:00Z
const DAY: i64 = 86_400;
const CLIENT_ID: &str = "https://client.example.com";
const AS_ISSUER: &str = "https://as.example.com";

type R<T> = Result<T, Box<dyn std::error::Error>>;

fn ec_key(nid: Nid) -> R<PKey<Private>> {
    let group = EcGroup::from_curve_name(nid)?;
    Ok(PKey::from_ec_key(EcKey::generate(&group)?)?)
}

struct Spec<'a> {
    cn: &'a str,
    org: &'a str,
    ca: bool,
    /// keyUsage keyCertSign+cRLSign for CAs, digitalSignature otherwise.
    key_usage: bool,
    eku: Option<&'a str>,
    san: Option<&'a str>,
    not_before: i64,
    not_after: i64,
    digest: MessageDigest,
}

impl<'a> Spec<'a> {
    fn ca(cn: &'a str) -> Self {
        Spec {
            cn,
            org: "Example PKI",
            ca: true,
            key_usage: true,
            eku: None,
            san: None,
            not_before: NOW - 365 * DAY,
            not_after: NOW + 10 * 365 * DAY,
            digest: MessageDigest::sha256(),
        }
    }
    fn client(cn: &'a str) -> Self {
        Spec {
            cn,
            org: "Example Client",
            ca: false,
            key_usage: true,
            eku: Some("clientAuth"),
            san: Some(CLIENT_ID),
            not_before: NOW - 30 * DAY,
            not_after: NOW + 365 * DAY,
            digest: MessageDigest::sha256(),
        }
    }
}

/// Issues a certificate for `key`, signed by `issuer` (or self-signed).
fn issue(spec: &Spec, key: &PKey<Private>, issuer: Option<(&X509, &PKey<Private>)>) -> R<X509> {
    let mut name = X509NameBuilder::new()?;
    name.append_entry_by_text("O", spec.org)?;
    name.append_entry_by_text("CN", spec.cn)?;
    let name = name.build();
    let mut b = X509Builder::new()?;
    b.set_version(2)?;
    let mut serial = BigNum::new()?;
    serial.rand(64, MsbOption::MAYBE_ZERO, false)?;
    let serial = Asn1Integer::from_bn(&serial)?;
    b.set_serial_number(&serial)?;
    b.set_subject_name(&name)?;
    b.set_issuer_name(issuer.map_or(&name, |(c, _)| c.subject_name()))?;
    b.set_pubkey(key)?;
    let (nb, na) = (
        Asn1Time::from_unix(spec.not_before)?,
        Asn1Time::from_unix(spec.not_after)?,
    );
    b.set_not_before(&nb)?;
    b.set_not_after(&na)?;
    let mut bc = BasicConstraints::new();
    bc.critical();
    if spec.ca {
        bc.ca();
    }
    b.append_extension(bc.build()?)?;
    if spec.key_usage {
        let mut ku = KeyUsage::new();
        ku.critical();
        if spec.ca {
            ku.key_cert_sign().crl_sign();
        } else {
            ku.digital_signature();
        }
        b.append_extension(ku.build()?)?;
    }
    if let Some(eku) = spec.eku {
        let mut e = ExtendedKeyUsage::new();
        match eku {
            "clientAuth" => e.client_auth(),
            _ => e.server_auth(),
        };
        b.append_extension(e.build()?)?;
    }
    if let Some(uri) = spec.san {
        let ext = SubjectAlternativeName::new()
            .uri(uri)
            .build(&b.x509v3_context(issuer.map(|(c, _)| c.as_ref()), None))?;
        b.append_extension(ext)?;
    }
    if spec.ca {
        let ski = SubjectKeyIdentifier::new().build(&b.x509v3_context(None, None))?;
        b.append_extension(ski)?;
    }
    let signer = issuer.map_or(key, |(_, k)| k);
    b.sign(signer, spec.digest)?;
    Ok(b.build())
}

fn pem(c: &X509) -> R<String> {
    Ok(String::from_utf8(c.to_pem()?)?)
}

fn write(dir: &Path, name: &str, text: &str) -> R<()> {
    fs::create_dir_all(dir)?;
    fs::write(dir.join(name), text)?;
    Ok(())
}

fn fixture(dir: &Path, name: &str, v: &Value) -> R<()> {
    write(
        dir,
        &format!("{name}.json"),
        &format!("{}\n", serde_json::to_string(v)?),
    )
}

fn b64u(b: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(b)
}

/// The public JWK of a P-256 key.
fn ec_jwk(key: &PKey<Private>) -> R<Value> {
    let ec = key.ec_key()?;
    let mut ctx = BigNumContext::new()?;
    let (mut x, mut y) = (BigNum::new()?, BigNum::new()?);
    ec.public_key()
        .affine_coordinates(ec.group(), &mut x, &mut y, &mut ctx)?;
    Ok(json!({
        "kty": "EC",
        "crv": "P-256",
        "x": b64u(&x.to_vec_padded(32)?),
        "y": b64u(&y.to_vec_padded(32)?),
    }))
}

fn ec_private_jwk(key: &PKey<Private>) -> R<Value> {
    let mut j = ec_jwk(key)?;
    let d = key.ec_key()?.private_key().to_vec_padded(32)?;
    j["d"] = json!(b64u(&d));
    Ok(j)
}

/// Signs a compact JWS with exactly this header and payload.
fn jws(header: &Value, payload: &Value, signer: &dyn JwsSigner) -> R<String> {
    let input = format!(
        "{}.{}",
        b64u(serde_json::to_string(header)?.as_bytes()),
        b64u(serde_json::to_string(payload)?.as_bytes())
    );
    let sig = signer.sign(input.as_bytes())?;
    Ok(format!("{input}.{}", b64u(&sig)))
}

fn es256(key: &PKey<Private>) -> R<Box<dyn JwsSigner>> {
    let pem = key.private_key_to_pem_pkcs8()?;
    Ok(Box::new(josekit::jws::ES256.signer_from_pem(pem)?))
}

pub fn run() -> R<()> {
    let root_dir = crate::root().join("testdata");
    certs(&root_dir.join("certs"))?;
    attestation(&root_dir.join("attestation"))?;
    assertion(&root_dir.join("assertion"))?;
    println!("wrote {}", root_dir.display());
    Ok(())
}

fn certs(dir: &Path) -> R<()> {
    let p256 = || ec_key(Nid::X9_62_PRIME256V1);
    let root_key = p256()?;
    let root = issue(&Spec::ca("Example Root CA"), &root_key, None)?;
    let int_key = p256()?;
    let int = issue(
        &Spec::ca("Example Issuing CA"),
        &int_key,
        Some((&root, &root_key)),
    )?;
    let leaf_key = p256()?;
    let leaf = issue(&Spec::client("client-1"), &leaf_key, Some((&int, &int_key)))?;

    // The same CA name with a new key: signatures made by the old key fail.
    let rekey = p256()?;
    let int_rekeyed = issue(
        &Spec::ca("Example Issuing CA"),
        &rekey,
        Some((&root, &root_key)),
    )?;
    // Another PKI altogether.
    let other_root_key = p256()?;
    let other_root = issue(&Spec::ca("Other Root CA"), &other_root_key, None)?;
    let other_int_key = p256()?;
    let other_int = issue(
        &Spec::ca("Other Issuing CA"),
        &other_int_key,
        Some((&other_root, &other_root_key)),
    )?;
    // An end-entity certificate used as an issuer.
    let ee_key = p256()?;
    let mut ee_spec = Spec::client("not-a-ca");
    ee_spec.san = None;
    let ee = issue(&ee_spec, &ee_key, Some((&int, &int_key)))?;
    let by_ee_key = p256()?;
    let by_ee = issue(
        &Spec::client("client-by-ee"),
        &by_ee_key,
        Some((&ee, &ee_key)),
    )?;

    let mut s = Spec::client("client-expired");
    s.not_before = NOW - 400 * DAY;
    s.not_after = NOW - 214 * DAY;
    let expired = issue(&s, &p256()?, Some((&int, &int_key)))?;
    let mut s = Spec::client("client-future");
    s.not_before = NOW + 365 * DAY;
    s.not_after = NOW + 730 * DAY;
    let future = issue(&s, &p256()?, Some((&int, &int_key)))?;
    let mut s = Spec::client("server-cert");
    s.eku = Some("serverAuth");
    s.san = None;
    let server_eku = issue(&s, &p256()?, Some((&int, &int_key)))?;
    let mut s = Spec::ca("client-ca-as-leaf");
    s.san = Some(CLIENT_ID);
    let leaf_ca = issue(&s, &p256()?, Some((&int, &int_key)))?;
    let self_key = p256()?;
    let self_signed = issue(&Spec::client("client-self-signed"), &self_key, None)?;
    let rsa1024 = PKey::from_rsa(Rsa::generate(1024)?)?;
    let weak_rsa = issue(
        &Spec::client("client-rsa1024"),
        &rsa1024,
        Some((&int, &int_key)),
    )?;
    let k1 = ec_key(Nid::SECP256K1)?;
    let weak_curve = issue(
        &Spec::client("client-secp256k1"),
        &k1,
        Some((&int, &int_key)),
    )?;
    let mut s = Spec::client("client-sha1");
    s.digest = MessageDigest::sha1();
    let sha1 = issue(&s, &p256()?, Some((&int, &int_key)))?;

    let files: Vec<(&str, &X509)> = vec![
        ("root-ca", &root),
        ("issuing-ca", &int),
        ("client", &leaf),
        ("issuing-ca-rekeyed", &int_rekeyed),
        ("other-root-ca", &other_root),
        ("other-issuing-ca", &other_int),
        ("not-a-ca", &ee),
        ("client-by-ee", &by_ee),
        ("client-expired", &expired),
        ("client-future", &future),
        ("server-eku", &server_eku),
        ("client-ca-as-leaf", &leaf_ca),
        ("client-self-signed", &self_signed),
        ("client-rsa1024", &weak_rsa),
        ("client-secp256k1", &weak_curve),
        ("client-sha1", &sha1),
    ];
    for (name, c) in &files {
        write(dir, &format!("{name}.pem"), &pem(c)?)?;
    }
    for (name, k) in [
        ("root-ca", &root_key),
        ("issuing-ca", &int_key),
        ("client", &leaf_key),
        ("client-self-signed", &self_key),
    ] {
        write(
            dir,
            &format!("{name}.key"),
            &String::from_utf8(k.private_key_to_pem_pkcs8()?)?,
        )?;
    }
    // A bundle as `cert inspect` reads it: client first.
    write(
        dir,
        "chain.pem",
        &format!("{}{}{}", pem(&leaf)?, pem(&int)?, pem(&root)?),
    )?;

    let ex = dir.join("examples");
    let params = "grant_type=client_credentials&client_id=client-1&scope=read";
    let req = |leaf: &X509, path: &[&X509]| -> R<Value> {
        let path: Vec<String> = path.iter().map(|c| pem(c)).collect::<R<_>>()?;
        let mut v = json!({"parameters": params, "clientCertificate": pem(leaf)?});
        if !path.is_empty() {
            v["clientCertificatePath"] = json!(path);
        }
        Ok(v)
    };
    fixture(&ex, "good", &req(&leaf, &[&int])?)?;
    fixture(&ex, "leaf-only", &req(&leaf, &[])?)?;
    fixture(&ex, "with-root", &req(&leaf, &[&int, &root])?)?;
    fixture(&ex, "out-of-order", &req(&leaf, &[&root, &int])?)?;
    fixture(&ex, "broken", &req(&leaf, &[&other_int])?)?;
    fixture(&ex, "unrelated", &req(&leaf, &[&int, &other_int])?)?;
    fixture(&ex, "repeats-leaf", &req(&leaf, &[&leaf, &int])?)?;
    fixture(&ex, "rekeyed", &req(&leaf, &[&int_rekeyed])?)?;
    fixture(&ex, "issuer-not-ca", &req(&by_ee, &[&ee, &int])?)?;
    fixture(&ex, "expired", &req(&expired, &[&int])?)?;
    fixture(&ex, "not-yet-valid", &req(&future, &[&int])?)?;
    fixture(&ex, "server-eku", &req(&server_eku, &[&int])?)?;
    fixture(&ex, "leaf-is-ca", &req(&leaf_ca, &[&int])?)?;
    fixture(&ex, "self-signed", &req(&self_signed, &[])?)?;
    fixture(&ex, "rsa1024", &req(&weak_rsa, &[&int])?)?;
    fixture(&ex, "secp256k1", &req(&weak_curve, &[&int])?)?;
    fixture(&ex, "sha1", &req(&sha1, &[&int])?)?;
    fixture(
        &ex,
        "multiple",
        &json!({"parameters": params, "clientCertificate": format!("{}{}", pem(&leaf)?, pem(&int)?)}),
    )?;
    fixture(
        &ex,
        "der-without-pem",
        &json!({"parameters": params, "clientCertificate": STANDARD.encode(leaf.to_der()?)}),
    )?;
    fixture(
        &ex,
        "path-without-leaf",
        &json!({"parameters": params, "clientCertificatePath": [pem(&int)?]}),
    )?;
    Ok(())
}

fn attestation(dir: &Path) -> R<()> {
    let attester = ec_key(Nid::X9_62_PRIME256V1)?;
    let mut attester_jwk = ec_jwk(&attester)?;
    attester_jwk["kid"] = json!("attester-1");
    attester_jwk["alg"] = json!("ES256");
    let instance = ec_key(Nid::X9_62_PRIME256V1)?;
    let instance_jwk = ec_jwk(&instance)?;
    let other = ec_key(Nid::X9_62_PRIME256V1)?;
    write(
        dir,
        "attester.jwks.json",
        &format!(
            "{}\n",
            serde_json::to_string(&json!({"keys": [attester_jwk]}))?
        ),
    )?;
    write(
        dir,
        "attester.key",
        &String::from_utf8(attester.private_key_to_pem_pkcs8()?)?,
    )?;
    write(
        dir,
        "instance.key",
        &String::from_utf8(instance.private_key_to_pem_pkcs8()?)?,
    )?;

    let att_header =
        json!({"typ": "oauth-client-attestation+jwt", "alg": "ES256", "kid": "attester-1"});
    let att_claims = |cnf: Value| json!({"sub": CLIENT_ID, "iat": NOW - 3600, "exp": NOW + 30 * DAY, "cnf": {"jwk": cnf}});
    let pop_header = json!({"typ": "oauth-client-attestation-pop+jwt", "alg": "ES256"});
    let pop_claims = json!({"aud": AS_ISSUER, "jti": "5d6c8e1a-3f0b-4c3e-9a57-2b1d0c9e8f7a", "iat": NOW - 5, "challenge": "ch-7Hq2vXw9"});
    let asig = es256(&attester)?;
    let isig = es256(&instance)?;
    let osig = es256(&other)?;

    let attestation = jws(&att_header, &att_claims(instance_jwk.clone()), &*asig)?;
    let pop = jws(&pop_header, &pop_claims, &*isig)?;
    let params = "grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA&redirect_uri=https%3A%2F%2Fclient.example.com%2Fcb&client_id=https%3A%2F%2Fclient.example.com";
    let ex = dir.join("examples");
    let req = |a: &str, p: Option<&str>| {
        let mut v = json!({"parameters": params, "oauthClientAttestation": a});
        if let Some(p) = p {
            v["oauthClientAttestationPop"] = json!(p);
        }
        v
    };
    fixture(&ex, "good", &req(&attestation, Some(&pop)))?;
    fixture(&ex, "attestation-only", &req(&attestation, None))?;
    fixture(
        &ex,
        "pop-only",
        &json!({"parameters": params, "oauthClientAttestationPop": pop}),
    )?;
    // Attestation variants.
    let mut h = att_header.clone();
    h["typ"] = json!("JWT");
    fixture(
        &ex,
        "att-typ",
        &req(
            &jws(&h, &att_claims(instance_jwk.clone()), &*asig)?,
            Some(&pop),
        ),
    )?;
    let hs = josekit::jws::HS256.signer_from_bytes(b"attester-shared-secret-0123456789")?;
    let mut h = att_header.clone();
    h["alg"] = json!("HS256");
    fixture(
        &ex,
        "att-mac",
        &req(
            &jws(&h, &att_claims(instance_jwk.clone()), &hs)?,
            Some(&pop),
        ),
    )?;
    let mut c = att_claims(instance_jwk.clone());
    c["sub"] = json!("https://other.example.com");
    fixture(
        &ex,
        "att-sub",
        &req(&jws(&att_header, &c, &*asig)?, Some(&pop)),
    )?;
    let mut c = att_claims(instance_jwk.clone());
    c["exp"] = json!(NOW - DAY);
    fixture(
        &ex,
        "att-expired",
        &req(&jws(&att_header, &c, &*asig)?, Some(&pop)),
    )?;
    let c = att_claims(ec_private_jwk(&instance)?);
    fixture(
        &ex,
        "att-private-cnf",
        &req(&jws(&att_header, &c, &*asig)?, Some(&pop)),
    )?;
    let mut c = att_claims(instance_jwk.clone());
    c["iss"] = json!("https://attester.example.com");
    let att_iss = jws(&att_header, &c, &*asig)?;
    let mut pc = pop_claims.clone();
    pc["iss"] = json!("https://other.example.com");
    fixture(
        &ex,
        "legacy-iss",
        &req(&att_iss, Some(&jws(&pop_header, &pc, &*isig)?)),
    )?;
    let forged = jws(&att_header, &att_claims(instance_jwk.clone()), &*osig)?;
    fixture(&ex, "att-forged", &req(&forged, Some(&pop)))?;
    // PoP variants.
    fixture(
        &ex,
        "pop-wrong-key",
        &req(&attestation, Some(&jws(&pop_header, &pop_claims, &*osig)?)),
    )?;
    let mut h = pop_header.clone();
    h["typ"] = json!("jwt");
    fixture(
        &ex,
        "pop-typ",
        &req(&attestation, Some(&jws(&h, &pop_claims, &*isig)?)),
    )?;
    let mut pc = pop_claims.clone();
    pc.as_object_mut().map(|o| o.remove("jti"));
    fixture(
        &ex,
        "pop-no-jti",
        &req(&attestation, Some(&jws(&pop_header, &pc, &*isig)?)),
    )?;
    let mut pc = pop_claims.clone();
    pc["iat"] = json!(NOW - 3600);
    fixture(
        &ex,
        "pop-old",
        &req(&attestation, Some(&jws(&pop_header, &pc, &*isig)?)),
    )?;
    let mut pc = pop_claims.clone();
    pc["aud"] = json!("https://rs.example.com");
    fixture(
        &ex,
        "pop-aud",
        &req(&attestation, Some(&jws(&pop_header, &pc, &*isig)?)),
    )?;
    // DPoP combined mode: a DPoP proof by the instance key, no PoP.
    let dpop = |key: &PKey<Private>, signer: &dyn JwsSigner| -> R<String> {
        jws(
            &json!({"typ": "dpop+jwt", "alg": "ES256", "jwk": ec_jwk(key)?}),
            &json!({"jti": "e1j3V_bKic8-LAEB", "htm": "POST", "htu": "https://as.example.com/token", "iat": NOW - 5, "nonce": "ch-7Hq2vXw9"}),
            signer,
        )
    };
    let mut v = req(&attestation, None);
    v["dpop"] = json!(dpop(&instance, &*isig)?);
    fixture(&ex, "combined", &v)?;
    let mut v = req(&attestation, None);
    v["dpop"] = json!(dpop(&other, &*osig)?);
    fixture(&ex, "combined-other-key", &v)?;
    Ok(())
}

fn assertion(dir: &Path) -> R<()> {
    let key = ec_key(Nid::X9_62_PRIME256V1)?;
    let mut jwk = ec_jwk(&key)?;
    jwk["kid"] = json!("client-key-1");
    jwk["alg"] = json!("ES256");
    write(
        dir,
        "client.jwks.json",
        &format!("{}\n", serde_json::to_string(&json!({"keys": [jwk]}))?),
    )?;
    write(
        dir,
        "client.key",
        &String::from_utf8(key.private_key_to_pem_pkcs8()?)?,
    )?;
    let other = ec_key(Nid::X9_62_PRIME256V1)?;
    let sig = es256(&key)?;
    let osig = es256(&other)?;
    let header = json!({"typ": "client-authentication+jwt", "alg": "ES256", "kid": "client-key-1"});
    let claims = json!({"iss": "s6BhdRkqt3", "sub": "s6BhdRkqt3", "aud": AS_ISSUER, "jti": "aX9fL2qW7zT1", "iat": NOW - 10, "exp": NOW + 290});
    let ex = dir.join("examples");
    let req = |a: &str| json!({"parameters": format!("grant_type=client_credentials&client_id=s6BhdRkqt3&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion={a}")});
    fixture(&ex, "good", &req(&jws(&header, &claims, &*sig)?))?;
    fixture(&ex, "forged", &req(&jws(&header, &claims, &*osig)?))?;
    let secret = "7Fjfp0ZBr1KtDRbnfVdmIw-the-shared-secret-of-s6BhdRkqt3";
    let hs = josekit::jws::HS256.signer_from_bytes(secret.as_bytes())?;
    let hheader = json!({"typ": "client-authentication+jwt", "alg": "HS256"});
    let mut v = req(&jws(&hheader, &claims, &hs)?);
    v["clientSecret"] = json!(secret);
    fixture(&ex, "hs256", &v)?;
    let mut v = req(&jws(&hheader, &claims, &hs)?);
    v["clientSecret"] = json!("a-different-secret-of-enough-length-0123");
    fixture(&ex, "hs256-wrong-secret", &v)?;
    let mut h = header.clone();
    h.as_object_mut().map(|o| o.remove("typ"));
    fixture(&ex, "no-typ", &req(&jws(&h, &claims, &*sig)?))?;
    let variants: Vec<(&str, Value)> = vec![
        ("iss-differs", json!({"iss": "https://client.example.com"})),
        ("aud-wrong", json!({"aud": "https://other.example.com"})),
        (
            "aud-token-endpoint",
            json!({"aud": "https://as.example.com/token"}),
        ),
        ("expired", json!({"iat": NOW - 600, "exp": NOW - 300})),
        ("iat-future", json!({"iat": NOW + 3600, "exp": NOW + 3900})),
        ("nbf-future", json!({"nbf": NOW + 600})),
    ];
    for (name, patch) in variants {
        let mut c = claims.clone();
        for (k, val) in patch.as_object().into_iter().flatten() {
            c[k] = val.clone();
        }
        fixture(&ex, name, &req(&jws(&header, &c, &*sig)?))?;
    }
    for missing in ["jti", "exp", "aud", "sub"] {
        let mut c = claims.clone();
        c.as_object_mut().map(|o| o.remove(missing));
        fixture(
            &ex,
            &format!("no-{missing}"),
            &req(&jws(&header, &c, &*sig)?),
        )?;
    }
    Ok(())
}
