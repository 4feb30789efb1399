//! Loads a raw HTTP/1.1 request (`.http`, `.txt`): request line, headers,
//! blank line, body — as a proxy log, `curl -v`, or a spec example shows it —
//! and REST-client files (VS Code REST Client, JetBrains HTTP Client):
//! requests separated by `###` lines, each its own input (`file.http#2`, the
//! second request of the file, when it holds several), `#` and `//`
//! comment lines, `@name = value` file variables, and `{{name}}` references,
//! resolved with spans that point at the reference. A reference tokenlint
//! cannot resolve (undefined, a system or environment variable, another
//! request's response) is reported, not silently linted as text.
//!
//! Lenient in what it reads (LF or CRLF line ends, no HTTP version, folded
//! header lines), strict in what it reports: every deviation is an
//! [`Issue::Syntax`](super::capture::Issue).

use super::capture::{self, CaptureKind, Header, Parts};
use super::rest_client;
use super::Loaded;
use crate::source::{Source, SourceText};
use crate::span::{Span, Text};

/// Reads raw bytes: invalid UTF-8 is reported and replaced, never fatal.
/// The first request of a file; [`load_all`] reads every one.
pub fn load_bytes(name: &str, bytes: &[u8]) -> Loaded {
    let (text, issue) = super::decode_lossy(bytes);
    let mut loaded = load_str(name, &text);
    loaded.issues.splice(0..0, issue);
    loaded
}

/// Reads raw bytes it may keep: valid UTF-8 becomes the source text without
/// a copy, and a body longer than `max_body` bytes (the loader passes the
/// field size limit, `limits.field`) keeps only its span (see
/// [`Text::elided`]): it is reported as too large and never checked, so a
/// 50 MB capture is held once.
/// The first request of a file; [`load_all`] reads every one.
pub fn load_owned(name: &str, bytes: Vec<u8>, max_body: usize) -> Loaded {
    let mut all = load_all(name, bytes, max_body);
    let first = all.drain(..).next();
    first.unwrap_or_else(|| load_str(name, ""))
}

/// Every request of a file, each its own input: one when the file holds
/// one (named `name`), else one per token request (a request with a
/// `grant_type` parameter), named `name#k` for the file's k-th request.
/// A file with no request but file variables is one skipped input. The
/// inputs share the file's text, held once.
pub fn load_all(name: &str, bytes: Vec<u8>, max_body: usize) -> Vec<Loaded> {
    let (text, utf8_issue) = super::decode_lossy_owned(bytes);
    let file = rest_client::File::read(&text);
    // (the request's number in the file, its parts, the references resolved)
    let mut chosen: Vec<(usize, Parts, rest_client::Resolved)> = Vec::new();
    let several = file.requests.len() > 1;
    for (k, block) in file.requests.iter().enumerate() {
        let mut parts = parse_range(&text, block.start, block.end, max_body);
        let hidden = file.resolve(&mut parts);
        if several && !is_token_request(&parts) {
            continue;
        }
        chosen.push((k + 1, parts, hidden));
    }
    let mut out: Vec<Loaded> = Vec::new();
    if chosen.is_empty() && several {
        out.push(skipped(name, text, no_token_request(file.requests.len())));
    } else if file.requests.is_empty() && !file.variables.is_empty() {
        out.push(skipped(name, text, NO_REQUEST_ONLY_VARIABLES.to_owned()));
    } else if chosen.is_empty() {
        // No request at all: what the parser says about it.
        let parts = parse_range(&text, 0, text.len(), max_body);
        out.push(capture::build(Source::new(name, text), parts));
    } else {
        // One text for every request of the file: a copy each would make
        // a file of n requests cost n times its size.
        let text = SourceText::new(text);
        for (k, parts, hidden) in chosen {
            let input = if several {
                format!("{name}#{k}")
            } else {
                name.to_owned()
            };
            let mut loaded = capture::build(Source::shared(input, text.clone()), parts);
            rest_client::hide_definitions(&mut loaded, &file, &hidden);
            out.push(loaded);
        }
    }
    if let (Some(first), Some(issue)) = (out.first_mut(), utf8_issue) {
        first.issues.insert(0, issue);
    }
    out
}

