//! A token endpoint's error answer and what it means.
//!
//! An [`Answer`] is read from what the user has: the JSON body
//! (`{"error": …, "error_description": …}`, with or without an Authlete
//! `[A…]` code), Authlete's own response (`resultCode`, `responseContent`),
//! a raw HTTP response, or a HAR entry's response. [`Explanation`] says which
//! rules' findings cause it, most likely first (`rules/authlete/errors.toml`),
//! and what offline checks cannot see; [`Answer::relate`] adds to a request's
//! report the finding that names the findings explaining the answer.

pub mod errors;

use serde_json::Value;

use crate::authlete::relate::ResponseCode;
use crate::authlete::result_codes;
use crate::lint::{self, FileReport, Finding};

crate::lint::declare_rules! { area: Response;
    /// The finding that relates a server's error answer to the request.
    OAUTH_ERROR = "response/oauth-error", Info, "RFC 6749 §5.2; RFC 9449 §7",
        "What the server's error answer means and which findings explain it";
}

/// What a server answered, as far as it is an error.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Answer {
    /// The HTTP status, when the answer shows it.
    pub status: Option<u16>,
    /// The OAuth `error` code.
    pub error: Option<String>,
    pub description: Option<String>,
    /// node-oidc-provider's `error_detail` (when the provider exposes it).
    pub detail: Option<String>,
    /// An Authlete result code (`resultCode`, or `[A…]` in the description).
    pub code: Option<String>,
}

impl Answer {
    /// Reads an answer from a file's text: JSON (an error body, or
    /// Authlete's response), an HTTP response (status line, headers, body),
    /// or text that names an error code. `None` when it shows no error.
    pub fn parse(text: &str) -> Option<Answer> {
        let text = text.trim_start_matches('\u{feff}').trim();
        let (status, body) = split_http_response(text);
        let from_json = json_in(body).and_then(|v| Answer::from_json(&v, status));
        let answer = from_json.or_else(|| Answer::from_text(body, status))?;
        answer.is_error().then_some(answer)
    }

    /// An answer from a JSON body: a token endpoint's error, or Authlete's
    /// response whose `responseContent` holds it.
    pub fn from_json(v: &Value, status: Option<u16>) -> Option<Answer> {
        let obj = v.as_object()?;
        let text = |k: &str| obj.get(k).and_then(Value::as_str).map(str::to_owned);
        let mut a = Answer {
            status,
            error: text("error"),
            description: text("error_description"),
            detail: text("error_detail"),
            code: text("resultCode").filter(|c| result_codes::is_code(c)),
        };
        // Authlete's /auth/token response: the client's answer is inside.
        if let Some(inner) = text("responseContent").and_then(|c| json_in(&c)) {
            if let Some(i) = Answer::from_json(&inner, status) {
                a.error = a.error.or(i.error);
                a.description = a.description.or(i.description);
                a.detail = a.detail.or(i.detail);
            }
        }
        if a.code.is_none() {
            a.code = a
                .description
                .as_deref()
                .and_then(crate::authlete::find_result_code);
        }
        Some(a)
    }

    /// An answer in plain text: `invalid_grant: Code not valid`, a log line.
    fn from_text(text: &str, status: Option<u16>) -> Option<Answer> {
        let lower = text.to_ascii_lowercase();
        let error = errors::errors()
            .iter()
            .find(|e| contains_word(&lower, &e.error))
            .map(|e| e.error.clone());
        let description = errors::match_description(text).map(|d| d.text.clone());
        let code = crate::authlete::find_result_code(text);
        let any = error.is_some() || description.is_some() || code.is_some();
        any.then_some(Answer {
            status,
            error,
            description,
            detail: None,
            code,
        })
    }

    /// Whether this is an error answer (not a success, not an empty object).
    pub fn is_error(&self) -> bool {
        self.error.is_some()
            || self.code.as_deref().is_some_and(|c| !is_success(c))
            || self.description.is_some()
    }

    /// What it means.
    pub fn explain(&self) -> Explanation {
        let texts = [self.detail.as_deref(), self.description.as_deref()];
        Explanation::of(self.error.as_deref(), texts.into_iter().flatten())
    }

