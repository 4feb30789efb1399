//! Names and near misses: what a misspelt parameter name or grant type most
//! likely meant.

use super::table::{self as grants, Grant};
use crate::text;

/// Lower-case, `-` as `_`, trimmed: how a typo of a name usually differs.
pub(super) fn norm(s: &str) -> String {
    s.trim().to_lowercase().replace('-', "_")
}

/// The candidate a misspelt `name` most likely meant: same name up to case,
/// `-`/`_` and camelCase, or at most two edits away ([`text::suggest`]).
pub(super) fn closest<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    text::suggest(name, candidates)
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
    if (4..=text::MAX_NAME).contains(&n.len()) {
        for g in &table.grants {
            if short(g).iter().any(|c| norm(c).starts_with(&n)) {
                return Some(g.name.as_str());
            }
        }
    }
    let candidates = table.grants.iter().flat_map(short);
    let meant = text::suggest(value.trim(), candidates)?;
    let grant = table.grants.iter().find(|g| short(g).contains(&meant))?;
    Some(grant.name.as_str())
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
