//! A stand-in for Authlete's API on loopback, for the `token process --send`
//! tests: a `TcpListener` on 127.0.0.1:0 in a thread that reads one request,
//! records it, answers as told (responses shaped as in Authlete's OpenAPI
//! spec: `token_response`, or `{resultCode, resultMessage}` for an API
//! error), and stops; it also stops by itself after a few seconds without a
//! connection. And the one way these tests run the binary: in a home of
//! their own (no credentials file unless the test writes one), stdin piped.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Output, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use serde_json::{json, Value};

use crate::common::{self, NOW};

pub(crate) const BEARER: &str = "test-bearer-7Qz9wX2mLk4P0aB8cD1eF6gH";
pub(crate) const SECRET: &str = "7Fjfp0ZBr1KtDRbnfVdmIw";
pub(crate) const CODE: &str = "SplxlOBeZQQYbYS6WxSbIA";

/// One recorded request.
#[derive(Debug)]
pub(crate) struct Seen {
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: String,
}

impl Seen {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// What the stub answers: a status, headers, a body (Authlete answers
/// `application/json`), and whether `Content-Length` is sent (without it
/// the body ends where the connection closes).
#[derive(Clone, Debug)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
    pub(crate) content_length: bool,
    pub(crate) delay: Duration,
}

impl Reply {
    pub(crate) fn json(status: u16, body: String) -> Reply {
        Reply {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.into_bytes(),
            content_length: true,
            delay: Duration::ZERO,
        }
    }
}

/// A one-shot server: answers `status` and `body` (after `delay`), and sends
/// what it saw (if anything) on the returned channel.
pub(crate) fn serve(status: u16, body: String, delay: Duration) -> (String, mpsc::Receiver<Seen>) {
    serve_reply(Reply {
        delay,
        ..Reply::json(status, body)
    })
}

/// A one-shot server on loopback answering `reply`.
pub(crate) fn serve_reply(reply: Reply) -> (String, mpsc::Receiver<Seen>) {
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
        handle(stream, &reply, &tx);
    });
    (format!("http://{addr}"), rx)
}

fn handle(mut s: TcpStream, reply: &Reply, tx: &mpsc::Sender<Seen>) {
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
    thread::sleep(reply.delay);
    let reason = match reply.status {
        200 => "OK",
        401 => "Unauthorized",
        _ => "Error",
    };
    let mut head = format!("HTTP/1.1 {} {reason}\r\n", reply.status);
    for (k, v) in &reply.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    if reply.content_length {
        head.push_str(&format!("Content-Length: {}\r\n", reply.body.len()));
    }
    head.push_str("Connection: close\r\nX-Request-Id: r-1\r\n\r\n");
    // The client may hang up early (a body over its limit): not an error here.
    let _ = s.write_all(head.as_bytes());
    let _ = s.write_all(&reply.body);
}

pub(crate) fn tokenlint(args: &[&str], envs: &[(&str, &str)]) -> Output {
    let home = tempfile::tempdir().expect("tempdir");
    run_in(home.path(), args, envs, None)
}

/// Runs tokenlint in `home` (also its HOME, with XDG_CONFIG_HOME at
/// `home/config`: the credentials file is `home/config/tokenlint/credentials.toml`),
/// with `stdin` piped in when given (else stdin is empty, not a terminal).
pub(crate) fn run_in(
    home: &Path,
    args: &[&str],
    envs: &[(&str, &str)],
    stdin: Option<&str>,
) -> Output {
    let mut c = common::tokenlint();
    c.args(args)
        .current_dir(home)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in envs {
        c.env(k, v);
    }
    let mut child = c.spawn().expect("run tokenlint");
    let mut pipe = child.stdin.take().expect("stdin");
    let input = stdin.unwrap_or("").to_owned();
    // Written from a thread: a child that never reads stdin must not block us.
    let writer = thread::spawn(move || {
        let _ = pipe.write_all(input.as_bytes());
    });
    let out = child.wait_with_output().expect("wait for tokenlint");
    let _ = writer.join();
    out
}

pub(crate) fn good_args(url: &str) -> Vec<String> {
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

pub(crate) fn run(args: &[String], extra: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut a: Vec<&str> = args.iter().map(String::as_str).collect();
    a.extend_from_slice(extra);
    tokenlint(&a, envs)
}

pub(crate) fn ok_body(action: &str) -> String {
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
