//! Compact JWS serialization (RFC 7515 §7.1) parsed with spans: which bytes
//! of the compact string each part came from, the decoded header and payload
//! as span-keeping JSON (spans into the decoded text), and a precise reason
//! when the value is not a well-formed JWS.

use std::ops::Range;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

use crate::json;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PartName {
    Header,
    Payload,
    Signature,
}

impl PartName {
    pub fn as_str(self) -> &'static str {
        match self {
            PartName::Header => "header",
            PartName::Payload => "payload",
            PartName::Signature => "signature",
        }
    }
}

/// Why a segment is not base64url without padding (RFC 7515 §2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum B64Problem {
    /// `=` padding, which JWS forbids.
    Padding { at: usize },
    /// `+` or `/`: the standard base64 alphabet instead of base64url.
    StandardAlphabet { at: usize, ch: char },
    /// Any other character outside the base64url alphabet (whitespace, …).
    BadChar { at: usize, ch: char },
    /// A length no base64 encoding has (4n+1).
    Length,
    /// Unused trailing bits are not zero: two encodings of the same bytes.
    NonCanonical,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CompactError {
    Empty,
    /// Not three dot-separated parts (five is a JWE).
    PartCount {
        count: usize,
    },
    EmptyPart {
        part: PartName,
        raw: Range<usize>,
    },
    Base64 {
        part: PartName,
        raw: Range<usize>,
        problem: B64Problem,
    },
    NotUtf8 {
        part: PartName,
        raw: Range<usize>,
    },
    NotJson {
        part: PartName,
        raw: Range<usize>,
        /// The decoded text and the parser's complaint.
        text: String,
        message: String,
        offset: usize,
    },
    NotObject {
        part: PartName,
        raw: Range<usize>,
        found: &'static str,
    },
}

impl CompactError {
    /// The bytes of the compact string to underline.
    pub fn raw(&self, whole: usize) -> Range<usize> {
        match self {
            CompactError::Empty | CompactError::PartCount { .. } => 0..whole,
            CompactError::EmptyPart { raw, .. }
            | CompactError::NotUtf8 { raw, .. }
            | CompactError::NotJson { raw, .. }
            | CompactError::NotObject { raw, .. } => raw.clone(),
            CompactError::Base64 { raw, problem, .. } => match problem {
                B64Problem::Padding { at } => raw.start + at..raw.end,
                B64Problem::StandardAlphabet { at, ch } | B64Problem::BadChar { at, ch } => {
                    raw.start + at..raw.start + at + ch.len_utf8()
                }
                _ => raw.clone(),
            },
        }
    }

    pub fn describe(&self) -> String {
        match self {
            CompactError::Empty => "the value is empty".into(),
            CompactError::PartCount { count: 5 } => {
                "it has 5 parts: that is a JWE (encrypted), not a signed JWS".into()
            }
            CompactError::PartCount { count } => format!(
                "a compact JWS has 3 dot-separated parts (header.payload.signature); this has {count}"
            ),
            CompactError::EmptyPart { part, .. } => format!("the {} part is empty", part.as_str()),
            CompactError::Base64 { part, problem, .. } => problem.describe(part.as_str()),
            CompactError::NotUtf8 { part, .. } => {
                format!("the decoded {} is not UTF-8", part.as_str())
            }
            CompactError::NotJson { part, message, .. } => {
                format!("the decoded {} is not JSON: {message}", part.as_str())
            }
            CompactError::NotObject { part, found, .. } => {
                format!("the decoded {} is {found}, not a JSON object", part.as_str())
            }
        }
    }
}

/// A decoded JSON part: its text and its span-keeping value (spans into `text`).
#[derive(Clone, Debug)]
pub struct JsonPart {
    pub raw: Range<usize>,
    pub text: String,
    pub value: json::Value,
}

impl JsonPart {
    pub fn get(&self, key: &str) -> Option<&json::Value> {
        self.value.get(key).map(|m| &m.value)
    }

    pub fn get_str(&self, key: &str) -> Option<&str> {
        self.get(key)
            .and_then(|v| v.as_str())
            .map(|t| t.value.as_str())
    }

    /// Member names that appear more than once (RFC 7515 §4: reject): each
    /// member whose name an earlier one had, found with one set of the names
    /// seen, not a scan of the members before each.
    pub fn duplicate_names(&self) -> Vec<&json::Member> {
        let members = self.value.as_object().unwrap_or(&[]);
        let mut seen = std::collections::HashSet::with_capacity(members.len());
        members
            .iter()
            .filter(|m| !seen.insert(m.key.value.as_str()))
            .collect()
    }
}

#[derive(Clone, Debug)]
pub struct CompactJws {
    pub header: JsonPart,
    pub payload: JsonPart,
    pub signature_raw: Range<usize>,
    pub signature: Vec<u8>,
    /// `header.payload`, the JWS signing input.
    pub signing_input: Range<usize>,
    /// With [`Decoding::Forgiving`]: the first way a part broke RFC 7515 §2
    /// that the forgiving decode let pass.
    pub tolerated: Option<CompactError>,
}

