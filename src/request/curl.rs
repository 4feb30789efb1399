//! Loads a curl command line (`--curl 'curl …'`, or a `.curl` file), as a
//! browser's "Copy as cURL (bash)" or an API doc writes it. The words are
//! split as a POSIX shell would (quotes, `$'…'`, backslashes, line
//! continuations) and every byte of every word keeps its place in the text.

use super::capture::{self, CaptureKind, Header, Parts};
use super::Loaded;
use crate::source::Source;
use crate::span::{Span, Text};

/// The source name of a command given with `--curl`.
pub const FLAG_SOURCE_NAME: &str = "<--curl>";

/// One shell word: its bytes and, for each, where it came from.
#[derive(Debug, Clone)]
struct Word {
    bytes: Vec<u8>,
    spans: Vec<Span>,
    start: usize,
}

impl Word {
    fn text(&self) -> Text {
        if let Ok(value) = std::str::from_utf8(&self.bytes) {
            return capture::from_byte_spans(value.to_owned(), &self.spans, self.whole());
        }
        if self.spans.len() != self.bytes.len() {
            let value = String::from_utf8_lossy(&self.bytes).into_owned();
            return capture::from_byte_spans(value, &[], self.whole());
        }
        // Invalid UTF-8 (a `$'\xff'`): each U+FFFD that replaces a bad
        // sequence maps to the bytes of that sequence.
        let (value, spans) = capture::lossy_with_spans(&self.bytes, &self.spans);
        capture::from_byte_spans(value, &spans, self.whole())
    }

    fn whole(&self) -> Span {
        match (self.spans.first(), self.spans.last()) {
            (Some(a), Some(b)) => a.cover(*b),
            _ => Span::new(self.start, 0),
        }
    }

    /// A word that starts at `start` and has no bytes yet (`''` is a word).
    fn empty(start: usize) -> Word {
        Word {
            bytes: Vec::new(),
            spans: Vec::new(),
            start,
        }
    }

    fn str(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.bytes)
    }
}

/// A value curl implies rather than the command writes (the method, the
/// `Content-Type`): every byte maps to the whole word it stands for, so no
/// span runs past that word.
fn synthetic(value: &str, at: Span) -> Text {
    capture::from_byte_spans(value.to_owned(), &vec![at; value.len()], at)
}

/// `prefix` + `t`: the prefix (which the command does not write) maps to
/// an empty span where `t` starts, the rest to `t`'s own bytes.
fn prefixed(prefix: &str, t: &Text) -> Text {
    let mut spans = vec![Span::new(t.span.offset, 0); prefix.len()];
    spans.extend((0..t.value.len()).map(|j| t.sub_span(j..j + 1)));
    capture::from_byte_spans(format!("{prefix}{}", t.value), &spans, t.span)
}

/// Splits a command into words. Problems (an unclosed quote) go to `p`.
fn words(text: &str, p: &mut Parts) -> Vec<Word> {
    let mut sp = Splitter {
        b: text.as_bytes(),
        i: 0,
        cur: None,
        out: Vec::new(),
    };
    while let Some(&c) = sp.b.get(sp.i) {
        match c {
            b' ' | b'\t' | b'\r' | b'\n' => {
                sp.end_word();
                sp.i += 1;
            }
            // A comment to the end of the line.
            b'#' if sp.cur.is_none() => sp.skip_to_line_end(),
            b'\\' => sp.backslash(),
            b'\'' => sp.single_quoted(p),
            b'$' if sp.b.get(sp.i + 1) == Some(&b'\'') => sp.ansi_quoted(p),
            b'"' => sp.double_quoted(p),
            _ => {
                sp.push(sp.i, c, Span::new(sp.i, 1));
                sp.i += 1;
            }
        }
    }
    sp.end_word();
    sp.out
}

/// The shell's word splitting, one byte (or quoted run) at a time.
struct Splitter<'t> {
    b: &'t [u8],
    /// The next byte to read.
    i: usize,
    /// The word being read.
    cur: Option<Word>,
    out: Vec<Word>,
}

