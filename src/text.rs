//! The string helpers of messages, one of each: the "did you mean" of a
//! near-miss name ([`suggest`], and [`Suggester`] for the many names of one
//! input) and a user's value shown without leaking a secret
//! ([`shown_value`]).
//!
//! A suggestion compares a name with a short list of known names, so its
//! cost must not grow with what an input holds: a name longer than
//! [`MAX_NAME`] characters is no typo of a known one, a known name whose
//! length differs by more than the edits allowed is skipped before any
//! comparison, the edit distance is computed only in a band [`MAX_EDITS`]
//! wide around the diagonal, and a [`Suggester`] looks for at most
//! [`MAX_SUGGESTIONS`] suggestions.

use std::cell::Cell;

/// Characters in the longest name a suggestion is looked for.
pub const MAX_NAME: usize = 64;
/// Edits (insertions, deletions, substitutions) between a near miss and
/// the name it meant.
pub const MAX_EDITS: usize = 2;
/// Suggestions one [`Suggester`] looks for; after that, none.
pub const MAX_SUGGESTIONS: usize = 100;
/// Names of fewer characters than this get a suggestion only when they
/// differ from a known name in case, `_` or `-` alone: two edits turn a
/// two-letter name into almost anything.
const MIN_FUZZY: usize = 3;

/// The Levenshtein distance over characters of `a` and `b` when it is at
/// most `max`, else `None`. Costs O(`max` × length): only the diagonal band
/// `max` wide is computed, after a check of the lengths.
pub fn distance_within(a: &str, b: &str, max: usize) -> Option<usize> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    chars_within(&a, &b, max)
}

fn chars_within(a: &[char], b: &[char], max: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    // Row i holds the distances of a[..i] to b[..j] for the columns j of the
    // band, i - max ..= i + max, at slot j + max - i; a cell outside the band
    // counts as over the bound.
    let over = max + 1;
    let width = 2 * max + 1;
    let mut prev = vec![over; width];
    let mut cur = vec![over; width];
    for (j, slot) in prev.iter_mut().skip(max).enumerate() {
        if j <= b.len() {
            *slot = j;
        }
    }
    for i in 1..=a.len() {
        let mut best = over;
        for k in 0..width {
            cur[k] = over;
            // Column j = i + k - max, when it exists.
            let Some(j) = (i + k).checked_sub(max).filter(|&j| j <= b.len()) else {
                continue;
            };
            let d = if j == 0 {
                i
            } else {
                // Diagonal: the same slot of the row above; up: the next
                // slot of the row above; left: the slot before, this row.
                let sub = prev[k] + usize::from(a[i - 1] != b[j - 1]);
                let del = prev.get(k + 1).map_or(over, |d| d + 1);
                let ins = k.checked_sub(1).map_or(over, |l| cur[l] + 1);
                sub.min(del).min(ins)
            };
            cur[k] = d.min(over);
            best = best.min(cur[k]);
        }
        if best > max {
            return None;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    let d = prev[b.len() + max - a.len()];
    (d <= max).then_some(d)
}

/// A name as a near miss is compared: lower case, without `_` and `-`
/// (`always_retrieved` and `alwaysRetrieved` are the same name).
fn folded(s: &str) -> Vec<char> {
    s.chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

/// The known name a near miss most likely meant: the same letters ignoring
/// case, `_` and `-` (`always_retrieved` → `alwaysRetrieved`, `client_id` →
/// `clientId`), or else the nearest within [`MAX_EDITS`] edits (the first
/// of the nearest). A name over [`MAX_NAME`] characters has no suggestion.
pub fn suggest<'k>(name: &str, known: impl IntoIterator<Item = &'k str>) -> Option<&'k str> {
    if name.len() > 4 * MAX_NAME || name.chars().count() > MAX_NAME {
        return None;
    }
    let n = folded(name);
    let max = if n.len() < MIN_FUZZY { 0 } else { MAX_EDITS };
    let mut best: Option<(&str, usize)> = None;
    for k in known {
        match chars_within(&folded(k), &n, max) {
            Some(0) => return Some(k),
            Some(d) if best.is_none_or(|(_, bd)| d < bd) => best = Some((k, d)),
            _ => {}
        }
    }
    best.map(|(k, _)| k)
}

/// [`suggest`] for the names of one input, at most `max` times: an input
/// with 50,000 unknown keys gets suggestions for its first ones only (a
/// report shows no more anyway), so looking costs the same on any input.
#[derive(Debug)]
pub struct Suggester {
    left: Cell<usize>,
}

impl Default for Suggester {
    fn default() -> Self {
        Suggester::new(MAX_SUGGESTIONS)
    }
}

impl Suggester {
    pub const fn new(max: usize) -> Self {
        Suggester {
            left: Cell::new(max),
        }
    }

    /// [`suggest`], or `None` once `max` suggestions have been looked for.
    pub fn suggest<'k>(
        &self,
        name: &str,
        known: impl IntoIterator<Item = &'k str>,
    ) -> Option<&'k str> {
        let left = self.left.get().checked_sub(1)?;
        self.left.set(left);
        suggest(name, known)
    }
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
    use super::{distance_within, shown_value, suggest, Suggester, MAX_NAME};

    /// The whole Levenshtein table, to check the band against.
    fn full(a: &str, b: &str) -> usize {
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

    #[test]
    fn suggestions() {
        let known = ["alwaysRetrieved", "httpPermitted", "queryPermitted"];
        assert_eq!(suggest("always_retrieved", known), Some("alwaysRetrieved"));
        assert_eq!(suggest("httpPermited", known), Some("httpPermitted"));
        assert_eq!(suggest("somethingElse", known), None);
        // The nearest wins over the first.
        let known = ["clientSecretXY", "clientSecret"];
        assert_eq!(suggest("clientSecre", known), Some("clientSecret"));
        // Short names: only case, `_` and `-` differences.
        assert_eq!(suggest("H-T", ["htm", "ht"]), Some("ht"));
        assert_eq!(suggest("hx", ["htm", "ht"]), None);
        // A long name is no typo, however close.
        let long = "a".repeat(MAX_NAME + 1);
        assert_eq!(suggest(&long, [&long[1..]]), None);
    }

    #[test]
    fn banded_distance_is_the_distance_within_the_bound() {
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "jit",
            "jti",
            "clientId",
            "client_id",
            "clientSecret",
            "héllo",
            "hello",
            "kitten",
            "sitting",
            "flaw",
            "lawn",
            "abcdef",
            "badcfe",
        ];
        for a in words {
            for b in words {
                let d = full(a, b);
                for max in 0..5 {
                    let want = (d <= max).then_some(d);
                    assert_eq!(distance_within(a, b, max), want, "{a:?} {b:?} {max}");
                }
            }
        }
    }

    #[test]
    fn a_suggester_stops_after_its_budget() {
        let s = Suggester::new(2);
        let known = ["clientId"];
        assert_eq!(s.suggest("client_id", known), Some("clientId"));
        assert_eq!(s.suggest("clientID", known), Some("clientId"));
        assert_eq!(s.suggest("client-id", known), None);
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
