//! A linted input's text, with the spans of secrets that must never be shown.

use std::sync::{Arc, OnceLock};

use crate::span::Span;

/// One input as the user gave it: a fixture file, stdin, the command line,
/// or one token request of a HAR file.
#[derive(Debug)]
pub struct Source {
    /// What to call it in reports: a path, `<stdin>`, `<command line>`,
    /// `file.har#entries[3]`.
    pub name: String,
    /// The text, shared with the other inputs read from the same file.
    pub text: SourceText,
}

/// The text of a file, held once however many inputs are read from it (a
/// HAR of 2,000 token requests is 2,000 inputs over one text): the text,
/// where its lines start and the secrets anywhere in it, each built once.
/// Invalid UTF-8 in a file has been replaced (and reported).
#[derive(Clone)]
pub struct SourceText(Arc<Shared>);

struct Shared {
    text: String,
    /// Byte offsets where lines start, built on first use: reports ask for
    /// the line of every finding, and a scan from the start each time would
    /// be quadratic on a large input with many findings.
    line_starts: OnceLock<Vec<usize>>,
    /// Secrets anywhere in the text (a HAR's other requests and responses),
    /// masked for every input read from it: merged ranges, as [`Masked`]'s.
    secrets: Vec<(usize, usize)>,
}

impl SourceText {
    pub fn new(text: impl Into<String>) -> SourceText {
        SourceText::with_secrets(text.into(), &[])
    }

    /// A text whose `secrets` are masked in every input read from it.
    pub fn with_secrets(text: String, secrets: &[Span]) -> SourceText {
        let secrets = merged_ranges(&text, secrets);
        SourceText(Arc::new(Shared {
            text,
            line_starts: OnceLock::new(),
            secrets,
        }))
    }

    pub fn as_str(&self) -> &str {
        &self.0.text
    }

    /// Whether two texts are the same one (not only equal).
    pub fn ptr_eq(&self, other: &SourceText) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }

    /// How many secret ranges the text itself holds (see [`SourceText::with_secrets`]).
    pub fn secret_ranges(&self) -> usize {
        self.0.secrets.len()
    }
}

impl std::ops::Deref for SourceText {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0.text
    }
}

impl AsRef<str> for SourceText {
    fn as_ref(&self) -> &str {
        &self.0.text
    }
}

impl std::fmt::Debug for SourceText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl PartialEq<str> for SourceText {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for SourceText {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for SourceText {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl Source {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Arc<Self> {
        Source::shared(name, SourceText::new(text))
    }

    /// An input over a text other inputs share.
    pub fn shared(name: impl Into<String>, text: SourceText) -> Arc<Self> {
        Arc::new(Source {
            name: name.into(),
            text,
        })
    }

    /// The text with every secret span (these, and the text's own) read as
    /// `*`, byte for byte, so that spans into the original still fit: a
    /// view that copies only the ranges asked for (a snippet's lines), not
    /// the whole text.
    pub fn masked_text(&self, secrets: &[Span]) -> Masked<'_> {
        let mut m = Masked::new(self.text.as_str(), secrets);
        m.shared = &self.text.0.secrets;
        m
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let (line, start, offset) = self.locate(offset);
        (line, self.text[start..offset].chars().count() + 1)
    }

    /// 1-based line and column in UTF-16 code units (SARIF's default).
    pub fn line_col_utf16(&self, offset: usize) -> (usize, usize) {
        let (line, start, offset) = self.locate(offset);
        let col = self.text[start..offset]
            .chars()
            .map(char::len_utf16)
            .sum::<usize>()
            + 1;
        (line, col)
    }

    /// The 0-based line index of a byte offset.
    pub fn line_index(&self, offset: usize) -> usize {
        self.locate(offset).0 - 1
    }

    /// How many lines the text has (at least one).
    pub fn line_count(&self) -> usize {
        self.starts().len()
    }