/// One input that is not linted, for `reason`.
fn skipped(name: &str, text: String, reason: String) -> Loaded {
    Loaded {
        source: Source::new(name, text),
        request: super::TokenRequest::default(),
        issues: Vec::new(),
        secrets: Vec::new(),
        capture: None,
        skip: Some(reason),
        foreign: None,
    }
}

const NO_REQUEST_ONLY_VARIABLES: &str = "it defines REST-client variables and holds no request";

fn no_token_request(n: usize) -> String {
    format!("none of its {n} requests is a token request (a request with a `grant_type` parameter)")
}

/// A request with `grant_type` in its body or query.
fn is_token_request(p: &Parts) -> bool {
    let has = |s: &str| {
        crate::form::decode(s)
            .pairs
            .iter()
            .any(|p| p.name == "grant_type")
    };
    let body = p
        .body
        .as_ref()
        .is_some_and(|b| b.is_elided() || has(&b.value));
    let query = p.target.as_ref().is_some_and(|t| {
        t.value
            .split_once('?')
            .is_some_and(|(_, q)| has(q.split('#').next().unwrap_or("")))
    });
    body || query
}

/// One line of the text: its range without the line end.
struct Line {
    start: usize,
    end: usize,
    /// Offset after the line end.
    next: usize,
}

/// The lines of `text[from..end]` (`end` is a line start or the text's end).
fn lines_until(text: &str, from: usize, end: usize) -> impl Iterator<Item = Line> + '_ {
    let mut pos = from;
    std::iter::from_fn(move || {
        if pos >= end {
            return None;
        }
        let start = pos;
        let (end, next) = match text[start..].find('\n') {
            Some(i) => {
                let nl = start + i;
                let end = if nl > start && text.as_bytes()[nl - 1] == b'\r' {
                    nl - 1
                } else {
                    nl
                };
                (end, nl + 1)
            }
            None => (text.len(), text.len()),
        };
        pos = next;
        Some(Line { start, end, next })
    })
}

/// The first request of a text.
pub fn load_str(name: &str, text: &str) -> Loaded {
    let mut all = load_all(name, text.as_bytes().to_vec(), usize::MAX);
    if all.is_empty() {
        let source = Source::new(name, text);
        let parts = parse(&source.text, usize::MAX);
        return capture::build(source, parts);
    }
    all.swap_remove(0)
}

/// Whether a line can be an HTTP method token (RFC 9110 §9.1: a token).
fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// Reads the request; a body longer than `max_body` bytes is
/// [`Text::elided`] (only its span is kept).
pub(crate) fn parse(text: &str, max_body: usize) -> Parts {
    parse_range(text, 0, text.len(), max_body)
}

/// Reads the request in `text[start..end]` (one REST-client block).
fn parse_range(text: &str, start: usize, end: usize, max_body: usize) -> Parts {
    let mut p = Parts::new(CaptureKind::Http);
    let start = if start == 0 && text.starts_with('\u{feff}') {
        3
    } else {
        start
    };
    let end = end.min(text.len()).max(start);
    let mut it = lines_until(text, start, end);
    // Skip blank lines and comments before the request line.
    let Some(line) = it.by_ref().find(|l| !is_preamble(&text[l.start..l.end])) else {
        p.syntax(Span::new(start, 0), NO_REQUEST_LINE, false);
        return p;
    };
    // An HTTP/2 header dump (browser devtools): pseudo-headers, no request line.
    let http2 = text[line.start..line.end].starts_with(':');
    if http2 {
        pseudo_header_line(&text[line.start..line.end], line.start, &mut p);
    } else if !request_line(text, &line, &mut p) {
        return p;
    }
    // Headers, up to the blank line.
    let mut body_start = None;
    let mut fold = None;
    for l in it {
        let s = &text[l.start..l.end];
        if s.is_empty() {
            body_start = Some(l.next);
            break;
        }
        if is_comment(s) {
            continue;
        }
        if http2 && s.starts_with(':') {
            pseudo_header_line(s, l.start, &mut p);
        } else if s.starts_with([' ', '\t']) {
            folded_line(s, l.start, &mut p, &mut fold);
        } else {
            finish_fold(&mut p, fold.take());
            header_line(s, l.start, &mut p);
        }
    }
    finish_fold(&mut p, fold.take());
    // Without a blank line there are headers only, no body.
    if let Some(body_start) = body_start {
        p.body = Some(body(&text[..end], body_start, max_body, &mut p));
    }
    if http2
        && p.body
            .as_ref()
            .is_none_or(|b| b.value.is_empty() && !b.is_elided())
    {
        let span = p
            .method
            .as_ref()
            .map_or(Span::new(line.start, 0), |m| m.span);
        p.issues.push(capture::Issue::Body {
            span,
            problem: capture::BodyProblem::Http2Dump,
        });
    }
    p
}

