//! No output shows a secret: requests carrying a known client secret, bearer
//! token, access and refresh token, authorization code, password and private
//! key (in a DPoP `jwk` and pasted into `clientCertificate`) go through every
//! output format, `--debug`, `--dry-run`, `--jq`, `token process` flags, an
//! HTTP capture with `Authorization: Basic`, and error paths; none of the
//! secrets may appear unmasked on stdout or stderr.

use std::path::Path;

use base64::Engine as _;

use crate::common::{self, NOW};

const CLIENT_SECRET: &str = "CS-SECRET-7f3a9c1e";
const BEARER: &str = "BEARER-SECRET-9d8e7f6a5b4c";
const ACCESS_TOKEN: &str = "AT-SECRET-1a2b3c4d";
const REFRESH_TOKEN: &str = "RT-SECRET-5e6f7a8b";
const CODE: &str = "CODE-SECRET-0c9d8e7f";
const PASSWORD: &str = "PW-SECRET-4b5a6978";
/// What follows a raw `&` inside a client secret: still the secret.
const SPLIT_TAIL: &str = "Tail-SECRET 2c1d0e9f";
const FORMATS: &[&str] = &["pretty", "json", "yaml", "table", "toon", "sarif", "github"];

/// The text of a file under `testdata/`.
fn testdata(p: &str) -> String {
    std::fs::read_to_string(common::testdata(p)).unwrap()
}

/// Every string that must never appear: the secrets, the Basic credential,
/// lines of the PEM private key, the DPoP private key `d`, and the base64url
/// header segment that carries it.
fn forbidden() -> Vec<String> {
    let mut v: Vec<String> = [
        CLIENT_SECRET,
        BEARER,
        ACCESS_TOKEN,
        REFRESH_TOKEN,
        CODE,
        PASSWORD,
        SPLIT_TAIL,
        "Tail-SECRET",
        "Head-SECRET",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    v.push(basic());
    let key = testdata("certs/client-self-signed.key");
    v.extend(
        key.lines()
            .filter(|l| !l.starts_with("-----") && l.len() > 20)
            .map(str::to_owned),
    );
    let proof = private_proof();
    let header = proof.split('.').next().unwrap().to_owned();
    let h: serde_json::Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(&header)
            .unwrap(),
    )
    .unwrap();
    v.push(h["jwk"]["d"].as_str().unwrap().to_owned());
    v.push(header);
    v
}

fn basic() -> String {
    base64::engine::general_purpose::STANDARD.encode(format!("app:{CLIENT_SECRET}"))
}

/// A DPoP proof whose `jwk` carries a private `d` found in no rule doc
/// (sarif embeds the docs, whose examples hold other private proofs).
fn private_proof() -> String {
    let f: serde_json::Value =
        serde_json::from_str(&testdata("dpop/examples/jwk-private.json")).unwrap();
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let old = f["dpop"]
        .as_str()
        .unwrap()
        .split('.')
        .next()
        .unwrap()
        .to_owned();
    let mut h: serde_json::Value = serde_json::from_slice(&b64.decode(old).unwrap()).unwrap();
    h["jwk"]["d"] = "UHJpdmF0ZS1ELWZvci10aGUtc2VjcmV0cy10ZXN0LTQy".into();
    let payload = serde_json::json!({"jti": "secrets-test-jti-0001", "htm": "POST", "htu": "https://as.example.com/token", "iat": 1767225595});
    format!(
        "{}.{}.{}",
        b64.encode(h.to_string()),
        b64.encode(payload.to_string()),
        b64.encode([7u8; 64])
    )
}

fn cert_and_key() -> String {
    testdata("certs/client-self-signed.pem") + &testdata("certs/client-self-signed.key")
}

