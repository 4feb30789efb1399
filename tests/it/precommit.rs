//! The pre-commit hook, run exactly as `.pre-commit-hooks.yaml` declares it:
//! its `entry` split into argv (with `tokenlint` replaced by the built
//! binary), the staged file names appended, from the repository root.

use std::path::Path;

use serde_json::Value;

use crate::common::{root, testdata, tokenlint};

/// The `tokenlint` hook's definition.
fn hook() -> Value {
    let text = std::fs::read_to_string(root().join(".pre-commit-hooks.yaml"))
        .expect(".pre-commit-hooks.yaml");
    let hooks: Value = serde_norway::from_str(&text).expect("valid YAML");
    hooks
        .as_array()
        .expect("a list of hooks")
        .iter()
        .find(|h| h["id"] == "tokenlint")
        .expect("a hook with id tokenlint")
        .clone()
}

/// The hook's entry after its first word, `tokenlint` (the built binary runs
/// in its place).
fn entry_args() -> Vec<String> {
    let h = hook();
    let entry = h["entry"].as_str().expect("entry");
    let mut words = entry.split_whitespace().map(str::to_owned);
    assert_eq!(words.next().as_deref(), Some("tokenlint"));
    words.collect()
}

/// The extensions the hook's `files` pattern `\.(a|b|…)$` accepts.
fn hooked_extensions() -> Vec<String> {
    let h = hook();
    let files = h["files"].as_str().expect("files");
    let inner = files
        .strip_prefix("\\.(")
        .and_then(|s| s.strip_suffix(")$"))
        .unwrap_or_else(|| panic!("files is not \\.(…)$: {files}"));
    inner.split('|').map(str::to_owned).collect()
}

/// Runs the hook in `cwd` on `files`, as pre-commit does (file names last).
fn run_hook(cwd: &Path, files: &[&str]) -> (i32, String) {
    let extensions = hooked_extensions();
    for f in files {
        assert!(
            extensions.iter().any(|e| f.ends_with(&format!(".{e}"))),
            "pre-commit would not pass {f} to the hook"
        );
    }
    let out = tokenlint()
        .args(entry_args())
        .args(files)
        .current_dir(cwd)
        .output()
        .expect("the hook's entry runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}

#[test]
fn the_hook_is_declared_for_fixtures_and_captures() {
    let h = hook();
    assert_eq!(h["language"], "rust");
    assert_eq!(h["require_serial"], true);
    let ext = hooked_extensions();
    for e in ["json", "http", "har"] {
        assert!(ext.iter().any(|x| x == e), "{e} not hooked");
    }
    assert!(entry_args().iter().any(|a| a == "--force-exclude"));
}

/// A user's repository (no tokenlint.toml): good fixtures pass, bad fail.
#[test]
fn the_hook_passes_good_fixtures_and_fails_bad_ones() {
    let repo = tempfile::tempdir().expect("tempdir");
    let d = repo.path();
    std::fs::create_dir(d.join(".git")).expect("mkdir .git");
    std::fs::create_dir_all(d.join("fixtures")).expect("mkdir");
    let copy = |from: &str, to: &str| {
        std::fs::copy(testdata(from), d.join(to)).expect("copy");
    };
    copy("good/authorization-code-pkce.json", "fixtures/code.json");
    copy("good/client-credentials-basic.json", "fixtures/cc.json");
    copy("captures/good/basic-rfc6749.http", "fixtures/basic.http");
    copy(
        "bad/pkce-verifier-length.json",
        "fixtures/short-verifier.json",
    );
    copy("captures/bad/basic-no-colon.http", "fixtures/no-colon.http");

    let (code, out) = run_hook(
        d,
        &[
            "fixtures/code.json",
            "fixtures/cc.json",
            "fixtures/basic.http",
        ],
    );
    assert_eq!(code, 0, "{out}");

    let (code, out) = run_hook(d, &["fixtures/code.json", "fixtures/short-verifier.json"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("pkce/verifier-length"), "{out}");
    let (code, out) = run_hook(d, &["fixtures/no-colon.http"]);
    assert_eq!(code, 1, "{out}");

    // The config's exclude applies to the files pre-commit passes
    // (--force-exclude), and expect-errors turns a negative fixture into a pass.
    std::fs::write(
        d.join("tokenlint.toml"),
        "exclude = [\"fixtures/no-colon.http\"]\n\
         [[overrides]]\nfiles = [\"fixtures/short-*.json\"]\nexpect-errors = true\n",
    )
    .expect("write");
    let (code, out) = run_hook(
        d,
        &[
            "fixtures/code.json",
            "fixtures/short-verifier.json",
            "fixtures/no-colon.http",
        ],
    );
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("no-colon"), "excluded: {out}");
    assert!(out.contains("1 with expected errors"), "{out}");
}

/// This repository: its tokenlint.toml marks testdata's negative fixtures and
/// excludes the JWKS files, so the hook passes on them all.
#[test]
fn the_hook_passes_on_this_repository() {
    let root = root();
    let (code, out) = run_hook(
        root,
        &[
            "testdata/good/ciba.json",
            "testdata/bad/pkce-verifier-length.json",
            "testdata/captures/good/rfc9449-refresh-token.http",
            "testdata/assertion/client.jwks.json",
        ],
    );
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("3 inputs checked"),
        "the JWKS is excluded: {out}"
    );
}

/// The repository's tokenlint.toml covers every testdata folder: a plain
/// `tokenlint check testdata` passes, with the negative fixtures' errors
/// expected.
#[test]
fn check_testdata_passes_with_the_repository_config() {
    let out = tokenlint()
        .args(["check", "testdata", "-o", "json"])
        .current_dir(root())
        .output()
        .expect("runs");
    let doc: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let failing: Vec<String> = doc["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter(|r| {
            r["expected_errors"] != true
                && r["findings"]
                    .as_array()
                    .is_some_and(|f| f.iter().any(|x| x["severity"] == "error"))
        })
        .map(|r| format!("{}: {}", r["source"], r["findings"]))
        .collect();
    assert!(failing.is_empty(), "{failing:#?}");
    assert_eq!(out.status.code(), Some(0));
    assert!(doc["summary"]["inputs_with_expected_errors"].as_u64() > Some(100));
}

