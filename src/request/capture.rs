//! What an HTTP capture (a raw request, a HAR entry, a curl command) carries
//! beyond Authlete's JSON body, and the step every capture loader shares:
//! turning the request's method, URL, headers and body into a
//! [`TokenRequest`] the way a token endpoint hands them to Authlete.
//!
//! - method → `htm`; scheme + host + path → `htu` (no query, RFC 9449 §4.3);
//! - `Authorization: Basic` → `clientId` / `clientSecret`, each part
//!   form-decoded after the base64 (RFC 6749 §2.3.1);
//! - `DPoP`, `OAuth-Client-Attestation`, `OAuth-Client-Attestation-PoP`;
//! - the body → `parameters`.
//!
//! Problems with the capture itself are recorded as [`Issue`]s; the
//! `input/` and `client-auth/basic-…` rules report them.

use std::ops::Range;
use std::sync::Arc;

use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine as _;

use super::fields::{self, Access, Field};
use super::{LoadIssue, Loaded, TokenRequest};
use crate::source::Source;
use crate::span::{OffsetMap, Span, Text};

/// Which kind of capture a request came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CaptureKind {
    /// A raw HTTP/1.1 request (`.http`, `.txt`).
    Http,
    /// An entry of a HAR file (browser devtools export).
    Har,
    /// A curl command line.
    Curl,
}

impl CaptureKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CaptureKind::Http => "raw HTTP request",
            CaptureKind::Har => "HAR entry",
            CaptureKind::Curl => "curl command",
        }
    }
}

/// One request header, name and value with their spans (value trimmed).
#[derive(Clone, Debug)]
pub struct Header {
    pub name: Text,
    pub value: Text,
}

/// Which half of the Basic credentials.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    ClientId,
    ClientSecret,
}

impl Part {
    pub fn as_str(self) -> &'static str {
        match self {
            Part::ClientId => "client ID",
            Part::ClientSecret => "client secret",
        }
    }

    pub fn field(self) -> &'static str {
        match self {
            Part::ClientId => "clientId",
            Part::ClientSecret => "clientSecret",
        }
    }
}

/// Something wrong with the capture itself, found while loading it.
#[derive(Clone, Debug, PartialEq)]
pub enum Issue {
    /// The capture's own syntax: request line, header lines, Content-Length,
    /// HAR structure, curl quoting. `warning` when it was read anyway.
    Syntax {
        span: Span,
        message: String,
        warning: bool,
    },
    /// `Authorization` is not `Basic <token68>`.
    BasicMalformed { span: Span, message: String },
    /// The token68 is not standard base64.
    BasicBadBase64 { span: Span, message: String },
    /// The decoded credentials have no `:`.
    BasicNoColon { span: Span },
    /// The client ID or the secret is empty.
    BasicEmptyPart { span: Span, part: Part },
    /// A character a form-urlencoding client would have escaped appears raw.
    BasicNotFormEncoded {
        span: Span,
        part: Part,
        ch: char,
        count: usize,
    },
    /// `%` not followed by two hex digits, or the decoded octets are not UTF-8.
    BasicBadPercent {
        span: Span,
        part: Part,
        message: String,
    },
    /// A decoded character outside VSCHAR (%x20-7E).
    BasicNonVschar { span: Span, part: Part, code: u32 },
    /// A REST-client `{{reference}}` that cannot be resolved offline.
    Unresolved { span: Span, message: String },
    /// The request has no form body to read parameters from.
    Body { span: Span, problem: BodyProblem },
}

/// Why a capture's body holds no token request parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyProblem {
    /// There is no body at all.
    Missing,
    /// The body is empty; `content_length_zero`: `Content-Length: 0` says so.
    Empty { content_length_zero: bool },
    /// The body is JSON; `authlete`: Authlete's own request JSON (it has
    /// `parameters`), which belongs in a `.json` fixture.
    Json { authlete: bool },
    /// An HTTP/2 header dump (`:method`, `:path` …): headers only.
    Http2Dump,
}

/// The facts a capture carries that Authlete's body does not.
#[derive(Clone, Debug)]
pub struct Capture {
    pub kind: CaptureKind,
    /// The request method as sent.
    pub method: Option<Text>,
    /// The request target as written: an absolute URL or an origin-form path.
    pub url: Option<Text>,
    /// `https`, `http`, … (`None` when the capture does not say).
    pub scheme: Option<String>,
    /// The query component (after `?`), when there is one.
    pub query: Option<Text>,
    /// The `Content-Type` header's value.
    pub content_type: Option<Text>,
    /// Every request header, in order.
    pub headers: Vec<Header>,
    /// Whether the request has a (non-empty) body.
    pub has_body: bool,
    /// Where the Basic credentials came from (the header value or `curl -u`).
    pub basic: Option<Span>,
    /// When the request was made, as the capture records it.
    pub time: Option<CaptureTime>,
    /// The server's error answer to it, when the capture holds one (a HAR
    /// entry's response).
    pub answer: Option<crate::answer::Answer>,
    pub issues: Vec<Issue>,
}

