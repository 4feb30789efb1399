//! `application/x-www-form-urlencoded` decoding (RFC 6749 Appendix B, the
//! HTML 4.01 rules) that keeps, for every name and value, the raw byte range
//! it came from and an offset map from decoded bytes back to raw bytes.
//!
//! The decoder is lenient in what it returns (a malformed `%` escape stays as
//! written, invalid UTF-8 is replaced) and strict in what it reports: every
//! deviation from Appendix B is recorded as an [`Issue`] for the linter.

use std::ops::Range;

use crate::span::OffsetMap;

/// One `name=value` pair. Ranges are byte offsets into the encoded string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pair {
    pub name: String,
    pub value: String,
    /// The whole `name=value` segment.
    pub raw: Range<usize>,
    pub name_raw: Range<usize>,
    /// Empty (at the end of the segment) when there is no `=`.
    pub value_raw: Range<usize>,
    pub name_map: OffsetMap,
    pub value_map: OffsetMap,
    /// Decoded byte offsets in `value` where a raw `+` became a space.
    pub plus_spaces: Vec<usize>,
}

impl Pair {
    /// The raw range (in the encoded string) of a decoded byte range of the value.
    pub fn value_raw_range(&self, dec: Range<usize>) -> Range<usize> {
        let r = self.value_map.raw_range(dec);
        self.value_raw.start + r.start..self.value_raw.start + r.end
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Issue {
    /// `%` not followed by two hex digits.
    BadEscape { raw: Range<usize> },
    /// A byte Appendix B requires to be escaped appears raw.
    Unescaped { raw: Range<usize>, ch: char },
    /// Percent-decoded octets of a name or value are not UTF-8.
    InvalidUtf8 { pair: usize, in_name: bool },
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Form {
    pub pairs: Vec<Pair>,
    pub issues: Vec<Issue>,
}

impl Form {
    pub fn get(&self, name: &str) -> Option<&Pair> {
        self.pairs.iter().find(|p| p.name == name)
    }

    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Pair> + 'a {
        self.pairs.iter().filter(move |p| p.name == name)
    }

    /// Whether the decoder found a bad `%` escape in this pair's value, so
    /// that URI checks can leave that fault to `params/bad-percent-encoding`.
    /// Linear in the number of issues: for one or two pairs only.
    pub fn value_has_bad_escape(&self, p: &Pair) -> bool {
        self.issues
            .iter()
            .any(|i| matches!(i, Issue::BadEscape { raw } if p.value_raw.contains(&raw.start)))
    }

    /// Whether the pair's value decoded to valid UTF-8. When it did not, the
    /// decoded string holds U+FFFD replacements and its byte offsets no
    /// longer match the offset map, so no rule may take a sub-span of it
    /// (`params/invalid-utf8` reports the value instead). Linear in the
    /// number of issues: for one or two pairs only.
    pub fn value_is_utf8(&self, p: &Pair) -> bool {
        !self.issues.iter().any(|i| {
            matches!(i, Issue::InvalidUtf8 { pair, in_name: false }
                if self.pairs.get(*pair).is_some_and(|q| q.raw == p.raw))
        })
    }
}

/// Whether a decoded value still looks percent-encoded (`https%3A%2F%2F…`):
/// the client encoded it twice.
pub fn looks_double_encoded(v: &str) -> bool {
    let l = v.to_ascii_lowercase();
    l.contains("%3a%2f%2f") || l.starts_with("%2f")
}

/// Characters RFC 6749 Appendix B / HTML 4.01 allow unescaped in an encoded
/// body (oauthlib's list, which is the strictest common reading).
fn allowed_raw(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"_.-~=&;:%+,*@!()/?'$".contains(&b)
}

/// Decodes one encoded component, appending to `out` and recording escapes.
fn decode_component(
    s: &str,
    range: Range<usize>,
    map: &mut OffsetMap,
    plus_spaces: Option<&mut Vec<usize>>,
    issues: &mut Vec<Issue>,
) -> Vec<u8> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(range.len());
    let mut pluses = plus_spaces;
    let mut i = range.start;
    while i < range.end {
        let b = bytes[i];
        match b {
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .filter(|h| i + 3 <= range.end && h.iter().all(u8::is_ascii_hexdigit));
                if let Some(h) = hex {
                    let v = (hex_val(h[0]) << 4) | hex_val(h[1]);
                    map.push(out.len(), 1, i - range.start, 3);
                    out.push(v);
                    i += 3;
                } else {
                    // Up to two bytes after the `%`, widened to a character
                    // boundary (`%é` must not split the `é`).
                    let mut end = (i + 3).min(range.end);
                    while !s.is_char_boundary(end) {
                        end += 1;
                    }
                    issues.push(Issue::BadEscape { raw: i..end });
                    out.push(b'%');
                    i += 1;
                }
            }
            b'+' => {
                if let Some(p) = pluses.as_deref_mut() {
                    p.push(out.len());
                }
                out.push(b' ');
                i += 1;
            }
            _ if allowed_raw(b) => {
                out.push(b);
                i += 1;
            }
            _ => {
                // `i` is always on a character boundary: multi-byte
                // characters are consumed whole here.
                let ch = s[i..].chars().next().unwrap_or('\u{fffd}');
                let end = i + ch.len_utf8();
                issues.push(Issue::Unescaped { raw: i..end, ch });
                out.extend_from_slice(&bytes[i..end]);
                i = end;
            }
        }
    }
    out
}

