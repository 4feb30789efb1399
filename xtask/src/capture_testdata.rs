//! Writes the HTTP captures under `testdata/captures/` (raw HTTP `.http`, HAR
//! `.har`, curl `.curl`) and their manifest `testdata/captures/expected.txt`,
//! from the table in this file. Deterministic and offline:
//!
//! ```text
//! cargo xtask capture-testdata          # (re)write testdata/captures/
//! cargo xtask capture-testdata --check  # exit 1 if it is stale
//! ```
//!
//! The manifest has a line per input: `<source> [now=<unix>]: <rule> …`. A
//! `good/` input must raise no error finding; a `bad/` input must raise every
//! rule listed. `tests/it/captures.rs` holds the linter to it.
//!
//! Vectors: the RFC 9449 §5 example token requests (authorization code and
//! refresh token, with the RFC's own DPoP proofs), the RFC 6749 §2.3.1 Basic
//! example, the client_secret_basic special-character vector of
//! openid/AppAuth-Android#337 (encoded and not), and RFC 9449's
//! introspection header, whose secret was not form-encoded.

use std::fmt::Write as _;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde_json::json;

/// RFC 9449 §5: the proof of the authorization code request (iat 1562262616).
const RFC9449_PROOF_CODE: &str = "eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7Imt0eSI6IkVDIiwieCI6Imw4dEZyaHgtMzR0VjNoUklDUkRZOXpDa0RscEJoRjQyVVFVZldWQVdCRnMiLCJ5IjoiOVZFNGpmX09rX282NHpiVFRsY3VOSmFqSG10NnY5VERWclUwQ2R2R1JEQSIsImNydiI6IlAtMjU2In19.eyJqdGkiOiItQndDM0VTYzZhY2MybFRjIiwiaHRtIjoiUE9TVCIsImh0dSI6Imh0dHBzOi8vc2VydmVyLmV4YW1wbGUuY29tL3Rva2VuIiwiaWF0IjoxNTYyMjYyNjE2fQ.2-GxA6T8lP4vfrg8v-FdWP0A0zdrj8igiMLvqRMUvwnQg4PtFLbdLXiOSsX0x7NVY-FNyJK70nfbV37xRZT3Lg";
/// RFC 9449 §5: the proof of the refresh request (same key and jti, iat 1562265296).
const RFC9449_PROOF_REFRESH: &str = "eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7Imt0eSI6IkVDIiwieCI6Imw4dEZyaHgtMzR0VjNoUklDUkRZOXpDa0RscEJoRjQyVVFVZldWQVdCRnMiLCJ5IjoiOVZFNGpmX09rX282NHpiVFRsY3VOSmFqSG10NnY5VERWclUwQ2R2R1JEQSIsImNydiI6IlAtMjU2In19.eyJqdGkiOiItQndDM0VTYzZhY2MybFRjIiwiaHRtIjoiUE9TVCIsImh0dSI6Imh0dHBzOi8vc2VydmVyLmV4YW1wbGUuY29tL3Rva2VuIiwiaWF0IjoxNTYyMjY1Mjk2fQ.pAqut2IRDm_De6PR93SYmGBPXpwrAk90e8cP2hjiaG5QsGSuKDYW7_X620BxqhvYC8ynrrvZLTk41mSRroapUA";
const RFC9449_CODE_BODY: &str = "grant_type=authorization_code&client_id=s6BhdRkqt&code=SplxlOBeZQQYbYS6WxSbIA&redirect_uri=https%3A%2F%2Fclient%2Eexample%2Ecom%2Fcb&code_verifier=bEaL42izcC-o-xBk0K2vuJ6U-y1p9r_wW2dFWIWgjz-";
const RFC9449_REFRESH_BODY: &str =
    "grant_type=refresh_token&client_id=s6BhdRkqt&refresh_token=Q..Zkm29lexi8VnWg2zPW1x-tgGad0Ibc3s3EwM_Ni4-g";