/// `:method: POST`, `:path: /token`, `:authority: as.example.com`,
/// `:scheme: https` of an HTTP/2 header dump: the method, the target, the
/// `Host` and the scheme. Other pseudo-headers are ignored.
fn pseudo_header_line(s: &str, start: usize, p: &mut Parts) {
    let Some(colon) = s[1..].find(':').map(|i| i + 1) else {
        p.syntax(
            Span::new(start, s.len()),
            "a pseudo-header line without `:`",
            false,
        );
        return;
    };
    let name = &s[..colon];
    let raw = &s[colon + 1..];
    let lead = raw.len() - raw.trim_start().len();
    let value = Text::verbatim(raw.trim(), start + colon + 1 + lead);
    match name {
        ":method" => p.method = Some(value),
        ":path" => p.target = Some(value),
        ":authority" => p.headers.push(Header {
            name: Text::verbatim(name, start),
            value,
        }),
        ":scheme" if value.value.eq_ignore_ascii_case("http") => p.default_scheme = "http",
        _ => {}
    }
    // `:authority` stands for `Host`.
    if let Some(h) = p
        .headers
        .last_mut()
        .filter(|h| h.name.value == ":authority")
    {
        h.name = capture::from_byte_spans("Host".to_owned(), &[h.name.span; 4], h.name.span);
    }
}

const NO_REQUEST_LINE: &str =
    "no request line: a raw HTTP request starts with `POST /token HTTP/1.1`";

const NOT_A_REQUEST_LINE: &str =
    "not an HTTP request line: expected `METHOD TARGET HTTP/1.1`, e.g. `POST /token HTTP/1.1`";

const SPACE_IN_TARGET: &str =
    "the request line has more than three parts: a space in the target must be percent-encoded";

const NOT_A_HEADER_NAME: &str =
    "not a header name (RFC 9110 §5.1: a token, with no whitespace before the `:`)";

/// A blank line, a comment or a file variable (`@name = value`), as in
/// REST-client files, before the request line.
pub(crate) fn is_preamble(line: &str) -> bool {
    let s = line.trim();
    s.is_empty() || is_comment(s) || rest_client::variable(line).is_some()
}

/// A REST-client comment line (`#`, `//`), which a header line cannot be.
fn is_comment(line: &str) -> bool {
    let s = line.trim_start();
    s.starts_with('#') || s.starts_with("//")
}

/// Reads `METHOD TARGET [HTTP/1.1]` into `p`; `false` when the line is not a
/// request line (then there is nothing more to read).
fn request_line(text: &str, l: &Line, p: &mut Parts) -> bool {
    let line = &text[l.start..l.end];
    let mut words = Vec::new();
    let mut off = 0;
    for w in line.split(' ') {
        if !w.is_empty() {
            words.push((l.start + off, w));
        }
        off += w.len() + 1;
    }
    let line_span = Span::new(l.start, line.len());
    let [(mo, m), (to, t), rest @ ..] = words.as_slice() else {
        p.syntax(line_span, NOT_A_REQUEST_LINE, false);
        return false;
    };
    if !is_token(m) {
        p.syntax(line_span, NOT_A_REQUEST_LINE, false);
        return false;
    }
    p.method = Some(Text::verbatim(*m, *mo));
    p.target = Some(Text::verbatim(*t, *to));
    match rest {
        [] => {}
        [(_, v)] if v.starts_with("HTTP/") => {}
        [(vo, v)] => p.syntax(
            Span::new(*vo, v.len()),
            format!(
                "`{}` is not an HTTP version (HTTP/1.1)",
                capture::printable(v)
            ),
            true,
        ),
        [_, (xo, _), ..] => p.syntax(Span::new(*xo, line_span.end() - xo), SPACE_IN_TARGET, false),
    }
    true
}

/// The value of the header being folded, as its lines come: joined once
/// the header ends ([`finish_fold`]), so a header folded over 10,000 lines
/// costs its length, not 10,000 copies of it.
struct Fold {
    value: String,
    /// The source span of each byte of `value`.
    spans: Vec<Span>,
    whole: Span,
}

