//! RFC 6749 Appendix B: what the form decoder found wrong with how a name or
//! a value is encoded (bad `%` escapes, raw characters, octets that are not
//! UTF-8).

use std::collections::HashSet;
use std::ops::Range;

use super::diags;
use crate::form::{self, Issue, Pair};
use crate::lint::{Context, Sink};
use crate::span::OffsetMap;

crate::lint::declare_rules! {
    area: Params;
    BAD_PERCENT_ENCODING = "params/bad-percent-encoding", Error, "RFC 6749 Appendix B",
        "A `%` in the form body is not followed by two hex digits";
    UNESCAPED_CHARACTER = "params/unescaped-character", Warning, "RFC 6749 Appendix B",
        "A character that form encoding requires to be percent-encoded appears raw";
    INVALID_UTF8 = "params/invalid-utf8", Error, "RFC 6749 Appendix B",
        "A parameter percent-decodes to bytes that are not UTF-8";
}

/// One side of a pair, by position: the key the decoder's issues are
/// grouped by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Component {
    pair: usize,
    in_name: bool,
}

impl Component {
    /// The component a raw byte offset of `parameters` falls in.
    fn at(cx: &Context, raw: usize) -> Option<Component> {
        // Pairs are in source order and do not overlap: binary search.
        let pairs = &cx.form.pairs;
        let i = pairs.partition_point(|p| p.raw.end <= raw);
        let p = pairs.get(i)?;
        (p.raw.start <= raw && raw < p.raw.end).then_some(Component {
            pair: i,
            in_name: raw < p.name_raw.end,
        })
    }

    fn part<'c>(self, cx: &'c Context) -> Part<'c> {
        Part::new(cx, &cx.form.pairs[self.pair], self.in_name)
    }
}

/// One side of a pair: its name or its value.
#[derive(Clone, Copy)]
pub(super) struct Part<'a> {
    pub pair: &'a Pair,
    pub in_name: bool,
    /// Whether a message may quote the pair's name ([`Context::name_quotable`]).
    pub name_shown: bool,
    shown: bool,
}

impl<'a> Part<'a> {
    pub fn new(cx: &Context, pair: &'a Pair, in_name: bool) -> Part<'a> {
        let name_shown = cx.name_quotable(pair);
        Part {
            pair,
            in_name,
            name_shown,
            shown: if in_name {
                name_shown
            } else {
                cx.value_quotable(pair)
            },
        }
    }

    /// Whether a message may quote bytes of it: not when it is (part of) a
    /// secret, as [`crate::secrets`] says.
    pub fn quotable(self) -> bool {
        self.shown
    }

    /// Its raw range in `parameters`.
    fn raw(self) -> Range<usize> {
        if self.in_name {
            self.pair.name_raw.clone()
        } else {
            self.pair.value_raw.clone()
        }
    }

    /// Maps its decoded bytes to raw bytes.
    fn map(self) -> &'a OffsetMap {
        if self.in_name {
            &self.pair.name_map
        } else {
            &self.pair.value_map
        }
    }
}

/// A character the form encoding requires to be escaped, found raw.
pub(super) struct Unescaped {
    pub raw: Range<usize>,
    pub ch: char,
}

/// The issues of one kind in one component, in order.
struct Group<T> {
    at: Component,
    items: Vec<T>,
}

/// Groups items by the component their raw offset (`start`) is in, in
/// order of first appearance.
fn group_by_component<T>(
    cx: &Context,
    items: impl Iterator<Item = T>,
    start: impl Fn(&T) -> usize,
) -> Vec<Group<T>> {
    let mut groups: Vec<Group<T>> = Vec::new();
    for item in items {
        let Some(at) = Component::at(cx, start(&item)) else {
            continue;
        };
        // The decoder reports a component's issues together, in order.
        match groups.last_mut() {
            Some(g) if g.at == at => g.items.push(item),
            _ => groups.push(Group {
                at,
                items: vec![item],
            }),
        }
    }
    groups
}

/// The encoded `parameters` string.
pub(super) fn raw_params<'c>(cx: &'c Context) -> &'c str {
    cx.req.parameters.as_ref().map_or("", |t| t.value.as_str())
}