/// The octets one raw component decodes to, as [`decode`] produces them
/// before its UTF-8 conversion (`+` a space, `%XX` an octet, a malformed `%`
/// kept as is), and whether every `%` began a well-formed escape.
pub fn decode_octets(s: &str) -> (Vec<u8>, bool) {
    let mut issues = Vec::new();
    let out = decode_component(s, 0..s.len(), &mut OffsetMap::default(), None, &mut issues);
    let escapes_ok = !issues.iter().any(|i| matches!(i, Issue::BadEscape { .. }));
    (out, escapes_ok)
}

/// One raw component decoded strictly: `None` when an escape is malformed
/// or the octets are not UTF-8.
pub fn decode_strict(s: &str) -> Option<String> {
    match decode_octets(s) {
        (octets, true) => String::from_utf8(octets).ok(),
        (_, false) => None,
    }
}

fn hex_val(b: u8) -> u8 {
    match b {
        b'0'..=b'9' => b - b'0',
        b'a'..=b'f' => b - b'a' + 10,
        _ => b - b'A' + 10,
    }
}

/// Decodes an encoded body. Empty segments (`a=1&&b=2`, a trailing `&`) are skipped.
pub fn decode(s: &str) -> Form {
    let mut form = Form::default();
    let mut start = 0;
    for seg in s.split('&') {
        let seg_range = start..start + seg.len();
        start = seg_range.end + 1;
        if seg.is_empty() {
            continue;
        }
        let (name_raw, value_raw) = match seg.find('=') {
            Some(eq) => (
                seg_range.start..seg_range.start + eq,
                seg_range.start + eq + 1..seg_range.end,
            ),
            None => (seg_range.clone(), seg_range.end..seg_range.end),
        };
        let mut name_map = OffsetMap::default();
        let mut value_map = OffsetMap::default();
        let mut plus_spaces = Vec::new();
        let name_bytes =
            decode_component(s, name_raw.clone(), &mut name_map, None, &mut form.issues);
        let value_bytes = decode_component(
            s,
            value_raw.clone(),
            &mut value_map,
            Some(&mut plus_spaces),
            &mut form.issues,
        );
        let index = form.pairs.len();
        let name = into_string(name_bytes, &mut name_map, &mut [], || {
            form.issues.push(Issue::InvalidUtf8 {
                pair: index,
                in_name: true,
            })
        });
        let value = into_string(value_bytes, &mut value_map, &mut plus_spaces, || {
            form.issues.push(Issue::InvalidUtf8 {
                pair: index,
                in_name: false,
            })
        });
        form.pairs.push(Pair {
            name,
            value,
            raw: seg_range,
            name_raw,
            value_raw,
            name_map,
            value_map,
            plus_spaces,
        });
    }
    form
}

/// Converts decoded octets to a string. Invalid UTF-8 is replaced (one
/// U+FFFD, three bytes, per invalid sequence, as `String::from_utf8_lossy`
/// does), and then `map` and `plus_spaces`, which count decoded bytes, are
/// rebuilt for the replaced string so spans into it stay right.
fn into_string(
    bytes: Vec<u8>,
    map: &mut OffsetMap,
    plus_spaces: &mut [usize],
    on_invalid: impl FnOnce(),
) -> String {
    let bytes = match String::from_utf8(bytes) {
        Ok(s) => return s,
        Err(e) => e.into_bytes(),
    };
    on_invalid();
    let mut out = String::with_capacity(bytes.len() + 8);
    let mut new_map = OffsetMap::default();
    // The new offset of each old decoded byte.
    let mut moved = vec![0usize; bytes.len()];
    let mut pos = 0;
    while pos < bytes.len() {
        let (valid, bad) = match std::str::from_utf8(&bytes[pos..]) {
            Ok(_) => (bytes.len() - pos, 0),
            Err(e) => (
                e.valid_up_to(),
                e.error_len().unwrap_or(bytes.len() - pos - e.valid_up_to()),
            ),
        };
        for (k, m) in moved[pos..pos + valid].iter_mut().enumerate() {
            let raw = map.raw_range(pos + k..pos + k + 1);
            *m = out.len() + k;
            new_map.push(*m, 1, raw.start, raw.len());
        }
        out.push_str(std::str::from_utf8(&bytes[pos..pos + valid]).unwrap_or_default());
        pos += valid;
        if bad > 0 {
            let raw = map.raw_range(pos..pos + bad);
            for m in &mut moved[pos..pos + bad] {
                *m = out.len();
            }
            new_map.push(
                out.len(),
                char::REPLACEMENT_CHARACTER.len_utf8(),
                raw.start,
                raw.len(),
            );
            out.push(char::REPLACEMENT_CHARACTER);
            pos += bad;
        }
    }
    for p in plus_spaces.iter_mut() {
        *p = moved.get(*p).copied().unwrap_or(*p);
    }
    *map = new_map;
    out
}