/// A line that starts with whitespace: obs-fold (RFC 9112 §5.2), joined to
/// the previous header's value. The first continuation of a header is
/// reported (once per header, not once per line).
fn folded_line(s: &str, start: usize, p: &mut Parts, fold: &mut Option<Fold>) {
    let piece = s.trim();
    let Some(h) = p.headers.last().filter(|_| !piece.is_empty()) else {
        p.syntax(
            Span::new(start, s.len()),
            "a line that starts with whitespace and continues no header",
            false,
        );
        return;
    };
    if fold.is_none() {
        let v = &h.value;
        let spans = (0..v.value.len()).map(|j| v.sub_span(j..j + 1)).collect();
        let message = folded_message(&h.name.value);
        *fold = Some(Fold {
            value: v.value.clone(),
            spans,
            whole: v.span,
        });
        p.syntax(Span::new(start, s.len()), message, true);
    }
    let Some(fold) = fold.as_mut() else { return };
    let piece_off = start + (s.len() - s.trim_start().len());
    fold.value.push_str(piece);
    fold.spans
        .extend((0..piece.len()).map(|j| Span::new(piece_off + j, 1)));
    fold.whole = fold.whole.cover(Span::new(piece_off, piece.len()));
}

/// Puts the joined value of a folded header in place of its first line's.
fn finish_fold(p: &mut Parts, fold: Option<Fold>) {
    if let (Some(f), Some(h)) = (fold, p.headers.last_mut()) {
        h.value = capture::from_byte_spans(f.value, &f.spans, f.whole);
    }
}

fn folded_message(name: &str) -> String {
    format!(
        "the `{}` header is folded over several lines (obsolete line folding, RFC 9112 §5.2); \
         tokenlint joins the lines without the folding whitespace, \
         a server rejects it or puts a space there",
        capture::printable(name)
    )
}

/// `Name: value`.
fn header_line(s: &str, start: usize, p: &mut Parts) {
    let Some(colon) = s.find(':') else {
        p.syntax(
            Span::new(start, s.len()),
            "a header line without `:`",
            false,
        );
        // `Authorization Bearer …`: what follows the name may be a
        // credential, and the name itself, when it is not one.
        p.extra_secrets.extend(unread_header(s, start));
        return;
    };
    let name = &s[..colon];
    if name.is_empty() || name.ends_with([' ', '\t']) || !is_token(name) {
        p.syntax(Span::new(start, colon), NOT_A_HEADER_NAME, false);
    }
    let raw_value = &s[colon + 1..];
    let lead = raw_value.len() - raw_value.trim_start().len();
    let value = raw_value.trim();
    // `trim` also drops leading whitespace other than SP/HTAB (a stray
    // CR, U+3000): the span must start where the trimmed name does.
    let name_lead = name.len() - name.trim_start().len();
    p.headers.push(Header {
        name: Text::verbatim(name.trim(), start + name_lead),
        value: Text::verbatim(value, start + colon + 1 + lead),
    });
}

/// What to mask of a header line that could not be read (no `:`): all of
/// it after its first word, and the first word too unless it is a plain
/// header name.
pub(crate) fn unread_header(s: &str, start: usize) -> Option<Span> {
    let word = s.trim_start();
    let lead = s.len() - word.len();
    let end = word.find([' ', '\t']).unwrap_or(word.len());
    let name_like = end <= 40
        && word[..end]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-');
    let from = if name_like { lead + end } else { lead };
    (from < s.len()).then(|| Span::new(start + from, s.len() - from))
}

/// The body after the blank line, as long as Content-Length says (checked
/// against what is there).
fn body(text: &str, body_start: usize, max_body: usize, p: &mut Parts) -> Text {
    let rest = &text[body_start.min(text.len())..];
    let length = p
        .headers
        .iter()
        .find(|h| h.name.value.eq_ignore_ascii_case("content-length"))
        .map(|h| (h.value.span, h.value.value.parse::<usize>().ok()));
    let body_len = match length {
        Some((span, Some(n))) => declared_length(rest, body_start, n, span, p),
        Some((span, None)) => {
            p.syntax(span, "Content-Length is not a number", false);
            rest.trim_end_matches(['\r', '\n']).len()
        }
        // Without Content-Length, a file's final line end is not body.
        None => rest.trim_end_matches(['\r', '\n']).len(),
    };
    if body_len > max_body {
        Text::elided(Span::new(body_start, body_len))
    } else {
        Text::verbatim(&rest[..body_len], body_start)
    }
}

