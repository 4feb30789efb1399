//! The versioned JSON report (`-o json`). Version 1 is stable: fields are
//! only ever added.
//!
//! ```text
//! {"version":1,"tool":{...},"results":[{"source":..., "findings":[{"rule","severity",
//!  "message","field","span":{"offset","length"},"line","column","help","spec","labels",
//!  optional "decoded":{"title","text","labels"}, optional "rejected_by":[profile…]}],
//!  optional "expected_errors":true, optional "clock":{"now","from"}}
//!  or {"source", "error"} (unreadable) or {"source", "skipped"}],
//!  "summary":{"inputs","clean","inputs_with_warnings","unreadable","skipped",
//!  "inputs_with_errors","inputs_with_expected_errors","errors","warnings","info"}}
//! ```
//!
//! A result is described once, by the borrowed structs below: the JSON
//! report serializes them straight to text ([`write_result`]), YAML and
//! TOON serialize them too ([`result`]), and `--jq` takes the same as a
//! [`Value`] ([`result_value`]). The order of a struct's fields is the
//! order of the members.

use std::io;

use serde::ser::{Serialize, Serializer};
use serde_json::{json, Value};

use super::{Outcome, Summary};
use crate::lint::{FileReport, Finding, Label};

pub const VERSION: u32 = 1;

/// One input's entry in `results`.
#[derive(serde::Serialize)]
#[serde(untagged)]
enum ResultOut<'a> {
    Linted {
        source: &'a str,
        findings: Findings<'a>,
        /// Present only when set: the errors were expected (`expect-errors`).
        #[serde(skip_serializing_if = "is_false")]
        expected_errors: bool,
        /// Present only when the capture's own time was the clock.
        #[serde(skip_serializing_if = "Option::is_none")]
        clock: Option<ClockOut>,
    },
    Failed {
        source: &'a str,
        error: &'a str,
        findings: [(); 0],
    },
    Skipped {
        source: &'a str,
        skipped: &'a str,
        findings: [(); 0],
    },
}

fn is_false(b: &bool) -> bool {
    !*b
}

#[derive(serde::Serialize)]
struct ClockOut {
    now: String,
    from: &'static str,
}

/// A report's findings, serialized one by one as they are read.
struct Findings<'a>(&'a FileReport);

impl Serialize for Findings<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let r = self.0;
        s.collect_seq(r.findings.iter().map(|f| FindingOut::of(r, f)))
    }
}

#[derive(serde::Serialize)]
struct FindingOut<'a> {
    rule: &'static str,
    severity: &'static str,
    message: &'a str,
    field: Option<&'a str>,
    span: Option<SpanOut>,
    line: Option<usize>,
    column: Option<usize>,
    help: Option<&'a str>,
    spec: &'static str,
    labels: Labels<'a>,
    // Optional members, present only when they apply.
    #[serde(skip_serializing_if = "Option::is_none")]
    decoded: Option<DecodedOut<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rejected_by: Option<&'a [String]>,
}

impl<'a> FindingOut<'a> {
    fn of(report: &'a FileReport, f: &'a Finding) -> FindingOut<'a> {
        let span = f.primary_span();
        let (line, column) = span.map_or((None, None), |s| {
            let (l, c) = report.source.line_col(s.offset);
            (Some(l), Some(c))
        });
        FindingOut {
            rule: f.rule.id,
            severity: f.severity.as_str(),
            message: &f.message,
            field: f.field.as_deref(),
            span: span.map(|s| SpanOut {
                offset: s.offset,
                length: s.len,
            }),
            line,
            column,
            help: f.help.as_deref(),
            spec: f.rule.spec,
            labels: Labels(&f.labels),
            decoded: f.decoded.as_ref().map(|d| DecodedOut {
                title: &d.title,
                text: &d.text,
                labels: Labels(&d.labels),
            }),
            rejected_by: f.rejected_by.as_deref(),
        }
    }
}

#[derive(serde::Serialize)]
struct SpanOut {
    offset: usize,
    length: usize,
}

#[derive(serde::Serialize)]
struct DecodedOut<'a> {
    title: &'a str,
    text: &'a str,
    labels: Labels<'a>,
}

struct Labels<'a>(&'a [Label]);

impl Serialize for Labels<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(|l| LabelOut {
            offset: l.span.offset,
            length: l.span.len,
            text: &l.text,
        }))
    }
}

#[derive(serde::Serialize)]
struct LabelOut<'a> {
    offset: usize,
    length: usize,
    text: &'a str,
}

impl<'a> ResultOut<'a> {
    fn of(o: &'a Outcome) -> ResultOut<'a> {
        match o {
            Outcome::Linted(r) => ResultOut::Linted {
                source: &r.source.name,
                findings: Findings(r),
                expected_errors: r.expected_errors,
                clock: r.clock.as_ref().map(|t| ClockOut {
                    now: crate::clock::format_rfc3339(t.at),
                    from: t.from.id(),
                }),
            },
            Outcome::Failed { name, error } => ResultOut::Failed {
                source: name,
                error,
                findings: [],
            },
            Outcome::Skipped { name, reason, .. } => ResultOut::Skipped {
                source: name,
                skipped: reason,
                findings: [],
            },
        }
    }
}

/// One finding as a value (`jwt inspect`, `dpop inspect`).
pub fn finding_json(report: &FileReport, f: &Finding) -> Value {
    serde_json::to_value(FindingOut::of(report, f)).unwrap_or(Value::Null)
}

/// One input's entry in `results`, to serialize (TOON and YAML write it
/// so).
pub(super) fn result(o: &Outcome) -> impl Serialize + '_ {
    ResultOut::of(o)
}

/// One input's entry in `results`, as a value (`--jq`).
pub fn result_value(o: &Outcome) -> Value {
    serde_json::to_value(ResultOut::of(o)).unwrap_or(Value::Null)
}

/// One input's entry in `results`, pretty-printed `depth` levels deep (as
/// `serde_json::to_string_pretty` would print it there, its first line
/// indented too), appended to `out`.
pub fn write_result(o: &Outcome, depth: usize, out: &mut Vec<u8>) -> io::Result<()> {
    super::stream::write_pretty(&ResultOut::of(o), depth, out)
}

pub fn summary_value(s: &Summary) -> Value {
    json!({
        "inputs": s.inputs,
        "clean": s.clean,
        "inputs_with_warnings": s.with_warnings,
        "unreadable": s.failed,
        "skipped": s.skipped,
        "inputs_with_errors": s.with_errors,
        "inputs_with_expected_errors": s.with_expected_errors,
        "errors": s.errors,
        "warnings": s.warnings,
        "info": s.infos,
    })
}

/// What precedes `results`: the version and the tool.
pub fn head() -> Value {
    json!({
        "version": VERSION,
        "tool": {"name": "tokenlint", "version": env!("CARGO_PKG_VERSION")},
    })
}

/// The whole report from its `results` entries; without `summary` (`None`),
/// the head that [`super::stream`] writes before the first result.
pub fn document(results: Vec<Value>, summary: Option<&Summary>) -> Value {
    let mut doc = head();
    doc["results"] = Value::Array(results);
    if let Some(s) = summary {
        doc["summary"] = summary_value(s);
    }
    doc
}

pub fn to_value(outcomes: &[Outcome]) -> Value {
    document(
        outcomes.iter().map(result_value).collect(),
        Some(&Summary::of(outcomes)),
    )
}
