//! Issue 16, "from the server's answer to the cause": `tokenlint explain`
//! of OAuth errors, server texts and result codes in any case, "did you
//! mean", pointers that lead somewhere, and `check --response` with any
//! error answer (and a HAR's own responses).

use std::path::Path;
use std::process::Output;

use serde_json::Value;

use crate::common::{self, testdata, NOW};

fn run_in(dir: &Path, args: &[&str]) -> Output {
    common::tokenlint()
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the tokenlint binary runs")
}

fn run(args: &[&str]) -> Output {
    run_in(common::root(), args)
}

/// Every finding's message of a JSON report, one a line.
fn messages(o: &Output) -> String {
    let v = common::json(o);
    let mut s = String::new();
    for r in v["results"].as_array().unwrap() {
        for f in r["findings"].as_array().unwrap() {
            s.push_str(f["message"].as_str().unwrap());
            s.push('\n');
        }
    }
    s
}

/// The rule ids `explain` lists, in order.
fn listed_rules(o: &Output) -> Vec<String> {
    let v = common::json(o);
    v["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["rule"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn explain_names_the_rules_behind_each_oauth_error_most_likely_first() {
    for (error, first) in [
        ("invalid_dpop_proof", "dpop/iat-out-of-window"),
        ("use_dpop_nonce", "dpop/nonce-missing"),
        ("invalid_grant", "params/plus-as-space"),
        ("invalid_client", "params/plus-as-space"),
        ("invalid_request", "grant/missing-parameter"),
        ("unsupported_grant_type", "grant/unknown-grant-type"),
        ("invalid_scope", "params/scope-syntax"),
        // Any case.
        ("INVALID_DPOP_PROOF", "dpop/iat-out-of-window"),
    ] {
        let o = run(&["-o", "json", "explain", error]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{error}: {}",
            common::describe(&o)
        );
        let rules = listed_rules(&o);
        assert_eq!(rules.first().map(String::as_str), Some(first), "{error}");
        let v: Value = serde_json::from_slice(&o.stdout).unwrap();
        assert!(
            v["unseen"][0].as_str().is_some_and(|u| !u.is_empty()),
            "{error}: says what offline checks cannot see"
        );
    }
    let o = run(&["explain", "invalid_dpop_proof"]);
    let text = common::describe(&o);
    assert!(text.contains("most likely first"), "{text}");
    assert!(text.contains("Offline checks cannot see"), "{text}");
}

#[test]
fn explain_knows_keycloak_and_node_oidc_provider_texts() {
    for (description, server, first) in [
        (
            "DPoP proof is not active",
            "keycloak",
            "dpop/iat-out-of-window",
        ),
        ("DPoP HTTP URL mismatch", "keycloak", "dpop/htu-mismatch"),
        (
            "Invalid or missing type in DPoP header: JWT",
            "keycloak",
            "dpop/typ",
        ),
        (
            "PKCE verification failed: Invalid code verifier",
            "keycloak",
            "pkce/verifier-charset",
        ),
        (
            "DPoP proof htu mismatch",
            "node-oidc-provider",
            "dpop/htu-mismatch",
        ),
        (
            "DPoP proof iat is not recent enough",
            "node-oidc-provider",
            "dpop/iat-out-of-window",
        ),
        (
            "nonce is required in the DPoP proof",
            "node-oidc-provider",
            "dpop/nonce-missing",
        ),
    ] {
        let o = run(&["-o", "json", "explain", description]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{description}: {}",
            common::describe(&o)
        );
        let v: Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(v["description"]["server"], server, "{description}");
        assert_eq!(listed_rules(&o)[0], first, "{description}");
    }
    // A server state no rule sees says so.
    let o = run(&["explain", "Code not valid"]);
    assert!(
        common::describe(&o).contains("already redeemed or expired"),
        "{}",
        common::describe(&o)
    );
}

#[test]
fn result_codes_are_accepted_in_any_case() {
    let upper = run(&["explain", "A050312"]);
    let lower = run(&["explain", "a050312"]);
    assert_eq!(lower.status.code(), Some(0), "{}", common::describe(&lower));
    assert_eq!(upper.stdout, lower.stdout);
}

#[test]
fn did_you_mean_offers_the_closest_ids() {
    for (typo, best) in [
        ("pkce/verifier-lenght", "pkce/verifier-length"),
        ("dpop/htu-missmatch", "dpop/htu-mismatch"),
        (
            "client-auth/assertion-signatur",
            "client-auth/assertion-signature",
        ),
        ("invalid_dpop_prof", "invalid_dpop_proof"),
    ] {
        let o = run(&["explain", typo]);
        assert_eq!(o.status.code(), Some(2), "{typo}");
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(
            stderr.contains(&format!("did you mean {best}")),
            "{typo}: {stderr}"
        );
    }
}

/// Every `tokenlint explain X` that any output points at explains X: the
/// help of every finding (including the ones that relate an answer) and
/// every rule.
#[test]
fn every_pointer_to_explain_leads_to_a_page() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("answer.json"),
        r#"{"error":"invalid_grant","error_description":"Code not valid"}"#,
    )
    .unwrap();
    std::fs::write(
        dir.path().join("authlete.json"),
        r#"{"resultCode":"A050312"}"#,
    )
    .unwrap();
    let mut pointed = std::collections::BTreeSet::new();
    for response in ["answer.json", "authlete.json"] {
        let resp = dir.path().join(response).display().to_string();
        let fixture = testdata("bad/multi-postman-plus.json")
            .display()
            .to_string();
        let o = run(&[
            "--no-config",
            "--now",
            NOW,
            "check",
            "--response",
            &resp,
            &fixture,
        ]);
        let text = common::describe(&o);
        let mut rest = text.as_str();
        while let Some(i) = rest.find("tokenlint explain ") {
            rest = &rest[i + "tokenlint explain ".len()..];
            let id: String = rest
                .chars()
                .take_while(|c| !c.is_whitespace() && *c != '`')
                .collect();
            // Wrapped help lines split ids at `-`: keep whole ones only.
            if !id.ends_with('-') && !id.is_empty() {
                pointed.insert(id);
            }
        }
    }
    assert!(pointed.len() >= 3, "{pointed:?}");
    for id in pointed {
        let o = run(&["explain", &id]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "`tokenlint explain {id}`: {}",
            common::describe(&o)
        );
    }
}

