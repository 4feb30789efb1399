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
mod rest_client;

pub use fields::{Field, FieldKind, LimitKind, FIELDS};

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
    /// Kept as where it is in the text: its shape is checked by `options/`
    /// rules, which read it in place.
    pub properties: Option<json::Lazy>,
    /// A string holding a JSON object (as Authlete takes it).
    pub jwt_at_claims: Option<Text>,
    pub oauth_client_attestation: Option<Text>,
    pub oauth_client_attestation_pop: Option<Text>,
    /// Kept as where it is in the text (as `properties`).
    pub cimd_options: Option<json::Lazy>,
    /// Members of a JSON body that tokenlint does not read (not a field of
    /// `TokenRequest`, or of a type the field does not take): each name and
    /// the span of its value in the source. `--send` forwards them as given.
    pub verbatim: Vec<(String, Span)>,
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
    /// The input holds no token request to lint (a HAR of other requests,
    /// a `.http` file of variables only): it is reported as skipped, for
    /// this reason, not linted.
    pub skip: Option<String>,
    /// What a JSON file plainly is when it is not a token request (`a JWK
    /// set`, `a service-account key`): a folder walk skips it.
    pub foreign: Option<&'static str>,
}

impl Loaded {
    pub fn is_readable(&self) -> bool {
        !self.issues.iter().any(LoadIssue::is_fatal)
    }
}