/// When a captured request was made, and what says so.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CaptureTime {
    /// Unix seconds.
    pub at: i64,
    pub from: TimeSource,
    /// The value that says it.
    pub span: Span,
}

/// What gives a capture its time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeSource {
    /// A HAR entry's `startedDateTime`.
    HarStarted,
    /// The request's `Date` header.
    DateHeader,
}

impl TimeSource {
    /// For a sentence: "the capture's time (its Date header)".
    pub fn as_str(self) -> &'static str {
        match self {
            TimeSource::HarStarted => "its startedDateTime",
            TimeSource::DateHeader => "its Date header",
        }
    }

    /// For the JSON report.
    pub fn id(self) -> &'static str {
        match self {
            TimeSource::HarStarted => "startedDateTime",
            TimeSource::DateHeader => "Date",
        }
    }
}

impl Capture {
    /// A capture of `kind` that is nothing but `issues` (a HAR with no token
    /// request, a `.http` file with no request).
    pub fn only_issues(kind: CaptureKind, issues: Vec<Issue>) -> Capture {
        Capture {
            kind,
            method: None,
            url: None,
            scheme: None,
            query: None,
            content_type: None,
            headers: Vec::new(),
            has_body: false,
            basic: None,
            time: None,
            answer: None,
            issues,
        }
    }

    /// Headers with this name (case-insensitive).
    pub fn headers_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Header> + 'a {
        self.headers
            .iter()
            .filter(move |h| h.name.value.eq_ignore_ascii_case(name))
    }

    pub fn header(&self, name: &str) -> Option<&Header> {
        self.headers
            .iter()
            .find(|h| h.name.value.eq_ignore_ascii_case(name))
    }
}

/// What a loader extracted, before it becomes a request.
#[derive(Debug)]
pub(crate) struct Parts {
    pub kind: CaptureKind,
    pub method: Option<Text>,
    /// An absolute URL, or an origin-form target (`/token?x=1`).
    pub target: Option<Text>,
    /// The scheme to assume for an origin-form target.
    pub default_scheme: &'static str,
    pub headers: Vec<Header>,
    pub body: Option<Text>,
    /// `curl -u id:secret`: credentials as typed, base64-encoded by curl as is.
    pub user: Option<Text>,
    /// Spans to mask besides the ones found here (other HAR entries' secrets).
    pub extra_secrets: Vec<Span>,
    /// When the request was made, when the capture records it other than
    /// by a `Date` header (which [`build`] reads).
    pub time: Option<CaptureTime>,
    /// The server's error answer, when the capture holds it.
    pub answer: Option<crate::answer::Answer>,
    pub issues: Vec<Issue>,
    pub load_issues: Vec<LoadIssue>,
}

impl Parts {
    pub fn new(kind: CaptureKind) -> Self {
        Parts {
            kind,
            method: None,
            target: None,
            default_scheme: "https",
            headers: Vec::new(),
            body: None,
            user: None,
            extra_secrets: Vec::new(),
            time: None,
            answer: None,
            issues: Vec::new(),
            load_issues: Vec::new(),
        }
    }

    pub fn syntax(&mut self, span: Span, message: impl Into<String>, warning: bool) {
        self.issues.push(Issue::Syntax {
            span,
            message: message.into(),
            warning,
        });
    }
}

/// A part of a [`Text`]: its decoded bytes `range`, with spans kept.
pub fn sub_text(t: &Text, range: Range<usize>) -> Text {
    let start = crate::source::floor_char_boundary(&t.value, range.start);
    let end = crate::source::floor_char_boundary(&t.value, range.end.max(start));
    let value = t.value[start..end].to_owned();
    if t.map.is_identity() {
        return Text {
            value,
            span: Span::new(t.span.offset + start, end - start),
            map: OffsetMap::default(),
        };
    }
    let spans: Vec<Span> = (start..end).map(|j| t.sub_span(j..j + 1)).collect();
    let whole = t.sub_span(start..end);
    from_byte_spans(value, &spans, whole)
}

