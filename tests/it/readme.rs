//! The README is the front door: it must list every rule, name every
//! subcommand, and give the test command that CI runs.

use tokenlint::lint;

use crate::common::root;

fn readme() -> String {
    std::fs::read_to_string(root().join("README.md")).expect("README.md")
}

#[test]
fn readme_lists_every_rule() {
    let text = readme();
    let missing: Vec<_> = lint::registry()
        .into_iter()
        .map(|r| r.id)
        .filter(|id| !text.contains(&format!("`{id}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "README.md does not list these rules (run `cargo xtask rule-table`): {missing:?}"
    );
}

#[test]
fn readme_names_every_subcommand_and_the_ci_test_command() {
    let text = readme();
    for cmd in [
        "tokenlint check",
        "tokenlint token process",
        "tokenlint pkce",
        "tokenlint dpop",
        "tokenlint cert inspect",
        "tokenlint jwt inspect",
        "tokenlint rules",
        "tokenlint explain",
        "tokenlint completions",
        "tokenlint man",
    ] {
        assert!(text.contains(cmd), "README.md does not mention `{cmd}`");
    }
    let ci = std::fs::read_to_string(root().join(".ci/run")).expect(".ci/run");
    assert!(text.contains("cargo test --locked") && ci.contains("cargo test --locked"));
}
