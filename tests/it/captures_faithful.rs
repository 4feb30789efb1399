//! Issue 16, "captures, read faithfully": REST-client files, HAR
//! `postData.params`, the capture's own clock, bodies that hold no form,
//! CRLF files and underlines inside masked values — each end to end through
//! the binary.

use std::path::Path;
use std::process::Output;

use serde_json::Value;

use crate::common::{self, NOW};

fn run(dir: &Path, args: &[&str]) -> Output {
    common::tokenlint()
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the tokenlint binary runs")
}

/// `(source, [rule ids])` of every result.
fn results(v: &Value) -> Vec<(String, Vec<String>)> {
    v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let rules = r["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["rule"].as_str().unwrap().to_owned())
                .collect();
            (r["source"].as_str().unwrap().to_owned(), rules)
        })
        .collect()
}

const BASIC: &str = "Authorization: Basic czZCaGRSa3F0Mzo3RmpmcDBaQnIxS3REUmJuZlZkbUl3";

/// Two token requests and a discovery request in one REST-client file: the
/// `###` line used to be read as part of the first request's body (its
/// last parameter swallowed the second request) and the run exited 0.
#[test]
fn each_request_of_a_rest_client_file_is_its_own_input() {
    let dir = tempfile::tempdir().unwrap();
    let file = format!(
        "# tokens\n@host = as.example.com\n\n### discovery\nGET https://{{{{host}}}}/.well-known/openid-configuration\n\n\
         ### good\nPOST https://{{{{host}}}}/token HTTP/1.1\nContent-Type: application/x-www-form-urlencoded\n{BASIC}\n\n\
         grant_type=client_credentials&client_id=s6BhdRkqt3\n\n\
         ### bad verifier\n// the second one\nPOST https://{{{{host}}}}/token HTTP/1.1\nContent-Type: application/x-www-form-urlencoded\n{BASIC}\n\n\
         grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA&redirect_uri=https%3A%2F%2Fc.example%2Fcb&code_verifier=short\n"
    );
    std::fs::write(dir.path().join("tokens.http"), file).unwrap();
    let o = run(
        dir.path(),
        &[
            "--no-config",
            "--now",
            NOW,
            "-o",
            "json",
            "check",
            "tokens.http",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", common::describe(&o));
    let v = common::json(&o);
    let r = results(&v);
    let names: Vec<&str> = r.iter().map(|(s, _)| s.as_str()).collect();
    // The discovery GET is not a token request; the others are numbered as
    // the file's requests.
    assert_eq!(
        names,
        ["tokens.http#2", "tokens.http#3"],
        "{}",
        common::describe(&o)
    );
    assert!(
        !r[0]
            .1
            .iter()
            .any(|id| id.starts_with("params/") || id.starts_with("grant/")),
        "the first request is whole and clean: {:?}",
        r[0].1
    );
    assert!(
        r[1].1.contains(&"pkce/verifier-length".to_owned()),
        "{:?}",
        r[1].1
    );
    // The variable is resolved: the URL is https://as.example.com/token.
    assert!(!r
        .iter()
        .any(|(_, ids)| ids.iter().any(|i| i == "input/http-syntax")));
}

/// A reference the file does not define is a finding at the reference, and
/// what other rules would say about `{{verifier}}` (its braces) is not.
/// A variable whose value is a secret is masked where it is defined.
#[test]
fn rest_client_variables_resolve_and_unresolved_ones_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let secret = "Zq8rT2vW5xY7bN1mK4pL";
    let file = format!(
        "@secret = {secret}\n\nPOST https://as.example.com/token\nContent-Type: application/x-www-form-urlencoded\n\n\
         grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA&redirect_uri=https%3A%2F%2Fc.example%2Fcb\
         &client_id=s6BhdRkqt3&client_secret={{{{secret}}}}&code_verifier={{{{verifier}}}}\n"
    );
    std::fs::write(dir.path().join("t.http"), file).unwrap();
    let o = run(
        dir.path(),
        &["--no-config", "--now", NOW, "-o", "json", "check", "t.http"],
    );
    let v = common::json(&o);
    let r = results(&v);
    assert_eq!(r.len(), 1, "{}", common::describe(&o));
    let ids = &r[0].1;
    assert!(
        ids.contains(&"input/unresolved-variable".to_owned()),
        "{ids:?}"
    );
    assert!(
        !ids.iter().any(|i| i.starts_with("pkce/")),
        "findings about `{{{{verifier}}}}`'s braces are dropped: {ids:?}"
    );
    // The secret reached client_secret (secret-in-body is about it) ...
    assert!(
        ids.contains(&"client-auth/secret-in-body".to_owned()),
        "{ids:?}"
    );
    // ... and is shown nowhere, its definition included.
    let o = run(
        dir.path(),
        &["--no-config", "--now", NOW, "check", "t.http"],
    );
    let out = common::describe(&o);
    assert!(!out.contains(secret), "{out}");
    assert!(
        out.contains("`{{verifier}}` is not defined in this file"),
        "{out}"
    );
}

/// HAR 1.2 lets a tool write the form in `postData.params` only: such an
/// entry was skipped ("none of the requests is a token request"). Params
/// that disagree with `postData.text` are a finding.
#[test]
fn har_post_data_params_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let entry = |post: Value| {
        serde_json::json!({
            "startedDateTime": "2026-01-01T00:00:00.000Z",
            "request": {"method": "POST", "url": "https://as.example.com/token",
                        "headers": [{"name": "Authorization", "value": "Basic czZCaGRSa3F0Mzo3RmpmcDBaQnIxS3REUmJuZlZkbUl3"}],
                        "postData": post},
            "response": {"status": 200, "content": {"text": "{}"}}
        })
    };
    let har = serde_json::json!({"log": {"version": "1.2", "entries": [
        entry(serde_json::json!({"mimeType": "application/x-www-form-urlencoded",
            "params": [{"name": "grant_type", "value": "authorization_code"},
                       {"name": "code", "value": "SplxlOBeZQQYbYS6WxSbIA"},
                       {"name": "redirect_uri", "value": "https%3A%2F%2Fc.example%2Fcb"},
                       {"name": "code_verifier", "value": "short"}]})),
        entry(serde_json::json!({"mimeType": "application/x-www-form-urlencoded",
            "text": "grant_type=client_credentials&scope=read",
            "params": [{"name": "grant_type", "value": "client_credentials"},
                       {"name": "scope", "value": "write"}]})),
    ]}});
    std::fs::write(dir.path().join("x.har"), har.to_string()).unwrap();
    let o = run(dir.path(), &["--no-config", "-o", "json", "check", "x.har"]);
    let r = results(&common::json(&o));
    assert_eq!(r.len(), 2, "{}", common::describe(&o));
    assert_eq!(r[0].0, "x.har#entries[0]");
    assert!(
        r[0].1.contains(&"pkce/verifier-length".to_owned()),
        "{:?}",
        r[0].1
    );
    assert_eq!(r[1].1, ["input/http-syntax"], "{}", common::describe(&o));
    let o = run(dir.path(), &["--no-config", "check", "x.har"]);
    assert!(
        common::describe(&o)
            .contains("postData.text and postData.params disagree, first at `scope`"),
        "{}",
        common::describe(&o)
    );
}

