//! Loads a HAR file (HTTP Archive 1.2, the browser devtools "Save all as
//! HAR" export): every request whose body is a token request (it has a
//! `grant_type` parameter) becomes its own input, named `file.har#entries[3]`,
//! with spans into the HAR file.
//!
//! The file is read in place ([`json::validate`], then [`json::Raw`]), never
//! built into a tree, and its inputs share one text ([`SourceText`]): the
//! text, its line index and the secrets found anywhere in it are held once,
//! however many token requests it holds. [`entries`] yields the inputs one
//! at a time, so each can be linted and dropped before the next is built.

use std::borrow::Cow;

use super::capture::{self, CaptureKind, Header, Parts};
use super::{LoadIssue, Loaded, TokenRequest};
use crate::json::{self, Raw};
use crate::secrets;
use crate::source::{Source, SourceText};
use crate::span::{Span, Text};

/// Whether a text looks like a HAR file (a JSON object whose first key is `log`).
pub fn looks_like_har(text: &str) -> bool {
    let t = text.trim_start_matches('\u{feff}').trim_start();
    t.strip_prefix('{')
        .is_some_and(|r| r.trim_start().starts_with("\"log\""))
}

pub fn load_bytes(name: &str, bytes: &[u8]) -> Vec<Loaded> {
    entries(name, bytes.to_vec(), usize::MAX).collect()
}

/// [`entries`], all of them.
pub fn load_owned(name: &str, bytes: Vec<u8>, max_string: usize) -> Vec<Loaded> {
    entries(name, bytes, max_string).collect()
}

/// One loaded input per token request in the HAR; one input with the
/// problem when there is none (or the file is not a HAR).
pub fn load_str(name: &str, text: &str) -> Vec<Loaded> {
    load_owned(name, text.as_bytes().to_vec(), usize::MAX)
}

/// The inputs of a HAR file, built one at a time as they are asked for.
/// Takes the raw bytes to keep: valid UTF-8 becomes the shared text without
/// a copy, and a request body longer than `max_string` bytes (the loader
/// passes the field size limit, `limits.field`) keeps only its span (see
/// [`Text::elided`]): it is then reported as too large and never checked.
/// The other strings the loader reads (URL, headers) are decoded as usual.
pub fn entries(name: &str, bytes: Vec<u8>, max_string: usize) -> Entries {
    let (text, issue) = super::decode_lossy_owned(bytes);
    let mut e = match read(&text, max_string) {
        Read::Requests { requests, secrets } => Entries {
            name: name.to_owned(),
            text: SourceText::with_secrets(text, &secrets),
            requests: requests.into_iter(),
            max_string,
            single: None,
            first_issue: None,
        },
        Read::Invalid(issue, secrets) => Entries::single(Loaded {
            source: Source::new(name, text),
            request: TokenRequest::default(),
            issues: vec![issue],
            secrets,
            capture: None,
            skip: None,
            foreign: None,
        }),
        Read::Skip(reason) => Entries::single(Loaded {
            source: Source::new(name, text),
            request: TokenRequest::default(),
            issues: Vec::new(),
            secrets: Vec::new(),
            capture: None,
            skip: Some(reason),
            foreign: None,
        }),
        Read::Whole(issue) => Entries::single(Loaded {
            source: Source::new(name, text),
            request: TokenRequest::default(),
            issues: Vec::new(),
            secrets: Vec::new(),
            capture: Some(Box::new(capture::Capture::only_issues(
                CaptureKind::Har,
                vec![issue],
            ))),
            skip: None,
            foreign: None,
        }),
    };
    e.first_issue = issue;
    e
}

/// The inputs of one HAR file (see [`entries`]).
pub struct Entries {
    name: String,
    text: SourceText,
    /// Each token request's index in `log.entries` and its entry's span.
    requests: std::vec::IntoIter<(usize, Span)>,
    max_string: usize,
    /// The one input of a file with no token request to lint.
    single: Option<Loaded>,
    /// Invalid UTF-8, reported with the first input.
    first_issue: Option<LoadIssue>,
}

impl Entries {
    fn single(loaded: Loaded) -> Entries {
        Entries {
            name: String::new(),
            text: SourceText::new(String::new()),
            requests: Vec::new().into_iter(),
            max_string: 0,
            single: Some(loaded),
            first_issue: None,
        }
    }
}

impl Iterator for Entries {
    type Item = Loaded;

