//! The token request as Authlete's `/auth/token` API receives it, with every
//! value's place in the input remembered. Loaders build it from a fixture
//! file (the JSON body), from `token process` flags, and (later) captures.
//! Nothing here knows about rules: loading problems are [`LoadIssue`]s that
//! the linter turns into `input/` findings.

use std::sync::Arc;

use crate::json;
use crate::source::Source;
use crate::span::{Span, Text};

pub mod body;
pub mod capture;
pub mod curl;
pub mod fields;
pub mod fixture;
pub mod flags;
pub mod har;
pub mod http;

pub use fields::{Field, FieldKind, FIELDS};

/// A scalar with its span.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

/// Authlete's `TokenRequest`: the 17 fields of `POST /api/{serviceId}/auth/token`.
#[derive(Clone, Debug, Default)]
pub struct TokenRequest {
    pub parameters: Option<Text>,
    pub client_id: Option<Text>,
    pub client_secret: Option<Text>,
    pub client_certificate: Option<Text>,
    pub client_certificate_path: Vec<Text>,
    pub dpop: Option<Text>,
    pub htm: Option<Text>,
    pub htu: Option<Text>,
    pub dpop_nonce_required: Option<Spanned<bool>>,
    pub access_token: Option<Text>,
    pub access_token_duration: Option<Spanned<i64>>,
    pub refresh_token_duration: Option<Spanned<i64>>,
    /// Kept as JSON: its shape is checked by `options/` rules.
    pub properties: Option<json::Value>,
    /// A string holding a JSON object (as Authlete takes it).
    pub jwt_at_claims: Option<Text>,
    pub oauth_client_attestation: Option<Text>,
    pub oauth_client_attestation_pop: Option<Text>,
    /// Kept as JSON: its shape is checked by `options/` rules.
    pub cimd_options: Option<json::Value>,
}

/// What went wrong while reading an input, before any rule ran.
#[derive(Clone, Debug, PartialEq)]
pub enum LoadIssue {
    /// Bytes that are not UTF-8; the text was decoded lossily. `span` covers
    /// the U+FFFD that replaced them in the source text; `byte` is the first
    /// original byte.
    InvalidUtf8 {
        span: Span,
        byte: u8,
    },
    InvalidJson {
        message: String,
        offset: usize,
    },
    NotAnObject {
        span: Span,
        found: &'static str,
    },
    MissingParameters {
        span: Span,
    },
    WrongType {
        field: String,
        expected: &'static str,
        found: &'static str,
        span: Span,
    },
    UnknownField {
        name: String,
        span: Span,
        suggestion: Option<&'static str>,
    },
    DuplicateField {
        name: String,
        span: Span,
        first: Span,
    },
}

/// Decodes an input's bytes as UTF-8, replacing invalid sequences, and says
/// where the first one was: every loader reports bad UTF-8 the same way and
/// goes on with the rest of the input.
pub(crate) fn decode_lossy(bytes: &[u8]) -> (std::borrow::Cow<'_, str>, Option<LoadIssue>) {
    match std::str::from_utf8(bytes) {
        Ok(text) => (std::borrow::Cow::Borrowed(text), None),
        Err(e) => {
            let at = e.valid_up_to();
            // The lossy text holds one U+FFFD where the bad bytes were: point
            // at all of it (a 1-byte span would split the character).
            let issue = LoadIssue::InvalidUtf8 {
                span: Span::new(at, char::REPLACEMENT_CHARACTER.len_utf8()),
                byte: bytes.get(at).copied().unwrap_or(0),
            };
            (String::from_utf8_lossy(bytes), Some(issue))
        }
    }
}

/// [`decode_lossy`] for bytes the caller owns: valid UTF-8 (the common
/// case) becomes the text without a copy, so a large input is held once.
pub(crate) fn decode_lossy_owned(bytes: Vec<u8>) -> (String, Option<LoadIssue>) {
    match String::from_utf8(bytes) {
        Ok(text) => (text, None),
        Err(e) => {
            let (text, issue) = decode_lossy(e.as_bytes());
            (text.into_owned(), issue)
        }
    }
}

impl LoadIssue {
    /// An issue after which there is no request to lint.
    pub fn is_fatal(&self) -> bool {
        matches!(
            self,
            LoadIssue::InvalidJson { .. } | LoadIssue::NotAnObject { .. }
        )
    }
}

/// One input, read: its source, the request (when the input could be read as
/// one) and what went wrong on the way.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub source: Arc<Source>,
    pub request: TokenRequest,
    pub issues: Vec<LoadIssue>,
    /// Spans of secret values (client secret, tokens) to mask in any display.
    pub secrets: Vec<Span>,
    /// What an HTTP capture (raw request, HAR entry, curl command) carries
    /// besides the request: method, URL, headers, content type.
    pub capture: Option<Box<capture::Capture>>,
}

