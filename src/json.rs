//! A strict RFC 8259 JSON parser that keeps the byte span of every value,
//! key and string, so diagnostics can underline a member of a fixture.
//!
//! serde_json validates but forgets positions; this parser is small, rejects
//! what RFC 8259 rejects (comments, trailing commas, lone surrogates, control
//! characters in strings), bounds nesting depth, and records duplicate keys
//! instead of silently keeping the last one.

use crate::span::{OffsetMap, Span, Text};

/// Nesting deeper than this is refused rather than risking the stack.
pub const MAX_DEPTH: usize = 128;

#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    Null,
    Bool(bool),
    /// The number as written; JSON numbers have no fixed width.
    Number(String),
    String(Text),
    Array(Vec<Value>),
    Object(Vec<Member>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Value {
    pub node: Node,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    pub key: Text,
    /// The key including its quotes.
    pub key_span: Span,
    pub value: Value,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    pub message: String,
    /// Absolute byte offset of the problem.
    pub offset: usize,
}

impl Value {
    pub fn kind(&self) -> &'static str {
        match self.node {
            Node::Null => "null",
            Node::Bool(_) => "a boolean",
            Node::Number(_) => "a number",
            Node::String(_) => "a string",
            Node::Array(_) => "an array",
            Node::Object(_) => "an object",
        }
    }

    pub fn as_str(&self) -> Option<&Text> {
        match &self.node {
            Node::String(t) => Some(t),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.node {
            Node::Bool(b) => Some(b),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&[Member]> {
        match &self.node {
            Node::Object(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Value]> {
        match &self.node {
            Node::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The number as an i64, when it is an integer that fits.
    pub fn as_i64(&self) -> Option<i64> {
        match &self.node {
            Node::Number(n) => n.parse::<i64>().ok(),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match &self.node {
            Node::Number(n) => n.parse::<f64>().ok(),
            _ => None,
        }
    }

    /// The member with this key; when the key appears more than once, the
    /// last one: what Jackson, `JSON.parse` and serde keep, and what RFC 7515
    /// §4 and RFC 7519 §4 allow a parser that does not reject duplicates to
    /// use. Every rule reads members through here, so the value a rule checks
    /// is the one a duplicate-member finding points at as "again here".
    pub fn get(&self, key: &str) -> Option<&Member> {
        self.as_object()?.iter().rev().find(|m| m.key.value == key)
    }

    /// The same value as a serde_json value (for code that needs no spans).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.node {
            Node::Null => J::Null,
            Node::Bool(b) => J::Bool(*b),
            Node::Number(n) => serde_json::from_str(n).unwrap_or(J::Null),
            Node::String(t) => J::String(t.value.clone()),
            Node::Array(a) => J::Array(a.iter().map(Value::to_json).collect()),
            Node::Object(m) => J::Object(
                m.iter()
                    .map(|m| (m.key.value.clone(), m.value.to_json()))
                    .collect(),
            ),
        }
    }
}

/// Parses `text` as one JSON document. Offsets in the result are `base` plus
/// the position in `text`, so a JSON value embedded in a larger source (a
/// flag on the rendered command line) gets spans into that source.
pub fn parse(text: &str, base: usize) -> Result<Value, Error> {
    parse_bounded(text, base, usize::MAX)
}

/// [`parse`], except that a string value whose raw form (between the quotes)
/// is longer than `max_string` bytes is checked as usual but not copied: it
/// becomes a [`Text::elided`] with only its span. A loader passes the field
/// size limit, so a 50 MB field is held once (in the source), not twice.
/// Object keys are always kept.
pub fn parse_bounded(text: &str, base: usize, max_string: usize) -> Result<Value, Error> {
    let mut p = Parser {
        s: text.as_bytes(),
        text,
        i: 0,
        base,
        max_string,
        build: true,
    };
    if text.starts_with('\u{feff}') {
        p.i = 3;
    }
    p.ws();
    if p.i >= p.s.len() {
        return Err(p.err("the input is empty; expected a JSON value"));
    }
    let v = p.value(0)?;
    p.ws();
    if p.i < p.s.len() {
        return Err(p.err("unexpected content after the JSON value"));
    }
    Ok(v)
}

struct Parser<'a> {
    s: &'a [u8],
    text: &'a str,
    i: usize,
    base: usize,
    /// String values with a longer raw form are elided.
    max_string: usize,
    /// Build the tree; without, only check (see [`validate`]): nothing is
    /// allocated, whatever the size of the document.
    build: bool,
}

impl Parser<'_> {
    fn err(&self, message: impl Into<String>) -> Error {
        Error {
            message: message.into(),
            offset: self.base + self.i.min(self.s.len()),
        }
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.s.get(self.i) {
            self.i += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn span_from(&self, start: usize) -> Span {
        Span::new(self.base + start, self.i - start)
    }

    fn value(&mut self, depth: usize) -> Result<Value, Error> {
        if depth > MAX_DEPTH {
            return Err(self.err(format!("nesting is deeper than {MAX_DEPTH} levels")));
        }
        let start = self.i;
        let node = match self.peek() {
            Some(b'{') => self.object(depth)?,
            Some(b'[') => self.array(depth)?,
            Some(b'"') => Node::String(self.string(true)?),
            Some(b't') => self.literal("true", Node::Bool(true))?,
            Some(b'f') => self.literal("false", Node::Bool(false))?,
            Some(b'n') => self.literal("null", Node::Null)?,
            Some(b'-' | b'0'..=b'9') => self.number()?,
            Some(b'\'') => return Err(self.err("strings must use double quotes")),
            Some(_) => {
                let c = self.text[self.i..].chars().next().unwrap_or('?');
                return Err(self.err(format!("expected a JSON value, found {c:?}")));
            }
            None => return Err(self.err("unexpected end of input; expected a JSON value")),
        };
        Ok(Value {
            node,
            span: self.span_from(start),
        })
    }

    fn literal(&mut self, word: &str, node: Node) -> Result<Node, Error> {
        if self.s[self.i..].starts_with(word.as_bytes()) {
            self.i += word.len();
            Ok(node)
        } else {
            Err(self.err(format!("expected `{word}`")))
        }
    }

    fn number(&mut self) -> Result<Node, Error> {
        let start = self.i;
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        match self.peek() {
            Some(b'0') => {
                self.i += 1;
                if matches!(self.peek(), Some(b'0'..=b'9')) {
                    return Err(self.err("numbers must not have leading zeros"));
                }
            }
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.err("expected a digit")),
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.err("expected a digit after the decimal point"));
            }
            self.digits();
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.err("expected a digit in the exponent"));
            }
            self.digits();
        }
        if !self.build {
            return Ok(Node::Null);
        }
        Ok(Node::Number(self.text[start..self.i].to_owned()))
    }

    fn digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.i += 1;
        }
    }

    fn hex4(&mut self) -> Result<u32, Error> {
        let h = self
            .s
            .get(self.i..self.i + 4)
            .filter(|h| h.iter().all(u8::is_ascii_hexdigit))
            .ok_or_else(|| self.err("expected four hex digits after \\u"))?;
        let v = u32::from_str_radix(std::str::from_utf8(h).unwrap_or("0"), 16).unwrap_or(0);
        self.i += 4;
        Ok(v)
    }

    /// Where the string whose content starts at `self.i` ends (its closing
    /// quote, or the end of the input), by a quick scan that only skips
    /// escapes: the full scan in [`Parser::string`] validates.
    fn string_end(&self) -> usize {
        let mut j = self.i;
        while let Some(&b) = self.s.get(j) {
            match b {
                b'"' => return j,
                b'\\' => j += 2,
                _ => j += 1,
            }
        }
        self.s.len()
    }

    /// A string literal; `self.i` is on the opening quote. With `may_elide`,
    /// one longer than `max_string` is validated but not copied.
    fn string(&mut self, may_elide: bool) -> Result<Text, Error> {
        self.i += 1;
        let content_start = self.i;
        // Only a string that could be over the bound is measured first.
        let keep = self.build
            && (!may_elide
                || self.s.len() - self.i <= self.max_string
                || self.string_end() - self.i <= self.max_string);
        let mut out = String::new();
        let mut map = OffsetMap::default();
        let mut run_start = self.i;
        loop {
            let Some(b) = self.peek() else {
                return Err(self.err("unterminated string"));
            };
            match b {
                b'"' => break,
                b'\\' => {
                    if keep {
                        out.push_str(&self.text[run_start..self.i]);
                    }
                    let esc_start = self.i;
                    self.i += 1;
                    let dec_start = out.len();
                    let c = self.escape()?;
                    self.i += 1;
                    if keep {
                        out.push(c);
                        map.push(
                            dec_start,
                            c.len_utf8(),
                            esc_start - content_start,
                            self.i - esc_start,
                        );
                    }
                    run_start = self.i;
                }
                0..=0x1f => {
                    return Err(self
                        .err("control character in a string (newlines and tabs must be escaped)"))
                }
                _ => self.i += 1,
            }
        }
        let span = Span::new(self.base + content_start, self.i - content_start);
        self.i += 1; // closing quote
        if !keep {
            return Ok(Text::elided(span));
        }
        out.push_str(&self.text[run_start..self.i - 1]);
        Ok(Text {
            value: out,
            span,
            map,
        })
    }

    /// The character of the escape after a backslash; `self.i` is on the
    /// escape letter and stays on its last byte.
    fn escape(&mut self) -> Result<char, Error> {
        Ok(match self.peek() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.i += 1;
                let cp = self.unicode_escape()?;
                self.i -= 1; // the caller's `+= 1` steps past the last hex digit
                char::from_u32(cp).unwrap_or('\u{fffd}')
            }
            _ => return Err(self.err("invalid escape sequence")),
        })
    }

    /// The code point of `XXXX` after `\u`, joining a UTF-16 surrogate pair
    /// (RFC 8259 §7); a lone surrogate is an error.
    fn unicode_escape(&mut self) -> Result<u32, Error> {
        let hi = self.hex4()?;
        if (0xDC00..0xE000).contains(&hi) {
            return Err(self.err("lone UTF-16 surrogate in \\u escape"));
        }
        if !(0xD800..0xDC00).contains(&hi) {
            return Ok(hi);
        }
        if !self.s[self.i..].starts_with(b"\\u") {
            return Err(self.err("lone UTF-16 surrogate in \\u escape"));
        }
        self.i += 2;
        let lo = self.hex4()?;
        if !(0xDC00..0xE000).contains(&lo) {
            return Err(self.err("invalid UTF-16 surrogate pair"));
        }
        Ok(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))
    }

    fn array(&mut self, depth: usize) -> Result<Node, Error> {
        self.i += 1;
        let mut items = Vec::new();
        self.ws();
        if self.peek() == Some(b']') {
            self.i += 1;
            return Ok(Node::Array(items));
        }
        loop {
            self.ws();
            let item = self.value(depth + 1)?;
            if self.build {
                items.push(item);
            }
            self.ws();
            match self.peek() {
                Some(b',') => {
                    self.i += 1;
                    self.ws();
                    if self.peek() == Some(b']') {
                        return Err(self.err("trailing comma before `]`"));
                    }
                }
                Some(b']') => {
                    self.i += 1;
                    return Ok(Node::Array(items));
                }
                None => return Err(self.err("unexpected end of input; expected `,` or `]`")),
                _ => return Err(self.err("expected `,` or `]`")),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Node, Error> {
        self.i += 1;
        let mut members = Vec::new();
        self.ws();
        if self.peek() == Some(b'}') {
            self.i += 1;
            return Ok(Node::Object(members));
        }
        loop {
            self.ws();
            match self.peek() {
                Some(b'"') => {}
                None => return Err(self.err("unexpected end of input; expected a key")),
                _ => return Err(self.err("expected a double-quoted key")),
            }
            let key_start = self.i;
            let key = self.string(false)?;
            let key_span = self.span_from(key_start);
            self.ws();
            if self.peek() != Some(b':') {
                return Err(self.err("expected `:` after the key"));
            }
            self.i += 1;
            self.ws();
            let value = self.value(depth + 1)?;
            if self.build {
                members.push(Member {
                    key,
                    key_span,
                    value,
                });
            }
            self.ws();
            match self.peek() {
                Some(b',') => {
                    self.i += 1;
                    self.ws();
                    if self.peek() == Some(b'}') {
                        return Err(self.err("trailing comma before `}`"));
                    }
                }
                Some(b'}') => {
                    self.i += 1;
                    return Ok(Node::Object(members));
                }
                None => return Err(self.err("unexpected end of input; expected `,` or `}`")),
                _ => return Err(self.err("expected `,` or `}`")),
            }
        }
    }
}

// ------------------------------------------------------------ read in place

/// Checks that `text` is one JSON document, as [`parse`] does (the same
/// errors at the same offsets), without building anything, and returns its
/// value to read in place: a large document costs no memory beyond its
/// text, and only what a reader asks for is decoded.
pub fn validate(text: &str, base: usize) -> Result<Raw<'_>, Error> {
    let mut p = Parser {
        s: text.as_bytes(),
        text,
        i: 0,
        base,
        max_string: 0,
        build: false,
    };
    if text.starts_with('\u{feff}') {
        p.i = 3;
    }
    p.ws();
    if p.i >= p.s.len() {
        return Err(p.err("the input is empty; expected a JSON value"));
    }
    let start = p.i;
    p.value(0)?;
    let end = p.i;
    p.ws();
    if p.i < p.s.len() {
        return Err(p.err("unexpected content after the JSON value"));
    }
    Ok(Raw {
        text,
        base,
        start,
        end,
    })
}

/// A JSON value that a request keeps as where it is in its input's text
/// (a document [`validate`] accepted), not as a tree: a rule reads it in
/// place ([`Lazy::read`]), so a 30 MB array costs nothing beyond the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lazy {
    /// The value in the input's text, as written.
    pub span: Span,
}