    fn next(&mut self) -> Option<Loaded> {
        let mut loaded = match self.single.take() {
            Some(l) => l,
            None => loop {
                let (i, span) = self.requests.next()?;
                let text = self.text.as_str();
                let entry = Raw::at(text, 0, span);
                let req = entry.get("request").map(|m| m.value);
                let Some(mut parts) = req.and_then(|r| token_request(r, text, self.max_string))
                else {
                    continue;
                };
                parts.time = started(entry);
                parts.answer = answer(entry);
                let name = format!("{}#entries[{i}]", self.name);
                break capture::build(Source::shared(name, self.text.clone()), parts);
            },
        };
        if let Some(issue) = self.first_issue.take() {
            loaded.issues.insert(0, issue);
        }
        Some(loaded)
    }
}

/// What the HAR holds, read before any source is made (so the shared text
/// can take the bytes without a copy).
enum Read {
    /// The token requests (their index in `log.entries` and the span of
    /// their entry), and the secrets anywhere in the file.
    Requests {
        requests: Vec<(usize, Span)>,
        secrets: Vec<Span>,
    },
    /// No token request to lint: one input with this problem.
    Whole(capture::Issue),
    /// A HAR with no token request in it: one input, skipped for this reason.
    Skip(String),
    /// Not JSON: the error, and the secrets a lenient scan finds.
    Invalid(LoadIssue, Vec<Span>),
}

fn read(text: &str, max_string: usize) -> Read {
    let doc = match json::validate(text, 0) {
        Ok(d) => d,
        Err(e) => {
            return Read::Invalid(
                LoadIssue::InvalidJson {
                    message: e.message,
                    offset: e.offset,
                },
                // Headers, cookies and bodies hide in generic `value`s.
                crate::secrets::lenient_secret_spans(text, 0, true),
            );
        }
    };
    let doc_span = doc.span();
    let entries = doc
        .get("log")
        .and_then(|l| l.value.get("entries"))
        .and_then(|e| e.value.items());
    let Some(entries) = entries else {
        return Read::Whole(capture::Issue::Syntax {
            span: Span::new(doc_span.offset, doc_span.len.min(1)),
            message: "not a HAR file: there is no `log.entries` array".into(),
            warning: false,
        });
    };
    // Secrets anywhere in the file (responses hold issued tokens; other
    // requests their credentials): masked in every input's display.
    let mut secrets = Vec::new();
    let mut requests = Vec::new();
    let mut count = 0;
    for (i, e) in entries.enumerate() {
        count += 1;
        collect_secrets(e, &mut secrets);
        let Some(req) = e.get("request").map(|m| m.value) else {
            continue;
        };
        if token_request(req, text, max_string).is_some() {
            requests.push((i, e.span()));
        }
    }
    if requests.is_empty() {
        return Read::Skip(no_token_request(count));
    }
    Read::Requests { requests, secrets }
}

fn no_token_request(entries: usize) -> String {
    format!(
        "none of its {entries} requests is a token request \
         (a request with a `grant_type` parameter in its body)"
    )
}

/// The parts of a HAR request, when it is a token request. The body (its
/// `postData.text`) is decoded unless it is longer than `max_string`, then
/// only its span is kept ([`Text::elided`]) and it is read in place from
/// `text`, the HAR.
fn token_request(req: Raw, text: &str, max_string: usize) -> Option<Parts> {
    let post = req.get("postData").map(|p| p.value);
    let body_text = post
        .and_then(|p| p.get("text"))
        .and_then(|t| t.value.as_str_bounded(max_string));
    let params = post.and_then(params);
    // `text` is the body as sent; `params` (HAR 1.2, the only form data
    // some tools write) is the body when there is no text.
    let from_params = params.as_ref().filter(|_| {
        body_text
            .as_ref()
            .is_none_or(|t| t.value.is_empty() && !t.is_elided())
    });
    let body: Option<Cow<'_, Text>> = match (&body_text, from_params) {
        (_, Some(ps)) => Some(Cow::Owned(params_body(ps))),
        (Some(t), None) => Some(Cow::Borrowed(t)),
        (None, None) => None,
    };
    let url = string(req.get("url").map(|m| m.value));
    if !is_token_request(body.as_deref(), url.as_ref(), text) {
        return None;
    }
    let mut p = Parts::new(CaptureKind::Har);
    if let (Some(t), Some(ps), None) = (&body_text, &params, from_params) {
        if let Some(issue) = disagreement(t, ps) {
            p.issues.push(issue);
        }
    }
    p.method = string(req.get("method").map(|m| m.value));
    p.target = url;
    p.body = body.map(Cow::into_owned);
    if let Some(headers) = req.get("headers").and_then(|h| h.value.items()) {
        p.headers = headers.filter_map(header).collect();
    }
    // A body with no Content-Type header: HAR keeps it in postData.mimeType.
    let has_ct = p
        .headers
        .iter()
        .any(|h| h.name.value.eq_ignore_ascii_case("content-type"));
    let mime_type = post.and_then(|p| p.get("mimeType")).map(|m| m.value);
    if let Some(m) = string(mime_type).filter(|_| !has_ct) {
        p.headers.push(Header {
            name: synthetic("Content-Type", &m),
            value: m,
        });
    }
    Some(p)
}