impl Splitter<'_> {
    /// Adds a byte to the current word (which starts at `start` if new).
    fn push(&mut self, start: usize, byte: u8, span: Span) {
        let w = self.cur.get_or_insert_with(|| Word::empty(start));
        w.bytes.push(byte);
        w.spans.push(span);
    }

    fn end_word(&mut self) {
        if let Some(w) = self.cur.take() {
            self.out.push(w);
        }
    }

    fn skip_to_line_end(&mut self) {
        while self.i < self.b.len() && self.b[self.i] != b'\n' {
            self.i += 1;
        }
    }

    /// `\x` outside quotes: the byte itself, or a line continuation.
    fn backslash(&mut self) {
        let (i, b) = (self.i, self.b);
        match b.get(i + 1) {
            Some(b'\n') => self.i += 2,
            Some(b'\r') if b.get(i + 2) == Some(&b'\n') => self.i += 3,
            Some(&n) => {
                self.push(i, n, Span::new(i + 1, 1));
                self.i += 2;
            }
            None => self.i += 1,
        }
    }

    /// Starts a quoted run: even `''` makes a word. Returns where it opens.
    fn open_quote(&mut self) -> usize {
        let open = self.i;
        self.cur.get_or_insert_with(|| Word::empty(open));
        open
    }

    /// Steps past the closing quote, or reports that there is none.
    fn close_quote(&mut self, open: usize, len: usize, p: &mut Parts, message: &str) {
        if self.i >= self.b.len() {
            p.syntax(Span::new(open, len), message, false);
        }
        self.i += 1;
    }

    /// `'…'`: every byte as is.
    fn single_quoted(&mut self, p: &mut Parts) {
        let open = self.open_quote();
        self.i += 1;
        while self.i < self.b.len() && self.b[self.i] != b'\'' {
            self.push(open, self.b[self.i], Span::new(self.i, 1));
            self.i += 1;
        }
        self.close_quote(open, 1, p, "this `'` is never closed");
    }

    /// `$'…'`: backslash escapes as in C.
    fn ansi_quoted(&mut self, p: &mut Parts) {
        let open = self.open_quote();
        self.i += 2;
        while self.i < self.b.len() && self.b[self.i] != b'\'' {
            let i = self.i;
            if self.b[i] == b'\\' && i + 1 < self.b.len() {
                let (bytes, used) = ansi_escape(&self.b[i + 1..]);
                for byte in bytes {
                    self.push(open, byte, Span::new(i, 1 + used));
                }
                self.i += 1 + used;
            } else {
                self.push(open, self.b[i], Span::new(i, 1));
                self.i += 1;
            }
        }
        self.close_quote(open, 2, p, "this `$'` is never closed");
    }

    /// `"…"`: a backslash escapes only `"`, `\\`, `$`, `` ` `` and a newline.
    fn double_quoted(&mut self, p: &mut Parts) {
        let open = self.open_quote();
        self.i += 1;
        while self.i < self.b.len() && self.b[self.i] != b'"' {
            let (i, b) = (self.i, self.b);
            if b[i] == b'\\' && matches!(b.get(i + 1), Some(b'"' | b'\\' | b'$' | b'`')) {
                self.push(open, b[i + 1], Span::new(i, 2));
                self.i += 2;
            } else if b[i] == b'\\' && b.get(i + 1) == Some(&b'\n') {
                self.i += 2;
            } else {
                self.push(open, b[i], Span::new(i, 1));
                self.i += 1;
            }
        }
        self.close_quote(open, 1, p, "this `\"` is never closed");
    }
}

