//! SARIF 2.1.0 as GitHub code scanning accepts it: every rule with its help
//! text, every result with a file/line/column region computed from its span
//! and a `partialFingerprints` entry that survives reformatting.

use serde::Serialize;
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
    use std::fmt::Write as _;
    // Rule, file and field: stable when the file is reformatted or the
    // message wording changes.
    let mut h = Sha256::new();
    h.update(f.rule.id.as_bytes());
    h.update([0]);
    h.update(source.as_bytes());
    h.update([0]);
    h.update(f.field.as_deref().unwrap_or("").as_bytes());
    let d = h.finalize();
    let mut hex = String::with_capacity(34);
    for b in &d[..16] {
        let _ = write!(hex, "{b:02x}");
    }
    hex.push_str(":1");
    hex
}

/// One SARIF result, borrowed from its finding, serialized as it is (the
/// order of the fields is the order of the members).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResultOut<'a> {
    rule_id: &'static str,
    rule_index: Option<usize>,
    level: &'static str,
    message: MessageOut,
    locations: [LocationOut<'a>; 1],
    partial_fingerprints: FingerprintsOut,
}

#[derive(Serialize)]
struct MessageOut {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LocationOut<'a> {
    physical_location: PhysicalOut<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalOut<'a> {
    artifact_location: ArtifactOut<'a>,
    region: RegionOut,
}

#[derive(Serialize)]
struct ArtifactOut<'a> {
    uri: &'a str,
}

/// Where a finding is: its primary span's lines and UTF-16 columns (an
/// empty span still covers one column), or the first line.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RegionOut {
    start_line: usize,
    #[serde(flatten)]
    span: Option<SpanRegion>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SpanRegion {
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FingerprintsOut {
    primary_location_line_hash: String,
}

/// One input's results: one per finding.
pub fn results(o: &Outcome) -> Vec<ResultOut<'_>> {
    let Outcome::Linted(report) = o else {
        return Vec::new();
    };
    let uri = report.source.name.trim_start_matches("./");
    report
        .findings
        .iter()
        .map(|f| {
            let mut text = f.message.clone();
            if let Some(h) = &f.help {
                text.push_str("\nHelp: ");
                text.push_str(h);
            }
            ResultOut {
                rule_id: f.rule.id,
                rule_index: lint::rule_index(f.rule.id),
                level: level(f.severity),
                message: MessageOut { text },
                locations: [LocationOut {
                    physical_location: PhysicalOut {
                        artifact_location: ArtifactOut { uri },
                        region: region(&report.source, f),
                    },
                }],
                partial_fingerprints: FingerprintsOut {
                    primary_location_line_hash: fingerprint(uri, f),
                },
            }
        })
        .collect()
}

fn region(source: &crate::source::Source, f: &Finding) -> RegionOut {
    let Some(span) = f.primary_span() else {
        return RegionOut {
            start_line: 1,
            span: None,
        };
    };
    let (sl, sc) = source.line_col_utf16(span.offset);
    let (el, ec) = source.line_col_utf16(span.end());
    let min_end = if el == sl { sc + 1 } else { 1 };
    RegionOut {
        start_line: sl,
        span: Some(SpanRegion {
            start_column: sc,
            end_line: el,
            end_column: ec.max(min_end),
        }),
    }
}

/// The log around `results`: every rule of the registry, one run.
pub fn document(results: Vec<ResultOut<'_>>) -> Value {
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