/// `postData.params`: each `{"name", "value"}`, decoded.
fn params(post: Raw) -> Option<Vec<(Text, Text)>> {
    let list = post.get("params")?.value.items()?;
    let out: Vec<(Text, Text)> = list
        .filter_map(|p| {
            let name = string(p.get("name").map(|m| m.value))?;
            let value = string(p.get("value").map(|m| m.value))
                .unwrap_or_else(|| Text::verbatim("", name.span.end()));
            Some((name, value))
        })
        .collect();
    (!out.is_empty()).then_some(out)
}

/// The form body `params` stand for: `name=value` pairs joined by `&`, each
/// byte spanning the character of the HAR it came from. Values are taken as
/// they appear in a form body (the browsers' HAR convention); a character
/// that cannot appear raw in one without changing its pairs (`&`, `=` in a
/// name, a space or control character) is percent-encoded.
fn params_body(params: &[(Text, Text)]) -> Text {
    let mut value = String::new();
    let mut spans: Vec<Span> = Vec::new();
    for (i, (name, v)) in params.iter().enumerate() {
        if i > 0 {
            value.push('&');
            spans.push(Span::new(name.span.offset, 0));
        }
        push_encoded(&mut value, &mut spans, name, true);
        value.push('=');
        spans.push(Span::new(v.span.offset, 0));
        push_encoded(&mut value, &mut spans, v, false);
    }
    let whole = match (params.first(), params.last()) {
        (Some((a, _)), Some((_, b))) => a.span.cover(b.span),
        _ => Span::default(),
    };
    capture::from_byte_spans(value, &spans, whole)
}

fn push_encoded(out: &mut String, spans: &mut Vec<Span>, t: &Text, is_name: bool) {
    for (j, c) in t.value.char_indices() {
        let span = t.sub_span(j..j + c.len_utf8());
        let escape = c == '&' || (is_name && c == '=') || c == ' ' || c.is_control();
        if escape {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
                spans.extend([span; 3]);
            }
        } else {
            out.push(c);
            spans.extend(std::iter::repeat_n(span, c.len_utf8()));
        }
    }
}

/// `postData.text` and `postData.params` say different things: the first
/// difference, as a warning on the text (which is what was sent). A param
/// agrees with the text's pair when its value is the pair's raw or decoded
/// value (tools write either).
fn disagreement(body: &Text, params: &[(Text, Text)]) -> Option<capture::Issue> {
    if body.is_elided() {
        return None;
    }
    let form = crate::form::decode(&body.value);
    let pairs: Vec<(&str, &str, &str)> = form
        .pairs
        .iter()
        .map(|p| {
            let raw = body.value.get(p.value_raw.clone()).unwrap_or("");
            (p.name.as_str(), raw, p.value.as_str())
        })
        .collect();
    let differs = |k: usize| -> Option<String> {
        let (name, value) = match params.get(k) {
            Some((n, v)) => (n.value.as_str(), v.value.as_str()),
            None => return pairs.get(k).map(|(n, _, _)| (*n).to_owned()),
        };
        let Some((n, raw, decoded)) = pairs.get(k) else {
            return Some(name.to_owned());
        };
        let same_name = *n == name
            || crate::form::decode(name)
                .pairs
                .first()
                .is_some_and(|p| p.name == *n);
        (!same_name || (value != *raw && value != *decoded)).then(|| (*n).to_owned())
    };
    let first = (0..pairs.len().max(params.len())).find_map(differs)?;
    let secret = crate::secrets::is_secret_param(&first);
    let which = if secret {
        format!("`{first}` (its values are not shown: it is a secret)")
    } else {
        format!("`{}`", capture::printable(&first))
    };
    Some(capture::Issue::Syntax {
        span: body.span,
        message: format!(
            "the HAR entry's postData.text and postData.params disagree, first at {which}; \
             tokenlint lints the text, the body as it was sent"
        ),
        warning: true,
    })
}

