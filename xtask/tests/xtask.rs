//! The xtask commands end to end, through the built binary: `new-rule` in a
//! scratch copy of the files it reads and writes, and the `--check` modes
//! (README's rule table, the generated testdata) on this checkout.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the checkout")
}

fn xtask(root: &Path, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("--root")
        .arg(root)
        .args(args)
        .output()
        .expect("the xtask binary runs")
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}\n{}{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir").flatten() {
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        if src.is_dir() {
            copy_tree(&src, &dst);
        } else {
            std::fs::copy(&src, &dst).expect("copy");
        }
    }
}

/// What `new-rule` reads and writes, copied from this checkout.
fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::copy(repo().join("README.md"), dir.path().join("README.md")).expect("README");
    copy_tree(
        &repo().join("src/lint/rules"),
        &dir.path().join("src/lint/rules"),
    );
    copy_tree(&repo().join("rules"), &dir.path().join("rules"));
    dir
}

/// Every file under `root`, to see what a command changed.
fn files(root: &Path) -> BTreeMap<PathBuf, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read_dir").flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let text = std::fs::read_to_string(&p).unwrap_or_default();
                out.insert(p.strip_prefix(root).unwrap().to_path_buf(), text);
            }
        }
    }
    out
}

/// The files that differ between two snapshots, or exist in only one.
fn changed(before: &BTreeMap<PathBuf, String>, after: &BTreeMap<PathBuf, String>) -> Vec<String> {
    let mut keys: Vec<&PathBuf> = before.keys().chain(after.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| before.get(*k) != after.get(*k))
        .map(|k| k.display().to_string())
        .collect()
}

/// `text` with `insert` put before the line that closes its
/// `declare_rules!` block (the first line that is just `}` after it).
fn with_declaration(text: &str, insert: &str) -> String {
    let block = text
        .find("declare_rules! {")
        .expect("a declare_rules! block");
    let close = block + text[block..].find("\n}\n").expect("the block's end") + 1;
    format!("{}{insert}{}", &text[..close], &text[close..])
}

/// The README lines `after` has and `before` does not, and the reverse.
fn line_diff(before: &str, after: &str) -> (Vec<String>, Vec<String>) {
    let only = |a: &str, b: &str| -> Vec<String> {
        let other: Vec<&str> = b.lines().collect();
        a.lines()
            .filter(|l| !other.contains(l))
            .map(str::to_owned)
            .collect()
    };
    (only(after, before), only(before, after))
}

fn row_index(readme: &str, id: &str) -> usize {
    let needle = format!("| [`{id}`](rules/{id}.md) |");
    readme
        .lines()
        .position(|l| l.starts_with(&needle))
        .unwrap_or_else(|| panic!("README has no row for {id}"))
}

#[test]
fn new_rule_declares_documents_and_lists_the_rule() {
    let dir = scratch();
    let root = dir.path();
    let before = files(root);
    ok(&xtask(
        root,
        &[
            "new-rule",
            "pkce/verifier-reused",
            "--severity",
            "warning",
            "--spec",
            "RFC 7636 §4.1",
            "--summary",
            "The same `code_verifier` in two requests",
        ],
    ));
    let after = files(root);
    assert_eq!(
        changed(&before, &after),
        [
            "README.md",
            "rules/pkce/verifier-reused.md",
            "src/lint/rules/pkce/mod.rs"
        ]
    );

    // (a) The declaration, as the block's last entry.
    let module = Path::new("src/lint/rules/pkce/mod.rs");
    let declaration = "    VERIFIER_REUSED = \"pkce/verifier-reused\", Warning, \"RFC 7636 §4.1\",\n        \"The same `code_verifier` in two requests\";\n";
    assert_eq!(
        after[module],
        with_declaration(&before[module], declaration)
    );

    // (b) The doc: front matter agreeing with the declaration, the sections
    // the doc test wants, a failing and a passing example.
    let doc = &after[Path::new("rules/pkce/verifier-reused.md")];
    assert!(
        doc.starts_with(
            "---\nid: pkce/verifier-reused\nseverity: warning\nspec: RFC 7636 §4.1\n---\n# pkce/verifier-reused\n"
        ),
        "{doc}"
    );
    for section in ["## Why", "## How to fix", "## Examples"] {
        assert!(doc.contains(section), "no {section}:\n{doc}");
    }
    let examples = tokenlint::lint::docs::examples(doc);
    assert!(examples.iter().any(|e| e.fail) && examples.iter().any(|e| !e.fail));

    // (c) README: the row after the area's last, the counts one up.
    let (readme_before, readme) = (
        &before[Path::new("README.md")],
        &after[Path::new("README.md")],
    );
    let (added, removed) = line_diff(readme_before, readme);
    let total = tokenlint::lint::registry().len();
    let pkce = tokenlint::lint::registry()
        .iter()
        .filter(|r| r.id.starts_with("pkce/"))
        .count();
    assert_eq!(
        added,
        [
            format!("{} rules in 10 areas. `tokenlint rules` prints this list; `-o json` gives it as data.", total + 1),
            format!("<details><summary><b>pkce/</b> ({} rules)</summary>", pkce + 1),
            "| [`pkce/verifier-reused`](rules/pkce/verifier-reused.md) | warning | The same `code_verifier` in two requests | RFC 7636 §4.1 |".to_owned(),
        ]
    );
    assert_eq!(removed.len(), 2, "{removed:?}");
    let last_of_file = last_declared(&before[module], "pkce/");
    assert_eq!(
        row_index(readme, "pkce/verifier-reused"),
        row_index(readme, &last_of_file) + 1
    );
}

