//! SARIF 2.1.0 as GitHub code scanning accepts it: every rule with its help
//! text, every result with a file/line/column region computed from its span
//! and a `partialFingerprints` entry that survives reformatting.

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::Outcome;
use crate::lint::{self, Finding, RuleMeta, Severity};

pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn rule_json(r: &RuleMeta) -> Value {
    let docs = r.docs().unwrap_or("").trim();
    json!({
        "id": r.id,
        "name": r.id.replace(['/', '-'], "_"),
        "shortDescription": {"text": r.summary},
        "fullDescription": {"text": format!("{} ({})", r.summary, r.spec)},
        "help": {
            "text": match r.explain_command() {
                Some(cmd) => format!(
                    "{}\n\nSpec: {}. Run `{cmd}` for the full documentation.",
                    r.summary, r.spec
                ),
                None => format!("{}\n\nSpec: {}.", r.summary, r.spec),
            },
            "markdown": if docs.is_empty() { r.summary.to_owned() } else { docs.to_owned() },
        },
        "defaultConfiguration": {"level": level(r.severity)},
        "properties": {
            "tags": ["oauth", "security", r.area()],
            "precision": "high",
        },
    })
}

fn fingerprint(source: &str, f: &Finding) -> String {
    // Rule, file and field: stable when the file is reformatted or the
    // message wording changes.
    let mut h = Sha256::new();
    h.update(f.rule.id.as_bytes());
    h.update([0]);
    h.update(source.as_bytes());
    h.update([0]);
    h.update(f.field.as_deref().unwrap_or("").as_bytes());
    let d = h.finalize();
    let hex: String = d[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("{hex}:1")
}

/// One input's results: one per finding.
pub fn results(o: &Outcome) -> Vec<Value> {
    let Outcome::Linted(report) = o else {
        return Vec::new();
    };
    let uri = report.source.name.trim_start_matches("./").to_owned();
    report
        .findings
        .iter()
        .map(|f| {
            let mut location = json!({"physicalLocation": {"artifactLocation": {"uri": uri}}});
            location["physicalLocation"]["region"] = region(&report.source, f);
            let mut text = f.message.clone();
            if let Some(h) = &f.help {
                text.push_str("\nHelp: ");
                text.push_str(h);
            }
            json!({
                "ruleId": f.rule.id,
                "ruleIndex": lint::registry().iter().position(|r| r.id == f.rule.id),
                "level": level(f.severity),
                "message": {"text": text},
                "locations": [location],
                "partialFingerprints": {"primaryLocationLineHash": fingerprint(&uri, f)},
            })
        })
        .collect()
}

/// Where a finding is: its primary span's lines and UTF-16 columns (an
/// empty span still covers one column), or the first line.
fn region(source: &crate::source::Source, f: &Finding) -> Value {
    let Some(span) = f.primary_span() else {
        return json!({"startLine": 1});
    };
    let (sl, sc) = source.line_col_utf16(span.offset);
    let (el, ec) = source.line_col_utf16(span.end());
    let min_end = if el == sl { sc + 1 } else { 1 };
    json!({"startLine": sl, "startColumn": sc, "endLine": el, "endColumn": ec.max(min_end)})
}

/// The log around `results`: every rule of the registry, one run.
pub fn document(results: Vec<Value>) -> Value {
    let rules = lint::registry();
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "tokenlint",
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": rules.iter().map(|r| rule_json(r)).collect::<Vec<_>>(),
            }},
            "automationDetails": {"id": "tokenlint/"},
            "results": results,
        }],
    })
}
