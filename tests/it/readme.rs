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

/// One ```` ```console ```` block that runs a single `tokenlint` command:
/// the command, the output it shows, the exit code line after it (if any),
/// and where the output sits in README.
struct Example {
    command: String,
    shown: String,
    exit: Option<i32>,
    output: std::ops::Range<usize>,
    exit_line: Option<std::ops::Range<usize>>,
}

/// The examples of README that can be run as written: a block whose one
/// `$ ` line runs `tokenlint`. Blocks of several commands (a key written,
/// then used) show a session, not output.
fn examples(text: &str) -> Vec<Example> {
    const OPEN: &str = "```console\n";
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(i) = text[at..].find(OPEN) {
        let start = at + i + OPEN.len();
        let end = start + text[start..].find("```\n").expect("a closed block");
        at = end + 4;
        let block = &text[start..end];
        let Some(first) = block.lines().next() else {
            continue;
        };
        let dollars = block.lines().filter(|l| l.starts_with("$ ")).count();
        if !first.starts_with("$ tokenlint ") || dollars != 1 {
            continue;
        }
        let rest = &text[at..];
        let exit_line = rest
            .strip_prefix("(exit code ")
            .and_then(|r| r.split_once(")\n"))
            .map(|(code, _)| {
                (
                    code.to_owned(),
                    at..at + "(exit code )\n".len() + code.len(),
                )
            });
        out.push(Example {
            command: first["$ ".len()..].to_owned(),
            shown: block[first.len() + 1..].to_owned(),
            exit: exit_line
                .as_ref()
                .map(|(c, _)| c.parse().expect("an exit code")),
            output: start + first.len() + 1..end,
            exit_line: exit_line.map(|(_, r)| r),
        });
    }
    out
}

/// What README shows is what the command prints, run from the repository
/// root (its tokenlint.toml applies) at 100 columns without colour, standard
/// error after standard output as a terminal shows them, and the exit code.
/// `TOKENLINT_BLESS=1 cargo test --test it readme` writes the real output in.
#[test]
fn readme_examples_are_real_runs() {
    let path = root().join("README.md");
    let mut text = readme();
    let found = examples(&text);
    assert!(found.len() >= 10, "README's examples were not found");
    let bless = std::env::var_os("TOKENLINT_BLESS").is_some();
    let mut stale = Vec::new();
    // From the last, so that a rewrite keeps the earlier ranges valid.
    for e in found.iter().rev() {
        let o = crate::common::shell(&format!("{} 2>&1", e.command))
            .env("NO_COLOR", "1")
            .env("COLUMNS", "100")
            .output()
            .expect("sh runs");
        let printed = String::from_utf8_lossy(&o.stdout).into_owned();
        let code = o.status.code().unwrap_or(-1);
        if printed == e.shown && e.exit.is_none_or(|x| x == code) {
            continue;
        }
        stale.push(format!(
            "$ {}\n--- README shows (exit {:?})\n{}--- it prints (exit {code})\n{printed}",
            e.command, e.exit, e.shown
        ));
        if bless {
            if let Some(r) = &e.exit_line {
                text.replace_range(r.clone(), &format!("(exit code {code})\n"));
            }
            text.replace_range(e.output.clone(), &printed);
        }
    }
    if bless && !stale.is_empty() {
        std::fs::write(&path, &text).expect("README.md written");
        return;
    }
    assert!(
        stale.is_empty(),
        "README's examples differ from real runs (TOKENLINT_BLESS=1 rewrites them):\n{}",
        stale.join("\n")
    );
}

/// The first example is the short form (a line per finding), before the
/// full diagnostics.
#[test]
fn readme_shows_the_short_form_first() {
    let text = readme();
    let first = examples(&text).into_iter().next().expect("an example");
    assert!(
        first.command.starts_with("tokenlint check") && first.command.contains("-o table"),
        "{}",
        first.command
    );
}
