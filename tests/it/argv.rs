//! The command line never echoes a secret: a secret that starts with `-`
//! is taken as the value of the flag it follows, not refused by an error
//! that quotes it; an argument clap does not expect is described, not
//! quoted, unless it looks like a flag; a malformed `-H` is not quoted; and
//! `--dry-run` and `--debug` mask the `-H` headers that carry credentials
//! (`--debug` masks every `-H` value).

use std::path::Path;
use std::process::Output;

use crate::common::{self, NOW};

/// A secret that starts like a flag, and the part of it no output may show.
const HYPHEN_SECRET: &str = "--S3cr3t-Hyphen-Value-7f9e";
const SECRET_PART: &str = "S3cr3t-Hyphen";

fn run(dir: &Path, args: &[&str]) -> Output {
    common::tokenlint_at_home(dir)
        .args(["--no-config", "--now", NOW])
        .args(args)
        .output()
        .unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn assert_not_shown(what: &str, out: &Output, secret: &str) {
    let all = text(out);
    assert!(!all.contains(secret), "{what}: {secret} shown:\n{all}");
}

/// `--client-secret`, `--access-token` and `--bearer` take a value that
/// starts with `--`, as the `-H`, PEM and PKCE flags already do.
#[test]
fn secrets_may_start_with_a_hyphen() {
    let dir = tempfile::tempdir().unwrap();
    let base = [
        "token",
        "process",
        "-p",
        "grant_type=client_credentials",
        "--client-id",
        "app",
    ];
    for flag in ["--client-secret", "--access-token", "--bearer"] {
        for joined in [false, true] {
            let mut args: Vec<String> = base.iter().map(|s| s.to_string()).collect();
            if joined {
                args.push(format!("{flag}={HYPHEN_SECRET}"));
            } else {
                args.extend([flag.to_owned(), HYPHEN_SECRET.to_owned()]);
            }
            args.extend(["--dry-run", "-s", "1"].map(String::from));
            if flag != "--bearer" {
                args.extend(["--bearer", "b-1"].map(String::from));
            }
            let a: Vec<&str> = args.iter().map(String::as_str).collect();
            let out = run(dir.path(), &a);
            let what = format!("{flag} (joined: {joined})");
            assert_ne!(out.status.code(), Some(2), "{what}: {}", text(&out));
            assert_not_shown(&what, &out, SECRET_PART);
        }
    }
    for args in [
        &[
            "dpop",
            "thumbprint",
            r#"{"kty":"oct","k":"AAAA"}"#,
            "--access-token",
        ][..],
        &["pkce", "challenge"][..],
    ] {
        let mut a = args.to_vec();
        a.push(HYPHEN_SECRET);
        let out = run(dir.path(), &a);
        assert_eq!(out.status.code(), Some(0), "{a:?}: {}", text(&out));
        assert_not_shown(&format!("{a:?}"), &out, SECRET_PART);
    }
}

/// An argument clap does not expect is quoted only when it looks like a
/// flag (a mistyped `--client-secrett`), never its `=value`; a positional
/// value is described, as a secret given without its flag would be.
#[test]
fn unexpected_arguments_are_not_quoted() {
    let dir = tempfile::tempdir().unwrap();
    let secret = "S3CRET-positional-2b7c4d";
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec!["--client-id".into(), "app".into(), secret.into()],
            secret,
        ),
        (vec![format!("--client-secrett={secret}")], secret),
        (
            vec!["--client-id".into(), HYPHEN_SECRET.into()],
            SECRET_PART,
        ),
        (vec!["--dpop".into(), HYPHEN_SECRET.into()], SECRET_PART),
        (vec![HYPHEN_SECRET.into()], SECRET_PART),
    ];
    for (extra, secret) in cases {
        let mut args = vec!["token".to_owned(), "process".to_owned()];
        args.extend(extra);
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = run(dir.path(), &a);
        assert_eq!(out.status.code(), Some(2), "{a:?}: {}", text(&out));
        assert_not_shown(&format!("{a:?}"), &out, secret);
    }
    // A mistyped flag is still named, with clap's suggestion.
    let out = run(dir.path(), &["token", "process", "--client-secrett", "x"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("'--client-secrett'"), "{err}");
    assert!(err.contains("--client-secret"), "{err}");
    // A mistyped subcommand too.
    let out = run(dir.path(), &["chek"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("'chek'"));
}

/// `-H` without a colon (`Authorization Bearer TOKEN`) or with a name that
/// is not one: the error says so without quoting the header.
#[test]
fn a_malformed_header_is_not_quoted() {
    let dir = tempfile::tempdir().unwrap();
    let token = "TOKEN-d41d8cd98f00b204";
    for h in [
        format!("Authorization Bearer {token}"),
        format!("Bearer {token}: x"),
        format!("Authorization: Bearer\n{token}"),
    ] {
        let out = run(
            dir.path(),
            &["token", "process", "-p", "grant_type=client_credentials"]
                .iter()
                .copied()
                .chain(["--dry-run", "-s", "1", "--bearer", "b", "-H", &h])
                .collect::<Vec<_>>(),
        );
        assert_eq!(out.status.code(), Some(2), "{h}: {}", text(&out));
        assert_not_shown(&h, &out, token);
        assert!(String::from_utf8_lossy(&out.stderr).contains("-H"), "{h}");
    }
}

/// `--dry-run` masks a `-H` header whose name says it carries a
/// credential; `--debug` masks every `-H` value.
#[test]
fn dry_run_and_debug_mask_header_credentials() {
    let dir = tempfile::tempdir().unwrap();
    let base = [
        "token",
        "process",
        "-p",
        "grant_type=client_credentials",
        "--client-id",
        "app",
        "--client-secret",
        "s",
        "-s",
        "1",
        "--bearer",
        "b-1",
    ];
    let credentials = [
        ("X-Auth-Key", "KEY-0a1b2c3d4e5f"),
        ("X-Api-Key", "KEY-6a7b8c9d0e1f"),
        ("Ocp-Apim-Subscription-Key", "KEY-2a3b4c5d6e7f"),
        ("X-Session-Id", "SESS-8a9b0c1d2e3f"),
        ("X-Client-Credentials", "CRED-4a5b6c7d8e9f"),
        ("X-Access-Token", "TOK-0f1e2d3c4b5a"),
        ("X_Auth_Password", "PW-6f7e8d9c0b1a"),
    ];
    let plain = ("X-Request-Id", "req-visible-42");
    let mut args: Vec<String> = base.iter().map(|s| s.to_string()).collect();
    for (k, v) in credentials.iter().chain([&plain]) {
        args.extend(["-H".to_owned(), format!("{k}: {v}")]);
    }
    let mut dry = args.clone();
    dry.push("--dry-run".into());
    let a: Vec<&str> = dry.iter().map(String::as_str).collect();
    let out = run(dir.path(), &a);
    for (k, v) in credentials {
        assert_not_shown(&format!("--dry-run -H {k}"), &out, v);
    }
    // A header that carries no credential is shown as it will be sent.
    assert!(text(&out).contains(plain.1), "{}", text(&out));

    // Sent, with --debug: every -H value is masked in the logged request.
    let (url, seen) = crate::stub::serve(
        200,
        r#"{"resultCode":"A050001","action":"OK","responseContent":"{}"}"#.into(),
        Default::default(),
    );
    let mut sent = args.clone();
    sent.extend(["--send", "--debug", "--server-url", &url].map(String::from));
    let a: Vec<&str> = sent.iter().map(String::as_str).collect();
    let out = run(dir.path(), &a);
    let s = seen
        .recv_timeout(std::time::Duration::from_secs(10))
        .unwrap();
    // Sent as given.
    assert_eq!(s.header("x-request-id"), Some(plain.1));
    assert_eq!(s.header("x-auth-key"), Some(credentials[0].1));
    for (k, v) in credentials.iter().chain([&plain]) {
        assert_not_shown(&format!("--debug -H {k}"), &out, v);
    }
    assert!(String::from_utf8_lossy(&out.stderr).contains("X-Request-Id: "));
}
