//! A plain table, one finding a row: for terminals and logs that want neither
//! snippets nor JSON. Its columns are as wide as their widest cell, so the
//! rows (not the inputs) are kept until the end.

use super::{pretty::summary_line, Outcome, Summary};

/// Source, line:column, severity, rule, message.
pub type Row = [String; 5];

/// One input's rows: one per finding, or one for an unreadable input.
pub fn rows(o: &Outcome) -> Vec<Row> {
    match o {
        Outcome::Failed { name, error } => vec![[
            name.clone(),
            "-".into(),
            "error".into(),
            "(unreadable)".into(),
            error.clone(),
        ]],
        Outcome::Linted(r) => r
            .findings
            .iter()
            .map(|f| {
                let pos = f.primary_span().map_or("-".into(), |s| {
                    let (l, c) = r.source.line_col(s.offset);
                    format!("{l}:{c}")
                });
                [
                    r.source.name.clone(),
                    pos,
                    f.severity.as_str().into(),
                    f.rule.id.into(),
                    f.message.replace('\n', " "),
                ]
            })
            .collect(),
    }
}

/// The table of `rows` and the summary line.
pub fn render_rows(rows: &[Row], summary: &Summary) -> String {
    let header = ["SOURCE", "LINE:COL", "SEVERITY", "RULE", "MESSAGE"];
    let mut widths = header.map(str::len);
    for r in rows {
        for (w, cell) in widths.iter_mut().zip(r.iter()).take(4) {
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
        out.push_str(&line(header));
        for r in rows {
            out.push_str(&line([&r[0], &r[1], &r[2], &r[3], &r[4]]));
        }
        out.push('\n');
    }
    out.push_str(&summary_line(summary));
    out.push('\n');
    out
}

pub fn render(outcomes: &[Outcome]) -> String {
    super::stream::render_all(super::stream::Format::Table, outcomes)
}
