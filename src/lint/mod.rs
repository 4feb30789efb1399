//! The lint engine: rule metadata, findings, the per-request [`Context`] of
//! decoded views, and [`lint`], which runs every area's checks over a loaded
//! request. Nothing here prints or knows about output formats or the CLI.

pub mod docs;
pub mod profile;
pub mod rules;
pub mod view;

mod context;
mod cross;
mod finding;
mod run;
mod settings;
mod sink;

pub use context::Context;
pub use cross::{apply_expectation, cross_check, CrossCheck, EarlierUse, Replay};
pub(crate) use finding::declare_rules;
pub use finding::{Decoded, Finding, Label, RuleMeta, Severity};
pub use rules::Area;
#[cfg(test)]
pub(crate) use run::rule_ids;
pub use run::{lint, FileReport};
pub use settings::{Clock, Limits, Settings};
pub use sink::{Sink, Suppressed, MAX_LABELS};

/// Every rule, grouped by area in a fixed order.
pub fn registry() -> Vec<&'static RuleMeta> {
    rules::AREAS
        .iter()
        .flat_map(|a| a.rules.iter().flat_map(|rs| rs.iter().copied()))
        .collect()
}

/// The position of the rule with this id in [`registry`] (SARIF's
/// `ruleIndex`, for every finding): a lookup in a table built once.
pub fn rule_index(id: &str) -> Option<usize> {
    static BY_ID: std::sync::OnceLock<std::collections::HashMap<&str, usize>> =
        std::sync::OnceLock::new();
    BY_ID
        .get_or_init(|| {
            let rules = registry().into_iter().enumerate();
            rules.map(|(i, r)| (r.id, i)).collect()
        })
        .get(id)
        .copied()
}

/// The rule with this id: a lookup in a table built once (a configuration
/// names rules in every override, applied to every file of a run).
pub fn find_rule(id: &str) -> Option<&'static RuleMeta> {
    static BY_ID: std::sync::OnceLock<std::collections::HashMap<&str, &RuleMeta>> =
        std::sync::OnceLock::new();
    BY_ID
        .get_or_init(|| registry().into_iter().map(|r| (r.id, r)).collect())
        .get(id)
        .copied()
}
