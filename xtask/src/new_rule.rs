//! `cargo xtask new-rule <area>/<name>`: the three edits every new rule
//! needs, so that the checks that tie them together pass from the start:
//!
//! 1. the declaration, appended to the `declare_rules!` block of
//!    `src/lint/rules/<area>/<file>.rs` (the area's folder is the id's area
//!    with `-` as `_`);
//! 2. the documentation skeleton `rules/<area>/<name>.md`, whose front
//!    matter agrees with the declaration;
//! 3. README's rule table, regenerated with the new row.
//!
//! The check that raises the rule, its finding constructor and the doc's
//! prose and examples are left to the author (CONTRIBUTING.md lists them).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::rule_table::{self, Row};

#[derive(clap::Args)]
pub struct Args {
    /// The rule id, `<area>/<name>`: `dpop/htu-fragment`.
    id: String,
    /// The default severity.
    #[arg(long, value_enum, default_value_t = Severity::Error)]
    severity: Severity,
    /// The spec section the rule enforces.
    #[arg(long, default_value = "TODO: the spec section (RFC NNNN §N)")]
    spec: String,
    /// One line: what the rule catches.
    #[arg(long, default_value = "TODO: what the rule catches, in one line")]
    summary: String,
    /// The concern file of the area that declares the rule:
    /// src/lint/rules/<area>/<CONCERN>.rs (default: the area's mod.rs).
    #[arg(long, value_name = "CONCERN")]
    file: Option<String>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    /// As the docs' front matter and the README spell it.
    fn word(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }

    /// As `declare_rules!` spells it (a `Severity` variant).
    fn variant(self) -> &'static str {
        match self {
            Severity::Error => "Error",
            Severity::Warning => "Warning",
            Severity::Info => "Info",
        }
    }
}

/// The rule being added, checked.
struct NewRule<'a> {
    id: &'a str,
    area: &'a str,
    name: &'a str,
    args: &'a Args,
}

impl NewRule<'_> {
    /// The static's name: `HTU_FRAGMENT` for `dpop/htu-fragment`.
    fn const_name(&self) -> String {
        self.name.to_ascii_uppercase().replace('-', "_")
    }

    fn row(&self) -> Row {
        Row {
            id: self.id.to_owned(),
            severity: self.args.severity.word().to_owned(),
            spec: self.args.spec.clone(),
            summary: self.args.summary.clone(),
        }
    }
}

pub fn run(root: &Path, args: &Args) -> Result<(), String> {
    let rule = parse_id(&args.id, args)?;
    let rules_dir = root.join("src/lint/rules");
    let area_dir = rules_dir.join(rule.area.replace('-', "_"));
    if !area_dir.is_dir() {
        return Err(format!(
            "unknown area `{}`: there is no {} (areas: {})",
            rule.area,
            rel(root, &area_dir),
            areas(&rules_dir).join(", ")
        ));
    }
    if let Some(at) = declared_at(root, &rules_dir, rule.id) {
        return Err(format!("rule `{}` exists already ({at})", rule.id));
    }
    let doc = root.join("rules").join(format!("{}.md", rule.id));
    if doc.exists() {
        return Err(format!(
            "rule `{}` exists already ({})",
            rule.id,
            rel(root, &doc)
        ));
    }
    let source = concern_file(root, &area_dir, args.file.as_deref())?;
    let text = read(&source)?;
    let block = Block::find(&text).ok_or_else(|| {
        format!(
            "{} has no `declare_rules! {{ … }}` block; pass --file with one of the area's \
             files that has one: {}",
            rel(root, &source),
            declaring_files(&area_dir).join(", ")
        )
    })?;
    let declared = block.declare(&text, &rule, &rel(root, &source))?;
    let rows = rows_with(&rule, &block.ids(&text, rule.area));

    write(&source, &declared)?;
    std::fs::create_dir_all(doc.parent().expect("rules/<area>")).map_err(|e| e.to_string())?;
    write(&doc, &doc_skeleton(&rule))?;
    rule_table::update(root, &rows, false)?;
    println!(
        "{}",
        next_steps(&rule, &rel(root, &source), &rel(root, &doc))
    );
    Ok(())
}

fn parse_id<'a>(id: &'a str, args: &'a Args) -> Result<NewRule<'a>, String> {
    let (area, name) = id
        .split_once('/')
        .ok_or_else(|| format!("`{id}` is not `<area>/<name>`"))?;
    let word = |w: &str| {
        w.starts_with(|c: char| c.is_ascii_lowercase())
            && w.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    };
    if !word(area) || !word(name) || name.ends_with('-') {
        return Err(format!(
            "`{id}`: area and name are lower-case words joined by `-` (dpop/htu-fragment)"
        ));
    }
    Ok(NewRule {
        id,
        area,
        name,
        args,
    })
}