impl Lazy {
    /// The value, read from the text its span points into.
    pub fn read<'a>(&self, text: &'a str) -> Raw<'a> {
        Raw::at(text, 0, self.span)
    }
}

/// The length of `v` serialized compactly as serde_json writes it (the
/// bytes `serde_json::to_string(&v.to_json())` would give), measured
/// without building it.
pub fn compact_len(v: Raw) -> usize {
    if let Some(t) = v.as_str() {
        return escaped_len(&t.value);
    }
    if let Some(items) = v.items() {
        let (mut n, mut len) = (0usize, 2usize);
        for item in items {
            len += compact_len(item);
            n += 1;
        }
        return len + n.saturating_sub(1);
    }
    if let Some(members) = v.members() {
        // serde's map keeps one member per key: the last value, at the
        // place of the first.
        let mut kept: Vec<(Text, Raw)> = Vec::new();
        for m in members {
            let key = m.key();
            match kept.iter_mut().find(|(k, _)| k.value == key.value) {
                Some(slot) => slot.1 = m.value,
                None => kept.push((key, m.value)),
            }
        }
        let len: usize = kept
            .iter()
            .map(|(k, v)| escaped_len(&k.value) + 1 + compact_len(*v))
            .sum();
        return 2 + len + kept.len().saturating_sub(1);
    }
    match v.as_bool() {
        Some(true) => 4,
        Some(false) => 5,
        None if v.is_null() => 4,
        // A number as serde_json reads and writes it back.
        None => {
            serde_json::from_str::<serde_json::Value>(v.raw()).map_or(4, |n| n.to_string().len())
        }
    }
}