/// The body's length when Content-Length is `n`: a capture cut short, or
/// bytes after the body, are reported.
fn declared_length(rest: &str, body_start: usize, n: usize, span: Span, p: &mut Parts) -> usize {
    if n > rest.len() {
        let message = format!(
            "Content-Length is {n} but the body has {} bytes: the capture is cut short",
            rest.len()
        );
        p.syntax(span, message, true);
        return rest.len();
    }
    if !rest[n..].trim().is_empty() {
        p.syntax(
            Span::new(body_start + n, rest.len() - n),
            format!("Content-Length is {n}: the bytes after the body are not part of it"),
            true,
        );
    }
    crate::source::floor_char_boundary(rest, n)
}

#[cfg(test)]
mod tests {
    use super::*;

    const REQ: &str = "POST /token HTTP/1.1\r\nHost: server.example.com\r\nContent-Type: application/x-www-form-urlencoded\r\nAuthorization: Basic czZCaGRSa3F0Mzo3RmpmcDBaQnIxS3REUmJuZlZkbUl3\r\n\r\ngrant_type=client_credentials\r\n";

    #[test]
    fn reads_request_line_headers_and_body() {
        let l = load_str("r.http", REQ);
        assert!(l.issues.is_empty(), "{:?}", l.issues);
        let c = l.capture.as_ref().unwrap();
        assert!(c.issues.is_empty(), "{:?}", c.issues);
        let r = &l.request;
        assert_eq!(r.htm.as_ref().unwrap().value, "POST");
        let htu = r.htu.as_ref().unwrap();
        assert_eq!(htu.value, "https://server.example.com/token");
        assert_eq!(&REQ[htu.span.offset..htu.span.end()], "/token");
        assert_eq!(r.client_id.as_ref().unwrap().value, "s6BhdRkqt3");
        let p = r.parameters.as_ref().unwrap();
        assert_eq!(p.value, "grant_type=client_credentials");
        assert_eq!(&REQ[p.span.offset..p.span.end()], p.value);
        assert_eq!(
            c.content_type.as_ref().unwrap().value,
            "application/x-www-form-urlencoded"
        );
    }

    #[test]
    fn folded_header_is_joined_with_spans() {
        let t = "POST /token HTTP/1.1\nHost: a\nDPoP: abc\n def\n\nx=1";
        let l = load_str("r.http", t);
        let d = l.request.dpop.as_ref().unwrap();
        assert_eq!(d.value, "abcdef");
        let s = d.sub_span(3..6);
        assert_eq!(&t[s.offset..s.end()], "def");
        assert!(matches!(
            l.capture.as_ref().unwrap().issues[..],
            [capture::Issue::Syntax { warning: true, .. }]
        ));
    }

    /// The requests of one file share its text: a copy per request made a
    /// file of n requests cost n times its size (issue 13, as item 1 for
    /// HAR).
    #[test]
    fn the_requests_of_a_file_share_its_text() {
        let one = "POST /token HTTP/1.1\nHost: a\n\ngrant_type=client_credentials\n";
        let text = [one; 3].join("\n###\n\n");
        let all = load_all("r.http", text.into_bytes(), usize::MAX);
        assert_eq!(all.len(), 3);
        let first = &all[0].source.text;
        assert!(all.iter().all(|l| l.source.text.ptr_eq(first)));
        assert_eq!(all[2].source.name, "r.http#3");
    }

