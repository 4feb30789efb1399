//! `jwtAtClaims`: a JSON object serialized as a string, which Authlete adds
//! to JWT access tokens in the client_credentials flow only.

use std::ops::Range;

use super::diags;
use crate::json;
use crate::lint::{Context, Sink};
use crate::span::Text;

crate::lint::declare_rules! {
    area: Options;
    JWT_AT_CLAIMS_INVALID = "options/jwt-at-claims-invalid", Error,
        "Authlete API: TokenRequest.jwtAtClaims",
        "`jwtAtClaims` is not a JSON object serialized as a string";
    JWT_AT_CLAIMS_IGNORED = "options/jwt-at-claims-ignored", Warning,
        "Authlete API: TokenRequest.jwtAtClaims",
        "`jwtAtClaims` only takes effect with grant_type=client_credentials";
}

pub(super) fn check(cx: &Context, t: &Text, sink: &mut Sink) {
    // Checked in place: the claims are never built into a tree.
    match json::validate(&t.value, 0) {
        Err(e) => {
            let at = t.sub_span(char_at(&t.value, e.offset));
            sink.push(diags::jwt_at_claims_not_json(&e, at));
        }
        Ok(v) if v.members().is_none() => {
            let twice = v
                .as_str()
                .is_some_and(|s| json::validate(&s.value, 0).is_ok_and(|i| i.members().is_some()));
            let at = t.sub_span(trimmed_range(&t.value));
            sink.push(diags::jwt_at_claims_not_object(v, at, twice));
        }
        Ok(_) => {}
    }
    let Some(g) = cx.param("grant_type") else {
        return;
    };
    if g.value != "client_credentials" {
        sink.push(diags::jwt_at_claims_ignored(t, &g.value, cx.value_span(g)));
    }
}

/// The character of `s` at byte `offset` (or the one it falls in): empty at
/// the end.
fn char_at(s: &str, offset: usize) -> Range<usize> {
    let mut at = offset.min(s.len());
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    let end = s[at..].chars().next().map_or(at, |c| at + c.len_utf8());
    at..end
}

/// The range of `s` without surrounding JSON whitespace.
fn trimmed_range(s: &str) -> Range<usize> {
    let ws = |c: char| matches!(c, ' ' | '\t' | '\n' | '\r');
    let start = s.len() - s.trim_start_matches(ws).len();
    let end = s.trim_end_matches(ws).len();
    start..end.max(start)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::rules::options::tests::{client_credentials, labelled};

    #[test]
    fn jwt_at_claims_error_maps_through_escapes() {
        // Decoded: {"a":"é",x} — the error is at `x`, after six JSON escapes.
        let f = client_credentials(r#""jwtAtClaims": "{\"a\":\"\u00e9\",x}""#);
        assert_eq!(labelled(&f, "options/jwt-at-claims-invalid"), ["x"]);
        // An empty string: a zero-length span at its start.
        let f = client_credentials(r#""jwtAtClaims": """#);
        assert_eq!(labelled(&f, "options/jwt-at-claims-invalid"), [""]);
        let f = client_credentials(r#""jwtAtClaims": "{\"a\":1}""#);
        assert!(labelled(&f, "options/jwt-at-claims-invalid").is_empty());
    }

    #[test]
    fn trimmed() {
        assert_eq!(trimmed_range("  [1] "), 2..5);
        assert_eq!(trimmed_range("   "), 3..3);
    }

    #[test]
    fn char_boundaries() {
        assert_eq!(char_at("aé", 2), 1..3);
        assert_eq!(char_at("ab", 9), 2..2);
    }
}