/// The length of a string once serde_json has quoted and escaped it.
fn escaped_len(s: &str) -> usize {
    2 + s
        .chars()
        .map(|c| match c {
            '"' | '\\' | '\n' | '\r' | '\t' | '\u{8}' | '\u{c}' => 2,
            c if (c as u32) < 0x20 => 6,
            c => c.len_utf8(),
        })
        .sum::<usize>()
}

/// A value of a document [`validate`] accepted, read in place: its kind and
/// span cost nothing, a string is decoded when asked for, and an array or
/// an object is walked one element at a time. On text that was not
/// validated it never panics (it reads garbage as best it can).
#[derive(Clone, Copy, Debug)]
pub struct Raw<'a> {
    /// The whole document.
    text: &'a str,
    /// Added to positions in `text` to make spans.
    base: usize,
    start: usize,
    end: usize,
}

/// A member of an object read in place: its key (a string) and its value.
#[derive(Clone, Copy, Debug)]
pub struct RawMember<'a> {
    pub key: Raw<'a>,
    pub value: Raw<'a>,
}

impl<'a> RawMember<'a> {
    /// The key including its quotes (as [`Member::key_span`]).
    pub fn key_span(&self) -> Span {
        self.key.span()
    }

    /// The key, decoded.
    pub fn key(&self) -> Text {
        self.key
            .as_str()
            .unwrap_or_else(|| Text::elided(self.key.span()))
    }

