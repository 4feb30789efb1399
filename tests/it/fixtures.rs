//! The linter over `testdata/`: every fixture the manifest
//! (`testdata/expected.txt`, written by `cargo xtask testdata`)
//! lists is loaded and linted at the pinned clock with the repository's
//! `tokenlint.toml` (as `tokenlint check testdata` lints it), and
//!
//! - every `good/` fixture raises no error finding, and no warning other than
//!   the ones the manifest lists for it;
//! - every `bad/` fixture raises every rule the manifest lists, and no error
//!   from a rule it does not list;
//! - every `broken/` fixture is reported (an `input/` finding where the input
//!   cannot be read as a request) and never makes the linter panic;
//! - every label of every finding lies inside the source, on character
//!   boundaries.
//!
//! Failures are collected and reported together, one line per fixture, so a
//! missing rule reads as "bad/x.json: expected grant/y, got [...]".

use std::collections::BTreeSet;
use std::path::PathBuf;

use tokenlint::config;
use tokenlint::lint::{self, FileReport, Settings, Severity};
use tokenlint::request::fixture;

/// The clock every fixture is valid at: 2026-01-01T00:00:00Z.
const NOW: i64 = 1_767_225_600;

struct Entry {
    path: String,
    expect: Vec<String>,
    about: String,
}

fn testdata() -> PathBuf {
    crate::common::root().join("testdata")
}

fn manifest() -> Vec<Entry> {
    let path = testdata().join("expected.txt");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; run `cargo xtask testdata`", path.display()));
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (fields, about) = l.split_once("  # ").unwrap_or((l, ""));
            let mut it = fields.split_whitespace();
            let path = it.next().unwrap_or_default().to_owned();
            let expect = match it.next() {
                None | Some("-") => Vec::new(),
                Some(r) => r.split(',').map(str::to_owned).collect(),
            };
            Entry {
                path,
                expect,
                about: about.to_owned(),
            }
        })
        .collect()
}

/// The settings `tokenlint check testdata` lints a fixture with: the
/// pinned clock, then the repository's `tokenlint.toml` (which gives some
/// fixtures a key set, as `--client-jwks` would).
pub(crate) fn settings_for(rel: &str) -> Settings {
    static CONFIG: std::sync::OnceLock<config::Resolved> = std::sync::OnceLock::new();
    let config = CONFIG.get_or_init(|| {
        config::Resolved::load(&crate::common::root().join("tokenlint.toml"))
            .expect("the repository's tokenlint.toml")
    });
    config
        .settings_for(&Settings::with_now(NOW), &testdata().join(rel))
        .expect("settings for a fixture")
        .settings
}

fn lint_file(rel: &str) -> Result<FileReport, String> {
    let bytes = std::fs::read(testdata().join(rel)).map_err(|e| format!("{rel}: {e}"))?;
    let settings = settings_for(rel);
    std::panic::catch_unwind(|| {
        let loaded = fixture::load_bytes(rel, &bytes);
        lint::lint(&loaded, &settings)
    })
    .map_err(|p| {
        let msg = p
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| p.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_default();
        format!("{rel}: the linter panicked: {msg}")
    })
}

fn ids(r: &FileReport) -> BTreeSet<&'static str> {
    r.findings.iter().map(|f| f.rule.id).collect()
}

fn describe(r: &FileReport) -> String {
    let all: Vec<String> = r
        .findings
        .iter()
        .map(|f| format!("{} ({})", f.rule.id, f.severity))
        .collect();
    format!("[{}]", all.join(", "))
}

/// Spans must fit the source and start and end on character boundaries, or
/// the reports would underline the wrong bytes (or panic when slicing).
fn span_problems(rel: &str, r: &FileReport) -> Vec<String> {
    let text = &r.source.text;
    let mut out = Vec::new();
    for f in &r.findings {
        for l in &f.labels {
            let s = l.span;
            if s.end() > text.len() {
                out.push(format!(
                    "{rel}: {} label {:?} ends at {} past the end ({})",
                    f.rule.id,
                    l.text,
                    s.end(),
                    text.len()
                ));
            } else if !text.is_char_boundary(s.offset) || !text.is_char_boundary(s.end()) {
                out.push(format!(
                    "{rel}: {} label {:?} at {}..{} splits a character",
                    f.rule.id,
                    l.text,
                    s.offset,
                    s.end()
                ));
            }
        }
    }
    out
}

