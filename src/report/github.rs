//! GitHub Actions workflow commands: one `::error`/`::warning`/`::notice`
//! annotation per finding, shown inline on the pull request.
//!
//! Each annotation is one line, and nothing in it can end it or start
//! another command: values are escaped as GitHub documents (`%25`, `%0D`,
//! `%0A`; in properties also `%3A`, `%2C`, so a `::` cannot end the
//! properties early), and their other control characters are shown as
//! escapes (`\x1b`), as in the other human formats (the log viewer
//! interprets colour sequences).

use super::Outcome;
use crate::lint::Severity;
use crate::text::printable_lines;

/// A message: GitHub turns `%0A` back into a line break of the annotation.
fn escape_data(s: &str) -> String {
    printable_lines(s)
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value (`file=`, `title=`): as data, and `:` and `,`, which
/// end a property or the properties.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// One input's annotations, one line each.
pub fn annotations(o: &Outcome) -> String {
    let mut out = String::new();
    match o {
        Outcome::Failed { name, error } => out.push_str(&format!(
            "::error file={},title=tokenlint::{}\n",
            escape_property(name),
            escape_data(error)
        )),
        Outcome::Skipped { name, reason, .. } => out.push_str(&format!(
            "::notice file={},title=tokenlint::skipped: {}\n",
            escape_property(name),
            escape_data(reason)
        )),
        Outcome::Linted(r) => {
            for f in &r.findings {
                let kind = match f.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                    Severity::Info => "notice",
                };
                let mut props = vec![format!("file={}", escape_property(&r.source.name))];
                if let Some(span) = f.primary_span() {
                    let (l, c) = r.source.line_col(span.offset);
                    let (el, ec) = r.source.line_col(span.end());
                    props.push(format!("line={l},col={c},endLine={el},endColumn={ec}"));
                }
                props.push(format!("title={}", escape_property(f.rule.id)));
                out.push_str(&format!(
                    "::{kind} {}::{}\n",
                    props.join(","),
                    escape_data(&f.message)
                ));
            }
        }
    }
    out
}
