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
pub mod toon;

/// What happened to one input.
#[derive(Clone, Debug)]
pub enum Outcome {
    Linted(FileReport),
    /// The input could not be read at all (file not found, permission): exit 2.
    Failed {
        name: String,
        error: String,
    },
    /// The input was not linted, for a reason that is no problem: a HAR
    /// with no token request, a file the configuration excludes, a FIFO in
    /// a folder.
    Skipped {
        name: String,
        reason: String,
        /// Plainly not a token request (a JWK, a `package.json`), met in a
        /// folder walk: the human formats count it in the summary line
        /// rather than give it a note of its own, so a walk over a project
        /// folder stays quiet.
        foreign: bool,
    },
}

impl Outcome {
    pub fn name(&self) -> &str {
        match self {
            Outcome::Linted(r) => &r.source.name,
            Outcome::Failed { name, .. } | Outcome::Skipped { name, .. } => name,
        }
    }
}

/// What a report adds up to. Every input is in exactly one bucket: `clean`
/// (no error or warning; advice may remain), `with_warnings` (warnings, no
/// error), `with_errors` (errors that fail the run), `with_expected_errors`
/// (errors the configuration expects), `failed` (unreadable) or `skipped`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub inputs: usize,
    pub failed: usize,
    /// Inputs with errors that fail the run (not expected).
    pub with_errors: usize,
    /// Inputs with errors the configuration expects (`expect-errors`).
    pub with_expected_errors: usize,
    /// Inputs with warnings and no error.
    pub with_warnings: usize,
    /// Inputs with neither errors nor warnings (info findings may remain).
    pub clean: usize,
    /// Inputs not linted ([`Outcome::Skipped`]).
    pub skipped: usize,
    /// Of those, the ones plainly not token requests (`foreign`).
    pub foreign: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Summary {
    pub fn of(outcomes: &[Outcome]) -> Summary {
        let mut s = Summary::default();
        for o in outcomes {
            s.add(o);
        }
        s
    }

    /// Counts one more input, in its one bucket.
    pub fn add(&mut self, o: &Outcome) {
        self.inputs += 1;
        match o {
            Outcome::Failed { .. } => self.failed += 1,
            Outcome::Skipped { foreign, .. } => {
                self.skipped += 1;
                self.foreign += usize::from(*foreign);
            }
            Outcome::Linted(r) => {
                self.errors += r.count(Severity::Error);
                self.warnings += r.count(Severity::Warning);
                self.infos += r.count(Severity::Info);
                if r.fails() {
                    self.with_errors += 1;
                } else if r.has_errors() {
                    self.with_expected_errors += 1;
                } else if r.count(Severity::Warning) > 0 {
                    self.with_warnings += 1;
                } else {
                    self.clean += 1;
                }
            }
        }
    }

    /// The sum of the buckets: always [`Summary::inputs`].
    pub fn bucketed(&self) -> usize {
        self.clean
            + self.with_warnings
            + self.with_errors
            + self.with_expected_errors
            + self.failed
            + self.skipped
    }

    /// The closing line of the human formats (pretty, table).
    pub fn line(&self) -> String {
        let mut parts = vec![format!(
            "{}: {} clean",
            plural(self.inputs, "input checked", "inputs checked"),
            self.clean
        )];
        for (n, what) in [
            (self.with_warnings, "with warnings only"),
            (self.with_errors, "with errors"),
            (self.with_expected_errors, "with expected errors"),
            (self.failed, "unreadable"),
        ] {
            if n > 0 {
                parts.push(format!("{n} {what}"));
            }
        }
        match (self.skipped, self.foreign) {
            (0, _) => {}
            (n, 0) => parts.push(format!("{n} skipped")),
            (n, f) => parts.push(format!(
                "{n} skipped ({f} not {}: name one to lint it; -o table lists them)",
                if f == 1 {
                    "a token request"
                } else {
                    "token requests"
                }
            )),
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
