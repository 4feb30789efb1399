//! `token process --send` against a real HTTP server on loopback, started in
//! this process: a `TcpListener` thread that reads one request, records it,
//! answers, and stops (it also stops by itself after a few seconds). It
//! checks the method, the path, the bearer header and the exact JSON body.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::Output;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use serde_json::{json, Value};

use crate::common::{self, NOW};

const BEARER: &str = "test-bearer-7Qz9wX2mLk4P0aB8cD1eF6gH";
const SECRET: &str = "7Fjfp0ZBr1KtDRbnfVdmIw";
const CODE: &str = "SplxlOBeZQQYbYS6WxSbIA";

/// One recorded request.
#[derive(Debug)]
struct Seen {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: String,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A one-shot server: answers `status` and `body` (after `delay`), and sends
/// what it saw (if anything) on the returned channel.
fn serve(status: u16, body: String, delay: Duration) -> (String, mpsc::Receiver<Seen>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let addr = listener.local_addr().expect("addr");
    listener.set_nonblocking(true).expect("nonblocking");
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        // Bounded: give up after 10 s without a connection.
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        let stream = loop {
            match listener.accept() {
                Ok((s, _)) => break s,
                Err(_) if std::time::Instant::now() < deadline => {
                    thread::sleep(Duration::from_millis(10))
                }
                Err(_) => return,
            }
        };
        handle(stream, status, &body, delay, &tx);
    });
    (format!("http://{addr}"), rx)
}

fn handle(mut s: TcpStream, status: u16, body: &str, delay: Duration, tx: &mpsc::Sender<Seen>) {
    s.set_nonblocking(false).ok();
    s.set_read_timeout(Some(Duration::from_secs(5))).ok();
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        match s.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut rl = lines.next().unwrap_or("").split(' ');
    let method = rl.next().unwrap_or("").to_owned();
    let path = rl.next().unwrap_or("").to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let len: usize = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    while buf.len() < head_end + len {
        match s.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    let req_body = String::from_utf8_lossy(&buf[head_end..]).into_owned();
    let _ = tx.send(Seen {
        method,
        path,
        headers,
        body: req_body,
    });
    thread::sleep(delay);
    let reason = match status {
        200 => "OK",
        401 => "Unauthorized",
        _ => "Error",
    };
    let resp = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\nX-Request-Id: r-1\r\n\r\n{body}",
        body.len()
    );
    let _ = s.write_all(resp.as_bytes());
}

fn tokenlint(args: &[&str], envs: &[(&str, &str)]) -> Output {
    let home = tempfile::tempdir().expect("tempdir");
    let mut c = common::tokenlint();
    c.args(args)
        .current_dir(home.path())
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("NO_COLOR", "1");
    for (k, v) in envs {
        c.env(k, v);
    }
    c.output().expect("run tokenlint")
}

fn good_args(url: &str) -> Vec<String> {
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
        "--client-id",
        "s6BhdRkqt3",
        "--client-secret",
        SECRET,
        "--parameters",
        &format!("grant_type=authorization_code&code={CODE}&redirect_uri=https%3A%2F%2Fclient.example.org%2Fcb&code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

fn run(args: &[String], extra: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut a: Vec<&str> = args.iter().map(String::as_str).collect();
    a.extend_from_slice(extra);
    tokenlint(&a, envs)
}

fn ok_body(action: &str) -> String {
    json!({
        "resultCode": "A050001",
        "resultMessage": "[A050001] The token request (grant_type=authorization_code) was processed successfully.",
        "action": action,
        "responseContent": if action == "OK" || action == "BAD_REQUEST" || action == "INVALID_CLIENT" {
            Value::String(format!("{{\"access_token\":\"{}\",\"token_type\":\"DPoP\"}}", "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU"))
        } else { Value::Null },
        "accessToken": "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU",
        "dpopNonce": "eyJ7S_zG.eyJH0-Z.HX4w-7v",
        "ticket": "ticket-VeryLongTicketValue123456",
    })
    .to_string()
}

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
            "ticket-VeryLongTicketValue123456",
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
    assert!(stderr.contains("X-Trace: abc"));
    for secret in [
        BEARER,
        SECRET,
        "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU",
        "ticket-VeryLongTicketValue123456",
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
