//! `client-auth/`: how the client authenticates (RFC 6749 §2.3, RFC 7521
//! §4.2, RFC 7523): one method only, a client ID that agrees between the
//! Basic header and the body, a well-formed client assertion with sound
//! claims, and (in a capture) a well-formed Basic header.
//!
//! The checks read as logic; the prose of every finding is in `diags.rs`
//! (and `basic.rs`, which only turns the capture's Basic-header issues into
//! findings).

mod assertion;
mod assertion_diags;
mod assertion_format;
mod assertion_type;
mod basic;
mod diags;
mod methods;
mod secret;

/// The `ClientAuth` area: its rules and the check that runs them.
pub static AREA: crate::lint::rules::AreaRules = crate::lint::rules::AreaRules {
    hooks: crate::lint::rules::Hooks::NONE,
    area: crate::lint::Area::ClientAuth,
    rules: &[
        methods::RULES,
        secret::RULES,
        assertion_type::RULES,
        assertion_format::RULES,
        basic::RULES,
        assertion::RULES,
    ],
    check,
};

/// The area's checks, in the order their findings are pushed.
fn check(cx: &crate::lint::Context, sink: &mut crate::lint::Sink) {
    methods::check(cx, sink);
    secret::check(cx, sink);
    assertion_type::check(cx, sink);
    assertion_format::check(cx, sink);
    basic::check(cx, sink);
    assertion::check(cx, sink);
}

/// The source text under each finding of `rule` for a fixture.
#[cfg(test)]
fn labelled(fixture: &str, rule: &str) -> Vec<String> {
    let loaded = crate::request::fixture::load_str("t.json", fixture);
    let report = crate::lint::lint(&loaded, &crate::lint::Settings::with_now(0));
    report
        .findings
        .iter()
        .filter(|f| f.rule.id == rule)
        .flat_map(|f| f.labels.iter().map(|l| l.span))
        .map(|s| fixture[s.offset..s.end()].to_owned())
        .collect()
}