/// A capture made long ago is judged at its own time (HAR startedDateTime,
/// an HTTP Date header), and the report says so; `--now` and a
/// configuration override for the file win; the configuration's top-level
/// `now` does not.
#[test]
fn a_capture_is_judged_at_its_own_time_unless_told_otherwise() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for input in ["good/devtools.har", "good/rfc9449-with-date-header.http"] {
        let name = input.rsplit('/').next().unwrap();
        std::fs::copy(common::testdata(&format!("captures/{input}")), d.join(name)).unwrap();
        // No configuration: the system clock is years after the proof's
        // iat (2019-07-04), when the capture was made.
        let o = run(d, &["--no-config", "-o", "json", "check", name]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{input}: {}",
            common::describe(&o)
        );
        let v = common::json(&o);
        assert_eq!(
            v["results"][0]["clock"]["now"], "2019-07-04T17:50:16Z",
            "{input}"
        );
        // A top-level `now` in the configuration is a default: the
        // capture's time wins over it.
        std::fs::write(d.join("tokenlint.toml"), format!("now = {NOW}\n")).unwrap();
        let o = run(d, &["check", name]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{input}: {}",
            common::describe(&o)
        );
        // --now wins, and the report does not speak of the capture's time.
        let o = run(d, &["--now", NOW, "check", name]);
        assert_eq!(
            o.status.code(),
            Some(1),
            "{input}: {}",
            common::describe(&o)
        );
        assert!(
            common::describe(&o).contains("dpop/iat-out-of-window"),
            "{}",
            common::describe(&o)
        );
        assert!(
            !common::describe(&o).contains("the capture's time"),
            "{}",
            common::describe(&o)
        );
        // So does an override for the file: it is chosen for this input.
        std::fs::write(
            d.join("tokenlint.toml"),
            format!("now = 1\n[[overrides]]\nfiles = [\"{name}\"]\nnow = {NOW}\n"),
        )
        .unwrap();
        let o = run(d, &["check", name]);
        assert_eq!(
            o.status.code(),
            Some(1),
            "{input}: {}",
            common::describe(&o)
        );
        std::fs::remove_file(d.join("tokenlint.toml")).unwrap();
    }
    // With findings, the pretty report names the clock it used.
    let dir = tempfile::tempdir().unwrap();
    let stale = "POST /token HTTP/1.1\r\nHost: as.example.com\r\nDate: Tue, 03 Mar 2026 10:00:00 GMT\r\n\
                 Content-Type: application/x-www-form-urlencoded\r\n\r\ngrant_type=client_credentials&client_id=s6BhdRkqt3\r\n";
    std::fs::write(dir.path().join("s.http"), stale).unwrap();
    let o = run(dir.path(), &["--no-config", "check", "s.http"]);
    assert!(
        common::describe(&o).contains(
            "judged at 2026-03-03T10:00:00Z, the capture's time (its Date header); --now to override"
        ),
        "{}",
        common::describe(&o)
    );
}