#[test]
fn check_response_takes_any_oauth_error_answer() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let fixture = testdata("bad/multi-postman-plus.json")
        .display()
        .to_string();
    for (name, answer, explained_by) in [
        (
            "plain.json",
            r#"{"error":"invalid_grant","error_description":"PKCE verification failed: Invalid code verifier"}"#,
            "pkce/verifier-charset",
        ),
        (
            "http.txt",
            "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\n\r\n{\"error\":\"invalid_grant\"}",
            "params/plus-as-space",
        ),
        (
            "authlete.json",
            r#"{"resultCode":"A050305","action":"BAD_REQUEST","responseContent":"{\"error\":\"invalid_grant\",\"error_description\":\"[A050305] No such authorization code.\"}"}"#,
            "params/plus-as-space",
        ),
    ] {
        std::fs::write(d.join(name), answer).unwrap();
        let resp = d.join(name).display().to_string();
        let o = run(&["--no-config", "--now", NOW, "-o", "json", "check", "--response", &resp, &fixture]);
        let v: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|_| panic!("{}", common::describe(&o)));
        let related = v["results"][0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| {
                let id = f["rule"].as_str().unwrap();
                id == "response/oauth-error" || id == "authlete/result-code"
            })
            .unwrap_or_else(|| panic!("{name}: no finding relates the answer: {}", common::describe(&o)))
            .clone();
        let message = related["message"].as_str().unwrap();
        assert!(message.contains(explained_by), "{name}: {message}");
    }
    // An answer no finding explains says what offline checks cannot see.
    std::fs::write(
        d.join("spent.json"),
        r#"{"error":"invalid_grant","error_description":"Code not valid"}"#,
    )
    .unwrap();
    let good = testdata("good/authorization-code-pkce.json")
        .display()
        .to_string();
    let resp = d.join("spent.json").display().to_string();
    let o = run(&[
        "--no-config",
        "--now",
        NOW,
        "-o",
        "json",
        "check",
        "--response",
        &resp,
        &good,
    ]);
    let text = messages(&o);
    assert!(text.contains("no finding here explains it"), "{text}");
    assert!(
        text.contains("Offline checks cannot see a code already redeemed"),
        "{text}"
    );
    // A file with no error answer in it is a usage error.
    std::fs::write(
        d.join("ok.json"),
        r#"{"access_token":"x","token_type":"Bearer"}"#,
    )
    .unwrap();
    let resp = d.join("ok.json").display().to_string();
    let o = run(&["--no-config", "check", "--response", &resp, &good]);
    assert_eq!(o.status.code(), Some(2), "{}", common::describe(&o));
}

/// A HAR entry's own error response is related to that entry's findings,
/// without `--response`.
#[test]
fn a_har_entrys_own_response_is_related() {
    let dir = tempfile::tempdir().unwrap();
    let har = serde_json::json!({"log": {"version": "1.2", "entries": [{
        "startedDateTime": "2026-01-01T00:00:00.000Z",
        "request": {"method": "POST", "url": "https://as.example.com/token",
            "headers": [{"name": "Content-Type", "value": "application/x-www-form-urlencoded"}],
            "postData": {"mimeType": "application/x-www-form-urlencoded",
                "text": "grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA&redirect_uri=https%3A%2F%2Fc.example%2Fcb&client_id=s6BhdRkqt3&code_verifier=short"}},
        "response": {"status": 400, "content": {"mimeType": "application/json",
            "text": "{\"error\":\"invalid_grant\",\"error_description\":\"PKCE verification failed: Invalid code verifier\"}"}}
    }]}});
    std::fs::write(dir.path().join("x.har"), har.to_string()).unwrap();
    let o = run_in(dir.path(), &["--no-config", "-o", "json", "check", "x.har"]);
    let text = messages(&o);
    assert!(
        text.contains("the server answered invalid_grant (\"PKCE verification failed: Invalid code verifier\"), HTTP 400: explained by pkce/verifier-length"),
        "{text}"
    );
    // The same HAR as --response for the fixture the request came from.
    let fixture = testdata("bad/pkce-verifier-length.json")
        .display()
        .to_string();
    let resp = dir.path().join("x.har").display().to_string();
    let o = run(&[
        "--no-config",
        "--now",
        NOW,
        "-o",
        "json",
        "check",
        "--response",
        &resp,
        &fixture,
    ]);
    assert!(
        messages(&o).contains("explained by pkce/verifier-length"),
        "{}",
        common::describe(&o)
    );
}
