//! `input/expected-errors-missing`: an input that the configuration says
//! must fail (`expect-errors`), a fixture kept to show an error, that
//! raises none. The engine applies the expectation after the cross-input
//! checks; this area names the finding.

use super::diags;
use crate::lint::rules::UnmetExpectation;

crate::lint::declare_rules! {
    area: Input;
    EXPECTED_ERRORS_MISSING = "input/expected-errors-missing", Error,
        "tokenlint configuration: overrides.expect-errors",
        "An input the configuration expects to fail raises no error";
}

/// The area's unmet-expectation hook.
pub(super) const UNMET: UnmetExpectation = UnmetExpectation {
    rule: &EXPECTED_ERRORS_MISSING,
    finding: diags::expected_errors_missing,
};
