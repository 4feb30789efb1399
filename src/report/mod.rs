//! Rendering lint results. Each format module turns one input into its part
//! of the report; [`stream`] writes the parts in order (and
//! [`stream::render_all`] into a `String`). None of them prints.

use crate::lint::{FileReport, Severity};

pub mod github;
pub mod json;
pub mod pretty;
pub mod sarif;
pub mod stream;
pub mod structured;
pub mod table;

/// What happened to one input.
#[derive(Clone, Debug)]
pub enum Outcome {
    Linted(FileReport),
    /// The input could not be read at all (file not found, permission): exit 2.
    Failed {
        name: String,
        error: String,
    },
}

impl Outcome {
    pub fn name(&self) -> &str {
        match self {
            Outcome::Linted(r) => &r.source.name,
            Outcome::Failed { name, .. } => name,
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub inputs: usize,
    pub failed: usize,
    /// Inputs with errors that fail the run (not expected).
    pub with_errors: usize,
    /// Inputs with errors the configuration expects (`expect-errors`).
    pub with_expected_errors: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Inputs read and linted with no finding at all.
    pub clean: usize,
}

impl Summary {
    pub fn of(outcomes: &[Outcome]) -> Summary {
        let mut s = Summary::default();
        for o in outcomes {
            s.add(o);
        }
        s
    }

    /// Counts one more input.
    pub fn add(&mut self, o: &Outcome) {
        self.inputs += 1;
        match o {
            Outcome::Failed { .. } => self.failed += 1,
            Outcome::Linted(r) => {
                self.errors += r.count(Severity::Error);
                self.warnings += r.count(Severity::Warning);
                self.infos += r.count(Severity::Info);
                if r.fails() {
                    self.with_errors += 1;
                } else if r.expected_errors {
                    self.with_expected_errors += 1;
                }
                if r.findings.is_empty() {
                    self.clean += 1;
                }
            }
        }
    }

    /// The closing line of the human formats (pretty, table).
    pub fn line(&self) -> String {
        let mut parts = vec![format!(
            "{}: {} clean",
            plural(self.inputs, "input checked", "inputs checked"),
            self.clean
        )];
        if self.with_errors > 0 {
            parts.push(format!("{} with errors", self.with_errors));
        }
        if self.with_expected_errors > 0 {
            parts.push(format!(
                "{} with expected errors",
                self.with_expected_errors
            ));
        }
        if self.failed > 0 {
            parts.push(format!("{} unreadable", self.failed));
        }
        format!(
            "{} — {}, {}, {}",
            parts.join(", "),
            plural(self.errors, "error", "errors"),
            plural(self.warnings, "warning", "warnings"),
            plural(self.infos, "info", "info")
        )
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