/// A text whose byte `j` came from the source bytes `spans[j]` (which must
/// not go backwards). `whole` is used when there are no bytes.
pub fn from_byte_spans(value: String, spans: &[Span], whole: Span) -> Text {
    if spans.len() != value.len() || spans.is_empty() {
        return Text {
            span: Span::new(whole.offset, if spans.is_empty() { whole.len } else { 0 }),
            value,
            map: OffsetMap::default(),
        };
    }
    let base = spans[0].offset;
    let end = spans.iter().map(Span::end).max().unwrap_or(base);
    let mut map = OffsetMap::default();
    let mut last_raw = 0usize;
    for (j, s) in spans.iter().enumerate() {
        // Keep the raw offsets monotonic (the map assumes it).
        let raw = s.offset.saturating_sub(base).max(last_raw);
        map.push(j, 1, raw, s.len);
        last_raw = raw;
    }
    Text {
        value,
        span: Span::new(base, end - base),
        map,
    }
}

/// Builds the loaded request from a capture's parts.
pub(crate) fn build(source: Arc<Source>, parts: Parts) -> Loaded {
    let Parts {
        kind,
        method,
        target,
        default_scheme,
        headers,
        body,
        user,
        extra_secrets,
        time,
        answer,
        issues,
        load_issues,
    } = parts;
    let time = time.or_else(|| date_header(&headers));
    let mut b = Builder {
        req: TokenRequest::default(),
        secrets: extra_secrets,
        capture: Capture {
            kind,
            method: method.clone(),
            url: target.clone(),
            scheme: None,
            query: None,
            content_type: None,
            headers: Vec::new(),
            has_body: body
                .as_ref()
                .is_some_and(|b| b.is_elided() || !b.value.is_empty()),
            basic: None,
            time,
            answer,
            issues,
        },
        load_issues,
    };
    b.req.htm = method;
    if let Some(t) = &target {
        b.target(t, &headers, default_scheme);
    }
    b.headers(&headers);
    b.credentials(&headers, user.as_ref());
    b.body(body, target.as_ref(), &headers);
    let Builder {
        req,
        secrets,
        mut capture,
        load_issues,
    } = b;
    capture.headers = headers;
    Loaded {
        source,
        request: req,
        issues: load_issues,
        secrets,
        capture: Some(Box::new(capture)),
        skip: None,
        foreign: None,
    }
}

/// The request and capture a capture's parts become, step by step.
struct Builder {
    req: TokenRequest,
    secrets: Vec<Span>,
    capture: Capture,
    load_issues: Vec<LoadIssue>,
}

impl Builder {
    /// The URL: scheme, query (whose secrets are masked) and `htu`.
    fn target(&mut self, t: &Text, headers: &[Header], default_scheme: &'static str) {
        let host = headers
            .iter()
            .find(|h| h.name.value.eq_ignore_ascii_case("host"))
            .map(|h| h.value.value.clone());
        let u = split_url(&t.value);
        self.capture.scheme = u
            .scheme
            .clone()
            .or_else(|| host.as_ref().map(|_| default_scheme.to_owned()));
        if let Some(q) = u.query.clone() {
            let q = sub_text(t, q);
            self.secrets.extend(query_secret_spans(&q));
            self.capture.query = Some(q);
        }
        self.req.htu = match (&u.scheme, &host) {
            (Some(_), _) => Some(sub_text(t, 0..u.path_end)),
            (None, Some(host)) => Some(origin_form_htu(t, &u, default_scheme, host)),
            (None, None) => None,
        };
    }

    /// The headers that carry request fields, the content type, and the
    /// secrets in credential headers. The first of each header counts.
    fn headers(&mut self, headers: &[Header]) {
        for h in headers {
            let name = &h.name.value;
            if let Some(slot) = fields::by_header(name).and_then(|f| text_slot(f, &mut self.req)) {
                slot.get_or_insert_with(|| h.value.clone());
            } else if name.eq_ignore_ascii_case("content-type") {
                self.capture
                    .content_type
                    .get_or_insert_with(|| h.value.clone());
            } else if crate::secrets::is_secret_header(name) {
                self.secrets.push(h.value.span);
            }
        }
    }

    /// Basic credentials, from `Authorization` or else `curl -u`.
    fn credentials(&mut self, headers: &[Header], user: Option<&Text>) {
        let issues = &mut self.capture.issues;
        let found = if let Some(auth) = headers
            .iter()
            .find(|h| h.name.value.eq_ignore_ascii_case("authorization"))
        {
            self.capture.basic = Some(auth.value.span);
            basic_header(&auth.value, issues)
        } else if let Some(u) = user {
            self.secrets.push(u.span);
            self.capture.basic = Some(u.span);
            let spans: Vec<Span> = (0..u.value.len()).map(|k| u.sub_span(k..k + 1)).collect();
            credentials(u.value.as_bytes(), &spans, u.span, issues)
        } else {
            None
        };
        if let Some((id, secret)) = found {
            self.secrets.push(secret.span);
            self.req.client_id = Some(id);
            self.req.client_secret = Some(secret);
        }
    }