/// RFC 6749 §2.3.1.
const BASIC_RFC6749: &str = "czZCaGRSa3F0Mzo3RmpmcDBaQnIxS3REUmJuZlZkbUl3";
/// openid/AppAuth-Android#337: id `1PpG/Q 1`, secret
/// `z/tZ9VwFZqApmIQ+ZH1I5pLk/uB4ud:X2/8bL+wfFTt1rFw=`, form-encoded.
const BASIC_SPECIAL_ENCODED: &str = "MVBwRyUyRlErMTp6JTJGdFo5VndGWnFBcG1JUSUyQlpIMUk1cExrJTJGdUI0dWQlM0FYMiUyRjhiTCUyQndmRlR0MXJGdyUzRA==";
/// RFC 9449 §7.2's introspection header: `rs:rs:Mku-6g_lCzKIdz4fsN7kYcya+Ti`.
const BASIC_RFC9449_INTROSPECTION: &str = "cnM6cnM6TWt1LTZnX2xDektJZHo0ZnNON2tZY3lhK1Rp";
const RFC9449_NOW: i64 = 1_562_262_616;
const RFC9449_REFRESH_NOW: i64 = 1_562_265_296;

struct Capture {
    path: &'static str,
    text: String,
    /// (source suffix, now, rules): one line per linted input.
    expect: Vec<(&'static str, Option<i64>, &'static [&'static str])>,
}

fn http(method_target: &str, headers: &[(&str, &str)], body: &str) -> String {
    let mut s = format!("{method_target} HTTP/1.1\r\n");
    for (k, v) in headers {
        let _ = write!(s, "{k}: {v}\r\n");
    }
    s.push_str("\r\n");
    s.push_str(body);
    s
}

const FORM: (&str, &str) = ("Content-Type", "application/x-www-form-urlencoded");
const HOST: (&str, &str) = ("Host", "as.example.com");

fn har(entries: Vec<serde_json::Value>) -> String {
    let v = json!({"log": {"version": "1.2", "creator": {"name": "make_capture_testdata", "version": "1"}, "entries": entries}});
    let mut s = serde_json::to_string_pretty(&v).expect("json");
    s.push('\n');
    s
}

fn har_post(url: &str, headers: &[(&str, &str)], body: &str, response: &str) -> serde_json::Value {
    json!({
        "startedDateTime": "2026-01-01T00:00:00.000Z",
        "time": 12,
        "request": {
            "method": "POST", "url": url, "httpVersion": "HTTP/1.1",
            "headers": headers.iter().map(|(k, v)| json!({"name": k, "value": v})).collect::<Vec<_>>(),
            "queryString": [], "cookies": [], "headersSize": -1, "bodySize": body.len(),
            "postData": {"mimeType": "application/x-www-form-urlencoded", "text": body},
        },
        "response": {
            "status": 200, "statusText": "OK", "httpVersion": "HTTP/1.1",
            "headers": [{"name": "Cache-Control", "value": "no-store"}],
            "cookies": [], "content": {"size": response.len(), "mimeType": "application/json", "text": response},
            "redirectURL": "", "headersSize": -1, "bodySize": response.len(),
        },
        "cache": {}, "timings": {"send": 0, "wait": 10, "receive": 2},
    })
}

/// When RFC 9449's authorization code proof was made (its `iat`).
const RFC9449_STARTED: &str = "2019-07-04T17:50:16.000Z";

/// A HAR entry recorded at `started`.
fn at(started: &str, mut entry: serde_json::Value) -> serde_json::Value {
    entry["startedDateTime"] = json!(started);
    entry
}

/// A HAR POST whose form is in `postData.params` only (no `text`).
fn params_only(url: &str, headers: &[(&str, &str)], params: &[(&str, &str)]) -> serde_json::Value {
    let mut e = har_post(url, headers, "", "{}");
    e["request"]["postData"] = json!({
        "mimeType": "application/x-www-form-urlencoded",
        "params": params.iter().map(|(n, v)| json!({"name": n, "value": v})).collect::<Vec<_>>(),
    });
    e
}

fn table() -> Vec<Capture> {
    let b64 = |s: &str| STANDARD.encode(s);
    let cc = "grant_type=client_credentials&scope=read";
    vec![
        // ---- good ----
        Capture {
            path: "good/rfc9449-authorization-code.http",
            text: http("POST /token", &[("Host", "server.example.com"), FORM, ("DPoP", RFC9449_PROOF_CODE)], RFC9449_CODE_BODY),
            expect: vec![("", Some(RFC9449_NOW), &[])],
        },
        Capture {
            path: "good/rfc9449-refresh-token.http",
            text: http("POST /token", &[("Host", "server.example.com"), FORM, ("DPoP", RFC9449_PROOF_REFRESH)], RFC9449_REFRESH_BODY),
            expect: vec![("", Some(RFC9449_REFRESH_NOW), &[])],
        },
        Capture {
            path: "good/basic-rfc6749.http",
            text: http("POST /token", &[HOST, FORM, ("Authorization", &format!("Basic {BASIC_RFC6749}"))], cc),
            expect: vec![("", None, &[])],
        },
        Capture {
            path: "good/basic-special-characters-encoded.http",
            text: http("POST /token", &[HOST, FORM, ("Authorization", &format!("Basic {BASIC_SPECIAL_ENCODED}"))], cc),
            expect: vec![("", None, &[])],
        },
        Capture {
            path: "good/devtools.har",
            text: har(vec![
                json!({"startedDateTime": "2026-01-01T00:00:00.000Z", "time": 5,
                       "request": {"method": "GET", "url": "https://as.example.com/.well-known/oauth-authorization-server", "httpVersion": "HTTP/2", "headers": [], "queryString": [], "cookies": [], "headersSize": -1, "bodySize": 0},
                       "response": {"status": 200, "statusText": "", "httpVersion": "HTTP/2", "headers": [], "cookies": [], "content": {"size": 2, "mimeType": "application/json", "text": "{}"}, "redirectURL": "", "headersSize": -1, "bodySize": 2},
                       "cache": {}, "timings": {"send": 0, "wait": 5, "receive": 0}}),
                // Recorded when the RFC's proof was made: the capture's own
                // time is its clock (no `now` needed).
                at(RFC9449_STARTED, har_post("https://server.example.com/token", &[("Content-Type", "application/x-www-form-urlencoded"), ("DPoP", RFC9449_PROOF_CODE)], RFC9449_CODE_BODY,
                         r#"{"access_token":"Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU","token_type":"DPoP","expires_in":2677,"refresh_token":"Q..Zkm29lexi8VnWg2zPW1x-tgGad0Ibc3s3EwM_Ni4-g"}"#)),
            ]),
            expect: vec![("#entries[1]", None, &[])],
        },
        Capture {
            path: "good/rfc9449-with-date-header.http",
            // The Date header is the capture's clock.
            text: http("POST /token", &[("Host", "server.example.com"), ("Date", "Thu, 04 Jul 2019 17:50:16 GMT"), FORM, ("DPoP", RFC9449_PROOF_CODE)], RFC9449_CODE_BODY),
            expect: vec![("", None, &[])],
        },
        Capture {
            path: "good/rest-client.http",
            // A VS Code REST Client / JetBrains HTTP Client file: file
            // variables, comments, `###` blocks; only token requests count.
            text: format!(
                "# Token requests against the test server\n@host = as.example.com\n@clientId = s6BhdRkqt3\n\n\
                 ### discovery\nGET https://{{{{host}}}}/.well-known/oauth-authorization-server\n\n\
                 ### client credentials\n# @name token\nPOST https://{{{{host}}}}/token HTTP/1.1\nContent-Type: application/x-www-form-urlencoded\nAuthorization: Basic {BASIC_RFC6749}\n\n{cc}\n\n\
                 ### refresh\n// a comment line\nPOST https://{{{{host}}}}/token\nContent-Type: application/x-www-form-urlencoded\nAuthorization: Basic {BASIC_RFC6749}\n\ngrant_type=refresh_token&refresh_token=tGzv3JOkF0XG5Qx2TlKWIA\n"
            ),
            expect: vec![("#2", None, &[]), ("#3", None, &[])],
        },
        Capture {
            path: "good/params-only.har",
            // HAR 1.2 allows the form in postData.params alone.
            text: har(vec![params_only(
                "https://as.example.com/token",
                &[("Authorization", &format!("Basic {BASIC_RFC6749}"))],
                &[("grant_type", "client_credentials"), ("scope", "read")],
            )]),
            expect: vec![("#entries[0]", None, &[])],
        },
        Capture {
            path: "good/client-credentials.curl",
            text: format!("curl 'https://as.example.com/token' \\\n  -H 'content-type: application/x-www-form-urlencoded' \\\n  -H 'authorization: Basic {BASIC_RFC6749}' \\\n  --data-raw '{cc}'\n"),
            expect: vec![("", None, &[])],
        },
        // ---- bad ----
        Capture {
            path: "bad/basic-rfc9449-introspection-header.http",
            text: http("POST /token", &[HOST, FORM, ("Authorization", &format!("Basic {BASIC_RFC9449_INTROSPECTION}"))], cc),
            expect: vec![("", None, &["client-auth/basic-not-form-encoded"])],
        },
        Capture {
            path: "bad/basic-special-characters-raw.http",
            text: http("POST /token", &[HOST, FORM, ("Authorization", &format!("Basic {}", b64("1PpG/Q 1:z/tZ9VwFZqApmIQ+ZH1I5pLk/uB4ud:X2/8bL+wfFTt1rFw=")))], cc),
            expect: vec![("", None, &["client-auth/basic-not-form-encoded"])],
        },
        Capture {
            path: "bad/basic-base64url.http",
            text: http("POST /token", &[HOST, FORM, ("Authorization", "Basic czZCaGRSa3F0Mzo3RmpmcDBaQnIxS3REUmJuZlZkbUl3_-")], cc),
            expect: vec![("", None, &["client-auth/basic-bad-base64"])],
        },
        Capture {
            path: "bad/basic-no-colon.http",
            text: http("POST /token", &[HOST, FORM, ("Authorization", &format!("Basic {}", b64("s6BhdRkqt3")))], cc),
            expect: vec![("", None, &["client-auth/basic-no-colon"])],
        },
        Capture {
            path: "bad/basic-bad-percent.http",
            text: http("POST /token", &[HOST, FORM, ("Authorization", &format!("Basic {}", b64("s6BhdRkqt3:50%off")))], cc),
            expect: vec![("", None, &["client-auth/basic-bad-percent-encoding"])],
        },
        Capture {
            path: "bad/basic-newline-in-secret.http",
            text: http("POST /token", &[HOST, FORM, ("Authorization", &format!("Basic {}", b64("s6BhdRkqt3:7Fjfp0ZBr1KtDRbnfVdmIw\n")))], cc),
            expect: vec![("", None, &["client-auth/basic-non-vschar"])],
        },
        Capture {
            path: "bad/basic-empty-secret.http",
            text: http("POST /token", &[HOST, FORM, ("Authorization", &format!("Basic {}", b64("s6BhdRkqt3:")))], cc),
            expect: vec![("", None, &["client-auth/basic-empty-part"])],
        },
        Capture {
            path: "bad/bearer-instead-of-basic.http",
            text: http("POST /token", &[HOST, FORM, ("Authorization", "Bearer Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU")], cc),
            expect: vec![("", None, &["client-auth/basic-malformed"])],
        },
        Capture {
            path: "bad/get-with-secret-in-query.http",
            text: http("GET /token?grant_type=client_credentials&client_id=s6BhdRkqt3&client_secret=7Fjfp0ZBr1KtDRbnfVdmIw", &[HOST], ""),
            expect: vec![("", None, &["input/http-method", "input/credentials-in-query", "input/query-parameters", "input/body-not-form"])],
        },
        Capture {
            path: "bad/json-body.http",
            text: http("POST /token", &[HOST, ("Content-Type", "application/json")], r#"{"grant_type":"client_credentials","client_id":"s6BhdRkqt3"}"#),
            expect: vec![("", None, &["input/body-not-form"])],
        },
        Capture {
            path: "bad/two-dpop-headers.http",
            text: http("POST /token", &[("Host", "server.example.com"), FORM, ("DPoP", RFC9449_PROOF_CODE), ("dpop", RFC9449_PROOF_CODE)], RFC9449_CODE_BODY),
            expect: vec![("", Some(RFC9449_NOW), &["input/dpop-header-repeated"])],
        },
        Capture {
            path: "bad/rfc9449-as-printed-folded.http",
            // The RFC prints the header folded over lines "for display only".
            text: format!(
                "POST /token HTTP/1.1\nHost: server.example.com\nContent-Type: application/x-www-form-urlencoded\nDPoP: {}\n {}\n\n{RFC9449_CODE_BODY}\n",
                &RFC9449_PROOF_CODE[..68],
                &RFC9449_PROOF_CODE[68..]
            ),
            expect: vec![("", Some(RFC9449_NOW), &["input/http-syntax"])],
        },
        Capture {
            path: "bad/plain-http-and-stale-proof.har",
            text: har(vec![
                har_post("https://server.example.com/token", &[("Content-Type", "application/x-www-form-urlencoded"), ("DPoP", RFC9449_PROOF_CODE)], RFC9449_CODE_BODY, r#"{"error":"invalid_dpop_proof"}"#),
                har_post("http://as.example.com/token", &[("Content-Type", "application/x-www-form-urlencoded"), ("Authorization", &format!("Basic {BASIC_RFC6749}"))], cc, r#"{"access_token":"2YotnFZFEjr1zCsicMWpAA","token_type":"Bearer"}"#),
            ]),
            expect: vec![
                ("#entries[0]", None, &["dpop/iat-out-of-window"]),
                ("#entries[1]", None, &["input/not-https"]),
            ],
        },
        Capture {
            path: "bad/rest-client-unresolved.http",
            text: format!(
                "@host = as.example.com\n\n### the token request\nPOST https://{{{{host}}}}/token HTTP/1.1\nContent-Type: application/x-www-form-urlencoded\nAuthorization: Basic {BASIC_RFC6749}\n\ngrant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA&redirect_uri=https%3A%2F%2Fclient.example.org%2Fcb&code_verifier={{{{verifier}}}}\n"
            ),
            expect: vec![("", None, &["input/unresolved-variable"])],
        },
        Capture {
            path: "bad/content-length-zero.http",
            text: http("POST /token", &[HOST, FORM, ("Authorization", &format!("Basic {BASIC_RFC6749}")), ("Content-Length", "0")], ""),
            expect: vec![("", None, &["input/body-not-form"])],
        },
        Capture {
            path: "bad/http2-header-dump.http",
            text: ":method: POST\n:authority: as.example.com\n:scheme: https\n:path: /token\ncontent-type: application/x-www-form-urlencoded\naccept: */*\n".to_owned(),
            expect: vec![("", None, &["input/body-not-form"])],
        },
        Capture {
            path: "bad/params-disagree.har",
            text: har(vec![{
                let mut e = har_post("https://as.example.com/token", &[("Authorization", &format!("Basic {BASIC_RFC6749}"))], cc, r#"{"access_token":"2YotnFZFEjr1zCsicMWpAA"}"#);
                e["request"]["postData"]["params"] = json!([{"name": "grant_type", "value": "client_credentials"}, {"name": "scope", "value": "write"}]);
                e
            }]),
            expect: vec![("#entries[0]", None, &["input/http-syntax"])],
        },
        Capture {
            path: "bad/get-with-data.curl",
            text: "curl -G -d grant_type=client_credentials -d client_id=s6BhdRkqt3 https://as.example.com/token\n".to_owned(),
            expect: vec![("", None, &["input/http-method", "input/query-parameters"])],
        },
        Capture {
            path: "bad/user-with-plus.curl",
            text: "curl -u 's6BhdRkqt3:gX1f+Bat3bV/x=' -d grant_type=client_credentials https://as.example.com/token\n".to_owned(),
            expect: vec![("", None, &["client-auth/basic-not-form-encoded"])],
        },
        Capture {
            path: "bad/json-body.curl",
            text: "curl https://as.example.com/token --json '{\"grant_type\":\"client_credentials\"}'\n".to_owned(),
            expect: vec![("", None, &["input/body-not-form"])],
        },
    ]
}

pub fn run(check: bool) {
    let root = crate::root().join("testdata/captures");
    let mut manifest = String::from("# Generated by `cargo xtask capture-testdata`; do not edit.\n# <source> [now=<unix>]: <rules a bad input must raise> (good inputs: no error)\n");
    let mut stale = Vec::new();
    for c in table() {
        for (suffix, now, rules) in &c.expect {
            let now = now.map(|n| format!(" now={n}")).unwrap_or_default();
            let _ = writeln!(manifest, "{}{suffix}{now}: {}", c.path, rules.join(" "));
        }
        let path = root.join(c.path);
        if check {
            if std::fs::read_to_string(&path).ok().as_deref() != Some(c.text.as_str()) {
                stale.push(c.path.to_owned());
            }
        } else {
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(&path, &c.text).expect("write capture");
        }
    }
    let mpath = root.join("expected.txt");
    if check {
        if std::fs::read_to_string(&mpath).ok().as_deref() != Some(manifest.as_str()) {
            stale.push("expected.txt".into());
        }
        if !stale.is_empty() {
            eprintln!("testdata/captures is stale: {}", stale.join(", "));
            std::process::exit(1);
        }
    } else {
        std::fs::write(&mpath, manifest).expect("write manifest");
    }
}