    /// The byte range of a 0-based line, without its line break (`\n`, or
    /// `\r\n`: a CRLF file's lines do not end in a stray `\r`, which a
    /// report would show as a line break of its own).
    pub fn line_bounds(&self, line: usize) -> std::ops::Range<usize> {
        let starts = self.starts();
        let line = line.min(starts.len() - 1);
        let start = starts[line];
        let mut end = starts.get(line + 1).map_or(self.text.len(), |n| n - 1);
        if end > start && starts.get(line + 1).is_some() && self.text.as_bytes()[end - 1] == b'\r' {
            end -= 1;
        }
        start..end.max(start)
    }

    fn starts(&self) -> &[usize] {
        self.text.0.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        })
    }

    /// The 1-based line of `offset`, where that line starts, and `offset`
    /// clamped to a character boundary.
    fn locate(&self, offset: usize) -> (usize, usize, usize) {
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let starts = self.starts();
        let line = starts.partition_point(|&s| s <= offset);
        (line, starts[line - 1], offset)
    }
}

/// A character's kind, for a label on a masked value: punctuation by name,
/// the rest by kind only (`plural`: of several characters).
fn char_kind(c: char, plural: bool) -> String {
    let (one, many) = match c {
        ' ' => ("a space", "spaces"),
        c if c.is_ascii_punctuation() => return format!("`{c}`"),
        c if c.is_ascii_alphabetic() => ("a letter", "letters"),
        c if c.is_ascii_digit() => ("a digit", "digits"),
        c if c.is_control() => ("a control character", "control characters"),
        c if c.is_whitespace() => ("a non-ASCII space", "non-ASCII spaces"),
        _ => ("a non-ASCII character", "non-ASCII characters"),
    };
    (if plural { many } else { one }).to_owned()
}

/// `secrets` as byte ranges of `text` on its character boundaries, sorted,
/// merged and non-empty.
fn merged_ranges(text: &str, secrets: &[Span]) -> Vec<(usize, usize)> {
    let mut ranges: Vec<(usize, usize)> = secrets
        .iter()
        .map(|s| {
            (
                floor_char_boundary(text, s.offset.min(text.len())),
                ceil_char_boundary(text, s.end().min(text.len())),
            )
        })
        .filter(|(a, e)| a < e)
        .collect();
    ranges.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
    for (a, e) in ranges {
        match merged.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((a, e)),
        }
    }
    merged
}

/// Overwrites each secret span with `*` (one per byte, so offsets stay valid).
pub fn mask(text: &str, secrets: &[Span]) -> String {
    Masked::new(text, secrets).to_string()
}

/// A text with its secret spans read as `*`, one per byte (a secret span is
/// widened to whole characters first), without copying the text: a report
/// takes only the ranges it shows. Offsets are the original's; a character
/// boundary is one of the original's or any offset inside a masked range
/// (where every byte is a `*`).
#[derive(Clone, Debug)]
pub struct Masked<'a> {
    text: &'a str,
    /// Masked byte ranges on the original's character boundaries, sorted,
    /// merged and non-empty.
    ranges: Vec<(usize, usize)>,
    /// More such ranges, held by the text itself (see [`SourceText`]):
    /// borrowed, not copied, since a HAR's thousands of inputs share them.
    shared: &'a [(usize, usize)],
}

impl<'a> Masked<'a> {
    pub fn new(text: &'a str, secrets: &[Span]) -> Self {
        Masked {
            text,
            ranges: merged_ranges(text, secrets),
            shared: &[],
        }
    }

    /// The masked ranges that overlap `at..end`, from both lists, merged.
    fn ranges_in(&self, at: usize, end: usize) -> Vec<(usize, usize)> {
        let mut out: Vec<(usize, usize)> = Vec::new();
        for list in [&self.ranges[..], self.shared] {
            let first = list.partition_point(|&(_, e)| e <= at);
            out.extend(list[first..].iter().take_while(|&&(a, _)| a < end));
        }
        if self.shared.is_empty() || self.ranges.is_empty() {
            return out;
        }
        out.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::with_capacity(out.len());
        for (a, e) in out {
            match merged.last_mut() {
                Some(last) if a <= last.1 => last.1 = last.1.max(e),
                _ => merged.push((a, e)),
            }
        }
        merged
    }

