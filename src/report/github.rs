//! GitHub Actions workflow commands: one `::error`/`::warning`/`::notice`
//! annotation per finding, shown inline on the pull request.

use super::Outcome;
use crate::lint::Severity;

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

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
        Outcome::Skipped { name, reason } => out.push_str(&format!(
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
