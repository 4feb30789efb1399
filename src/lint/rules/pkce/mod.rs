//! `pkce/`: the `code_verifier` of RFC 7636. The findings' prose is in
//! `diags`.

mod diags;

use crate::form::Pair;
use crate::lint::rules::grant::table as grants;
use crate::lint::{Context, Sink};

crate::lint::declare_rules! {
    area: Pkce;
    VERIFIER_LENGTH = "pkce/verifier-length", Error, "RFC 7636 §4.1",
        "`code_verifier` must be 43 to 128 characters long";
    VERIFIER_CHARSET = "pkce/verifier-charset", Error, "RFC 7636 §4.1",
        "`code_verifier` may only contain A-Z a-z 0-9 - . _ ~";
    VERIFIER_LOW_ENTROPY = "pkce/verifier-low-entropy", Warning, "RFC 7636 §7.1",
        "`code_verifier` looks far less random than 256 bits";
    VERIFIER_UNEXPECTED = "pkce/verifier-unexpected", Warning, "RFC 7636 §4.5; RFC 6749 §3.2",
        "`code_verifier` sent with a grant that does not use PKCE";
}

pub const MIN_LEN: usize = 43;
pub const MAX_LEN: usize = 128;

/// RFC 7636 §4.1: `unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~"`.
pub fn is_unreserved(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~')
}

/// The `Pkce` area: its rules and the check that runs them.
pub static AREA: crate::lint::rules::AreaRules = crate::lint::rules::AreaRules {
    hooks: crate::lint::rules::Hooks::NONE,
    area: crate::lint::Area::Pkce,
    rules: &[RULES],
    check,
};

pub fn check(cx: &Context, sink: &mut Sink) {
    let Some(v) = cx.param("code_verifier") else {
        return;
    };
    let grant = cx.grant_type().and_then(|g| grants::table().get(g));
    if let Some(g) = grant.filter(|g| !g.allows("code_verifier")) {
        sink.push(diags::verifier_unexpected(cx, v, g));
    }
    check_length(cx, v, sink);
    check_charset(cx, v, sink);
    check_entropy(cx, v, sink);
}

fn check_length(cx: &Context, v: &Pair, sink: &mut Sink) {
    let n = v.value.chars().count();
    if !(MIN_LEN..=MAX_LEN).contains(&n) {
        sink.push(diags::verifier_length(cx, v, n));
    }
}

/// A character of the verifier outside the unreserved set.
struct BadChar {
    /// Its byte offset in the decoded value.
    at: usize,
    ch: char,
    /// A space that was a raw `+` in the form body.
    from_plus: bool,
}

fn check_charset(cx: &Context, v: &Pair, sink: &mut Sink) {
    let bad: Vec<BadChar> = v
        .value
        .char_indices()
        .filter(|(_, c)| !is_unreserved(*c))
        .map(|(at, ch)| BadChar {
            at,
            ch,
            from_plus: ch == ' ' && v.plus_spaces.contains(&at),
        })
        .collect();
    if !bad.is_empty() {
        sink.push(diags::verifier_charset(cx, v, &bad));
    }
}

fn check_entropy(cx: &Context, v: &Pair, sink: &mut Sink) {
    let n = v.value.chars().count();
    if n < MIN_LEN {
        return; // the length finding says enough
    }
    let mut distinct: Vec<char> = v.value.chars().collect();
    distinct.sort_unstable();
    distinct.dedup();
    // 43 random base64url characters show about 30 distinct symbols; fewer
    // than 10 means a constant, a repeated pattern or a hex/decimal string.
    if distinct.len() < 10 {
        sink.push(diags::verifier_low_entropy(cx, v, distinct.len(), n));
    }
}
