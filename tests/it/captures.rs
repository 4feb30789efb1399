//! The HTTP captures under `testdata/captures/` (made by
//! `cargo xtask capture-testdata`, which also checks that they are up to
//! date) against their manifest: every good input is free of error findings,
//! every bad one raises the rules listed, and every finding points inside the
//! capture file.

use std::path::Path;

use tokenlint::lint::{self, Clock, Settings, Severity};
use tokenlint::request::{curl, har, http, Loaded};

use crate::common::testdata;

const DEFAULT_NOW: i64 = 1_767_225_600;

fn load(path: &Path, name: &str) -> Vec<Loaded> {
    let bytes = std::fs::read(path).expect("read capture");
    match path.extension().and_then(|e| e.to_str()) {
        Some("har") => har::load_bytes(name, &bytes),
        Some("curl") => vec![curl::load_bytes(name, &bytes)],
        _ => http::load_all(name, bytes, usize::MAX),
    }
}

#[test]
fn captures_match_the_manifest() {
    let root = testdata("captures");
    let manifest = std::fs::read_to_string(root.join("expected.txt")).expect("manifest");
    let mut problems = Vec::new();
    let mut checked = 0;
    for line in manifest
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let (head, rules) = line.split_once(':').expect("`source: rules`");
        let mut words = head.split_whitespace();
        let source = words.next().expect("source");
        // A `now=` pins the clock; without one a capture that records its
        // own time (HAR startedDateTime, a Date header) is judged at it.
        let pinned = words
            .find_map(|w| w.strip_prefix("now="))
            .map(|n| n.parse::<i64>().expect("now"));
        let (file, entry) = match source.split_once('#') {
            Some((f, e)) => (f, Some(e)),
            None => (source, None),
        };
        let loaded = load(&root.join(file), file);
        let wanted_name = match entry {
            Some(e) => format!("{file}#{e}"),
            None => file.to_owned(),
        };
        let Some(l) = loaded.iter().find(|l| l.source.name == wanted_name) else {
            problems.push(format!(
                "{source}: no such input (got {:?})",
                loaded.iter().map(|l| &l.source.name).collect::<Vec<_>>()
            ));
            continue;
        };
        checked += 1;
        let mut settings = Settings::with_now(pinned.unwrap_or(DEFAULT_NOW));
        if pinned.is_some() {
            settings.clock = Clock::Flag;
        }
        let report = lint::lint(l, &settings);
        let raised: Vec<&str> = report.findings.iter().map(|f| f.rule.id).collect();
        if file.starts_with("good/") {
            let errors: Vec<String> = report
                .findings
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .map(|f| format!("{}: {}", f.rule.id, f.message))
                .collect();
            if !errors.is_empty() {
                problems.push(format!("{source}: good capture has errors: {errors:?}"));
            }
        }
        for r in rules.split_whitespace() {
            if !raised.contains(&r) {
                problems.push(format!("{source}: does not raise {r} (raised {raised:?})"));
            }
        }
        for f in &report.findings {
            for lab in &f.labels {
                if lab.span.end() > l.source.text.len() {
                    problems.push(format!("{source}: {} label past the end", f.rule.id));
                }
            }
        }
    }
    assert!(checked >= 20, "only {checked} inputs in the manifest");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn rfc9449_captures_carry_the_dpop_proof_and_htu() {
    let root = testdata("captures");
    let l = &load(&root.join("good/rfc9449-authorization-code.http"), "x")[0];
    assert_eq!(
        l.request.htu.as_ref().unwrap().value,
        "https://server.example.com/token"
    );
    assert_eq!(l.request.htm.as_ref().unwrap().value, "POST");
    assert!(l
        .request
        .dpop
        .as_ref()
        .unwrap()
        .value
        .starts_with("eyJ0eXAiOiJkcG9wK2p3dCIs"));
    let l = &load(
        &root.join("good/basic-special-characters-encoded.http"),
        "x",
    )[0];
    assert_eq!(l.request.client_id.as_ref().unwrap().value, "1PpG/Q 1");
    assert_eq!(
        l.request.client_secret.as_ref().unwrap().value,
        "z/tZ9VwFZqApmIQ+ZH1I5pLk/uB4ud:X2/8bL+wfFTt1rFw="
    );
}
