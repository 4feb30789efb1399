//! Property tests for the parsers every input goes through: the fixture
//! loader and linter, the form decoder, the span-keeping JSON parser and the
//! compact JWS parser. No input may make them panic, and every span they
//! hand out must fit the text it points into.
//!
//! The default is proptest's 256 cases per property, which keeps `cargo
//! test` fast. For a long run (a million cases each), in release mode:
//!
//! ```text
//! PROPTEST_CASES=1000000 cargo test --release --test it proptest_parsers
//! ```

use proptest::prelude::*;

use tokenlint::form;
use tokenlint::jose::compact;
use tokenlint::json;
use tokenlint::lint::{self, FileReport, Settings};
use tokenlint::request::fixture;

const NOW: i64 = 1_767_225_600;

/// Every label of every finding lies in the source, on char boundaries.
fn check_spans(r: &FileReport) -> Result<(), TestCaseError> {
    let text = &r.source.text;
    for f in &r.findings {
        for l in &f.labels {
            let (start, end) = (l.span.offset, l.span.end());
            prop_assert!(
                end <= text.len(),
                "{}: label {:?} {}..{} past the end ({}) of {:?}",
                f.rule.id,
                l.text,
                start,
                end,
                text.len(),
                text
            );
            prop_assert!(
                text.is_char_boundary(start) && text.is_char_boundary(end),
                "{}: label {:?} {}..{} splits a character of {:?}",
                f.rule.id,
                l.text,
                start,
                end,
                text
            );
        }
    }
    Ok(())
}

fn lint_bytes(bytes: &[u8]) -> Result<FileReport, TestCaseError> {
    let loaded = fixture::load_bytes("prop.json", bytes);
    let r = lint::lint(&loaded, &Settings::with_now(NOW));
    check_spans(&r)?;
    Ok(r)
}

/// Names the rules look at, plus a few they do not.
const NAMES: &[&str] = &[
    "grant_type",
    "code",
    "redirect_uri",
    "code_verifier",
    "client_id",
    "client_secret",
    "client_assertion",
    "client_assertion_type",
    "refresh_token",
    "scope",
    "resource",
    "audience",
    "username",
    "password",
    "device_code",
    "subject_token",
    "subject_token_type",
    "actor_token",
    "actor_token_type",
    "assertion",
    "auth_req_id",
    "x",
    "",
];

const GRANTS: &[&str] = &[
    "authorization_code",
    "refresh_token",
    "client_credentials",
    "password",
    "urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code",
    "urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange",
    "urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer",
    "urn%3Aopenid%3Aparams%3Agrant-type%3Aciba",
    "urn:x",
    "",
];

/// A raw form value: letters, escapes (good and bad), `+`, `=`, `/`, `#`,
/// spaces, non-ASCII and control characters.
fn raw_value() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z0-9._~-]{0,60}",
        "[A-Za-z0-9%+=/#?: ._~-]{0,40}",
        "(%[0-9A-Fa-f]{2}|%[0-9A-Fa-f]?|[a-z+]|é|€|\u{0}|\t){0,20}",
        "https?(%3A|:)(%2F|/){0,2}[a-z.]{0,10}(%2F|/)?(%3F|\\?)?[a-z=]{0,5}(%23|#)?[a-z]{0,3}",
        Just("eyJhbGciOiJFUzI1NiJ9.e30.AA".to_owned()),
        Just("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk".to_owned()),
    ]
}

/// A `parameters` string shaped like a token request, with mistakes.
fn parameters() -> impl Strategy<Value = String> {
    (
        prop::sample::select(GRANTS),
        prop::collection::vec((prop::sample::select(NAMES), raw_value()), 0..8),
        "[&=]{0,2}",
    )
        .prop_map(|(grant, pairs, tail)| {
            let mut s = format!("grant_type={grant}");
            for (n, v) in pairs {
                s.push('&');
                s.push_str(n);
                s.push('=');
                s.push_str(&v);
            }
            s.push_str(&tail);
            s
        })
}

/// A whole fixture: parameters plus some of the other fields, right or wrong.
fn body() -> impl Strategy<Value = String> {
    (
        parameters(),
        prop::option::of("[a-zA-Z0-9 ]{0,12}"),
        prop::option::of("[a-zA-Z0-9+]{0,12}"),
        prop::option::of(-5i64..5),
        prop::option::of(prop_oneof![
            Just(serde_json::json!([{"key": "k", "value": "v", "hidden": false}])),
            Just(serde_json::json!([{"key": "scope", "value": 1}])),
            Just(serde_json::json!("[]")),
            Just(serde_json::json!({"key": "k"})),
        ]),
        prop::option::of(prop_oneof![
            Just("{\"a\":1}".to_owned()),
            Just("[1]".to_owned()),
            Just("{".to_owned()),
        ]),
        prop::option::of(prop_oneof![
            Just(serde_json::json!({"alwaysRetrieved": true})),
            Just(serde_json::json!({"httpPermitted": "yes", "x": 1})),
            Just(serde_json::json!([])),
        ]),
    )
        .prop_map(|(p, id, secret, dur, props, claims, cimd)| {
            let mut m = serde_json::Map::new();
            m.insert("parameters".into(), p.into());
            if let Some(v) = id {
                m.insert("clientId".into(), v.into());
            }
            if let Some(v) = secret {
                m.insert("clientSecret".into(), v.into());
            }
            if let Some(v) = dur {
                m.insert("accessTokenDuration".into(), v.into());
            }
            if let Some(v) = props {
                m.insert("properties".into(), v);
            }
            if let Some(v) = claims {
                m.insert("jwtAtClaims".into(), v.into());
            }
            if let Some(v) = cimd {
                m.insert("cimdOptions".into(), v);
            }
            serde_json::Value::Object(m).to_string()
        })
}

