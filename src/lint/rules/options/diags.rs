//! The words of every `options/` finding: one constructor per kind of
//! finding, so that the checks read as logic.

use super::cimd::{CIMD_MEMBERS, CIMD_OPTIONS_SHAPE, CIMD_OPTIONS_UNKNOWN};
use super::durations::{Duration, DURATION_NOT_POSITIVE};
use super::jwt_at_claims::{JWT_AT_CLAIMS_IGNORED, JWT_AT_CLAIMS_INVALID};
use super::properties::{
    Property, Size, MAX_ENCRYPTED_PROPERTIES, MAX_JSON_LEN, PROPERTIES_IGNORED,
    PROPERTIES_RESERVED_KEY, PROPERTIES_SHAPE, PROPERTIES_TOO_LARGE, RESERVED_KEYS,
};
use crate::json::{self, Raw, RawMember};
use crate::lint::Finding;
use crate::request::Spanned;
use crate::span::{Span, Text};

/// The first character of a JSON array or object: where a finding about
/// the whole of it, or about a member it lacks, points.
fn opening(v: Raw) -> Span {
    Span::new(v.span().offset, 1)
}

/// The help of a boolean written as a string, or of another non-boolean.
fn bool_help(v: Raw, quoted: &'static str, other: &'static str) -> &'static str {
    match v.raw_str() {
        Some("true") | Some("false") => quoted,
        _ => other,
    }
}

// ----------------------------------------------------------------- durations

pub(super) fn duration_not_positive(d: &Duration, seconds: Spanned<i64>) -> Finding {
    let (field, token) = (d.field, d.token);
    let why = if seconds.value == 0 {
        "zero"
    } else {
        "negative"
    };
    let message = format!(
        "`{field}` is {} ({why}): Authlete uses it only when it is positive, so the \
         service's default {token} token duration applies instead",
        seconds.value
    );
    Finding::new(&DURATION_NOT_POSITIVE, message)
        .field(field)
        .label(seconds.span, format!("{why}: ignored"))
        .help(format!(
            "give the {token} token lifetime in seconds (e.g. 3600), or omit `{field}` \
             to use the service default on purpose"
        ))
}

// ---------------------------------------------------------------- properties

const ARRAY_HELP: &str = "give an array of objects: \
    \"properties\": [{\"key\": \"example_parameter\", \"value\": \"example_value\"}]";

fn properties_shape(p: Raw, message: String, help: impl Into<String>) -> Finding {
    Finding::new(&PROPERTIES_SHAPE, message)
        .field("properties")
        .label(p.span(), format!("{}, not an array", p.kind()))
        .help(help)
}

/// `holds_array`: the string is the serialization of an array.
pub(super) fn properties_string(p: Raw, holds_array: bool) -> Finding {
    let message = "`properties` is a string; Authlete takes an array of \
        {\"key\", \"value\", \"hidden\"} objects. Authlete's OpenAPI spec 3.0.16 typed it as \
        a string (a known SDK bug, fixed in later specs); the server itself wants the array";
    let help = if holds_array {
        "the string holds a JSON array: put the array itself in the body, not its \
         serialization: \"properties\": [{\"key\": \"...\", \"value\": \"...\"}]"
    } else {
        ARRAY_HELP
    };
    properties_shape(p, message.to_owned(), help)
}

pub(super) fn properties_object(p: Raw, first_key: Option<&str>) -> Finding {
    let message = "`properties` is an object; Authlete takes an array of \
        {\"key\", \"value\", \"hidden\"} objects, one per property";
    let example = first_key.map_or_else(
        || "[]".to_owned(),
        |k| format!("[{{\"key\": {k:?}, \"value\": \"...\"}}]"),
    );
    let help = format!("write each member as its own element: {example}");
    properties_shape(p, message.to_owned(), help)
}

pub(super) fn properties_not_array(p: Raw) -> Finding {
    let message = format!(
        "`properties` is {}; Authlete takes an array of {{\"key\", \"value\", \"hidden\"}} objects",
        p.kind()
    );
    properties_shape(p, message, ARRAY_HELP)
}

pub(super) fn property_not_object(field: &str, item: Raw) -> Finding {
    let message = format!(
        "`{field}` is {}; each property is an object with `key` and `value`",
        item.kind()
    );
    Finding::new(&PROPERTIES_SHAPE, message)
        .field(field)
        .label(item.span(), "not an object")
        .help(
            "write the property as {\"key\": \"name\", \"value\": \"text\"} \
             (add \"hidden\": true to keep it out of the token response)",
        )
}

