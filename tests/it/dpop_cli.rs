//! The DPoP toolkit and rules end to end, through the built binary: keys
//! and proofs for every algorithm pass `dpop inspect` and the fixture lint,
//! a tampered proof fails, and each real failure report under
//! `testdata/dpop/reports/` raises the right rule with a clear message.

use std::process::Output;

use serde_json::Value;

use crate::common::{self, testdata, tokenlint, NOW};

const EP: &str = "https://as.example.com/token";

fn run(args: &[&str]) -> Output {
    tokenlint()
        .arg("--no-config")
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .expect("run tokenlint")
}

/// `tokenlint check PATH --now NOW` and `extra`.
fn check_at_now(path: &std::path::Path, extra: &[&str]) -> Output {
    let mut args = vec!["check", path.to_str().unwrap(), "--now", NOW];
    args.extend_from_slice(extra);
    run(&args)
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The dpop/ findings of a `check -o json` run: (rule, message).
fn dpop_findings(v: &Value) -> Vec<(String, String)> {
    v["results"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["findings"].as_array().unwrap().iter())
        .filter(|f| f["rule"].as_str().unwrap().starts_with("dpop/"))
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_owned(),
                f["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn keygen_proof_inspect_and_check_for_every_algorithm() {
    let dir = tempfile::tempdir().unwrap();
    for alg in ["ES256", "ES384", "ES512", "RS256", "PS256", "EdDSA"] {
        let key = dir.path().join(format!("{alg}.jwk"));
        let key_s = key.to_str().unwrap();
        let o = run(&["dpop", "keygen", "--alg", alg, "--out", key_s, "-o", "json"]);
        assert!(
            o.status.success(),
            "{alg}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let k = common::json(&o);
        let jkt = k["jkt"].as_str().unwrap().to_owned();
        assert!(k["jwk"].get("d").is_none(), "{alg}: private key printed");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&key).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "{alg}");
        }
        // Never overwritten.
        assert_eq!(
            run(&["dpop", "keygen", "--alg", alg, "--out", key_s])
                .status
                .code(),
            Some(2)
        );

        let o = run(&["dpop", "proof", "--key", key_s, "--htu", EP, "--now", NOW]);
        assert!(
            o.status.success(),
            "{alg}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let proof = stdout(&o).trim().to_owned();

        let o = run(&[
            "dpop", "inspect", &proof, "--htu", EP, "--now", NOW, "-o", "json",
        ]);
        let i = common::json(&o);
        assert!(o.status.success(), "{alg}: {i}");
        assert_eq!(i["signature"], "valid", "{alg}");
        assert_eq!(i["jkt"], jkt.as_str());
        assert_eq!(i["findings"].as_array().unwrap().len(), 0, "{alg}: {i}");
        assert!(
            i["payload"]["iat"].is_i64(),
            "{alg}: iat must be an integer"
        );
        assert_eq!(i["payload"]["iat"].as_i64(), Some(1_767_225_600));

        let o = run(&["dpop", "thumbprint", &proof]);
        assert_eq!(stdout(&o).trim(), jkt);

        // The fixture lint passes (rfc profile: every algorithm).
        let fixture = dir.path().join(format!("{alg}.json"));
        let body = serde_json::json!({
            "parameters": "grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA&redirect_uri=https%3A%2F%2Fclient.example.org%2Fcb&client_id=s6BhdRkqt3",
            "dpop": proof, "htu": EP,
        });
        std::fs::write(&fixture, body.to_string()).unwrap();
        let o = run(&[
            "check",
            fixture.to_str().unwrap(),
            "--now",
            NOW,
            "--profile",
            "rfc",
            "-o",
            "json",
        ]);
        assert_eq!(dpop_findings(&common::json(&o)), vec![], "{alg}");

        // A tampered proof fails: change the payload, keep the signature.
        let mut parts: Vec<String> = proof.split('.').map(str::to_owned).collect();
        let payload = String::from_utf8(
            base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, &parts[1])
                .unwrap(),
        )
        .unwrap()
        .replace("\"POST\"", "\"PUT\"");
        parts[1] =
            base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, payload);
        let tampered = parts.join(".");
        let o = run(&[
            "dpop", "inspect", &tampered, "--htu", EP, "--htm", "PUT", "--now", NOW, "-o", "json",
        ]);
        assert_eq!(o.status.code(), Some(1), "{alg}");
        let i = common::json(&o);
        assert_eq!(i["signature"], "invalid", "{alg}");
        assert!(i["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "dpop/signature"));
    }
}

#[test]
fn keygen_prints_a_private_key_only_when_asked() {
    let o = run(&["dpop", "keygen"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stdout(&o).is_empty());
    let o = run(&["dpop", "keygen", "--print-private-key"]);
    assert!(o.status.success());
    assert!(stdout(&o).contains("\"d\""));
}

#[test]
fn thumbprint_and_ath_vectors() {
    // RFC 9449 §6.1 / RFC 7638, and the §7.1 ath example.
    let jwk = r#"{"kty":"EC","x":"l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs","y":"9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDA","crv":"P-256"}"#;
    let o = run(&[
        "dpop",
        "thumbprint",
        jwk,
        "--access-token",
        "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU",
        "-o",
        "json",
    ]);
    let v = common::json(&o);
    assert_eq!(v["jkt"], "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I");
    assert_eq!(v["ath"], "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo");
    let ed = r#"{"crv":"Ed25519","kty":"OKP","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#;
    assert_eq!(
        stdout(&run(&["dpop", "thumbprint", ed])).trim(),
        "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"
    );
}

/// RFC 9449 §4.1 and §5 (refresh): the token-request examples share a jti.
const RFC_PROOF_1: &str = "eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7Imt0eSI6IkVDIiwieCI6Imw4dEZyaHgtMzR0VjNoUklDUkRZOXpDa0RscEJoRjQyVVFVZldWQVdCRnMiLCJ5IjoiOVZFNGpmX09rX282NHpiVFRsY3VOSmFqSG10NnY5VERWclUwQ2R2R1JEQSIsImNydiI6IlAtMjU2In19.eyJqdGkiOiItQndDM0VTYzZhY2MybFRjIiwiaHRtIjoiUE9TVCIsImh0dSI6Imh0dHBzOi8vc2VydmVyLmV4YW1wbGUuY29tL3Rva2VuIiwiaWF0IjoxNTYyMjYyNjE2fQ.2-GxA6T8lP4vfrg8v-FdWP0A0zdrj8igiMLvqRMUvwnQg4PtFLbdLXiOSsX0x7NVY-FNyJK70nfbV37xRZT3Lg";

#[test]
fn rfc9449_example_passes_at_its_time_and_is_stale_today() {
    let ok = run(&[
        "dpop",
        "inspect",
        RFC_PROOF_1,
        "--htu",
        "https://server.example.com/token",
        "--now",
        "1562262616",
        "-o",
        "json",
    ]);
    let v = common::json(&ok);
    assert!(ok.status.success(), "{v}");
    assert_eq!(v["signature"], "valid");
    assert_eq!(v["jkt"], "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I");
    let stale = run(&[
        "dpop",
        "inspect",
        RFC_PROOF_1,
        "--htu",
        "https://server.example.com/token",
        "--now",
        NOW,
        "-o",
        "json",
    ]);
    assert_eq!(stale.status.code(), Some(1));
    let v = common::json(&stale);
    assert_eq!(v["findings"][0]["rule"], "dpop/iat-out-of-window");
}

#[test]
fn replay_across_files_of_one_run() {
    let o = run(&[
        "check",
        testdata("dpop/examples/replay-1.json").to_str().unwrap(),
        testdata("dpop/examples/replay-2.json").to_str().unwrap(),
        "--now",
        NOW,
        "-o",
        "json",
    ]);
    // The second use is the replay, reported with the first file's name.
    let v = common::json(&o);
    let f = dpop_findings(&v);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].0, "dpop/replay");
    assert!(f[0].1.contains("ex-replay-Nm4bV7cX0z") && f[0].1.contains("replay-1.json"));
    assert!(v["results"][1]["source"]
        .as_str()
        .is_some_and(|s| s.ends_with("replay-2.json")));
    assert_eq!(v["results"][1]["findings"][0]["rule"], "dpop/replay");
    // One file alone is no replay.
    let o = run(&[
        "check",
        testdata("dpop/examples/replay-1.json").to_str().unwrap(),
        "--now",
        NOW,
        "-o",
        "json",
    ]);
    assert!(dpop_findings(&common::json(&o)).is_empty());
}

