//! `token process --send` against a real HTTP server on loopback, started in
//! this process (see [`crate::stub`]). It checks the method, the path, the
//! bearer header and the exact JSON body.

use std::net::TcpListener;
use std::time::Duration;

use serde_json::{json, Value};

use crate::stub::{
    good_args, ok_body, run, run_in, serve, serve_reply, tokenlint, Reply, BEARER, CODE, SECRET,
};

#[test]
fn sends_the_exact_request_and_reports_each_action() {
    let cases = [
        ("OK", 0, Some(200)),
        ("BAD_REQUEST", 3, Some(400)),
        ("INVALID_CLIENT", 3, Some(401)),
        ("INTERNAL_SERVER_ERROR", 3, Some(500)),
        ("PASSWORD", 0, None),
        ("TOKEN_EXCHANGE", 0, None),
        ("JWT_BEARER", 0, None),
        ("NATIVE_SSO", 0, None),
        ("ID_TOKEN_REISSUABLE", 0, Some(200)),
    ];
    for (action, exit, status) in cases {
        let (url, seen) = serve(200, ok_body(action), Duration::ZERO);
        let out = run(
            &good_args(&url),
            &["-o", "json"],
            &[("AUTHLETE_BEARER", BEARER)],
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            out.status.code(),
            Some(exit),
            "{action}: {stdout}\n{stderr}"
        );
        let s = seen
            .recv_timeout(Duration::from_secs(5))
            .expect("a request");
        assert_eq!(s.method, "POST");
        assert_eq!(s.path, "/api/715948317/auth/token");
        assert_eq!(
            s.header("authorization"),
            Some(format!("Bearer {BEARER}").as_str())
        );
        assert_eq!(s.header("content-type"), Some("application/json"));
        let body: Value = serde_json::from_str(&s.body).expect("JSON body");
        assert_eq!(
            body,
            json!({
                "parameters": format!("grant_type=authorization_code&code={CODE}&redirect_uri=https%3A%2F%2Fclient.example.org%2Fcb&code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
                "clientId": "s6BhdRkqt3",
                "clientSecret": SECRET,
            })
        );
        let v: Value = serde_json::from_str(&stdout).expect("JSON output");
        assert_eq!(v["action"], action);
        assert_eq!(v["token_endpoint"]["status"], json!(status));
        let h = &v["token_endpoint"]["headers"];
        assert_eq!(h["Cache-Control"], "no-store");
        assert_eq!(h["DPoP-Nonce"], "eyJ7S_zG.eyJH0-Z.HX4w-7v");
        if action == "INVALID_CLIENT" {
            assert_eq!(h["WWW-Authenticate"], "Basic realm=\"token\"");
        }
        if status.is_none() {
            assert!(v["token_endpoint"]["next"].as_str().is_some(), "{action}");
        }
        // No credential in the output.
        for secret in [
            BEARER,
            SECRET,
            "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU",
        ] {
            assert!(!stdout.contains(secret), "{action}: {secret} in {stdout}");
            assert!(!stderr.contains(secret), "{action}: {secret} in {stderr}");
        }
    }
}

#[test]
fn every_output_format_and_jq_work_on_the_response() {
    for fmt in ["pretty", "yaml", "toon", "table"] {
        let (url, _seen) = serve(200, ok_body("OK"), Duration::ZERO);
        let out = run(
            &good_args(&url),
            &["-o", fmt],
            &[("AUTHLETE_BEARER", BEARER)],
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{fmt}: {stdout}");
        assert!(stdout.contains("OK"), "{fmt}: {stdout}");
        assert!(!stdout.contains(BEARER) && !stdout.contains(SECRET));
    }
    let (url, _seen) = serve(200, ok_body("OK"), Duration::ZERO);
    let out = run(
        &good_args(&url),
        &["-q", ".token_endpoint.status"],
        &[("AUTHLETE_BEARER", BEARER)],
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "200");
}

#[test]
fn refuses_to_send_a_request_with_errors_unless_forced() {
    let bad = |url: &str| -> Vec<String> {
        let mut a = good_args(url);
        let n = a.len();
        a[n - 1] = "grant_type=authorization_code".into(); // no code, no redirect_uri
        a
    };
    let (url, seen) = serve(200, ok_body("BAD_REQUEST"), Duration::ZERO);
    let out = run(&bad(&url), &[], &[("AUTHLETE_BEARER", BEARER)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not sent"));
    assert!(
        seen.recv_timeout(Duration::from_millis(500)).is_err(),
        "nothing may be sent"
    );

    let out = run(
        &bad(&url),
        &["--force", "-o", "json"],
        &[("AUTHLETE_BEARER", BEARER)],
    );
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s = seen
        .recv_timeout(Duration::from_secs(5))
        .expect("sent with --force");
    assert_eq!(s.method, "POST");
}

#[test]
fn dry_run_prints_the_request_and_sends_nothing() {
    let (url, seen) = serve(200, ok_body("OK"), Duration::ZERO);
    let out = run(
        &good_args(&url),
        &["--dry-run"],
        &[("AUTHLETE_BEARER", BEARER)],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains(&format!("POST {url}/api/715948317/auth/token")),
        "{stderr}"
    );
    assert!(stderr.contains("Authorization: Bearer "), "{stderr}");
    assert!(stderr.contains("Content-Type: application/json"));
    assert!(
        !stderr.contains(BEARER) && !stderr.contains(SECRET),
        "{stderr}"
    );
    assert!(
        seen.recv_timeout(Duration::from_millis(500)).is_err(),
        "a dry run sends nothing"
    );
}

#[test]
fn a_timeout_is_exit_5_with_a_clear_message() {
    let (url, _seen) = serve(200, ok_body("OK"), Duration::from_secs(3));
    let out = run(
        &good_args(&url),
        &["--timeout", "300ms"],
        &[("AUTHLETE_BEARER", BEARER)],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(5), "{stderr}");
    assert!(stderr.contains("within 300ms"), "{stderr}");
}

#[test]
fn a_connection_error_is_exit_5() {
    // A port nobody listens on: bind, read the port, drop.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = run(
        &good_args(&format!("http://127.0.0.1:{port}")),
        &[],
        &[("AUTHLETE_BEARER", BEARER)],
    );
    assert_eq!(out.status.code(), Some(5));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot connect"));
}

#[test]
fn an_api_401_is_exit_4_with_result_code() {
    let body = json!({"resultCode":"A001202","resultMessage":"[A001202] Authorization header is missing."}).to_string();
    let (url, _seen) = serve(401, body, Duration::ZERO);
    let out = run(
        &good_args(&url),
        &["-o", "json"],
        &[("AUTHLETE_TOKEN", BEARER)],
    );
    assert_eq!(out.status.code(), Some(4));
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["http_status"], 401);
    assert_eq!(v["resultCode"], "A001202");
    assert!(String::from_utf8_lossy(&out.stderr).contains("HTTP 401"));
}

#[test]
fn debug_output_masks_every_secret() {
    let (url, _seen) = serve(200, ok_body("OK"), Duration::ZERO);
    let out = run(
        &good_args(&url),
        &["-d", "-H", "X-Trace: abc"],
        &[("AUTHLETE_BEARER_TOKEN", BEARER)],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("request:") && stderr.contains("response after"),
        "{stderr}"
    );
    // Every -H value is masked in the log, whatever its name.
    assert!(stderr.contains("X-Trace: ") && !stderr.contains("X-Trace: abc"));
    for secret in [
        BEARER,
        SECRET,
        "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU",
    ] {
        assert!(
            !stderr.contains(secret),
            "{secret} in debug output:\n{stderr}"
        );
        assert!(!String::from_utf8_lossy(&out.stdout).contains(secret));
    }
}

#[test]
fn missing_token_or_service_id_is_a_usage_error() {
    let args = good_args("http://127.0.0.1:9");
    let out = run(&args, &[], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("AUTHLETE_BEARER"));
    let no_sid: Vec<String> = args
        .iter()
        .filter(|a| *a != "-s" && *a != "715948317")
        .cloned()
        .collect();
    let out = run(&no_sid, &[], &[("AUTHLETE_BEARER", BEARER)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("AUTHLETE_SERVICE_ID"));
    let out = run(
        &args,
        &["--timeout", "soon"],
        &[("AUTHLETE_BEARER", BEARER)],
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn explain_and_check_response_relate_result_codes() {
    let out = tokenlint(&["explain", "A050312"], &[]);
    let s = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        s.contains("code_verifier") && s.contains("client error"),
        "{s}"
    );
    let out = tokenlint(&["explain", "A999399"], &[]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("client error"));

    let dir = tempfile::tempdir().unwrap();
    let req = dir.path().join("r.json");
    std::fs::write(&req, r#"{"parameters":"grant_type=client_credentials&client_id=s6BhdRkqt3&client_secret=abc","clientId":"s6BhdRkqt3","clientSecret":"abc"}"#).unwrap();
    let resp = dir.path().join("resp.json");
    std::fs::write(&resp, r#"{"error":"invalid_client","error_description":"[A157357] The client identifier is not found at the expected location."}"#).unwrap();
    let out = tokenlint(
        &[
            "check",
            req.to_str().unwrap(),
            "--response",
            resp.to_str().unwrap(),
            "-o",
            "json",
        ],
        &[],
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let f = v["results"][0]["findings"].as_array().unwrap();
    let rel = f
        .iter()
        .find(|f| f["rule"] == "authlete/result-code")
        .expect("a result-code finding");
    let msg = rel["message"].as_str().unwrap();
    assert!(
        msg.contains("A157357") && msg.contains("client-auth/multiple-methods"),
        "{msg}"
    );
}

/// `good_args` without `--send` and `--server-url URL`: where the call goes
/// is left to the environment, the credentials file and `--server`.
fn args_without_server(url: &str) -> Vec<String> {
    let mut a = good_args(url);
    let at = a.iter().position(|s| s == "--server-url").unwrap();
    a.drain(at..at + 2);
    a.retain(|s| s != "--send");
    a
}

#[test]
fn the_bearer_token_never_goes_over_plain_http_to_another_host() {
    // Refused before any connection is tried (nothing listens there anyway).
    for url in [
        "http://as.example.com",
        "http://10.0.0.1:8080",
        "HTTP://Example.COM",
    ] {
        let out = run(&good_args(url), &[], &[("AUTHLETE_BEARER", BEARER)]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{url}: {stderr}");
        assert!(stderr.contains("--allow-insecure-http"), "{url}: {stderr}");
        assert!(!stderr.contains(BEARER), "{stderr}");
    }
    // From the environment too.
    let out = run(
        &args_without_server("")
            .into_iter()
            .chain(["--send".to_owned()])
            .collect::<Vec<_>>(),
        &[],
        &[
            ("AUTHLETE_BEARER", BEARER),
            ("AUTHLETE_SERVER_URL", "http://as.example.com"),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    // A dry run predicts the refusal, and the flag lifts it.
    let out = run(
        &good_args("http://as.example.com"),
        &["--dry-run"],
        &[("AUTHLETE_BEARER", BEARER)],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("would not be sent"), "{stderr}");
    let out = run(
        &good_args("http://as.example.com"),
        &["--dry-run", "--allow-insecure-http"],
        &[("AUTHLETE_BEARER", BEARER)],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("POST http://as.example.com/api/715948317/auth/token"),
        "{stderr}"
    );
    // Loopback is allowed, by name as by address.
    let (url, seen) = serve(200, ok_body("OK"), Duration::ZERO);
    let port = url.rsplit(':').next().unwrap();
    let out = run(
        &good_args(&format!("http://localhost:{port}")),
        &[],
        &[("AUTHLETE_BEARER", BEARER)],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(seen.recv_timeout(Duration::from_secs(5)).is_ok());
}

#[test]
fn the_response_body_is_capped() {
    // Over the default 16 MiB, without Content-Length: read up to the cap only.
    let big = Reply {
        body: vec![b' '; (16 << 20) + 1],
        content_length: false,
        ..Reply::json(200, String::new())
    };
    let (url, _seen) = serve_reply(big);
    let out = run(
        &good_args(&url),
        &["-o", "json"],
        &[("AUTHLETE_BEARER", BEARER)],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    assert!(
        stderr.contains("16 MiB") && stderr.contains("--max-response-size"),
        "{stderr}"
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("a JSON result");
    assert_eq!(v["error"], "response_too_large", "{v}");
    // Configurable; a Content-Length over the cap is refused before reading.
    let (url, _seen) = serve(200, ok_body("OK"), Duration::ZERO);
    let out = run(
        &good_args(&url),
        &["--max-response-size", "100"],
        &[("AUTHLETE_BEARER", BEARER)],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    assert!(stderr.contains("100 bytes"), "{stderr}");
    let (url, _seen) = serve(200, ok_body("OK"), Duration::ZERO);
    let out = run(
        &good_args(&url),
        &["--max-response-size", "4KiB"],
        &[("AUTHLETE_BEARER", BEARER)],
    );
    assert_eq!(out.status.code(), Some(0));
    let out = run(
        &good_args(&url),
        &["--max-response-size", "lots"],
        &[("AUTHLETE_BEARER", BEARER)],
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn an_explicit_server_wins_over_the_environment_and_the_credentials_file() {
    let home = tempfile::tempdir().unwrap();
    let creds = home.path().join("config/tokenlint");
    std::fs::create_dir_all(&creds).unwrap();
    std::fs::write(
        creds.join("credentials.toml"),
        "server_url = \"http://127.0.0.1:9/from-file\"\n",
    )
    .unwrap();
    let env_url = ("AUTHLETE_SERVER_URL", "http://127.0.0.1:9/from-env");
    let bearer = ("AUTHLETE_BEARER", BEARER);

    // --server-url on the command line: the call goes there.
    let (url, seen) = serve(200, ok_body("OK"), Duration::ZERO);
    let mut a: Vec<String> = good_args(&url);
    a.push("-d".into());
    let a: Vec<&str> = a.iter().map(String::as_str).collect();
    let out = run_in(home.path(), &a, &[env_url, bearer], None);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(seen.recv_timeout(Duration::from_secs(5)).is_ok());
    assert!(
        stderr.contains(&format!("server: {url} (from --server-url)")),
        "{stderr}"
    );

    // --server: the dry run shows where the call would go, and why.
    let dry = |extra: &[&str], envs: &[(&str, &str)]| {
        let mut a = args_without_server("");
        a.extend(extra.iter().map(|s| s.to_string()));
        a.extend(["--dry-run".to_owned(), "-d".to_owned()]);
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        let out = run_in(home.path(), &a, envs, None);
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let s = dry(&["--server", "jp"], &[env_url, bearer]);
    assert!(
        s.contains("POST https://jp.authlete.com/api/715948317/auth/token"),
        "{s}"
    );
    assert!(s.contains("(from --server jp)"), "{s}");
    // Without a flag: the environment, then the file, then the default.
    let s = dry(&[], &[env_url, bearer]);
    assert!(s.contains("POST http://127.0.0.1:9/from-env/api/"), "{s}");
    assert!(s.contains("(from AUTHLETE_SERVER_URL)"), "{s}");
    let s = dry(&[], &[bearer]);
    assert!(s.contains("POST http://127.0.0.1:9/from-file/api/"), "{s}");
    assert!(s.contains("credentials.toml)"), "{s}");
    std::fs::remove_file(creds.join("credentials.toml")).unwrap();
    let s = dry(&[], &[bearer]);
    assert!(s.contains("POST https://us.authlete.com/api/"), "{s}");
    assert!(s.contains("(the default)"), "{s}");
}

/// A request with exactly one error: no `code`.
fn one_error_args(url: &str) -> Vec<String> {
    let mut a = good_args(url);
    let n = a.len();
    a[n - 1] = "grant_type=authorization_code&redirect_uri=https%3A%2F%2Fclient.example.org%2Fcb\
                &code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        .into();
    a.retain(|s| s != "--send");
    a
}

#[test]
fn a_dry_run_predicts_the_send() {
    let (url, seen) = serve(200, ok_body("OK"), Duration::ZERO);
    for send in [false, true] {
        let mut a = one_error_args(&url);
        if send {
            a.push("--send".into());
        }
        let out = run(
            &a,
            &["--dry-run", "-o", "json"],
            &[("AUTHLETE_BEARER", BEARER)],
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "send={send}: {stderr}");
        let v: Value = serde_json::from_slice(&out.stdout).expect("the lint report");
        assert_eq!(v["summary"]["errors"], 1, "{v}");
        assert!(
            stderr.contains("would not be sent: 1 error; --force sends anyway"),
            "{stderr}"
        );
        assert!(
            !stderr.contains("the request that would be sent"),
            "{stderr}"
        );
    }
    // --dry-run --force previews the forced send: the request, exit 0.
    let out = run(
        &one_error_args(&url),
        &["--dry-run", "--force"],
        &[("AUTHLETE_BEARER", BEARER)],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains(&format!("POST {url}/api/715948317/auth/token")),
        "{stderr}"
    );
    assert!(stderr.contains("despite 1 error (--force)"), "{stderr}");
    assert!(!stderr.contains(BEARER) && !stderr.contains(SECRET));
    assert!(
        seen.recv_timeout(Duration::from_millis(300)).is_err(),
        "a dry run sends nothing"
    );
    // --force needs --send or --dry-run.
    let out = run(&one_error_args(&url), &["--force"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--force"));
}

/// The dry run's body masks every value src/secrets.rs calls secret: each
/// secret parameter inside `parameters` and each secret field of the body
/// (a name added there is masked here with no other change).
#[test]
fn a_dry_run_masks_every_secret_the_secrets_module_names() {
    let canary = |i: usize| format!("Cnry{i:02}QzWx7Lm2Pk9Rt");
    let mut cases: Vec<(String, Vec<String>)> = Vec::new();
    for (i, name) in tokenlint::secrets::SECRET_PARAMS.iter().enumerate() {
        let body = json!({
            "parameters": format!("grant_type=client_credentials&{name}={}", canary(i)),
        });
        cases.push((canary(i), vec!["--body".into(), body.to_string()]));
    }
    for (j, field) in tokenlint::secrets::SECRET_FIELDS.iter().enumerate() {
        let i = 50 + j;
        let body = json!({"parameters": "grant_type=client_credentials", *field: canary(i)});
        cases.push((canary(i), vec!["--body".into(), body.to_string()]));
    }
    for (secret, extra) in cases {
        let mut args: Vec<String> = [
            "token",
            "process",
            "--dry-run",
            "-s",
            "715948317",
            "--server-url",
            "http://127.0.0.1:9",
            "--now",
            crate::common::NOW,
        ]
        .map(str::to_owned)
        .to_vec();
        args.extend(extra);
        let out = run(&args, &[], &[("AUTHLETE_BEARER", BEARER)]);
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(all.contains("POST http://127.0.0.1:9/"), "{all}");
        assert!(
            !all.contains(&secret),
            "{secret} shown in the dry run:\n{all}"
        );
    }
}

/// Issue 17: `token process --dry-run` previewed the body with the PKCE
/// `code_verifier` as given (it is a secret: with the code, it redeems the
/// grant). Given in `-p`, no 6 characters of it appear in the preview, in
/// `--debug`, or in the lint report, whatever the output format.
#[test]
fn a_dry_run_masks_the_code_verifier() {
    let verifier = "Vq3kZ8mW1xR7tY5uI9oP2aS4dF6gH0jKlBnMcXvZeQw";
    let params = format!(
        "grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA\
         &redirect_uri=https%3A%2F%2Fc.example%2Fcb&code_verifier={verifier}"
    );
    for extra in [&[][..], &["--debug"][..], &["-o", "json"][..]] {
        let mut args: Vec<&str> = vec![
            "token",
            "process",
            "--dry-run",
            "-s",
            "715948317",
            "--server-url",
            "http://127.0.0.1:9",
            "--now",
            crate::common::NOW,
            "-p",
            &params,
            "--client-id",
            "s6BhdRkqt3",
        ];
        args.extend_from_slice(extra);
        let args: Vec<String> = args.into_iter().map(str::to_owned).collect();
        let out = run(&args, &[], &[("AUTHLETE_BEARER", BEARER)]);
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        // Not vacuous: the preview is there, with the parameter's name.
        assert!(all.contains("POST http://127.0.0.1:9/"), "{extra:?}: {all}");
        assert!(all.contains("code_verifier="), "{extra:?}: {all}");
        let shown: Vec<&str> = (0..=verifier.len() - 6)
            .map(|i| &verifier[i..i + 6])
            .filter(|piece| all.contains(piece))
            .collect();
        assert!(shown.is_empty(), "{extra:?} shows {shown:?}:\n{all}");
    }
}
