//! Checks over several inputs of one run, and the `expect-errors`
//! expectation of the configuration. The engine keeps the state; the areas'
//! [`Hooks`](super::rules::Hooks) build the findings.

use std::collections::HashMap;

use super::run::sort_findings;
use super::view::dpop::JtiUse;
use super::{rules, FileReport, Settings, Sink};

/// Checks that need several inputs at once, fed the reports of one run in
/// order: a DPoP `jti` already used by an earlier request is a replay
/// (RFC 9449 §11.1). The later use is reported, naming the earlier ones: a
/// server accepts the first proof and rejects the ones after it. Only the
/// jtis are kept, so a run over many inputs need not hold their reports.
#[derive(Debug, Default)]
pub struct CrossCheck {
    seen: HashMap<String, JtiUses>,
}

/// The inputs that used one jti so far: the first [`CrossCheck::NAMED`],
/// and how many did.
#[derive(Debug, Default)]
struct JtiUses {
    named: Vec<EarlierUse>,
    count: usize,
}

/// An input that used a jti before.
#[derive(Clone, Debug)]
pub struct EarlierUse {
    /// The input's name.
    pub name: String,
    /// Its proof's `iat`.
    pub iat: Option<i64>,
}

/// A jti used again: what the replay hook builds its finding from.
#[derive(Debug)]
pub struct Replay<'a> {
    /// The later use, the one reported.
    pub jti: &'a JtiUse,
    /// The first earlier uses.
    pub earlier: &'a [EarlierUse],
    /// How many earlier uses are not in `earlier`.
    pub more: usize,
}

impl CrossCheck {
    /// Earlier uses named in one finding; the rest are counted.
    const NAMED: usize = 5;

    /// Checks `report` against the earlier reports and remembers its jti.
    /// Returns whether it added a finding.
    pub fn check(&mut self, report: &mut FileReport, settings: &Settings) -> bool {
        let Some(u) = &report.dpop_jti else {
            return false;
        };
        let uses = self.seen.entry(u.jti.clone()).or_default();
        let mut sink = Sink::new(settings);
        if uses.count > 0 {
            let replay = Replay {
                jti: u,
                earlier: &uses.named,
                more: uses.count - uses.named.len(),
            };
            for hook in rules::hooks().filter_map(|h| h.replay) {
                sink.push(hook(&replay));
            }
        }
        if uses.named.len() < Self::NAMED {
            uses.named.push(EarlierUse {
                name: report.source.name.clone(),
                iat: u.iat,
            });
        }
        let added = uses.count > 0;
        uses.count += 1;
        if added {
            report.add(sink.findings);
            sort_findings(&mut report.findings);
        }
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

/// Applies `expect-errors`: an input expected to fail has its errors
/// reported without failing the run, and one that raises none gets the
/// finding of the area's unmet-expectation hook. Run after [`CrossCheck`],
/// whose findings count. Run again after a later check adds an error, it
/// first takes back what it concluded before.
pub fn apply_expectation(report: &mut FileReport, settings: &Settings) {
    if !settings.expect_errors {
        return;
    }
    let hooks: Vec<_> = rules::hooks().filter_map(|h| h.unmet_expectation).collect();
    report.expected_errors = false;
    report
        .findings
        .retain(|f| !hooks.iter().any(|h| h.rule.id == f.rule.id));
    if report.has_errors() {
        report.expected_errors = true;
        return;
    }
    let mut sink = Sink::new(settings);
    for hook in &hooks {
        sink.push((hook.finding)());
    }
    report.add(sink.findings);
    sort_findings(&mut report.findings);
}