/// The last rule id of `area/` in a file's declarations.
fn last_declared(text: &str, prefix: &str) -> String {
    text.split('"')
        .rfind(|s| s.starts_with(prefix) && !s.contains(' '))
        .unwrap_or_else(|| panic!("no {prefix} rule declared"))
        .to_owned()
}

/// A concern file (not an area's mod.rs) that declares rules: its area id,
/// its concern name and its path.
fn a_concern_file(root: &Path) -> (String, String, PathBuf) {
    let mut areas: Vec<PathBuf> = std::fs::read_dir(root.join("src/lint/rules"))
        .expect("src/lint/rules")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    areas.sort();
    for area in areas {
        let mut concerns: Vec<PathBuf> = std::fs::read_dir(&area)
            .expect("area folder")
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "rs"))
            .filter(|p| !p.ends_with("mod.rs"))
            .collect();
        concerns.sort();
        for path in concerns {
            let text = std::fs::read_to_string(&path).expect("concern file");
            if text.contains("declare_rules! {") {
                let stem = |p: &Path| p.file_stem().unwrap().to_string_lossy().into_owned();
                return (stem(&area).replace('_', "-"), stem(&path), path);
            }
        }
    }
    panic!("no concern file declares rules")
}

#[test]
fn new_rule_in_a_concern_file_follows_that_files_rules() {
    let dir = scratch();
    let root = dir.path();
    let (area, concern, file) = a_concern_file(root);
    let text = std::fs::read_to_string(&file).expect("the concern file");
    let last_of_file = last_declared(&text, &format!("{area}/"));
    let id = format!("{area}/scaffold-test-rule");
    ok(&xtask(root, &["new-rule", &id, "--file", &concern]));
    let declaration = format!(
        "    SCAFFOLD_TEST_RULE = \"{id}\", Error, \"TODO: the spec section (RFC NNNN §N)\",\n        \"TODO: what the rule catches, in one line\";\n"
    );
    let new_text = std::fs::read_to_string(&file).expect("the concern file");
    assert_eq!(new_text, with_declaration(&text, &declaration));
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README");
    assert_eq!(
        row_index(&readme, &id),
        row_index(&readme, &last_of_file) + 1
    );
}

#[test]
fn new_rule_refuses_an_existing_id_an_unknown_area_and_a_missing_file() {
    let dir = scratch();
    let root = dir.path();
    std::fs::write(
        root.join("src/lint/rules/pkce/no_block.rs"),
        "//! Declares no rules.\n",
    )
    .expect("write");
    let before = files(root);
    for (args, why) in [
        (&["new-rule", "pkce/verifier-length"][..], "exists already"),
        (&["new-rule", "nope/something"][..], "unknown area `nope`"),
        // Docs without rule code: not a lint area.
        (
            &["new-rule", "authlete/something"][..],
            "unknown area `authlete`",
        ),
        (&["new-rule", "Pkce/x"][..], "lower-case words"),
        (
            &["new-rule", "pkce/x", "--file", "nosuch"][..],
            "no src/lint/rules/pkce/nosuch.rs",
        ),
        (
            &["new-rule", "pkce/x", "--file", "no_block"][..],
            "has no `declare_rules! { … }` block",
        ),
    ] {
        let out = xtask(root, args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?} succeeded");
        assert!(stderr.contains(why), "{args:?}: {stderr}");
    }
    assert_eq!(changed(&before, &files(root)), Vec::<String>::new());
}

#[test]
fn readme_rule_table_is_the_registry() {
    ok(&xtask(repo(), &["rule-table", "--check"]));
}

#[test]
fn generated_testdata_is_up_to_date() {
    ok(&xtask(repo(), &["testdata", "--check"]));
    ok(&xtask(repo(), &["capture-testdata", "--check"]));
}