/// Encodes a value per RFC 6749 Appendix B: UTF-8, then every octet outside
/// `A-Z a-z 0-9 - . _ *` percent-escaped, and SPACE as `+`.
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for &b in value.as_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'*' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc6749_appendix_b_vector() {
        // App. B: the value " %&+£€" encodes as "+%25%26%2B%C2%A3%E2%82%AC".
        assert_eq!(encode(" %&+£€"), "+%25%26%2B%C2%A3%E2%82%AC");
        let f = decode("parameter=+%25%26%2B%C2%A3%E2%82%AC");
        assert!(f.issues.is_empty(), "{:?}", f.issues);
        assert_eq!(f.pairs[0].name, "parameter");
        assert_eq!(f.pairs[0].value, " %&+£€");
        assert_eq!(f.pairs[0].plus_spaces, vec![0]);
    }

    #[test]
    fn maps_decoded_bytes_to_raw_ranges() {
        let s = "a=1&code_verifier=ab%2Bc+d";
        let f = decode(s);
        let p = &f.pairs[1];
        assert_eq!(p.value, "ab+c d");
        assert_eq!(&s[p.value_raw_range(2..3)], "%2B");
        assert_eq!(&s[p.value_raw_range(3..4)], "c");
        assert_eq!(&s[p.value_raw_range(0..6)], "ab%2Bc+d");
        assert_eq!(p.plus_spaces, vec![4]);
    }

    #[test]
    fn reports_bad_escapes_unescaped_bytes_and_bad_utf8() {
        let f = decode("a=%zz&b=x y&c=%FF&%C3=1");
        assert!(f.issues.contains(&Issue::BadEscape { raw: 2..5 }));
        assert!(f.issues.contains(&Issue::Unescaped {
            raw: 9..10,
            ch: ' '
        }));
        assert!(f.issues.contains(&Issue::InvalidUtf8 {
            pair: 2,
            in_name: false
        }));
        assert!(f.issues.contains(&Issue::InvalidUtf8 {
            pair: 3,
            in_name: true
        }));
        assert_eq!(f.pairs[0].value, "%zz");
    }

    #[test]
    fn escape_cut_by_segment_end_is_bad() {
        let f = decode("a=%4&b=1");
        assert_eq!(f.issues, vec![Issue::BadEscape { raw: 2..4 }]);
        assert_eq!(f.pairs[1].value, "1");
    }

    #[test]
    fn invalid_utf8_keeps_spans_right() {
        // %A0 (Latin-1) becomes U+FFFD (3 bytes); the `+` after it and the
        // euro sign must still map to their own raw bytes.
        let s = "v=%A0+%E2%82%AC";
        let f = decode(s);
        let p = &f.pairs[0];
        assert_eq!(p.value, "\u{fffd} €");
        assert_eq!(&s[p.value_raw_range(0..3)], "%A0");
        assert_eq!(p.plus_spaces, vec![3]);
        assert_eq!(&s[p.value_raw_range(3..4)], "+");
        assert_eq!(&s[p.value_raw_range(4..7)], "%E2%82%AC");
        let f = decode("v=a%C3");
        assert_eq!(f.pairs[0].value, "a\u{fffd}");
        assert_eq!(f.pairs[0].value_raw_range(1..4), 3..6);
    }

    #[test]
    fn bad_escape_range_never_splits_a_character() {
        // `ᾶ` is three bytes: the range takes it whole.
        let f = decode("a=%ᾶ&b=%4€");
        assert_eq!(
            f.issues,
            vec![
                Issue::BadEscape { raw: 2..6 },
                Issue::Unescaped {
                    raw: 3..6, ch: 'ᾶ'
                },
                Issue::BadEscape { raw: 9..14 },
                Issue::Unescaped {
                    raw: 11..14,
                    ch: '€'
                },
            ]
        );
    }

    #[test]
    fn value_faults_are_asked_per_pair() {
        let f = decode("a=%zz&b=%FF&c=ok");
        assert!(f.value_has_bad_escape(&f.pairs[0]));
        assert!(!f.value_has_bad_escape(&f.pairs[1]));
        assert!(f.value_is_utf8(&f.pairs[0]));
        assert!(!f.value_is_utf8(&f.pairs[1]));
        assert!(f.value_is_utf8(&f.pairs[2]));
    }

    #[test]
    fn double_encoding_is_recognised() {
        assert!(looks_double_encoded(
            "https%3A%2F%2Fclient.example.org%2Fcb"
        ));
        assert!(looks_double_encoded("%2Fcb"));
        assert!(!looks_double_encoded("https://client.example.org/cb"));
    }

    #[test]
    fn empty_segments_are_skipped_and_missing_equals_is_empty_value() {
        let f = decode("&a&&b=&");
        assert_eq!(f.pairs.len(), 2);
        assert_eq!(f.pairs[0].name, "a");
        assert_eq!(f.pairs[0].value, "");
        assert_eq!(f.pairs[1].value_raw, 6..6);
    }
}
