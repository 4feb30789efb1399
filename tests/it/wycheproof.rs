//! Wycheproof's published vectors (`testdata/vectors/wycheproof/`, copied
//! by `cargo xtask wycheproof`) against tokenlint's signature and key checks.
//!
//! Signatures go through the two calls every JWK verification in tokenlint
//! makes, a DPoP proof's (`DpopView::verify`) as a client assertion's or an
//! attestation's (`jose::verify::with_jwk`): `jwk::public_key` builds the
//! key from a JWK (refusing a bad one), `jwk::verify` checks the JWS
//! signature (`r || s` for ECDSA, the IEEE P1363 form) over the signing
//! input, here the vector's `msg`. The vector's public key becomes a JWK
//! from its raw numbers, not from the JWK Wycheproof also prints.
//!
//! Compact JWSs with their key sets (the JWS and JWK files) go through
//! `verify::Signed::with_jwks`, the key selection and check of
//! `--client-jwks` and `--assertion-jwks`.
//!
//! EC public keys (WebCrypto ECDH files, which carry them as JWKs) are
//! embedded in a DPoP proof and linted: every invalid one (off the curve,
//! another curve) must raise a `dpop/jwk-*` error, no valid one may.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::{json, Value as J};
use tokenlint::jose::compact;
use tokenlint::jose::jwk::{self, Alg};
use tokenlint::jose::verify::Signed;
use tokenlint::lint::{self, Settings, Severity};
use tokenlint::request::fixture;

use crate::common::root;

fn load(name: &str) -> J {
    let path = root().join("testdata/vectors/wycheproof").join(name);
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn hex(s: &str) -> Vec<u8> {
    assert!(s.len() % 2 == 0, "odd hex {s}");
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A big-endian integer without its leading zero octets, then left-padded
/// to `len` octets (JWK coordinates are fixed-size, RFC 7518 §6.2.1.2).
fn fixed(be: &[u8], len: usize) -> Vec<u8> {
    let start = be.iter().position(|&b| b != 0).unwrap_or(be.len());
    let digits = &be[start..];
    let mut out = vec![0; len.saturating_sub(digits.len())];
    out.extend_from_slice(digits);
    out
}

fn str_of<'j>(j: &'j J, name: &str) -> &'j str {
    j[name]
        .as_str()
        .unwrap_or_else(|| panic!("no `{name}` in {j}"))
}

/// The JWS algorithm and the JWK of one test group's public key.
fn group_key(group: &J) -> (&'static Alg, J) {
    let pk = &group["publicKey"];
    let alg = |name: &str| jwk::find_alg(name).unwrap();
    match str_of(group, "type") {
        "EcdsaP1363Verify" => {
            let (crv, name, sha, len) = match str_of(pk, "curve") {
                "secp256r1" => ("P-256", "ES256", "SHA-256", 32),
                "secp384r1" => ("P-384", "ES384", "SHA-384", 48),
                "secp521r1" => ("P-521", "ES512", "SHA-512", 66),
                "secp256k1" => ("secp256k1", "ES256K", "SHA-256", 32),
                other => panic!("curve {other}"),
            };
            assert_eq!(str_of(group, "sha"), sha, "{name} hashes with {sha}");
            let x = b64(&fixed(&hex(str_of(pk, "wx")), len));
            let y = b64(&fixed(&hex(str_of(pk, "wy")), len));
            (alg(name), json!({"kty": "EC", "crv": crv, "x": x, "y": y}))
        }
        "EddsaVerify" => {
            let crv = match str_of(pk, "curve") {
                "edwards25519" => "Ed25519",
                "edwards448" => "Ed448",
                other => panic!("curve {other}"),
            };
            let x = b64(&hex(str_of(pk, "pk")));
            (alg("EdDSA"), json!({"kty": "OKP", "crv": crv, "x": x}))
        }
        t @ ("RsassaPkcs1Verify" | "RsassaPssVerify") => {
            assert_eq!(str_of(group, "sha"), "SHA-256");
            let name = if t == "RsassaPssVerify" {
                // PS256: MGF1 with SHA-256, salt as long as the hash (RFC 7518 §3.5).
                assert_eq!(str_of(group, "mgfSha"), "SHA-256");
                assert_eq!(group["sLen"], 32);
                "PS256"
            } else {
                "RS256"
            };
            let n = b64(&fixed(&hex(str_of(pk, "modulus")), 0));
            let e = b64(&fixed(&hex(str_of(pk, "publicExponent")), 0));
            (alg(name), json!({"kty": "RSA", "n": n, "e": e}))
        }
        other => panic!("test group type {other}"),
    }
}

