//! Builds a request from `tokenlint token process` flags, which mirror
//! `authlete token process`. The flags are rendered into one text, a line per
//! flag, so that every value has a span a diagnostic can underline.
//! Precedence is the authlete CLI's: individual flags override `--body`.

use std::sync::Arc;

use super::fixture::apply_body;
use super::{LoadIssue, Loaded, Spanned, TokenRequest};
use crate::json;
use crate::source::Source;
use crate::span::{Span, Text};

/// The request-describing flags of `token process`, as given.
#[derive(Clone, Debug, Default)]
pub struct FlagInput {
    /// The `--body` JSON (already read from stdin when it was `-`).
    pub body: Option<String>,
    pub parameters: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    pub client_certificate: Option<String>,
    pub client_certificate_path: Vec<String>,
    pub dpop: Option<String>,
    pub htm: Option<String>,
    pub htu: Option<String>,
    pub dpop_nonce_required: Option<bool>,
    pub access_token: Option<String>,
    pub access_token_duration: Option<i64>,
    pub refresh_token_duration: Option<i64>,
    pub properties: Option<String>,
    pub jwt_at_claims: Option<String>,
    pub oauth_client_attestation: Option<String>,
    pub oauth_client_attestation_pop: Option<String>,
    pub cimd_options: Option<String>,
}

pub const SOURCE_NAME: &str = "<command line>";

struct Renderer {
    text: String,
}

impl Renderer {
    /// Appends `--flag value` on its own line; returns the value's span.
    /// Newlines inside a value are kept: the span still fits.
    fn line(&mut self, flag: &str, value: &str) -> Span {
        if !self.text.is_empty() {
            self.text.push('\n');
        }
        self.text.push_str("--");
        self.text.push_str(flag);
        self.text.push(' ');
        let start = self.text.len();
        self.text.push_str(value);
        Span::new(start, value.len())
    }
}

