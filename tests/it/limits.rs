//! A fixture far over the field size limit, end to end: the one finding,
//! pointing at the field, the exit code, and its secrets masked in every
//! output format. (Memory is measured by bench/scale.sh, not here.)

use std::process::Stdio;

use crate::common::{self, NOW};

const SECRET: &str = "hunter2-hunter2-hunter2";

/// An 8 MB `parameters` on one line, a secret parameter first.
fn big_fixture(dir: &std::path::Path) -> std::path::PathBuf {
    let mut params = format!("client_secret={SECRET}&grant_type=client_credentials");
    let scope = format!("&scope={}", "a".repeat(1000));
    while params.len() < 8 << 20 {
        params.push_str(&scope);
    }
    let path = dir.join("big.json");
    std::fs::write(
        &path,
        format!(
            r#"{{"parameters": "{params}", "clientId": "app", "clientSecret": "cs-9f2a7b1e4d"}}"#
        ),
    )
    .expect("the fixture is written");
    path
}

fn check(path: &std::path::Path, format: &str) -> (Option<i32>, String) {
    let out = common::tokenlint()
        .args(["check", "--no-config", "--now", NOW, "-o", format])
        .arg(path)
        .stdin(Stdio::null())
        .output()
        .expect("the tokenlint binary runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stdout.contains(SECRET) && !stderr.contains(SECRET),
        "-o {format} shows the secret"
    );
    assert!(
        !stdout.contains("cs-9f2a7b1e4d"),
        "-o {format} shows the client secret"
    );
    (out.status.code(), stdout)
}

#[test]
fn a_field_over_the_limit_is_one_finding_at_the_field() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = big_fixture(dir.path());

    let (code, json) = check(&path, "json");
    assert_eq!(code, Some(1), "{json}");
    let v: serde_json::Value = serde_json::from_str(&json).expect("JSON output");
    let findings = v["results"][0]["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 1, "{json}");
    let f = &findings[0];
    assert_eq!(f["rule"], "input/field-too-large");
    assert_eq!(f["field"], "parameters");
    // The label is on the first byte of the value, after `{"parameters": "`.
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(1), Some(17)),
        "{f}"
    );
    assert!(
        f["message"].as_str().unwrap_or("").contains("limits.field"),
        "{f}"
    );

    let (code, pretty) = check(&path, "pretty");
    assert_eq!(code, Some(1));
    assert!(pretty.contains("input/field-too-large"), "{pretty}");
    assert!(pretty.contains("client_secret=****"), "{pretty}");
    // The 8 MB line is cropped around the label, not printed.
    assert!(
        pretty.len() < 4096,
        "{} bytes of pretty output",
        pretty.len()
    );

    // SARIF is for upload: exit 0, the results are in the file.
    let (code, sarif) = check(&path, "sarif");
    assert_eq!(code, Some(0));
    assert!(
        sarif.contains("\"ruleId\": \"input/field-too-large\""),
        "{sarif:.2000}"
    );
}

