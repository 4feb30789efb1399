//! Loads a HAR file (HTTP Archive 1.2, the browser devtools "Save all as
//! HAR" export): every request whose body is a token request (it has a
//! `grant_type` parameter) becomes its own input, named `file.har#entries[3]`,
//! with spans into the HAR file.

use super::capture::{self, CaptureKind, Header, Parts};
use super::{LoadIssue, Loaded, TokenRequest};
use crate::json::{self, Node, Value};
use crate::source::Source;
use crate::span::{Span, Text};

/// Whether a text looks like a HAR file (a JSON object whose first key is `log`).
pub fn looks_like_har(text: &str) -> bool {
    let t = text.trim_start_matches('\u{feff}').trim_start();
    t.strip_prefix('{')
        .is_some_and(|r| r.trim_start().starts_with("\"log\""))
}

pub fn load_bytes(name: &str, bytes: &[u8]) -> Vec<Loaded> {
    let (text, issue) = super::decode_lossy(bytes);
    let mut out = load_str(name, &text);
    if let (Some(first), Some(issue)) = (out.first_mut(), issue) {
        first.issues.insert(0, issue);
    }
    out
}

/// One loaded input per token request in the HAR; one input with the
/// problem when there is none (or the file is not a HAR).
pub fn load_str(name: &str, text: &str) -> Vec<Loaded> {
    let whole = |issue: capture::Issue, load: Option<LoadIssue>| -> Vec<Loaded> {
        let mut c = capture::Capture {
            kind: CaptureKind::Har,
            method: None,
            url: None,
            scheme: None,
            query: None,
            content_type: None,
            headers: Vec::new(),
            has_body: false,
            basic: None,
            issues: Vec::new(),
        };
        c.issues.push(issue);
        vec![Loaded {
            source: Source::new(name, text),
            request: TokenRequest::default(),
            issues: load.into_iter().collect(),
            secrets: Vec::new(),
            capture: Some(Box::new(c)),
        }]
    };
    let doc = match json::parse(text, 0) {
        Ok(d) => d,
        Err(e) => {
            return vec![Loaded {
                source: Source::new(name, text),
                request: TokenRequest::default(),
                issues: vec![LoadIssue::InvalidJson {
                    message: e.message,
                    offset: e.offset,
                }],
                // Headers, cookies and bodies hide in generic `value`s.
                secrets: super::lenient_secret_spans(text, 0, true),
                capture: None,
            }];
        }
    };
    let Some(entries) = doc
        .get("log")
        .and_then(|l| l.value.get("entries"))
        .and_then(|e| e.value.as_array())
    else {
        return whole(
            capture::Issue::Syntax {
                span: Span::new(doc.span.offset, doc.span.len.min(1)),
                message: "not a HAR file: there is no `log.entries` array".into(),
                warning: false,
            },
            None,
        );
    };
    // Secrets anywhere in the file (responses hold issued tokens; other
    // requests their credentials): masked in every input's display.
    let mut all_secrets = Vec::new();
    for e in entries {
        collect_secrets(e, &mut all_secrets);
    }
    let mut out = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        let Some(req) = e.get("request").map(|m| &m.value) else {
            continue;
        };
        let body = req
            .get("postData")
            .and_then(|p| p.value.get("text"))
            .and_then(|t| t.value.as_str());
        let url = req.get("url").and_then(|u| u.value.as_str());
        if !is_token_request(body, url) {
            continue;
        }
        let mut p = Parts::new(CaptureKind::Har);
        p.method = req.get("method").and_then(|m| m.value.as_str()).cloned();
        p.target = url.cloned();
        p.body = body.cloned();
        p.extra_secrets = all_secrets.clone();
        if let Some(headers) = req.get("headers").and_then(|h| h.value.as_array()) {
            for h in headers {
                let (Some(n), Some(v)) = (
                    h.get("name").and_then(|n| n.value.as_str()),
                    h.get("value").and_then(|v| v.value.as_str()),
                ) else {
                    continue;
                };
                // Chrome records HTTP/2 pseudo-headers (`:authority`, …).
                if n.value.starts_with(':') {
                    if n.value == ":authority" {
                        p.headers.push(Header {
                            name: synthetic("Host", n),
                            value: trimmed(v),
                        });
                    }
                    continue;
                }
                p.headers.push(Header {
                    name: n.clone(),
                    value: trimmed(v),
                });
            }
        }
        // A body with no Content-Type header: HAR keeps it in postData.mimeType.
        let has_ct = p
            .headers
            .iter()
            .any(|h| h.name.value.eq_ignore_ascii_case("content-type"));
        if !has_ct {
            if let Some(m) = req
                .get("postData")
                .and_then(|p| p.value.get("mimeType"))
                .and_then(|m| m.value.as_str())
            {
                p.headers.push(Header {
                    name: synthetic("Content-Type", m),
                    value: m.clone(),
                });
            }
        }
        let source = Source::new(format!("{name}#entries[{i}]"), text);
        out.push(capture::build(source, p));
    }
    if out.is_empty() {
        return whole(
            capture::Issue::Syntax {
                span: Span::new(doc.span.offset, doc.span.len.min(1)),
                message: format!(
                    "none of the {} requests in this HAR is a token request (a request with a `grant_type` parameter)",
                    entries.len()
                ),
                warning: true,
            },
            None,
        );
    }
    out
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
fn is_token_request(body: Option<&Text>, url: Option<&Text>) -> bool {
    let has = |s: &str| {
        crate::form::decode(s)
            .pairs
            .iter()
            .any(|p| p.name == "grant_type")
    };
    body.is_some_and(|b| has(&b.value))
        || url.is_some_and(|u| {
            u.value
                .split_once('?')
                .is_some_and(|(_, q)| has(q.split('#').next().unwrap_or("")))
        })
}

