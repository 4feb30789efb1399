//! `scope` (RFC 6749 §3.3): scope tokens separated by single spaces.

use std::ops::Range;

use super::diags;
use crate::form::Pair;
use crate::lint::{Context, Sink};

crate::lint::declare_rules! {
    area: Params;
    SCOPE_SYNTAX = "params/scope-syntax", Error, "RFC 6749 §3.3",
        "`scope` is not scope tokens separated by single spaces";
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ScopeProblem {
    LeadingSpace,
    TrailingSpace,
    ExtraSpace,
    BadChar(char),
}

/// Where a `scope` value breaks the grammar, and how.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct ScopeFlaw {
    /// A byte range of the decoded value.
    pub at: Range<usize>,
    pub problem: ScopeProblem,
}

/// `scope-token = 1*( %x21 / %x23-5B / %x5D-7E )`.
fn is_scope_char(c: char) -> bool {
    matches!(c, '\x21' | '\x23'..='\x5B' | '\x5D'..='\x7E')
}

/// Where `scope = scope-token *( SP scope-token )` fails.
fn scope_flaws(v: &str) -> Vec<ScopeFlaw> {
    let mut out = Vec::new();
    let mut flaw = |at, problem| out.push(ScopeFlaw { at, problem });
    let mut run: Option<usize> = None; // start of the current run of spaces
    for (i, c) in v.char_indices() {
        if c == ' ' {
            run.get_or_insert(i);
            continue;
        }
        if let Some(s) = run.take() {
            if s == 0 {
                flaw(0..i, ScopeProblem::LeadingSpace);
            } else if i - s > 1 {
                flaw(s + 1..i, ScopeProblem::ExtraSpace);
            }
        }
        if !is_scope_char(c) {
            flaw(i..i + c.len_utf8(), ScopeProblem::BadChar(c));
        }
    }
    if let Some(s) = run {
        let p = if s == 0 {
            ScopeProblem::LeadingSpace
        } else {
            ScopeProblem::TrailingSpace
        };
        flaw(s..v.len(), p);
    }
    out
}

pub(super) fn check(cx: &Context, p: &Pair, sink: &mut Sink) {
    let flaws = scope_flaws(&p.value);
    if !flaws.is_empty() {
        sink.push(diags::scope_syntax(cx, p, &flaws));
    }
}

#[cfg(test)]
mod tests {
    use super::ScopeProblem::*;
    use super::*;

    fn problems(v: &str) -> Vec<(Range<usize>, ScopeProblem)> {
        scope_flaws(v)
            .into_iter()
            .map(|f| (f.at, f.problem))
            .collect()
    }

    #[test]
    fn scope_abnf() {
        assert!(problems("openid profile email").is_empty());
        assert!(problems("a!#[]~,").is_empty());
        assert_eq!(problems(" openid"), vec![(0..1, LeadingSpace)]);
        assert_eq!(problems("openid "), vec![(6..7, TrailingSpace)]);
        assert_eq!(problems("a   b"), vec![(2..4, ExtraSpace)]);
        assert_eq!(problems("   "), vec![(0..3, LeadingSpace)]);
        assert_eq!(
            problems("a\"b\\c"),
            vec![(1..2, BadChar('"')), (3..4, BadChar('\\'))]
        );
        assert_eq!(problems("café"), vec![(3..5, BadChar('é'))]);
        assert_eq!(problems("a\tb"), vec![(1..2, BadChar('\t'))]);
    }
}
