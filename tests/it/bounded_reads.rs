//! Every file and stdin read goes through one bounded reader: over the file
//! limit, each is refused with an error naming the limit (exit 2) and a
//! stream is not read to its end; a FIFO never blocks `check`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::common::{self, NOW};

/// The default `limits.file`.
const LIMIT: u64 = 64 << 20;

/// A file of `len` bytes that takes no disk (sparse).
fn sparse(dir: &Path, name: &str, len: u64) -> PathBuf {
    let p = dir.join(name);
    std::fs::File::create(&p)
        .and_then(|f| f.set_len(len))
        .expect("a sparse file");
    p
}

/// Runs `c` with `feed` bytes of `x` written to its stdin by a thread that
/// stops when the reader goes away: a bounded stream, longer than a limit.
fn with_stdin(mut c: Command, feed: u64) -> Output {
    let mut child = c
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the tokenlint binary runs");
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || {
        let chunk = vec![b'x'; 64 << 10];
        let mut left = feed;
        while left > 0 {
            let n = left.min(chunk.len() as u64) as usize;
            if stdin.write_all(&chunk[..n]).is_err() {
                break; // the reader stopped: that is the point
            }
            left -= n as u64;
        }
    });
    let out = child.wait_with_output().expect("tokenlint ends");
    writer.join().expect("the writer ends");
    out
}

fn assert_refused(what: &str, out: &Output, limit: u64) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{what}: {stderr}");
    let named = format!("limit of {limit} bytes (limits.file)");
    assert!(stderr.contains(&named), "{what}: {stderr}");
}

#[test]
fn streams_over_the_limit_are_refused_naming_it() {
    let over = LIMIT + (64 << 10);
    for args in [
        &["token", "process", "--body", "-"][..],
        &["dpop", "inspect", "-"][..],
        &["dpop", "thumbprint", "-"][..],
    ] {
        let mut c = common::tokenlint();
        c.args(args).args(["--no-config", "--now", NOW]);
        assert_refused(&args.join(" "), &with_stdin(c, over), LIMIT);
    }
    // `cert inspect` honours the configured limit.
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(dir.path().join("tokenlint.toml"), "[limits]\nfile = 4096\n")
        .expect("the config is written");
    let mut c = common::tokenlint();
    c.args(["cert", "inspect", "-"]).current_dir(dir.path());
    assert_refused("cert inspect -", &with_stdin(c, 100 << 10), 4096);
    let big = dir.path().join("big.pem");
    std::fs::write(&big, vec![b'x'; 5000]).expect("the file is written");
    let out = common::tokenlint()
        .args(["cert", "inspect"])
        .arg(&big)
        .current_dir(dir.path())
        .output()
        .expect("tokenlint runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("limit of 4096 bytes (limits.file)"),
        "{stderr}"
    );
}

#[test]
fn files_over_the_limit_are_refused_naming_it() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let big = sparse(dir.path(), "big", LIMIT + 1);
    let fixture = common::testdata("good/client-credentials-basic.json");
    let check = |extra: &[&std::ffi::OsStr]| {
        let mut c = common::tokenlint();
        c.args(["check", "--now", NOW, "-o", "json"]);
        c.args(extra).arg(&fixture).stdin(Stdio::null());
        c
    };
    let b = big.as_os_str();
    let runs: Vec<(&str, Command)> = vec![
        (
            "--client-jwks",
            check(&["--no-config".as_ref(), "--client-jwks".as_ref(), b]),
        ),
        (
            "--attester-jwks",
            check(&["--no-config".as_ref(), "--attester-jwks".as_ref(), b]),
        ),
        (
            "--response",
            check(&["--no-config".as_ref(), "--response".as_ref(), b]),
        ),
        ("dpop proof --key", {
            let mut c = common::tokenlint();
            c.args([
                "dpop",
                "proof",
                "--no-config",
                "--htu",
                "https://as.example.com/token",
            ]);
            c.arg("--key").arg(&big);
            c
        }),
        ("dpop thumbprint FILE", {
            // A path without a dot: the argument is read as a file.
            let mut c = common::tokenlint();
            c.args(["dpop", "thumbprint", "big"])
                .current_dir(dir.path());
            c
        }),
        ("the credentials file", {
            let config = dir.path().join("xdg");
            std::fs::create_dir_all(config.join("tokenlint")).expect("a folder");
            sparse(&config.join("tokenlint"), "credentials.toml", LIMIT + 1);
            let mut c = common::tokenlint();
            c.args(["token", "process", "--dry-run", "--no-config"]);
            c.args(["-p", "grant_type=client_credentials"]);
            c.env("XDG_CONFIG_HOME", &config);
            c
        }),
    ];
    for (what, mut c) in runs {
        let out = c.stdin(Stdio::null()).output().expect("tokenlint runs");
        assert_refused(what, &out, LIMIT);
    }
    // A configuration has a cap of its own, far below the file limit, and
    // is refused by its size before it is read.
    let mut env = check(&[]);
    env.env("TOKENLINT_CONFIG", &big);
    for (what, mut c) in [
        ("--config", check(&["--config".as_ref(), b])),
        ("TOKENLINT_CONFIG", env),
    ] {
        let out = c.stdin(Stdio::null()).output().expect("tokenlint runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{what}: {stderr}");
        assert!(
            stderr.contains("the most a configuration may have"),
            "{what}: {stderr}"
        );
    }
}

/// Runs `c`, killing it if it has not ended after a minute: a hang fails
/// the test instead of stalling the suite.
fn run_or_kill(mut c: Command) -> Option<Output> {
    let mut child = c
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the tokenlint binary runs");
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(60) {
        if child.try_wait().expect("wait").is_some() {
            return Some(child.wait_with_output().expect("output"));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

#[cfg(unix)]
#[test]
fn a_fifo_is_skipped_in_a_walk_and_refused_when_named() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let fifo = dir.path().join("pipe.json");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        return; // no mkfifo here
    }
    std::fs::copy(
        common::testdata("good/client-credentials-basic.json"),
        dir.path().join("good.json"),
    )
    .expect("the fixture is copied");

    // Found by a walk: skipped (the report says so, and counts it as
    // skipped); the other input is linted.
    let mut c = common::tokenlint();
    c.args(["check", "--no-config", "--now", NOW, "-o", "json"])
        .arg(dir.path());
    let out = run_or_kill(c).expect("check of a folder with a FIFO hangs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    let skipped = v["results"]
        .as_array()
        .and_then(|r| r.iter().find(|r| r["skipped"].is_string()))
        .expect("the FIFO is a skipped result");
    assert!(
        skipped["skipped"].as_str().unwrap().contains("FIFO"),
        "{stdout}"
    );
    assert_eq!(v["summary"]["inputs"], 2, "{stdout}");
    assert_eq!(v["summary"]["skipped"], 1, "{stdout}");
    assert_eq!(v["summary"]["clean"], 1, "{stdout}");

    // Named: reported as unreadable (exit 2), not read.
    let mut c = common::tokenlint();
    c.args(["check", "--no-config", "--now", NOW, "-o", "json"])
        .arg(&fifo);
    let out = run_or_kill(c).expect("check of a named FIFO hangs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{stdout}");
    assert!(
        stdout.contains("a FIFO (named pipe), not a regular file"),
        "{stdout}"
    );
}