/// tokenlint's verdict: whether the signature verifies with the key.
fn verifies(alg: &Alg, key: &J, msg: &[u8], sig: &[u8]) -> bool {
    match jwk::public_key(key, alg) {
        Ok(pk) => jwk::verify(&pk, alg, msg, sig) == Ok(true),
        Err(_) => false,
    }
}

/// Wycheproof's verdict on a test, `valid` or `invalid` counted; `None`
/// for "acceptable".
fn result(t: &J, valid: &mut usize, invalid: &mut usize) -> Option<bool> {
    match str_of(t, "result") {
        "valid" => {
            *valid += 1;
            Some(true)
        }
        "invalid" => {
            *invalid += 1;
            Some(false)
        }
        "acceptable" => None,
        other => panic!("#{}: result {other}", t["tcId"]),
    }
}

fn disagreement(file: &str, t: &J, tokenlint: &str) -> String {
    format!(
        "{file} #{} ({}, {}): Wycheproof says {}, tokenlint {tokenlint}",
        t["tcId"],
        str_of(t, "comment"),
        t["flags"],
        str_of(t, "result"),
    )
}

/// Prints the counts (`--nocapture` shows them) and fails on any disagreement.
fn conclude(counts: &[String], disagreements: &[String]) {
    println!("{}", counts.join("\n"));
    assert!(
        disagreements.is_empty(),
        "{} disagree with Wycheproof:\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
}

#[derive(Default)]
struct Tally {
    valid: usize,
    invalid: usize,
    acceptable_verified: Vec<u64>,
    acceptable_rejected: Vec<u64>,
}

/// Every signature vector: tokenlint verifies the valid ones and rejects
/// the invalid ones; the "acceptable" ones (legacy encodings a library may
/// take) are counted by what tokenlint did.
#[test]
fn signature_vectors_agree_with_wycheproof() {
    // File, and the fewest tests it holds: a file that lost its tests fails.
    const FILES: &[(&str, usize)] = &[
        ("ecdsa_secp256r1_sha256_p1363_test.json", 250),
        ("ecdsa_secp384r1_sha384_p1363_test.json", 250),
        ("ecdsa_secp521r1_sha512_p1363_test.json", 250),
        ("ecdsa_secp256k1_sha256_p1363_test.json", 250),
        ("ed25519_test.json", 140),
        ("ed448_test.json", 80),
        ("rsa_signature_2048_sha256_test.json", 250),
        ("rsa_pss_2048_sha256_mgf1_32_test.json", 100),
    ];
    let mut disagreements = Vec::new();
    let mut report = Vec::new();
    for &(file, at_least) in FILES {
        let doc = load(file);
        let mut tally = Tally::default();
        for group in doc["testGroups"].as_array().unwrap() {
            let (alg, key) = group_key(group);
            for t in group["tests"].as_array().unwrap() {
                let id = t["tcId"].as_u64().unwrap();
                let ok = verifies(alg, &key, &hex(str_of(t, "msg")), &hex(str_of(t, "sig")));
                let Some(expected) = result(t, &mut tally.valid, &mut tally.invalid) else {
                    if ok {
                        tally.acceptable_verified.push(id);
                    } else {
                        tally.acceptable_rejected.push(id);
                    }
                    continue;
                };
                if ok != expected {
                    let what = if ok { "verifies it" } else { "rejects it" };
                    disagreements.push(disagreement(file, t, what));
                }
            }
        }
        let total = tally.valid
            + tally.invalid
            + tally.acceptable_verified.len()
            + tally.acceptable_rejected.len();
        assert_eq!(Some(total as u64), doc["numberOfTests"].as_u64(), "{file}");
        assert!(total >= at_least, "{file} has {total} tests");
        assert!(tally.valid > 0 && tally.invalid > 0, "{file}");
        report.push(format!(
            "{file}: {} valid, {} invalid, acceptable verified {:?} rejected {:?}",
            tally.valid, tally.invalid, tally.acceptable_verified, tally.acceptable_rejected
        ));
    }
    conclude(&report, &disagreements);
}

/// The DPoP proof of a good fixture with its header's `jwk` replaced.
fn proof_with_jwk(fixture: &J, key: &J) -> String {
    let proof = str_of(fixture, "dpop");
    let (header, rest) = proof.split_once('.').unwrap();
    let mut header: J = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).unwrap()).unwrap();
    header["jwk"] = key.clone();
    format!("{}.{rest}", b64(header.to_string().as_bytes()))
}