/// The `.pre-commit-config.yaml` snippets of README's pre-commit section.
fn readme_configs() -> Vec<Value> {
    let text = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let section = text
        .split_once("\n## pre-commit\n")
        .and_then(|(_, s)| s.split_once("\n## "))
        .map(|(s, _)| s)
        .expect("README has a pre-commit section");
    section
        .split("```yaml\n")
        .skip(1)
        .map(|b| b.split_once("```").expect("a closed block").0)
        .map(|y| serde_norway::from_str(y).unwrap_or_else(|e| panic!("{e}:\n{y}")))
        .collect()
}

/// README's snippets work as written: the remote one names the hook by its
/// id at a `rev` that exists (a commit of this repository whose hook file
/// declares it) and passes only request files; the `language: system` one
/// runs what the hook runs, on the same files.
#[test]
fn readme_pre_commit_snippets_work_as_written() {
    let configs = readme_configs();
    assert_eq!(configs.len(), 2, "{configs:?}");
    let hook = hook();
    let remote = &configs[0]["repos"][0];
    let rev = remote["rev"].as_str().expect("a rev");
    assert_eq!(remote["hooks"][0]["id"], "tokenlint", "{remote:?}");
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .arg("-C")
            .arg(root())
            .args(args)
            .output()
            .expect("git runs")
    };
    let at_rev = git(&["show", &format!("{rev}:.pre-commit-hooks.yaml")]);
    let shallow = String::from_utf8_lossy(&git(&["rev-parse", "--is-shallow-repository"]).stdout)
        .trim()
        == "true";
    if at_rev.status.success() {
        let hooks: Value = serde_norway::from_slice(&at_rev.stdout).expect("YAML");
        let then = hooks
            .as_array()
            .and_then(|h| h.iter().find(|h| h["id"] == "tokenlint"))
            .unwrap_or_else(|| panic!("no tokenlint hook at {rev}"));
        assert_eq!(
            then["entry"], hook["entry"],
            "the hook at {rev} runs another entry"
        );
    } else {
        // A shallow clone may not hold the commit; a full one must.
        assert!(
            shallow && rev.len() == 40 && rev.chars().all(|c| c.is_ascii_hexdigit()),
            "README's rev {rev} is not a commit of this repository with the hook: {}",
            String::from_utf8_lossy(&at_rev.stderr)
        );
    }
    let files = remote["hooks"][0]["files"].as_str().expect("files");
    assert!(files.ends_with(hook["files"].as_str().unwrap()), "{files}");
    let local = &configs[1]["repos"][0];
    assert_eq!(local["repo"], "local");
    let l = &local["hooks"][0];
    assert_eq!(l["language"], "system");
    for key in ["id", "entry", "files", "require_serial"] {
        assert_eq!(l[key], hook[key], "{key} differs from the hook's");
    }
}
