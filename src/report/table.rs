//! A plain table, one finding a row: for terminals and logs that want neither
//! snippets nor JSON. Its columns are as wide as their widest cell, so the
//! rows (not the inputs) are kept until the end. Every cell is
//! [`printable`]: one line, no control character, its width what it shows.

use super::{Outcome, Summary};
use crate::text::printable;

/// One finding, or an unreadable input.
#[derive(Clone, Debug)]
pub struct Row {
    pub source: String,
    /// `line:column`, or `-` when the finding has no position.
    pub position: String,
    pub severity: &'static str,
    /// The rule id, or `(unreadable)`.
    pub rule: &'static str,
    /// On one line.
    pub message: String,
}

impl Row {
    /// The cells, in the order of [`HEADER`].
    fn cells(&self) -> [&str; 5] {
        [
            &self.source,
            &self.position,
            self.severity,
            self.rule,
            &self.message,
        ]
    }
}

const HEADER: [&str; 5] = ["SOURCE", "LINE:COL", "SEVERITY", "RULE", "MESSAGE"];

/// One input's rows: one per finding, or one for an unreadable input.
pub fn rows(o: &Outcome) -> Vec<Row> {
    match o {
        Outcome::Failed { name, error } => vec![Row {
            source: printable(name).into_owned(),
            position: "-".into(),
            severity: "error",
            rule: "(unreadable)",
            message: printable(error).into_owned(),
        }],
        Outcome::Skipped { name, reason, .. } => vec![Row {
            source: printable(name).into_owned(),
            position: "-".into(),
            severity: "-",
            rule: "(skipped)",
            message: printable(reason).into_owned(),
        }],
        Outcome::Linted(r) => r
            .findings
            .iter()
            .map(|f| Row {
                source: printable(&r.source.name).into_owned(),
                position: f.primary_span().map_or("-".into(), |s| {
                    let (l, c) = r.source.line_col(s.offset);
                    format!("{l}:{c}")
                }),
                severity: f.severity.as_str(),
                rule: f.rule.id,
                message: printable(&f.message).into_owned(),
            })
            .collect(),
    }
}

/// The table of `rows` and the summary line.
pub fn render_rows(rows: &[Row], summary: &Summary) -> String {
    let mut widths = HEADER.map(str::len);
    for r in rows {
        for (w, cell) in widths.iter_mut().zip(r.cells()).take(4) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let line = |cells: [&str; 5]| {
        format!(
            "{:<w0$}  {:<w1$}  {:<w2$}  {:<w3$}  {}\n",
            cells[0],
            cells[1],
            cells[2],
            cells[3],
            cells[4],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2],
            w3 = widths[3]
        )
    };
    if !rows.is_empty() {
        out.push_str(&line(HEADER));
        for r in rows {
            out.push_str(&line(r.cells()));
        }
        out.push('\n');
    }
    out.push_str(&summary.line());
    out.push('\n');
    out
}
