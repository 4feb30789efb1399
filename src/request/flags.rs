//! Builds a request from `tokenlint token process` flags, which mirror
//! `authlete token process`. The flags are rendered into one text, a line per
//! flag, so that every value has a span a diagnostic can underline.
//! Precedence is the authlete CLI's: individual flags override `--body`.

use std::sync::Arc;

use super::fields::{self, Access, Field, FieldKind};
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

impl FlagInput {
    /// No flag describes a request: neither `--body` nor any field's flag.
    pub fn is_empty(&self) -> bool {
        self.body.is_none() && fields::FIELDS.iter().all(|f| (f.given)(self).is_empty())
    }
}

pub const SOURCE_NAME: &str = "<command line>";

/// A flag's values as the flag text shows them, for each type of flag
/// (see [`Field::given`]).
pub(super) trait Given {
    fn texts(&self) -> Vec<String>;
}

impl Given for Option<String> {
    fn texts(&self) -> Vec<String> {
        self.iter().cloned().collect()
    }
}

impl Given for Vec<String> {
    fn texts(&self) -> Vec<String> {
        self.clone()
    }
}

impl Given for Option<bool> {
    fn texts(&self) -> Vec<String> {
        self.iter().map(bool::to_string).collect()
    }
}

impl Given for Option<i64> {
    fn texts(&self) -> Vec<String> {
        self.iter().map(i64::to_string).collect()
    }
}

/// The order the flags are written in: the string flags, the JSON ones,
/// then lists, booleans and numbers, each in table order. Findings point
/// into this text, so the order is part of the output.
const RENDER_ORDER: [FieldKind; 5] = [
    FieldKind::String,
    FieldKind::Json,
    FieldKind::StringArray,
    FieldKind::Bool,
    FieldKind::Integer,
];

#[derive(Default)]
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

/// A field's flag values, written into the flag text.
struct Rendered {
    field: &'static Field,
    values: Vec<Text>,
}

/// Writes every given field flag (after `--body`, already written).
fn render_fields(r: &mut Renderer, input: &FlagInput) -> Vec<Rendered> {
    let mut out = Vec::new();
    for field in RENDER_ORDER.into_iter().flat_map(fields::of_kind) {
        let values: Vec<Text> = (field.given)(input)
            .into_iter()
            .map(|v| {
                let span = r.line(field.flag, &v);
                Text::verbatim(v, span.offset)
            })
            .collect();
        if !values.is_empty() {
            out.push(Rendered { field, values });
        }
    }
    out
}

pub fn load(input: &FlagInput) -> Loaded {
    let mut r = Renderer::default();
    // Render first (spans are offsets into the final text), then interpret.
    let body = input.body.as_deref().map(|b| (r.line("body", b), b));
    let rendered = render_fields(&mut r, input);
    let source = Source::new(SOURCE_NAME, r.text);
    let mut loaded = Loaded {
        source: Arc::clone(&source),
        request: TokenRequest::default(),
        issues: Vec::new(),
        secrets: Vec::new(),
        capture: None,
        skip: None,
        foreign: None,
    };
    if let Some((span, b)) = body {
        apply_body_flag(b, span, input.parameters.is_none(), &mut loaded);
    }
    // Individual flags override `--body`.
    for Rendered { field, values } in rendered {
        apply_flag(field, values, &mut loaded);
    }
    if input.body.is_none() && loaded.request.parameters.is_none() {
        loaded.issues.push(LoadIssue::MissingParameters {
            span: Span::new(0, 0),
        });
    }
    loaded
}

fn apply_body_flag(b: &str, span: Span, require_parameters: bool, loaded: &mut Loaded) {
    match json::validate(b, span.offset) {
        Ok(doc) => apply_body(doc, loaded, require_parameters, usize::MAX),
        Err(e) => {
            let masked = crate::secrets::lenient_secret_spans(b, span.offset, false);
            loaded.secrets.extend(masked);
            loaded.issues.push(LoadIssue::InvalidJson {
                message: format!("--body: {}", e.message),
                offset: e.offset,
            })
        }
    }
}

/// Sets a field from its flag's values, read back from the flag text.
fn apply_flag(field: &Field, values: Vec<Text>, loaded: &mut Loaded) {
    let req = &mut loaded.request;
    let Some(text) = values.first() else { return };
    match field.access {
        Access::Text(s) => {
            if field.is_secret() {
                loaded.secrets.push(text.span);
            }
            *(s.get_mut)(req) = values.into_iter().next();
        }
        Access::Texts(s) => *(s.get_mut)(req) = values,
        Access::Bool(s) => {
            *(s.get_mut)(req) = Some(Spanned {
                value: text.value == "true",
                span: text.span,
            })
        }
        Access::Integer(s) => {
            if let Ok(value) = text.value.parse() {
                *(s.get_mut)(req) = Some(Spanned {
                    value,
                    span: text.span,
                })
            }
        }
        // Kept as its span in the flag text, where rules read it.
        Access::Json(s) => match json::validate(&text.value, text.span.offset) {
            Ok(v) => {
                crate::secrets::json_spans(v, &mut loaded.secrets);
                *(s.get_mut)(req) = Some(json::Lazy { span: v.span() })
            }
            Err(e) => {
                let masked =
                    crate::secrets::lenient_secret_spans(&text.value, text.span.offset, false);
                loaded.secrets.extend(masked);
                loaded.issues.push(LoadIssue::InvalidJson {
                    message: format!("--{}: {}", field.flag, e.message),
                    offset: e.offset,
                })
            }
        },
    }
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
