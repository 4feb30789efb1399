//! Byte spans into a source, and the offset maps that carry a decoded value's
//! positions back to the raw bytes it was decoded from.

use std::ops::Range;

/// A byte range in a [`crate::source::Source`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub offset: usize,
    pub len: usize,
}

impl Span {
    pub const fn new(offset: usize, len: usize) -> Self {
        Span { offset, len }
    }

    pub fn from_range(r: Range<usize>) -> Self {
        Span::new(r.start, r.end.saturating_sub(r.start))
    }

    pub const fn end(&self) -> usize {
        self.offset + self.len
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        let start = self.offset.min(other.offset);
        let end = self.end().max(other.end());
        Span::new(start, end - start)
    }
}

impl From<Span> for miette::SourceSpan {
    fn from(s: Span) -> Self {
        (s.offset, s.len).into()
    }
}

/// One escape sequence: `raw_len` raw bytes at `raw` that decoded to
/// `dec_len` bytes at `dec`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Escape {
    dec: u32,
    dec_len: u32,
    raw: u32,
    raw_len: u32,
}

/// Maps byte offsets of a decoded string to offsets in the raw text it came
/// from. Empty when decoding changed no lengths (the common case), so plain
/// values cost nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OffsetMap {
    escapes: Vec<Escape>,
    /// The decoded value was not kept (see [`Text::elided`]).
    elided: bool,
}

impl OffsetMap {
    /// Records that raw bytes `raw..raw+raw_len` decoded to
    /// `dec..dec+dec_len`. Calls must come in increasing order.
    pub fn push(&mut self, dec: usize, dec_len: usize, raw: usize, raw_len: usize) {
        if dec_len == raw_len && self.shift_at_end() == raw as i64 - dec as i64 {
            // Same length and no accumulated shift: identity, nothing to record.
            return;
        }
        self.escapes.push(Escape {
            dec: dec as u32,
            dec_len: dec_len as u32,
            raw: raw as u32,
            raw_len: raw_len as u32,
        });
    }

    fn shift_at_end(&self) -> i64 {
        match self.escapes.last() {
            None => 0,
            Some(e) => (e.raw + e.raw_len) as i64 - (e.dec + e.dec_len) as i64,
        }
    }

    pub fn is_identity(&self) -> bool {
        self.escapes.is_empty()
    }

    fn raw_start(&self, dec: usize) -> usize {
        let dec32 = dec as u32;
        let i = self.escapes.partition_point(|e| e.dec <= dec32);
        if i == 0 {
            return dec;
        }
        let e = self.escapes[i - 1];
        if dec32 < e.dec + e.dec_len {
            e.raw as usize
        } else {
            (e.raw + e.raw_len) as usize + (dec32 - e.dec - e.dec_len) as usize
        }
    }

    fn raw_end(&self, dec: usize) -> usize {
        let dec32 = dec as u32;
        let i = self.escapes.partition_point(|e| e.dec < dec32);
        if i == 0 {
            return dec;
        }
        let e = self.escapes[i - 1];
        if dec32 <= e.dec + e.dec_len {
            (e.raw + e.raw_len) as usize
        } else {
            (e.raw + e.raw_len) as usize + (dec32 - e.dec - e.dec_len) as usize
        }
    }

    /// The raw range that a decoded range came from. An escape that is only
    /// partly inside the decoded range is included whole.
    pub fn raw_range(&self, dec: Range<usize>) -> Range<usize> {
        if self.escapes.is_empty() {
            return dec;
        }
        if dec.is_empty() {
            let s = self.raw_start(dec.start);
            return s..s;
        }
        self.raw_start(dec.start)..self.raw_end(dec.end)
    }
}

/// A decoded string value that remembers where its raw form sits in the source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Text {
    pub value: String,
    /// Where the raw form (for a JSON string: between the quotes) is in the source.
    pub span: Span,
    pub map: OffsetMap,
}

impl Text {
    /// A value whose raw form is byte-for-byte the value itself.
    pub fn verbatim(value: impl Into<String>, offset: usize) -> Self {
        let value = value.into();
        let len = value.len();
        Text {
            value,
            span: Span::new(offset, len),
            map: OffsetMap::default(),
        }
    }

    /// A value too large to keep a decoded copy of (a string over the field
    /// size limit): only the span of its raw form is known, and `value` is
    /// empty. Such a value is reported as too large and never checked, so a
    /// 50 MB field costs no memory beyond the source text.
    pub fn elided(span: Span) -> Self {
        Text {
            value: String::new(),
            span,
            map: OffsetMap {
                escapes: Vec::new(),
                elided: true,
            },
        }
    }

    /// Whether this is an [`Text::elided`] value.
    pub fn is_elided(&self) -> bool {
        self.map.elided
    }

    /// The size of the value: the larger of its raw and decoded lengths (an
    /// elided value's raw length).
    pub fn size(&self) -> usize {
        self.span.len.max(self.value.len())
    }

    /// The source span of a byte range of the decoded value.
    pub fn sub_span(&self, dec: Range<usize>) -> Span {
        let raw = self.map.raw_range(dec);
        Span::new(self.span.offset + raw.start, raw.end - raw.start)
    }

    pub fn as_str(&self) -> &str {
        &self.value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_map_is_empty() {
        let mut m = OffsetMap::default();
        m.push(0, 1, 0, 1);
        m.push(5, 1, 5, 1);
        assert!(m.is_identity());
        assert_eq!(m.raw_range(2..4), 2..4);
    }

    #[test]
    fn escapes_shift_later_offsets() {
        // raw: a%20b%E2%82%ACc  decoded: "a b€c" (bytes: a,' ',b,0xE2,0x82,0xAC,c)
        let mut m = OffsetMap::default();
        m.push(1, 1, 1, 3); // %20
        m.push(3, 1, 5, 3);
        m.push(4, 1, 8, 3);
        m.push(5, 1, 11, 3);
        assert_eq!(m.raw_range(0..1), 0..1); // a
        assert_eq!(m.raw_range(1..2), 1..4); // %20
        assert_eq!(m.raw_range(2..3), 4..5); // b
        assert_eq!(m.raw_range(3..6), 5..14); // the euro sign
        assert_eq!(m.raw_range(6..7), 14..15); // c
        assert_eq!(m.raw_range(0..7), 0..15);
    }
}