    /// Whether the key is `name`, decoding it only when it has escapes.
    pub fn key_is(&self, name: &str) -> bool {
        match self.key.raw_str() {
            Some(raw) if !raw.contains('\\') => raw == name,
            Some(_) => self.key().value == name,
            None => false,
        }
    }
}

impl<'a> Raw<'a> {
    /// The value at `span` of a document that was validated as `text` at
    /// `base` (a span an earlier read gave), read again.
    pub fn at(text: &'a str, base: usize, span: Span) -> Raw<'a> {
        let start = span.offset.saturating_sub(base).min(text.len());
        let end = span.end().saturating_sub(base).clamp(start, text.len());
        Raw {
            text,
            base,
            start,
            end,
        }
    }

    pub fn span(&self) -> Span {
        Span::new(self.base + self.start, self.end - self.start)
    }

    /// The value as written.
    pub fn raw(&self) -> &'a str {
        self.text.get(self.start..self.end).unwrap_or("")
    }

    fn first(&self) -> u8 {
        self.text.as_bytes().get(self.start).copied().unwrap_or(0)
    }

    /// As [`Value::kind`].
    pub fn kind(&self) -> &'static str {
        match self.first() {
            b'n' => "null",
            b't' | b'f' => "a boolean",
            b'"' => "a string",
            b'[' => "an array",
            b'{' => "an object",
            _ => "a number",
        }
    }

    pub fn is_null(&self) -> bool {
        self.first() == b'n'
    }

    pub fn is_string(&self) -> bool {
        self.first() == b'"'
    }

    pub fn is_number(&self) -> bool {
        matches!(self.first(), b'-' | b'0'..=b'9')
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.first() {
            b't' => Some(true),
            b'f' => Some(false),
            _ => None,
        }
    }

    /// The number as an i64, when it is an integer that fits.
    pub fn as_i64(&self) -> Option<i64> {
        self.is_number().then(|| self.raw().parse().ok())?
    }

    /// A string's content as written, between its quotes (escapes undecoded).
    pub fn raw_str(&self) -> Option<&'a str> {
        if !self.is_string() || self.end < self.start + 2 {
            return None;
        }
        self.text.get(self.start + 1..self.end - 1)
    }

    /// A string, decoded.
    pub fn as_str(&self) -> Option<Text> {
        self.as_str_bounded(usize::MAX)
    }

    /// A string, decoded; one whose raw form is longer than `max_string`
    /// bytes is not copied (see [`parse_bounded`]).
    pub fn as_str_bounded(&self, max_string: usize) -> Option<Text> {
        if !self.is_string() {
            return None;
        }
        let mut p = self.parser(max_string);
        p.string(true).ok()
    }

    /// The elements of an array, one at a time.
    pub fn items(&self) -> Option<Items<'a>> {
        (self.first() == b'[').then(|| Items {
            text: self.text,
            base: self.base,
            i: self.start + 1,
            end: self.end,
        })
    }

    /// The members of an object, one at a time, in order (duplicates too).
    pub fn members(&self) -> Option<Members<'a>> {
        (self.first() == b'{').then(|| Members {
            text: self.text,
            base: self.base,
            i: self.start + 1,
            end: self.end,
        })
    }

    /// The member with this key; when the key appears more than once, the
    /// last one (as [`Value::get`]).
    pub fn get(&self, key: &str) -> Option<RawMember<'a>> {
        self.members()?.filter(|m| m.key_is(key)).last()
    }

    /// The value as a tree, for a value small enough to hold as one (a
    /// header, an element): spans as in the document.
    pub fn to_value(&self) -> Option<Value> {
        self.parser(usize::MAX).value(0).ok()
    }

    fn parser(&self, max_string: usize) -> Parser<'a> {
        Parser {
            s: self.text.as_bytes(),
            text: self.text,
            i: self.start,
            base: self.base,
            max_string,
            build: true,
        }
    }
}