    /// Adds to `report` the finding that relates this answer to its
    /// findings: Authlete's result code when tokenlint knows it (its table
    /// says more than the OAuth error), else the OAuth error.
    pub fn relate(&self, report: &mut FileReport) {
        if let Some(code) = self.code.as_deref().and_then(ResponseCode::known) {
            code.relate(report);
            return;
        }
        let f = self.finding(&report.findings);
        report.findings.push(f);
    }

    /// The answer as the user would recognise it: `invalid_grant ("Code
    /// not valid")`.
    pub fn shown(&self) -> String {
        let mut s = self.error.clone().unwrap_or_else(|| "an error".to_owned());
        if let Some(d) = &self.description {
            s.push_str(&format!(" (\"{}\")", shortened(d, 120)));
        }
        if let Some(c) = self.code.as_deref().filter(|c| !self.shown_has(c)) {
            s.push_str(&format!(" [{c}]"));
        }
        if let Some(st) = self.status {
            s.push_str(&format!(", HTTP {st}"));
        }
        s
    }

    fn shown_has(&self, code: &str) -> bool {
        self.description
            .as_deref()
            .is_some_and(|d| d.contains(code))
    }

    fn finding(&self, findings: &[Finding]) -> Finding {
        let x = self.explain();
        let explaining = x.explaining(findings);
        let answered = self.shown();
        let message = if explaining.is_empty() {
            let mut m = format!("the server answered {answered}; no finding here explains it");
            match x.unseen.first() {
                Some(u) => m.push_str(&format!(". Offline checks cannot see {u}")),
                None => m.push_str(". tokenlint has no entry for this answer"),
            }
            m
        } else {
            let ids: Vec<&str> = explaining.iter().map(|f| f.rule.id).collect();
            format!(
                "the server answered {answered}: explained by {}",
                ids.join(", ")
            )
        };
        let more = match (&x.error, self.error.as_deref()) {
            (Some(e), _) => format!("`tokenlint explain {}` lists every cause", e.error),
            (None, Some(_)) | (None, None) => {
                "`tokenlint explain <error>` lists the causes of an OAuth error".to_owned()
            }
        };
        let help = if explaining.is_empty() {
            format!("{more}; if the request is right, the cause is the server's state")
        } else {
            format!("fix the findings named here and send again; {more}")
        };
        let mut f = Finding::new(&OAUTH_ERROR, message).help(help);
        let name = self.error.as_deref().unwrap_or("the answer");
        for e in explaining.iter().take(lint::MAX_LABELS) {
            if let Some(s) = e.primary_span() {
                f = f.label(s, format!("{} explains {name}", e.rule.id));
            }
        }
        f
    }
}

/// A server's text for a message: control characters escaped, at most
/// `max` characters.
fn shortened(s: &str, max: usize) -> String {
    let mut out = String::new();
    for c in s.chars().take(max) {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    if s.chars().count() > max {
        out.push('…');
    }
    out
}

/// Authlete's success codes (`A05x001`): not an error.
fn is_success(code: &str) -> bool {
    result_codes::category(code) == "success"
}

/// What an answer means: the error, the description tokenlint knows, the
/// rules whose findings cause it (most likely first), and what offline
/// checks cannot see.
#[derive(Debug)]
pub struct Explanation {
    pub error: Option<&'static errors::OAuthError>,
    pub description: Option<&'static errors::Description>,
    pub rules: Vec<&'static str>,
    pub unseen: Vec<&'static str>,
}

impl Explanation {
    /// From an `error` and the texts that came with it (the first known
    /// description wins).
    pub fn of<'t>(error: Option<&str>, texts: impl Iterator<Item = &'t str>) -> Explanation {
        let description = texts.filter_map(errors::match_description).next();
        let error = error
            .and_then(errors::find_error)
            .or_else(|| description.and_then(|d| errors::find_error(&d.error)));
        let mut rules: Vec<&'static str> = Vec::new();
        let mut unseen = Vec::new();
        match description {
            Some(d) => {
                rules.extend(d.rules().iter().map(String::as_str));
                unseen.extend(d.unseen.as_deref());
                if d.same_as_error {
                    unseen.extend(error.map(|e| e.unseen.as_str()));
                }
            }
            None => {
                rules.extend(
                    error
                        .iter()
                        .flat_map(|e| e.rules.iter().map(String::as_str)),
                );
                unseen.extend(error.map(|e| e.unseen.as_str()));
            }
        }
        Explanation {
            error,
            description,
            rules,
            unseen,
        }
    }

    /// The findings that explain the answer, most likely cause first.
    pub fn explaining<'f>(&self, findings: &'f [Finding]) -> Vec<&'f Finding> {
        let mut out: Vec<&Finding> = Vec::new();
        for id in &self.rules {
            out.extend(findings.iter().filter(|f| f.rule.id == *id));
        }
        out
    }
}

