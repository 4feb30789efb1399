//! Loads a fixture: a JSON file holding the `/auth/token` request body.

use std::collections::hash_map::{Entry, HashMap};
use std::sync::Arc;

use super::fields::{self, Access, Field};
use super::{LoadIssue, Loaded, Spanned, TokenRequest};
use crate::json::{self, Raw};
use crate::source::Source;
use crate::span::{Span, Text};
use crate::text::Suggester;

/// Reads raw bytes: invalid UTF-8 is reported and replaced, never fatal.
pub fn load_bytes(name: &str, bytes: &[u8]) -> Loaded {
    let (text, issue) = super::decode_lossy(bytes);
    let mut loaded = load_str(name, &text);
    loaded.issues.splice(0..0, issue);
    loaded
}

/// Reads raw bytes it may keep: valid UTF-8 becomes the source text without
/// a copy, and a string value longer than `max_string` bytes (the loader
/// passes the field size limit, `limits.field`) keeps only its span (see
/// [`crate::span::Text::elided`]): it is reported as too large and never
/// checked, so it need not be decoded. The document is read in place, not
/// built into a tree: only the fields' values are decoded, and a JSON
/// field (`properties`, `cimdOptions`) is kept as its span. A 50 MB
/// fixture is held once.
pub fn load_owned(name: &str, bytes: Vec<u8>, max_string: usize) -> Loaded {
    let (text, issue) = super::decode_lossy_owned(bytes);
    let mut loaded = load_source(Source::new(name, text), max_string);
    loaded.issues.splice(0..0, issue);
    loaded
}

pub fn load_str(name: &str, text: &str) -> Loaded {
    load_source(Source::new(name, text), usize::MAX)
}

fn load_source(source: Arc<Source>, max_string: usize) -> Loaded {
    let mut loaded = Loaded {
        source: Arc::clone(&source),
        request: TokenRequest::default(),
        issues: Vec::new(),
        secrets: Vec::new(),
        capture: None,
        skip: None,
        foreign: None,
    };
    match json::validate(&source.text, 0) {
        Err(e) => {
            // The report shows the text around the error: mask what a
            // lenient scan takes for secrets.
            loaded.secrets = crate::secrets::lenient_secret_spans(&source.text, 0, false);
            loaded.issues.push(LoadIssue::InvalidJson {
                message: e.message,
                offset: e.offset,
            })
        }
        Ok(doc) => {
            loaded.foreign = foreign(doc);
            apply_body(doc, &mut loaded, true, max_string)
        }
    }
    loaded
}

/// A member of the body: its key decoded, its value read in place.
struct Member<'a> {
    key: Text,
    key_span: Span,
    value: Raw<'a>,
}

/// At most this many wrong-typed items of one array field are reported: an
/// array of a million numbers must not become a million issues (the
/// findings are capped later, but the issues would be held first).
const MAX_ITEM_ISSUES: usize = 1000;

/// What a JSON document plainly is when it is not a token request: a key
/// (`kty`), a key set (`keys`), a service-account key, a package manifest,
/// or any object none of whose members is a request field, a near miss of
/// one, or a token request parameter. `None` for anything that may be a
/// fixture, broken or not (an empty object, an array, a string).
pub fn foreign(doc: Raw) -> Option<&'static str> {
    let members = || doc.members().into_iter().flatten();
    let has = |name: &str| members().any(|m| m.key_is(name));
    if has("kty") {
        return Some("a JWK");
    }
    if members().any(|m| m.key_is("keys") && m.value.items().is_some()) {
        return Some("a JWK set");
    }
    let service_account =
        members().any(|m| m.key_is("type") && m.value.raw_str() == Some("service_account"));
    if service_account || (has("private_key") && has("client_email")) {
        return Some("a service-account key");
    }
    let requestish = |name: &str| {
        fields::by_json_name(name).is_some()
            || fields::suggest(name).is_some()
            || crate::secrets::is_known_param(name)
    };
    if doc.members().is_none() || members().next().is_none() {
        return None;
    }
    if members().any(|m| requestish(&m.key().value)) {
        return None;
    }
    if has("name")
        && ["version", "dependencies", "devDependencies", "scripts"]
            .iter()
            .any(|k| has(k))
    {
        return Some("a package manifest");
    }
    Some("JSON with no member of a token request")
}