/// A `$'…'` escape after the backslash: its bytes and how many input bytes it used.
fn ansi_escape(s: &[u8]) -> (Vec<u8>, usize) {
    let hex = |s: &[u8], max: usize| -> (u32, usize) {
        let n = s
            .iter()
            .take(max)
            .take_while(|b| b.is_ascii_hexdigit())
            .count();
        let v = std::str::from_utf8(&s[..n])
            .ok()
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .unwrap_or(0);
        (v, n)
    };
    match s.first() {
        Some(b'n') => (vec![b'\n'], 1),
        Some(b't') => (vec![b'\t'], 1),
        Some(b'r') => (vec![b'\r'], 1),
        Some(b'x') => {
            let (v, n) = hex(&s[1..], 2);
            if n == 0 {
                (b"\\x".to_vec(), 1)
            } else {
                (vec![v as u8], 1 + n)
            }
        }
        Some(&u @ (b'u' | b'U')) => {
            let (v, n) = hex(&s[1..], if u == b'u' { 4 } else { 8 });
            match char::from_u32(v).filter(|_| n > 0) {
                Some(c) => (c.to_string().into_bytes(), 1 + n),
                None => (vec![b'\\', u], 1),
            }
        }
        Some(&c) => (vec![c], 1),
        None => (vec![b'\\'], 0),
    }
}

/// Options that take a value (the ones that matter here, and the common
/// ones whose value must not be taken for the URL).
const WITH_VALUE: &[&str] = &[
    "-X",
    "--request",
    "-H",
    "--header",
    "-d",
    "--data",
    "--data-raw",
    "--data-binary",
    "--data-ascii",
    "--data-urlencode",
    "-u",
    "--user",
    "--url",
    "-F",
    "--form",
    "--form-string",
    "-A",
    "--user-agent",
    "-b",
    "--cookie",
    "-c",
    "--cookie-jar",
    "-e",
    "--referer",
    "-o",
    "--output",
    "--json",
    "-m",
    "--max-time",
    "--connect-timeout",
    "-E",
    "--cert",
    "--key",
    "--cacert",
    "--capath",
    "-x",
    "--proxy",
    "--resolve",
    "-w",
    "--write-out",
    "--oauth2-bearer",
    "-T",
    "--upload-file",
    "--retry",
    "-r",
    "--range",
    "--limit-rate",
    "--max-redirs",
    "--cert-type",
    "--key-type",
    "--pass",
    "-U",
    "--proxy-user",
    "--connect-to",
    "--interface",
    "--ciphers",
    "--tls-max",
];

pub fn load_str(name: &str, text: &str) -> Loaded {
    let source = Source::new(name, text);
    let parts = parse(&source.text);
    capture::build(source, parts)
}

pub fn load_bytes(name: &str, bytes: &[u8]) -> Loaded {
    let (text, issue) = super::decode_lossy(bytes);
    let mut loaded = load_str(name, &text);
    loaded.issues.splice(0..0, issue);
    loaded
}

/// `--data-urlencode` content: `name=value` encodes the value, `=value`
/// and `value` encode it all.
fn urlencode_data(w: &Word) -> Word {
    let (keep, from) = match w.bytes.iter().position(|&b| b == b'=') {
        Some(0) => (0, 1),
        Some(i) => (i + 1, i + 1),
        None => (0, 0),
    };
    let mut out = Word {
        bytes: w.bytes[..keep].to_vec(),
        spans: w.spans[..keep].to_vec(),
        start: w.start,
    };
    for (k, &b) in w.bytes.iter().enumerate().skip(from) {
        let enc: Vec<u8> = if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            vec![b]
        } else {
            format!("%{b:02X}").into_bytes()
        };
        for e in enc {
            out.bytes.push(e);
            out.spans.push(w.spans[k]);
        }
    }
    out
}

/// The longest command split into words. Every byte of a word keeps its
/// span (16 bytes of bookkeeping per byte), so a 50 MB command would take
/// gigabytes; no command a browser copies or a person types comes near this.
pub const MAX_COMMAND_BYTES: usize = 4 << 20;

pub(crate) fn parse(text: &str) -> Parts {
    let mut p = Parts::new(CaptureKind::Curl);
    if text.len() > MAX_COMMAND_BYTES {
        refuse_too_long(text, &mut p);
        return p;
    }
    let ws = command_words(text, &mut p);
    let Some(first) = ws.first() else {
        p.syntax(
            Span::new(0, 0),
            "the command is empty: expected `curl …`",
            false,
        );
        return p;
    };
    if first.str() != "curl" && !first.str().ends_with("/curl") {
        p.syntax(
            first.whole(),
            "not a curl command: it must start with `curl`",
            false,
        );
        return p;
    }
    let options = read_options(&ws[1..], &mut p);
    build_request(&mut p, first, options);
    p
}

