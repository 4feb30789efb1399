//! What `token process --send` sends and how it reads Authlete's answers,
//! at the edges (issue 18), against the loopback stub of [`crate::stub`]:
//! unknown body fields, a body on stdin, a DPoP nonce round trip, every
//! odd answer, the advice per action and what of the answer is masked.

use std::time::Duration;

use serde_json::{json, Value};

use crate::common::NOW;
use crate::stub::{good_args, ok_body, run, run_in, serve, serve_reply, Reply, BEARER, SECRET};

const PARAMS: &str = "grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA\
    &redirect_uri=https%3A%2F%2Fclient.example.org%2Fcb\
    &code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

/// `token process --send` of a `--body` to the stub at `url`.
fn body_args(url: &str, body: &Value) -> Vec<String> {
    [
        "token",
        "process",
        "--send",
        "-s",
        "715948317",
        "--server-url",
        url,
        "--now",
        NOW,
        "--body",
        &body.to_string(),
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn findings(v: &Value) -> Vec<(String, String, String)> {
    v["lint"]["findings"]
        .as_array()
        .unwrap_or(&Vec::new())
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or("").to_owned(),
                f["severity"].as_str().unwrap_or("").to_owned(),
                f["message"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

#[test]
fn unknown_body_fields_are_sent_as_given() {
    let body = json!({
        "parameters": PARAMS,
        "clientId": "s6BhdRkqt3",
        "clientSecret": SECRET,
        "futureOption": {"mode": "x", "n": 2, "list": [1, "a", null]},
        "clientIdd": "typo",
    });
    let (url, seen) = serve(200, ok_body("OK"), Duration::ZERO);
    let out = run(
        &body_args(&url, &body),
        &["-o", "json"],
        &[("AUTHLETE_BEARER", BEARER)],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let s = seen.recv_timeout(Duration::from_secs(5)).expect("sent");
    let sent: Value = serde_json::from_str(&s.body).unwrap();
    assert_eq!(sent, body, "every member is forwarded as given");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let unknown: Vec<_> = findings(&v)
        .into_iter()
        .filter(|(r, _, _)| r == "input/unknown-field")
        .collect();
    assert_eq!(unknown.len(), 2, "{v}");
    for (_, severity, message) in &unknown {
        assert_eq!(severity, "warning");
        assert!(message.contains("sent as given"), "{message}");
    }
}

#[test]
fn a_body_piped_on_stdin_is_read() {
    let home = tempfile::tempdir().unwrap();
    let body = json!({"parameters": PARAMS, "clientId": "s6BhdRkqt3", "clientSecret": SECRET});
    let (url, seen) = serve(200, ok_body("OK"), Duration::ZERO);
    let out = run_in(
        home.path(),
        &[
            "token",
            "process",
            "--send",
            "-s",
            "715948317",
            "--server-url",
            &url,
            "--now",
            NOW,
        ],
        &[("AUTHLETE_BEARER", BEARER)],
        Some(&body.to_string()),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let s = seen.recv_timeout(Duration::from_secs(5)).expect("sent");
    assert_eq!(serde_json::from_str::<Value>(&s.body).unwrap(), body);
    // An empty stdin is no body: the request has no parameters.
    let out = run_in(
        home.path(),
        &["token", "process", "--client-id", "a", "-o", "json"],
        &[],
        None,
    );
    assert!(
        text(&out.stdout).contains("input/missing-parameters"),
        "{}",
        text(&out.stdout)
    );
}

/// The proof of `rules/dpop/nonce-missing.md`, without a nonce.
const PROOF_WITHOUT_NONCE: &str = "eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7ImNydiI6IlAtMjU2Iiwia3R5IjoiRUMiLCJ4IjoibTVuU3gyWHFSdE9LcUIzYWZyOTB3SjdBakNtT2RMZlFmaGk4T3BpQUQ2VSIsInkiOiJVaERINjhDdlR2OVY3OS0wNnZnV0Z4eklfNUZPTERubUlYSWxjUkZwaTdrIn19.eyJqdGkiOiJleC1ub25tLVl1N2lPMHBBM3MiLCJodG0iOiJQT1NUIiwiaHR1IjoiaHR0cHM6Ly9hcy5leGFtcGxlLmNvbS90b2tlbiIsImlhdCI6MTc2NzIyNTU5NX0.KwHUQN3umD_Ugeuc_brdeABk-H_2QPFgj8sgGR_OnDWA5HhfW28pNsYxmT3WvoXelUjF4Ufs7jg4_Una2BAWMA";

#[test]
fn a_missing_dpop_nonce_is_the_first_round_trip_not_a_block() {
    let body = json!({
        "parameters": PARAMS,
        "clientId": "s6BhdRkqt3",
        "clientSecret": SECRET,
        "dpop": PROOF_WITHOUT_NONCE,
        "htm": "POST",
        "htu": "https://as.example.com/token",
        "dpopNonceRequired": true,
    });
    let nonce = "eyJ7S_zG.eyJH0-Z.HX4w-7v";
    let answer = json!({
        "resultCode": "A254307",
        "resultMessage": "[A254307] The DPoP proof JWT does not contain the expected nonce.",
        "action": "BAD_REQUEST",
        "responseContent": "{\"error\":\"use_dpop_nonce\",\"error_description\":\"[A254307] nonce\"}",
        "dpopNonce": nonce,
    });
    for fmt in ["json", "pretty"] {
        let (url, seen) = serve(200, answer.to_string(), Duration::ZERO);
        let out = run(
            &body_args(&url, &body),
            &["-o", fmt],
            &[("AUTHLETE_BEARER", BEARER)],
        );
        let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
        assert_eq!(out.status.code(), Some(3), "{fmt}: {stdout}\n{stderr}");
        assert!(seen.recv_timeout(Duration::from_secs(5)).is_ok(), "sent");
        if fmt == "json" {
            let v: Value = serde_json::from_str(&stdout).unwrap();
            let f = findings(&v);
            assert!(
                f.iter()
                    .any(|(r, s, _)| r == "dpop/nonce-missing" && s == "warning"),
                "{f:?}"
            );
            assert!(f.iter().all(|(_, s, _)| s != "error"), "{f:?}");
            assert_eq!(v["token_endpoint"]["headers"]["DPoP-Nonce"], nonce);
            assert_eq!(v["retry"]["dpop_nonce"], nonce, "{v}");
        } else {
            assert!(
                stdout.contains(&format!("--nonce {nonce}")),
                "the nonce to retry with: {stdout}"
            );
        }
    }
    // Every server profile recovers the same way: never an error.
    let out = run(
        &[
            "token",
            "process",
            "--now",
            NOW,
            "--profile",
            "all",
            "-o",
            "json",
            "--body",
            &body.to_string(),
        ]
        .map(str::to_owned),
        &[],
        &[],
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = &v["results"][0]["findings"];
    assert!(
        f.as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "dpop/nonce-missing" && f["severity"] == "warning"),
        "{v}"
    );
}

#[test]
fn an_unknown_cimd_options_member_does_not_block_the_send() {
    let body = json!({
        "parameters": PARAMS,
        "clientId": "s6BhdRkqt3",
        "clientSecret": SECRET,
        "cimdOptions": {"alwaysRetrieved": true, "futureFlag": true},
    });
    let (url, seen) = serve(200, ok_body("OK"), Duration::ZERO);
    let out = run(
        &body_args(&url, &body),
        &["-o", "json"],
        &[("AUTHLETE_BEARER", BEARER)],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let s = seen.recv_timeout(Duration::from_secs(5)).expect("sent");
    let sent: Value = serde_json::from_str(&s.body).unwrap();
    assert_eq!(sent["cimdOptions"], body["cimdOptions"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        findings(&v)
            .iter()
            .any(|(r, s, _)| r == "options/cimd-options-unknown" && s == "warning"),
        "{v}"
    );
}

const DEVICE_SECRET: &str = "dsQx7Zr2mKp9Lw4Tn8Vb";
const SESSION_ID: &str = "sid-4f2a9c1e";
const DS_HASH: &str = "x9LmQ2vR7tPbZk4NwE1sYc8H3fGj6DaUo5ViKeT0rQ";
const TICKET: &str = "tkt-Hx2Lm9Qp4Rz7Wv1Nb6Tc3Yk8";

#[test]
fn native_sso_advice_follows_authlete_and_shows_what_comes_next() {
    let answer = json!({
        "resultCode": "A050001",
        "resultMessage": "[A050001] The token request was processed successfully.",
        "action": "NATIVE_SSO",
        "responseContent": null,
        "accessToken": "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU",
        "jwtAccessToken": "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJqb2huIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ",
        "sessionId": SESSION_ID,
        "deviceSecret": DEVICE_SECRET,
        "deviceSecretHash": DS_HASH,
    });
    let (url, _seen) = serve(200, answer.to_string(), Duration::ZERO);
    let out = run(
        &good_args(&url),
        &["-o", "json"],
        &[("AUTHLETE_BEARER", BEARER)],
    );
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let next = v["token_endpoint"]["next"].as_str().unwrap();
    for needle in [
        "generate a new device secret",
        "deviceSecretHash",
        "jwtAccessToken",
        "/nativesso",
    ] {
        assert!(next.contains(needle), "{needle}: {next}");
    }
    assert!(
        next.find("`jwtAccessToken`") < next.find("otherwise to its `accessToken`"),
        "jwtAccessToken comes first: {next}"
    );
    let (url, _seen) = serve(200, answer.to_string(), Duration::ZERO);
    let out = run(&good_args(&url), &[], &[("AUTHLETE_BEARER", BEARER)]);
    let stdout = text(&out.stdout);
    assert!(stdout.contains(SESSION_ID), "{stdout}");
    assert!(stdout.contains(DS_HASH), "{stdout}");
    assert!(stdout.contains("deviceSecret"), "{stdout}");
    // The device secret is a credential; a short one keeps no prefix.
    assert!(!stdout.contains(&DEVICE_SECRET[..4]), "{stdout}");
}

#[test]
fn the_response_shows_what_the_next_call_needs_and_masks_credentials() {
    let answer = json!({
        "resultCode": "A050001",
        "resultMessage": "[A050001] ok",
        "action": "PASSWORD",
        "responseContent": null,
        "username": "john",
        "password": "hunter2-hunter2",
        "ticket": TICKET,
    });
    for fmt in ["json", "pretty"] {
        let (url, _seen) = serve(200, answer.to_string(), Duration::ZERO);
        let out = run(
            &good_args(&url),
            &["-o", fmt],
            &[("AUTHLETE_BEARER", BEARER)],
        );
        let stdout = text(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{stdout}");
        // The ticket is what /auth/token/issue takes: shown, with why.
        assert!(stdout.contains(TICKET), "{fmt}: {stdout}");
        assert!(!stdout.contains("hunter2"), "{fmt}: {stdout}");
        assert!(
            !stdout.contains("hunt"),
            "{fmt}: a short secret keeps no prefix"
        );
    }
    let (url, _seen) = serve(200, answer.to_string(), Duration::ZERO);
    let out = run(
        &good_args(&url),
        &["-o", "json"],
        &[("AUTHLETE_BEARER", BEARER)],
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        v["shown"]["ticket"]
            .as_str()
            .is_some_and(|w| w.contains("/auth/token/issue")),
        "why the ticket is shown: {v}"
    );
}

#[test]
fn after_a_5xx_whether_the_request_was_processed_is_unknown() {
    for (status, body) in [
        (
            500,
            json!({"resultCode": "A001101", "resultMessage": "[A001101] /auth/token, Authlete Server error."})
                .to_string(),
        ),
        (503, "<html>Service Unavailable</html>".to_owned()),
    ] {
        let (url, _seen) = serve(status, body, Duration::ZERO);
        let out = run(&good_args(&url), &[], &[("AUTHLETE_BEARER", BEARER)]);
        let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
        assert_eq!(out.status.code(), Some(4), "{all}");
        assert!(!all.contains("was not processed"), "{all}");
        assert!(!all.contains("probably not processed"), "{all}");
        assert!(all.contains("unknown whether"), "{all}");
        assert!(all.contains("do not retry blindly"), "{all}");
    }
}

#[test]
fn an_unknown_action_is_a_bare_500() {
    let token = "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU";
    let answer = json!({
        "resultCode": "A999001",
        "resultMessage": "[A999001] something new",
        "action": "SOMETHING_NEW",
        "responseContent": format!("{{\"access_token\":\"{token}\",\"note\":\"{token}\"}}"),
    });
    for fmt in ["json", "pretty", "yaml"] {
        let (url, _seen) = serve(200, answer.to_string(), Duration::ZERO);
        let out = run(
            &good_args(&url),
            &["-o", fmt],
            &[("AUTHLETE_BEARER", BEARER)],
        );
        let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
        assert_eq!(out.status.code(), Some(3), "{all}");
        assert!(!all.contains(token), "{fmt}: {all}");
        if fmt == "json" {
            let v: Value = serde_json::from_slice(&out.stdout).unwrap();
            assert_eq!(v["token_endpoint"]["status"], 500);
            assert_eq!(v["token_endpoint"]["body"], Value::Null, "a bare 500: {v}");
        }
    }
    let readme = std::fs::read_to_string(crate::common::root().join("README.md")).unwrap();
    assert!(
        readme
            .lines()
            .any(|l| l.starts_with("| 3 |") && l.contains("an action tokenlint does not know")),
        "README's exit table lists an unknown action"
    );
}

const FORMATS: &[&str] = &["pretty", "json", "yaml", "toon", "table", "sarif", "github"];

/// Every format writes something for `reply`; the JSON form is returned.
fn every_format(reply: &Reply, exit: i32) -> Value {
    let mut json_out = Value::Null;
    for fmt in FORMATS {
        let (url, _seen) = serve_reply(reply.clone());
        let out = run(
            &good_args(&url),
            &["-o", fmt],
            &[("AUTHLETE_BEARER", BEARER)],
        );
        let stdout = text(&out.stdout);
        assert_eq!(
            out.status.code(),
            Some(exit),
            "{fmt}: {stdout}{}",
            text(&out.stderr)
        );
        assert!(!stdout.trim().is_empty(), "{fmt}: nothing on stdout");
        if *fmt == "json" || *fmt == "sarif" {
            let v: Value = serde_json::from_str(&stdout).expect("JSON");
            if *fmt == "json" {
                json_out = v;
            }
        }
    }
    json_out
}

#[test]
fn odd_answers_get_a_structured_result_in_every_format() {
    // The spec's own 404 example has a numeric resultCode.
    let v = every_format(
        &Reply::json(
            404,
            json!({"resultCode": 404, "resultMessage": ""}).to_string(),
        ),
        4,
    );
    assert_eq!(v["resultCode"], 404, "{v}");
    // A 200 that is not JSON.
    let v = every_format(&Reply::json(200, "<html>hello</html>".into()), 4);
    assert_eq!(v["error"], "not_json", "{v}");
    assert_eq!(v["http_status"], 200);
    // A 200 without `action`.
    let v = every_format(
        &Reply::json(
            200,
            json!({"resultCode": "A050001", "resultMessage": "x"}).to_string(),
        ),
        4,
    );
    assert_eq!(v["error"], "no_action", "{v}");
    assert_eq!(v["action"], Value::Null);
    // `-o table` is a table, not the pretty text.
    let (url, _seen) = serve(200, ok_body("OK"), Duration::ZERO);
    let table = text(
        &run(
            &good_args(&url),
            &["-o", "table"],
            &[("AUTHLETE_BEARER", BEARER)],
        )
        .stdout,
    );
    let (url, _seen) = serve(200, ok_body("OK"), Duration::ZERO);
    let pretty = text(&run(&good_args(&url), &[], &[("AUTHLETE_BEARER", BEARER)]).stdout);
    assert_ne!(table, pretty);
    assert!(
        table.lines().next().unwrap_or("").starts_with("FIELD"),
        "{table}"
    );
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("action") && l.contains("OK")),
        "{table}"
    );
}

#[test]
fn the_short_forms_say_where_they_come_from() {
    let out = run(
        &["token".into(), "process".into(), "--help".into()],
        &[],
        &[],
    );
    let help = text(&out.stdout);
    for flag in [
        "-p, --parameters",
        "-r, --refresh-token-duration",
        "-j, --jwt-at-claims",
    ] {
        let line = help.lines().find(|l| l.contains(flag)).unwrap_or("");
        let at = help.find(flag).unwrap();
        let tail = &help[at..help.len().min(at + 300)];
        let words = tail.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            words.contains("tokenlint's own short form"),
            "{flag}: {line}\n{tail}"
        );
    }
    let readme = std::fs::read_to_string(crate::common::root().join("README.md")).unwrap();
    let readme = readme.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        readme.contains("`-p`, `-r` and `-j` are tokenlint's own"),
        "README says which short forms are tokenlint's own"
    );
}
