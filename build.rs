//! Embeds every rule document under `rules/` into the binary, so that
//! `tokenlint explain` and the doc-example tests read the same files; and
//! the rule tables written in TOML (server profiles, grants) as JSON.

// A build script talks to cargo on stdout and fails the build by panicking.
#![allow(clippy::print_stdout, clippy::unwrap_used)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|x| x == "md") {
            out.push(p);
        }
    }
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let rules = root.join("rules");
    println!("cargo:rerun-if-changed=rules");
    let mut files = Vec::new();
    collect(&rules, &mut files);
    files.sort();
    let mut code = String::from("pub static RAW_DOCS: &[(&str, &str)] = &[\n");
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let rel = f.strip_prefix(&rules).expect("under rules/");
        let id = rel.with_extension("").to_string_lossy().replace('\\', "/");
        writeln!(
            code,
            "    ({id:?}, include_str!({:?})),",
            f.display().to_string()
        )
        .unwrap();
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it"));
    std::fs::write(out.join("rule_docs.rs"), code).expect("write rule_docs.rs");
    embed_as_json(
        &rules.join("dpop/profiles.toml"),
        &out.join("profiles.json"),
    );
    embed_as_json(&rules.join("grant/grants.toml"), &out.join("grants.json"));
}

/// A rule table, written in TOML for people, embedded as JSON for the
/// binary: every run reads the server profiles, and 13 KB of TOML took
/// about 0.15 ms of a 2.5 ms one-file check to parse, the same as JSON a
/// tenth of that. The TOML stays the one source (a test reads both).
fn embed_as_json(toml_path: &Path, json_path: &Path) {
    println!("cargo:rerun-if-changed={}", toml_path.display());
    let text = std::fs::read_to_string(toml_path).unwrap();
    let table: toml::Table =
        toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", toml_path.display()));
    std::fs::write(json_path, serde_json::to_string(&table).unwrap()).unwrap();
}