/// A command too long to split is reported and not read.
fn refuse_too_long(text: &str, p: &mut Parts) {
    let first = text.find(char::is_whitespace).unwrap_or(text.len());
    let message = format!(
        "the command is {} bytes, over the {} MiB that tokenlint splits into words: \
         it was not checked",
        text.len(),
        MAX_COMMAND_BYTES >> 20
    );
    p.syntax(Span::new(0, first), message, false);
    // Unread, so its secrets were not found: show none of it.
    p.extra_secrets.push(Span::new(first, text.len() - first));
}

/// The command's words. A leading shell prompt (`$ curl …`) is not part of
/// the command.
fn command_words(text: &str, p: &mut Parts) -> Vec<Word> {
    let start = text
        .trim_start()
        .strip_prefix("$ ")
        .map_or(0, |_| text.len() - text.trim_start().len() + 2);
    let before = p.issues.len();
    let mut ws = words(&text[start..], p);
    // `words` saw the text after the prompt: shift what it found.
    for issue in &mut p.issues[before..] {
        if let capture::Issue::Syntax { span, .. } = issue {
            span.offset += start;
        }
    }
    for w in &mut ws {
        w.start += start;
        for s in &mut w.spans {
            s.offset += start;
        }
    }
    ws
}

/// What the options say about the request.
#[derive(Default)]
struct Options {
    /// `-X`.
    method: Option<Word>,
    /// The `-d`, `--data-…` and `--json` pieces, in order.
    data: Vec<Word>,
    url: Option<Word>,
    /// `-G`: the data goes into the query string.
    get: bool,
    /// `-I`.
    head: bool,
    json: bool,
    /// `-F`: a multipart body.
    form: bool,
    /// `-T`.
    upload: bool,
}

/// Reads the words after `curl`: options, their values and the URL.
fn read_options(ws: &[Word], p: &mut Parts) -> Options {
    let mut o = Options::default();
    let mut rest = ws.iter();
    let mut end_of_options = false;
    while let Some(w) = rest.next() {
        let s = w.str().into_owned();
        if end_of_options || !s.starts_with('-') || s == "-" {
            o.positional(w, p);
            continue;
        }
        if s == "--" {
            end_of_options = true;
            continue;
        }
        let Some((opt, attached)) = split_option(w, &s, &mut o) else {
            continue;
        };
        let value = if WITH_VALUE.contains(&opt.as_str()) {
            let value = attached.or_else(|| rest.next().cloned());
            if value.is_none() {
                p.syntax(w.whole(), format!("`{opt}` needs a value"), false);
            }
            value
        } else {
            None
        };
        o.apply(&opt, value, p);
    }
    o
}

/// An option and the value attached to it (`-XPOST`). Combined short
/// flags (`-sSL`) take no value: the ones that matter are read here, and
/// there is no option to apply.
fn split_option(w: &Word, s: &str, o: &mut Options) -> Option<(String, Option<Word>)> {
    if s.starts_with("--") || s.len() <= 2 || !s.is_char_boundary(2) {
        return Some((s.to_owned(), None));
    }
    let short = &s[..2];
    if WITH_VALUE.contains(&short) {
        let mut v = w.clone();
        v.bytes.drain(..2);
        v.spans.drain(..2);
        return Some((short.to_owned(), Some(v)));
    }
    let flags = &s[1..];
    o.get |= flags.contains('G');
    o.head |= flags.contains('I');
    None
}

impl Options {
    /// A word that is not an option: the URL, the first time.
    fn positional(&mut self, w: &Word, p: &mut Parts) {
        if self.url.is_none() {
            self.url = Some(w.clone());
        } else {
            p.syntax(
                w.whole(),
                "a second URL: tokenlint reads the first request only",
                true,
            );
        }
    }