fn check_dir(dir: &str) -> Vec<String> {
    let entries: Vec<Entry> = manifest()
        .into_iter()
        .filter(|e| e.path.starts_with(&format!("{dir}/")))
        .collect();
    assert!(
        !entries.is_empty(),
        "the manifest lists no {dir}/ fixture; run `cargo xtask testdata`"
    );
    let mut problems = Vec::new();
    for e in &entries {
        let r = match lint_file(&e.path) {
            Ok(r) => r,
            Err(msg) => {
                problems.push(msg);
                continue;
            }
        };
        problems.extend(span_problems(&e.path, &r));
        let got = ids(&r);
        let missing: Vec<&str> = e
            .expect
            .iter()
            .map(String::as_str)
            .filter(|id| !got.contains(id))
            .collect();
        if !missing.is_empty() {
            problems.push(format!(
                "{}: expected {} — not raised; got {} ({})",
                e.path,
                missing.join(", "),
                describe(&r),
                e.about
            ));
        }
        let unexpected = |sev: Severity| -> Vec<&str> {
            r.findings
                .iter()
                .filter(|f| f.severity == sev && !e.expect.iter().any(|x| x == f.rule.id))
                .map(|f| f.rule.id)
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect()
        };
        match dir {
            "good" => {
                for (sev, what) in [(Severity::Error, "error"), (Severity::Warning, "warning")] {
                    let extra = unexpected(sev);
                    if !extra.is_empty() {
                        problems.push(format!(
                            "{}: a good fixture raised {what} {} ({})",
                            e.path,
                            extra.join(", "),
                            e.about
                        ));
                    }
                }
            }
            "bad" => {
                let extra = unexpected(Severity::Error);
                if !extra.is_empty() {
                    problems.push(format!(
                        "{}: also raised error {} not listed in the manifest ({})",
                        e.path,
                        extra.join(", "),
                        e.about
                    ));
                }
            }
            _ => {
                let unreadable = got.iter().any(|id| id.starts_with("input/"));
                let expects_input = e.expect.iter().any(|id| id.starts_with("input/"));
                if expects_input && !unreadable {
                    problems.push(format!(
                        "{}: no input/ finding; got {}",
                        e.path,
                        describe(&r)
                    ));
                }
                if r.findings.is_empty() {
                    problems.push(format!("{}: a broken input raised nothing", e.path));
                }
            }
        }
    }
    problems
}

fn assert_clean(dir: &str, problems: Vec<String>) {
    assert!(
        problems.is_empty(),
        "{} problem(s) in testdata/{dir}/:\n  {}\n(fixtures come from xtask/src/testdata.rs; the manifest is testdata/expected.txt)",
        problems.len(),
        problems.join("\n  ")
    );
}

#[test]
fn good_fixtures_raise_no_error() {
    assert_clean("good", check_dir("good"));
}

#[test]
fn bad_fixtures_raise_their_rules() {
    assert_clean("bad", check_dir("bad"));
}

#[test]
fn broken_inputs_are_findings_not_panics() {
    assert_clean("broken", check_dir("broken"));
}

/// The manifest and the folders agree: no fixture file is missing from the
/// manifest (a stale file left behind), and none listed is missing on disk.
#[test]
fn manifest_and_files_agree() {
    let listed: BTreeSet<String> = manifest().into_iter().map(|e| e.path).collect();
    let mut on_disk = BTreeSet::new();
    for dir in ["good", "bad", "broken"] {
        for entry in std::fs::read_dir(testdata().join(dir)).expect("testdata folder") {
            let name = entry.expect("dir entry").file_name();
            on_disk.insert(format!("{dir}/{}", name.to_string_lossy()));
        }
    }
    let unlisted: Vec<_> = on_disk.difference(&listed).collect();
    let absent: Vec<_> = listed.difference(&on_disk).collect();
    assert!(
        unlisted.is_empty() && absent.is_empty(),
        "run `cargo xtask testdata`: files not in the manifest: {unlisted:?}; listed but missing: {absent:?}"
    );
}