/// Applies a body read in place to the request. `require_parameters` is
/// false when the body is only one of several inputs (`--body` plus
/// `--parameters`). A string longer than `max_string` keeps only its span.
pub(crate) fn apply_body(
    doc: Raw,
    loaded: &mut Loaded,
    require_parameters: bool,
    max_string: usize,
) {
    let Some(members) = doc.members() else {
        crate::secrets::json_spans(doc, &mut loaded.secrets);
        loaded.issues.push(LoadIssue::NotAnObject {
            span: doc.span(),
            found: doc.kind(),
        });
        return;
    };
    let members: Vec<Member> = members
        .map(|m| Member {
            key: m.key(),
            key_span: m.key_span(),
            value: m.value,
        })
        .collect();
    // Each name's first member, to point a duplicate at it: a lookup, so
    // 50,000 members cost 50,000 lookups, not a scan of the ones before
    // each.
    let mut first: HashMap<&str, Span> = HashMap::new();
    let suggester = Suggester::default();
    for m in &members {
        match first.entry(m.key.value.as_str()) {
            Entry::Occupied(e) => loaded.issues.push(LoadIssue::DuplicateField {
                name: m.key.value.clone(),
                span: m.key_span,
                first: *e.get(),
            }),
            Entry::Vacant(e) => {
                e.insert(m.key_span);
            }
        }
        apply_member(m, loaded, max_string, &suggester);
    }
    // Secrets by name and by shape, wherever they sit: secret fields of any
    // type, unknown members, JSON fields, a key file's private members.
    crate::secrets::body_spans(
        doc,
        |name| fields::by_json_name(name).is_some(),
        &mut loaded.secrets,
    );
    let parameters_given = members.iter().any(|m| m.key.value == "parameters");
    if require_parameters && !parameters_given {
        loaded.issues.push(LoadIssue::MissingParameters {
            span: Span::new(doc.span().offset, 1),
        });
    }
}

fn apply_member(m: &Member, loaded: &mut Loaded, max_string: usize, suggester: &Suggester) {
    let Some(field) = fields::by_json_name(&m.key.value) else {
        loaded.issues.push(LoadIssue::UnknownField {
            name: m.key.value.clone(),
            span: m.key_span,
            suggestion: fields::suggest_within(suggester, &m.key.value),
        });
        let verbatim = (m.key.value.clone(), m.value.span());
        loaded.request.verbatim.push(verbatim);
        return;
    };
    let v = m.value;
    // Jackson maps null to "not set": the field is left out of the request
    // (a null `parameters` would leave nothing to lint), and the issue says so.
    let null = v.is_null();
    if null || set(field, v, loaded, max_string).is_none() {
        if !null {
            let verbatim = (field.json.to_owned(), v.span());
            loaded.request.verbatim.push(verbatim);
        }
        loaded.issues.push(LoadIssue::WrongType {
            field: field.json.to_owned(),
            expected: field.expected(),
            found: v.kind(),
            span: v.span(),
        })
    }
}

/// Sets a field from its JSON value; `None` when the value has the wrong type.
fn set(field: &Field, v: Raw, loaded: &mut Loaded, max_string: usize) -> Option<()> {
    let req = &mut loaded.request;
    let span = v.span();
    match field.access {
        Access::Text(s) => *(s.get_mut)(req) = Some(v.as_str_bounded(max_string)?),
        Access::Texts(s) => {
            let items = v.items()?;
            *(s.get_mut)(req) = string_items(field, items, &mut loaded.issues, max_string);
        }
        Access::Bool(s) => {
            let value = v.as_bool()?;
            *(s.get_mut)(req) = Some(Spanned { value, span });
        }
        Access::Integer(s) => {
            let value = v.as_i64()?;
            *(s.get_mut)(req) = Some(Spanned { value, span });
        }
        Access::Json(s) => *(s.get_mut)(req) = Some(json::Lazy { span }),
    }
    Some(())
}