/// How the base64url parts are decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Decoding {
    /// RFC 7515 §2: base64url, no padding, no whitespace, unused bits zero.
    #[default]
    Strict,
    /// The WHATWG forgiving-base64 decode that `atob` does (jose on Node.js
    /// 20): ASCII whitespace anywhere and `=` padding at the end are
    /// dropped, and unused bits are ignored; the alphabet stays base64url.
    Forgiving,
}

/// The WHATWG forgiving-base64 decode over the base64url alphabet.
fn decode_forgiving(s: &str) -> Option<Vec<u8>> {
    let mut t: Vec<u8> = s
        .bytes()
        .filter(|b| !matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' '))
        .collect();
    if t.len() % 4 == 0 {
        for _ in 0..2 {
            if t.last() == Some(&b'=') {
                t.pop();
            }
        }
    }
    if t.len() % 4 == 1
        || !t
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || b"-_".contains(b))
    {
        return None;
    }
    let engine = base64::engine::GeneralPurpose::new(
        &base64::alphabet::URL_SAFE,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::RequireNone)
            .with_decode_allow_trailing_bits(true),
    );
    engine.decode(&t).ok()
}

/// Decodes one part: strictly, or forgivingly, noting what was forgiven.
fn decode_part(
    s: &str,
    raw: &Range<usize>,
    part: PartName,
    decoding: Decoding,
    tolerated: &mut Option<CompactError>,
) -> Result<Vec<u8>, CompactError> {
    match decode_b64url(&s[raw.clone()]) {
        Ok(bytes) => Ok(bytes),
        Err(problem) => {
            let e = CompactError::Base64 {
                part,
                raw: raw.clone(),
                problem,
            };
            match decoding {
                Decoding::Forgiving => match decode_forgiving(&s[raw.clone()]) {
                    Some(bytes) => {
                        tolerated.get_or_insert(e);
                        Ok(bytes)
                    }
                    None => Err(e),
                },
                Decoding::Strict => Err(e),
            }
        }
    }
}

/// Strict base64url without padding, saying where it is wrong.
pub fn decode_b64url(s: &str) -> Result<Vec<u8>, B64Problem> {
    for (at, ch) in s.char_indices() {
        match ch {
            'A'..='Z' | 'a'..='z' | '0'..='9' | '-' | '_' => {}
            '=' => return Err(B64Problem::Padding { at }),
            '+' | '/' => return Err(B64Problem::StandardAlphabet { at, ch }),
            _ => return Err(B64Problem::BadChar { at, ch }),
        }
    }
    if s.len() % 4 == 1 {
        return Err(B64Problem::Length);
    }
    URL_SAFE_NO_PAD
        .decode(s)
        .map_err(|_| B64Problem::NonCanonical)
}

fn json_part(
    s: &str,
    raw: Range<usize>,
    part: PartName,
    decoding: Decoding,
    tolerated: &mut Option<CompactError>,
) -> Result<JsonPart, CompactError> {
    if raw.is_empty() {
        return Err(CompactError::EmptyPart { part, raw });
    }
    let bytes = decode_part(s, &raw, part, decoding, tolerated)?;
    let text = String::from_utf8(bytes).map_err(|_| CompactError::NotUtf8 {
        part,
        raw: raw.clone(),
    })?;
    let value = match json::parse(&text, 0) {
        Ok(v) => v,
        Err(e) => {
            return Err(CompactError::NotJson {
                part,
                raw,
                text,
                message: e.message,
                offset: e.offset,
            })
        }
    };
    if value.as_object().is_none() {
        return Err(CompactError::NotObject {
            part,
            raw,
            found: value.kind(),
        });
    }
    Ok(JsonPart { raw, text, value })
}

/// Parses a compact JWS. Ranges are byte offsets into `s`.
pub fn parse(s: &str) -> Result<CompactJws, CompactError> {
    parse_with(s, Decoding::Strict)
}

/// Parses a compact JWS, decoding its parts as `decoding` says.
pub fn parse_with(s: &str, decoding: Decoding) -> Result<CompactJws, CompactError> {
    let mut tolerated = None;
    if s.is_empty() {
        return Err(CompactError::Empty);
    }
    let dots: Vec<usize> = s.match_indices('.').map(|(i, _)| i).collect();
    if dots.len() != 2 {
        return Err(CompactError::PartCount {
            count: dots.len() + 1,
        });
    }
    let header_raw = 0..dots[0];
    let payload_raw = dots[0] + 1..dots[1];
    let signature_raw = dots[1] + 1..s.len();
    let header = json_part(
        s,
        header_raw.clone(),
        PartName::Header,
        decoding,
        &mut tolerated,
    )?;
    let payload = json_part(
        s,
        payload_raw.clone(),
        PartName::Payload,
        decoding,
        &mut tolerated,
    )?;
    if signature_raw.is_empty() {
        return Err(CompactError::EmptyPart {
            part: PartName::Signature,
            raw: signature_raw,
        });
    }
    let signature = decode_part(
        s,
        &signature_raw,
        PartName::Signature,
        decoding,
        &mut tolerated,
    )?;
    Ok(CompactJws {
        header,
        payload,
        signature_raw,
        signature,
        signing_input: 0..dots[1],
        tolerated,
    })
}

