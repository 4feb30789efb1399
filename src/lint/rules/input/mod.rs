//! `input/`: problems reading the input itself, before any OAuth rule runs.

pub mod capture;
pub mod limits;

pub use limits::{check_limits, jws_over_limit, unchecked_secret_spans};

use crate::lint::{Context, Finding, Sink};
use crate::request::{fields, LoadIssue, Loaded};
use crate::span::Span;

crate::lint::declare_rules! {
    area: Input;
    INVALID_JSON = "input/invalid-json", Error, "RFC 8259 §2",
        "The input is not valid JSON";
    NOT_AN_OBJECT = "input/not-an-object", Error, "Authlete API: TokenRequest",
        "The request body is JSON but not an object";
    MISSING_PARAMETERS = "input/missing-parameters", Error, "Authlete API: TokenRequest.parameters (REQUIRED)",
        "The body has no `parameters`, the one field Authlete requires";
    WRONG_TYPE = "input/wrong-type", Error, "Authlete API: TokenRequest",
        "A field has the wrong JSON type";
    UNKNOWN_FIELD = "input/unknown-field", Warning, "Authlete API: TokenRequest",
        "A field that Authlete's TokenRequest does not have";
    DUPLICATE_FIELD = "input/duplicate-field", Warning, "RFC 8259 §4",
        "The same field appears twice in the body; only the last one counts";
    INVALID_UTF8 = "input/invalid-utf8", Error, "RFC 8259 §8.1",
        "The input is not valid UTF-8";
    FIELD_TOO_LARGE = "input/field-too-large", Error, "RFC 9110 §15.5.14",
        "A field is larger than the field size limit; it is not checked";
    JWS_TOO_LARGE = "input/jws-too-large", Error, "RFC 8725 §2.1",
        "A JWS (DPoP proof, client assertion, attestation) is larger than the JWS size limit; it is not checked";
    PEM_TOO_LARGE = "input/pem-too-large", Error, "RFC 8705 §2",
        "The client certificates together are larger than the PEM bundle limit; they are not checked";
    EXPECTED_ERRORS_MISSING = "input/expected-errors-missing", Error, "tokenlint configuration: overrides.expect-errors",
        "An input the configuration expects to fail raises no error";
}

/// Turns the loader's issues into findings.
pub fn check_load(loaded: &Loaded, sink: &mut Sink) {
    for issue in &loaded.issues {
        let f = match issue {
            LoadIssue::InvalidUtf8 { span, byte } => Finding::new(
                &INVALID_UTF8,
                format!("byte 0x{byte:02X} at offset {} is not valid UTF-8", span.offset),
            )
            .label(*span, "not UTF-8")
            .help("save the file as UTF-8; JSON text exchanged between systems MUST be UTF-8"),
            LoadIssue::InvalidJson { message, offset } => {
                let (line, col) = loaded.source.line_col(*offset);
                Finding::new(&INVALID_JSON, format!("not valid JSON: {message} (line {line}, column {col})"))
                    .label(Span::new(*offset, 0), message.clone())
                    .help("the input must be the JSON body of Authlete's /auth/token request, e.g. {\"parameters\": \"grant_type=...\"}")
            }
            LoadIssue::NotAnObject { span, found } => Finding::new(
                &NOT_AN_OBJECT,
                format!("the request body must be a JSON object, found {found}"),
            )
            .label(Span::new(span.offset, span.len.min(1)), format!("{found} here"))
            .help("wrap the request in an object: {\"parameters\": \"grant_type=...\", \"clientId\": \"...\"}"),
            LoadIssue::MissingParameters { span } => Finding::new(
                &MISSING_PARAMETERS,
                "the request has no `parameters`: Authlete needs the token request's form body",
            )
            .field("parameters")
            .label(*span, "no `parameters` in this request")
            .help("add \"parameters\": \"grant_type=...&...\" (the application/x-www-form-urlencoded body the token endpoint received), or pass --parameters"),
            LoadIssue::WrongType { field, expected, found, span } => Finding::new(
                &WRONG_TYPE,
                format!("`{field}` must be {expected}, found {found}"),
            )
            .field(field.clone())
            .label(*span, format!("expected {expected}"))
            .help(wrong_type_help(field, expected)),
            LoadIssue::UnknownField { name, span, suggestion } => {
                let f = Finding::new(
                    &UNKNOWN_FIELD,
                    format!("`{name}` is not a field of Authlete's token request; it will be ignored"),
                )
                .field(name.clone())
                .label(*span, "unknown field");
                match suggestion {
                    Some(s) => f.help(format!("did you mean `{s}`?")),
                    None => f.help(format!(
                        "the fields are: {}",
                        fields::FIELDS.iter().map(|f| f.json).collect::<Vec<_>>().join(", ")
                    )),
                }
            }
            LoadIssue::DuplicateField { name, span, first } => Finding::new(
                &DUPLICATE_FIELD,
                format!("`{name}` appears more than once; parsers disagree on which one wins (Authlete's Jackson keeps the last)"),
            )
            .field(name.clone())
            .label(*span, "again here")
            .label(*first, "first here")
            .help("keep one of them"),
        };
        sink.push(f);
    }
}

fn wrong_type_help(field: &str, expected: &str) -> String {
    match field {
        "jwtAtClaims" => "Authlete takes jwtAtClaims as a string holding a JSON object: serialize the object, e.g. \"{\\\"roles\\\":[\\\"admin\\\"]}\"".into(),
        "parameters" => "`parameters` is the form-encoded body as one string, e.g. \"grant_type=client_credentials&scope=read\"".into(),
        "accessTokenDuration" | "refreshTokenDuration" => "give the duration in whole seconds, as a JSON number".into(),
        _ => format!("give {expected}"),
    }
}

/// The `Input` area: its rules and the check that runs them.
pub static AREA: crate::lint::rules::AreaRules = crate::lint::rules::AreaRules {
    area: crate::lint::Area::Input,
    rules: &[RULES, capture::RULES],
    check: check_all,
};

/// The area's checks: this file's and its concern files'.
fn check_all(cx: &Context, sink: &mut Sink) {
    check(cx, sink);
    capture::check(cx, sink);
}

/// After loading: JWS values inside `parameters` over the JWS limit (the
/// other `input/` rules come from the loader and [`check_limits`]).
pub fn check(cx: &Context, sink: &mut Sink) {
    limits::check_oversized_params(cx, sink);
}
