//! Garbage in `clientCertificate`, `clientCertificatePath`,
//! `client_assertion` and the attestation headers gives findings, never a
//! panic; and `cert inspect` survives any bytes.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use proptest::prelude::*;
use serde_json::{json, Value};

use tokenlint::lint::{self, Settings};
use tokenlint::request::fixture;

const NOW: i64 = 1_767_225_600;

fn settings() -> Settings {
    let mut s = Settings::with_now(NOW);
    s.issuer = Some("https://as.example.com".into());
    s.token_endpoint = Some("https://as.example.com/token".into());
    s.attestation_challenge = Some("ch".into());
    let jwks = json!({"keys": [
        {"kty": "EC", "crv": "P-256", "kid": "k", "x": "l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs", "y": "9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDA"},
        {"kty": "RSA", "kid": "r", "n": "AQAB", "e": "AQAB"},
        {"kty": "oct", "kid": "o", "k": "c2VjcmV0"},
        {"kty": 5}
    ]});
    s.client_jwks = Some(jwks.clone());
    s.attester_jwks = Some(jwks);
    s
}

/// A real certificate, to mutate.
fn real_pem() -> &'static str {
    static PEM: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    PEM.get_or_init(|| {
        std::fs::read_to_string(crate::common::testdata("certs/chain.pem")).unwrap_or_default()
    })
}

fn pem_like() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        proptest::collection::vec(any::<u8>(), 0..600).prop_map(|b| format!(
            "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
            STANDARD.encode(b)
        )),
        proptest::collection::vec(any::<u8>(), 0..600).prop_map(|b| STANDARD.encode(b)),
        // DER-ish: a SEQUENCE header and random content.
        proptest::collection::vec(any::<u8>(), 0..400).prop_map(|mut b| {
            b.insert(0, 0x30);
            STANDARD.encode(b)
        }),
        (any::<String>(), any::<String>()).prop_map(|(l, b)| format!("-----BEGIN {l}-----{b}")),
        // A real chain with one byte flipped, cut short, or truncated.
        (any::<usize>(), any::<u8>()).prop_map(|(i, c)| {
            let mut s = real_pem().as_bytes().to_vec();
            if !s.is_empty() {
                let i = i % s.len();
                s[i] = c;
            }
            String::from_utf8_lossy(&s).into_owned()
        }),
        any::<usize>().prop_map(|n| {
            let s = real_pem();
            let mut n = if s.is_empty() { 0 } else { n % s.len() };
            while !s.is_char_boundary(n) {
                n -= 1;
            }
            s[..n].to_owned()
        }),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        any::<String>().prop_map(Value::String),
        Just(json!(NOW)),
        Just(json!("https://as.example.com")),
        Just(json!("client-1")),
        Just(json!({"jwk": {"kty": "EC", "crv": "P-256", "x": "AAAA", "y": "AAAA", "d": "x"}})),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::btree_map(
                prop_oneof![
                    Just("alg".to_owned()),
                    Just("typ".to_owned()),
                    Just("kid".to_owned()),
                    Just("jwk".to_owned()),
                    Just("iss".to_owned()),
                    Just("sub".to_owned()),
                    Just("aud".to_owned()),
                    Just("exp".to_owned()),
                    Just("iat".to_owned()),
                    Just("nbf".to_owned()),
                    Just("jti".to_owned()),
                    Just("cnf".to_owned()),
                    Just("challenge".to_owned()),
                    any::<String>(),
                ],
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn header() -> impl Strategy<Value = Value> {
    (
        prop_oneof![
            Just(json!("ES256")),
            Just(json!("HS256")),
            Just(json!("RS256")),
            Just(json!("EdDSA")),
            Just(json!("none")),
            json_value()
        ],
        prop_oneof![
            Just(json!("oauth-client-attestation+jwt")),
            Just(json!("oauth-client-attestation-pop+jwt")),
            Just(json!("client-authentication+jwt")),
            json_value()
        ],
        prop_oneof![
            Just(json!("k")),
            Just(json!("r")),
            Just(json!("o")),
            json_value()
        ],
        json_value(),
    )
        .prop_map(|(alg, typ, kid, jwk)| json!({"alg": alg, "typ": typ, "kid": kid, "jwk": jwk}))
}

fn jwt_like() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        (
            header(),
            json_value(),
            proptest::collection::vec(any::<u8>(), 0..140)
        )
            .prop_map(|(h, p, sig)| format!(
                "{}.{}.{}",
                URL_SAFE_NO_PAD.encode(h.to_string()),
                URL_SAFE_NO_PAD.encode(p.to_string()),
                URL_SAFE_NO_PAD.encode(sig)
            )),
        (
            proptest::collection::vec(any::<u8>(), 0..80),
            proptest::collection::vec(any::<u8>(), 0..80),
            any::<String>()
        )
            .prop_map(|(a, b, c)| format!(
                "{}.{}.{c}",
                URL_SAFE_NO_PAD.encode(a),
                URL_SAFE_NO_PAD.encode(b)
            )),
    ]
}

fn lint_body(body: Value) {
    let loaded = fixture::load_str("prop.json", &body.to_string());
    let report = lint::lint(&loaded, &settings());
    for f in &report.findings {
        for l in &f.labels {
            let text = &loaded.source.text;
            assert!(
                l.span.end() <= text.len()
                    && text.is_char_boundary(l.span.offset)
                    && text.is_char_boundary(l.span.end()),
                "{} label {:?} is past the end or splits a character",
                f.rule.id,
                l.span
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::default())]

    #[test]
    fn certificates_never_panic(leaf in pem_like(), path in proptest::collection::vec(pem_like(), 0..4)) {
        lint_body(json!({"parameters": "grant_type=client_credentials&client_id=client-1", "clientCertificate": leaf, "clientCertificatePath": path}));
    }

    #[test]
    fn client_assertions_never_panic(a in jwt_like(), secret in any::<String>()) {
        let enc: String = form_urlencode(&a);
        lint_body(json!({
            "parameters": format!("grant_type=client_credentials&client_id=client-1&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion={enc}"),
            "clientSecret": secret,
        }));
    }

    #[test]
    fn attestations_never_panic(att in jwt_like(), pop in jwt_like(), dpop in jwt_like(), which in 0u8..4) {
        let mut body = json!({"parameters": "grant_type=authorization_code&code=x&client_id=client-1"});
        if which & 1 == 0 { body["oauthClientAttestation"] = json!(att); }
        if which & 2 == 0 { body["oauthClientAttestationPop"] = json!(pop); }
        body["dpop"] = json!(dpop);
        lint_body(body);
    }

    #[test]
    fn cert_inspect_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..800), text in pem_like()) {
        let s = settings();
        let _ = tokenlint::toolkit::cert::inspect(&bytes, &s);
        let _ = tokenlint::toolkit::cert::inspect(text.as_bytes(), &s);
    }
}

fn form_urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
