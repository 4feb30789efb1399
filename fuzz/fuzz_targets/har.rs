//! The HAR loader (src/request/har.rs): every span of every entry it loads
//! fits the input on character boundaries, and linting each does too.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tokenlint::request::har;

fuzz_target!(|data: &[u8]| {
    let all = har::load_bytes("fuzz.har", data);
    assert!(!all.is_empty(), "a HAR loads as at least one input");
    for loaded in &all {
        tokenlint_fuzz::check_loaded(loaded);
        tokenlint_fuzz::lint_checked(loaded);
    }
});
