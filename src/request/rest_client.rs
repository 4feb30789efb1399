//! REST-client files (VS Code REST Client, JetBrains HTTP Client): the
//! `###` lines that separate requests, `@name = value` file variables, and
//! the `{{name}}` references a request makes to them.
//!
//! A resolved reference becomes its value, every byte of which spans the
//! reference (`{{clientId}}`), so a finding underlines the reference in the
//! request. A definition whose value ends up in a secret is masked like the
//! secret. A reference that cannot be resolved offline (undefined, a system
//! variable such as `{{$guid}}`, another request's response) is kept as
//! written and reported.

use super::capture::{self, Issue, Parts};
use super::Loaded;
use crate::span::{Span, Text};

/// One request's lines: `start..end` of the text, between `###` lines.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Block {
    pub start: usize,
    pub end: usize,
}

/// `@name = value`: its name, and its value with its span.
#[derive(Clone, Debug)]
pub(crate) struct Variable {
    pub name: String,
    pub value: Text,
}

/// What a file holds: its requests and its file variables.
#[derive(Debug, Default)]
pub(crate) struct File {
    pub requests: Vec<Block>,
    pub variables: Vec<Variable>,
}

/// Each reference resolved: its span, and the span of the value it took.
pub(crate) type Resolved = Vec<(Span, Span)>;

/// Variables resolve through at most this many references (a cycle ends).
const MAX_DEPTH: usize = 8;

impl File {
    /// Splits `text` at its `###` lines; a block with a request line is a
    /// request. File variables are read from the lines before each block's
    /// request line (REST clients make them visible to the whole file).
    pub fn read(text: &str) -> File {
        let mut file = File::default();
        let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let mut blocks = Vec::new();
        let mut block_start = start;
        let mut pos = start;
        while pos < text.len() {
            let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
            if text[pos..end].trim_start().starts_with("###") {
                blocks.push(Block {
                    start: block_start,
                    end: pos,
                });
                block_start = end;
            }
            pos = end;
        }
        blocks.push(Block {
            start: block_start,
            end: text.len(),
        });
        for b in blocks {
            let mut has_request = false;
            let mut pos = b.start;
            while pos < b.end {
                let end = text[pos..b.end].find('\n').map_or(b.end, |i| pos + i + 1);
                let line = text[pos..end].trim_end_matches(['\n', '\r']);
                if let Some((name, value)) = variable(line) {
                    file.variables.push(Variable {
                        name: line[name].to_owned(),
                        value: Text::verbatim(&line[value.clone()], pos + value.start),
                    });
                } else if !super::http::is_preamble(line) {
                    has_request = true;
                    break;
                }
                pos = end;
            }
            if has_request {
                file.requests.push(b);
            }
        }
        file
    }

    /// Replaces the references in a request's method, target, headers and
    /// body by their values; reports the ones it cannot resolve. Returns,
    /// for each reference resolved, its span and the span of the value it
    /// took (to mask the definition when the value is a secret).
    pub fn resolve(&self, p: &mut Parts) -> Resolved {
        let mut r = Resolver {
            file: self,
            used: Vec::new(),
            reported: Vec::new(),
            issues: Vec::new(),
        };
        for t in [&mut p.method, &mut p.target] {
            if let Some(t) = t.as_mut() {
                *t = r.text(t);
            }
        }
        for h in &mut p.headers {
            h.name = r.text(&h.name);
            h.value = r.text(&h.value);
        }
        if let Some(b) = p.body.as_mut().filter(|b| !b.is_elided()) {
            *b = r.text(b);
        }
        p.issues.extend(r.issues);
        r.used
    }

    fn find(&self, name: &str) -> Option<&Variable> {
        // The last definition wins, as in the REST clients.
        self.variables.iter().rev().find(|v| v.name == name)
    }
}

/// `@name = value` (the `=` and the value may be spaced): the byte ranges
/// of the name and of the value (trimmed) in `line`.
pub(crate) fn variable(line: &str) -> Option<(std::ops::Range<usize>, std::ops::Range<usize>)> {
    let lead = line.len() - line.trim_start().len();
    let rest = line[lead..].strip_prefix('@')?;
    let name_len = rest
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || b"_-.".contains(b))
        .count();
    if name_len == 0 || !rest.as_bytes()[0].is_ascii_alphabetic() && rest.as_bytes()[0] != b'_' {
        return None;
    }
    let after = &rest[name_len..];
    let eq = after.trim_start().strip_prefix('=')?;
    let name = lead + 1..lead + 1 + name_len;
    let value_off = line.len() - eq.len();
    let v_lead = eq.len() - eq.trim_start().len();
    let value = value_off + v_lead..value_off + eq.trim_end().len();
    Some((name, value.start..value.end.max(value.start)))
}

struct Resolver<'f> {
    file: &'f File,
    /// (reference span, the value's definition span) of every resolution.
    used: Vec<(Span, Span)>,
    /// Names already reported as unresolved (each is reported once).
    reported: Vec<String>,
    issues: Vec<Issue>,
}

