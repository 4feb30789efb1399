//! Issue 16, "a calmer CLI": a closed pipe ends every command quietly,
//! `token process` without a request is a usage error, and the release
//! build is small while a profile keeps the symbols.

use std::io::Read as _;
use std::process::{Output, Stdio};

use crate::common::{self, testdata, NOW};

/// Runs `args` with standard output (and with `close_stderr`, standard
/// error too) a pipe whose reader is gone before the binary writes a byte:
/// `tokenlint … | head -0`, deterministically.
fn with_closed_pipe(args: &[&str], close_stderr: bool) -> Output {
    let mut child = common::tokenlint()
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the tokenlint binary runs");
    drop(child.stdout.take());
    let mut stderr = String::new();
    if close_stderr {
        drop(child.stderr.take());
    } else if let Some(mut e) = child.stderr.take() {
        e.read_to_string(&mut stderr).expect("stderr");
    }
    let status = child.wait().expect("the binary ends");
    Output {
        status,
        stdout: Vec::new(),
        stderr: stderr.into_bytes(),
    }
}

/// Every command that writes to standard output, with the exit code it has
/// when the output is read.
fn writers() -> Vec<(Vec<String>, i32)> {
    let bad = testdata("bad/pkce-verifier-length.json");
    let good = testdata("good/authorization-code-pkce.json");
    let s = |v: &[&str]| v.iter().map(|a| (*a).to_owned()).collect::<Vec<_>>();
    let path = |p: &std::path::Path| p.display().to_string();
    vec![
        (s(&["completions", "bash"]), 0),
        (s(&["completions", "zsh"]), 0),
        (s(&["man"]), 0),
        (s(&["--usage"]), 0),
        (s(&["--help"]), 0),
        (s(&["check", "--help"]), 0),
        (s(&[]), 2),
        (s(&["rules"]), 0),
        (s(&["explain", "pkce/verifier-length"]), 0),
        (s(&["pkce", "generate"]), 0),
        (
            s(&[
                "pkce",
                "challenge",
                "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
            ]),
            0,
        ),
        (s(&["--no-config", "--now", NOW, "check", &path(&bad)]), 1),
        (
            s(&[
                "--no-config",
                "--now",
                NOW,
                "-o",
                "json",
                "check",
                &path(&good),
            ]),
            0,
        ),
        (
            s(&[
                "--no-config",
                "--now",
                NOW,
                "-o",
                "table",
                "check",
                &path(&bad),
            ]),
            1,
        ),
        (
            s(&[
                "--no-config",
                "--now",
                NOW,
                "-q",
                ".summary",
                "check",
                &path(&good),
            ]),
            0,
        ),
    ]
}

#[test]
fn a_closed_stdout_ends_every_command_quietly() {
    for (args, code) in writers() {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = with_closed_pipe(&args, false);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            out.status.code(),
            Some(code),
            "tokenlint {args:?} | head -0: {stderr}"
        );
        assert!(
            !stderr.contains("panicked") && !stderr.to_lowercase().contains("broken pipe"),
            "tokenlint {args:?} | head -0: {stderr}"
        );
    }
}

/// `2>&1 | head`: standard error closed too (a usage error, a debug log, a
/// note) ends quietly with the command's own exit code, not a panic (101).
#[test]
fn a_closed_stderr_ends_quietly_too() {
    let bad = testdata("bad/pkce-verifier-length.json")
        .display()
        .to_string();
    for (args, code) in [
        (vec!["token", "process"], 2),
        (vec!["check", "--now", "not-a-time", "x.json"], 2),
        (
            vec!["--debug", "--no-config", "--now", NOW, "check", &bad],
            1,
        ),
        (vec!["explain", "no/such-rule"], 2),
    ] {
        let out = with_closed_pipe(&args, true);
        assert_eq!(
            out.status.code(),
            Some(code),
            "tokenlint {args:?} 2>&1 | head -0"
        );
    }
}