fn collect_secrets(entry: &Value, out: &mut Vec<Span>) {
    for side in ["request", "response"] {
        let Some(r) = entry.get(side).map(|m| &m.value) else {
            continue;
        };
        if let Some(headers) = r.get("headers").and_then(|h| h.value.as_array()) {
            for h in headers {
                let n = h.get("name").and_then(|n| n.value.as_str());
                let v = h.get("value").map(|v| &v.value);
                if let (Some(n), Some(v)) = (n, v) {
                    let n = n.value.to_ascii_lowercase();
                    if matches!(
                        n.as_str(),
                        "authorization" | "cookie" | "set-cookie" | "proxy-authorization"
                    ) {
                        out.push(v.span);
                    }
                }
            }
        }
        if let Some(cookies) = r.get("cookies").and_then(|c| c.value.as_array()) {
            for c in cookies {
                if let Some(v) = c.get("value") {
                    out.push(v.value.span);
                }
            }
        }
        // Response bodies carry issued tokens.
        if let Some(t) = r.get("content").and_then(|c| c.value.get("text")) {
            out.push(t.value.span);
        }
        if let Some(pd) = r.get("postData").map(|m| &m.value) {
            if let Some(Node::String(t)) = pd.get("text").map(|m| &m.value.node) {
                let form = crate::form::decode(&t.value);
                for p in &form.pairs {
                    if (crate::lint::SECRET_PARAMS.contains(&p.name.as_str())
                        || p.name == "client_assertion")
                        && !p.value_raw.is_empty()
                    {
                        out.push(t.sub_span(p.value_raw.clone()));
                    }
                }
            }
            if let Some(params) = pd.get("params").and_then(|p| p.value.as_array()) {
                for p in params {
                    let n = p.get("name").and_then(|n| n.value.as_str());
                    if n.is_some_and(|n| crate::lint::SECRET_PARAMS.contains(&n.value.as_str())) {
                        if let Some(v) = p.get("value") {
                            out.push(v.value.span);
                        }
                    }
                }
            }
        }
        if let Some(q) = r.get("url").and_then(|u| u.value.as_str()) {
            if let Some(i) = q.value.find('?') {
                let qt = capture::sub_text(q, i + 1..q.value.len());
                let form = crate::form::decode(&qt.value);
                for p in &form.pairs {
                    if crate::lint::SECRET_PARAMS.contains(&p.name.as_str())
                        && !p.value_raw.is_empty()
                    {
                        out.push(qt.sub_span(p.value_raw.clone()));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