/// A curl command over the size tokenlint splits into words is one error
/// naming the limit, with nothing of it shown (its secrets were not found).
#[test]
fn a_curl_command_over_the_limit_is_refused_with_its_secrets_hidden() {
    let dir = std::env::temp_dir().join(format!("tokenlint-curl-limit-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temp dir");
    let path = dir.join("big.curl");
    let data = "a".repeat(tokenlint::request::curl::MAX_COMMAND_BYTES);
    std::fs::write(
        &path,
        format!("curl -u app:{SECRET} https://as.example.com/token -d 'scope={data}'"),
    )
    .expect("the command is written");
    for format in ["pretty", "json"] {
        let (code, out) = check(&path, format);
        assert_eq!(code, Some(1), "-o {format}");
        assert!(out.contains("input/http-syntax"), "-o {format}");
        assert!(out.contains("over the 4 MiB"), "-o {format}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// An ~8 MB form body, with the request's Basic credentials
/// (`app:{SECRET}`, base64) in an `Authorization` header.
fn big_body() -> (String, String) {
    use base64::Engine as _;
    let mut body = "grant_type=client_credentials&client_id=app".to_owned();
    let scope = format!("&scope={}", "a".repeat(1000));
    while body.len() < 8 << 20 {
        body.push_str(&scope);
    }
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("app:{SECRET}"));
    (body, basic)
}

/// A capture whose body is far over the field size limit (a raw HTTP
/// request, a HAR entry): one `input/field-too-large` at the body's first
/// byte, exit 1, and the Basic credentials never shown, in any format.
#[test]
fn a_capture_body_over_the_limit_is_one_finding_at_the_body() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let (body, basic) = big_body();
    let scope = format!("&scope={}", "a".repeat(1000));
    let http = format!(
        "POST /token HTTP/1.1\r\nHost: as.example.com\r\nContent-Type: application/x-www-form-urlencoded\r\nAuthorization: Basic {basic}\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    // One line, the Authorization header just before the body, so a
    // snippet of the body's line could show it.
    let har = format!(
        r#"{{"log":{{"version":"1.2","entries":[{{"request":{{"method":"POST","url":"https://as.example.com/token","headers":[{{"name":"Content-Type","value":"application/x-www-form-urlencoded"}},{{"name":"Authorization","value":"Basic {basic}"}}],"postData":{{"mimeType":"application/x-www-form-urlencoded","text":"{body}"}}}}}}]}}}}"#
    );
    for (file, text, source, line) in [
        ("big.http", &http, "big.http", 7),
        ("big.har", &har, "big.har#entries[0]", 1),
    ] {
        let path = dir.path().join(file);
        std::fs::write(&path, text).expect("the capture is written");
        let offset = text.find("grant_type=").expect("the body");
        let column = offset - text[..offset].rfind('\n').map_or(0, |i| i + 1) + 1;

        let (code, json) = check(&path, "json");
        assert_eq!(code, Some(1), "{file}: {json:.2000}");
        assert!(
            !json.contains(&basic),
            "{file}: -o json shows the credentials"
        );
        let v: serde_json::Value = serde_json::from_str(&json).expect("JSON output");
        let results = v["results"].as_array().expect("results");
        assert_eq!(results.len(), 1, "{file}: {json:.2000}");
        assert!(
            results[0]["source"]
                .as_str()
                .is_some_and(|s| s.ends_with(source)),
            "{file}: {}",
            results[0]["source"]
        );
        let findings = results[0]["findings"].as_array().expect("findings");
        assert_eq!(findings.len(), 1, "{file}: {json:.2000}");
        let f = &findings[0];
        assert_eq!(f["rule"], "input/field-too-large", "{file}");
        assert_eq!(f["field"], "parameters", "{file}");
        assert_eq!(f["span"]["offset"].as_u64(), Some(offset as u64), "{file}");
        assert_eq!(
            (f["line"].as_u64(), f["column"].as_u64()),
            (Some(line), Some(column as u64)),
            "{file}: {f}"
        );
        assert!(
            f["message"]
                .as_str()
                .is_some_and(|m| m.contains(&format!("is {} bytes", body.len()))),
            "{file}: {f}"
        );

        for format in ["pretty", "table", "github", "yaml", "sarif"] {
            let (code, out) = check(&path, format);
            // SARIF is for upload: exit 0, the results are in the file.
            let want = if format == "sarif" { 0 } else { 1 };
            assert_eq!(code, Some(want), "{file} -o {format}: {out:.2000}");
            assert!(out.contains("input/field-too-large"), "{file} -o {format}");
            assert!(
                !out.contains(&basic),
                "{file}: -o {format} shows the credentials"
            );
            // The 8 MB body is cropped or left out, never printed.
            assert!(!out.contains(&scope), "{file}: -o {format} prints the body");
        }
    }
}

/// A `parameters` of `a&a&…` raises a finding per repetition: the findings
/// of one rule stop at `limits.findings-per-rule` and all of them at
/// `limits.findings-per-input`, each cap closed by one finding counting the
/// rest, and both caps are configurable.
#[test]
fn findings_are_capped_with_a_closing_count() {
    const N: usize = 50_000;
    let dir = tempfile::tempdir().expect("a temporary folder");
    let params = format!("grant_type=client_credentials{}", "&a".repeat(N));
    let fixture = dir.path().join("many.json");
    std::fs::write(
        &fixture,
        format!(r#"{{"parameters": "{params}", "clientId": "app", "clientSecret": "s3cr3t"}}"#),
    )
    .expect("the fixture is written");
    let run = |config: Option<&str>| -> Vec<serde_json::Value> {
        let mut c = common::tokenlint();
        c.args(["check", "--now", NOW, "-o", "json"]);
        match config {
            Some(text) => {
                let path = dir.path().join("tokenlint.toml");
                std::fs::write(&path, text).expect("the config is written");
                c.arg("--config").arg(path);
            }
            None => {
                c.arg("--no-config");
            }
        }
        let out = c.arg(&fixture).output().expect("tokenlint runs");
        assert_eq!(out.status.code(), Some(1));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON output");
        v["results"][0]["findings"]
            .as_array()
            .expect("findings")
            .clone()
    };
    let of = |findings: &[serde_json::Value], rule: &str| -> Vec<String> {
        findings
            .iter()
            .filter(|f| f["rule"] == rule)
            .map(|f| f["message"].as_str().unwrap_or("").to_owned())
            .collect()
    };

    let findings = run(None);
    assert_eq!(of(&findings, "params/empty-value").len(), 100);
    let closing = of(&findings, "input/findings-suppressed");
    assert_eq!(closing.len(), 1, "{closing:?}");
    let more = format!(
        "{} more findings of `params/empty-value` suppressed",
        N - 100
    );
    assert!(closing[0].contains(&more), "{closing:?}");
    assert!(findings.len() < 120, "{} findings", findings.len());

    let findings = run(Some("[limits]\nfindings-per-rule = 5\n"));
    assert_eq!(of(&findings, "params/empty-value").len(), 5);
    let more = format!("{} more findings", N - 5);
    assert!(of(&findings, "input/findings-suppressed")[0].contains(&more));

    let findings = run(Some("[limits]\nfindings-per-input = 3\n"));
    let closing = of(&findings, "input/findings-suppressed");
    assert_eq!(findings.len(), 3 + closing.len(), "{findings:?}");
    assert!(
        closing
            .iter()
            .any(|m| m.contains("limits.findings-per-input")),
        "{closing:?}"
    );
}