#[test]
fn token_process_without_a_request_is_a_usage_error() {
    let out = common::tokenlint()
        .args(["--no-config", "token", "process"])
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("-p/--parameters"), "{stderr}");
    assert!(
        out.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // The service ID alone is not a request either.
    let out = common::tokenlint()
        .args(["--no-config", "token", "process", "-s", "123"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    // A request with a missing field is linted (exit 1), not refused.
    let out = common::tokenlint()
        .args(["--no-config", "token", "process", "--client-id", "c"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
}

/// `cargo install` builds the release profile: no debug information and no
/// symbols in it (the binary was 98 MB); `--profile profiling` keeps them.
#[test]
fn the_release_binary_is_stripped_and_profiling_keeps_symbols() {
    let manifest = std::fs::read_to_string(common::root().join("Cargo.toml")).unwrap();
    let doc: toml::Table = toml::from_str(&manifest).unwrap();
    let profile = |name: &str| -> toml::Table {
        doc.get("profile")
            .and_then(|p| p.get(name))
            .and_then(toml::Value::as_table)
            .cloned()
            .unwrap_or_else(|| panic!("no [profile.{name}] in Cargo.toml"))
    };
    let release = profile("release");
    let stripped = matches!(
        release.get("strip"),
        Some(toml::Value::Boolean(true)) | Some(toml::Value::String(_))
    ) && release.get("strip").and_then(toml::Value::as_str) != Some("none");
    let split = release
        .get("split-debuginfo")
        .and_then(toml::Value::as_str)
        .is_some_and(|s| s != "off");
    assert!(
        stripped || split,
        "[profile.release] neither strips nor splits debug info: {release:?}"
    );
    let profiling = profile("profiling");
    assert_eq!(
        profiling.get("inherits").and_then(toml::Value::as_str),
        Some("release")
    );
    let debug = profiling.get("debug");
    assert!(
        debug.is_some_and(|d| d.as_bool() != Some(false) && d.as_str() != Some("none")),
        "[profile.profiling] has no debug info: {profiling:?}"
    );
    assert_eq!(
        profiling.get("strip").and_then(toml::Value::as_str),
        Some("none"),
        "[profile.profiling] must keep the symbols"
    );
}

/// Every input is in exactly one bucket of the summary: clean (advice may
/// remain), warnings only, errors, expected errors, unreadable, skipped.
/// A request with only warnings used to count as neither clean nor failed.
#[test]
fn the_summary_adds_up() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let copy = |from: &str, to: &str| {
        std::fs::copy(testdata(from), d.join(to)).unwrap();
    };
    copy("good/authorization-code-pkce.json", "clean.json");
    copy("bad/params-empty-value.json", "warning.json");
    copy("bad/pkce-verifier-length.json", "error.json");
    std::fs::create_dir(d.join("expected")).unwrap();
    copy("bad/pkce-verifier-charset.json", "expected/error.json");
    std::fs::write(d.join("broken.json"), "{").unwrap();
    std::fs::write(
        d.join("other.har"),
        r#"{"log":{"entries":[{"request":{"method":"GET","url":"https://a.example/","headers":[]}}]}}"#,
    )
    .unwrap();
    std::fs::write(
        d.join("tokenlint.toml"),
        format!("now = {NOW}\n[[overrides]]\nfiles = [\"expected/**\"]\nexpect-errors = true\n"),
    )
    .unwrap();
    let out = common::tokenlint()
        .args(["-o", "json", "check", ".", "gone.json"])
        .current_dir(d)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stdout)));
    let s = &v["summary"];
    let n = |k: &str| {
        s[k].as_u64()
            .unwrap_or_else(|| panic!("no summary.{k}: {s}"))
    };
    assert_eq!(n("inputs"), 7, "{s}");
    assert_eq!(n("clean"), 1, "{s}");
    assert_eq!(n("inputs_with_warnings"), 1, "{s}");
    assert_eq!(n("inputs_with_errors"), 2, "{s}");
    assert_eq!(n("inputs_with_expected_errors"), 1, "{s}");
    assert_eq!(n("unreadable"), 1, "{s}");
    assert_eq!(n("skipped"), 1, "{s}");
    let sum: u64 = [
        "clean",
        "inputs_with_warnings",
        "inputs_with_errors",
        "inputs_with_expected_errors",
        "unreadable",
        "skipped",
    ]
    .iter()
    .map(|k| n(k))
    .sum();
    assert_eq!(sum, n("inputs"), "{s}");
    // The human line says the same.
    let out = common::tokenlint()
        .args(["check", ".", "gone.json"])
        .current_dir(d)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(
            "7 inputs checked: 1 clean, 1 with warnings only, 2 with errors, \
             1 with expected errors, 1 unreadable, 1 skipped"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("other.har: skipped: none of its 1 requests is a token request"),
        "{stdout}"
    );
}