    fn apply(&mut self, opt: &str, value: Option<Word>, p: &mut Parts) {
        match (opt, value) {
            ("-X" | "--request", Some(v)) => self.method = Some(v),
            ("-H" | "--header", Some(v)) => header(&v, p),
            ("-d" | "--data" | "--data-raw" | "--data-binary" | "--data-ascii", Some(v)) => {
                if v.bytes.first() == Some(&b'@') && opt != "--data-raw" {
                    p.syntax(v.whole(), DATA_FROM_FILE, false);
                }
                self.data.push(v);
            }
            ("--data-urlencode", Some(v)) => self.data.push(urlencode_data(&v)),
            ("--json", Some(v)) => {
                self.json = true;
                self.data.push(v);
            }
            ("-F" | "--form" | "--form-string", Some(v)) => {
                self.form = true;
                form_field(&v, p);
            }
            // Credentials curl sends or uses besides `-u`: never shown.
            ("-b" | "--cookie" | "--pass" | "-U" | "--proxy-user", Some(v)) => {
                p.extra_secrets.push(v.whole())
            }
            // `--cert file:password`: the password.
            ("-E" | "--cert", Some(v)) => {
                let t = v.text();
                if let Some(c) = t.value.find(':') {
                    p.extra_secrets.push(t.sub_span(c + 1..t.value.len()));
                }
            }
            ("-u" | "--user", Some(v)) => p.user = Some(v.text()),
            ("--url", Some(v)) => self.url = Some(v),
            ("--oauth2-bearer", Some(v)) => p.headers.push(Header {
                name: synthetic("Authorization", v.whole()),
                value: prefixed("Bearer ", &v.text()),
            }),
            ("-T" | "--upload-file", Some(_)) => self.upload = true,
            ("-G" | "--get", _) => self.get = true,
            ("-I" | "--head", _) => self.head = true,
            _ => {}
        }
    }

    /// The method curl uses without `-X`: -I, -G, -T, then POST with data.
    fn implied_method(&self) -> &'static str {
        if self.head {
            "HEAD"
        } else if self.get {
            "GET"
        } else if self.upload {
            "PUT"
        } else if !self.data.is_empty() || self.form {
            "POST"
        } else {
            "GET"
        }
    }

    /// The content type curl sends with a body, unless a `-H` sets one.
    fn content_type(&self, p: &Parts) -> Option<&'static str> {
        let has_ct = p
            .headers
            .iter()
            .any(|h| h.name.value.eq_ignore_ascii_case("content-type"));
        if has_ct || (p.body.is_none() && !self.form) {
            None
        } else if self.json {
            Some("application/json")
        } else if self.form {
            Some("multipart/form-data")
        } else {
            Some("application/x-www-form-urlencoded")
        }
    }
}

const DATA_FROM_FILE: &str =
    "the body is read from a file tokenlint cannot see: paste the body inline with --data-raw";

const HEADER_WITHOUT_COLON: &str =
    "a header without `:` (curl sends `Name;` as an empty header, anything else is dropped)";

/// `-F 'name=value'`: a multipart field tokenlint does not read, whose
/// value is masked when the name says it is a secret.
fn form_field(v: &Word, p: &mut Parts) {
    let t = v.text();
    if let Some(eq) = t.value.find('=') {
        let name = &t.value[..eq];
        let value = &t.value[eq + 1..];
        if crate::secrets::param(name).is_masked()
            || crate::secrets::looks_like_jws(value)
            || crate::secrets::holds_private_key(value)
        {
            p.extra_secrets.push(t.sub_span(eq + 1..t.value.len()));
        }
    }
}