    pub fn len(&self) -> usize {
        self.text.len()
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// What a label on `start..end` can say when every byte of it is masked
    /// (an underline inside a secret shows only `*`): the masked value's
    /// length and where the underlined characters are in it, with their
    /// kinds — punctuation by name (what the rules complain about: `+`,
    /// `/`, `%`…), letters, digits and other characters only as a kind.
    /// `None` when the span is not entirely inside one masked value, or is
    /// all of it.
    pub fn masked_shape(&self, start: usize, end: usize) -> Option<String> {
        if start >= end {
            return None;
        }
        let n = self.ranges.partition_point(|&(a, _)| a <= start);
        let &(a, e) = self.ranges.get(n.checked_sub(1)?)?;
        // A label on the whole masked value shows its extent already.
        if end > e || (start == a && end == e) {
            return None;
        }
        let value = self.text.get(a..e)?;
        let before = self.text.get(a..start.max(a))?.chars().count();
        let under: Vec<char> = self.text.get(start..end)?.chars().collect();
        let mut kinds: Vec<String> = Vec::new();
        for c in &under {
            let k = char_kind(*c, under.len() > 1);
            if !kinds.contains(&k) {
                kinds.push(k);
            }
        }
        let at = if under.len() == 1 {
            format!("character {}", before + 1)
        } else {
            format!("characters {}-{}", before + 1, before + under.len())
        };
        Some(format!(
            "in a masked value of {} characters, {at}: {}",
            value.chars().count(),
            kinds.join(", ")
        ))
    }

    /// Whether `i` is strictly inside a masked range.
    fn inside_mask(&self, i: usize) -> bool {
        [&self.ranges[..], self.shared].iter().any(|list| {
            let n = list.partition_point(|&(a, _)| a < i);
            n > 0 && i < list[n - 1].1
        })
    }

    pub fn is_char_boundary(&self, i: usize) -> bool {
        i <= self.text.len() && (self.text.is_char_boundary(i) || self.inside_mask(i))
    }

    pub fn floor_char_boundary(&self, i: usize) -> usize {
        let mut i = i.min(self.text.len());
        while !self.is_char_boundary(i) {
            i -= 1;
        }
        i
    }

    pub fn ceil_char_boundary(&self, i: usize) -> usize {
        let mut i = i.min(self.text.len());
        while !self.is_char_boundary(i) {
            i += 1;
        }
        i
    }

    /// Calls `f` with the pieces of the masked text in `range` (clamped to
    /// the text): `Ok(text)` for unmasked text, `Err(n)` for `n` masked bytes.
    /// The range's ends must be character boundaries ([`Masked::is_char_boundary`]).
    fn pieces(&self, range: std::ops::Range<usize>, mut f: impl FnMut(Result<&'a str, usize>)) {
        let end = range.end.min(self.text.len());
        let mut at = range.start.min(end);
        for (a, e) in self.ranges_in(at, end) {
            if a >= end {
                break;
            }
            if a > at {
                f(Ok(self.text.get(at..a).unwrap_or("")));
                at = a;
            }
            let stop = e.min(end);
            f(Err(stop - at));
            at = stop;
        }
        if at < end {
            f(Ok(self.text.get(at..end).unwrap_or("")));
        }
    }

    /// Appends the masked text of `range` to `out`.
    pub fn push_range(&self, range: std::ops::Range<usize>, out: &mut String) {
        self.pieces(range, |p| match p {
            Ok(s) => out.push_str(s),
            Err(n) => out.extend(std::iter::repeat_n('*', n)),
        });
    }

    /// How many characters the masked text of `range` has.
    pub fn char_count(&self, range: std::ops::Range<usize>) -> usize {
        let mut n = 0;
        self.pieces(range, |p| {
            n += match p {
                Ok(s) => s.chars().count(),
                Err(k) => k,
            }
        });
        n
    }

    /// Whether the masked text contains `pat`.
    pub fn contains(&self, pat: &str) -> bool {
        self.to_string().contains(pat)
    }
}

impl std::fmt::Display for Masked<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut out = Ok(());
        self.pieces(0..self.text.len(), |p| {
            if out.is_ok() {
                out = match p {
                    Ok(s) => f.write_str(s),
                    Err(n) => (0..n).try_for_each(|_| f.write_str("*")),
                };
            }
        });
        out
    }
}

