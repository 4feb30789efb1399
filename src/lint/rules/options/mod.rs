//! `options/`: the per-request options of Authlete's token API that are not
//! OAuth parameters: token durations, extra `properties`, `jwtAtClaims` and
//! `cimdOptions` (Authlete API model, `TokenRequest`, `Property`, `CimdOptions`).
//!
//! One file per option (`durations`, `properties`, `jwt_at_claims`,
//! `cimd`); `diags` words every finding.

mod cimd;
mod diags;
mod durations;
mod jwt_at_claims;
mod properties;

use crate::lint::{Context, Sink};

/// The `Options` area: its rules and the check that runs them.
pub static AREA: crate::lint::rules::AreaRules = crate::lint::rules::AreaRules {
    hooks: crate::lint::rules::Hooks::NONE,
    area: crate::lint::Area::Options,
    rules: &[
        durations::RULES,
        properties::RULES,
        jwt_at_claims::RULES,
        cimd::RULES,
    ],
    check,
};

pub fn check(cx: &Context, sink: &mut Sink) {
    durations::check(cx, sink);
    // The JSON fields are read in place, in the source text they came from.
    let text = cx.source.text.as_str();
    if let Some(p) = &cx.req.properties {
        properties::check(cx, p.read(text), sink);
    }
    if let Some(t) = &cx.req.jwt_at_claims {
        jwt_at_claims::check(cx, t, sink);
    }
    if let Some(c) = &cx.req.cimd_options {
        cimd::check(cx, c.read(text), sink);
    }
}

#[cfg(test)]
pub(super) mod tests {
    /// A client_credentials request with `fields` (JSON members) besides.
    pub fn client_credentials(fields: &str) -> String {
        format!(r#"{{"parameters": "grant_type=client_credentials", {fields}}}"#)
    }

    /// The source text under each finding of `rule` for a fixture.
    pub fn labelled(fixture: &str, rule: &str) -> Vec<String> {
        let loaded = crate::request::fixture::load_str("t.json", fixture);
        let report = crate::lint::lint(&loaded, &crate::lint::Settings::with_now(0));
        report
            .findings
            .iter()
            .filter(|f| f.rule.id == rule)
            .filter_map(|f| f.primary_span())
            .map(|s| fixture[s.offset..s.end()].to_owned())
            .collect()
    }
}
