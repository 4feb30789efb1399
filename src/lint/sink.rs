//! Where rules put their findings.

use std::collections::HashMap;

use super::{rules, Finding, RuleMeta, Settings};
use crate::span::Span;

/// At most this many labels on one finding; the rest are dropped.
pub const MAX_LABELS: usize = 16;

/// What a cap on findings left out of an input, for the closing finding
/// (`input/findings-suppressed`).
#[derive(Clone, Debug)]
pub struct Suppressed {
    /// The rule whose findings went over `limits.findings-per-rule`;
    /// `None` for the findings over `limits.findings-per-input`.
    pub rule: Option<&'static RuleMeta>,
    /// How many were left out.
    pub count: usize,
    /// The cap that left them out.
    pub cap: usize,
    /// Where the first one left out pointed.
    pub first: Option<Span>,
}

/// Collects findings, applying configured severities and the caps on
/// findings (`limits.findings-per-rule`, `limits.findings-per-input`): a
/// finding over a cap is counted, not kept, so no input yields findings
/// without bound.
pub struct Sink<'s> {
    settings: &'s Settings,
    pub(super) findings: Vec<Finding>,
    /// Findings kept per rule id.
    kept: HashMap<&'static str, usize>,
    /// Per rule, in the order their cap was first reached.
    over_rule: Vec<Suppressed>,
    over_input: Option<Suppressed>,
}

impl<'s> Sink<'s> {
    pub fn new(settings: &'s Settings) -> Self {
        Sink {
            settings,
            findings: Vec::new(),
            kept: HashMap::new(),
            over_rule: Vec::new(),
            over_input: None,
        }
    }

    /// Whether the rule is on: skip expensive work for rules that are off.
    pub fn enabled(&self, rule: &RuleMeta) -> bool {
        self.settings.severity_of(rule).is_some()
    }

    /// Applies the configured severity; `false` when the rule is off.
    /// Keeps the finding's own severity (the rule's default, or one a rule
    /// set for the profile) unless the configuration names one.
    fn configure(&self, f: &mut Finding) -> bool {
        match self.settings.severities.get(f.rule.id) {
            Some(None) => false,
            Some(Some(sev)) => {
                f.severity = *sev;
                true
            }
            None => true,
        }
    }

    pub fn push(&mut self, mut f: Finding) {
        // A pathological input (one parameter repeated 100,000 times) must
        // not yield a finding with 100,000 labels: every report renders them.
        f.labels.truncate(MAX_LABELS);
        if !self.configure(&mut f) {
            return;
        }
        let limits = &self.settings.limits;
        let kept = self.kept.entry(f.rule.id).or_insert(0);
        if *kept >= limits.findings_per_rule {
            let id = f.rule.id;
            match self
                .over_rule
                .iter_mut()
                .find(|s| s.rule.is_some_and(|r| r.id == id))
            {
                Some(s) => s.count += 1,
                None => self.over_rule.push(Suppressed {
                    rule: Some(f.rule),
                    count: 1,
                    cap: limits.findings_per_rule,
                    first: f.primary_span(),
                }),
            }
            return;
        }
        if self.findings.len() >= limits.findings_per_input {
            let cap = limits.findings_per_input;
            let first = f.primary_span();
            self.over_input
                .get_or_insert(Suppressed {
                    rule: None,
                    count: 0,
                    cap,
                    first,
                })
                .count += 1;
            return;
        }
        *kept += 1;
        self.findings.push(f);
    }

    /// The findings kept, then one closing finding per cap that left some
    /// out (unless that rule is turned off).
    pub(super) fn finish(mut self) -> Vec<Finding> {
        let Some(hook) = rules::hooks().find_map(|h| h.suppressed) else {
            return self.findings;
        };
        let over = std::mem::take(&mut self.over_rule);
        for s in over.iter().chain(self.over_input.take().as_ref()) {
            let mut f = (hook.finding)(s);
            if self.configure(&mut f) {
                self.findings.push(f);
            }
        }
        self.findings
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::{Settings, Severity};

    #[allow(dead_code)] // the list the macro declares
    mod test_rules {
        crate::lint::declare_rules! {
            area: Input;
            A = "input/test-a", Error, "-", "a";
            B = "input/test-b", Warning, "-", "b";
        }
    }
    use test_rules::{A, B};

    fn at(rule: &'static RuleMeta, offset: usize) -> Finding {
        Finding::new(rule, "m").label(Span::new(offset, 1), "x")
    }

    /// A rule raising a finding per repetition keeps the first ones and
    /// one closing finding that counts the rest, per rule and per input.
    #[test]
    fn findings_are_capped_per_rule_and_per_input() {
        let mut s = Settings::default();
        s.limits.findings_per_rule = 3;
        s.limits.findings_per_input = 5;
        let mut sink = Sink::new(&s);
        for i in 0..10 {
            sink.push(at(&A, i));
        }
        for i in 0..10 {
            sink.push(at(&B, 100 + i));
        }
        let findings = sink.finish();
        let ids: Vec<&str> = findings.iter().map(|f| f.rule.id).collect();
        assert_eq!(
            ids,
            [
                "input/test-a",
                "input/test-a",
                "input/test-a",
                "input/test-b",
                "input/test-b",
                "input/findings-suppressed",
                "input/findings-suppressed",
            ]
        );
        // 7 of A over its cap; 8 of B over the input cap (B never reached its own).
        let closing: Vec<&str> = findings[5..].iter().map(|f| f.message.as_str()).collect();
        assert!(
            closing[0].contains("7 more findings of `input/test-a`"),
            "{closing:?}"
        );
        assert_eq!(findings[5].primary_span(), Some(Span::new(3, 1)));
        assert_eq!(findings[5].severity, Severity::Info);
        assert!(
            closing[1].contains("8 more findings suppressed"),
            "{closing:?}"
        );
        assert!(
            closing[1].contains("limits.findings-per-input"),
            "{closing:?}"
        );
    }

    /// Under the caps, nothing changes; a rule turned off is not counted.
    #[test]
    fn under_the_caps_every_finding_is_kept() {
        let mut s = Settings::default();
        s.severities.insert("input/test-b".into(), None);
        let mut sink = Sink::new(&s);
        for i in 0..100 {
            sink.push(at(&A, i));
        }
        for i in 0..5000 {
            sink.push(at(&B, i));
        }
        let findings = sink.finish();
        assert_eq!(findings.len(), 100);
        assert!(findings.iter().all(|f| f.rule.id == "input/test-a"));
    }
}