/// The entry's `startedDateTime`: when the request was made.
fn started(entry: Raw) -> Option<capture::CaptureTime> {
    let t = string(entry.get("startedDateTime").map(|m| m.value))?;
    let at = crate::clock::parse_rfc3339(t.value.trim())?;
    Some(capture::CaptureTime {
        at,
        from: capture::TimeSource::HarStarted,
        span: t.span,
    })
}

/// The entry's response, when it is an error answer (HTTP 4xx or 5xx with
/// a JSON body, or a DPoP error in `WWW-Authenticate`).
fn answer(entry: Raw) -> Option<crate::answer::Answer> {
    let resp = entry.get("response")?.value;
    let status = resp
        .get("status")
        .and_then(|s| s.value.as_i64())
        .and_then(|s| u16::try_from(s).ok());
    if status.is_some_and(|s| s < 400) {
        return None;
    }
    let content = resp.get("content").map(|c| c.value);
    let body = string(content.and_then(|c| c.get("text")).map(|m| m.value))?;
    let base64 = string(content.and_then(|c| c.get("encoding")).map(|m| m.value))
        .is_some_and(|e| e.value.eq_ignore_ascii_case("base64"));
    let body = if base64 {
        use base64::Engine as _;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(body.value.trim())
            .ok()?;
        String::from_utf8(bytes).ok()?
    } else {
        body.value.clone()
    };
    let v: serde_json::Value = serde_json::from_str(body.trim()).ok()?;
    crate::answer::Answer::from_json(&v, status).filter(crate::answer::Answer::is_error)
}

/// A request header, from `{"name": …, "value": …}`. Chrome records HTTP/2
/// pseudo-headers (`:authority`, …): `:authority` is the `Host`.
fn header(h: Raw) -> Option<Header> {
    let n = string(h.get("name").map(|m| m.value))?;
    let v = string(h.get("value").map(|m| m.value))?;
    if !n.value.starts_with(':') {
        return Some(Header {
            name: n,
            value: trimmed(&v),
        });
    }
    (n.value == ":authority").then(|| Header {
        name: synthetic("Host", &n),
        value: trimmed(&v),
    })
}

/// A string value, decoded.
fn string(v: Option<Raw>) -> Option<Text> {
    v?.as_str()
}

/// Maximum length of a parameter name [`elided_form`] decodes: longer than
/// any name it is asked about, even with every byte percent-encoded.
const MAX_NAME: usize = 256;

/// The `name=value` pairs of a form body held as an elided JSON string
/// (`raw` is its content, JSON escapes and all, at `base` in the source),
/// read without copying it: `f` gets each pair's form-decoded name (empty
/// when it is longer than [`MAX_NAME`]) and the source span of its raw
/// value, and returns `true` to stop. Pairs are split as
/// [`crate::form::decode`] splits them, after the JSON escapes are decoded
/// (`\u0026` is a `&`).
fn elided_form(raw: &str, base: usize, mut f: impl FnMut(&str, Span) -> bool) {
    let bytes = raw.as_bytes();
    let mut name = String::new();
    let mut long = false;
    let mut value_at: Option<usize> = None;
    let mut empty = true;
    let mut finish = |name: &mut String, long: bool, value_at: Option<usize>, end: usize| {
        // Only `%` and `+` decode to something else.
        let decoded = if long || !name.contains(['%', '+']) {
            None
        } else {
            crate::form::decode(name).pairs.into_iter().next()
        };
        let at = value_at.unwrap_or(end);
        let n = match &decoded {
            Some(p) => p.name.as_str(),
            None if long => "",
            None => name.as_str(),
        };
        let stop = f(n, Span::new(base + at, end - at));
        name.clear();
        stop
    };
    let mut i = 0;
    while i < bytes.len() {
        if value_at.is_some() || long {
            // Only the end of the pair matters now: skip to the next `&`
            // or escape (which may be one).
            match bytes[i..].iter().position(|&b| b == b'&' || b == b'\\') {
                Some(k) => i += k,
                None => break,
            }
        }
        let Some((c, next)) = json_char(raw, i) else {
            break;
        };
        match c {
            '&' => {
                if !empty && finish(&mut name, long, value_at, i) {
                    return;
                }
                (long, value_at, empty) = (false, None, true);
                i = next;
                continue;
            }
            '=' if value_at.is_none() => value_at = Some(next),
            _ if value_at.is_none() => {
                if name.len() + c.len_utf8() <= MAX_NAME {
                    name.push(c);
                } else {
                    long = true;
                }
            }
            _ => {}
        }
        empty = false;
        i = next;
    }
    if !empty {
        finish(&mut name, long, value_at, raw.len());
    }
}