impl B64Problem {
    /// What is wrong with the base64url of the part named `p`.
    fn describe(&self, p: &str) -> String {
        match self {
            B64Problem::Padding { .. } => {
                format!("the {p} has `=` padding; JWS uses base64url WITHOUT padding")
            }
            B64Problem::StandardAlphabet { ch, .. } => format!(
                "the {p} contains {ch:?} from standard base64; JWS uses base64url (`-` and `_`)"
            ),
            B64Problem::BadChar { ch, .. } => {
                format!("the {p} contains {ch:?}, which is not base64url")
            }
            B64Problem::Length => format!("the {p} has a length no base64url encoding has"),
            B64Problem::NonCanonical => format!(
                "the {p}'s last character has non-zero unused bits (non-canonical base64url)"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 9449 §4.1, Figure 3 (the example DPoP proof).
    pub const RFC9449_PROOF: &str = "eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7Imt0eSI6IkVDIiwieCI6Imw4dEZyaHgtMzR0VjNoUklDUkRZOXpDa0RscEJoRjQyVVFVZldWQVdCRnMiLCJ5IjoiOVZFNGpmX09rX282NHpiVFRsY3VOSmFqSG10NnY5VERWclUwQ2R2R1JEQSIsImNydiI6IlAtMjU2In19.eyJqdGkiOiItQndDM0VTYzZhY2MybFRjIiwiaHRtIjoiUE9TVCIsImh0dSI6Imh0dHBzOi8vc2VydmVyLmV4YW1wbGUuY29tL3Rva2VuIiwiaWF0IjoxNTYyMjYyNjE2fQ.2-GxA6T8lP4vfrg8v-FdWP0A0zdrj8igiMLvqRMUvwnQg4PtFLbdLXiOSsX0x7NVY-FNyJK70nfbV37xRZT3Lg";

    #[test]
    fn parses_the_rfc9449_example() {
        let j = parse(RFC9449_PROOF).unwrap();
        assert_eq!(j.header.get_str("typ"), Some("dpop+jwt"));
        assert_eq!(
            j.payload.get_str("htu"),
            Some("https://server.example.com/token")
        );
        assert_eq!(j.signature.len(), 64);
        assert_eq!(
            &RFC9449_PROOF[j.signing_input.clone()].matches('.').count(),
            &1
        );
    }

    #[test]
    fn says_exactly_what_is_wrong() {
        assert_eq!(
            parse("a.b").unwrap_err(),
            CompactError::PartCount { count: 2 }
        );
        assert_eq!(
            parse("a.b.c.d.e").unwrap_err(),
            CompactError::PartCount { count: 5 }
        );
        let e = parse("eyJhbGciOiJub25lIn0=.e30.AA").unwrap_err();
        assert!(matches!(
            e,
            CompactError::Base64 {
                problem: B64Problem::Padding { at: 19 },
                ..
            }
        ));
        let e = parse("eyJhbGciOiJub25lIn0.e30.").unwrap_err();
        assert!(matches!(
            e,
            CompactError::EmptyPart {
                part: PartName::Signature,
                ..
            }
        ));
        let e = parse("WzFd.e30.AA").unwrap_err(); // header is [1]
        assert!(matches!(
            e,
            CompactError::NotObject {
                part: PartName::Header,
                ..
            }
        ));
        // The forgiving decode takes padding, inner whitespace and spare
        // bits, and says what it forgave; not another alphabet.
        for lenient in [
            "eyJhbGciOiJub25lIn0=.e30.AA",
            "eyJhbGc iOiJub25lIn0.e30.AA",
            "e30.e31.AA",
        ] {
            let j = parse_with(lenient, Decoding::Forgiving).unwrap();
            assert!(j.tolerated.is_some(), "{lenient}");
            assert!(parse(lenient).is_err());
        }
        assert!(parse_with("e30.e3+.AA", Decoding::Forgiving).is_err());
        assert!(parse_with("e3=0.e30.AA", Decoding::Forgiving).is_err());
        assert!(parse_with("e30==.e30.AA", Decoding::Forgiving).is_err());
        assert!(parse_with(RFC9449_PROOF, Decoding::Forgiving)
            .unwrap()
            .tolerated
            .is_none());
        // "e30" is "{}"; "e31" has non-zero trailing bits.
        let e = parse("eyJhbGciOiJub25lIn0.e31.AA").unwrap_err();
        assert!(matches!(
            e,
            CompactError::Base64 {
                problem: B64Problem::NonCanonical,
                ..
            }
        ));
    }
}