/// The strings of an array; each item that is not one is an issue (at most
/// [`MAX_ITEM_ISSUES`]).
fn string_items(
    field: &Field,
    items: json::Items,
    issues: &mut Vec<LoadIssue>,
    max_string: usize,
) -> Vec<Text> {
    let mut out = Vec::new();
    let mut wrong = 0;
    for (i, item) in items.enumerate() {
        match item.as_str_bounded(max_string) {
            Some(t) => out.push(t),
            None if wrong < MAX_ITEM_ISSUES => {
                wrong += 1;
                issues.push(LoadIssue::WrongType {
                    field: format!("{}[{i}]", field.json),
                    expected: "a string",
                    found: item.kind(),
                    span: item.span(),
                });
            }
            None => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads_fields_with_spans() {
        let src = concat!(
            r#"{"parameters":"grant_type=client_credentials","clientId":"c1","#,
            r#""clientSecret":"s3cr3t","accessTokenDuration":60,"dpopNonceRequired":true}"#
        );
        let l = load_str("f.json", src);
        assert!(l.issues.is_empty(), "{:?}", l.issues);
        let p = l.request.parameters.as_ref().unwrap();
        assert_eq!(
            &src[p.span.offset..p.span.end()],
            "grant_type=client_credentials"
        );
        assert_eq!(l.request.access_token_duration.unwrap().value, 60);
        assert_eq!(l.secrets.len(), 1);
        assert_eq!(&src[l.secrets[0].offset..l.secrets[0].end()], "s3cr3t");
    }

    #[test]
    fn reports_type_unknown_duplicate_and_missing() {
        let l = load_str(
            "f.json",
            r#"{"client_id":"x","clientId":1,"htm":"POST","htm":"GET"}"#,
        );
        let kinds: Vec<_> = l.issues.iter().map(std::mem::discriminant).collect();
        assert_eq!(l.issues.len(), 4, "{:?}", l.issues);
        assert!(matches!(
            &l.issues[0],
            LoadIssue::UnknownField {
                suggestion: Some("clientId"),
                ..
            }
        ));
        assert!(matches!(&l.issues[1], LoadIssue::WrongType { .. }));
        assert!(matches!(&l.issues[2], LoadIssue::DuplicateField { .. }));
        assert!(matches!(&l.issues[3], LoadIssue::MissingParameters { .. }));
        assert_eq!(kinds.len(), 4);
        assert_eq!(l.request.htm.unwrap().value, "GET");
    }

    #[test]
    fn a_field_over_the_bound_is_not_copied() {
        let big = format!("grant_type=client_credentials&scope={}", "a".repeat(300));
        let src = format!(r#"{{"parameters":"{big}","clientId":"app","clientSecret":"s3cr3t"}}"#);
        let l = load_owned("f.json", src.clone().into_bytes(), 256);
        assert!(l.issues.is_empty(), "{:?}", l.issues);
        assert_eq!(l.source.text, src);
        // Only the span of `parameters` is kept, no decoded copy.
        let p = l.request.parameters.as_ref().unwrap();
        assert!(p.is_elided() && p.value.is_empty());
        assert_eq!(&src[p.span.offset..p.span.end()], big);
        assert_eq!(l.request.client_id.as_ref().unwrap().value, "app");
        assert_eq!(l.secrets.len(), 1);
        // Under the bound, or with `load_str`, the value is kept.
        let kept = load_owned("f.json", src.clone().into_bytes(), 4096);
        assert_eq!(kept.request.parameters.unwrap().value, big);
        assert_eq!(
            load_str("f.json", &src).request.parameters.unwrap().value,
            big
        );
        // Invalid UTF-8 goes the lossy way, as with `load_bytes`.
        let l = load_owned("f.json", b"{\"parameters\":\"a=\xff\"}".to_vec(), 256);
        assert!(matches!(
            l.issues[0],
            LoadIssue::InvalidUtf8 { byte: 0xFF, .. }
        ));
        assert_eq!(l.request.parameters.unwrap().value, "a=\u{fffd}");
    }

    #[test]
    fn invalid_utf8_is_reported_not_fatal() {
        let l = load_bytes("f.json", b"{\"parameters\":\"a=\xff\"}");
        assert_eq!(
            l.issues[0],
            LoadIssue::InvalidUtf8 {
                span: Span::new(17, 3),
                byte: 0xFF
            }
        );
        assert!(l.request.parameters.is_some());
    }
}