/// The elements of an array read in place ([`Raw::items`]).
#[derive(Clone, Debug)]
pub struct Items<'a> {
    text: &'a str,
    base: usize,
    i: usize,
    end: usize,
}

impl<'a> Iterator for Items<'a> {
    type Item = Raw<'a>;

    fn next(&mut self) -> Option<Raw<'a>> {
        let s = self.text.as_bytes();
        let start = skip_ws(s, self.i);
        if start >= self.end || matches!(s.get(start), None | Some(b']')) {
            self.i = self.end;
            return None;
        }
        let end = value_end(s, start).clamp(start + 1, self.end);
        let after = skip_ws(s, end);
        self.i = if s.get(after) == Some(&b',') {
            after + 1
        } else {
            after
        };
        Some(Raw {
            text: self.text,
            base: self.base,
            start,
            end,
        })
    }
}

/// The members of an object read in place ([`Raw::members`]).
#[derive(Clone, Debug)]
pub struct Members<'a> {
    text: &'a str,
    base: usize,
    i: usize,
    end: usize,
}

impl<'a> Iterator for Members<'a> {
    type Item = RawMember<'a>;

    fn next(&mut self) -> Option<RawMember<'a>> {
        let s = self.text.as_bytes();
        let key_start = skip_ws(s, self.i);
        if key_start >= self.end || s.get(key_start) != Some(&b'"') {
            self.i = self.end;
            return None;
        }
        let key_end = value_end(s, key_start).min(self.end);
        let colon = skip_ws(s, key_end);
        if s.get(colon) != Some(&b':') || colon >= self.end {
            self.i = self.end;
            return None;
        }
        let start = skip_ws(s, colon + 1);
        let end = value_end(s, start).clamp(start, self.end);
        let after = skip_ws(s, end);
        self.i = if s.get(after) == Some(&b',') {
            after + 1
        } else {
            after.max(key_start + 1)
        };
        let raw = |start, end| Raw {
            text: self.text,
            base: self.base,
            start,
            end,
        };
        Some(RawMember {
            key: raw(key_start, key_end),
            value: raw(start, end),
        })
    }
}