/// `meant`: the member a near-miss most likely meant.
pub(super) fn property_unknown_member(
    prop: &Property,
    m: &RawMember,
    meant: Option<&str>,
) -> Finding {
    let key = m.key();
    let (field, name) = (&prop.field, &key.value);
    let help = match meant {
        Some(s) => {
            format!("did you mean `{s}`? A property has `key`, `value` and optional `hidden`")
        }
        None => "a property has only `key` (string), `value` (string) and optional `hidden` \
                 (boolean); remove this member"
            .into(),
    };
    let message = format!(
        "`{field}` has an unknown member `{name}`; \
         Authlete's Property has only key, value and hidden"
    );
    Finding::new(&PROPERTIES_SHAPE, message)
        .field(format!("{field}.{name}"))
        .label(m.key_span(), "unknown member")
        .help(help)
}

pub(super) fn property_no_key(prop: &Property) -> Finding {
    let field = &prop.field;
    let message = format!("`{field}` has no `key`; Authlete requires a non-empty key");
    Finding::new(&PROPERTIES_SHAPE, message)
        .field(field)
        .label(opening(prop.item), "no key")
        .help("add \"key\": \"<name>\"")
}

pub(super) fn property_empty_key(prop: &Property, key: &RawMember) -> Finding {
    let field = &prop.field;
    let message = format!("`{field}.key` is empty; Authlete requires a non-empty key");
    Finding::new(&PROPERTIES_SHAPE, message)
        .field(format!("{field}.key"))
        .label(key.value.span(), "empty key")
        .help("give the property a name")
}

pub(super) fn property_key_not_string(prop: &Property, key: &RawMember) -> Finding {
    let field = &prop.field;
    let message = format!("`{field}.key` is {}, not a string", key.value.kind());
    Finding::new(&PROPERTIES_SHAPE, message)
        .field(format!("{field}.key"))
        .label(key.value.span(), "expected a string")
        .help("keys are strings: quote it")
}

pub(super) fn property_no_value(prop: &Property) -> Finding {
    let field = &prop.field;
    Finding::new(&PROPERTIES_SHAPE, format!("`{field}` has no `value`"))
        .field(field)
        .label(opening(prop.item), "no value")
        .help("add \"value\": \"<text>\" (an empty string is allowed)")
}

pub(super) fn property_value_not_string(prop: &Property, value: &RawMember) -> Finding {
    let field = &prop.field;
    let help = match value.value.is_number() || value.value.as_bool().is_some() {
        true => "Property.value is a string: quote it, e.g. \"42\" or \"true\"",
        false => {
            "Property.value is a string: serialize structured data into it \
             (e.g. a JSON string), or split it into several properties"
        }
    };
    let message = format!("`{field}.value` is {}, not a string", value.value.kind());
    Finding::new(&PROPERTIES_SHAPE, message)
        .field(format!("{field}.value"))
        .label(value.value.span(), "expected a string")
        .help(help)
}

pub(super) fn property_hidden_not_bool(prop: &Property, hidden: &RawMember) -> Finding {
    let field = &prop.field;
    let help = bool_help(
        hidden.value,
        "write the boolean without quotes: \"hidden\": true",
        "`hidden` is a boolean: true keeps the property out of the token response \
         (introspection still returns it)",
    );
    let null = if hidden.value.is_null() {
        ": Authlete reads null as false, so the property shows in the token response"
    } else {
        ""
    };
    let message = format!(
        "`{field}.hidden` is {}, not a boolean{null}",
        hidden.value.kind()
    );
    Finding::new(&PROPERTIES_SHAPE, message)
        .field(format!("{field}.hidden"))
        .label(hidden.value.span(), "expected true or false")
        .help(help)
}

pub(super) fn property_reserved_key(prop: &Property, key: &RawMember, name: &str) -> Finding {
    let field = &prop.field;
    let message = format!(
        "`{field}.key` is {name:?}, a name Authlete reserves for the token response; \
         the property is ignored"
    );
    let help = format!(
        "rename it (e.g. \"app_{name}\"); the reserved keys are {}",
        RESERVED_KEYS.join(", ")
    );
    Finding::new(&PROPERTIES_RESERVED_KEY, message)
        .field(format!("{field}.key"))
        .label(key.value.span(), "reserved key")
        .help(help)
}

/// `largest`: the largest element as written, its index and span.
pub(super) fn properties_too_large(p: Raw, largest: Option<(usize, Span)>, size: &Size) -> Finding {
    let encrypted = size.encrypted;
    let message = format!(
        "the properties serialize to {} bytes of JSON, about {encrypted} bytes once encrypted \
         and base64url-encoded; Authlete caps them at {MAX_ENCRYPTED_PROPERTIES} \
         (about {MAX_JSON_LEN} bytes of JSON)",
        size.json
    );
    let mut f = Finding::new(&PROPERTIES_TOO_LARGE, message)
        .field("properties")
        .label(opening(p), format!("≈{encrypted} bytes encrypted"));
    if let Some((i, span)) = largest {
        let text = format!("largest: properties[{i}], {} bytes", span.len);
        f = f.label(span, text);
    }
    f.help(
        "keep bulky data out of the token: store it on your side and put a reference \
         (an ID or URL) into a property",
    )
}