/// A bad `--jq` expression gets jaq's own report: the expression with the
/// position marked and what is wrong there, not one flattened line.
#[test]
fn a_bad_jq_expression_shows_where() {
    let fixture = testdata("good/authorization-code-pkce.json");
    let out = common::tokenlint()
        .args(["--no-config", "--now", NOW, "-q", ".summary | foo("])
        .arg("check")
        .arg(&fixture)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.lines().count() >= 4, "one flattened line: {stderr}");
    assert!(stderr.contains("unclosed delimiter"), "{stderr}");
    // The caret line sits under the expression's line.
    let lines: Vec<&str> = stderr.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains(".summary | foo("))
        .unwrap_or_else(|| panic!("{stderr}"));
    assert!(
        lines[at + 1..]
            .iter()
            .any(|l| l.contains('┬') || l.contains('^')),
        "{stderr}"
    );
}

fn tokenlint_out(args: &[&str]) -> (i32, String, String) {
    let out = common::run(args);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `--help` groups flags under headings, and the Authlete call's flags
/// (about 10 of them) appear only on `token process`, where they apply.
#[test]
fn help_groups_flags_and_shows_send_flags_only_where_they_apply() {
    let (code, help, _) = tokenlint_out(&["token", "process", "--help"]);
    assert_eq!(code, 0);
    let at = |s: &str| {
        help.find(s)
            .unwrap_or_else(|| panic!("no {s:?} in:\n{help}"))
    };
    let request = at("\nAuthlete request");
    let sending = at("\nSending to Authlete");
    let output = at("\nOutput:");
    let config = at("\nConfiguration:");
    assert!(
        request < sending && sending < output && output < config,
        "{help}"
    );
    for flag in [
        "--server ",
        "--bearer ",
        "--dry-run",
        "--timeout ",
        "--send ",
        "--force",
    ] {
        let i = at(flag);
        assert!(
            sending < i && i < output,
            "{flag} is not under Sending:\n{help}"
        );
    }
    for flag in ["--parameters", "--client-id", "--dpop "] {
        let i = at(flag);
        assert!(
            request < i && i < sending,
            "{flag} is not under Authlete request:\n{help}"
        );
    }
    for cmd in [
        &["check", "--help"][..],
        &["dpop", "inspect", "--help"],
        &["--help"],
    ] {
        let (_, help, _) = tokenlint_out(cmd);
        for flag in [
            "--server",
            "--bearer",
            "--dry-run",
            "--timeout",
            "--header",
            "--include-headers",
        ] {
            assert!(!help.contains(flag), "{cmd:?} shows {flag}:\n{help}");
        }
        assert!(
            help.contains("\nOutput:") && help.contains("\nConfiguration:"),
            "{cmd:?}:\n{help}"
        );
    }
    // Where they do not apply they are not accepted either ...
    let (code, _, err) = tokenlint_out(&["check", "--dry-run", "x.json"]);
    assert_eq!(code, 2, "{err}");
    // ... and before the subcommand, as the authlete CLI takes them, they are.
    let (code, _, err) = tokenlint_out(&[
        "--no-config",
        "--timeout",
        "5s",
        "token",
        "process",
        "-p",
        "grant_type=client_credentials",
        "--client-id",
        "a",
        "--client-secret",
        "b",
    ]);
    assert_eq!(code, 0, "{err}");
}

/// The first input's finding of `rule` in a JSON report.
fn first_finding(json: &str, rule: &str) -> serde_json::Value {
    let v: serde_json::Value = serde_json::from_str(json).unwrap_or_else(|_| panic!("{json}"));
    v["results"][0]["findings"]
        .as_array()
        .and_then(|fs| fs.iter().find(|f| f["rule"] == rule))
        .unwrap_or_else(|| panic!("no {rule} in {json}"))
        .clone()
}

/// Advice that says nothing to act on is one line or gone: the x5t#S256
/// note names the certificate and its thumbprint without echoing the PEM;
/// an untyped assertion's advice has no snippet; `dpop inspect` without a
/// URL says so in one line; `scope` on an authorization code request is
/// not reported.
#[test]
fn correct_requests_are_quiet() {
    // x5t#S256 with a PEM given as a multi-line flag value.
    let pem = std::fs::read_to_string(testdata("certs/client-self-signed.pem")).unwrap();
    // The first lines may show as context; the rest of the PEM may not.
    let body_line = pem.lines().nth(4).unwrap().to_owned();
    let with_cert = |format: &str| {
        let args = [
            "--no-config",
            "--now",
            NOW,
            "-o",
            format,
            "token",
            "process",
            "-p",
            "grant_type=client_credentials&client_id=s6BhdRkqt3",
            "--client-certificate",
            &pem,
        ];
        tokenlint_out(&args).1
    };
    let out = with_cert("pretty");
    assert!(out.contains("x5t#S256"), "{out}");
    assert!(!out.contains(&body_line), "the PEM is echoed:\n{out}");
    let x5t = first_finding(&with_cert("json"), "cert/x5t-s256");
    let message = x5t["message"].as_str().unwrap();
    assert!(
        message.contains("CN=") && message.contains("has x5t#S256"),
        "{message}"
    );
    assert_eq!(x5t["labels"], serde_json::json!([]), "{x5t}");
    // An untyped client assertion: advice without a snippet.
    let fixture = testdata("assertion/examples/no-typ.json")
        .display()
        .to_string();
    let (_, out, _) =
        tokenlint_out(&["--no-config", "--now", NOW, "-o", "json", "check", &fixture]);
    let typ = first_finding(&out, "client-auth/assertion-typ");
    assert_eq!(typ["labels"], serde_json::json!([]), "{typ}");
    // dpop inspect without --htu.
    let proof = common::dpop_proof("https://as.example.com/token");
    let (code, out, _) = tokenlint_out(&["--no-config", "--now", NOW, "dpop", "inspect", &proof]);
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("htu-unknown-target"), "{out}");
    assert!(out.contains("htu: not compared"), "{out}");
    assert!(out.contains("0 warnings"), "{out}");
    // scope on an authorization code request.
    let (code, out, _) = tokenlint_out(&[
        "--no-config", "--now", NOW, "-o", "json", "token", "process",
        "-p", "grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA&redirect_uri=https%3A%2F%2Fc.example%2Fcb&scope=openid&code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
        "--client-id", "s6BhdRkqt3", "--client-secret", "7Fjfp0ZBr1KtDRbnfVdmIw",
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("grant/unknown-parameter"), "{out}");
}

/// Fix advice never suggests an encoding the check then rejects: `%2B` in a
/// verifier or a JWT is still a `+`.
#[test]
fn fix_advice_does_not_suggest_what_is_rejected() {
    let (_, out, _) = tokenlint_out(&[
        "--no-config", "--now", NOW, "-o", "json", "token", "process",
        "-p", "grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA&redirect_uri=https%3A%2F%2Fc.example%2Fcb&code_verifier=dBjftJeZ4CVP+mB92K27uhbUJU1p1r_wW1gFWFOEjXk&client_assertion=eyJhbGciOiJFUzI1NiJ9.e30+.AA&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|_| panic!("{out}"));
    let helps: Vec<(String, String)> = v["results"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_owned(),
                f["help"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    let charset = helps
        .iter()
        .find(|(r, _)| r == "pkce/verifier-charset")
        .unwrap_or_else(|| panic!("{out}"));
    assert!(!charset.1.contains("as %2B"), "{}", charset.1);
    assert!(
        charset.1.contains("tokenlint pkce generate"),
        "{}",
        charset.1
    );
    let plus = helps
        .iter()
        .find(|(r, h)| r == "params/plus-as-space" && h.contains("JWT"))
        .unwrap_or_else(|| panic!("{helps:?}"));
    assert!(!plus.1.contains("send it as %2B"), "{}", plus.1);
}

/// `dpop inspect` of a proof for `proof_htu`, against `htu`: (exit, JSON).
fn inspect_against(proof_htu: &str, htu: &str) -> (i32, String) {
    let proof = common::dpop_proof(proof_htu);
    let args = [
        "--no-config",
        "--now",
        NOW,
        "-o",
        "json",
        "dpop",
        "inspect",
        &proof,
        "--htu",
        htu,
    ];
    let (code, out, _) = tokenlint_out(&args);
    (code, out)
}

/// A scheme difference in `htu` is one hint, not also "the port differs".
#[test]
fn an_htu_scheme_difference_is_not_also_a_port_difference() {
    let (code, out) = inspect_against(
        "http://as.example.com/token",
        "https://as.example.com/token",
    );
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("the scheme differs (http vs https)"), "{out}");
    assert!(!out.contains("port differs"), "{out}");
    // An explicit port that differs is still named.
    let (_, out) = inspect_against(
        "http://as.example.com:8080/token",
        "https://as.example.com/token",
    );
    assert!(out.contains("the port differs (8080 vs 443)"), "{out}");
}

/// The flags that configure a lint (its clock, profile, keys, exit code)
/// show only on the commands that lint; elsewhere they are still accepted.
#[test]
fn lint_flags_show_only_where_something_is_linted() {
    let lint_flags = ["--profile", "--client-jwks", "--iat-window", "--exit-zero"];
    let help = |cmd: &[&str]| {
        let mut args = cmd.to_vec();
        args.push("--help");
        let (code, out, err) = tokenlint_out(&args);
        assert_eq!(code, 0, "{err}");
        out
    };
    for cmd in [
        &["pkce", "challenge"][..],
        &["pkce", "generate"],
        &["dpop", "keygen"],
        &["dpop", "thumbprint"],
        &["rules"],
        &["explain"],
        &["completions"],
    ] {
        let out = help(cmd);
        for flag in lint_flags.iter().chain(&["--now", "--config"]) {
            assert!(!out.contains(flag), "{cmd:?} shows {flag}:\n{out}");
        }
    }
    let proof = help(&["dpop", "proof"]);
    assert!(proof.contains("--now"), "{proof}");
    assert!(!proof.contains("--profile"), "{proof}");
    for cmd in [
        &["check"][..],
        &["token", "process"],
        &["dpop", "inspect"],
        &["cert", "inspect"],
        &["jwt", "inspect"],
    ] {
        let out = help(cmd);
        for flag in lint_flags.iter().chain(&["--now", "--config"]) {
            assert!(out.contains(flag), "{cmd:?} does not show {flag}:\n{out}");
        }
    }
    // Hidden, not refused: a script that passes them everywhere still runs.
    let (code, out, err) = tokenlint_out(&[
        "--no-config",
        "pkce",
        "challenge",
        "--profile",
        "strict",
        "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.trim(), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

/// A decoded view (a DPoP proof's payload, say) follows its finding under
/// its own title: never under a bare severity heading such as `Advice:`
/// with nothing after it (miette's heading for a related diagnostic).
#[test]
fn a_decoded_view_has_no_empty_heading() {
    let capture = testdata("captures/good/rfc9449-with-date-header.http")
        .display()
        .to_string();
    let bad = testdata("bad").display().to_string();
    let nonce = [
        "--no-config",
        "check",
        "--profile",
        "node-oidc-provider",
        "--dpop-nonce-required",
        &capture,
    ];
    for args in [&nonce[..], &["--no-config", "--now", NOW, "check", &bad]] {
        let (code, out, err) = tokenlint_out(args);
        assert!(code == 0 || code == 1, "{args:?}: exit {code}\n{err}");
        assert!(
            out.contains("(decoded)"),
            "{args:?} shows no decoded view:\n{out}"
        );
        for line in out.lines() {
            let heading = line.trim();
            assert!(
                !["Advice:", "Warning:", "Error:"].contains(&heading),
                "{args:?}: an empty heading {heading:?}:\n{out}"
            );
        }
    }
    let (_, out, _) = tokenlint_out(&nonce);
    assert!(
        out.contains("\n  ☞ DPoP proof payload (decoded)\n"),
        "{out}"
    );
}

/// The findings that say only "not checked, for want of a key or the
/// server's name" come on every correct request that has the JWT: one line
/// that names the flag to give, no snippet, severity info.
#[test]
fn not_checked_notes_are_one_line() {
    let run = |format: &str, file: &str, extra: &[&str]| {
        let path = testdata(file).display().to_string();
        let mut args = vec!["--no-config", "--now", NOW, "-o", format, "check"];
        args.extend_from_slice(extra);
        args.push(&path);
        tokenlint_out(&args).1
    };
    let jwt = "assertion/examples/good.json";
    let json = run("json", jwt, &[]);
    for (rule, flag) in [
        ("client-auth/assertion-unverified", "--client-jwks"),
        ("jwt/aud-unchecked", "--issuer"),
    ] {
        let f = first_finding(&json, rule);
        assert_eq!(f["severity"], "info", "{f}");
        assert_eq!(f["labels"], serde_json::json!([]), "{f}");
        assert!(f["message"].as_str().unwrap().contains(flag), "{f}");
    }
    // In pretty output: the finding's line, its help, and no snippet.
    let pretty = run("pretty", jwt, &[]);
    let block = pretty
        .split("\n\n")
        .skip_while(|b| b.trim() != "client-auth/assertion-unverified")
        .nth(1)
        .unwrap_or_else(|| panic!("{pretty}"));
    assert!(block.contains("--client-jwks"), "{block}");
    assert!(!block.contains('╭'), "a snippet:\n{pretty}");
    // `jwt inspect` still shows them with the JWT they are about.
    let path = testdata(jwt).display().to_string();
    let (_, inspect, _) = tokenlint_out(&["--no-config", "--now", NOW, "jwt", "inspect", &path]);
    for rule in ["client-auth/assertion-unverified", "jwt/aud-unchecked"] {
        assert!(inspect.contains(rule), "{rule}:\n{inspect}");
    }
    let untyped = testdata("assertion/examples/no-typ.json")
        .display()
        .to_string();
    let (_, inspect, _) = tokenlint_out(&["--no-config", "--now", NOW, "jwt", "inspect", &untyped]);
    assert!(inspect.contains("client-auth/assertion-typ"), "{inspect}");
    // Given the keys and the server, neither is said.
    let issuer = ["--issuer", "https://as.example.com"];
    let jwks = testdata("assertion/client.jwks.json").display().to_string();
    let json = run(
        "json",
        jwt,
        &[&issuer[..], &["--client-jwks", &jwks]].concat(),
    );
    assert!(!json.contains("assertion-unverified"), "{json}");
    assert!(!json.contains("aud-unchecked"), "{json}");
    // The JWT bearer grant's assertion likewise.
    let bearer = first_finding(
        &run("json", "good/jwt-bearer.json", &[]),
        "grant/assertion-unverified",
    );
    assert_eq!(bearer["labels"], serde_json::json!([]), "{bearer}");
    assert!(
        bearer["message"]
            .as_str()
            .unwrap()
            .contains("--assertion-jwks"),
        "{bearer}"
    );
    // The attestation's own note likewise.
    let att = first_finding(
        &run("json", "attestation/examples/good.json", &[]),
        "attestation/unverified",
    );
    assert_eq!(att["labels"], serde_json::json!([]), "{att}");
    assert!(
        att["message"].as_str().unwrap().contains("--attester-jwks"),
        "{att}"
    );
}

/// The `%2B` advice fits a token that may hold a real `+` (an opaque one);
/// a JWT-shaped token is base64url and cannot hold one, so its advice says
/// that, whatever the parameter.
#[test]
fn plus_advice_follows_the_value_shape() {
    let help_for = |name: &str, value: &str| {
        let params = format!(
            "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange\
             &{name}={value}&{name}_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Ajwt\
             &subject_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Ajwt"
        );
        let (_, out, _) = tokenlint_out(&[
            "--no-config",
            "--now",
            NOW,
            "-o",
            "json",
            "token",
            "process",
            "-p",
            &params,
            "--client-id",
            "s6BhdRkqt3",
            "--client-secret",
            "7Fjfp0ZBr1KtDRbnfVdmIw",
        ]);
        let f = first_finding(&out, "params/plus-as-space");
        f["help"]
            .as_str()
            .unwrap_or_else(|| panic!("{f}"))
            .to_owned()
    };
    let jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl+c2lnbmF0dXJl";
    for name in ["subject_token", "actor_token"] {
        let help = help_for(name, jwt);
        assert!(help.contains("cannot contain `+`"), "{name}: {help}");
        assert!(!help.contains("send it as %2B"), "{name}: {help}");
        let help = help_for(name, "accVkjcJyb4BWCxGsndE+SCJQbdFMogUC5PbRDqceLTC");
        assert!(help.contains("send it as %2B"), "{name}: {help}");
    }
}

/// `cert inspect` prints each certificate's x5t#S256; the `cert/x5t-s256`
/// note, which says the same for `check`, is not repeated under it.
#[test]
fn cert_inspect_does_not_repeat_the_thumbprint() {
    let chain = testdata("certs/chain.pem").display().to_string();
    let (code, out, err) = tokenlint_out(&["--no-config", "--now", NOW, "cert", "inspect", &chain]);
    assert_eq!(code, 0, "{err}");
    let thumbprint = "TBfKeARUEdlzEqlWs-HVbkPakLkEmI_u9-5ELIOTOQk";
    assert_eq!(out.matches(thumbprint).count(), 1, "{out}");
    assert!(!out.contains("cert/x5t-s256"), "{out}");
    // Its other findings are still there.
    assert!(out.contains("cert/path-includes-root"), "{out}");
}

/// `--profile all` words a finding as a server that rejects it does: not as
/// `strict`, which is no server and not in the finding's `rejected_by`.
#[test]
fn profile_all_names_a_server_that_rejects() {
    let proof = testdata("dpop/good/es384.json").display().to_string();
    let args = ["-o", "json", "check", "--profile", "all", &proof];
    let (code, out, err) = tokenlint_out(&[&["--no-config", "--now", NOW][..], &args].concat());
    assert_eq!(code, 1, "{err}");
    let f = first_finding(&out, "dpop/alg-not-allowed");
    assert_eq!(
        f["rejected_by"],
        serde_json::json!(["node-oidc-provider"]),
        "{f}"
    );
    let message = f["message"].as_str().unwrap();
    assert!(message.contains("node-oidc-provider"), "{message}");
    assert!(!message.contains("strict"), "{message}");
}

/// What there is to fix comes first: a one-line note with no place (the
/// certificate's thumbprint, "not checked: no key given") follows the
/// findings that point into the request, whatever their severity.
#[test]
fn placeless_notes_follow_what_there_is_to_fix() {
    for (file, first, last) in [
        (
            "certs/examples/expired.json",
            "cert/expired",
            "cert/x5t-s256",
        ),
        (
            "assertion/examples/expired.json",
            "client-auth/assertion-exp",
            "jwt/aud-unchecked",
        ),
    ] {
        let path = testdata(file).display().to_string();
        let args = ["--no-config", "--now", NOW, "-o", "json", "check", &path];
        let (_, out, _) = tokenlint_out(&args);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|_| panic!("{out}"));
        let rules: Vec<&str> = v["results"][0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"].as_str().unwrap())
            .collect();
        assert_eq!(rules.first(), Some(&first), "{file}: {rules:?}");
        assert_eq!(rules.last(), Some(&last), "{file}: {rules:?}");
    }
}

/// Issue 12: JSON that is plainly not a token request, met in a folder walk,
/// is counted in the summary line ("3 skipped (3 not token requests …)"),
/// not given a note each: a pre-commit hook over a project folder stays
/// quiet. `-o table` and `-o json` still list each one, and a skip for
/// another reason keeps its note.
#[test]
fn a_walk_counts_foreign_json_in_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("key.json"),
        r#"{"kty":"EC","crv":"P-256","x":"a","y":"b"}"#,
    )
    .unwrap();
    std::fs::write(d.join("keys.json"), r#"{"keys":[]}"#).unwrap();
    std::fs::write(d.join("package.json"), r#"{"name":"x","version":"1.0.0"}"#).unwrap();
    std::fs::copy(
        testdata("good/authorization-code-pkce.json"),
        d.join("request.json"),
    )
    .unwrap();
    let run = |format: &str| {
        let out = common::tokenlint_at_home(d)
            .args(["--no-config", "--now", NOW, "-o", format, "check", "."])
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let pretty = run("pretty");
    assert!(!pretty.contains("not a token request"), "{pretty}");
    assert!(
        pretty.contains("3 skipped (3 not token requests: name one to lint it;"),
        "{pretty}"
    );
    let table = run("table");
    for name in ["key.json", "keys.json", "package.json"] {
        assert!(table.contains(name), "{name}: {table}");
    }
    let json: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    assert_eq!(json["summary"]["skipped"], 3, "{json}");
}
