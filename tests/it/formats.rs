//! Every output format of `check` carries the same findings: YAML and TOON
//! parse back to the JSON document, SARIF has the members GitHub code
//! scanning requires, `github` prints well-formed workflow annotations, and
//! `--jq` filters the same document whatever `-o` says.
//!
//! Runs from the repository root with relative paths, `--no-config` and a
//! pinned clock, so nothing depends on the machine.

use serde_json::Value;

use crate::common::{self, root, NOW};

/// A mix: errors, warnings, info, a finding with a decoded view (DPoP), a
/// capture, a HAR with several entries, a clean file and a broken one.
const INPUTS: &[&str] = &[
    "testdata/bad/multi-postman-plus.json",
    "testdata/bad/pkce-verifier-length.json",
    "testdata/bad/grant-password-deprecated.json",
    "testdata/broken/trailing-comma.json",
    "testdata/dpop/reports/proxy-scheme.json",
    "testdata/captures/bad/basic-no-colon.http",
    "testdata/captures/bad/plain-http-and-stale-proof.har",
    "testdata/good/ciba.json",
];

const FORMATS: &[&str] = &["pretty", "json", "yaml", "table", "toon", "sarif", "github"];

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn tokenlint(args: &[&str]) -> Run {
    let mut c = common::tokenlint();
    c.current_dir(root())
        .args(["--no-config", "--now", NOW, "--color", "never"])
        .args(args)
        .env("COLUMNS", "100");
    let out = c.output().expect("the tokenlint binary runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn check(format: &str, extra: &[&str]) -> Run {
    let mut args = vec!["check", "-o", format];
    args.extend_from_slice(extra);
    args.extend_from_slice(INPUTS);
    let r = tokenlint(&args);
    assert!(
        r.code == 0 || r.code == 1,
        "-o {format}: exit {}\n{}",
        r.code,
        r.stderr
    );
    r
}

fn json_doc() -> Value {
    let r = check("json", &[]);
    assert_eq!(r.code, 1, "the inputs have errors: {}", r.stderr);
    serde_json::from_str(&r.stdout).expect("-o json is JSON")
}

/// (source, rule, severity, message, line, column) of every finding.
fn findings(doc: &Value) -> Vec<(String, String, String, String, Value, Value)> {
    let mut out = Vec::new();
    for r in doc["results"].as_array().expect("results") {
        for f in r["findings"].as_array().expect("findings") {
            out.push((
                r["source"].as_str().unwrap_or_default().to_owned(),
                f["rule"].as_str().unwrap_or_default().to_owned(),
                f["severity"].as_str().unwrap_or_default().to_owned(),
                f["message"].as_str().unwrap_or_default().to_owned(),
                f["line"].clone(),
                f["column"].clone(),
            ));
        }
    }
    out
}

#[test]
fn json_is_the_versioned_document_with_every_input() {
    let doc = json_doc();
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["tool"]["name"], "tokenlint");
    let sources: Vec<&str> = doc["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter_map(|r| r["source"].as_str())
        .collect();
    for input in INPUTS {
        assert!(
            sources.iter().any(|s| s.starts_with(input)),
            "{input} missing from {sources:?}"
        );
    }
    let fs = findings(&doc);
    assert!(fs.iter().any(|f| f.2 == "error"));
    assert!(fs.iter().any(|f| f.2 == "warning"));
    assert!(fs.iter().any(|f| f.2 == "info"));
    assert_eq!(
        doc["summary"]["errors"].as_u64(),
        Some(fs.iter().filter(|f| f.2 == "error").count() as u64)
    );
}

#[test]
fn yaml_parses_back_to_the_json_document() {
    let json = json_doc();
    let r = check("yaml", &[]);
    let yaml: Value = serde_norway::from_str(&r.stdout).expect("-o yaml is YAML");
    assert_eq!(findings(&yaml), findings(&json));
    assert_eq!(yaml, json);
}

#[test]
fn toon_round_trips_through_the_decoder() {
    let json = json_doc();
    let r = check("toon", &[]);
    let toon: Value = toon_format::decode_default(&r.stdout)
        .unwrap_or_else(|e| panic!("-o toon does not decode: {e}\n{}", r.stdout));
    assert_eq!(findings(&toon), findings(&json));
    assert_eq!(toon, json);
}

#[test]
fn agent_mode_defaults_to_toon() {
    let json = json_doc();
    let mut args = vec!["--agent-mode=true", "check"];
    args.extend_from_slice(INPUTS);
    let r = tokenlint(&args);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let toon: Value = toon_format::decode_default(&r.stdout).expect("agent mode prints TOON");
    assert_eq!(toon, json);
}

#[test]
fn sarif_has_the_members_github_code_scanning_requires() {
    let json = json_doc();
    let r = check("sarif", &[]);
    assert_eq!(r.code, 0, "SARIF is for upload: exit 0");
    let sarif: Value = serde_json::from_str(&r.stdout).expect("-o sarif is JSON");
    assert!(sarif["$schema"]
        .as_str()
        .is_some_and(|s| s.contains("sarif-2.1.0")));
    assert_eq!(sarif["version"], "2.1.0");
    let runs = sarif["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "tokenlint");
    let rules = driver["rules"].as_array().expect("driver.rules");
    assert!(!rules.is_empty());
    for rule in rules {
        let id = rule["id"].as_str().expect("rule id");
        assert!(
            rule["shortDescription"]["text"]
                .as_str()
                .is_some_and(|t| !t.is_empty()),
            "{id}: shortDescription.text"
        );
        assert!(
            rule["help"]["text"].as_str().is_some_and(|t| !t.is_empty()),
            "{id}: help.text"
        );
    }
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), findings(&json).len());
    for res in results {
        let id = res["ruleId"].as_str().expect("ruleId");
        assert!(
            rules.iter().any(|r| r["id"] == id),
            "{id} not in driver.rules"
        );
        if let Some(i) = res["ruleIndex"].as_u64() {
            assert_eq!(rules[i as usize]["id"], id, "ruleIndex");
        }
        assert!(["error", "warning", "note"].contains(&res["level"].as_str().unwrap_or("")));
        assert!(res["message"]["text"]
            .as_str()
            .is_some_and(|t| !t.is_empty()));
        let loc = &res["locations"][0]["physicalLocation"];
        let uri = loc["artifactLocation"]["uri"].as_str().expect("uri");
        assert!(
            uri.starts_with("testdata/") && !uri.starts_with('/'),
            "{uri}: a path relative to the repository root"
        );
        let region = &loc["region"];
        assert!(region["startLine"].as_u64().is_some_and(|l| l >= 1), "{id}");
        if let Some(c) = region["startColumn"].as_u64() {
            assert!(c >= 1);
        }
        let fp = res["partialFingerprints"]
            .as_object()
            .expect("partialFingerprints");
        assert!(!fp.is_empty());
        assert!(fp
            .values()
            .all(|v| v.as_str().is_some_and(|s| !s.is_empty())));
    }
    // Every finding with a span has a startColumn.
    assert!(results
        .iter()
        .any(|r| r["locations"][0]["physicalLocation"]["region"]["startColumn"].is_u64()));
}