/// `grant`: where the request says grant_type=password.
pub(super) fn properties_ignored(p: Raw, count: usize, grant: Option<Span>) -> Finding {
    let message = format!(
        "{count} extra propert{} will be dropped: Authlete ignores `properties` in the token \
         request for grant_type=password",
        if count == 1 { "y" } else { "ies" }
    );
    let mut f = Finding::new(&PROPERTIES_IGNORED, message)
        .field("properties")
        .label(opening(p), "ignored for this grant");
    if let Some(grant) = grant {
        f = f.label(grant, "password grant");
    }
    f.help(
        "to attach properties to a token issued by the password flow, have the \
         authorization server call /auth/token/issue with them after it has authenticated \
         the resource owner",
    )
}

// --------------------------------------------------------------- jwtAtClaims

/// `at`: the character where parsing failed.
pub(super) fn jwt_at_claims_not_json(e: &json::Error, at: Span) -> Finding {
    let message = format!("`jwtAtClaims` is not valid JSON: {}", e.message);
    Finding::new(&JWT_AT_CLAIMS_INVALID, message)
        .field("jwtAtClaims")
        .label(at, e.message.clone())
        .help(
            "jwtAtClaims is a string holding a JSON object, e.g. \
             \"{\\\"roles\\\":[\\\"admin\\\"]}\"; serialize the object with a JSON library \
             rather than by hand",
        )
}

/// `twice`: the value is a string that holds a serialized object.
pub(super) fn jwt_at_claims_not_object(v: Raw, at: Span, twice: bool) -> Finding {
    let help = if twice {
        "the object was serialized twice: serialize it once, so the string starts with `{`"
    } else {
        "give a JSON object of extra claims, e.g. \"{\\\"roles\\\":[\\\"admin\\\"]}\""
    };
    let message = format!(
        "`jwtAtClaims` holds {}, not a JSON object of claims",
        v.kind()
    );
    Finding::new(&JWT_AT_CLAIMS_INVALID, message)
        .field("jwtAtClaims")
        .label(at, format!("{}, not an object", v.kind()))
        .help(help)
}

pub(super) fn jwt_at_claims_ignored(t: &Text, grant: &str, grant_span: Span) -> Finding {
    let message = format!(
        "`jwtAtClaims` is ignored with grant_type={grant}: Authlete adds these claims only \
         in the client_credentials flow"
    );
    Finding::new(&JWT_AT_CLAIMS_IGNORED, message)
        .field("jwtAtClaims")
        .label(t.span, "no effect with this grant")
        .label(grant_span, "not client_credentials")
        .help(
            "for other flows, put extra access-token claims on the authorization \
             (e.g. /auth/authorization/issue's `jwtAtClaims`) or remove the field here",
        )
}

// --------------------------------------------------------------- cimdOptions

/// `serialized`: the value is a string that holds a serialized object.
pub(super) fn cimd_not_object(c: Raw, serialized: bool) -> Finding {
    let help = if serialized {
        "the string holds a JSON object: put the object itself in the body, e.g. \
         \"cimdOptions\": {\"alwaysRetrieved\": true} (the CLI's --cimd-options flag takes \
         that JSON text)"
    } else {
        "give an object, e.g. \"cimdOptions\": {\"alwaysRetrieved\": true}"
    };
    let message = format!(
        "`cimdOptions` is {}; Authlete takes an object with the booleans alwaysRetrieved, \
         httpPermitted and queryPermitted",
        c.kind()
    );
    Finding::new(&CIMD_OPTIONS_SHAPE, message)
        .field("cimdOptions")
        .label(c.span(), "expected an object")
        .help(help)
}

/// `meant`: the member a near-miss most likely meant.
pub(super) fn cimd_unknown_member(m: &RawMember, meant: Option<&str>) -> Finding {
    let key = m.key();
    let name = &key.value;
    let help = match meant {
        Some(s) => format!("did you mean `{s}`? CimdOptions members are camelCase"),
        None => format!("the members are {}", CIMD_MEMBERS.join(", ")),
    };
    let message = format!(
        "`cimdOptions.{name}` is not a CimdOptions member: it overrides nothing (the request \
         is not refused for it)"
    );
    Finding::new(&CIMD_OPTIONS_UNKNOWN, message)
        .field(format!("cimdOptions.{name}"))
        .label(m.key_span(), "unknown member")
        .help(help)
}

pub(super) fn cimd_not_bool(m: &RawMember) -> Finding {
    let key = m.key();
    let name = &key.value;
    let help = bool_help(
        m.value,
        "write the boolean without quotes, e.g. true",
        "give true (override the service setting) or false",
    );
    let null = if m.value.is_null() {
        ": Authlete reads null as not given, so the service's setting applies"
    } else {
        ""
    };
    let message = format!(
        "`cimdOptions.{name}` is {}, not a boolean{null}",
        m.value.kind()
    );
    Finding::new(&CIMD_OPTIONS_SHAPE, message)
        .field(format!("cimdOptions.{name}"))
        .label(m.value.span(), "expected true or false")
        .help(help)
}
