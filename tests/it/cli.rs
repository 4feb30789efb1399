//! The `tokenlint` binary end to end: `check` over files, folders and stdin,
//! the JSON report's shape, exit codes, `token process` and its flags,
//! `--now`, configuration, the PKCE toolkit, `rules`/`explain`, and that no
//! output ever shows a secret.
//!
//! Each run gets a fresh working folder and an environment without agent
//! markers or colour settings, so the defaults (pretty output, no config)
//! are the same on every machine.

use std::io::Write as _;
use std::path::Path;
use std::process::Stdio;

use serde_json::Value;

use crate::common::{self, testdata, NOW};
/// RFC 7636 Appendix B.
const APP_B_VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const APP_B_CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }

    fn all(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }
}

impl std::fmt::Debug for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {}\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary folder")
}

/// Runs the binary in `cwd` with `args`, feeding `stdin` (empty if `None`).
fn run_in(cwd: &Path, args: &[&str], stdin: Option<&[u8]>) -> Run {
    let mut cmd = common::tokenlint();
    // Configuration is found from each input's folder, and the repository's
    // own tokenlint.toml covers testdata/: runs are config-free unless the
    // test names a config or writes one into its working folder.
    let configured = args.iter().any(|a| *a == "--config" || *a == "--no-config") || config_in(cwd);
    if !configured {
        cmd.arg("--no-config");
    }
    cmd.args(args)
        .current_dir(cwd)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("the tokenlint binary runs");
    {
        let mut sin = child.stdin.take().expect("stdin");
        if let Some(bytes) = stdin {
            // The child may exit without reading (a usage error): ignore EPIPE.
            let _ = sin.write_all(bytes);
        }
    }
    let out = child
        .wait_with_output()
        .expect("the tokenlint binary finishes");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Whether `dir` or a folder above it (up to the temporary folder) has a config file.
fn config_in(dir: &Path) -> bool {
    dir.ancestors()
        .take_while(|d| d.starts_with(std::env::temp_dir()))
        .any(|d| d.join("tokenlint.toml").is_file() || d.join(".tokenlint.toml").is_file())
}

fn run(args: &[&str]) -> Run {
    let dir = tempdir();
    run_in(dir.path(), args, None)
}

fn run_stdin(args: &[&str], stdin: &str) -> Run {
    let dir = tempdir();
    run_in(dir.path(), args, Some(stdin.as_bytes()))
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

fn copy(rel: &str, to: &Path) {
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::copy(testdata(rel), to).unwrap_or_else(|e| panic!("copy {rel}: {e}"));
}

fn rules_of(result: &Value) -> Vec<String> {
    result["findings"]
        .as_array()
        .map(|fs| {
            fs.iter()
                .filter_map(|f| f["rule"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn has_error(result: &Value) -> bool {
    result["findings"]
        .as_array()
        .is_some_and(|fs| fs.iter().any(|f| f["severity"] == "error"))
}

/// A clap usage error (as opposed to a "not yet supported" answer).
fn is_parse_error(r: &Run) -> bool {
    r.code == 2
        && (r.stderr.contains("unexpected argument")
            || r.stderr.contains("invalid value")
            || r.stderr.contains("unrecognized subcommand")
            || r.stderr.contains("a value is required"))
}

// ---------------------------------------------------------------------------
// check

/// A folder with good, bad and broken fixtures (nested, with files `check`
/// must skip), as `check` sees a repository.
fn mixed_folder() -> tempfile::TempDir {
    let dir = tempdir();
    let d = dir.path();
    copy("good/authorization-code-pkce.json", &d.join("b-good.json"));
    copy("bad/pkce-verifier-length.json", &d.join("a-bad.json"));
    copy("broken/invalid-json.json", &d.join("c-broken.json"));
    copy("good/device-code.json", &d.join("sub/d-good.json"));
    copy("broken/latin1.json", &d.join("sub/deeper/e-latin1.json"));
    std::fs::write(d.join("notes.txt"), "not a fixture").expect("write");
    std::fs::write(d.join(".hidden.json"), "{").expect("write");
    dir
}

const MIXED_ORDER: &[&str] = &[
    "a-bad.json",
    "b-good.json",
    "c-broken.json",
    "sub/d-good.json",
    "sub/deeper/e-latin1.json",
];

fn sources(report: &Value) -> Vec<String> {
    report["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| r["source"].as_str().expect("source").to_owned())
        .collect()
}

#[test]
fn check_folder_reports_every_file_in_sorted_order() {
    let dir = mixed_folder();
    let root = path_str(dir.path());
    let r = run(&["check", root, "-o", "json", "--now", NOW]);
    assert_eq!(r.code, 1, "an error finding gives exit 1: {r:?}");
    let v = r.json();
    let got = sources(&v);
    let want: Vec<String> = MIXED_ORDER
        .iter()
        .map(|f| dir.path().join(f).display().to_string())
        .collect();
    assert_eq!(
        got, want,
        "every *.json, sorted, hidden and non-JSON files skipped"
    );
    let results = v["results"].as_array().expect("results");
    assert!(rules_of(&results[0]).contains(&"pkce/verifier-length".to_owned()));
    assert!(!has_error(&results[1]), "good fixture: {}", results[1]);
    assert!(rules_of(&results[2]).contains(&"input/invalid-json".to_owned()));
    assert!(!has_error(&results[3]), "good fixture: {}", results[3]);
    assert!(rules_of(&results[4]).contains(&"input/invalid-utf8".to_owned()));
    assert_eq!(v["summary"]["inputs"], 5);

    // The same run gives the same bytes.
    let again = run(&["check", root, "-o", "json", "--now", NOW]);
    assert_eq!(r.stdout, again.stdout, "output is stable between runs");
}

#[test]
fn a_missing_path_is_exit_2_and_the_others_are_still_checked() {
    let dir = mixed_folder();
    let missing = dir.path().join("no-such-file.json");
    let r = run(&[
        "check",
        path_str(&missing),
        path_str(dir.path()),
        "-o",
        "json",
        "--now",
        NOW,
    ]);
    assert_eq!(r.code, 2, "{r:?}");
    let v = r.json();
    let got = sources(&v);
    assert_eq!(got.len(), 1 + MIXED_ORDER.len(), "{got:?}");
    assert_eq!(
        got[0],
        missing.display().to_string(),
        "paths in the order given"
    );
    assert!(v["results"][0]["error"].is_string(), "{}", v["results"][0]);
    assert!(v["results"][1]["findings"]
        .as_array()
        .is_some_and(|f| !f.is_empty()));

    // Pretty output names the missing file too.
    let r = run(&["check", path_str(&missing), "--now", NOW]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.all().contains("no-such-file.json"), "{r:?}");
}

#[test]
fn exit_codes_follow_the_worst_finding() {
    let good = testdata("good/authorization-code-pkce.json");
    let r = run(&["check", path_str(&good), "--now", NOW]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.contains("1 input checked"), "{r:?}");

    let bad = testdata("bad/pkce-verifier-charset.json");
    let r = run(&["check", path_str(&bad), "--now", NOW]);
    assert_eq!(r.code, 1, "{r:?}");
    let r = run(&["check", path_str(&bad), "--now", NOW, "--exit-zero"]);
    assert_eq!(r.code, 0, "--exit-zero reports only: {r:?}");

    // A warning alone does not fail.
    let warn = testdata("bad/pkce-verifier-unexpected.json");
    let r = run(&["check", path_str(&warn), "--now", NOW, "-o", "json"]);
    let v = r.json();
    if !has_error(&v["results"][0]) {
        assert_eq!(r.code, 0, "{r:?}");
    }
}

#[test]
fn check_defaults_to_the_current_folder() {
    let dir = mixed_folder();
    let r = run_in(dir.path(), &["check", "-o", "json", "--now", NOW], None);
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(sources(&r.json()).len(), MIXED_ORDER.len(), "{r:?}");
}

#[test]
fn pretty_output_names_each_failing_file_in_order() {
    let dir = mixed_folder();
    let r = run(&[
        "check",
        path_str(dir.path()),
        "--now",
        NOW,
        "--color",
        "never",
    ]);
    assert_eq!(r.code, 1, "{r:?}");
    let mut last = 0;
    for name in ["a-bad.json", "c-broken.json", "e-latin1.json"] {
        let at = r.stdout[last..]
            .find(name)
            .map(|i| i + last)
            .unwrap_or_else(|| panic!("{name} missing or out of order:\n{}", r.stdout));
        last = at;
    }
    assert!(r.stdout.contains("pkce/verifier-length"), "{r:?}");
    assert!(r.stdout.contains("5 inputs checked"), "{r:?}");
    assert!(!r.stdout.contains("\u{1b}["), "--color never: no escapes");
}

#[test]
fn json_report_has_the_documented_shape() {
    let f = testdata("bad/multi-client-id-mismatch.json");
    let r = run(&["check", path_str(&f), "-o", "json", "--now", NOW]);
    assert_eq!(r.code, 1, "{r:?}");
    let v = r.json();
    assert_eq!(v["version"], 1);
    let text = std::fs::read_to_string(&f).expect("fixture");
    let results = v["results"].as_array().expect("results is an array");
    assert_eq!(results.len(), 1);
    assert_eq!(results[0]["source"], f.display().to_string());
    let findings = results[0]["findings"].as_array().expect("findings");
    assert!(!findings.is_empty());
    for fd in findings {
        assert!(fd["rule"].as_str().is_some_and(|s| s.contains('/')), "{fd}");
        assert!(
            matches!(fd["severity"].as_str(), Some("error" | "warning" | "info")),
            "{fd}"
        );
        assert!(
            fd["message"].as_str().is_some_and(|s| !s.is_empty()),
            "{fd}"
        );
        assert!(fd["field"].is_string() || fd["field"].is_null(), "{fd}");
        assert!(fd["help"].is_string() || fd["help"].is_null(), "{fd}");
        assert!(fd["spec"].as_str().is_some_and(|s| !s.is_empty()), "{fd}");
        let span = &fd["span"];
        if !span.is_null() {
            let off = span["offset"].as_u64().expect("span.offset") as usize;
            let len = span["length"].as_u64().expect("span.length") as usize;
            assert!(off + len <= text.len(), "span inside the file: {fd}");
        }
    }
    for key in ["inputs", "errors", "warnings"] {
        assert!(
            v["summary"][key].is_u64(),
            "summary.{key}: {}",
            v["summary"]
        );
    }
    // The PKCE charset finding underlines the exact bytes: the `=` padding.
    let f = testdata("bad/pkce-verifier-charset.json");
    let r = run(&["check", path_str(&f), "-o", "json", "--now", NOW]);
    let v = r.json();
    let text = std::fs::read_to_string(&f).expect("fixture");
    let fd = v["results"][0]["findings"]
        .as_array()
        .and_then(|fs| fs.iter().find(|x| x["rule"] == "pkce/verifier-charset"))
        .unwrap_or_else(|| panic!("no pkce/verifier-charset: {r:?}"))
        .clone();
    let off = fd["span"]["offset"].as_u64().expect("offset") as usize;
    let len = fd["span"]["length"].as_u64().expect("length") as usize;
    assert_eq!(&text[off..off + len], "%3D", "{fd}");
    assert_eq!(fd["field"], "parameters.code_verifier");
}

#[test]
fn other_formats_render() {
    let f = testdata("bad/pkce-verifier-length.json");
    for fmt in ["yaml", "table", "toon", "sarif", "github"] {
        let r = run(&["check", path_str(&f), "-o", fmt, "--now", NOW]);
        assert!(
            r.code == 1 || (fmt == "sarif" && r.code == 0),
            "{fmt}: {r:?}"
        );
        assert!(r.stdout.contains("pkce/verifier-length"), "{fmt}: {r:?}");
    }
    let r = run(&["check", path_str(&f), "-o", "sarif", "--now", NOW]);
    let v = r.json();
    assert!(v["runs"].is_array(), "SARIF has runs: {}", r.stdout);
}

#[test]
fn jq_filters_the_report() {
    let f = testdata("bad/pkce-verifier-length.json");
    let r = run(&[
        "check",
        path_str(&f),
        "--now",
        NOW,
        "-q",
        ".results[0].findings[].rule",
    ]);
    assert_eq!(r.stdout.trim(), "pkce/verifier-length", "{r:?}");
}

#[test]
fn check_reads_stdin() {
    let body = std::fs::read_to_string(testdata("bad/pkce-verifier-length.json")).expect("read");
    let r = run_stdin(&["check", "-", "-o", "json", "--now", NOW], &body);
    assert_eq!(r.code, 1, "{r:?}");
    let v = r.json();
    assert_eq!(v["results"][0]["source"], "<stdin>");
    assert!(rules_of(&v["results"][0]).contains(&"pkce/verifier-length".to_owned()));

    let good = std::fs::read_to_string(testdata("good/device-code.json")).expect("read");
    let r = run_stdin(&["check", "-", "--now", NOW], &good);
    assert_eq!(r.code, 0, "{r:?}");

    let r = run_stdin(&["check", "-", "-o", "json", "--now", NOW], "not json");
    assert_eq!(r.code, 1, "{r:?}");
    assert!(rules_of(&r.json()["results"][0]).contains(&"input/invalid-json".to_owned()));
}

#[test]
fn every_broken_input_is_reported_without_a_crash() {
    let r = run(&[
        "check",
        path_str(&testdata("broken")),
        "-o",
        "json",
        "--now",
        NOW,
    ]);
    assert_eq!(r.code, 1, "{r:?}");
    let v = r.json();
    for res in v["results"].as_array().expect("results") {
        assert!(
            res["findings"].as_array().is_some_and(|f| !f.is_empty()),
            "{} raised nothing",
            res["source"]
        );
    }
    // And pretty output gets through them too (the 2 MB one included).
    let r = run(&["check", path_str(&testdata("broken")), "--now", NOW]);
    assert_eq!(r.code, 1, "exit {} stderr {}", r.code, r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
}

// ---------------------------------------------------------------------------
// token process

#[test]
fn token_process_lints_flags() {
    let r = run(&[
        "token",
        "process",
        "--parameters",
        &format!("grant_type=authorization_code&code=abc&redirect_uri=https%3A%2F%2Fc.example%2Fcb&code_verifier={APP_B_VERIFIER}"),
        "--client-id",
        "s6BhdRkqt3",
        "--client-secret",
        "7Fjfp0ZBr1KtDRbnfVdmIw",
        "--now",
        NOW,
        "-o",
        "json",
    ]);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(r.json()["results"][0]["source"], "<command line>");

    let r = run(&[
        "token",
        "process",
        "-p",
        "grant_type=authorization_code&code=abc&code_verifier=short&client_id=x",
        "--now",
        NOW,
        "-o",
        "json",
    ]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(rules_of(&r.json()["results"][0]).contains(&"pkce/verifier-length".to_owned()));
}

#[test]
fn token_process_reads_the_body_from_stdin() {
    let body = std::fs::read_to_string(testdata("bad/pkce-verifier-length.json")).expect("read");
    let r = run_stdin(
        &[
            "token", "process", "--body", "-", "--now", NOW, "-o", "json",
        ],
        &body,
    );
    assert_eq!(r.code, 1, "{r:?}");
    assert!(rules_of(&r.json()["results"][0]).contains(&"pkce/verifier-length".to_owned()));

    let good =
        std::fs::read_to_string(testdata("good/authorization-code-pkce.json")).expect("read");
    let r = run(&["token", "process", "--body", &good, "--now", NOW]);
    assert_eq!(r.code, 0, "--body as a value: {r:?}");
}

#[test]
fn token_process_flags_override_the_body() {
    let good_params = format!(
        "grant_type=authorization_code&code=abc&redirect_uri=https%3A%2F%2Fc.example%2Fcb&code_verifier={APP_B_VERIFIER}&client_id=x"
    );
    let bad_params = "grant_type=authorization_code&code=abc&redirect_uri=https%3A%2F%2Fc.example%2Fcb&code_verifier=short&client_id=x";
    let body = |p: &str| serde_json::json!({ "parameters": p }).to_string();

    // The body is fine, the flag is not: the flag wins.
    let r = run(&[
        "token",
        "process",
        "--body",
        &body(&good_params),
        "--parameters",
        bad_params,
        "--now",
        NOW,
        "-o",
        "json",
    ]);
    assert!(
        rules_of(&r.json()["results"][0]).contains(&"pkce/verifier-length".to_owned()),
        "{r:?}"
    );
    // The other way round.
    let r = run(&[
        "token",
        "process",
        "--body",
        &body(bad_params),
        "--parameters",
        &good_params,
        "--now",
        NOW,
        "-o",
        "json",
    ]);
    assert!(
        !rules_of(&r.json()["results"][0]).contains(&"pkce/verifier-length".to_owned()),
        "{r:?}"
    );
    // The same through stdin.
    let r = run_stdin(
        &[
            "token",
            "process",
            "--body",
            "-",
            "--parameters",
            &good_params,
            "--now",
            NOW,
            "-o",
            "json",
        ],
        &body(bad_params),
    );
    assert!(
        !rules_of(&r.json()["results"][0]).contains(&"pkce/verifier-length".to_owned()),
        "{r:?}"
    );
}

#[test]
fn token_process_accepts_every_authlete_flag() {
    let pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----";
    let base: Vec<&str> = vec![
        "token",
        "process",
        "-s",
        "715948317",
        "--parameters",
        "grant_type=client_credentials&scope=api.read",
        "--client-id",
        "s6BhdRkqt3",
        "--client-secret",
        "7Fjfp0ZBr1KtDRbnfVdmIw",
        "--client-certificate",
        pem,
        "--client-certificate-path",
        pem,
        "--client-certificate-path",
        pem,
        "--htm",
        "POST",
        "--htu",
        "https://as.example.com/token",
        "--dpop-nonce-required",
        "--access-token",
        "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU",
        "--access-token-duration",
        "3600",
        "-r",
        "86400",
        "--properties",
        r#"[{"key":"tenant","value":"acme","hidden":false}]"#,
        "-j",
        r#"{"roles":["reader"]}"#,
        "--oauth-client-attestation",
        "eyJhbGciOiJFUzI1NiJ9.e30.AA",
        "--oauth-client-attestation-pop",
        "eyJhbGciOiJFUzI1NiJ9.e30.AA",
        "--cimd-options",
        r#"{"alwaysRetrieved":true}"#,
        "--now",
        NOW,
    ];
    let r = run(&base);
    assert!(!is_parse_error(&r), "{r:?}");
    assert!(r.code == 0 || r.code == 1, "{r:?}");

    // Long forms of the short flags, `--dpop`, and `--dpop-nonce-required=false`.
    let r = run(&[
        "token",
        "process",
        "--service-id",
        "715948317",
        "--parameters",
        "grant_type=client_credentials",
        "--refresh-token-duration",
        "-1",
        "--jwt-at-claims",
        "{}",
        "--dpop",
        "eyJhbGciOiJFUzI1NiJ9.e30.AA",
        "--dpop-nonce-required=false",
        "--now",
        NOW,
    ]);
    assert!(!is_parse_error(&r), "{r:?}");

    // Every global flag parses (later issues may answer "not yet supported").
    let globals: &[&[&str]] = &[
        &["-o", "json"],
        &["--output-format", "yaml"],
        &["--color", "never"],
        &["-d"],
        &["--debug"],
        &["--dry-run"],
        &["-H", "X-Request-Id: 1"],
        &["--header", "X-Request-Id: 1"],
        &["--include-headers"],
        &["-q", ".summary"],
        &["--jq", ".summary"],
        &["--no-interactive"],
        &["--server", "us"],
        &["--server-url", "https://us.authlete.com"],
        &["--timeout", "30s"],
        &["--bearer", "api-token-value"],
        &["--agent-mode"],
        &["--agent-mode=false"],
    ];
    for g in globals {
        let mut args = vec![
            "token",
            "process",
            "--parameters",
            "grant_type=client_credentials&scope=api.read",
            "--client-id",
            "a",
            "--client-secret",
            "b",
            "--now",
            NOW,
        ];
        args.extend_from_slice(g);
        let r = run(&args);
        assert!(!is_parse_error(&r), "{g:?}: {r:?}");
        if r.code == 2 {
            // A dry run without a token predicts the send's usage error.
            assert!(
                r.stderr.to_lowercase().contains("not yet supported")
                    || r.stderr.to_lowercase().contains("not supported")
                    || r.stderr
                        .contains("would not be sent: no Authlete API token"),
                "{g:?} gave exit 2 without saying why: {r:?}"
            );
        }
    }
    // --usage prints the usage schema.
    let r = run(&["--usage"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.contains("token"), "{r:?}");
}

#[test]
fn token_process_rejects_bad_flag_values() {
    let r = run(&[
        "token",
        "process",
        "--parameters",
        "grant_type=x",
        "--access-token-duration",
        "soon",
    ]);
    assert_eq!(r.code, 2, "{r:?}");
    let r = run(&["token", "process", "--no-such-flag"]);
    assert_eq!(r.code, 2, "{r:?}");
}

// ---------------------------------------------------------------------------
// --now

#[test]
fn now_accepts_unix_seconds_and_rfc3339_and_rejects_garbage() {
    let f = testdata("good/device-code.json");
    let clock = |r: &Run| -> String {
        r.stderr
            .lines()
            .find(|l| l.contains("clock:"))
            .unwrap_or_else(|| panic!("no clock line in --debug output: {r:?}"))
            .to_owned()
    };
    let unix = run(&["check", path_str(&f), "--debug", "--now", NOW]);
    assert_eq!(unix.code, 0, "{unix:?}");
    assert!(clock(&unix).contains("1767225600"), "{unix:?}");
    for t in [
        "2026-01-01T00:00:00Z",
        "2026-01-01T09:00:00+09:00",
        "2026-01-01T00:00:00.250Z",
    ] {
        let r = run(&["check", path_str(&f), "--debug", "--now", t]);
        assert_eq!(r.code, 0, "{t}: {r:?}");
        assert_eq!(clock(&r), clock(&unix), "{t}");
    }
    for garbage in ["yesterday", "2026-13-01T00:00:00Z", "", "1767225600s"] {
        let r = run(&["check", path_str(&f), "--now", garbage]);
        assert_eq!(r.code, 2, "--now {garbage:?}: {r:?}");
        assert!(r.stderr.contains("--now"), "{r:?}");
        let r = run(&[
            "token",
            "process",
            "--parameters",
            "grant_type=client_credentials",
            "--now",
            garbage,
        ]);
        assert_eq!(r.code, 2, "token process --now {garbage:?}: {r:?}");
    }
}

// ---------------------------------------------------------------------------
// configuration

#[test]
fn config_turns_rules_off_and_changes_severity() {
    let dir = tempdir();
    let d = dir.path();
    copy("bad/pkce-verifier-length.json", &d.join("f.json"));
    let f = path_str(&d.join("f.json")).to_owned();
    let severity_of = |r: &Run| -> Option<String> {
        r.json()["results"][0]["findings"]
            .as_array()
            .and_then(|fs| fs.iter().find(|x| x["rule"] == "pkce/verifier-length"))
            .map(|x| x["severity"].as_str().unwrap_or_default().to_owned())
    };

    // Found in the current folder.
    std::fs::write(
        d.join("tokenlint.toml"),
        "[rules]\n\"pkce/verifier-length\" = \"warning\"\n",
    )
    .expect("write");
    let r = run_in(d, &["check", &f, "-o", "json", "--now", NOW], None);
    assert_eq!(severity_of(&r).as_deref(), Some("warning"), "{r:?}");
    assert_eq!(r.code, 0, "downgraded to a warning: {r:?}");

    // Found from a sub-folder, upward.
    let sub = d.join("nested/deeper");
    std::fs::create_dir_all(&sub).expect("mkdir");
    let r = run_in(&sub, &["check", &f, "-o", "json", "--now", NOW], None);
    assert_eq!(severity_of(&r).as_deref(), Some("warning"), "{r:?}");

    // --no-config ignores it.
    let r = run_in(
        d,
        &["check", &f, "-o", "json", "--now", NOW, "--no-config"],
        None,
    );
    assert_eq!(severity_of(&r).as_deref(), Some("error"), "{r:?}");
    assert_eq!(r.code, 1, "{r:?}");

    // --config FILE names another one: `off` removes the finding.
    std::fs::write(
        d.join("off.toml"),
        "[rules]\n\"pkce/verifier-length\" = \"off\"\n",
    )
    .expect("write");
    let off = path_str(&d.join("off.toml")).to_owned();
    let r = run_in(
        d,
        &["check", &f, "-o", "json", "--now", NOW, "--config", &off],
        None,
    );
    assert_eq!(severity_of(&r), None, "{r:?}");
    assert_eq!(r.code, 0, "{r:?}");
    // Through the environment too.
    let mut cmd = common::tokenlint();
    let out = cmd
        .args(["check", &f, "--now", NOW])
        .current_dir(d)
        .env("TOKENLINT_CONFIG", &off)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "TOKENLINT_CONFIG");

    // An error finding promoted from info/warning fails the run.
    std::fs::write(
        d.join("strict.toml"),
        "[rules]\n\"pkce/verifier-unexpected\" = \"error\"\n",
    )
    .expect("write");
    let strict = path_str(&d.join("strict.toml")).to_owned();
    let unexpected = testdata("bad/pkce-verifier-unexpected.json");
    let r = run_in(
        d,
        &[
            "check",
            path_str(&unexpected),
            "-o",
            "json",
            "--now",
            NOW,
            "--config",
            &strict,
        ],
        None,
    );
    assert_eq!(r.code, 1, "{r:?}");

    // A config naming an unknown rule, an unknown key, a bad level or a
    // missing file is a usage error.
    for (name, text) in [
        ("unknown-rule.toml", "[rules]\n\"nope/nothing\" = \"off\"\n"),
        ("unknown-key.toml", "colour = true\n"),
        (
            "bad-level.toml",
            "[rules]\n\"pkce/verifier-length\" = \"loud\"\n",
        ),
        ("not-toml.toml", "[rules\n"),
    ] {
        std::fs::write(d.join(name), text).expect("write");
        let p = path_str(&d.join(name)).to_owned();
        let r = run_in(d, &["check", &f, "--now", NOW, "--config", &p], None);
        assert_eq!(r.code, 2, "{name}: {r:?}");
    }
    let r = run_in(
        d,
        &["check", &f, "--now", NOW, "--config", "missing.toml"],
        None,
    );
    assert_eq!(r.code, 2, "{r:?}");
    // --config and --no-config conflict.
    let r = run_in(d, &["check", &f, "--no-config", "--config", &off], None);
    assert_eq!(r.code, 2, "{r:?}");
}

// ---------------------------------------------------------------------------
// pkce

#[test]
fn pkce_challenge_is_rfc7636_appendix_b() {
    let r = run(&["pkce", "challenge", APP_B_VERIFIER]);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(r.stdout.trim(), APP_B_CHALLENGE);
    let r = run(&["pkce", "challenge", APP_B_VERIFIER, "-o", "json"]);
    assert_eq!(r.json()["code_challenge"], APP_B_CHALLENGE);
    let r = run(&["pkce", "challenge", APP_B_VERIFIER, "--method", "plain"]);
    assert_eq!(r.stdout.trim(), APP_B_VERIFIER);
}

/// A base64url verifier or challenge may start with `-` (1 in 64 generated
/// ones do): it is a value, not a flag.
#[test]
fn pkce_values_may_start_with_a_hyphen() {
    let v = "-BjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    let r = run(&["pkce", "challenge", v]);
    assert_eq!(r.code, 0, "{r:?}");
    let c = r.stdout.trim().to_owned();
    let r = run(&["pkce", "verify", "--verifier", v, "--challenge", &c]);
    assert_eq!(r.code, 0, "{r:?}");
    let r = run(&[
        "pkce",
        "verify",
        "--verifier",
        APP_B_VERIFIER,
        "--challenge",
        "-E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-c",
    ]);
    assert_eq!(r.code, 1, "{r:?}");
}

#[test]
fn pkce_verify_exit_codes() {
    let r = run(&[
        "pkce",
        "verify",
        "--verifier",
        APP_B_VERIFIER,
        "--challenge",
        APP_B_CHALLENGE,
    ]);
    assert_eq!(r.code, 0, "{r:?}");
    let r = run(&[
        "pkce",
        "verify",
        "--verifier",
        APP_B_VERIFIER,
        "--challenge",
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cN",
    ]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(
        r.stdout.contains(APP_B_CHALLENGE),
        "says what it should be: {r:?}"
    );
    let r = run(&["pkce", "verify", "--verifier", APP_B_VERIFIER]);
    assert_eq!(r.code, 2, "missing --challenge: {r:?}");
}

#[test]
fn pkce_generate_makes_a_valid_pair() {
    for len in ["43", "64", "128"] {
        let r = run(&["pkce", "generate", "--length", len, "-o", "json"]);
        assert_eq!(r.code, 0, "{r:?}");
        let v = r.json();
        let verifier = v["code_verifier"].as_str().expect("code_verifier");
        assert_eq!(verifier.len().to_string(), len);
        assert!(verifier
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._~".contains(c)));
        assert_eq!(v["code_challenge_method"], "S256");
        let again = run(&["pkce", "challenge", verifier]);
        assert_eq!(
            again.stdout.trim(),
            v["code_challenge"].as_str().expect("challenge")
        );
    }
    let a = run(&["pkce", "generate", "-o", "json"]).json();
    let b = run(&["pkce", "generate", "-o", "json"]).json();
    assert_ne!(a["code_verifier"], b["code_verifier"], "random each time");
    for len in ["42", "129", "0"] {
        let r = run(&["pkce", "generate", "--length", len]);
        assert_eq!(r.code, 2, "--length {len}: {r:?}");
    }
    let r = run(&["pkce", "generate", "--method", "plain", "-o", "json"]);
    let v = r.json();
    assert_eq!(v["code_verifier"], v["code_challenge"]);
}

// ---------------------------------------------------------------------------
// rules and explain

#[test]
fn rules_lists_every_rule() {
    let r = run(&["rules"]);
    assert_eq!(r.code, 0, "{r:?}");
    for id in [
        "input/invalid-json",
        "pkce/verifier-length",
        "pkce/verifier-charset",
    ] {
        assert!(r.stdout.contains(id), "{id}: {r:?}");
    }
    let r = run(&["rules", "-o", "json"]);
    let v = r.json();
    let rules = v.as_array().expect("an array of rules");
    let ids: Vec<&str> = rules.iter().filter_map(|x| x["id"].as_str()).collect();
    let unique: std::collections::BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(ids.len(), unique.len(), "no id twice");
    for x in rules {
        assert!(
            x["severity"].is_string() && x["summary"].is_string() && x["spec"].is_string(),
            "{x}"
        );
    }
    for id in &ids {
        let r = run(&["explain", id]);
        assert_eq!(r.code, 0, "explain {id}: {r:?}");
        assert!(r.stdout.starts_with(id), "explain {id}: {r:?}");
    }
}

#[test]
fn explain_shows_the_doc_and_rejects_unknown_ids() {
    let r = run(&["explain", "pkce/verifier-charset"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.contains("RFC 7636"), "{r:?}");
    assert!(r.stdout.contains("## Why"), "{r:?}");
    let r = run(&["explain", "pkce/no-such-rule"]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("pkce/no-such-rule"), "{r:?}");
    assert!(r.stderr.contains("tokenlint rules"), "{r:?}");
    // A near miss: the closest ids, the closest first.
    let r = run(&["explain", "pkce/verifier-lenght"]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.stderr.contains("did you mean pkce/verifier-length"),
        "suggests the closest rule first: {r:?}"
    );
    let r = run(&["explain"]);
    assert_eq!(r.code, 2, "{r:?}");
}

// ---------------------------------------------------------------------------
// secrets

const SECRETS: &[&str] = &[
    "HeaderSecret-q7Wz3Lm9Xv2PkJ",
    "BodySecret+Tq81xW3vP0nR",
    "RefreshToken-Yb5Hn2Kd8Qw4Zr",
    "AccessToken-Mv6Gc1Fs9Lp3Xt",
    "DeviceCode-Ue4Ja7Rb2Nh8Wq",
];

/// A request that puts a secret in every place one can be: the Basic
/// header's secret, `client_secret` (with a raw `+`, so a finding points
/// right at it), `refresh_token`, `accessToken`, plus findings elsewhere.
fn secret_body() -> String {
    serde_json::json!({
        "parameters": format!(
            "grant_type=refresh_token&refresh_token={}&client_id=s6BhdRkqt3&client_secret={}&device_code={}&scope=a&scope=b",
            SECRETS[2], SECRETS[1], SECRETS[4]
        ),
        "clientId": "s6BhdRkqt3",
        "clientSecret": SECRETS[0],
        "accessToken": SECRETS[3],
        "accessTokenDuration": 0,
    })
    .to_string()
}

fn assert_no_secret(what: &str, r: &Run) {
    for s in SECRETS {
        // The secret's distinctive tail: a masked display may keep a prefix.
        let tail = &s[s.len() - 10..];
        assert!(
            !r.all().contains(tail),
            "{what} shows the secret {s:?}:\n{r:?}"
        );
    }
}

#[test]
fn secrets_never_appear_in_any_output() {
    let dir = tempdir();
    let f = dir.path().join("secret.json");
    std::fs::write(&f, secret_body()).expect("write");
    let f = path_str(&f);
    for fmt in ["pretty", "json", "yaml", "table", "toon", "sarif", "github"] {
        let r = run(&[
            "check", f, "-o", fmt, "--now", NOW, "--debug", "--color", "never",
        ]);
        assert!(r.code == 1 || r.code == 0, "{fmt}: {r:?}");
        assert!(!r.stdout.trim().is_empty(), "{fmt}: {r:?}");
        assert_no_secret(&format!("check -o {fmt}"), &r);
    }
    // The finding about the `+` in the secret is there (so the masked source was shown).
    let r = run(&["check", f, "--now", NOW, "--color", "never"]);
    assert!(r.stdout.contains("client_secret"), "{r:?}");

    let body = secret_body();
    for fmt in ["pretty", "json"] {
        let r = run_stdin(
            &[
                "token",
                "process",
                "--body",
                "-",
                "--dry-run",
                "--debug",
                "-o",
                fmt,
                "--now",
                NOW,
            ],
            &body,
        );
        assert!(!is_parse_error(&r), "{r:?}");
        assert_no_secret(&format!("token process --body - --dry-run -o {fmt}"), &r);
    }
    // Secrets given as flags.
    let r = run(&[
        "token",
        "process",
        "--dry-run",
        "--debug",
        "--now",
        NOW,
        "--parameters",
        &format!(
            "grant_type=refresh_token&refresh_token={}&client_id=s6BhdRkqt3&client_secret={}",
            SECRETS[2], SECRETS[1]
        ),
        "--client-id",
        "s6BhdRkqt3",
        "--client-secret",
        SECRETS[0],
        "--access-token",
        SECRETS[3],
        "--bearer",
        "BearerApiToken-0123456789",
    ]);
    assert!(!is_parse_error(&r), "{r:?}");
    assert_no_secret("token process flags --dry-run --debug", &r);
    assert!(
        !r.all().contains("0123456789"),
        "the --bearer token is shown: {r:?}"
    );
}

#[test]
fn limits_from_the_config_give_findings_and_a_file_over_the_limit_is_exit_2() {
    let dir = tempdir();
    std::fs::write(
        dir.path().join("tokenlint.toml"),
        "now = 1767225600\n[limits]\nfile = 400\nfield = 64\n",
    )
    .unwrap();
    let small = r#"{"parameters":"grant_type=client_credentials&scope=a-scope-long-enough-to-pass-sixty-four-bytes-of-field","clientId":"app","clientSecret":"s3cr3t-s3cr3t"}"#;
    std::fs::write(dir.path().join("field.json"), small).unwrap();
    std::fs::write(
        dir.path().join("big.json"),
        format!("{{\"parameters\":\"{}\"}}", "a".repeat(500)),
    )
    .unwrap();
    let r = run_in(dir.path(), &["check", "-o", "json", "."], None);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let results = v["results"].as_array().unwrap();
    let big = results
        .iter()
        .find(|x| x["source"].as_str().unwrap().ends_with("big.json"))
        .unwrap();
    assert!(
        big["error"].as_str().unwrap().contains("limits.file"),
        "{big}"
    );
    let field = results
        .iter()
        .find(|x| x["source"].as_str().unwrap().ends_with("field.json"))
        .unwrap();
    let rules: Vec<_> = field["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"input/field-too-large"), "{rules:?}");
}

/// The server's identity and key sets, as flags and as `tokenlint.toml`
/// keys: an HS256 client assertion forged with an unknown `kid` passes as
/// "unverified" without the client's key set and fails with it; an `aud`
/// is "not checked" until the issuer is known.
#[test]
fn issuer_token_endpoint_and_key_sets_come_from_flags_and_config() {
    let forged = testdata("bad/client-auth-assertion-forged-hs256-kid.json");
    let jwks = testdata("jwks/client-rsa.jwks.json");
    let (forged, jwks) = (path_str(&forged), path_str(&jwks));
    let bare = run(&["check", "--now", NOW, "-o", "json", forged]);
    assert_eq!(bare.code, 0, "{bare:?}");
    let keyed = run(&[
        "check",
        "--now",
        NOW,
        "--client-jwks",
        jwks,
        "-o",
        "json",
        forged,
    ]);
    assert_eq!(keyed.code, 1, "{keyed:?}");
    let rules = rules_of(&keyed.json()["results"][0]);
    assert!(rules.iter().any(|r| r == "jwt/kid-unknown"), "{rules:?}");
    assert!(
        rules.iter().any(|r| r == "client-auth/assertion-alg"),
        "{rules:?}"
    );

    let good = testdata("good/client-credentials-private-key-jwt.json");
    let good = path_str(&good);
    let rules_with = |extra: &[&str]| {
        let mut args = vec!["check", "--now", NOW, "-o", "json"];
        args.extend_from_slice(extra);
        args.push(good);
        let r = run(&args);
        rules_of(&r.json()["results"][0])
    };
    let unknown = rules_with(&[]);
    assert!(
        unknown.iter().any(|r| r == "jwt/aud-unchecked"),
        "{unknown:?}"
    );
    let known = rules_with(&["--issuer", "https://as.example.com"]);
    assert!(!known.iter().any(|r| r.starts_with("jwt/aud")), "{known:?}");
    let endpoint = rules_with(&["--token-endpoint", "https://as.example.com/token"]);
    assert!(
        endpoint.iter().any(|r| r == "client-auth/assertion-aud"),
        "the aud is the issuer, not the endpoint, and only the endpoint is known: {endpoint:?}"
    );

    // The same from tokenlint.toml, the key set relative to the config.
    let dir = tempdir();
    copy(
        "bad/client-auth-assertion-forged-hs256-kid.json",
        &dir.path().join("a.json"),
    );
    copy(
        "jwks/client-rsa.jwks.json",
        &dir.path().join("keys/client.jwks.json"),
    );
    std::fs::write(
        dir.path().join("tokenlint.toml"),
        "issuer = \"https://as.example.com\"\nclient-jwks = \"keys/client.jwks.json\"\n",
    )
    .unwrap();
    let r = run_in(
        dir.path(),
        &["check", "--now", NOW, "-o", "json", "a.json"],
        None,
    );
    assert_eq!(r.code, 1, "{r:?}");
    let rules = rules_of(&r.json()["results"][0]);
    assert!(rules.iter().any(|r| r == "jwt/kid-unknown"), "{rules:?}");
    assert!(!rules.iter().any(|r| r == "jwt/aud-unchecked"), "{rules:?}");
    // A key file that is not there is a configuration error naming the key.
    std::fs::write(
        dir.path().join("tokenlint.toml"),
        "assertion-jwks = \"keys/missing.jwks.json\"\n",
    )
    .unwrap();
    let r = run_in(dir.path(), &["check", "--now", NOW, "a.json"], None);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("assertion-jwks"), "{r:?}");
}

/// `b64` outside `crit` is an error where the server follows RFC 7797 §6
/// and a warning under node-oidc-provider, which ignores the member (the
/// differential suite's case `b64/false-without-crit`).
#[test]
fn b64_without_crit_follows_the_profile() {
    let fixture = testdata("bad/dpop-b64-without-crit.json");
    let severity_under = |profile: &str| {
        let r = run(&[
            "check",
            "--now",
            NOW,
            "--profile",
            profile,
            "-o",
            "json",
            path_str(&fixture),
        ]);
        let findings = r.json()["results"][0]["findings"].clone();
        let found = findings.as_array().into_iter().flatten();
        let b64: Vec<String> = found
            .filter(|f| f["rule"] == "jwt/b64-without-crit")
            .map(|f| f["severity"].as_str().unwrap_or_default().to_owned())
            .collect();
        (r.code, b64)
    };
    assert_eq!(severity_under("authlete"), (1, vec!["error".to_owned()]));
    assert_eq!(
        severity_under("node-oidc-provider"),
        (0, vec!["warning".to_owned()])
    );
}
