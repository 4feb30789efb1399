//! Names and near misses: what a misspelt parameter name or grant type most
//! likely meant.

use super::table::{self as grants, Grant};
use crate::text::edit_distance;

/// Lower-case, `-` as `_`, trimmed: how a typo of a name usually differs.
pub(super) fn norm(s: &str) -> String {
    s.trim().to_lowercase().replace('-', "_")
}

/// The candidate a misspelt `name` most likely meant: same name up to case,
/// `-`/`_` and camelCase, or at most two edits away.
pub(super) fn closest<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let squash = |s: &str| -> String { norm(s).replace('_', "") };
    // Parameter names are short; a long one is no typo of them.
    if name.len() < 3 || name.len() > 64 {
        return None;
    }
    let n = squash(name);
    if n.len() < 3 {
        return None;
    }
    let nlen = n.chars().count();
    let mut best: Option<(&str, usize)> = None;
    for c in candidates {
        let sc = squash(c);
        // The distance is at least the difference in length.
        if sc.chars().count().abs_diff(nlen) > 2 {
            continue;
        }
        let d = edit_distance(&sc, &n);
        if d <= 2 && best.is_none_or(|(_, bd)| d < bd) {
            best = Some((c, d));
        }
    }
    best.map(|(c, _)| c)
}

/// The known grant a wrong `grant_type` most likely meant.
pub(super) fn suggest_grant(value: &str) -> Option<&'static str> {
    let table = grants::table();
    let n = norm(value);
    if n == "code" {
        return Some("authorization_code");
    }
    // The whole name, or the last part of a URN (`device_code`, `ciba`).
    let short = |g: &'static Grant| -> [&'static str; 2] {
        let s = g.name.as_str();
        [s, s.rsplit(':').next().unwrap_or(s)]
    };
    for g in &table.grants {
        if short(g).iter().any(|c| norm(c) == n) {
            return Some(g.name.as_str());
        }
    }
    if n.len() >= 4 {
        for g in &table.grants {
            if short(g).iter().any(|c| norm(c).starts_with(&n)) {
                return Some(g.name.as_str());
            }
        }
    }
    let mut best: Option<(&'static str, usize)> = None;
    for g in &table.grants {
        for c in short(g) {
            let d = edit_distance(&norm(c), &n);
            if d <= 2 && best.is_none_or(|(_, bd)| d < bd) {
                best = Some((g.name.as_str(), d));
            }
        }
    }
    best.map(|(g, _)| g)
}

/// RFC 6749 A.10: `grant-name = 1*name-char`,
/// `name-char = "-" / "." / "_" / DIGIT / ALPHA`.
pub(super) fn is_grant_name(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grant_suggestions() {
        assert_eq!(
            suggest_grant("authorisation_code"),
            Some("authorization_code")
        );
        assert_eq!(
            suggest_grant("client-credentials"),
            Some("client_credentials")
        );
        assert_eq!(suggest_grant("refresh"), Some("refresh_token"));
        assert_eq!(
            suggest_grant("Authorization_Code"),
            Some("authorization_code")
        );
        assert_eq!(
            suggest_grant("device_code"),
            Some("urn:ietf:params:oauth:grant-type:device_code")
        );
        assert_eq!(
            suggest_grant("urn:ietf:params:oauth:grant-type:device-code"),
            Some("urn:ietf:params:oauth:grant-type:device_code")
        );
        assert_eq!(suggest_grant("code"), Some("authorization_code"));
        assert_eq!(suggest_grant("something"), None);
    }

    #[test]
    fn grant_name_syntax() {
        assert!(is_grant_name("authorization_code"));
        assert!(is_grant_name("a-b.c_1"));
        assert!(!is_grant_name(""));
        assert!(!is_grant_name("a b"));
        assert!(!is_grant_name("urn:x"));
    }
}
