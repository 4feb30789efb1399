//! Values a raw `&` split in two: `redirect_uri=https://c/cb?a=1&b=2` sends
//! `b=2` as a parameter of its own, and `client_secret=Xy&9z` sends `9z`.
//! Shared by the `params/split-value` rule, the `grant/unknown-parameter`
//! rule (which leaves the tail to it) and the masking of secrets (the tail
//! of a secret is secret too).

use crate::lint::rules::grant::table;
use crate::lint::Context;

/// Parameters whose values a raw `&` plausibly splits, and which the server
/// then compares or checks in full.
pub const SPLITTABLE: &[&str] = &["redirect_uri", "client_secret", "password", "username"];

/// A value cut by a raw `&`: the pair it starts in and the pair that holds
/// the rest (the next one).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Split {
    pub head: usize,
    pub tail: usize,
}

impl Context<'_> {
    /// Every value of [`SPLITTABLE`] that a raw `&` split: the pair right
    /// after it is no parameter of the grant (nor of any grant, when the
    /// grant type is unknown) and looks like the rest of a value rather than
    /// an extension parameter: it has no `=`, or a name that no OAuth
    /// parameter has (OAuth names are lower-case words joined by `_`), or
    /// it follows a `redirect_uri` whose query was cut. In pair order, so
    /// the tails are sorted: look one up with `binary_search`, not
    /// `contains` (a `parameters` of many splits made that quadratic).
    pub fn splits(&self) -> Vec<Split> {
        let pairs = &self.form.pairs;
        let grant = self.grant_type().and_then(|g| table::table().get(g));
        let mut out = Vec::new();
        for (i, head) in pairs.iter().enumerate() {
            if !SPLITTABLE.contains(&head.name.as_str()) || head.value.is_empty() {
                continue;
            }
            let Some(tail) = pairs.get(i + 1) else {
                continue;
            };
            if tail.name.is_empty() || known(grant, &tail.name) {
                continue;
            }
            let no_eq = tail.name_raw.end == tail.raw.end;
            let odd_name = !tail
                .name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
            let cut_query = head.name == "redirect_uri" && head.value.contains('?');
            if no_eq || odd_name || cut_query {
                out.push(Split {
                    head: i,
                    tail: i + 1,
                });
            }
        }
        out
    }
}

/// A parameter of `grant` (of any grant in the table when it is unknown).
fn known(grant: Option<&table::Grant>, name: &str) -> bool {
    let t = table::table();
    match grant {
        Some(g) => t.known(g, name),
        None => t.common.iter().any(|p| p == name) || t.grants.iter().any(|g| g.allows(name)),
    }
}