pub use crate::secrets::redact;

pub fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

pub fn ceil_char_boundary(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masking_keeps_length_and_hides_value() {
        let t = "secret=hünter2&x=1";
        let m = mask(t, &[Span::new(7, 8)]);
        assert_eq!(m.len(), t.len());
        assert!(!m.contains("nter"));
        assert!(m.ends_with("&x=1"));
    }

    #[test]
    fn masked_view_reads_like_the_masked_copy() {
        let t = "ab\u{e9}cd\u{20ac}ef\nsecret=h\u{fc}nter2&x=1";
        // Spans that split characters, overlap, touch and run past the end.
        let secrets = [
            Span::new(3, 2),
            Span::new(4, 3),
            Span::new(7, 1),
            Span::new(20, 3),
            Span::new(t.len() - 1, 9),
        ];
        let m = Masked::new(t, &secrets);
        // The copy the view replaces: every masked byte a `*`.
        let mut bytes = t.as_bytes().to_vec();
        for &(a, e) in &m.ranges {
            bytes[a..e].fill(b'*');
        }
        let copy = String::from_utf8(bytes).unwrap();
        assert_eq!(m.to_string(), copy);
        assert!(!m.contains("nter") && m.contains("ab"));
        for i in 0..=t.len() + 2 {
            assert_eq!(m.is_char_boundary(i), copy.is_char_boundary(i), "{i}");
            assert_eq!(m.floor_char_boundary(i), floor_char_boundary(&copy, i));
            assert_eq!(m.ceil_char_boundary(i), ceil_char_boundary(&copy, i));
        }
        for a in 0..=t.len() {
            for e in a..=t.len() {
                if copy.is_char_boundary(a) && copy.is_char_boundary(e) {
                    let mut out = String::new();
                    m.push_range(a..e, &mut out);
                    assert_eq!(out, copy[a..e], "{a}..{e}");
                    assert_eq!(m.char_count(a..e), copy[a..e].chars().count());
                }
            }
        }
        assert_eq!(Masked::new(t, &[]).to_string(), t);

        // The same secrets, some held by the text itself: the same view.
        let (own, held) = secrets.split_at(2);
        let source = Source::shared("x", SourceText::with_secrets(t.to_owned(), held));
        let split = source.masked_text(own);
        assert_eq!(split.to_string(), copy);
        for i in 0..=t.len() + 2 {
            assert_eq!(split.is_char_boundary(i), copy.is_char_boundary(i), "{i}");
        }
        for a in 0..=t.len() {
            for e in a..=t.len() {
                if copy.is_char_boundary(a) && copy.is_char_boundary(e) {
                    let mut out = String::new();
                    split.push_range(a..e, &mut out);
                    assert_eq!(out, copy[a..e], "{a}..{e}");
                }
            }
        }
    }

    #[test]
    fn line_col_counts_characters() {
        let s = Source::new("x", "ab\ncé\nd");
        assert_eq!(s.line_col(0), (1, 1));
        assert_eq!(s.line_col(3), (2, 1));
        assert_eq!(s.line_col(6), (2, 3));
        assert_eq!(s.line_col(7), (3, 1));
    }
}