/// JSON-like text: a serialized value, sometimes damaged by one edit.
fn jsonish() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(serde_json::Value::from),
        "\\PC{0,8}".prop_map(serde_json::Value::from),
    ];
    let value = leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
            prop::collection::vec(("\\PC{0,6}", inner), 0..6)
                .prop_map(|kv| serde_json::Value::Object(kv.into_iter().collect())),
        ]
    });
    (
        value,
        any::<bool>(),
        any::<prop::sample::Index>(),
        prop_oneof![
            Just(""),
            Just(","),
            Just("\""),
            Just("\\"),
            Just("\\u"),
            Just("\\ud800"),
            Just("["),
            Just("}"),
            Just(" "),
            Just("\u{1}"),
            Just("1e999"),
            Just("-"),
            Just("0"),
        ],
        any::<bool>(),
    )
        .prop_map(|(v, pretty, at, insert, delete)| {
            let mut s = if pretty {
                serde_json::to_string_pretty(&v).unwrap_or_default()
            } else {
                v.to_string()
            };
            if !s.is_empty() {
                let mut i = at.index(s.len());
                while !s.is_char_boundary(i) {
                    i -= 1;
                }
                if delete {
                    if let Some(c) = s[i..].chars().next() {
                        s.replace_range(i..i + c.len_utf8(), "");
                    }
                }
                s.insert_str(i, insert);
            }
            s
        })
}

/// Where our parser and serde_json may rightly disagree on validity.
fn known_divergence(text: &str, serde_err: Option<&serde_json::Error>) -> bool {
    // A UTF-8 BOM is tolerated by ours (RFC 8259 §8.1: MAY ignore), not serde_json.
    text.starts_with('\u{feff}')
        // serde_json parses numbers into f64 and refuses out-of-range ones;
        // ours keeps a number as written.
        || serde_err.is_some_and(|e| e.to_string().contains("number out of range"))
        // Different recursion limits (both about 128).
        || text.matches(['[', '{']).count() > 100
}

fn compare_json(text: &str) -> Result<(), TestCaseError> {
    let ours = json::parse(text, 0);
    let theirs = serde_json::from_str::<serde_json::Value>(text);
    match (&ours, &theirs) {
        (Ok(a), Ok(b)) => {
            prop_assert_eq!(&a.to_json(), b, "values differ for {:?}", text);
            prop_assert!(a.span.end() <= text.len());
        }
        (Err(e), Err(_)) => {
            prop_assert!(
                e.offset <= text.len(),
                "error offset {} past {:?}",
                e.offset,
                text
            );
        }
        (Ok(_), Err(e)) => {
            prop_assert!(
                known_divergence(text, Some(e)),
                "ours accepts, serde_json rejects ({}): {:?}",
                e,
                text
            );
        }
        (Err(e), Ok(_)) => {
            prop_assert!(
                known_divergence(text, None),
                "ours rejects ({} at {}), serde_json accepts: {:?}",
                e.message,
                e.offset,
                text
            );
        }
    }
    Ok(())
}

