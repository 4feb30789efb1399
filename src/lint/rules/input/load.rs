//! `input/` rules about the input file itself, found by the loader before
//! any rule runs: bytes that are not UTF-8, JSON that does not parse, a
//! body that is not Authlete's TokenRequest object.

use super::diags;
use crate::lint::Sink;
use crate::request::{LoadIssue, Loaded};

crate::lint::declare_rules! {
    area: Input;
    INVALID_JSON = "input/invalid-json", Error, "RFC 8259 §2",
        "The input is not valid JSON";
    NOT_AN_OBJECT = "input/not-an-object", Error, "Authlete API: TokenRequest",
        "The request body is JSON but not an object";
    MISSING_PARAMETERS = "input/missing-parameters", Error,
        "Authlete API: TokenRequest.parameters (REQUIRED)",
        "The body has no `parameters`, the one field Authlete requires";
    WRONG_TYPE = "input/wrong-type", Error, "Authlete API: TokenRequest",
        "A field has the wrong JSON type";
    UNKNOWN_FIELD = "input/unknown-field", Warning, "Authlete API: TokenRequest",
        "A field that Authlete's TokenRequest does not have";
    DUPLICATE_FIELD = "input/duplicate-field", Warning, "RFC 8259 §4",
        "The same field appears twice in the body; only the last one counts";
    INVALID_UTF8 = "input/invalid-utf8", Error, "RFC 8259 §8.1",
        "The input is not valid UTF-8";
}

/// The area's load hook: one finding per issue the loader met.
pub(super) fn check(loaded: &Loaded, sink: &mut Sink) {
    for issue in &loaded.issues {
        let f = match issue {
            LoadIssue::InvalidUtf8 { span, byte } => diags::invalid_utf8(*span, *byte),
            LoadIssue::InvalidJson { message, offset } => {
                let (line, col) = loaded.source.line_col(*offset);
                diags::invalid_json(message, *offset, line, col)
            }
            LoadIssue::NotAnObject { span, found } => diags::not_an_object(*span, found),
            LoadIssue::MissingParameters { span } => diags::missing_parameters(*span),
            LoadIssue::WrongType {
                field,
                expected,
                found,
                span,
            } => diags::wrong_type(field, expected, found, *span),
            LoadIssue::UnknownField {
                name,
                span,
                suggestion,
            } => diags::unknown_field(name, *span, *suggestion),
            LoadIssue::DuplicateField { name, span, first } => {
                diags::duplicate_field(name, *span, *first)
            }
        };
        sink.push(f);
    }
}