    /// A header folded over several lines: one warning for the header (not
    /// one per line), the pieces joined with each byte's span kept, and the
    /// next header read as usual.
    #[test]
    fn a_header_folded_over_many_lines_is_joined_once() {
        let t = "POST /token HTTP/1.1\nHost: a\nDPoP: ab\n cd\n\tef\n  gh\nX-Next: 1\n z\n\nx=1";
        let l = load_str("r.http", t);
        let d = l.request.dpop.as_ref().unwrap();
        assert_eq!(d.value, "abcdefgh");
        for (range, raw) in [
            (2..4, "cd"),
            (4..6, "ef"),
            (6..8, "gh"),
            (1..7, "b\n cd\n\tef\n  g"),
        ] {
            let s = d.sub_span(range);
            assert_eq!(&t[s.offset..s.end()], raw);
        }
        let c = l.capture.as_ref().unwrap();
        assert_eq!(c.headers[2].value.value, "1z");
        let warnings: Vec<_> = c
            .issues
            .iter()
            .filter_map(|i| match i {
                capture::Issue::Syntax {
                    span,
                    warning: true,
                    ..
                } => Some(&t[span.offset..span.end()]),
                _ => None,
            })
            .collect();
        assert_eq!(warnings, [" cd", " z"]);
    }

    #[test]
    fn header_name_after_leading_whitespace_keeps_its_span() {
        // Found by fuzzing: a header line starting with CR or U+3000 (not a
        // fold) put the trimmed name's span on the whitespace.
        for t in [
            "POST /t HTTP/1.1\n\r\rX-é: 1\n\nx=1",
            "POST /t HTTP/1.1\n\u{3000}X-é: 1\n\nx=1",
        ] {
            let l = load_str("r.http", t);
            let h = &l.capture.as_ref().unwrap().headers[0];
            assert_eq!(h.name.value, "X-é");
            assert_eq!(&t[h.name.span.offset..h.name.span.end()], "X-é");
        }
    }

    /// A body over the bound keeps only its span, and lints as the copied
    /// one does: one `input/field-too-large` at its first byte, the Basic
    /// credentials masked.
    #[test]
    fn a_body_over_the_bound_is_not_copied() {
        use crate::lint::{lint, Settings};
        let body = format!("grant_type=client_credentials&scope={}", "a".repeat(300));
        let t = format!("POST /token HTTP/1.1\r\nHost: a\r\nAuthorization: Basic czZCaGRSa3F0Mzo3RmpmcDBaQnIxS3REUmJuZlZkbUl3\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\n{body}");
        let l = load_owned("r.http", t.clone().into_bytes(), 256);
        assert!(l.issues.is_empty(), "{:?}", l.issues);
        assert_eq!(l.source.text, t);
        let p = l.request.parameters.as_ref().unwrap();
        assert!(p.is_elided() && p.value.is_empty());
        assert_eq!(&t[p.span.offset..p.span.end()], body);
        assert!(l.capture.as_ref().unwrap().has_body);
        assert_eq!(l.request.client_id.as_ref().unwrap().value, "s6BhdRkqt3");
        // Under the bound, the body is kept.
        let kept = load_owned("r.http", t.clone().into_bytes(), 4096);
        assert_eq!(kept.request.parameters.as_ref().unwrap().value, body);

        let mut s = Settings::with_now(1767225600);
        s.limits.field = 256;
        let copied = load_str("r.http", &t);
        let (a, b) = (lint(&l, &s), lint(&copied, &s));
        let summary = |r: &crate::lint::FileReport| -> Vec<_> {
            r.findings
                .iter()
                .map(|f| (f.rule.id, f.labels[0].span, f.message.clone()))
                .collect()
        };
        assert_eq!(summary(&a), summary(&b));
        assert_eq!(a.findings[0].rule.id, "input/field-too-large");
        assert_eq!(a.findings[0].labels[0].span, Span::new(p.span.offset, 1));
        let masked = l.source.masked_text(&a.secrets).to_string();
        assert!(!masked.contains("czZCaGRSa3F0Mzo3"), "{masked}");
        assert_eq!(masked, copied.source.masked_text(&b.secrets).to_string());

        // Invalid UTF-8 goes the lossy way, as with `load_bytes`.
        let l = load_owned("r.http", b"POST /t HTTP/1.1\n\na=\xff".to_vec(), 256);
        assert!(matches!(
            l.issues[0],
            crate::request::LoadIssue::InvalidUtf8 { byte: 0xFF, .. }
        ));
        assert_eq!(l.request.parameters.unwrap().value, "a=\u{fffd}");
    }

    #[test]
    fn garbage_is_a_syntax_issue_not_a_panic() {
        for t in [
            "",
            "\n\n",
            "{}",
            "POST",
            "é é é\n",
            "GET / HTTP/1.1\nContent-Length: 99\n\nab",
        ] {
            let l = load_str("x", t);
            assert!(l.capture.is_some());
        }
    }
}