/// The character that a JSON string's raw content (which the parser has
/// validated) has at byte `i`, an escape decoded, and the offset after it.
fn json_char(raw: &str, i: usize) -> Option<(char, usize)> {
    let b = raw.as_bytes();
    if b.get(i) != Some(&b'\\') {
        let c = raw.get(i..)?.chars().next()?;
        return Some((c, i + c.len_utf8()));
    }
    let hex4 = |at: usize| -> u32 {
        raw.get(at..at + 4)
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .unwrap_or(0xFFFD)
    };
    let (c, len) = match b.get(i + 1) {
        Some(b'b') => ('\u{8}', 2),
        Some(b'f') => ('\u{c}', 2),
        Some(b'n') => ('\n', 2),
        Some(b'r') => ('\r', 2),
        Some(b't') => ('\t', 2),
        Some(b'u') => {
            let hi = hex4(i + 2);
            if (0xD800..0xDC00).contains(&hi) && raw.get(i + 6..i + 8) == Some("\\u") {
                let lo = hex4(i + 8).wrapping_sub(0xDC00) & 0x3FF;
                let cp = 0x10000 + ((hi - 0xD800) << 10) + lo;
                (char::from_u32(cp).unwrap_or('\u{fffd}'), 12)
            } else {
                (char::from_u32(hi).unwrap_or('\u{fffd}'), 6)
            }
        }
        // `\"`, `\\`, `\/`.
        Some(&e) if e.is_ascii() => (char::from(e), 2),
        _ => ('\\', 1),
    };
    Some((c, (i + len).min(raw.len())))
}

/// A header name the HAR implies rather than writes (`Host` for
/// `:authority`, `Content-Type` for `postData.mimeType`): every byte of it
/// maps to the whole string it stands for, so no span overruns that string.
fn synthetic(value: &str, from: &Text) -> Text {
    capture::from_byte_spans(value.to_owned(), &vec![from.span; value.len()], from.span)
}

fn trimmed(t: &Text) -> Text {
    let lead = t.value.len() - t.value.trim_start().len();
    let end = t.value.trim_end().len().max(lead);
    capture::sub_text(t, lead..end)
}

/// A token request has `grant_type` in its body (or, wrongly, its query).
/// An elided body is read in place from the source `text`.
fn is_token_request(body: Option<&Text>, url: Option<&Text>, text: &str) -> bool {
    let has = |s: &str| {
        crate::form::decode(s)
            .pairs
            .iter()
            .any(|p| p.name == "grant_type")
    };
    let in_body = body.is_some_and(|b| {
        if !b.is_elided() {
            return has(&b.value);
        }
        let mut found = false;
        elided_form(raw_of(b, text), b.span.offset, |name, _| {
            found = name == "grant_type";
            found
        });
        found
    });
    in_body
        || url.is_some_and(|u| {
            u.value
                .split_once('?')
                .is_some_and(|(_, q)| has(q.split('#').next().unwrap_or("")))
        })
}

/// The raw text of a value in the source.
fn raw_of<'a>(t: &Text, text: &'a str) -> &'a str {
    text.get(t.span.offset..t.span.end()).unwrap_or("")
}

/// A request body in a HAR up to this size is decoded to find its secrets
/// as any form is searched (split values, JSON bodies); a larger one is
/// read in place, by parameter name.
const MAX_DECODED_BODY: usize = 1 << 20;