pub(super) fn check(cx: &Context, sink: &mut Sink) {
    let escapes = cx.form.issues.iter().filter_map(|i| match i {
        Issue::BadEscape { raw } => Some(raw.clone()),
        _ => None,
    });
    for g in group_by_component(cx, escapes, |r| r.start) {
        sink.push(diags::bad_percent_encoding(cx, g.at.part(cx), &g.items));
    }

    let unescaped = cx.form.issues.iter().filter_map(|i| match i {
        Issue::Unescaped { raw, ch } => Some(Unescaped {
            raw: raw.clone(),
            ch: *ch,
        }),
        _ => None,
    });
    for g in group_by_component(cx, unescaped, |u| u.raw.start) {
        sink.push(diags::unescaped_character(cx, g.at.part(cx), &g.items));
    }

    for issue in &cx.form.issues {
        let Issue::InvalidUtf8 { pair: i, in_name } = issue else {
            continue;
        };
        let Some(pair) = cx.form.pairs.get(*i) else {
            continue;
        };
        let part = Part::new(cx, pair, *in_name);
        sink.push(diags::invalid_utf8(cx, part, &BadUtf8::of(cx, part)));
    }
}

/// Where a name or a value percent-decodes to octets that are not UTF-8.
pub(super) struct BadUtf8 {
    /// The raw range of each invalid sequence.
    pub raw: Vec<Range<usize>>,
    /// What the first lone byte 0xA0-0xFF is in Latin-1, the charset such a
    /// byte almost always comes from.
    pub latin1: Option<char>,
}

impl BadUtf8 {
    fn of(cx: &Context, part: Part) -> BadUtf8 {
        let comp = part.raw();
        let (bytes, _) = form::decode_octets(raw_params(cx).get(comp.clone()).unwrap_or(""));
        let bad = invalid_utf8_ranges(&bytes);
        // The offset map counts bytes of the decoded string, where each
        // invalid sequence became one U+FFFD (3 bytes): shift the octet ranges.
        let mut shift = 0usize;
        let raw = bad
            .iter()
            .map(|r| {
                let start = r.start + shift;
                let fffd = char::REPLACEMENT_CHARACTER.len_utf8();
                shift += fffd - r.len().min(fffd);
                let m = part.map().raw_range(start..start + fffd);
                comp.start + m.start..comp.start + m.end
            })
            .collect();
        let latin1 = bad.iter().find_map(|r| match &bytes[r.clone()] {
            [b] if *b >= 0xA0 => Some(char::from(*b)),
            _ => None,
        });
        BadUtf8 { raw, latin1 }
    }
}

/// The byte ranges of `bytes` that are not UTF-8.
fn invalid_utf8_ranges(bytes: &[u8]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < bytes.len() {
        match std::str::from_utf8(&bytes[pos..]) {
            Ok(_) => break,
            Err(e) => {
                let start = pos + e.valid_up_to();
                let end = e.error_len().map_or(bytes.len(), |l| start + l);
                out.push(start..end);
                pos = end;
            }
        }
    }
    out
}

/// Which values are not UTF-8 or have a bad `%` escape, found once so that
/// a body of many pairs stays linear.
pub(super) struct ValueFaults {
    not_utf8: HashSet<usize>,
    bad_escape: HashSet<usize>,
}

impl ValueFaults {
    pub fn of(cx: &Context) -> ValueFaults {
        let mut faults = ValueFaults {
            not_utf8: HashSet::new(),
            bad_escape: HashSet::new(),
        };
        for issue in &cx.form.issues {
            match issue {
                Issue::InvalidUtf8 {
                    pair,
                    in_name: false,
                } => {
                    faults.not_utf8.insert(*pair);
                }
                Issue::BadEscape { raw } => {
                    if let Some(Component {
                        pair,
                        in_name: false,
                    }) = Component::at(cx, raw.start)
                    {
                        faults.bad_escape.insert(pair);
                    }
                }
                _ => {}
            }
        }
        faults
    }

    /// Whether the value of pair `i` decoded to UTF-8.
    pub fn is_utf8(&self, i: usize) -> bool {
        !self.not_utf8.contains(&i)
    }

    /// Whether the value of pair `i` has a bad `%` escape.
    pub fn has_bad_escape(&self, i: usize) -> bool {
        self.bad_escape.contains(&i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_ranges_and_decoding() {
        assert_eq!(
            crate::form::decode_octets("a+%41%zz%4"),
            (b"a A%zz%4".to_vec(), false)
        );
        assert_eq!(invalid_utf8_ranges(b"ok"), Vec::<Range<usize>>::new());
        assert_eq!(invalid_utf8_ranges(b"caf\xe9!\xff"), vec![3..4, 5..6]);
        assert_eq!(invalid_utf8_ranges(b"a\xe2\x82"), vec![1..3]);
    }
}