pub fn load(input: &FlagInput) -> Loaded {
    let mut r = Renderer {
        text: String::new(),
    };
    // Render first (spans are offsets into the final text), then interpret.
    let body = input.body.as_deref().map(|b| (r.line("body", b), b));
    let text_flags: Vec<(&str, Option<&String>)> = vec![
        ("parameters", input.parameters.as_ref()),
        ("client-id", input.client_id.as_ref()),
        ("client-secret", input.client_secret.as_ref()),
        ("client-certificate", input.client_certificate.as_ref()),
        ("dpop", input.dpop.as_ref()),
        ("htm", input.htm.as_ref()),
        ("htu", input.htu.as_ref()),
        ("access-token", input.access_token.as_ref()),
        ("jwt-at-claims", input.jwt_at_claims.as_ref()),
        (
            "oauth-client-attestation",
            input.oauth_client_attestation.as_ref(),
        ),
        (
            "oauth-client-attestation-pop",
            input.oauth_client_attestation_pop.as_ref(),
        ),
        ("properties", input.properties.as_ref()),
        ("cimd-options", input.cimd_options.as_ref()),
    ];
    let mut spans: Vec<(&str, Text)> = Vec::new();
    for (flag, value) in text_flags {
        if let Some(v) = value {
            let span = r.line(flag, v);
            spans.push((flag, Text::verbatim(v.clone(), span.offset)));
        }
    }
    let paths: Vec<Text> = input
        .client_certificate_path
        .iter()
        .map(|v| Text::verbatim(v.clone(), r.line("client-certificate-path", v).offset))
        .collect();
    let nonce_required = input.dpop_nonce_required.map(|b| Spanned {
        value: b,
        span: r.line("dpop-nonce-required", if b { "true" } else { "false" }),
    });
    let at_duration = input.access_token_duration.map(|n| Spanned {
        value: n,
        span: r.line("access-token-duration", &n.to_string()),
    });
    let rt_duration = input.refresh_token_duration.map(|n| Spanned {
        value: n,
        span: r.line("refresh-token-duration", &n.to_string()),
    });

    let source = Source::new(SOURCE_NAME, r.text);
    let mut loaded = Loaded {
        source: Arc::clone(&source),
        request: TokenRequest::default(),
        issues: Vec::new(),
        secrets: Vec::new(),
        capture: None,
    };
    if let Some((span, b)) = body {
        match json::parse(b, span.offset) {
            Ok(doc) => apply_body(&doc, &mut loaded, input.parameters.is_none()),
            Err(e) => {
                let masked = super::lenient_secret_spans(b, span.offset, false);
                loaded.secrets.extend(masked);
                loaded.issues.push(LoadIssue::InvalidJson {
                    message: format!("--body: {}", e.message),
                    offset: e.offset,
                })
            }
        }
    }
    let req = &mut loaded.request;
    for (flag, text) in spans {
        match flag {
            "parameters" => req.parameters = Some(text),
            "client-id" => req.client_id = Some(text),
            "client-secret" => {
                loaded.secrets.push(text.span);
                req.client_secret = Some(text);
            }
            "client-certificate" => req.client_certificate = Some(text),
            "dpop" => req.dpop = Some(text),
            "htm" => req.htm = Some(text),
            "htu" => req.htu = Some(text),
            "access-token" => {
                loaded.secrets.push(text.span);
                req.access_token = Some(text);
            }
            "jwt-at-claims" => req.jwt_at_claims = Some(text),
            "oauth-client-attestation" => req.oauth_client_attestation = Some(text),
            "oauth-client-attestation-pop" => req.oauth_client_attestation_pop = Some(text),
            "properties" | "cimd-options" => {
                let value = match json::parse(&text.value, text.span.offset) {
                    Ok(v) => v,
                    Err(e) => {
                        loaded.issues.push(LoadIssue::InvalidJson {
                            message: format!("--{flag}: {}", e.message),
                            offset: e.offset,
                        });
                        continue;
                    }
                };
                if flag == "properties" {
                    req.properties = Some(value);
                } else {
                    req.cimd_options = Some(value);
                }
            }
            _ => unreachable!("flag {flag} is not rendered"),
        }
    }
    if !paths.is_empty() {
        req.client_certificate_path = paths;
    }
    if nonce_required.is_some() {
        req.dpop_nonce_required = nonce_required;
    }
    if at_duration.is_some() {
        req.access_token_duration = at_duration;
    }
    if rt_duration.is_some() {
        req.refresh_token_duration = rt_duration;
    }
    if input.body.is_none() && req.parameters.is_none() {
        loaded.issues.push(LoadIssue::MissingParameters {
            span: Span::new(0, 0),
        });
    }
    loaded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_override_body_and_keep_spans() {
        let input = FlagInput {
            body: Some(r#"{"parameters":"grant_type=x","htm":"GET"}"#.into()),
            htm: Some("POST".into()),
            client_secret: Some("hush".into()),
            ..FlagInput::default()
        };
        let l = load(&input);
        assert!(l.issues.is_empty(), "{:?}", l.issues);
        let text = &l.source.text;
        let htm = l.request.htm.as_ref().unwrap();
        assert_eq!(htm.value, "POST");
        assert_eq!(&text[htm.span.offset..htm.span.end()], "POST");
        let p = l.request.parameters.as_ref().unwrap();
        assert_eq!(&text[p.span.offset..p.span.end()], "grant_type=x");
        assert_eq!(&text[l.secrets[0].offset..l.secrets[0].end()], "hush");
    }

    #[test]
    fn bad_json_flag_is_an_issue() {
        let l = load(&FlagInput {
            parameters: Some("grant_type=x".into()),
            properties: Some("[{".into()),
            ..FlagInput::default()
        });
        assert!(matches!(l.issues[0], LoadIssue::InvalidJson { .. }));
    }
}