    /// The body becomes `parameters`. A capture whose body holds no form
    /// parameters (none, empty, JSON) gets one finding in its own terms,
    /// and no `parameters`, so no finding follows in Authlete's.
    fn body(&mut self, body: Option<Text>, target: Option<&Text>, headers: &[Header]) {
        if let Some(b) = &body {
            self.secrets.extend(json_body_secret_spans(b));
        }
        let said = |i: &Issue| matches!(i, Issue::Body { .. });
        if self.capture.issues.iter().any(said) {
            return;
        }
        let problem = match &body {
            // An elided body (too large to copy) is empty only in its value.
            Some(b) if b.is_elided() => None,
            Some(b) if b.value.is_empty() => {
                let length = headers
                    .iter()
                    .find(|h| h.name.value.eq_ignore_ascii_case("content-length"));
                let zero = length.is_some_and(|h| h.value.value.trim() == "0");
                let span = match (length, target) {
                    (Some(h), _) => h.value.span,
                    (None, Some(t)) => t.span,
                    (None, None) => Span::new(b.span.offset, 0),
                };
                Some((
                    span,
                    BodyProblem::Empty {
                        content_length_zero: zero,
                    },
                ))
            }
            Some(b) if looks_like_json(&b.value) => {
                let authlete = b.value.contains("\"parameters\"");
                Some((b.span, BodyProblem::Json { authlete }))
            }
            Some(_) => None,
            None => {
                let span = target.map_or(Span::default(), |t| Span::new(t.span.offset, 0));
                Some((span, BodyProblem::Missing))
            }
        };
        match (problem, body) {
            (Some((span, problem)), _) => self.capture.issues.push(Issue::Body { span, problem }),
            (None, Some(b)) => self.req.parameters = Some(b),
            (None, None) => {}
        }
    }
}

/// The request's `Date` header as a time (RFC 9110 §5.6.7), when there is
/// one that reads as one.
fn date_header(headers: &[Header]) -> Option<CaptureTime> {
    let h = headers
        .iter()
        .find(|h| h.name.value.eq_ignore_ascii_case("date"))?;
    let at = crate::clock::parse_http_date(&h.value.value)?;
    Some(CaptureTime {
        at,
        from: TimeSource::DateHeader,
        span: h.value.span,
    })
}

/// A body that is a JSON object or array, not a form.
fn looks_like_json(body: &str) -> bool {
    let t = body.trim();
    (t.starts_with('{') && t.ends_with('}')) || (t.starts_with('[') && t.ends_with(']'))
}

/// The member of a field carried as a single string (the header fields).
fn text_slot<'r>(field: &Field, req: &'r mut TokenRequest) -> Option<&'r mut Option<Text>> {
    match field.access {
        Access::Text(s) => Some((s.get_mut)(req)),
        _ => None,
    }
}

/// `htu` for an origin-form target (`/token`): the scheme assumed and the
/// `Host` header's value, then the path.
fn origin_form_htu(t: &Text, u: &UrlParts, default_scheme: &str, host: &str) -> Text {
    let path = sub_text(t, u.path_start..u.path_end);
    let prefix = format!("{default_scheme}://{host}");
    let mut map = OffsetMap::default();
    // The scheme and host are not in the target: map them to
    // its first byte, then the path byte for byte.
    map.push(0, prefix.len(), 0, 0);
    if !path.map.is_identity() {
        for j in 0..path.value.len() {
            let s = path.sub_span(j..j + 1);
            map.push(prefix.len() + j, 1, s.offset - path.span.offset, s.len);
        }
    }
    Text {
        value: format!("{prefix}{}", path.value),
        span: path.span,
        map,
    }
}

/// Byte offsets of a URL's parts.
#[derive(Debug, Default)]
struct UrlParts {
    scheme: Option<String>,
    path_start: usize,
    path_end: usize,
    query: Option<Range<usize>>,
}

/// Splits an absolute URL or origin-form target.
fn split_url(s: &str) -> UrlParts {
    let mut u = UrlParts::default();
    let after_scheme = match s.find("://") {
        Some(i)
            if i > 0
                && s[..i]
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b)) =>
        {
            u.scheme = Some(s[..i].to_ascii_lowercase());
            i + 3
        }
        _ => 0,
    };
    let path_start = if u.scheme.is_some() {
        s[after_scheme..]
            .find(['/', '?', '#'])
            .map_or(s.len(), |i| after_scheme + i)
    } else {
        0
    };
    let end = s.find('#').unwrap_or(s.len());
    let path_end = s[..end].find('?').unwrap_or(end).max(path_start);
    u.path_start = path_start;
    u.path_end = path_end;
    if path_end < end {
        u.query = Some(path_end + 1..end);
    }
    u
}

/// Spans of the secrets in a query string.
fn query_secret_spans(q: &Text) -> Vec<Span> {
    let form = crate::form::decode(&q.value);
    crate::secrets::form_secret_ranges(&form)
        .into_iter()
        .map(|r| q.sub_span(r))
        .collect()
}

