//! Checks over several inputs of one run, and the `expect-errors`
//! expectation of the configuration.

use std::collections::HashMap;

use super::run::sort_findings;
use super::{rules, FileReport, Finding, Settings, Sink};

/// Checks that need several inputs at once, fed the reports of one run in
/// order: a DPoP `jti` already used by an earlier request is a replay
/// (RFC 9449 §11.1). The later use is reported, naming the earlier ones: a
/// server accepts the first proof and rejects the ones after it. Only the
/// jtis are kept, so a run over many inputs need not hold their reports.
#[derive(Debug, Default)]
pub struct CrossCheck {
    seen: HashMap<String, JtiUses>,
}

/// The inputs that used one jti so far: the first [`CrossCheck::NAMED`]
/// (name, iat), and how many did.
#[derive(Debug, Default)]
struct JtiUses {
    named: Vec<(String, Option<i64>)>,
    count: usize,
}

impl CrossCheck {
    /// Earlier uses named in one finding; the rest are counted.
    const NAMED: usize = 5;

    /// Checks `report` against the earlier reports and remembers its jti.
    /// Returns whether it added a finding.
    pub fn check(&mut self, report: &mut FileReport, settings: &Settings) -> bool {
        let Some(u) = report.dpop_jti.clone() else {
            return false;
        };
        let name = report.source.name.clone();
        let JtiUses {
            named: earlier,
            count,
        } = self.seen.entry(u.jti.clone()).or_default();
        let added = *count > 0;
        if added {
            let mut names: Vec<String> = earlier
                .iter()
                .map(|(other, other_iat)| match (u.iat, other_iat) {
                    (Some(a), Some(b)) => format!("{other} (iat {:+} s)", b.saturating_sub(a)),
                    _ => other.clone(),
                })
                .collect();
            if *count > earlier.len() {
                names.push(format!("{} more", *count - earlier.len()));
            }
            let mut sink = Sink::new(settings);
            sink.push(
                Finding::new(
                    &rules::dpop::REPLAY,
                    format!(
                        "the DPoP proof's jti `{}` was already used by {}: a server that has seen that proof rejects this one as a replay",
                        u.jti,
                        names.join(", ")
                    ),
                )
                .field("dpop.jti")
                .label(u.span, "payload with a reused jti")
                .decoded(u.decoded.clone())
                .help("make a fresh proof for every request: a new random jti (at least 96 bits, e.g. 16 random octets base64url-encoded, or a UUIDv4) and a current iat"),
            );
            report.findings.extend(sink.findings);
            sort_findings(&mut report.findings);
        }
        if earlier.len() < Self::NAMED {
            earlier.push((name, u.iat));
        }
        *count += 1;
        added
    }
}

/// [`CrossCheck`] over reports that share one configuration.
pub fn cross_check<'r>(reports: impl IntoIterator<Item = &'r mut FileReport>, settings: &Settings) {
    let mut cross = CrossCheck::default();
    for r in reports {
        cross.check(r, settings);
    }
}

/// [`CrossCheck`], whose findings count. Run again after a later check
/// adds an error, it first takes back what it concluded before.
pub fn apply_expectation(report: &mut FileReport, settings: &Settings) {
    if !settings.expect_errors {
        return;
    }
    report.expected_errors = false;
    report
        .findings
        .retain(|f| f.rule.id != rules::input::EXPECTED_ERRORS_MISSING.id);
    if report.has_errors() {
        report.expected_errors = true;
        return;
    }
    let mut sink = Sink::new(settings);
    sink.push(
        Finding::new(
            &rules::input::EXPECTED_ERRORS_MISSING,
            "this input is configured to fail (`expect-errors = true`) but raises no error",
        )
        .label(
            crate::span::Span::new(0, 0),
            "expected at least one error in this input",
        )
        .help("fix the fixture so it shows the error it is meant to show, or move it out of the folder the override names (or set expect-errors = false for it)"),
    );
    report.findings.extend(sink.findings);
    sort_findings(&mut report.findings);
}