proptest! {
    // ----- the loader and the linter: any bytes, any string ----------------

    #[test]
    fn any_bytes_lint_without_panic(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        lint_bytes(&bytes)?;
    }

    #[test]
    fn any_string_lints_without_panic(s in "\\PC{0,200}") {
        lint_bytes(s.as_bytes())?;
    }

    #[test]
    fn any_parameters_string_lints_without_panic(p in "\\PC{0,200}") {
        let body = serde_json::json!({ "parameters": p }).to_string();
        lint_bytes(body.as_bytes())?;
    }

    #[test]
    fn request_shaped_bodies_lint_without_panic(body in body()) {
        let r = lint_bytes(body.as_bytes())?;
        // A body serde_json wrote is valid JSON: never an input/invalid-json.
        prop_assert!(r.findings.iter().all(|f| f.rule.id != "input/invalid-json"), "{}", body);
    }

    #[test]
    fn request_shaped_bodies_survive_a_damaged_byte(body in body(), at in any::<prop::sample::Index>(), b in any::<u8>()) {
        let mut bytes = body.into_bytes();
        let i = at.index(bytes.len());
        bytes[i] = b;
        lint_bytes(&bytes)?;
    }

    // ----- the form decoder ------------------------------------------------

    #[test]
    fn form_ranges_fit_and_sit_on_char_boundaries(s in "\\PC{0,120}") {
        let f = form::decode(&s);
        for p in &f.pairs {
            for r in [&p.raw, &p.name_raw, &p.value_raw] {
                prop_assert!(r.start <= r.end && r.end <= s.len(), "{:?} in {:?}", r, s);
                prop_assert!(s.is_char_boundary(r.start) && s.is_char_boundary(r.end), "{:?} in {:?}", r, s);
            }
            prop_assert!(p.raw.start <= p.name_raw.start && p.name_raw.end <= p.raw.end);
            prop_assert!(p.name_raw.end <= p.value_raw.start && p.value_raw.end <= p.raw.end);
            for &i in &p.plus_spaces {
                prop_assert_eq!(p.value.as_bytes().get(i), Some(&b' '));
            }
            // Each decoded character maps back to raw bytes inside the value.
            for (i, c) in p.value.char_indices() {
                let r = p.value_raw_range(i..i + c.len_utf8());
                prop_assert!(p.value_raw.start <= r.start && r.end <= p.value_raw.end, "{:?} for {:?} in {:?}", r, c, s);
                prop_assert!(s.is_char_boundary(r.start) && s.is_char_boundary(r.end));
            }
        }
        for issue in &f.issues {
            let r = match issue {
                form::Issue::BadEscape { raw } | form::Issue::Unescaped { raw, .. } => raw.clone(),
                form::Issue::InvalidUtf8 { pair, .. } => {
                    prop_assert!(*pair < f.pairs.len());
                    continue;
                }
            };
            prop_assert!(r.end <= s.len() && s.is_char_boundary(r.start) && s.is_char_boundary(r.end), "{:?} in {:?}", r, s);
        }
    }

    #[test]
    fn form_encode_then_decode_round_trips(pairs in prop::collection::vec(("\\PC{0,12}", "\\PC{0,24}"), 1..6)) {
        let encoded: Vec<String> = pairs
            .iter()
            .map(|(n, v)| format!("{}={}", form::encode(n), form::encode(v)))
            .collect();
        let s = encoded.join("&");
        let f = form::decode(&s);
        prop_assert!(f.issues.is_empty(), "{:?} for {:?}", f.issues, s);
        prop_assert_eq!(f.pairs.len(), pairs.len());
        for (p, (n, v)) in f.pairs.iter().zip(&pairs) {
            prop_assert_eq!(&p.name, n);
            prop_assert_eq!(&p.value, v);
            // Every decoded character's raw range decodes to that character.
            for (i, c) in p.value.char_indices() {
                let r = p.value_raw_range(i..i + c.len_utf8());
                let back = form::decode(&format!("x={}", &s[r.clone()]));
                prop_assert_eq!(back.pairs[0].value.clone(), c.to_string(), "{:?} → {:?}", c, &s[r]);
            }
        }
    }

    #[test]
    fn form_encode_is_rfc6749_appendix_b(v in "\\PC{0,40}") {
        let e = form::encode(&v);
        prop_assert!(e.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._*+%".contains(&b)), "{}", e);
    }

    // ----- the JSON parser agrees with serde_json ----------------------------

    #[test]
    fn json_agrees_with_serde_on_any_string(s in "\\PC{0,60}") {
        compare_json(&s)?;
    }

    #[test]
    fn json_agrees_with_serde_on_json_like_text(s in jsonish()) {
        compare_json(&s)?;
    }

    #[test]
    fn json_spans_point_at_the_strings(v in any::<Vec<(String, String)>>()) {
        // Keys and string values: each span's raw text re-parses to the value.
        let obj: serde_json::Map<String, serde_json::Value> =
            v.into_iter().map(|(k, s)| (k, serde_json::Value::String(s))).collect();
        let text = serde_json::Value::Object(obj).to_string();
        let parsed = json::parse(&text, 7).map_err(|e| TestCaseError::fail(e.message))?;
        for m in parsed.as_object().unwrap_or_default() {
            let t = m.value.as_str().ok_or_else(|| TestCaseError::fail("a string"))?;
            let raw = &text[t.span.offset - 7..t.span.end() - 7];
            let back: String = serde_json::from_str(&format!("\"{raw}\""))
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(&back, &t.value);
        }
    }

    // ----- compact JWS -----------------------------------------------------

    #[test]
    fn jws_parse_never_panics(s in "\\PC{0,120}") {
        let _ = compact::parse(&s);
    }

    #[test]
    fn jws_parse_never_panics_on_jws_shaped_text(
        h in "[A-Za-z0-9_=+/-]{0,40}",
        p in "[A-Za-z0-9_=+/-]{0,40}",
        sig in "[A-Za-z0-9_=+/.-]{0,40}",
        header in prop::option::of("\\PC{0,30}"),
    ) {
        use base64::Engine as _;
        let h = match header {
            Some(json) => base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json),
            None => h,
        };
        let s = format!("{h}.{p}.{sig}");
        if let Err(e) = compact::parse(&s) {
            let _ = e.describe();
        }
    }
}