/// Spans of the secrets in a body that is JSON, not a form (a token
/// endpoint does not take it, but the capture shows it): found by the
/// lenient scan, so a broken body is masked too.
pub(crate) fn json_body_secret_spans(b: &Text) -> Vec<Span> {
    let v = b.value.trim_start();
    if b.is_elided() || !v.starts_with(['{', '[']) {
        return Vec::new();
    }
    crate::secrets::lenient_secret_ranges(&b.value, false)
        .into_iter()
        .map(|r| b.sub_span(r))
        .collect()
}

/// Standard base64, padding optional (as Java's and most decoders accept).
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// What is wrong with an Authorization header that does not start with
/// `Basic `. Only a known scheme's name is quoted: anything else in its
/// place is the start of the credentials (`BasicczZC…` with the space
/// missing, `Basic:czZC…`, the base64 alone).
fn not_basic(scheme: &str) -> String {
    let basic = "basic";
    let starts_basic = scheme
        .get(..basic.len())
        .is_some_and(|s| s.eq_ignore_ascii_case(basic));
    if starts_basic {
        "`Basic` is not followed by a space: the credentials run into the scheme's name \
         (the value is not shown)"
            .into()
    } else if crate::secrets::is_scheme(scheme) {
        format!(
            "the Authorization header uses the `{}` scheme; \
             a token endpoint takes client credentials as `Basic`",
            printable(scheme)
        )
    } else {
        "the Authorization header does not start with an authentication scheme \
         (the value is not shown); a token endpoint takes client credentials as `Basic`"
            .into()
    }
}

/// `Authorization: Basic <token68>` → (client ID, client secret).
fn basic_header(value: &Text, issues: &mut Vec<Issue>) -> Option<(Text, Text)> {
    let v = value.value.as_str();
    let scheme_end = v.find([' ', '\t']).unwrap_or(v.len());
    let scheme = &v[..scheme_end];
    if !scheme.eq_ignore_ascii_case("basic") {
        issues.push(Issue::BasicMalformed {
            span: value.sub_span(0..scheme_end),
            message: if scheme.is_empty() {
                "the Authorization header is empty".into()
            } else {
                not_basic(scheme)
            },
        });
        return None;
    }
    let rest = &v[scheme_end..];
    let token_start = scheme_end + (rest.len() - rest.trim_start().len());
    let token_str = v[token_start..].trim_end();
    if token_str.is_empty() {
        issues.push(Issue::BasicMalformed {
            span: value.sub_span(0..scheme_end),
            message: "`Basic` is not followed by credentials".into(),
        });
        return None;
    }
    if let Some(ws) = token_str.find([' ', '\t']) {
        issues.push(Issue::BasicMalformed {
            span: value.sub_span(token_start + ws..token_start + token_str.len()),
            message: "the Authorization header has more than one token after `Basic`".into(),
        });
        return None;
    }
    let token = sub_text(value, token_start..token_start + token_str.len());
    if let Some(problem) = base64_problem(&token.value) {
        let (range, message) = problem;
        issues.push(Issue::BasicBadBase64 {
            span: token.sub_span(range),
            message,
        });
        return None;
    }
    let bytes = match BASE64.decode(token.value.as_bytes()) {
        Ok(b) => b,
        Err(e) => {
            issues.push(Issue::BasicBadBase64 {
                span: token.span,
                message: format!("the credentials are not valid base64 ({e})"),
            });
            return None;
        }
    };
    // Decoded byte k came from the 4-character group k/3.
    let n = token.value.len();
    let spans: Vec<Span> = (0..bytes.len())
        .map(|k| {
            let g = (k / 3) * 4;
            token.sub_span(g.min(n)..(g + 4).min(n))
        })
        .collect();
    credentials(&bytes, &spans, token.span, issues)
}

/// The first problem that makes a token68 not standard base64.
fn base64_problem(t: &str) -> Option<(Range<usize>, String)> {
    let body_end = t.trim_end_matches('=').len();
    for (i, c) in t.char_indices() {
        let r = i..i + c.len_utf8();
        if c == '=' && i < body_end {
            return Some((r, "`=` padding in the middle of the base64".into()));
        }
        if c == '-' || c == '_' {
            return Some((
                r,
                format!(
                    "`{c}` is base64url, not base64: \
                     Basic credentials use the standard alphabet (`+` and `/`)"
                ),
            ));
        }
        if !(c.is_ascii_alphanumeric() || c == '+' || c == '/' || c == '=') {
            return Some((r, format!("{} is not a base64 character", describe_char(c))));
        }
    }
    if t.len() - body_end > 2 || body_end % 4 == 1 {
        return Some((
            0..t.len(),
            format!("{} base64 characters cannot encode whole octets", body_end),
        ));
    }
    if t.len() % 4 != 0 && t.len() != body_end {
        return Some((body_end..t.len(), "wrong amount of `=` padding".to_owned()));
    }
    None
}

