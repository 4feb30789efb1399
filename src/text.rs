//! The string helpers of messages, one of each: the "did you mean" of a
//! near-miss name ([`suggest`]) and a user's value shown without leaking a
//! secret ([`shown_value`]).

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The known name a near-miss most likely meant: the same letters ignoring
/// case, `_` and `-` (`always_retrieved` → `alwaysRetrieved`, `client_id` →
/// `clientId`), or else the nearest within two edits.
pub fn suggest<'k>(
    name: &str,
    known: impl IntoIterator<Item = &'k str> + Clone,
) -> Option<&'k str> {
    let norm = |s: &str| -> String {
        s.chars()
            .filter(|c| *c != '_' && *c != '-')
            .flat_map(char::to_lowercase)
            .collect()
    };
    let n = norm(name);
    if let Some(k) = known.clone().into_iter().find(|k| norm(k) == n) {
        return Some(k);
    }
    known
        .into_iter()
        .map(|k| (k, edit_distance(&norm(k), &n)))
        .filter(|(_, d)| *d <= 2)
        .min_by_key(|(_, d)| *d)
        .map(|(k, _)| k)
}

/// A value the user gave, for an error message: quoted when it is short
/// enough to be a mistyped name or number, described when it is longer, as
/// a secret typed after the wrong flag would be. Never echoes more than
/// `max` characters.
pub fn shown_value(value: &str, max: usize) -> String {
    let n = value.chars().count();
    if n <= max {
        format!("`{value}`")
    } else {
        format!("a {n}-character value (not shown)")
    }
}

#[cfg(test)]
mod tests {
    use super::{edit_distance, shown_value, suggest};

    #[test]
    fn suggestions() {
        let known = ["alwaysRetrieved", "httpPermitted", "queryPermitted"];
        assert_eq!(suggest("always_retrieved", known), Some("alwaysRetrieved"));
        assert_eq!(suggest("httpPermited", known), Some("httpPermitted"));
        assert_eq!(suggest("somethingElse", known), None);
    }

    #[test]
    fn distances() {
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("jit", "jti"), 2);
        assert_eq!(edit_distance("clientId", "clientId"), 0);
        assert_eq!(edit_distance("héllo", "hello"), 1);
    }

    #[test]
    fn quotes_short_values_and_describes_long_ones() {
        assert_eq!(shown_value("jsn", 8), "`jsn`");
        assert_eq!(
            shown_value("CS-SECRET-7f3a9c1e", 8),
            "a 18-character value (not shown)"
        );
    }
}