impl Loaded {
    pub fn is_readable(&self) -> bool {
        !self.issues.iter().any(LoadIssue::is_fatal)
    }
}

/// The error for an input over the file size limit (`limits.file`): the
/// CLI reports it as a failed input (exit 2), naming the limit.
pub fn file_too_large(len: u64, limit: usize) -> String {
    format!(
        "the input is {len} bytes, over the file size limit of {limit} bytes (limits.file); it was not read"
    )
}

/// Reads a file (`-` is stdin), refusing one over `limit` bytes: a regular
/// file by its size before reading, a stream once it grows past the limit,
/// so no input exhausts memory.
pub fn read_limited(path: &std::path::Path, limit: usize) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut size_hint = 0;
    let reader: Box<dyn Read> = if path.as_os_str() == "-" {
        Box::new(std::io::stdin())
    } else {
        let file = std::fs::File::open(path)?;
        let len = file.metadata().map(|m| m.len()).unwrap_or(0);
        if len > limit as u64 {
            return Err(std::io::Error::other(file_too_large(len, limit)));
        }
        size_hint = len as usize;
        Box::new(file)
    };
    // A file's size is known: one allocation of that size, which becomes
    // the source text as is (see `decode_lossy_owned`).
    let mut bytes = Vec::with_capacity(size_hint);
    let read = reader.take(limit as u64 + 1).read_to_end(&mut bytes)?;
    if read > limit {
        return Err(std::io::Error::other(format!(
            "the input is more than {limit} bytes, over the file size limit (limits.file); it was not read"
        )));
    }
    Ok(bytes)
}

/// Secrets in a JSON text that did not parse, found by a lenient scan of its
/// string literals, so an error report's snippet never shows them: the
/// value of a secret field (`clientSecret`, `accessToken`, …), the values of
/// secret parameters inside `parameters`, and any string holding a private
/// key. With `all_values`, every string that is not a member name is
/// masked (for formats like HAR whose secrets hide in generic `value`s).
/// `base` is the text's offset in its source.
pub fn lenient_secret_spans(text: &str, base: usize, all_values: bool) -> Vec<Span> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut last_key: Option<(usize, usize)> = None;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'"' {
            i += 1;
            continue;
        }
        let start = i + 1;
        let mut j = start;
        while j < bytes.len() && bytes[j] != b'"' {
            j += if bytes[j] == b'\\' { 2 } else { 1 };
        }
        let end = j.min(bytes.len());
        // A member name is followed by `:`.
        let is_key = bytes[end.saturating_add(1).min(bytes.len())..]
            .iter()
            .find(|b| !b.is_ascii_whitespace())
            == Some(&b':');
        let content = text.get(start..end).unwrap_or("");
        if is_key {
            last_key = Some((start, end));
        } else {
            let key = last_key.and_then(|(s, e)| text.get(s..e)).unwrap_or("");
            let secret_field = fields::by_json_name(key).is_some_and(|f| f.secret);
            if all_values || secret_field || content.contains("PRIVATE KEY") {
                out.push(Span::new(base + start, end - start));
            } else if key == "parameters" {
                let mut at = start;
                for pair in content.split('&') {
                    if let Some((name, value)) = pair.split_once('=') {
                        let decoded = crate::form::decode(name);
                        let n = decoded
                            .pairs
                            .first()
                            .map(|p| p.name.as_str())
                            .unwrap_or(name);
                        if crate::lint::SECRET_PARAMS.contains(&n) && !value.is_empty() {
                            out.push(Span::new(base + at + name.len() + 1, value.len()));
                        }
                    }
                    at += pair.len() + 1;
                }
            }
            last_key = None;
        }
        i = end + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_limited_refuses_a_file_over_the_limit_naming_it() {
        let dir = std::env::temp_dir().join(format!("tokenlint-limit-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("big.json");
        std::fs::write(&path, vec![b' '; 100]).unwrap();
        assert_eq!(read_limited(&path, 100).unwrap().len(), 100);
        let e = read_limited(&path, 99).unwrap_err().to_string();
        assert!(
            e.contains("100 bytes") && e.contains("limit of 99 bytes (limits.file)"),
            "{e}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn lenient_scan_masks_secrets_in_broken_json() {
        let text =
            r#"{"parameters":"grant_type=password&password=pw1&scope=a","clientSecret":"cs1",,}"#;
        let spans = lenient_secret_spans(text, 0, false);
        let masked: Vec<&str> = spans.iter().map(|s| &text[s.offset..s.end()]).collect();
        assert_eq!(masked, ["pw1", "cs1"]);
    }
}
