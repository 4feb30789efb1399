//! A plain table, one finding a row: for terminals and logs that want neither
//! snippets nor JSON. Its columns are as wide as their widest cell, known
//! only at the end: each input's rows are rendered where it was linted as
//! records of tab-separated cells ([`Rows`]), kept in the report's spool
//! (memory up to a budget, then a temporary file) with the widest cell of
//! each column so far, and laid out when the last input is in
//! ([`write_table`]). Every cell is [`printable`]: one line, no control
//! character (a tab or a line break in it is escaped, so neither can end a
//! cell or a record), its width what it shows.

use std::io::{self, BufRead, Write};

use super::{Outcome, Summary};
use crate::text::printable;

/// One finding, or an unreadable input.
#[derive(Clone, Debug)]
struct Row<'a> {
    source: &'a str,
    /// `line:column`, or `-` when the finding has no position.
    position: &'a str,
    severity: &'static str,
    /// The rule id, or `(unreadable)`.
    rule: &'static str,
    /// On one line.
    message: &'a str,
}

impl Row<'_> {
    /// The cells, in the order of [`HEADER`].
    fn cells(&self) -> [&str; 5] {
        [
            self.source,
            self.position,
            self.severity,
            self.rule,
            self.message,
        ]
    }
}

/// Widths of the first four columns (the message is not padded).
pub type Widths = [usize; 4];

/// One input's rows as records, `cell\tcell\tcell\tcell\tcell\n`, and
/// the widest cell of each padded column among them.
#[derive(Debug, Default)]
pub struct Rows {
    pub records: String,
    pub widths: Widths,
}

impl Rows {
    fn add(&mut self, row: &Row) {
        let cells = row.cells();
        for (w, cell) in self.widths.iter_mut().zip(cells) {
            *w = (*w).max(cell.chars().count());
        }
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                self.records.push('\t');
            }
            self.records.push_str(cell);
        }
        self.records.push('\n');
    }
}

/// The wider of each column.
pub fn widest(a: Widths, b: Widths) -> Widths {
    std::array::from_fn(|i| a[i].max(b[i]))
}

const HEADER: [&str; 5] = ["SOURCE", "LINE:COL", "SEVERITY", "RULE", "MESSAGE"];

/// One input's rows: one per finding, or one for an unreadable or
/// skipped input.
pub fn rows(o: &Outcome) -> Rows {
    let mut rows = Rows::default();
    match o {
        Outcome::Failed { name, error } => rows.add(&Row {
            source: &printable(name),
            position: "-",
            severity: "error",
            rule: "(unreadable)",
            message: &printable(error),
        }),
        Outcome::Skipped { name, reason, .. } => rows.add(&Row {
            source: &printable(name),
            position: "-",
            severity: "-",
            rule: "(skipped)",
            message: &printable(reason),
        }),
        Outcome::Linted(r) => {
            let source = printable(&r.source.name);
            for f in &r.findings {
                let position = f.primary_span().map_or("-".into(), |s| {
                    let (l, c) = r.source.line_col(s.offset);
                    format!("{l}:{c}")
                });
                rows.add(&Row {
                    source: &source,
                    position: &position,
                    severity: f.severity.as_str(),
                    rule: f.rule.id,
                    message: &printable(&f.message),
                });
            }
        }
    }
    rows
}

/// Writes the table of the `records` (as [`Rows`] made them), its padded
/// columns `widths` wide, and the summary line.
pub fn write_table(
    records: impl BufRead,
    widths: Widths,
    summary: &Summary,
    out: &mut impl Write,
) -> io::Result<()> {
    let widths = widest(widths, [0, 1, 2, 3].map(|i| HEADER[i].len()));
    let line = |out: &mut dyn Write, cells: [&str; 5]| {
        writeln!(
            out,
            "{:<w0$}  {:<w1$}  {:<w2$}  {:<w3$}  {}",
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
    let mut any = false;
    for record in records.lines() {
        let record = record?;
        if !any {
            line(out, HEADER)?;
            any = true;
        }
        let mut cells = record.splitn(5, '\t');
        let cells = [(); 5].map(|()| cells.next().unwrap_or(""));
        line(out, cells)?;
    }
    if any {
        writeln!(out)?;
    }
    writeln!(out, "{}", summary.line())
}
