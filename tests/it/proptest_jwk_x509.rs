//! Hostile input for the parsers the other property tests reach only through
//! a whole request: JWK handling (`jose::jwk`: thumbprint, key building,
//! verification) and PEM/DER (`x509::scan`, `x509::parse_der`) called
//! directly. No input may panic.
//!
//! 256 cases per property by default; `PROPTEST_CASES=1000000` for a long
//! run (see README.md, "Development").

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use proptest::prelude::*;
use serde_json::{json, Value};
use tokenlint::jose::jwk;
use tokenlint::x509;

/// base64url of arbitrary bytes, sometimes damaged.
fn b64() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..80).prop_map(|b| URL_SAFE_NO_PAD.encode(b)),
        "[A-Za-z0-9_+/=.-]{0,60}",
        "\\PC{0,20}",
    ]
}

fn member_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => b64().prop_map(Value::from),
        1 => any::<i64>().prop_map(Value::from),
        1 => Just(Value::Null),
        1 => Just(json!([])),
        1 => Just(json!({"x": 1})),
    ]
}

/// JWK-shaped objects: a real kty/crv most of the time, members of any shape.
fn jwk_like() -> impl Strategy<Value = Value> {
    let kty = prop_oneof![
        Just("EC"),
        Just("RSA"),
        Just("OKP"),
        Just("oct"),
        Just("AKP"),
        Just(""),
    ];
    let crv = prop_oneof![
        Just("P-256"),
        Just("P-384"),
        Just("P-521"),
        Just("Ed25519"),
        Just("Ed448"),
        Just("secp256k1"),
        Just("X25519"),
    ];
    let names = prop::sample::select(vec![
        "x", "y", "n", "e", "d", "p", "q", "dp", "dq", "qi", "k", "oth", "priv", "pub", "alg",
        "use", "kid",
    ]);
    (
        kty,
        crv,
        prop::collection::vec((names, member_value()), 0..8),
    )
        .prop_map(|(kty, crv, members)| {
            let mut o = serde_json::Map::new();
            o.insert("kty".into(), kty.into());
            o.insert("crv".into(), crv.into());
            for (k, v) in members {
                o.insert(k.into(), v);
            }
            Value::Object(o)
        })
}

fn pem_block() -> impl Strategy<Value = String> {
    let label = prop_oneof![
        Just("CERTIFICATE".to_owned()),
        Just("PRIVATE KEY".to_owned()),
        Just("EC PRIVATE KEY".to_owned()),
        Just("PUBLIC KEY".to_owned()),
        "[A-Z ]{0,12}",
    ];
    (
        label,
        prop::collection::vec(any::<u8>(), 0..400),
        any::<bool>(),
    )
        .prop_map(|(label, der, close)| {
            use base64::engine::general_purpose::STANDARD;
            let body = STANDARD.encode(&der);
            let mut s = format!("-----BEGIN {label}-----\n");
            for chunk in body.as_bytes().chunks(64) {
                s.push_str(std::str::from_utf8(chunk).unwrap_or(""));
                s.push('\n');
            }
            if close {
                s.push_str(&format!("-----END {label}-----\n"));
            }
            s
        })
}

/// DER-ish bytes: a SEQUENCE header over random content, sometimes with a
/// length that lies.
fn der_like() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..300),
        (
            prop::collection::vec(any::<u8>(), 0..300),
            any::<u8>(),
            any::<u8>()
        )
            .prop_map(|(body, a, b)| {
                let mut v = vec![0x30, 0x82, a, b, 0x30, 0x82, a, b];
                v.extend(body);
                v
            }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::default())]

    #[test]
    fn jwk_thumbprint_and_keys_never_panic(jwk in jwk_like(), input in prop::collection::vec(any::<u8>(), 0..64), sig in prop::collection::vec(any::<u8>(), 0..140)) {
        let _ = jwk::thumbprint_input(&jwk);
        let _ = jwk::thumbprint(&jwk);
        for alg in jwk::ALGS {
            let _ = jwk::check_kty(&jwk, alg);
            if let Ok(key) = jwk::public_key(&jwk, alg) {
                let _ = jwk::verify(&key, alg, &input, &sig);
            }
        }
    }

    #[test]
    fn jwk_of_any_json_never_panics(s in "\\PC{0,120}") {
        if let Ok(v) = serde_json::from_str::<Value>(&s) {
            let _ = jwk::thumbprint(&v);
            for alg in jwk::ALGS {
                let _ = jwk::public_key(&v, alg);
            }
        }
    }

    #[test]
    fn pem_scan_never_panics(blocks in prop::collection::vec(pem_block(), 0..4), junk in "\\PC{0,40}") {
        let text = blocks.join(&junk);
        let scan = x509::scan(&text);
        for item in &scan.items {
            prop_assert!(item.range.end <= text.len() && text.is_char_boundary(item.range.start));
        }
        let _ = x509::describe(&text);
        let _ = x509::scan(&junk);
    }

    #[test]
    fn der_parse_never_panics(der in der_like()) {
        let _ = x509::x5t_s256(&der);
        if let Ok(c) = x509::parse_der(der) {
            let _ = x509::verify_signed_by(&c, &c);
            let _ = x509::build_chain(&c, &[Some(&c)]);
        }
    }
}