fn run(dir: &Path, args: &[&str]) -> (String, String) {
    let out = common::tokenlint()
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn assert_clean(what: &str, (stdout, stderr): &(String, String), forbidden: &[String]) {
    for s in forbidden {
        assert!(
            !stdout.contains(s.as_str()) && !stderr.contains(s.as_str()),
            "{what}: `{s}` appears unmasked\n--- stdout\n{stdout}\n--- stderr\n{stderr}"
        );
    }
}

/// The fixtures: (file name, contents).
fn fixtures() -> Vec<(&'static str, String)> {
    let pem = serde_json::to_string(&cert_and_key()).unwrap();
    let proof = private_proof();
    vec![
        (
            "code.json",
            format!(
                r#"{{"parameters":"grant_type=authorization_code&code={CODE}&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk","clientId":"app","clientSecret":"{CLIENT_SECRET}","accessToken":"{ACCESS_TOKEN}","clientCertificate":{pem}}}"#
            ),
        ),
        (
            "refresh.json",
            format!(
                r#"{{"parameters":"grant_type=refresh_token&refresh_token={REFRESH_TOKEN}&client_id=app&client_secret={CLIENT_SECRET}","dpop":"{proof}","htm":"POST","htu":"https://as.example.com/token"}}"#
            ),
        ),
        (
            "password.json",
            format!(
                r#"{{"parameters":"grant_type=password&username=alice&password={PASSWORD}","clientId":"app","clientSecret":"{CLIENT_SECRET}"}}"#
            ),
        ),
        (
            "capture.http",
            format!(
                "POST /token HTTP/1.1\r\nHost: as.example.com\r\nAuthorization: Basic {}\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\ngrant_type=refresh_token&refresh_token={REFRESH_TOKEN}",
                basic()
            ),
        ),
        // A raw `&` splits the secret: the rest is secret too, even with a
        // raw space in it (params/unescaped-character).
        (
            "split.json",
            format!(
                r#"{{"parameters":"grant_type=client_credentials&client_id=app&client_secret=Head-SECRET&{SPLIT_TAIL}"}}"#
            ),
        ),
        // Error paths: invalid JSON around secrets.
        (
            "broken.json",
            format!(
                r#"{{"parameters":"grant_type=password&password={PASSWORD}&code={CODE}","clientSecret":"{CLIENT_SECRET}","accessToken":"{ACCESS_TOKEN}",,}}"#
            ),
        ),
        (
            "unterminated.json",
            format!(r#"{{"clientId":"app","clientSecret":"{CLIENT_SECRET}"#),
        ),
    ]
}

#[test]
fn check_never_shows_a_secret() {
    let dir = tempfile::tempdir().unwrap();
    let forbidden = forbidden();
    for (name, text) in fixtures() {
        std::fs::write(dir.path().join(name), text).unwrap();
        for o in FORMATS {
            let r = run(dir.path(), &["check", "--now", NOW, "-o", o, name]);
            assert_clean(&format!("check -o {o} {name}"), &r, &forbidden);
        }
        for extra in [&["--debug"][..], &["--jq", "."], &["-o", "json", "--debug"]] {
            let mut args = vec!["check", "--now", NOW, name];
            args.extend_from_slice(extra);
            let r = run(dir.path(), &args);
            assert_clean(&format!("check {name} {extra:?}"), &r, &forbidden);
        }
    }
}

#[test]
fn token_process_never_shows_a_secret() {
    let dir = tempfile::tempdir().unwrap();
    let forbidden = forbidden();
    let pem = cert_and_key();
    let proof = private_proof();
    let params = format!("grant_type=password&username=a&password={PASSWORD}");
    let base: Vec<&str> = vec![
        "token",
        "process",
        "--now",
        NOW,
        "-p",
        &params,
        "--client-id",
        "app",
        "--client-secret",
        CLIENT_SECRET,
        "--access-token",
        ACCESS_TOKEN,
        "--dpop",
        &proof,
        "--client-certificate",
        &pem,
    ];
    for o in FORMATS {
        let mut args = base.clone();
        args.extend(["-o", o]);
        assert_clean(
            &format!("token process -o {o}"),
            &run(dir.path(), &args),
            &forbidden,
        );
    }
    let extras: &[&[&str]] = &[
        &["--debug"],
        &["--jq", "."],
        &["--dry-run", "--bearer", BEARER, "-s", "123"],
        &[
            "--dry-run",
            "--bearer",
            BEARER,
            "-s",
            "123",
            "--debug",
            "-o",
            "json",
        ],
        // Error paths: an unknown flag, a missing value, invalid --body JSON.
        &["--bogus"],
        &["--htm"],
        &["--bearer", BEARER, "--server", "nowhere"],
    ];
    for extra in extras {
        let mut args = base.clone();
        args.extend_from_slice(extra);
        assert_clean(
            &format!("token process {extra:?}"),
            &run(dir.path(), &args),
            &forbidden,
        );
    }
    let body = format!(
        r#"{{"parameters":"grant_type=refresh_token&refresh_token={REFRESH_TOKEN}","clientSecret":"{CLIENT_SECRET}",}}"#
    );
    for o in FORMATS {
        let r = run(
            dir.path(),
            &["token", "process", "--now", NOW, "--body", &body, "-o", o],
        );
        assert_clean(
            &format!("token process --body (invalid) -o {o}"),
            &r,
            &forbidden,
        );
    }
}

#[test]
fn a_secret_after_the_wrong_flag_is_not_echoed() {
    // clap quotes an invalid value; a secret pasted after a numeric or
    // enumerated flag must not come back in the error.
    let dir = std::env::temp_dir();
    for args in [
        &["token", "process", "--access-token-duration", CLIENT_SECRET][..],
        &["check", "--now", BEARER][..],
        &["check", "-o", ACCESS_TOKEN][..],
        &["token", "process", "--profile", REFRESH_TOKEN][..],
    ] {
        let out = common::tokenlint()
            .args(args)
            .current_dir(&dir)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let got = (
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        );
        assert_clean(&format!("{args:?}"), &got, &forbidden());
        assert!(
            got.1.contains("not shown") || got.1.contains("--now"),
            "{}",
            got.1
        );
    }
}

/// `jwt inspect` decodes the JWTs of a request, or one given alone: no
/// other value of the request and no private key member shows, in any
/// format.
#[test]
fn jwt_inspect_never_shows_a_secret() {
    let dir = tempfile::tempdir().unwrap();
    let forbidden = forbidden();
    let proof = private_proof();
    for (name, text) in fixtures() {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    for input in ["refresh.json", "code.json", "capture.http", proof.as_str()] {
        for o in FORMATS {
            let r = run(
                dir.path(),
                &["--now", NOW, "-o", o, "jwt", "inspect", input],
            );
            assert_clean(&format!("jwt inspect -o {o} {input}"), &r, &forbidden);
            // Not vacuous: the proof was decoded (its masked private key shown).
            if input != "code.json" && input != "capture.http" {
                assert!(r.0.contains("masked"), "jwt inspect -o {o}: {}{}", r.0, r.1);
            }
        }
    }
}