#[test]
fn each_failure_report_raises_the_right_rule() {
    let cases: &[(&str, &str, &[&str])] = &[
        (
            "proxy-path-prefix",
            "dpop/htu-mismatch",
            &["prefix `/auth`", "proxy"],
        ),
        (
            "proxy-scheme",
            "dpop/htu-mismatch",
            &["scheme differs", "X-Forwarded-Proto"],
        ),
        ("trailing-slash", "dpop/htu-mismatch", &["trailing slash"]),
        (
            "query-in-htu",
            "dpop/htu-query",
            &["?tenant=acme", "Nimbus and Spring"],
        ),
        (
            "clock-skew",
            "dpop/iat-out-of-window",
            &[
                "7 min 0 s (420 s) in the past",
                "2 min 0 s (120 s) outside the window",
            ],
        ),
        (
            "private-key-in-jwk",
            "dpop/jwk-private",
            &["private key", "`d`"],
        ),
        (
            "jit-typo",
            "dpop/claim-missing",
            &["no `jti`", "`jit` instead"],
        ),
        (
            "missing-nonce",
            "dpop/nonce-missing",
            &["dpopNonceRequired", "use_dpop_nonce"],
        ),
    ];
    for (file, rule, words) in cases {
        let path = testdata(&format!("dpop/reports/{file}.json"));
        let o = check_at_now(&path, &["-o", "json"]);
        // A missing nonce is answered with one to retry with: a warning.
        let exit = if rule == &"dpop/nonce-missing" { 0 } else { 1 };
        assert_eq!(o.status.code(), Some(exit), "{file}");
        let f = dpop_findings(&common::json(&o));
        assert_eq!(f.len(), 1, "{file}: {f:?}");
        assert_eq!(f[0].0, *rule, "{file}");
        for w in *words {
            assert!(f[0].1.contains(w), "{file}: {w:?} not in {:?}", f[0].1);
        }
    }
}