/// `HTTP/1.1 400 …` then headers, a blank line and the body: the status and
/// the body. Other text is all body.
fn split_http_response(text: &str) -> (Option<u16>, &str) {
    if !text.starts_with("HTTP/") {
        return (None, text);
    }
    let status = text
        .lines()
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok());
    let body = ["\r\n\r\n", "\n\n"]
        .iter()
        .filter_map(|sep| text.find(sep).map(|i| &text[i + sep.len()..]))
        .min_by_key(|b| std::cmp::Reverse(b.len()))
        .unwrap_or("");
    (status, body)
}

/// The JSON object in `text`: all of it, or from its first `{` to its last
/// `}` (a log line around it).
fn json_in(text: &str) -> Option<Value> {
    if let Ok(v) = serde_json::from_str::<Value>(text.trim()) {
        return v.is_object().then_some(v);
    }
    let (a, b) = (text.find('{')?, text.rfind('}')?);
    serde_json::from_str::<Value>(text.get(a..=b)?)
        .ok()
        .filter(Value::is_object)
}

/// `word` in `text` between characters that cannot be part of an error code.
fn contains_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        let part = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        !part(before) && !part(after)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_answers_in_every_shape() {
        let a = Answer::parse(r#"{"error":"invalid_grant","error_description":"Code not valid"}"#)
            .unwrap();
        assert_eq!(a.error.as_deref(), Some("invalid_grant"));
        assert_eq!(a.description.as_deref(), Some("Code not valid"));
        assert_eq!(a.code, None);

        let http = "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\n\r\n\
                    {\"error\":\"use_dpop_nonce\"}";
        let a = Answer::parse(http).unwrap();
        assert_eq!(
            (a.status, a.error.as_deref()),
            (Some(400), Some("use_dpop_nonce"))
        );

        let authlete = r#"{"resultCode":"A050312","action":"BAD_REQUEST","responseContent":"{\"error\":\"invalid_grant\",\"error_description\":\"[A050312] The token request does not contain 'code_verifier'\"}"}"#;
        let a = Answer::parse(authlete).unwrap();
        assert_eq!(a.code.as_deref(), Some("A050312"));
        assert_eq!(a.error.as_deref(), Some("invalid_grant"));

        let desc = r#"{"error":"invalid_grant","error_description":"[A050305] No such authorization code."}"#;
        assert_eq!(
            Answer::parse(desc).unwrap().code.as_deref(),
            Some("A050305")
        );

        let a = Answer::parse("2026-01-01 token call failed: invalid_client").unwrap();
        assert_eq!(a.error.as_deref(), Some("invalid_client"));
        assert!(Answer::parse("all good").is_none());
        assert!(Answer::parse(r#"{"access_token":"x"}"#).is_none());
        assert!(Answer::parse("invalid_grantx").is_none());
    }

    #[test]
    fn a_known_description_narrows_the_rules() {
        let x = Explanation::of(
            Some("invalid_request"),
            ["DPoP proof is not active"].into_iter(),
        );
        assert_eq!(x.rules[0], "dpop/iat-out-of-window");
        assert!(x.unseen[0].contains("clock"));
        let x = Explanation::of(Some("INVALID_DPOP_PROOF"), std::iter::empty());
        assert_eq!(x.error.unwrap().error, "invalid_dpop_proof");
        assert!(x.rules.len() > 10);
        // A generic text keeps the error's list.
        let x = Explanation::of(
            Some("invalid_grant"),
            ["grant request is invalid"].into_iter(),
        );
        assert_eq!(
            x.rules,
            Explanation::of(Some("invalid_grant"), std::iter::empty()).rules
        );
    }
}