#[test]
fn github_prints_one_annotation_per_finding() {
    let json = json_doc();
    let r = check("github", &[]);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), findings(&json).len(), "{}", r.stdout);
    for (line, f) in lines.iter().zip(findings(&json)) {
        let kind = match f.2.as_str() {
            "error" => "error",
            "warning" => "warning",
            _ => "notice",
        };
        let prefix = format!("::{kind} file=");
        assert!(line.starts_with(&prefix), "{line}");
        let (props, message) = line[2..].split_once("::").expect("::message");
        assert!(!message.is_empty() && !message.contains('\n'));
        assert!(
            props.contains(&format!("title={}", f.1)),
            "{line}: title is the rule id"
        );
        if let (Some(l), Some(c)) = (f.4.as_u64(), f.5.as_u64()) {
            assert!(props.contains(&format!(",line={l},col={c},")), "{line}");
        }
    }
}

#[test]
fn jq_filters_the_json_document_in_every_format() {
    let json = json_doc();
    let expr = "[.results[].findings[] | select(.severity == \"error\") | .rule] | unique | .[]";
    let mut expected: Vec<String> = findings(&json)
        .into_iter()
        .filter(|f| f.2 == "error")
        .map(|f| f.1)
        .collect();
    expected.sort();
    expected.dedup();
    for format in FORMATS {
        let r = check(format, &["--jq", expr]);
        let got: Vec<String> = r.stdout.lines().map(str::to_owned).collect();
        assert_eq!(got, expected, "-o {format} --jq");
        let r = check(format, &["--jq", ".summary.errors"]);
        assert_eq!(
            r.stdout.trim(),
            json["summary"]["errors"].to_string(),
            "-o {format}"
        );
    }
    // Strings come out raw (like `jq -r`), other values as JSON.
    // A bad expression is a usage error.
    let r = check_code("json", &["--jq", ".results[] |"]);
    assert_eq!(r, 2);
}