/// Splits decoded credentials at the first `:` and form-decodes each half
/// (RFC 6749 §2.3.1). `spans[k]` is where decoded byte `k` came from.
fn credentials(
    bytes: &[u8],
    spans: &[Span],
    whole: Span,
    issues: &mut Vec<Issue>,
) -> Option<(Text, Text)> {
    let Some(colon) = bytes.iter().position(|&b| b == b':') else {
        issues.push(Issue::BasicNoColon { span: whole });
        return None;
    };
    let id = part(
        &bytes[..colon],
        &spans[..colon],
        Part::ClientId,
        whole,
        issues,
    );
    let secret = part(
        &bytes[colon + 1..],
        &spans[colon + 1..],
        Part::ClientSecret,
        whole,
        issues,
    );
    Some((id, secret))
}

/// Characters form-urlencoding leaves as they are (RFC 6749 App. B keeps
/// `A-Z a-z 0-9 - . _ *`; JavaScript's encoders also keep `~ ! ' ( )`).
fn kept_by_encoders(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._*~!'()".contains(&b)
}

fn part(raw: &[u8], spans: &[Span], which: Part, whole: Span, issues: &mut Vec<Issue>) -> Text {
    let p = RawPart {
        raw,
        spans,
        which,
        whole,
    };
    if raw.is_empty() {
        issues.push(Issue::BasicEmptyPart {
            span: whole,
            part: which,
        });
    }
    p.check_encoded(issues);
    let (octets, octet_spans) = p.form_decode(issues);
    p.text(octets, octet_spans, issues)
}

/// One half of the Basic credentials as base64 gave it: `spans[k]` is where
/// byte `k` came from; `whole` is the whole credentials' span.
struct RawPart<'a> {
    raw: &'a [u8],
    spans: &'a [Span],
    which: Part,
    whole: Span,
}

impl RawPart<'_> {
    fn span_of(&self, r: Range<usize>) -> Span {
        match (
            self.spans.get(r.start),
            self.spans.get(r.end.saturating_sub(1)),
        ) {
            (Some(a), Some(b)) => a.cover(*b),
            _ => Span::new(self.whole.offset, 0),
        }
    }

    /// Not encoded: a raw space or reserved character; a raw `+` too, unless
    /// `%XX` escapes show the value was encoded (then `+` is an encoded space).
    fn check_encoded(&self, issues: &mut Vec<Issue>) {
        let raw = self.raw;
        let escaped = raw
            .windows(3)
            .any(|w| w[0] == b'%' && w[1].is_ascii_hexdigit() && w[2].is_ascii_hexdigit());
        let unencoded: Vec<usize> = (0..raw.len())
            .filter(|&i| {
                let b = raw[i];
                (0x20..0x7f).contains(&b)
                    && b != b'%'
                    && !kept_by_encoders(b)
                    && !(b == b'+' && escaped)
            })
            .collect();
        if let Some(&first) = unencoded.first() {
            issues.push(Issue::BasicNotFormEncoded {
                span: self.span_of(first..first + 1),
                part: self.which,
                ch: raw[first] as char,
                count: unencoded.len(),
            });
        }
    }

    /// Form-decodes: `+` is a space, %XX an octet. Returns the octets and
    /// the span of each; the first `%` without two hex digits is reported.
    fn form_decode(&self, issues: &mut Vec<Issue>) -> (Vec<u8>, Vec<Span>) {
        let raw = self.raw;
        let mut out: Vec<u8> = Vec::with_capacity(raw.len());
        let mut out_spans: Vec<Span> = Vec::with_capacity(raw.len());
        let mut bad_percent = false;
        let mut i = 0;
        while i < raw.len() {
            let (octet, used) = match raw[i] {
                b'%' => match percent_octet(raw.get(i + 1..i + 3)) {
                    Some(v) => (v, 3),
                    None => {
                        if !bad_percent {
                            issues.push(self.bad_percent(i));
                            bad_percent = true;
                        }
                        (b'%', 1)
                    }
                },
                b'+' => (b' ', 1),
                b => (b, 1),
            };
            out.push(octet);
            out_spans.push(self.span_of(i..i + used));
            i += used;
        }
        (out, out_spans)
    }

    /// The `%` at `i` is not followed by two hex digits.
    fn bad_percent(&self, i: usize) -> Issue {
        // `%` and what should have been two hex digits, whole characters.
        let mut end = i + 1;
        for _ in 0..2 {
            if let Some(&b) = self.raw.get(end) {
                end += utf8_width(b);
            }
        }
        Issue::BasicBadPercent {
            span: self.span_of(i..end.min(self.raw.len())),
            part: self.which,
            message: format!(
                "the {} has a `%` not followed by two hex digits",
                self.which.as_str()
            ),
        }
    }

    /// The decoded octets as text: octets that are not UTF-8 and characters
    /// outside VSCHAR are reported.
    fn text(&self, octets: Vec<u8>, spans: Vec<Span>, issues: &mut Vec<Issue>) -> Text {
        let whole_part = self.span_of(0..self.raw.len());
        let value = match String::from_utf8(octets) {
            Ok(s) => s,
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                issues.push(Issue::BasicBadPercent {
                    span: spans.get(at).copied().unwrap_or(self.whole),
                    part: self.which,
                    message: format!(
                        "the {} decodes to octets that are not UTF-8",
                        self.which.as_str()
                    ),
                });
                // Each U+FFFD stands for the octets it replaces, so a span
                // inside the value maps back to whole characters of the source.
                let (value, spans) = lossy_with_spans(&e.into_bytes(), &spans);
                return from_byte_spans(value, &spans, whole_part);
            }
        };
        if let Some((i, c)) = value.char_indices().find(|(_, c)| !(' '..='~').contains(c)) {
            // The character's octets, each with its span (a raw byte or `%XX`).
            let octets = spans.get(i..i + c.len_utf8()).unwrap_or_default();
            let span = octets.iter().copied().reduce(Span::cover);
            issues.push(Issue::BasicNonVschar {
                span: span.unwrap_or(self.whole),
                part: self.which,
                code: c as u32,
            });
        }
        from_byte_spans(value, &spans, whole_part)
    }
}