/// Every EC public key of the WebCrypto ECDH files, embedded in a proof of
/// the curve's algorithm: Wycheproof's invalid keys (points off the curve,
/// (0, 0), coordinates at the field's edge, keys on another curve) raise a
/// `dpop/jwk-invalid` or `dpop/jwk-alg-mismatch` error; valid keys, many of
/// them points chosen to hit edge cases of point arithmetic, raise neither.
#[test]
fn ec_public_keys_are_judged_as_wycheproof_does() {
    const FILES: &[(&str, &str)] = &[
        ("ecdh_secp256r1_webcrypto_test.json", "es256"),
        ("ecdh_secp384r1_webcrypto_test.json", "es384"),
        ("ecdh_secp521r1_webcrypto_test.json", "es512"),
    ];
    const KEY_RULES: &[&str] = &["dpop/jwk-invalid", "dpop/jwk-alg-mismatch"];
    let settings = Settings::with_now(1767225600);
    let mut disagreements = Vec::new();
    let mut counts = Vec::new();
    for &(file, good) in FILES {
        let rel = format!("testdata/dpop/good/{good}.json");
        let fixture: J =
            serde_json::from_str(&std::fs::read_to_string(root().join(&rel)).unwrap()).unwrap();
        // The fixture itself is clean, so any key finding below is the key's.
        let clean = lint::lint(
            &fixture::load_bytes(&rel, fixture.to_string().as_bytes()),
            &settings,
        );
        assert!(
            clean.findings.is_empty(),
            "{rel}: {:?}",
            clean.findings.iter().map(|f| f.rule.id).collect::<Vec<_>>()
        );
        let doc = load(file);
        let (mut valid, mut invalid) = (0, 0);
        for group in doc["testGroups"].as_array().unwrap() {
            for t in group["tests"].as_array().unwrap() {
                let id = t["tcId"].as_u64().unwrap();
                let mut request = fixture.clone();
                request["dpop"] = J::String(proof_with_jwk(&fixture, &t["public"]));
                let report = lint::lint(
                    &fixture::load_bytes(&rel, request.to_string().as_bytes()),
                    &settings,
                );
                let key_error = report
                    .findings
                    .iter()
                    .any(|f| KEY_RULES.contains(&f.rule.id) && f.severity == Severity::Error);
                let valid_key = result(t, &mut valid, &mut invalid);
                assert!(valid_key.is_some(), "{file} #{id}: result {}", t["result"]);
                if valid_key == Some(key_error) {
                    let what = if key_error {
                        "rejects the key"
                    } else {
                        "takes the key"
                    };
                    disagreements.push(disagreement(file, t, what));
                }
            }
        }
        assert!(
            valid >= 300 && invalid >= 20,
            "{file}: {valid} valid, {invalid} invalid"
        );
        counts.push(format!("{file}: {valid} valid keys, {invalid} invalid"));
    }
    conclude(&counts, &disagreements);
}

/// tokenlint's verdict on a compact JWS with a key set: the parts decoded
/// as the compact parser decodes them (strict base64url), then the key
/// selection and check of `--client-jwks` / `--assertion-jwks`. The
/// payload is not read as a claims set: Wycheproof signs `foo`.
fn jws_verifies(jws: &str, keys: &J) -> bool {
    let parts: Vec<&str> = jws.split('.').collect();
    let [header, payload, signature] = parts[..] else {
        return false;
    };
    let (Ok(header), Ok(_), Ok(signature)) = (
        compact::decode_b64url(header),
        compact::decode_b64url(payload),
        compact::decode_b64url(signature),
    ) else {
        return false;
    };
    let Ok(header) = serde_json::from_slice::<J>(&header) else {
        return false;
    };
    let signed = Signed {
        alg: header["alg"].as_str(),
        kid: header["kid"].as_str(),
        input: &jws.as_bytes()[..jws.rfind('.').unwrap()],
        signature: &signature,
    };
    !signature.is_empty() && signed.with_jwks(keys).is_valid()
}