/// `-H 'Name: value'`.
fn header(v: &Word, p: &mut Parts) {
    let t = v.text();
    let Some(c) = t.value.find(':') else {
        p.syntax(v.whole(), HEADER_WITHOUT_COLON, true);
        // `-H 'Authorization Bearer …'`: mask what may be a credential.
        if let Some(s) = super::http::unread_header(&t.value, 0) {
            let r = s.offset..s.end();
            p.extra_secrets.push(t.sub_span(r));
        }
        return;
    };
    let name = capture::sub_text(&t, 0..c);
    let raw = &t.value[c + 1..];
    let lead = raw.len() - raw.trim_start().len();
    let vs = c + 1 + lead;
    let ve = (c + 1 + raw.trim_end().len()).max(vs);
    p.headers.push(Header {
        name: capture::sub_text(&name, 0..name.value.trim_end().len()),
        value: capture::sub_text(&t, vs..ve),
    });
}

/// The request curl sends: method, URL, body and content type.
fn build_request(p: &mut Parts, first: &Word, o: Options) {
    let Some(url) = &o.url else {
        p.syntax(first.whole(), "the command has no URL", false);
        return;
    };
    let mut target = url.text();
    if !target.value.contains("://") {
        // curl's default scheme.
        target = prefixed("http://", &target);
    }
    p.method = Some(match &o.method {
        Some(m) => m.text(),
        None => synthetic(o.implied_method(), first.whole()),
    });
    if !o.data.is_empty() {
        let body = join_data(&o.data, url.start).text();
        if o.get {
            target = data_into_query(&target, &body);
        } else {
            p.body = Some(body);
        }
    }
    if let Some(ct) = o.content_type(p) {
        p.headers.push(Header {
            name: synthetic("Content-Type", first.whole()),
            value: synthetic(ct, first.whole()),
        });
    }
    if o.form && p.body.is_none() {
        // multipart bodies are not token requests; say so via the content type.
        p.body = Some(Text::verbatim("", url.whole().end()));
    }
    p.target = Some(target);
}

/// The body: the data pieces joined with `&`.
fn join_data(data: &[Word], start: usize) -> Word {
    let mut body = Word::empty(start);
    for (k, d) in data.iter().enumerate() {
        if k > 0 {
            body.bytes.push(b'&');
            let at = d.spans.first().map_or(d.start, |s| s.offset);
            body.spans.push(Span::new(at, 0));
        }
        body.bytes.extend_from_slice(&d.bytes);
        body.spans.extend_from_slice(&d.spans);
    }
    body
}

