//! The whole pipeline on a fixture: load (src/request/fixture.rs), lint with
//! the default settings at the rule docs' clock, render pretty and JSON.
//! Every span fits the source on character boundaries.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tokenlint::request::fixture;

fuzz_target!(|data: &[u8]| {
    let loaded = fixture::load_bytes("fuzz.json", data);
    tokenlint_fuzz::check_loaded(&loaded);
    let report = tokenlint_fuzz::lint_checked(&loaded);
    tokenlint_fuzz::render(report);
});
