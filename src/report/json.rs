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

use serde_json::{json, Value};

use super::{Outcome, Summary};
use crate::lint::{FileReport, Finding};

pub const VERSION: u32 = 1;

pub fn finding_json(report: &FileReport, f: &Finding) -> Value {
    let mut v = finding_core(report, f);
    // Optional members, present only when they apply.
    if let Some(d) = &f.decoded {
        v["decoded"] = json!({
            "title": d.title,
            "text": d.text,
            "labels": d.labels.iter().map(|l| json!({
                "offset": l.span.offset, "length": l.span.len, "text": l.text,
            })).collect::<Vec<_>>(),
        });
    }
    if let Some(r) = &f.rejected_by {
        v["rejected_by"] = json!(r);
    }
    v
}

fn finding_core(report: &FileReport, f: &Finding) -> Value {
    let span = f.primary_span();
    let (line, column) = span.map_or((None, None), |s| {
        let (l, c) = report.source.line_col(s.offset);
        (Some(l), Some(c))
    });
    json!({
        "rule": f.rule.id,
        "severity": f.severity.as_str(),
        "message": f.message,
        "field": f.field,
        "span": span.map(|s| json!({"offset": s.offset, "length": s.len})),
        "line": line,
        "column": column,
        "help": f.help,
        "spec": f.rule.spec,
        "labels": f.labels.iter().map(|l| json!({
            "offset": l.span.offset, "length": l.span.len, "text": l.text,
        })).collect::<Vec<_>>(),
    })
}

/// One input's entry in `results`.
pub fn result_value(o: &Outcome) -> Value {
    match o {
        Outcome::Linted(r) => {
            let mut v = json!({
                "source": r.source.name,
                "findings": r.findings.iter().map(|f| finding_json(r, f)).collect::<Vec<_>>(),
            });
            // Present only when set: the errors were expected (`expect-errors`).
            if r.expected_errors {
                v["expected_errors"] = json!(true);
            }
            // Present only when the capture's own time was the clock.
            if let Some(t) = &r.clock {
                v["clock"] = json!({
                    "now": crate::clock::format_rfc3339(t.at),
                    "from": t.from.id(),
                });
            }
            v
        }
        Outcome::Failed { name, error } => json!({
            "source": name,
            "error": error,
            "findings": [],
        }),
        Outcome::Skipped { name, reason, .. } => json!({
            "source": name,
            "skipped": reason,
            "findings": [],
        }),
    }
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
