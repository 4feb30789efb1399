//! Arbitrary input to the raw-HTTP, HAR and curl loaders, and to the lint
//! over what they load, never panics, and every span stays inside the input.

use proptest::prelude::*;
use tokenlint::lint::{self, Settings};
use tokenlint::request::{curl, har, http, Loaded};

fn spans_fit(l: &Loaded) {
    let n = l.source.text.len();
    for s in &l.secrets {
        assert!(s.end() <= n, "secret span {s:?} past {n}");
    }
    let r = lint::lint(l, &Settings::with_now(1_767_225_600));
    for f in &r.findings {
        for lab in &f.labels {
            assert!(
                lab.span.end() <= n,
                "{} label {:?} past {n}",
                f.rule.id,
                lab.span
            );
        }
    }
    let _ = l.source.masked_text(&l.secrets);
}

/// Text that looks like a capture often enough to reach deep code.
fn capture_like() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "POST ",
        "GET ",
        "/token",
        "?client_secret=a%2",
        " HTTP/1.1",
        "\r\n",
        "\n",
        " ",
        "\t",
        "Host: as.example.com",
        "Authorization: Basic ",
        "Authorization: Bearer x",
        "czZC",
        "==",
        "Og==",
        "DPoP: ",
        "eyJ",
        ".",
        "Content-Type: application/json",
        "Content-Length: 5",
        "grant_type=client_credentials",
        "&",
        "%",
        "+",
        ":",
        "é",
        "\u{0}",
        "curl ",
        "-H ",
        "'",
        "\"",
        "$'\\u00e9'",
        "\\",
        "-d ",
        "-u ",
        "-G ",
        "-X",
        "https://a/t",
        "{\"log\":{\"entries\":[",
        "{\"request\":{\"method\":\"POST\",\"url\":\"",
        "\"}}",
        "]}}",
        ",",
        "\"headers\":[{\"name\":\"Authorization\",\"value\":\"Basic Og==\"}]",
        "\"postData\":{\"text\":\"grant_type=x\"}",
    ]);
    prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::default())]

    #[test]
    fn http_loader_never_panics(s in capture_like()) {
        spans_fit(&http::load_str("x.http", &s));
    }

    #[test]
    fn http_loader_takes_any_bytes(b in prop::collection::vec(any::<u8>(), 0..300)) {
        spans_fit(&http::load_bytes("x.http", &b));
    }

    #[test]
    fn curl_loader_never_panics(s in capture_like()) {
        spans_fit(&curl::load_str("x.curl", &format!("curl {s}")));
        spans_fit(&curl::load_str("x.curl", &s));
    }

    #[test]
    fn curl_loader_takes_any_text(s in "\\PC{0,200}") {
        spans_fit(&curl::load_str("x.curl", &s));
    }

    #[test]
    fn har_loader_never_panics(s in capture_like()) {
        for l in har::load_str("x.har", &s) {
            spans_fit(&l);
        }
    }

    #[test]
    fn har_entry_fields_take_any_strings(method in "\\PC{0,8}", url in "\\PC{0,40}", auth in "\\PC{0,40}", body in "\\PC{0,60}") {
        let doc = serde_json::json!({"log": {"entries": [{"request": {
            "method": method, "url": url,
            "headers": [{"name": "Authorization", "value": auth}, {"name": "DPoP", "value": "a.b.c"}],
            "postData": {"mimeType": "application/x-www-form-urlencoded", "text": format!("grant_type=x&{body}")}
        }}]}});
        for l in har::load_str("x.har", &doc.to_string()) {
            spans_fit(&l);
        }
    }
}