fn check_code(format: &str, extra: &[&str]) -> i32 {
    let mut args = vec!["check", "-o", format];
    args.extend_from_slice(extra);
    args.extend_from_slice(INPUTS);
    tokenlint(&args).code
}

#[test]
fn machine_formats_have_no_colour_even_when_forced() {
    for format in ["json", "yaml", "toon", "sarif", "github"] {
        let r = check(format, &["--color", "always"]);
        assert!(!r.stdout.contains('\u{1b}'), "-o {format} has ANSI escapes");
        assert!(
            !r.stderr.contains('\u{1b}'),
            "-o {format}: stderr has ANSI escapes"
        );
    }
}

/// Our TOON writer (src/report/toon.rs) against toon_format, the encoder it
/// replaced, byte for byte: `-o toon` against toon_format on `-o json`'s
/// document; and our writer on each result of every fixture
/// (`{"results": [result]}`), on the whole document and on its summary,
/// with the default profile and with `--profile all`.
#[test]
fn toon_writer_equals_toon_format_on_every_fixture() {
    let options = toon_format::EncodeOptions::default();
    let runs: &[&[&str]] = &[
        &["testdata"],
        &["testdata/attacks"],
        &["testdata/captures"],
        &["testdata", "--profile", "all"],
    ];
    let mut results = 0;
    for args in runs {
        let mut argv = vec!["check", "-o", "json"];
        argv.extend_from_slice(args);
        let r = tokenlint(&argv);
        let doc: Value = serde_json::from_str(&r.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: -o json is JSON: {e}\n{}", r.stderr));
        // `-o toon` writes each result from the report's structs, not from
        // this document: the whole output is what toon_format makes of it.
        let mut argv = vec!["check", "-o", "toon"];
        argv.extend_from_slice(args);
        let toon = tokenlint(&argv).stdout;
        let whole = toon_format::encode_object(&doc, &options).expect("toon_format encodes");
        assert_eq!(toon, format!("{whole}\n"), "{args:?}: -o toon");
        let mut docs = vec![
            doc.clone(),
            serde_json::json!({ "summary": doc["summary"] }),
        ];
        for result in doc["results"].as_array().expect("results") {
            docs.push(serde_json::json!({ "results": [result] }));
            results += 1;
        }
        for d in &docs {
            let theirs = toon_format::encode_object(d, &options).expect("toon_format encodes");
            let mut ours = String::new();
            tokenlint::report::toon::encode(d, &mut ours).expect("our writer encodes");
            assert_eq!(ours, theirs, "{args:?}");
        }
    }
    assert!(results > 100, "only {results} results");
}

/// The pretty report wraps its prose at spaces only: no line of it ends
/// inside a word at a hyphen or a slash (a rule id, a URL, a thumbprint,
/// the `tokenlint explain` command to copy), as textwrap's Unicode line
/// breaking and hyphen splitting made 107 lines end over these fixtures.
#[test]
fn pretty_prose_is_not_cut_inside_a_word() {
    let r = tokenlint(&["check", "testdata", "--profile", "all"]);
    let prose = |l: &&str| {
        let t = l.trim_start();
        ["×", "⚠", "☞", "│", "help:", "spec:"]
            .iter()
            .any(|p| t.starts_with(p))
            || l.starts_with("        ")
    };
    let cut: Vec<&str> = r
        .stdout
        .lines()
        .filter(prose)
        .filter(|l| {
            let b = l.as_bytes();
            b.len() >= 2
                && matches!(b[b.len() - 1], b'-' | b'/')
                && b[b.len() - 2].is_ascii_alphanumeric()
        })
        .collect();
    assert!(
        cut.is_empty(),
        "{} lines cut in a word:\n{}",
        cut.len(),
        cut.join("\n")
    );
    assert!(r.stdout.lines().count() > 1000);
}
