//! `input/findings-suppressed`: the closing finding of an input whose
//! findings reached a cap (`limits.findings-per-rule`,
//! `limits.findings-per-input`). A pathological input (a `parameters` of
//! `a&a&…`) would otherwise raise a finding per repetition, hundreds of
//! thousands of them, each rendered in every report.

use super::diags;
use crate::lint::rules::SuppressedHook;

crate::lint::declare_rules! {
    area: Input;
    FINDINGS_SUPPRESSED = "input/findings-suppressed", Info,
        "tokenlint configuration: limits.findings-per-rule, limits.findings-per-input",
        "An input raised more findings than the caps allow; the rest are counted, not shown";
}

/// The area's findings-cap hook.
pub(super) const HOOK: SuppressedHook = SuppressedHook {
    rule: &FINDINGS_SUPPRESSED,
    finding: diags::findings_suppressed,
};