/// The file that declares the rule: `<CONCERN>.rs` or `<CONCERN>/mod.rs` in
/// the area's folder, `mod.rs` by default.
fn concern_file(root: &Path, area_dir: &Path, concern: Option<&str>) -> Result<PathBuf, String> {
    let Some(concern) = concern.map(|c| c.trim_end_matches(".rs")) else {
        return Ok(area_dir.join("mod.rs"));
    };
    let candidates = [
        area_dir.join(format!("{concern}.rs")),
        area_dir.join(concern).join("mod.rs"),
    ];
    candidates
        .iter()
        .find(|p| p.is_file())
        .cloned()
        .ok_or_else(|| {
            format!(
                "no {}: create the concern file with a `declare_rules!` block and list its \
             RULES in the area's mod.rs first",
                rel(root, &candidates[0])
            )
        })
}

/// The concern names (for --file) of the area's files that declare rules.
fn declaring_files(area_dir: &Path) -> Vec<String> {
    rust_files(area_dir)
        .into_iter()
        .filter(|p| std::fs::read_to_string(p).is_ok_and(|t| Block::find(&t).is_some()))
        .filter_map(|p| {
            let rel = p.strip_prefix(area_dir).ok()?.with_extension("");
            let name = rel.to_string_lossy().trim_end_matches("/mod").to_owned();
            Some(name)
        })
        .collect()
}

/// Where `id` is declared under src/lint/rules/, as `file:line`.
fn declared_at(root: &Path, dir: &Path, id: &str) -> Option<String> {
    let needle = format!("\"{id}\"");
    for path in rust_files(dir) {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        if let Some(n) = text.lines().position(|l| l.contains(&needle)) {
            return Some(format!("{}:{}", rel(root, &path), n + 1));
        }
    }
    None
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "rs") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The area ids that have a folder under src/lint/rules/.
fn areas(rules_dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(rules_dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().replace('_', "-"))
        .collect();
    out.sort();
    out
}

/// The registry's rows with the new rule's inserted where the registry will
/// list it: after the last rule its file declares (a file's rules are
/// listed together, in declaration order), else after its area's last.
fn rows_with(rule: &NewRule, same_file: &[String]) -> Vec<Row> {
    let mut rows = rule_table::registry_rows();
    let after = rows
        .iter()
        .rposition(|r| same_file.contains(&r.id))
        .or_else(|| rows.iter().rposition(|r| r.area() == rule.area));
    let at = after.map_or(rows.len(), |i| i + 1);
    rows.insert(at, rule.row());
    rows
}

/// A `declare_rules! { … }` block: the byte offsets of its braces.
struct Block {
    open: usize,
    close: usize,
}

impl Block {
    fn find(text: &str) -> Option<Block> {
        let mut offset = 0;
        let start = text.split_inclusive('\n').find_map(|line| {
            let at = offset;
            offset += line.len();
            let code = line.trim_start();
            let is_block = code.starts_with("crate::lint::declare_rules!")
                || code.starts_with("declare_rules!");
            is_block.then_some(at)
        })?;
        let open = start + text[start..].find('{')?;
        let close = open + matching_brace(&text[open..])?;
        Some(Block { open, close })
    }

    /// The string literals of the block that are rule ids of `area`.
    fn ids(&self, text: &str, area: &str) -> Vec<String> {
        let prefix = format!("{area}/");
        string_literals(&text[self.open..self.close])
            .into_iter()
            .filter(|s| s.starts_with(&prefix))
            .collect()
    }

    /// `text` with the rule's declaration added as the block's last entry.
    fn declare(&self, text: &str, rule: &NewRule, file: &str) -> Result<String, String> {
        let body = &text[self.open + 1..self.close];
        let area = body
            .trim_start()
            .strip_prefix("area:")
            .and_then(|rest| rest.split_once(';'))
            .map(|(ident, _)| ident.trim())
            .ok_or_else(|| format!("{file}: the block does not start with `area: …;`"))?;
        if kebab(area) != rule.area {
            return Err(format!(
                "{file} declares rules of area {area}, not `{}`",
                rule.area
            ));
        }
        let name = rule.const_name();
        if body
            .lines()
            .any(|l| l.trim_start().starts_with(&format!("{name} =")))
        {
            return Err(format!("{file} declares a rule named {name} already"));
        }
        let line_start = text[..self.close].rfind('\n').map_or(0, |i| i + 1);
        if !text[line_start..self.close].trim().is_empty() {
            return Err(format!(
                "{file}: the block's `}}` is not on a line of its own"
            ));
        }
        let mut decl = String::new();
        let _ = writeln!(
            decl,
            "    {name} = {:?}, {}, {:?},\n        {:?};",
            rule.id,
            rule.args.severity.variant(),
            rule.args.spec,
            rule.args.summary
        );
        Ok(format!(
            "{}{decl}{}",
            &text[..line_start],
            &text[line_start..]
        ))
    }
}

