//! The http capture loader (src/request/http.rs): every span of what it loads
//! fits the input on character boundaries, and linting it does too.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tokenlint::request::http;

fuzz_target!(|data: &[u8]| {
    let loaded = http::load_bytes("fuzz.http", data);
    tokenlint_fuzz::check_loaded(&loaded);
    tokenlint_fuzz::lint_checked(&loaded);
});