fn collect_secrets(entry: Raw, out: &mut Vec<Span>) {
    for side in ["request", "response"] {
        let Some(r) = entry.get(side).map(|m| m.value) else {
            continue;
        };
        if let Some(headers) = r.get("headers").and_then(|h| h.value.items()) {
            for h in headers {
                let n = string(h.get("name").map(|m| m.value));
                let v = h.get("value").map(|m| m.value);
                if let (Some(n), Some(v)) = (n, v) {
                    if secrets::is_secret_header(&n.value) {
                        out.push(v.span());
                    }
                }
            }
        }
        if let Some(cookies) = r.get("cookies").and_then(|c| c.value.items()) {
            for c in cookies {
                if let Some(v) = c.get("value") {
                    out.push(v.value.span());
                }
            }
        }
        // Response bodies carry issued tokens.
        if let Some(t) = r.get("content").and_then(|c| c.value.get("text")) {
            out.push(t.value.span());
        }
        if let Some(pd) = r.get("postData").map(|m| m.value) {
            let text = pd.get("text").map(|m| m.value);
            match text.and_then(|t| t.as_str_bounded(MAX_DECODED_BODY)) {
                Some(t) if !t.is_elided() => {
                    let form = crate::form::decode(&t.value);
                    let ranges = secrets::form_secret_ranges(&form);
                    out.extend(ranges.into_iter().map(|r| t.sub_span(r)));
                    out.extend(capture::json_body_secret_spans(&t));
                }
                _ => {
                    if let Some((raw, t)) = text.and_then(|t| Some((t.raw_str()?, t))) {
                        // Too large to copy: read in place.
                        elided_form(raw, t.span().offset + 1, |name, value| {
                            if secrets::is_secret_param(name) && value.len > 0 {
                                out.push(value);
                            }
                            false
                        });
                    }
                }
            }
            if let Some(params) = pd.get("params").and_then(|p| p.value.items()) {
                for p in params {
                    let n = string(p.get("name").map(|m| m.value));
                    let v = p.get("value").map(|m| m.value);
                    let secret_name = n.is_some_and(|n| secrets::is_secret_param(&n.value));
                    let shaped = v
                        .and_then(|v| v.as_str_bounded(MAX_DECODED_BODY))
                        .is_some_and(|v| {
                            secrets::looks_like_jws(&v.value)
                                || secrets::holds_private_key(&v.value)
                        });
                    if let (Some(v), true) = (v, secret_name || shaped) {
                        out.push(v.span());
                    }
                }
            }
        }
        if let Some(q) = string(r.get("url").map(|m| m.value)) {
            if let Some(i) = q.value.find('?') {
                let qt = capture::sub_text(&q, i + 1..q.value.len());
                let form = crate::form::decode(&qt.value);
                let ranges = secrets::form_secret_ranges(&form);
                out.extend(ranges.into_iter().map(|r| qt.sub_span(r)));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::{Node, Value};

    const HAR: &str = r#"{"log":{"version":"1.2","entries":[
{"request":{"method":"GET","url":"https://as.example.com/.well-known/openid-configuration","headers":[]},"response":{"status":200,"content":{"text":"{}"}}},
{"request":{"method":"POST","url":"https://as.example.com/token","headers":[{"name":"Content-Type","value":"application/x-www-form-urlencoded"},{"name":"Authorization","value":"Basic czZCaGRSa3F0Mzo3RmpmcDBaQnIxS3REUmJuZlZkbUl3"}],"postData":{"mimeType":"application/x-www-form-urlencoded","text":"grant_type=client_credentials&scope=a%20b"}},"response":{"status":200,"content":{"text":"{\"access_token\":\"SECRETTOKEN\"}"}}}
]}}"#;

    #[test]
    fn finds_the_token_request_with_spans() {
        assert!(looks_like_har(HAR));
        let out = load_str("x.har", HAR);
        assert_eq!(out.len(), 1);
        let l = &out[0];
        assert_eq!(l.source.name, "x.har#entries[1]");
        let p = l.request.parameters.as_ref().unwrap();
        assert_eq!(
            &HAR[p.span.offset..p.span.end()],
            "grant_type=client_credentials&scope=a%20b"
        );
        assert_eq!(l.request.client_id.as_ref().unwrap().value, "s6BhdRkqt3");
        assert_eq!(
            l.request.htu.as_ref().unwrap().value,
            "https://as.example.com/token"
        );
        let masked = l.source.masked_text(&l.secrets);
        assert!(!masked.contains("SECRETTOKEN"));
    }

    /// The pairs of an elided body, read in place, are those the form
    /// decoder finds in the decoded string: the same names, the same value
    /// spans, whatever the JSON escapes.
    #[test]
    fn elided_form_reads_what_the_decoder_reads() {
        for raw in [
            "a=1&b=2",
            r#"grant\u005ftype=x\u0026client_secret=s%20\"q\\&c=\/"#,
            "&&a&=b&c==d&",
            r"x=\ud83d\ude00&\ud83d\ude00=y&z",
            "n%5Fa+b=v&client%5Fsecret=hunter2",
            "é=ü&ü",
            r"\n=\t&\b\f\r=1",
        ] {
            let base = 7;
            let quoted = format!("\"{raw}\"");
            let Ok(Value {
                node: Node::String(t),
                ..
            }) = json::parse(&quoted, base - 1)
            else {
                panic!("{raw} is not a JSON string");
            };
            let want: Vec<(String, Span)> = crate::form::decode(&t.value)
                .pairs
                .iter()
                .map(|p| {
                    let span = if p.value_raw.is_empty() {
                        Span::default()
                    } else {
                        t.sub_span(p.value_raw.clone())
                    };
                    (p.name.clone(), span)
                })
                .collect();
            let mut got = Vec::new();
            elided_form(raw, base, |name, value| {
                let span = if value.len == 0 {
                    Span::default()
                } else {
                    value
                };
                got.push((name.to_owned(), span));
                false
            });
            assert_eq!(got, want, "{raw}");
        }
        // A name too long to be one tokenlint looks for is read as "".
        let long = format!("{}=1&a=2", "n".repeat(MAX_NAME + 1));
        let mut names = Vec::new();
        elided_form(&long, 0, |name, _| {
            names.push(name.to_owned());
            false
        });
        assert_eq!(names, ["", "a"]);
    }

    /// A HAR whose bodies are over the bound keeps only their spans, finds
    /// the same token request and the same secrets, and lints as the copied
    /// one does.
    #[test]
    fn bodies_over_the_bound_are_not_copied() {
        use crate::lint::{lint, Settings};
        let pad = "a".repeat(300);
        let token_body =
            format!(r"grant\u005ftype=client_credentials\u0026client_secret=hunter2&scope={pad}");
        let upload = format!("file={pad}&password=pw-upload-secret");
        let har = format!(
            r#"{{"log":{{"entries":[
{{"request":{{"method":"POST","url":"https://a.example/upload","headers":[],"postData":{{"mimeType":"application/x-www-form-urlencoded","text":"{upload}"}}}}}},
{{"request":{{"method":"POST","url":"https://as.example.com/token","headers":[{{"name":"Authorization","value":"Basic czZCaGRSa3F0Mzo3RmpmcDBaQnIxS3REUmJuZlZkbUl3"}}],"postData":{{"mimeType":"application/x-www-form-urlencoded","text":"{token_body}"}}}}}}
]}}}}"#
        );
        let elided = load_owned("x.har", har.clone().into_bytes(), 256);
        let copied = load_str("x.har", &har);
        assert_eq!(elided.len(), 1);
        assert_eq!(copied.len(), 1);
        let (e, c) = (&elided[0], &copied[0]);
        assert_eq!(e.source.name, "x.har#entries[1]");
        assert_eq!(e.source.text, har);
        let p = e.request.parameters.as_ref().unwrap();
        assert!(p.is_elided() && p.value.is_empty());
        assert_eq!(&har[p.span.offset..p.span.end()], token_body);
        assert_eq!(p.span, c.request.parameters.as_ref().unwrap().span);
        assert_eq!(e.request.client_id.as_ref().unwrap().value, "s6BhdRkqt3");
        assert_eq!(
            e.request.htu.as_ref().unwrap().value,
            "https://as.example.com/token"
        );
        assert!(e.capture.as_ref().unwrap().has_body);
        // The secrets of both bodies are found in place.
        assert_eq!(e.secrets, c.secrets);

        let mut s = Settings::with_now(1767225600);
        s.limits.field = 256;
        let (a, b) = (lint(e, &s), lint(c, &s));
        let ids = |r: &crate::lint::FileReport| -> Vec<_> {
            r.findings
                .iter()
                .map(|f| (f.rule.id, f.labels[0].span))
                .collect()
        };
        assert_eq!(ids(&a), ids(&b));
        assert_eq!(
            ids(&a),
            [("input/field-too-large", Span::new(p.span.offset, 1))]
        );
        let masked = e.source.masked_text(&a.secrets).to_string();
        for secret in ["hunter2", "pw-upload-secret", "czZCaGRSa3F0Mzo3"] {
            assert!(!masked.contains(secret), "{secret}: {masked}");
        }
    }

    /// A string the loader reads besides the body (URL, header) is decoded
    /// even when it is over the bound.
    #[test]
    fn other_strings_over_the_bound_are_decoded() {
        let dpop = "x".repeat(300);
        let har = format!(
            r#"{{"log":{{"entries":[{{"request":{{"method":"POST","url":"https://as.example.com/token?a=1","headers":[{{"name":"DPoP","value":"{dpop}"}}],"postData":{{"text":"grant_type=client_credentials"}}}}}}]}}}}"#
        );
        let l = &load_owned("x.har", har.clone().into_bytes(), 20)[0];
        assert_eq!(l.request.dpop.as_ref().unwrap().value, dpop);
        assert_eq!(
            l.request.htu.as_ref().unwrap().value,
            "https://as.example.com/token"
        );
        assert_eq!(
            l.request.parameters.as_ref().unwrap().span.len,
            "grant_type=client_credentials".len()
        );
    }

    /// N token requests are N inputs over one text: each holds its own
    /// name and its own request's secrets, not a copy of the text or of the
    /// other requests' secrets, which the text holds once; and each input's
    /// display still masks every secret in the file.
    #[test]
    fn entries_share_one_text_and_its_secrets() {
        const N: usize = 40;
        let entry = |i: usize| {
            format!(
                r#"{{"request":{{"method":"POST","url":"https://as.example.com/token","headers":[{{"name":"Authorization","value":"Basic czZCaGRSa3F0MzpzZWNyZXQt{i:04}"}}],"postData":{{"text":"grant_type=client_credentials&client_secret=body-secret-{i:04}"}}}},"response":{{"content":{{"text":"{{\"access_token\":\"issued-token-{i:04}\"}}"}}}}}}"#
            )
        };
        let entries: Vec<String> = (0..N).map(entry).collect();
        let har = format!(r#"{{"log":{{"entries":[{}]}}}}"#, entries.join(",\n"));
        let out = load_str("x.har", &har);
        assert_eq!(out.len(), N);
        let text = &out[0].source.text;
        assert_eq!(*text, har);
        for (i, l) in out.iter().enumerate() {
            assert_eq!(l.source.name, format!("x.har#entries[{i}]"));
            assert!(l.source.text.ptr_eq(text), "entry {i} has its own copy");
            // Its own request's secrets, a handful, not every entry's.
            assert!(
                l.secrets.len() <= 4,
                "entry {i}: {} secrets",
                l.secrets.len()
            );
        }
        // The file's secrets, once: three per entry.
        assert_eq!(text.secret_ranges(), 3 * N);
        for l in [&out[0], &out[N - 1]] {
            let masked = l.source.masked_text(&l.secrets).to_string();
            for i in 0..N {
                for secret in [
                    format!("body-secret-{i:04}"),
                    format!("issued-token-{i:04}"),
                    format!("c2VjcmV0LT{i:04}"),
                ] {
                    assert!(!masked.contains(&secret), "{}: {secret}", l.source.name);
                }
            }
        }
    }

    #[test]
    fn not_a_har_or_no_token_request() {
        assert_eq!(load_str("x.har", "{\"log\":{}}").len(), 1);
        assert_eq!(load_str("x.har", "{\"log\":{\"entries\":[]}}").len(), 1);
        assert!(!load_str("x.har", "nope")[0].is_readable());
    }

    #[test]
    fn implied_header_names_stay_inside_what_implies_them() {
        // Found by fuzzing: `Content-Type` (12 bytes) took its span from a
        // shorter `mimeType` and ran past it, here past the end of the file.
        let har = r#"{"log":{"entries":[{"request":{"method":"POST","url":"https://a/t","headers":[{"name":":authority","value":"a"}],"postData":{"text":"grant_type=x","mimeType":"é"}}}]}}"#;
        let out = load_str("x.har", har);
        let c = out[0].capture.as_ref().unwrap();
        for (name, raw) in [("Host", ":authority"), ("Content-Type", "é")] {
            let h = c.header(name).unwrap();
            assert_eq!(&har[h.name.span.offset..h.name.span.end()], raw);
            for j in 0..h.name.value.len() {
                let s = h.name.sub_span(j..j + 1);
                assert_eq!(&har[s.offset..s.end()], raw, "{name} byte {j}");
            }
        }
    }
}
