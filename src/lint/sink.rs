//! Where rules put their findings.

use super::{Finding, RuleMeta, Settings};

/// At most this many labels on one finding; the rest are dropped.
pub const MAX_LABELS: usize = 16;

/// Collects findings, applying configured severities.
pub struct Sink<'s> {
    settings: &'s Settings,
    pub(super) findings: Vec<Finding>,
}

impl<'s> Sink<'s> {
    pub fn new(settings: &'s Settings) -> Self {
        Sink {
            settings,
            findings: Vec::new(),
        }
    }

    /// Whether the rule is on: skip expensive work for rules that are off.
    pub fn enabled(&self, rule: &RuleMeta) -> bool {
        self.settings.severity_of(rule).is_some()
    }

    /// Keeps the finding's own severity (the rule's default, or one a rule
    /// set for the profile) unless the configuration names one.
    pub fn push(&mut self, mut f: Finding) {
        // A pathological input (one parameter repeated 100,000 times) must
        // not yield a finding with 100,000 labels: every report renders them.
        f.labels.truncate(MAX_LABELS);
        match self.settings.severities.get(f.rule.id) {
            Some(None) => {}
            Some(Some(sev)) => {
                f.severity = *sev;
                self.findings.push(f);
            }
            None => self.findings.push(f),
        }
    }
}
