//! Reading `check`'s inputs: files, folders searched for `*.json`, stdin.

use std::io::Read;
use std::path::{Path, PathBuf};

use tokenlint::lint::{self, Settings};
use tokenlint::report::Outcome;
use tokenlint::request::fixture;

use super::Debug;

/// Every input named by `paths`, folders expanded, in a stable order: the
/// paths in the order given, each folder's files sorted by path.
fn expand(paths: &[PathBuf]) -> Vec<Result<PathBuf, (String, String)>> {
    let mut out = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            out.push(Ok(p.clone()));
        } else if p.is_dir() {
            let mut files = Vec::new();
            if let Err(e) = walk(p, &mut files) {
                out.push(Err((p.display().to_string(), e.to_string())));
            }
            files.sort();
            out.extend(files.into_iter().map(Ok));
        } else if p.exists() {
            out.push(Ok(p.clone()));
        } else {
            out.push(Err((
                p.display().to_string(),
                "no such file or directory".into(),
            )));
        }
    }
    out
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let ft = entry.file_type()?;
        let name = entry.file_name();
        let hidden = name.to_string_lossy().starts_with('.');
        if ft.is_dir() {
            if !hidden && name != "target" && name != "node_modules" {
                walk(&path, out)?;
            }
        } else if path
            .extension()
            .is_some_and(|e| WALKED_EXTENSIONS.iter().any(|w| e == *w))
            && !hidden
        {
            out.push(path);
        }
    }
    Ok(())
}

/// What a folder walk picks up: fixtures and captures.
const WALKED_EXTENSIONS: &[&str] = &["json", "http", "har", "curl"];

/// Loads one input by its extension: `.json` is a fixture unless it is a
/// HAR (`{"log":`), `.har` a HAR (one input per token request in it),
/// `.http`/`.txt` a raw HTTP request, `.curl` a curl command.
pub(super) fn load_input(name: &str, path: &Path, bytes: &[u8]) -> Vec<tokenlint::request::Loaded> {
    use tokenlint::request::{curl, har, http};
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(256)]);
    match ext.as_str() {
        "har" => har::load_bytes(name, bytes),
        "json" if har::looks_like_har(&head) => har::load_bytes(name, bytes),
        "http" | "txt" => vec![http::load_bytes(name, bytes)],
        "curl" => vec![curl::load_bytes(name, bytes)],
        _ => vec![fixture::load_bytes(name, bytes)],
    }
}

fn read(path: &Path) -> std::io::Result<Vec<u8>> {
    if path.as_os_str() == "-" {
        let mut b = Vec::new();
        std::io::stdin().read_to_end(&mut b)?;
        Ok(b)
    } else {
        std::fs::read(path)
    }
}

pub(super) fn check_paths(
    paths: &[PathBuf],
    curls: &[String],
    settings: &Settings,
    debug: &Debug,
) -> Vec<Outcome> {
    let outcomes: Vec<Outcome> = expand(paths)
        .into_iter()
        .flat_map(|entry| -> Vec<Outcome> {
            match entry {
                Err((name, error)) => vec![Outcome::Failed { name, error }],
                Ok(path) => {
                    let name = if path.as_os_str() == "-" {
                        "<stdin>".to_owned()
                    } else {
                        path.display().to_string()
                    };
                    match read(&path) {
                        Err(e) => vec![Outcome::Failed {
                            name,
                            error: e.to_string(),
                        }],
                        Ok(bytes) => {
                            debug.log(|| format!("linting {name} ({} bytes)", bytes.len()));
                            load_input(&name, &path, &bytes)
                                .iter()
                                .map(|loaded| Outcome::Linted(lint::lint(loaded, settings)))
                                .collect()
                        }
                    }
                }
            }
        })
        .collect();
    let mut outcomes: Vec<Outcome> = outcomes
        .into_iter()
        .chain(curls.iter().map(|c| {
            let loaded =
                tokenlint::request::curl::load_str(tokenlint::request::curl::FLAG_SOURCE_NAME, c);
            Outcome::Linted(lint::lint(&loaded, settings))
        }))
        .collect();
    // Checks across inputs: a DPoP jti used twice in one run is a replay.
    lint::cross_check(
        outcomes.iter_mut().filter_map(|o| match o {
            Outcome::Linted(r) => Some(r),
            Outcome::Failed { .. } => None,
        }),
        settings,
    );
    outcomes
}