/// Where tokenlint knowingly differs from Wycheproof's verdict, and why.
/// The test fails when one of these stops disagreeing, too.
const KNOWN: &[(&str, &str, &str)] = &[
    ("json_web_signature_test.json", "346", PS256_KEY),
    ("json_web_signature_test.json", "350", PS256_KEY),
    ("json_web_signature_test.json", "347", ES521_KEY),
    ("json_web_signature_test.json", "351", ES521_KEY),
    ("json_web_signature_test.json", "367", SAME_AS_357),
    ("json_web_signature_test.json", "370", SAME_AS_357),
    ("json_web_signature_test.json", "372", NOT_BASE64URL),
    ("json_web_signature_test.json", "373", NOT_BASE64URL),
    (
        "json_web_key_test.json",
        "1",
        "the `kid` names the set's HS256 key, which verifies: Wycheproof refuses any set \
         that mixes MAC and public keys, tokenlint does not",
    ),
    (
        "json_web_key_test.json",
        "4",
        "two keys share the `kid` (RFC 7517 §4.5: SHOULD be distinct); tokenlint tries \
         each, and the first verifies",
    ),
    (
        "json_web_key_test.json",
        "7",
        "a ROCA modulus (CVE-2017-15361): tokenlint warns and verifies (issue 15, item 2), \
         Wycheproof refuses",
    ),
];
const PS256_KEY: &str = "RFC 7520 Figure 20: the key's `alg` is PS256 and the JWS is PS384; \
    tokenlint uses a key only with the `alg` it names (RFC 7517 §4.4), as jose's and Nimbus's \
    key selectors do";
const ES521_KEY: &str = "the key's `alg` is \"ES521\" (no such algorithm) and the JWS is \
    ES512: tokenlint uses a key only with the `alg` it names";
const SAME_AS_357: &str = "the JWS is the very string of #357, which Wycheproof calls valid: \
    the bad padding the test is named for is not in it";
const NOT_BASE64URL: &str = "a `?` inside a base64url part: RFC 7515 §2 allows no character \
    outside the alphabet, and tokenlint decodes as it says";

/// Every compact JWS of Wycheproof's JWS and JWK files against the key
/// set of its group (the public keys; for MACs, the shared key). Where
/// tokenlint differs on purpose, [`KNOWN`] says why.
#[test]
fn jws_vectors_agree_with_wycheproof() {
    const FILES: &[(&str, usize)] = &[
        ("json_web_signature_test.json", 400),
        ("json_web_key_test.json", 26),
    ];
    let mut known_seen = 0;
    let mut disagreements = Vec::new();
    let mut counts = Vec::new();
    for &(file, at_least) in FILES {
        let doc = load(file);
        let (mut valid, mut invalid) = (0, 0);
        for group in doc["testGroups"].as_array().unwrap() {
            let keys = if group["public"].is_object() {
                &group["public"]
            } else {
                &group["private"]
            };
            for t in group["tests"].as_array().unwrap() {
                let ok = jws_verifies(str_of(t, "jws"), keys);
                let expected = result(t, &mut valid, &mut invalid);
                assert!(expected.is_some(), "{file} #{}: {}", t["tcId"], t["result"]);
                // `tcId` is a number in some groups, a string in others.
                let id = t["tcId"].to_string();
                let id = id.trim_matches('"');
                let known = KNOWN.iter().find(|k| (k.0, k.1) == (file, id));
                match (expected == Some(ok), known) {
                    (true, None) => {}
                    (false, Some(_)) => known_seen += 1,
                    (false, None) => {
                        let what = if ok { "verifies it" } else { "rejects it" };
                        disagreements.push(disagreement(file, t, what));
                    }
                    (true, Some(_)) => {
                        disagreements.push(format!("{file} #{id} agrees now: drop it from KNOWN"));
                    }
                }
            }
        }
        assert!(
            valid + invalid >= at_least,
            "{file}: {valid} valid, {invalid} invalid"
        );
        counts.push(format!("{file}: {valid} valid, {invalid} invalid"));
    }
    assert_eq!(known_seen, KNOWN.len(), "a KNOWN entry names no test");
    counts.push(format!("known disagreements: {known_seen}"));
    conclude(&counts, &disagreements);
}