/// A capture with no form body gets one finding in its own terms, and
/// nothing in Authlete's (`input/missing-parameters`, `grant/…`,
/// `input/content-type` for the same body).
#[test]
fn a_capture_without_a_form_body_is_one_finding() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "empty.http",
            format!("POST /token HTTP/1.1\r\nHost: as.example.com\r\nContent-Type: application/x-www-form-urlencoded\r\n{BASIC}\r\nContent-Length: 0\r\n\r\n"),
            "the body is empty: Content-Length is 0",
        ),
        (
            "json.http",
            "POST /token HTTP/1.1\nHost: as.example.com\nContent-Type: application/json\n\n{\"grant_type\":\"client_credentials\"}\n".to_owned(),
            "the body is JSON, not a form",
        ),
        (
            "authlete.http",
            "POST /token HTTP/1.1\nHost: as.example.com\nContent-Type: application/json\n\n{\"parameters\":\"grant_type=client_credentials\"}\n".to_owned(),
            "Authlete's /auth/token JSON",
        ),
        (
            "h2.http",
            ":method: POST\n:authority: as.example.com\n:scheme: https\n:path: /token\ncontent-type: application/x-www-form-urlencoded\n".to_owned(),
            "HTTP/2 header dump has no body",
        ),
        (
            "nobody.curl",
            "curl -X POST https://as.example.com/token\n".to_owned(),
            "the command sends no body",
        ),
    ];
    for (name, body, message) in cases {
        std::fs::write(dir.path().join(name), body).unwrap();
        let o = run(
            dir.path(),
            &["--no-config", "--now", NOW, "-o", "json", "check", name],
        );
        let v = common::json(&o);
        let findings = v["results"][0]["findings"].as_array().unwrap();
        let ids: Vec<&str> = findings
            .iter()
            .map(|f| f["rule"].as_str().unwrap())
            .collect();
        assert_eq!(
            ids,
            ["input/body-not-form"],
            "{name}: {}",
            common::describe(&o)
        );
        assert!(
            findings[0]["message"].as_str().unwrap().contains(message),
            "{name}: {}",
            common::describe(&o)
        );
    }
    // The HTTP/2 dump is read as the request it describes: its method,
    // path and authority.
    let o = run(
        dir.path(),
        &["--no-config", "--now", NOW, "check", "h2.http"],
    );
    assert!(
        !common::describe(&o).contains("not an HTTP request line"),
        "{}",
        common::describe(&o)
    );
}

