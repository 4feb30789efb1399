//! The curl capture loader (src/request/curl.rs): every span of what it loads
//! fits the input on character boundaries, and linting it does too.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tokenlint::request::curl;

fuzz_target!(|data: &[u8]| {
    let loaded = curl::load_bytes("fuzz.curl", data);
    tokenlint_fuzz::check_loaded(&loaded);
    tokenlint_fuzz::lint_checked(&loaded);
});
