//! `tokenlint jwt inspect`: the JWTs of a request, or one JWT, decoded and
//! checked offline.

use std::path::Path;

use serde_json::{json, Value};
use tokenlint::clock;
use tokenlint::lint::{FileReport, Settings, Severity};
use tokenlint::report::{self, Outcome};
use tokenlint::toolkit::jwt::{self as kit, Inspected, Kind};

use super::args::{GlobalArgs, JwtCommand, JwtInspectArgs};
use super::{emit_value, settings, Debug, UsageError, EXIT_FINDINGS, EXIT_OK};

pub(super) fn run(g: &GlobalArgs, debug: &Debug, cmd: JwtCommand) -> Result<u8, UsageError> {
    match cmd {
        JwtCommand::Inspect(a) => inspect(g, debug, &a),
    }
}

fn inspect(g: &GlobalArgs, debug: &Debug, a: &JwtInspectArgs) -> Result<u8, UsageError> {
    let s = settings(g, debug)?;
    let given = a.input.trim();
    let read = super::read_if_file(given, s.limits.file)?;
    let file = read.is_some();
    let (name, text) = match read {
        Some(bytes) => (
            given.to_owned(),
            String::from_utf8_lossy(&bytes).into_owned(),
        ),
        None => ("<jwt>".to_owned(), given.to_owned()),
    };
    let bare = tokenlint::jose::compact::parse(text.trim()).is_ok();
    let found: Vec<(FileReport, Vec<Inspected>)> = if bare || !file {
        let kind = match &a.kind {
            Some(k) => Kind::parse(k).unwrap_or(Kind::ClientAssertion),
            None => Kind::guess(&text),
        };
        let (report, one) = kit::inspect_token(&text, kind, &s);
        vec![(report, vec![one])]
    } else {
        let path = Path::new(given);
        super::inputs::load_input(&name, path, text.into_bytes(), &s.limits)
            .filter(|l| l.skip.is_none())
            .map(|l| kit::inspect_request(&l, &s))
            .collect()
    };
    let count: usize = found.iter().map(|(_, js)| js.len()).sum();
    if count == 0 {
        return Err(UsageError(format!(
            "{name}: no JWT in it (a client assertion, assertion, DPoP proof, attestation or \
             its PoP)"
        )));
    }
    let errors = found.iter().any(|(_, js)| {
        js.iter()
            .any(|j| j.findings.iter().any(|f| f.severity == Severity::Error))
    });
    let v = json!({
        "now": clock::format_rfc3339(s.now),
        "jwts": found.iter().flat_map(|(r, js)| js.iter().map(move |j| j.to_json(r))).collect::<Vec<_>>(),
    });
    emit_value(g, &v, || text_of(g, &found, &s))?;
    Ok(if errors && !g.exit_zero {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}

fn text_of(g: &GlobalArgs, found: &[(FileReport, Vec<Inspected>)], s: &Settings) -> String {
    let pretty = |v: &Option<Value>| {
        v.as_ref()
            .map(|v| serde_json::to_string_pretty(v).unwrap_or_default())
            .unwrap_or_else(|| "(not decodable)".into())
    };
    let opts = report::pretty::Options {
        color: super::use_color(g),
        width: super::terminal_width(),
    };
    let mut out = String::new();
    for (report, jwts) in found {
        for j in jwts {
            let input = &report.source.name;
            if input.as_str() == "<jwt>" {
                out.push_str(&format!("{} — the {}\n", j.field, j.kind.what()));
            } else {
                out.push_str(&format!("{input}: {} — the {}\n", j.field, j.kind.what()));
            }
            if let Some(e) = &j.error {
                out.push_str(&format!("not a compact JWS: {e}\n"));
            }
            out.push_str(&format!("header:\n{}\n", pretty(&j.header)));
            out.push_str(&format!("payload:\n{}\n", pretty(&j.payload)));
            if !j.times.is_empty() {
                out.push_str(&match &report.clock {
                    Some(t) => format!(
                        "times (clock {}, the capture's time ({}); --now to override):\n",
                        clock::format_rfc3339(t.at),
                        t.from.as_str()
                    ),
                    None => format!("times (clock {}):\n", clock::format_rfc3339(s.now)),
                });
                for t in &j.times {
                    out.push_str(&format!(
                        "  {:<9} {}  {}\n",
                        t.claim,
                        clock::format_rfc3339(t.at),
                        t.relative
                    ));
                }
            }
            for (key, jkt) in &j.keys {
                out.push_str(&format!("key: {key}, jkt (RFC 7638 thumbprint) {jkt}\n"));
            }
            if let Some(u) = j.unchecked {
                out.push_str(&format!("{u}\n"));
            }
            if j.findings.is_empty() {
                out.push_str("findings: none\n\n");
            } else {
                out.push('\n');
                let only = FileReport {
                    findings: j.findings.clone(),
                    ..report.clone()
                };
                out.push_str(&report::pretty::render_outcome(
                    &Outcome::Linted(only),
                    opts,
                ));
            }
        }
    }
    out
}