/// A CRLF file's pretty report numbers each line once (`1 │ GET …` was
/// followed by `1 │ Host: …`).
#[test]
fn crlf_lines_are_numbered_once() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("get.http"),
        format!("GET /token HTTP/1.1\r\nHost: as.example.com\r\n{BASIC}\r\n\r\ngrant_type=client_credentials\r\n"),
    )
    .unwrap();
    let o = run(
        dir.path(),
        &["--no-config", "--now", NOW, "check", "get.http"],
    );
    let out = common::describe(&o);
    assert!(out.contains("input/http-method"), "{out}");
    let numbers: Vec<&str> = out
        .lines()
        .filter_map(|l| l.trim_start().split_once(" │ "))
        .map(|(n, _)| n.trim())
        .filter(|n| n.chars().all(|c| c.is_ascii_digit()) && !n.is_empty())
        .collect();
    assert!(numbers.starts_with(&["1", "2"]), "{numbers:?}\n{out}");
    for w in numbers.windows(2) {
        assert_ne!(w[0], w[1], "a line number repeats:\n{out}");
    }
}

/// An underline inside a fully masked value says what it points at: the
/// value's length, the position and the kind of the offending characters.
#[test]
fn an_underline_inside_a_masked_value_shows_its_shape() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("plus.http"),
        "POST /token HTTP/1.1\r\nHost: as.example.com\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\n\
         grant_type=client_credentials&client_id=s6BhdRkqt3&client_secret=abc+defGHI123\r\n",
    )
    .unwrap();
    let o = run(
        dir.path(),
        &["--no-config", "--now", NOW, "check", "plus.http"],
    );
    let out = common::describe(&o);
    assert!(!out.contains("abc+defGHI123"), "{out}");
    assert!(
        out.contains("(in a masked value of 13 characters, character 4: `+`)"),
        "{out}"
    );
}

/// A capture piped in (`pbpaste | tokenlint check -`) is read as what it
/// is, a HAR, a raw HTTP request, a REST-client file or a curl command, not
/// as a broken fixture: the same findings as the file it came from.
#[test]
fn a_capture_on_stdin_is_read_as_the_file_is() {
    use std::io::Write as _;
    let rules = |o: &Output| -> Vec<String> {
        let mut r: Vec<String> = common::json(o)["results"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|r| r["findings"].as_array().unwrap().clone())
            .map(|f| f["rule"].as_str().unwrap().to_owned())
            .collect();
        r.sort();
        r
    };
    let mut seen = 0;
    for dir in ["good", "bad"] {
        let dir = common::testdata("captures").join(dir);
        for entry in std::fs::read_dir(&dir).unwrap() {
            let file = entry.unwrap().path();
            let ext = file.extension().unwrap_or_default().to_string_lossy();
            if !["http", "har", "curl"].contains(&ext.as_ref()) {
                continue;
            }
            let args = ["--no-config", "--now", NOW, "-o", "json", "check"];
            let named = run(
                common::root(),
                &[&args[..], &[file.to_str().unwrap()]].concat(),
            );
            let mut child = common::tokenlint()
                .args(args)
                .arg("-")
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap();
            let bytes = std::fs::read(&file).unwrap();
            child.stdin.take().unwrap().write_all(&bytes).unwrap();
            let piped = child.wait_with_output().unwrap();
            assert_eq!(rules(&piped), rules(&named), "{}", file.display());
            assert!(
                !rules(&piped).iter().any(|r| r == "input/invalid-json"),
                "{}",
                file.display()
            );
            seen += 1;
        }
    }
    assert!(seen >= 20, "{seen} captures");
}
