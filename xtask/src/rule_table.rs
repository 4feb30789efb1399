//! README's rule table, generated from the rule registry: a count line, then
//! per area a collapsible table with each rule's id (linked to its doc),
//! severity, summary and spec, in the order `tokenlint rules` prints them.

use std::fmt::Write as _;
use std::path::Path;

/// One row of the table: what `declare_rules!` says about a rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub id: String,
    pub severity: String,
    pub spec: String,
    pub summary: String,
}

impl Row {
    /// The part of the id before the `/`.
    pub fn area(&self) -> &str {
        self.id.split_once('/').map_or(&self.id, |(area, _)| area)
    }
}

/// Every rule of the registry this xtask was built with, in registry order.
pub fn registry_rows() -> Vec<Row> {
    tokenlint::lint::registry()
        .into_iter()
        .map(|r| Row {
            id: r.id.to_owned(),
            severity: r.severity.as_str().to_owned(),
            spec: r.spec.to_owned(),
            summary: r.summary.to_owned(),
        })
        .collect()
}

/// The table's text: from the count line to the last `</details>`.
pub fn render(rows: &[Row]) -> String {
    let mut areas: Vec<(&str, Vec<&Row>)> = Vec::new();
    for row in rows {
        match areas.iter_mut().find(|(a, _)| *a == row.area()) {
            Some((_, group)) => group.push(row),
            None => areas.push((row.area(), vec![row])),
        }
    }
    let mut out = format!(
        "{} rules in {} areas. `tokenlint rules` prints this list; `-o json` gives it as data.\n",
        rows.len(),
        areas.len()
    );
    for (area, group) in &areas {
        let _ = write!(
            out,
            "\n<details><summary><b>{area}/</b> ({} rule{})</summary>\n\n\
             | rule | severity | what it catches | spec |\n|---|---|---|---|\n",
            group.len(),
            if group.len() == 1 { "" } else { "s" }
        );
        for r in group {
            let _ = writeln!(
                out,
                "| [`{id}`](rules/{id}.md) | {} | {} | {} |",
                r.severity,
                cell(&r.summary),
                cell(&r.spec),
                id = r.id
            );
        }
        out.push_str("\n</details>\n");
    }
    out
}

/// A Markdown table cell: a `|` would end it.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

/// README with its rule table replaced by `table`. The table starts at the
/// line `N rules in M areas.` and ends at the last `</details>` before the
/// next `## ` heading.
pub fn splice(readme: &str, table: &str) -> Result<String, String> {
    let start = readme
        .match_indices('\n')
        .map(|(i, _)| i + 1)
        .find(|&i| is_count_line(&readme[i..]))
        .ok_or("README.md has no line `N rules in M areas.` to start the rule table at")?;
    let section_end = readme[start..]
        .find("\n## ")
        .map_or(readme.len(), |i| start + i + 1);
    let end = readme[start..section_end]
        .rfind("</details>\n")
        .map(|i| start + i + "</details>\n".len())
        .ok_or("README.md's rule table has no `</details>`")?;
    Ok(format!("{}{table}{}", &readme[..start], &readme[end..]))
}

fn is_count_line(text: &str) -> bool {
    let line = text.lines().next().unwrap_or("");
    let Some((n, rest)) = line.split_once(" rules in ") else {
        return false;
    };
    n.chars().all(|c| c.is_ascii_digit()) && !n.is_empty() && rest.contains(" areas.")
}

/// Writes README.md with `rows` as its rule table; with `check`, changes
/// nothing and fails if the table differs.
pub fn update(root: &Path, rows: &[Row], check: bool) -> Result<(), String> {
    let path = root.join("README.md");
    let readme = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let new = splice(&readme, &render(rows))?;
    if new == readme {
        return Ok(());
    }
    if check {
        return Err("README.md's rule table is out of date; run `cargo xtask rule-table`".into());
    }
    std::fs::write(&path, new).map_err(|e| format!("{}: {e}", path.display()))
}

pub fn run(root: &Path, check: bool) -> Result<(), String> {
    update(root, &registry_rows(), check)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: &str) -> Row {
        Row {
            id: id.into(),
            severity: "error".into(),
            spec: "RFC 1 §1".into(),
            summary: "a | b".into(),
        }
    }

    #[test]
    fn renders_one_block_per_area_in_first_seen_order() {
        let t = render(&[row("b/x"), row("a/y"), row("b/z")]);
        assert!(t.starts_with("3 rules in 2 areas."));
        let b = t.find("<b>b/</b> (2 rules)").unwrap();
        let a = t.find("<b>a/</b> (1 rule)").unwrap();
        assert!(b < a);
        assert!(t.contains("| [`b/z`](rules/b/z.md) | error | a \\| b | RFC 1 §1 |\n"));
        assert!(t.ends_with("</details>\n"));
    }

    #[test]
    fn splice_keeps_what_is_around_the_table() {
        let readme = "## Rules\n\nintro\n\n2 rules in 1 areas. old\n\n<details>\nold\n</details>\n\n## Next\n";
        let new = splice(readme, "NEW\n").unwrap();
        assert_eq!(new, "## Rules\n\nintro\n\nNEW\n\n## Next\n");
    }
}