#[test]
fn private_keys_never_reach_the_output() {
    let path = testdata("dpop/reports/private-key-in-jwk.json");
    let fixture: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let proof = fixture["dpop"].as_str().unwrap();
    let header_b64 = proof.split('.').next().unwrap();
    let header: Value = serde_json::from_slice(
        &base64::Engine::decode(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD,
            header_b64,
        )
        .unwrap(),
    )
    .unwrap();
    let d = header["jwk"]["d"].as_str().unwrap();
    for fmt in ["pretty", "json"] {
        let o = check_at_now(&path, &["-o", fmt]);
        let out = stdout(&o);
        assert!(!out.contains(d), "{fmt}: private key printed");
        assert!(
            !out.contains(header_b64),
            "{fmt}: the header holding it printed"
        );
        assert!(out.contains("masked"), "{fmt}");
    }
    let o = run(&["dpop", "inspect", proof, "--now", NOW]);
    assert!(!stdout(&o).contains(d));
}

#[test]
fn pretty_output_shows_the_decoded_member() {
    let path = testdata("dpop/reports/trailing-slash.json");
    let o = check_at_now(&path, &["-o", "pretty"]);
    let out = stdout(&o);
    assert!(out.contains("DPoP proof payload (decoded)"), "{out}");
    assert!(
        out.contains("\"htu\": \"https://as.example.com/token/\""),
        "{out}"
    );
    let o = check_at_now(&path, &["-o", "json"]);
    let v = common::json(&o);
    let d = &v["results"][0]["findings"][0]["decoded"];
    let text = d["text"].as_str().unwrap();
    let l = &d["labels"][0];
    let (off, len) = (
        l["offset"].as_u64().unwrap() as usize,
        l["length"].as_u64().unwrap() as usize,
    );
    assert_eq!(
        &text[off..off + len],
        "\"htu\": \"https://as.example.com/token/\""
    );
}