/// `-G` moves the data into the query string.
fn data_into_query(target: &Text, body: &Text) -> Text {
    let sep = if target.value.contains('?') { "&" } else { "?" };
    let mut spans: Vec<Span> = (0..target.value.len())
        .map(|j| target.sub_span(j..j + 1))
        .collect();
    // The data usually comes before the URL: its bytes then map to the
    // URL's end (spans must not go backwards).
    let url_end = spans
        .iter()
        .map(Span::end)
        .max()
        .unwrap_or(target.span.end());
    let at = |s: Span| {
        if s.offset >= url_end {
            s
        } else {
            Span::new(url_end, 0)
        }
    };
    spans.push(at(Span::new(body.span.offset, 0)));
    spans.extend((0..body.value.len()).map(|j| at(body.sub_span(j..j + 1))));
    let joined = format!("{}{sep}{}", target.value, body.value);
    capture::from_byte_spans(joined, &spans, target.span)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browser_style_command() {
        let cmd = "curl 'https://as.example.com/token' \\\n  -H 'content-type: application/x-www-form-urlencoded' \\\n  -H $'DPoP: abc' \\\n  --data-raw 'grant_type=refresh_token&refresh_token=tGzv3JOkF0XG5Qx2TlKWIA'";
        let l = load_str("c.curl", cmd);
        assert!(l.issues.is_empty(), "{:?}", l.issues);
        let r = &l.request;
        assert_eq!(r.htm.as_ref().unwrap().value, "POST");
        assert_eq!(
            r.htu.as_ref().unwrap().value,
            "https://as.example.com/token"
        );
        assert_eq!(r.dpop.as_ref().unwrap().value, "abc");
        let p = r.parameters.as_ref().unwrap();
        assert_eq!(&cmd[p.span.offset..p.span.end()], p.value);
    }

    #[test]
    fn several_data_flags_join_and_user_is_basic() {
        let cmd = "curl -u 's6BhdRkqt3:7Fjfp0ZBr1KtDRbnfVdmIw' -d grant_type=client_credentials -d \"scope=a\" https://as.example.com/token";
        let l = load_str("c.curl", cmd);
        let r = &l.request;
        assert_eq!(
            r.parameters.as_ref().unwrap().value,
            "grant_type=client_credentials&scope=a"
        );
        let s = r.parameters.as_ref().unwrap().sub_span(30..37);
        assert_eq!(&cmd[s.offset..s.end()], "scope=a");
        assert_eq!(r.client_id.as_ref().unwrap().value, "s6BhdRkqt3");
        assert!(!l
            .source
            .masked_text(&l.secrets)
            .contains("7Fjfp0ZBr1KtDRbnfVdmIw"));
    }

    /// Every character of `t` maps into `src` on character boundaries.
    fn fits(src: &str, t: &Text) {
        for (i, c) in t.value.char_indices() {
            let s = t.sub_span(i..i + c.len_utf8());
            assert!(
                src.get(s.offset..s.end()).is_some(),
                "{c:?} of {:?}: {s:?}",
                t.value
            );
        }
    }

    #[test]
    fn implied_and_prefixed_values_stay_inside_the_command() {
        // Found by fuzzing: the implied `Content-Type` took the span of
        // `curl` and its characters' spans ran on into the command (here
        // into the `é`, and past the end); `--oauth2-bearer` and a URL with
        // no scheme did the same with their prefixes.
        for cmd in [
            "curl -d é x",
            "curl -d a b",
            "curl --oauth2-bearer é x",
            "curl -d a=1 a\\é/t",
            "curl -d a=1 a/\\x",
        ] {
            let l = load_str("c", cmd);
            let c = l.capture.as_ref().unwrap();
            for h in &c.headers {
                fits(cmd, &h.name);
                fits(cmd, &h.value);
            }
            for t in [&c.method, &c.url].into_iter().flatten() {
                fits(cmd, t);
            }
        }
        let cmd = "curl -d a=1 a/\\x";
        let url = load_str("c", cmd).capture.unwrap().url.unwrap();
        assert_eq!(url.value, "http://a/x");
        let s = url.sub_span(9..10);
        assert_eq!(&cmd[s.offset..s.end()], "x");
    }

    #[test]
    fn invalid_utf8_from_an_escape_keeps_byte_spans() {
        // `$'\xffé'` is U+FFFD (for 4 bytes of escape) then `é`: each maps
        // to its own bytes (the `é` used to get a span splitting it).
        let cmd = "curl -H $'X: \\xffé' x";
        let l = load_str("c", cmd);
        let h = &l.capture.as_ref().unwrap().headers[0];
        assert_eq!(h.value.value, "\u{fffd}é");
        let s = h.value.sub_span(0..3);
        assert_eq!(&cmd[s.offset..s.end()], "\\xff");
        let s = h.value.sub_span(3..5);
        assert_eq!(&cmd[s.offset..s.end()], "é");
    }

    #[test]
    fn unclosed_quote_after_a_prompt_points_at_the_quote() {
        // Found by fuzzing: with a `$ ` prompt the span was 2 bytes early.
        let cmd = "$ curl -d é 'x";
        let l = load_str("c", cmd);
        let c = l.capture.as_ref().unwrap();
        let Some(capture::Issue::Syntax { span, .. }) = c.issues.first() else {
            panic!("{:?}", c.issues);
        };
        assert_eq!(&cmd[span.offset..span.end()], "'");
    }

    #[test]
    fn garbage_does_not_panic() {
        for t in [
            "",
            "curl",
            "curl -X",
            "wget x",
            "curl 'x",
            "curl $'\\u12",
            "curl -G -d a=1 x",
            "curl -d@f x",
            "$ curl x -F a=b",
        ] {
            let _ = load_str("c", t);
        }
    }
}
