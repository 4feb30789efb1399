//! A linted input's text, with the spans of secrets that must never be shown.

use std::sync::{Arc, OnceLock};

use crate::span::Span;

/// One input as the user gave it: a fixture file, stdin, or the command line.
#[derive(Debug)]
pub struct Source {
    /// What to call it in reports: a path, `<stdin>` or `<command line>`.
    pub name: String,
    /// The text. Invalid UTF-8 in a file has been replaced (and reported).
    pub text: String,
    /// Byte offsets where lines start, built on first use: reports ask for
    /// the line of every finding, and a scan from the start each time would
    /// be quadratic on a large input with many findings.
    line_starts: OnceLock<Vec<usize>>,
}

impl Source {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Arc<Self> {
        Arc::new(Source {
            name: name.into(),
            text: text.into(),
            line_starts: OnceLock::new(),
        })
    }

    /// The text with every secret span overwritten by `*`, byte for byte, so
    /// that spans into the original still fit.
    pub fn masked_text(&self, secrets: &[Span]) -> String {
        mask(&self.text, secrets)
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

    /// The byte range of a 0-based line, without its line break.
    pub fn line_bounds(&self, line: usize) -> std::ops::Range<usize> {
        let starts = self.starts();
        let line = line.min(starts.len() - 1);
        let start = starts[line];
        let end = starts.get(line + 1).map_or(self.text.len(), |n| n - 1);
        start..end.max(start)
    }

    fn starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
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

/// Overwrites each secret span with `*` (one per byte, so offsets stay valid).
pub fn mask(text: &str, secrets: &[Span]) -> String {
    if secrets.is_empty() {
        return text.to_owned();
    }
    let mut bytes = text.as_bytes().to_vec();
    for s in secrets {
        let start = floor_char_boundary(text, s.offset.min(text.len()));
        let end = ceil_char_boundary(text, s.end().min(text.len()));
        for b in &mut bytes[start..end] {
            *b = b'*';
        }
    }
    // Whole characters were replaced by ASCII, so the result is UTF-8.
    String::from_utf8(bytes).unwrap_or_default()
}

/// Masks a secret value for display: keeps a short prefix when the value is
/// long enough that the prefix reveals little.
pub fn redact(value: &str) -> String {
    let n = value.chars().count();
    if n >= 16 {
        let head: String = value.chars().take(4).collect();
        format!("{head}…({n} chars, masked)")
    } else {
        format!("****({n} chars, masked)")
    }
}

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
    fn line_col_counts_characters() {
        let s = Source::new("x", "ab\ncé\nd");
        assert_eq!(s.line_col(0), (1, 1));
        assert_eq!(s.line_col(3), (2, 1));
        assert_eq!(s.line_col(6), (2, 3));
        assert_eq!(s.line_col(7), (3, 1));
    }
}