/// The octet two hex digits after a `%` stand for.
fn percent_octet(hex: Option<&[u8]>) -> Option<u8> {
    let h = hex.filter(|h| h.iter().all(u8::is_ascii_hexdigit))?;
    Some(
        std::str::from_utf8(h)
            .ok()
            .and_then(|h| u8::from_str_radix(h, 16).ok())
            .unwrap_or(0),
    )
}

/// `bytes` as UTF-8, each invalid sequence replaced by U+FFFD, with the
/// span of each byte of the result: a U+FFFD's three bytes all span the
/// octets it replaces. `spans` holds one span per byte of `bytes`.
pub(crate) fn lossy_with_spans(bytes: &[u8], spans: &[Span]) -> (String, Vec<Span>) {
    let mut value = String::with_capacity(bytes.len() + 8);
    let mut out = Vec::with_capacity(bytes.len() + 8);
    let mut at = 0;
    for chunk in bytes.utf8_chunks() {
        let valid = chunk.valid().len();
        value.push_str(chunk.valid());
        out.extend_from_slice(&spans[at..at + valid]);
        at += valid;
        let bad = chunk.invalid().len();
        if bad > 0 {
            value.push(char::REPLACEMENT_CHARACTER);
            out.extend([spans[at].cover(spans[at + bad - 1]); 3]);
            at += bad;
        }
    }
    (value, out)
}

/// The length of the UTF-8 sequence that `lead` starts (1 for a stray
/// continuation byte).
fn utf8_width(lead: u8) -> usize {
    match lead {
        0xF0.. => 4,
        0xE0.. => 3,
        0xC0.. => 2,
        _ => 1,
    }
}

/// A character for a message: `` `x` `` or `U+0009`.
pub fn describe_char(c: char) -> String {
    if c.is_ascii_graphic() {
        format!("`{c}`")
    } else if c == ' ' {
        "a space".into()
    } else {
        format!("U+{:04X}", c as u32)
    }
}