#[test]
fn profile_all_says_which_servers_reject() {
    let path = testdata("dpop/good/eddsa.json");
    let o = check_at_now(&path, &["--profile", "all", "-o", "json"]);
    let v = common::json(&o);
    let f = &v["results"][0]["findings"][0];
    assert_eq!(f["rule"], "dpop/alg-not-allowed");
    assert_eq!(f["rejected_by"], serde_json::json!(["spring", "nimbus"]));
    let o = run(&["check", path.to_str().unwrap(), "--profile", "nope"]);
    assert_eq!(o.status.code(), Some(2));
    // Good ES256 proofs pass every profile.
    let path = testdata("dpop/good/es256.json");
    let o = check_at_now(&path, &["--profile", "all", "-o", "json"]);
    assert!(dpop_findings(&common::json(&o)).is_empty());
}

/// Runs tokenlint in `dir`, with whatever configuration it finds there.
fn run_in(dir: &std::path::Path, args: &[&str]) -> Output {
    tokenlint()
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .expect("run tokenlint")
}

fn system_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

#[test]
fn a_proof_uses_the_system_clock_whatever_the_configuration_pins() {
    let dir = tempfile::tempdir().unwrap();
    // A repository of its own, whose configuration pins the clock in the past.
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    std::fs::write(
        dir.path().join("tokenlint.toml"),
        "now = \"2020-01-01T00:00:00Z\"\n",
    )
    .unwrap();
    let key = dir.path().join("k.jwk");
    let key_s = key.to_str().unwrap();
    assert!(run_in(dir.path(), &["dpop", "keygen", "--out", key_s])
        .status
        .success());
    let iat = |extra: &[&str]| {
        let mut a = vec!["dpop", "proof", "--key", key_s, "--htu", EP, "-o", "json"];
        a.extend_from_slice(extra);
        let o = run_in(dir.path(), &a);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        common::json(&o)["payload"]["iat"].as_i64().unwrap()
    };
    let before = system_now();
    let made = iat(&[]);
    assert!(
        made >= before - 5 && made <= system_now() + 5,
        "iat {made} is not now ({before})"
    );
    // The command line still sets it.
    assert_eq!(iat(&["--now", NOW]), 1_767_225_600);
    assert_eq!(iat(&["--iat", "1700000000"]), 1_700_000_000);

    // Outside `check`, a command that judges times by the configuration's
    // clock says so on stderr; `check` (whose clock it is) does not.
    let proof = {
        let o = run_in(dir.path(), &["dpop", "proof", "--key", key_s, "--htu", EP]);
        stdout(&o).trim().to_owned()
    };
    let o = run_in(dir.path(), &["dpop", "inspect", &proof, "--htu", EP]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("tokenlint.toml") && stderr.contains("2020-01-01T00:00:00Z"),
        "{stderr}"
    );
    let o = run_in(
        dir.path(),
        &[
            "token",
            "process",
            "--parameters",
            "grant_type=client_credentials",
            "--client-id",
            "a",
            "--client-secret",
            "b",
        ],
    );
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("2020-01-01T00:00:00Z"), "{stderr}");
    // --now on the command line: no note.
    let o = run_in(
        dir.path(),
        &["dpop", "inspect", &proof, "--htu", EP, "--now", NOW],
    );
    assert!(
        !String::from_utf8_lossy(&o.stderr).contains("tokenlint.toml"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let fixture = dir.path().join("f.json");
    std::fs::write(
        &fixture,
        r#"{"parameters":"grant_type=client_credentials","clientId":"a","clientSecret":"b"}"#,
    )
    .unwrap();
    let o = run_in(dir.path(), &["check", "f.json"]);
    assert!(
        !String::from_utf8_lossy(&o.stderr).contains("2020-01-01"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// The rule ids a `check -o json` run raises at error severity.
fn error_rules(o: &Output) -> Vec<String> {
    rules_at(o, &["error"])
}

/// The rule ids a `check -o json` run raises at one of `severities`.
fn rules_at(o: &Output, severities: &[&str]) -> Vec<String> {
    common::json(o)["results"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["findings"].as_array().unwrap().iter())
        .filter(|f| severities.iter().any(|s| f["severity"] == *s))
        .map(|f| f["rule"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn check_takes_the_server_knobs_a_capture_cannot_carry() {
    let es256 = testdata("dpop/good/es256.json");
    let es256 = es256.to_str().unwrap();
    let check = |extra: &[&str]| {
        let mut args = vec!["check", es256, "--now", NOW, "-o", "json"];
        args.extend_from_slice(extra);
        run(&args)
    };
    assert!(!error_rules(&check(&[])).contains(&"dpop/alg-not-allowed".to_owned()));
    // The server allows ES384 only: the ES256 proof fails.
    let o = check(&["--dpop-algs", "ES384,EdDSA"]);
    assert!(error_rules(&o).contains(&"dpop/alg-not-allowed".to_owned()));
    assert!(stdout(&o).contains("dpop-algs"), "{}", stdout(&o));
    // Not an algorithm a proof may use: a usage error.
    assert_eq!(check(&["--dpop-algs", "HS256"]).status.code(), Some(2));
    // The server requires a nonce: the proof has none (a warning: the
    // server answers with one to retry with).
    let nonce_missing = "dpop/nonce-missing".to_owned();
    let o = check(&["--dpop-nonce-required"]);
    assert!(rules_at(&o, &["warning"]).contains(&nonce_missing));
    let o = check(&["--dpop-nonce-required=false"]);
    assert!(!rules_at(&o, &["error", "warning"]).contains(&nonce_missing));

    // The same knobs in tokenlint.toml, per [[overrides]].
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(es256, dir.path().join("a.json")).unwrap();
    std::fs::copy(es256, dir.path().join("b.json")).unwrap();
    std::fs::write(
        dir.path().join("tokenlint.toml"),
        format!(
            "now = {NOW}\ndpop-algs = [\"ES384\"]\n\n[[overrides]]\nfiles = [\"b.json\"]\n\
             dpop-algs = [\"ES256\"]\ndpop-nonce-required = true\n"
        ),
    )
    .unwrap();
    let o = run_in(dir.path(), &["check", ".", "-o", "json"]);
    let v = common::json(&o);
    let rules_of = |name: &str| -> Vec<String> {
        let r = v["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["source"].as_str().unwrap().ends_with(name))
            .unwrap();
        r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["severity"] == "error" || f["rule"] == "dpop/nonce-missing")
            .map(|f| f["rule"].as_str().unwrap().to_owned())
            .collect()
    };
    assert!(rules_of("a.json").contains(&"dpop/alg-not-allowed".to_owned()));
    assert!(!rules_of("b.json").contains(&"dpop/alg-not-allowed".to_owned()));
    assert!(rules_of("b.json").contains(&"dpop/nonce-missing".to_owned()));
}

#[test]
fn explain_and_profile_all_say_how_each_profile_is_known() {
    let o = run(&["explain", "dpop/typ"]);
    let text = stdout(&o);
    assert!(
        text.contains("node-oidc-provider: measured: tests/differential"),
        "{text}"
    );
    assert!(text.contains("keycloak: read: https://"), "{text}");
    let path = testdata("dpop/good/eddsa.json");
    let o = check_at_now(&path, &["--profile", "all"]);
    let text = stdout(&o);
    assert!(
        text.contains("rejected by: spring (read), nimbus (read)"),
        "{text}"
    );
}