impl Resolver<'_> {
    /// `t` with its references replaced.
    fn text(&mut self, t: &Text) -> Text {
        if !t.value.contains("{{") {
            return t.clone();
        }
        let mut value = String::with_capacity(t.value.len());
        let mut spans: Vec<Span> = Vec::with_capacity(t.value.len());
        let mut i = 0;
        let v = t.value.as_str();
        while i < v.len() {
            let reference = v[i..]
                .starts_with("{{")
                .then(|| v[i + 2..].find("}}").map(|e| i + 2 + e + 2))
                .flatten();
            if let Some(end) = reference {
                let name = v[i + 2..end - 2].trim();
                let at = t.sub_span(i..end);
                match self.value_of(name, 0) {
                    Some((resolved, def)) => {
                        self.used.push((at, def));
                        value.push_str(&resolved);
                        spans.extend(std::iter::repeat_n(at, resolved.len()));
                    }
                    None => {
                        self.unresolved(name, at);
                        value.push_str(&v[i..end]);
                        spans.extend((i..end).map(|j| t.sub_span(j..j + 1)));
                    }
                }
                i = end;
            } else {
                let c = v[i..].chars().next().map_or(1, char::len_utf8);
                value.push_str(&v[i..i + c]);
                spans.extend(std::iter::repeat_n(t.sub_span(i..i + c), c));
                i += c;
            }
        }
        capture::from_byte_spans(value, &spans, t.span)
    }

    /// A variable's value, its own references resolved, and the span of
    /// its definition's value.
    fn value_of(&self, name: &str, depth: usize) -> Option<(String, Span)> {
        if depth > MAX_DEPTH {
            return None;
        }
        let var = self.file.find(name)?;
        let mut out = String::new();
        let v = var.value.value.as_str();
        let mut i = 0;
        while i < v.len() {
            match v[i..].find("{{") {
                Some(k) => {
                    out.push_str(&v[i..i + k]);
                    let s = i + k + 2;
                    let e = v[s..].find("}}")? + s;
                    let (inner, _) = self.value_of(v[s..e].trim(), depth + 1)?;
                    out.push_str(&inner);
                    i = e + 2;
                }
                None => {
                    out.push_str(&v[i..]);
                    i = v.len();
                }
            }
        }
        Some((out, var.value.span))
    }

    fn unresolved(&mut self, name: &str, span: Span) {
        if self.reported.iter().any(|n| n == name) {
            return;
        }
        self.reported.push(name.to_owned());
        let shown = capture::printable(name);
        let message = if name.starts_with('$') {
            format!(
                "`{{{{{shown}}}}}` is a REST-client system variable, made when the request is \
                 sent: tokenlint cannot know its value and lints the text as written"
            )
        } else if name.contains(".response.") || name.contains(".request.") {
            format!(
                "`{{{{{shown}}}}}` takes its value from another request's exchange, which an \
                 offline check cannot see: tokenlint lints the text as written"
            )
        } else {
            format!(
                "`{{{{{shown}}}}}` is not defined in this file (`@{shown} = …`): tokenlint \
                 cannot know its value (environment files are not read) and lints the text \
                 as written"
            )
        };
        self.issues.push(Issue::Unresolved { span, message });
    }
}

/// Masks each definition whose value became (part of) a secret: the
/// request's secret spans cover the references, the definitions are
/// elsewhere in the file. A definition whose name or value says it is a
/// secret (`@client_secret = …`, a JWS, a private key) is masked whether
/// or not a request uses it.
pub(crate) fn hide_definitions(loaded: &mut Loaded, file: &File, used: &[(Span, Span)]) {
    let named = file.variables.iter().filter(|v| {
        let value = v.value.value.trim();
        !value.is_empty()
            && (crate::secrets::member(&v.name).is_masked()
                || crate::secrets::looks_like_jws(value)
                || crate::secrets::holds_private_key(value))
    });
    let named: Vec<Span> = named.map(|v| v.value.span).collect();
    loaded.secrets.extend(named);
    let hidden: Vec<Span> = used
        .iter()
        .filter(|(at, _)| {
            loaded
                .secrets
                .iter()
                .any(|s| s.offset < at.end() && at.offset < s.end())
        })
        .map(|(_, def)| *def)
        .collect();
    loaded.secrets.extend(hidden);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_are_read_with_their_spans() {
        let line = "  @client_id = s6BhdRkqt3  ";
        let (n, v) = variable(line).unwrap();
        assert_eq!(&line[n], "client_id");
        assert_eq!(&line[v], "s6BhdRkqt3");
        assert!(variable("@ x = 1").is_none());
        assert!(variable("@1x = 1").is_none());
        assert!(variable("@x 1").is_none());
        let (_, v) = variable("@empty =").unwrap();
        assert!(v.is_empty());
    }

    #[test]
    fn requests_are_the_blocks_with_a_request_line() {
        let t = "@host = as.example.com\n\n### one\nPOST /t HTTP/1.1\n\na=1\n###\n# nothing\n###\r\nGET /x\r\n";
        let f = File::read(t);
        assert_eq!(f.variables.len(), 1);
        assert_eq!(f.requests.len(), 2);
        assert!(t[f.requests[0].start..f.requests[0].end].starts_with("POST /t"));
        assert!(t[f.requests[1].start..].starts_with("GET /x"));
    }
}