/// A value for a message, with control characters escaped and length bounded.
pub fn printable(s: &str) -> String {
    let mut out: String = s.chars().take(40).flat_map(char::escape_debug).collect();
    if s.chars().count() > 40 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn basic(v: &str) -> (Option<(Text, Text)>, Vec<Issue>) {
        let mut issues = Vec::new();
        let t = Text::verbatim(v, 10);
        (basic_header(&t, &mut issues), issues)
    }

    /// Found by the curl fuzz target: the underline of a non-ASCII
    /// character in Basic credentials, or of a bad `%` before one, covered
    /// one byte of it.
    #[test]
    fn basic_credential_issues_cover_whole_characters() {
        for cmd in ["curl -u é:x https://a/t", "curl -u %aé:x https://a/t"] {
            let loaded = crate::request::curl::load_str("t.curl", cmd);
            let text = &loaded.source.text;
            let capture = loaded.capture.as_ref().expect("a capture");
            let spans: Vec<Span> = capture
                .issues
                .iter()
                .filter_map(|i| match i {
                    Issue::BasicNonVschar { span, .. } | Issue::BasicBadPercent { span, .. } => {
                        Some(*span)
                    }
                    _ => None,
                })
                .collect();
            assert!(!spans.is_empty(), "{cmd}: {:?}", capture.issues);
            for sp in spans {
                assert!(
                    text.is_char_boundary(sp.offset) && text.is_char_boundary(sp.end()),
                    "{cmd}: {sp:?} splits a character"
                );
                assert!(text[sp.offset..sp.end()].contains('é'), "{cmd}: {sp:?}");
            }
        }
    }

    /// Found by the curl fuzz target: credentials that percent-decode to
    /// invalid UTF-8 kept a value longer than its span with an empty map, so
    /// a span inside it split a character of the source.
    #[test]
    fn credentials_that_are_not_utf8_map_each_replacement_to_its_octets() {
        let text = String::from_utf8_lossy(b"curl -u%d5'\xff:").into_owned();
        let loaded = crate::request::curl::load_str("t.curl", &text);
        let id = loaded.request.client_id.as_ref().expect("a client id");
        assert_eq!(id.value, "\u{FFFD}\u{FFFD}");
        for (k, c) in id.value.char_indices() {
            let sp = id.sub_span(k..k + c.len_utf8());
            assert!(
                text.is_char_boundary(sp.offset) && text.is_char_boundary(sp.end()),
                "{sp:?} splits a character of {text:?}"
            );
        }
        // The first stands for `%d5`, the second for the source's U+FFFD.
        assert_eq!(id.sub_span(0..3), Span::new(7, 3));
        assert_eq!(
            &text[id.sub_span(3..6).offset..id.sub_span(3..6).end()],
            "\u{FFFD}"
        );
    }

    #[test]
    fn rfc6749_basic_examples_decode() {
        let (c, issues) = basic("Basic czZCaGRSa3F0Mzo3RmpmcDBaQnIxS3REUmJuZlZkbUl3");
        assert!(issues.is_empty(), "{issues:?}");
        let (id, secret) = c.unwrap();
        assert_eq!(id.value, "s6BhdRkqt3");
        assert_eq!(secret.value, "7Fjfp0ZBr1KtDRbnfVdmIw");
        // The ID is in the first groups of the token.
        assert_eq!(id.span.offset, 16);
    }

    #[test]
    fn form_encoded_special_characters_decode() {
        // openid/AppAuth-Android#337.
        let (c, issues) = basic("Basic MVBwRyUyRlErMTp6JTJGdFo5VndGWnFBcG1JUSUyQlpIMUk1cExrJTJGdUI0dWQlM0FYMiUyRjhiTCUyQndmRlR0MXJGdyUzRA==");
        assert!(issues.is_empty(), "{issues:?}");
        let (id, secret) = c.unwrap();
        assert_eq!(id.value, "1PpG/Q 1");
        assert_eq!(
            secret.value,
            "z/tZ9VwFZqApmIQ+ZH1I5pLk/uB4ud:X2/8bL+wfFTt1rFw="
        );
    }

    #[test]
    fn rfc9449_introspection_header_is_not_form_encoded() {
        let (c, issues) = basic("Basic cnM6cnM6TWt1LTZnX2xDektJZHo0ZnNON2tZY3lhK1Rp");
        let (id, secret) = c.unwrap();
        assert_eq!(id.value, "rs");
        assert_eq!(secret.value, "rs:Mku-6g_lCzKIdz4fsN7kYcya Ti");
        assert!(matches!(
            issues[..],
            [Issue::BasicNotFormEncoded {
                part: Part::ClientSecret,
                ch: ':',
                count: 2,
                ..
            }]
        ));
    }

    #[test]
    fn bad_base64_and_missing_colon() {
        let (_, i) = basic("Basic czZC-GRS");
        assert!(matches!(i[..], [Issue::BasicBadBase64 { span, .. }] if span == Span::new(20, 1)));
        let (_, i) = basic("Basic abc");
        assert!(matches!(i[..], [Issue::BasicNoColon { .. }]));
        let (_, i) = basic("Basic a");
        assert!(matches!(i[..], [Issue::BasicBadBase64 { .. }]));
        let (_, i) = basic("Bearer xyz");
        assert!(matches!(i[..], [Issue::BasicMalformed { .. }]));
    }

    #[test]
    fn url_parts() {
        let u = split_url("https://as.example.com/token?a=1#f");
        assert_eq!(u.scheme.as_deref(), Some("https"));
        assert_eq!(u.path_start, 22);
        assert_eq!(u.path_end, 28);
        assert_eq!(u.query, Some(29..32));
        let u = split_url("/token");
        assert_eq!((u.path_start, u.path_end, u.query), (0, 6, None));
        let u = split_url("https://h");
        assert_eq!((u.path_start, u.path_end), (9, 9));
    }
}
