//! The span-keeping JSON parser (src/json.rs): every span fits the input on
//! character boundaries, errors point inside it, and it accepts and rejects
//! what serde_json does (outside the documented divergences).
#![no_main]

use libfuzzer_sys::fuzz_target;
use tokenlint::json;

/// Where the two parsers may rightly disagree (see tests/it/proptest_parsers.rs).
fn known_divergence(text: &str, serde_err: Option<&serde_json::Error>) -> bool {
    text.starts_with('\u{feff}')
        || serde_err.is_some_and(|e| e.to_string().contains("number out of range"))
        || text.matches(['[', '{']).count() > 100
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    const BASE: usize = 5;
    let ours = json::parse(text, BASE);
    let theirs = serde_json::from_str::<serde_json::Value>(text);
    match (&ours, &theirs) {
        (Ok(v), Ok(t)) => {
            tokenlint_fuzz::check_json(text, BASE, v);
            assert_eq!(&v.to_json(), t, "values differ");
        }
        (Err(e), _) => {
            assert!(
                e.offset >= BASE && e.offset <= BASE + text.len(),
                "error offset {} outside the input",
                e.offset
            );
            if theirs.is_ok() {
                assert!(
                    known_divergence(text, None),
                    "ours rejects ({}) what serde_json accepts",
                    e.message
                );
            }
        }
        (Ok(v), Err(e)) => {
            tokenlint_fuzz::check_json(text, BASE, v);
            assert!(
                known_divergence(text, Some(e)),
                "ours accepts what serde_json rejects ({e})"
            );
        }
    }
});