/// The rules of the foundation issue (input, params, grant, pkce, the
/// client-auth basics and options). Later areas (DPoP, assertion claims,
/// certificates, attestation) keep their own testdata.
const FOUNDATION_RULES: &[&str] = &[
    "input/invalid-json",
    "input/not-an-object",
    "input/missing-parameters",
    "input/wrong-type",
    "input/unknown-field",
    "input/duplicate-field",
    "input/invalid-utf8",
    "params/bad-percent-encoding",
    "params/unescaped-character",
    "params/invalid-utf8",
    "params/duplicate",
    "params/empty-value",
    "params/scope-syntax",
    "params/resource-invalid",
    "params/resource-query",
    "params/plus-as-space",
    "grant/missing-grant-type",
    "grant/unknown-grant-type",
    "grant/missing-parameter",
    "grant/unpaired-parameter",
    "grant/unknown-parameter",
    "grant/password-deprecated",
    "grant/client-authentication-required",
    "grant/redirect-uri-invalid",
    "grant/client-id-missing",
    "pkce/verifier-length",
    "pkce/verifier-charset",
    "pkce/verifier-low-entropy",
    "pkce/verifier-unexpected",
    "client-auth/client-id-mismatch",
    "client-auth/multiple-methods",
    "client-auth/secret-without-client-id",
    "client-auth/secret-in-body",
    "client-auth/assertion-type-missing",
    "client-auth/assertion-type-invalid",
    "client-auth/assertion-missing",
    "client-auth/assertion-malformed",
    "options/duration-not-positive",
    "options/properties-shape",
    "options/properties-reserved-key",
    "options/properties-too-large",
    "options/properties-ignored",
    "options/jwt-at-claims-invalid",
    "options/jwt-at-claims-ignored",
    "options/cimd-options-shape",
];

/// Every foundation rule is registered and has a fixture that raises it.
#[test]
fn every_rule_has_a_fixture() {
    let covered: BTreeSet<String> = manifest().into_iter().flat_map(|e| e.expect).collect();
    let unregistered: Vec<&str> = FOUNDATION_RULES
        .iter()
        .copied()
        .filter(|id| lint::find_rule(id).is_none())
        .collect();
    let uncovered: Vec<&str> = FOUNDATION_RULES
        .iter()
        .copied()
        .filter(|id| !covered.contains(*id))
        .collect();
    assert!(
        unregistered.is_empty() && uncovered.is_empty(),
        "rules not in the registry yet: {unregistered:?}; rules with no fixture in testdata/ (add one to xtask/src/testdata.rs): {uncovered:?}"
    );
}

/// The manifest names only rules that exist (a typo there would make a
/// "missing rule" failure look like an unwritten rule).
#[test]
fn manifest_names_known_rules() {
    let unknown: Vec<String> = manifest()
        .into_iter()
        .flat_map(|e| {
            e.expect
                .into_iter()
                .filter(|id| lint::find_rule(id).is_none())
                .map(move |id| format!("{}: {id}", e.path))
        })
        .collect();
    assert!(
        unknown.is_empty(),
        "the manifest names rules the registry does not have (not written yet, or misspelt):\n  {}",
        unknown.join("\n  ")
    );
}

/// Linting is deterministic: the same fixture gives the same findings, in
/// the same order, every time.
#[test]
fn findings_are_stable() {
    for rel in [
        "bad/multi-postman-plus.json",
        "bad/multi-client-id-mismatch.json",
    ] {
        let a = lint_file(rel).expect("lints");
        let b = lint_file(rel).expect("lints");
        let key = |r: &FileReport| -> Vec<(String, String, Option<usize>)> {
            r.findings
                .iter()
                .map(|f| {
                    (
                        f.rule.id.to_owned(),
                        f.message.clone(),
                        f.primary_span().map(|s| s.offset),
                    )
                })
                .collect()
        };
        assert_eq!(key(&a), key(&b), "{rel}");
    }
}

/// No message, help or label text quotes a secret of the request.
#[test]
fn messages_never_quote_secrets() {
    let secrets = [
        "7Fjfp0ZBr1KtDRbnfVdmIw",
        "gX1fBat3bV",
        "tGzv3JOkF0XG5Qx2TlKWIA",
        "8xLOxBtZp8",
        "A3ddj3w",
        "SplxlOBeZQQYbYS6WxSbIA",
        "accVkjcJyb4BWCxGsndESCJQbdFMogUC5PbRDqceLTC",
        "GmRhmhcxhwAzkoEqiMEg_DnyEysNkuNhszIySk9eS",
    ];
    let mut problems = Vec::new();
    for e in manifest() {
        let Ok(r) = lint_file(&e.path) else { continue };
        for f in &r.findings {
            let mut texts = vec![f.message.clone()];
            texts.extend(f.help.clone());
            texts.extend(f.labels.iter().map(|l| l.text.clone()));
            for t in texts {
                for s in secrets {
                    if t.contains(s) {
                        problems.push(format!("{}: {} says {t:?}", e.path, f.rule.id));
                    }
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "secrets in findings:\n  {}",
        problems.join("\n  ")
    );
}