/// `ClientAuth` → `client-auth`: an `Area` variant as its id.
fn kebab(ident: &str) -> String {
    let mut out = String::new();
    for (i, c) in ident.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('-');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// The offset of the `}` that closes the `{` at the start of `text`,
/// skipping string literals and line comments.
fn matching_brace(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => {
                skip_string(&mut chars);
            }
            '/' if chars.peek().is_some_and(|&(_, n)| n == '/') => {
                chars.find(|&(_, n)| n == '\n');
            }
            '{' => depth += 1,
            '}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// Consumes a string literal's characters up to and including its closing `"`.
fn skip_string(chars: &mut impl Iterator<Item = (usize, char)>) -> String {
    let mut s = String::new();
    while let Some((_, c)) = chars.next() {
        match c {
            '\\' => {
                if let Some((_, escaped)) = chars.next() {
                    s.push(escaped);
                }
            }
            '"' => break,
            c => s.push(c),
        }
    }
    s
}

/// The contents of the string literals in `text` (escapes taken loosely:
/// enough to read rule ids).
fn string_literals(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        match c {
            '"' => out.push(skip_string(&mut chars)),
            '/' if chars.peek().is_some_and(|&(_, n)| n == '/') => {
                chars.find(|&(_, n)| n == '\n');
            }
            _ => {}
        }
    }
    out
}

fn doc_skeleton(rule: &NewRule) -> String {
    let summary = rule.args.summary.trim_end_matches('.');
    format!(
        "---\n\
         id: {id}\n\
         severity: {severity}\n\
         spec: {spec}\n\
         ---\n\
         # {id}\n\
         \n\
         {summary}.\n\
         \n\
         ## Why\n\
         \n\
         TODO: what goes wrong at the server or in the client, quoting the spec\n\
         ({spec}) and naming the servers that reject it.\n\
         \n\
         ## How to fix\n\
         \n\
         TODO: what to send instead.\n\
         \n\
         ## Examples\n\
         \n\
         TODO: a request that raises the rule (it must, or the doc test fails):\n\
         \n\
         ```json fail\n\
         {{\"parameters\": \"grant_type=client_credentials&client_id=app\"}}\n\
         ```\n\
         \n\
         TODO: the same request, fixed (it must not raise the rule):\n\
         \n\
         ```json pass\n\
         {{\"parameters\": \"grant_type=client_credentials&client_id=app\"}}\n\
         ```\n",
        id = rule.id,
        severity = rule.args.severity.word(),
        spec = rule.args.spec,
    )
}

fn next_steps(rule: &NewRule, source: &str, doc: &str) -> String {
    format!(
        "declared {id} in {source}\n\
         wrote {doc}\n\
         updated README.md's rule table\n\
         next:\n  \
         - raise it: a finding constructor in the area's diags and a check that pushes it\n  \
         - fill in {doc}: why, how to fix, a failing and a passing example\n  \
         - cargo test --test it rule_docs   (runs the doc's examples)",
        id = rule.id
    )
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// `path` relative to the checkout, for messages.
fn rel(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_block_ends_at_its_own_brace_not_one_in_a_summary() {
        let text = "x\ncrate::lint::declare_rules! {\n    area: Options;\n    A = \"options/a\", \
                    Error, \"s\",\n        \"an array of {key, value}\";\n}\n\nfn f() {}\n";
        let b = Block::find(text).unwrap();
        assert_eq!(&text[b.close..b.close + 2], "}\n");
        assert_eq!(text[b.close + 1..].trim_start(), "fn f() {}\n");
        assert_eq!(b.ids(text, "options"), vec!["options/a".to_owned()]);
    }

    #[test]
    fn area_variants_read_as_ids() {
        assert_eq!(kebab("ClientAuth"), "client-auth");
        assert_eq!(kebab("Dpop"), "dpop");
    }

    #[test]
    fn ids_are_lower_case_words() {
        let args = Args {
            id: String::new(),
            severity: Severity::Warning,
            spec: String::new(),
            summary: String::new(),
            file: None,
        };
        assert!(parse_id("dpop/htu-2", &args).is_ok());
        for bad in [
            "dpop", "Dpop/x", "dpop/x_y", "dpop/", "dpop/x-", "/x", "dpop/-x",
        ] {
            assert!(parse_id(bad, &args).is_err(), "{bad}");
        }
    }
}