fn skip_ws(s: &[u8], mut i: usize) -> usize {
    while let Some(b' ' | b'\t' | b'\n' | b'\r') = s.get(i) {
        i += 1;
    }
    i
}

/// Where the string whose content starts at `i` has its closing quote.
fn string_close(s: &[u8], mut i: usize) -> Option<usize> {
    while let Some(&b) = s.get(i) {
        match b {
            b'"' => return Some(i),
            b'\\' => i += 2,
            _ => i += 1,
        }
    }
    None
}

/// Where the value that starts at `i` ends (exclusive), by a scan that
/// only tells strings and brackets apart (the text was validated).
fn value_end(s: &[u8], i: usize) -> usize {
    match s.get(i) {
        None => i,
        Some(b'"') => string_close(s, i + 1).map_or(s.len(), |j| j + 1),
        Some(b'{' | b'[') => {
            let mut depth = 0usize;
            let mut j = i;
            while let Some(&b) = s.get(j) {
                match b {
                    b'"' => {
                        j = string_close(s, j + 1).map_or(s.len(), |k| k + 1);
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            return j + 1;
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            s.len()
        }
        Some(_) => {
            let mut j = i + 1;
            while let Some(&b) = s.get(j) {
                if matches!(b, b',' | b']' | b'}' | b':' | b' ' | b'\t' | b'\n' | b'\r') {
                    break;
                }
                j += 1;
            }
            j
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_point_at_string_content() {
        let src = r#"{"parameters": "a=1&b=2", "n": 5}"#;
        let v = parse(src, 0).unwrap();
        let m = v.get("parameters").unwrap();
        let t = m.value.as_str().unwrap();
        assert_eq!(&src[t.span.offset..t.span.end()], "a=1&b=2");
        assert_eq!(&src[m.key_span.offset..m.key_span.end()], "\"parameters\"");
        assert_eq!(v.get("n").unwrap().value.as_i64(), Some(5));
    }

    /// A duplicated key reads as its last occurrence, as serde's map (and
    /// so `to_json`) keeps it: a rule and the value it checks agree.
    #[test]
    fn a_duplicate_key_reads_as_its_last_occurrence() {
        let src = r#"{"typ": "dpop+jwt", "alg": "ES256", "typ": "JWT"}"#;
        let v = parse(src, 0).unwrap();
        let m = v.get("typ").unwrap();
        assert_eq!(m.value.as_str().unwrap().value, "JWT");
        assert_eq!(m.key_span.offset, src.rfind("\"typ\"").unwrap());
        assert_eq!(v.to_json()["typ"], "JWT");
    }

    #[test]
    fn escapes_map_back_to_raw_bytes() {
        let src = r#""a\u0026b\"c""#;
        let v = parse(src, 10).unwrap();
        let t = v.as_str().unwrap();
        assert_eq!(t.value, "a&b\"c");
        // the `&` came from \u0026 at raw 2..8 (absolute 12..18)
        assert_eq!(t.sub_span(1..2), Span::new(12, 6));
        assert_eq!(t.sub_span(2..3), Span::new(18, 1));
        assert_eq!(t.sub_span(4..5), Span::new(21, 1));
    }

    /// Texts RFC 8259 does not allow.
    const REJECTED: &[&str] = &[
        "",
        "{",
        "[1,]",
        "{\"a\":1,}",
        "// c\n{}",
        "'x'",
        "01",
        "1.",
        "\"\\ud800\"",
        "\"a\nb\"",
        "{} x",
        "nul",
        "{\"a\" 1}",
        "[1 2]",
    ];

    #[test]
    fn rejects_what_rfc8259_rejects() {
        for bad in REJECTED {
            assert!(parse(bad, 0).is_err(), "accepted {bad:?}");
        }
    }

    #[test]
    fn agrees_with_serde_json_on_valid_documents() {
        let doc = r#"{"a":[1,-2.5e3,true,false,null,"\u00e9\ud83d\ude00"],"b":{}}"#;
        let v = parse(doc, 0).unwrap();
        let expected: serde_json::Value = serde_json::from_str(doc).unwrap();
        assert_eq!(v.to_json(), expected);
    }

    #[test]
    fn long_strings_keep_only_their_span_when_bounded() {
        let long = "a".repeat(100);
        let src = format!(r#"{{"parameters": "{long}", "{long}": "short", "e": "x\u0026{long}"}}"#);
        let v = parse_bounded(&src, 5, 50).unwrap();
        let m = v.as_object().unwrap();
        // A value over the bound: no copy, the span of its raw form.
        let t = m[0].value.as_str().unwrap();
        assert!(t.is_elided() && t.value.is_empty());
        assert_eq!(t.span, Span::new(5 + 16, 100));
        assert_eq!(t.size(), 100);
        // Keys are kept whatever their size; short values are kept.
        assert_eq!(m[1].key.value, long);
        assert_eq!(m[1].value.as_str().unwrap().value, "short");
        assert!(!m[1].value.as_str().unwrap().is_elided());
        // Escapes in an elided string are still validated and spanned.
        let e = m[2].value.as_str().unwrap();
        assert!(e.is_elided());
        assert_eq!(e.span.len, 107);
        assert_eq!(
            &src[e.span.offset - 5..e.span.end() - 5],
            format!("x\\u0026{long}")
        );
        // Unbounded, the same document keeps everything.
        let full = parse(&src, 5).unwrap();
        assert_eq!(
            full.get("parameters")
                .unwrap()
                .value
                .as_str()
                .unwrap()
                .value,
            long
        );
        // Errors inside an elided string are the same as without the bound.
        for bad in [
            format!(r#"["{long}\x"]"#),
            format!("[\"{long}{}\"]", '\u{1}'),
            format!(r#"["{long}"#),
        ] {
            assert_eq!(parse_bounded(&bad, 0, 10), parse(&bad, 0), "{bad}");
            assert!(parse(&bad, 0).is_err());
        }
    }

    #[test]
    fn depth_is_bounded() {
        let deep = "[".repeat(MAX_DEPTH + 5) + &"]".repeat(MAX_DEPTH + 5);
        let e = parse(&deep, 0).unwrap_err();
        assert!(e.message.contains("deeper"));
        let ok = "[".repeat(50) + &"]".repeat(50);
        assert!(parse(&ok, 0).is_ok());
    }

    /// Reading in place finds what the tree holds: the same kinds, spans,
    /// strings, members (duplicates too) and elements; and validation
    /// rejects what parsing rejects, at the same offset.
    #[test]
    fn read_in_place_agrees_with_the_tree() {
        let src = concat!(
            "\u{feff} {\"a\": [1, -2.5e3, true, false, null, \"\\u00e9x\", {}],",
            " \"b\\u0063\" : {\"k\": \"v\", \"k\": [[]]}, \"n\": 42 } "
        );
        let raw = validate(src, 7).unwrap();
        let tree = parse(src, 7).unwrap();
        fn same(r: Raw, v: &Value) {
            assert_eq!(r.span(), v.span, "{}", r.raw());
            assert_eq!(r.kind(), v.kind(), "{}", r.raw());
            assert_eq!(r.as_bool(), v.as_bool());
            assert_eq!(r.as_i64(), v.as_i64());
            assert_eq!(r.as_str().as_ref(), v.as_str());
            assert_eq!(r.to_value().as_ref(), Some(v));
            match (r.items(), v.as_array()) {
                (Some(items), Some(vs)) => {
                    let items: Vec<Raw> = items.collect();
                    assert_eq!(items.len(), vs.len());
                    items.iter().zip(vs).for_each(|(r, v)| same(*r, v));
                }
                (None, None) => {}
                _ => panic!("array mismatch at {}", r.raw()),
            }
            match (r.members(), v.as_object()) {
                (Some(ms), Some(vs)) => {
                    let ms: Vec<RawMember> = ms.collect();
                    assert_eq!(ms.len(), vs.len());
                    for (m, v) in ms.iter().zip(vs) {
                        assert_eq!(m.key_span(), v.key_span);
                        assert_eq!(m.key(), v.key);
                        assert!(m.key_is(&v.key.value));
                        same(m.value, &v.value);
                    }
                }
                (None, None) => {}
                _ => panic!("object mismatch at {}", r.raw()),
            }
        }
        same(raw, &tree);
        assert_eq!(raw.get("bc").unwrap().value.kind(), "an object");
        // The last of duplicates, as `Value::get`.
        let b = raw.get("bc").unwrap().value;
        assert_eq!(b.get("k").unwrap().value.kind(), "an array");
        assert!(raw.get("zz").is_none());
        // Read again from a span.
        let again = Raw::at(src, 7, b.span());
        assert_eq!(again.raw(), b.raw());

        for bad in REJECTED {
            assert_eq!(validate(bad, 3).err(), parse(bad, 3).err(), "{bad:?}");
        }
    }

    /// The compact length measured in place is serde_json's.
    #[test]
    fn compact_length_is_what_serde_json_writes() {
        for doc in [
            r#"[1, -2.5e3, 1E2, 0.10, true, false, null, "\u00e9\n\"\\\u0001", {}, []]"#,
            r#"{"a": {"b": [1, {"c": "d"}]}, "a": 2, "é": "x\ty"}"#,
            r#"["", "x"]"#,
            "12345678901234567890",
        ] {
            let raw = validate(doc, 0).unwrap();
            let want = serde_json::to_string(&raw.to_value().unwrap().to_json())
                .unwrap()
                .len();
            assert_eq!(compact_len(raw), want, "{doc}");
        }
    }

    /// Text that was never validated does not panic a reader.
    #[test]
    fn garbage_never_panics_a_reader() {
        for text in [
            "[1,",
            "{\"a\"",
            "{\"a\":",
            "[\"x",
            "{\"a\":1 \"b\":2}",
            "[}",
            "\"\\",
        ] {
            let r = Raw::at(text, 0, Span::new(0, text.len()));
            let _ = r.items().map(Iterator::count);
            if let Some(members) = r.members() {
                for m in members {
                    let _ = (m.key(), m.value.kind(), m.value.as_str());
                }
            }
            let _ = (r.as_str(), r.to_value(), r.kind(), r.as_i64());
        }
    }
}
