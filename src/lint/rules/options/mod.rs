//! `options/`: the per-request options of Authlete's token API that are not
//! OAuth parameters: token durations, extra `properties`, `jwtAtClaims` and
//! `cimdOptions` (Authlete API model, `TokenRequest`, `Property`, `CimdOptions`).

use crate::json::{self, Member, Node, Value};
use crate::lint::{Context, Finding, Sink};
use crate::request::Spanned;
use crate::span::{Span, Text};

crate::lint::declare_rules! {
    area: Options;
    DURATION_NOT_POSITIVE = "options/duration-not-positive", Warning, "Authlete API: TokenRequest.accessTokenDuration/refreshTokenDuration",
        "A token duration of zero or less is ignored: the service default applies";
    PROPERTIES_SHAPE = "options/properties-shape", Error, "Authlete API: TokenRequest.properties",
        "`properties` is not an array of {key, value, hidden} objects";
    PROPERTIES_RESERVED_KEY = "options/properties-reserved-key", Warning, "Authlete API: Property",
        "A property key that Authlete reserves and ignores";
    PROPERTIES_TOO_LARGE = "options/properties-too-large", Error, "Authlete API: TokenRequest.properties",
        "The encrypted `properties` would exceed Authlete's 65,535-byte limit";
    PROPERTIES_IGNORED = "options/properties-ignored", Warning, "Authlete API: TokenRequest.properties",
        "`properties` are ignored with grant_type=password";
    JWT_AT_CLAIMS_INVALID = "options/jwt-at-claims-invalid", Error, "Authlete API: TokenRequest.jwtAtClaims",
        "`jwtAtClaims` is not a JSON object serialized as a string";
    JWT_AT_CLAIMS_IGNORED = "options/jwt-at-claims-ignored", Warning, "Authlete API: TokenRequest.jwtAtClaims",
        "`jwtAtClaims` only takes effect with grant_type=client_credentials";
    CIMD_OPTIONS_SHAPE = "options/cimd-options-shape", Error, "Authlete API: CimdOptions",
        "`cimdOptions` is not an object of alwaysRetrieved / httpPermitted / queryPermitted booleans";
}

/// Property keys Authlete ignores (they would collide with the token response).
pub const RESERVED_KEYS: &[&str] = &[
    "access_token",
    "token_type",
    "expires_in",
    "refresh_token",
    "scope",
    "error",
    "error_description",
    "error_uri",
    "id_token",
];

/// The cap on the encrypted, base64url-encoded properties (TokenRequest.setProperties).
pub const MAX_ENCRYPTED_PROPERTIES: usize = 65_535;

/// The members of `CimdOptions`.
pub const CIMD_MEMBERS: &[&str] = &["alwaysRetrieved", "httpPermitted", "queryPermitted"];

const PROPERTY_MEMBERS: &[&str] = &["key", "value", "hidden"];

/// The `Options` area: its rules and the check that runs them.
pub static AREA: crate::lint::rules::AreaRules = crate::lint::rules::AreaRules {
    hooks: crate::lint::rules::Hooks::NONE,
    area: crate::lint::Area::Options,
    rules: &[RULES],
    check,
};

pub fn check(cx: &Context, sink: &mut Sink) {
    check_duration(
        sink,
        "accessTokenDuration",
        "access",
        cx.req.access_token_duration,
    );
    check_duration(
        sink,
        "refreshTokenDuration",
        "refresh",
        cx.req.refresh_token_duration,
    );
    if let Some(p) = &cx.req.properties {
        check_properties(cx, p, sink);
    }
    if let Some(t) = &cx.req.jwt_at_claims {
        check_jwt_at_claims(cx, t, sink);
    }
    if let Some(c) = &cx.req.cimd_options {
        check_cimd_options(c, sink);
    }
}

fn check_duration(sink: &mut Sink, field: &str, kind: &str, d: Option<Spanned<i64>>) {
    let Some(d) = d.filter(|d| d.value <= 0) else {
        return;
    };
    let why = if d.value == 0 { "zero" } else { "negative" };
    sink.push(
        Finding::new(
            &DURATION_NOT_POSITIVE,
            format!(
                "`{field}` is {} ({why}): Authlete uses it only when it is positive, so the service's default {kind} token duration applies instead",
                d.value
            ),
        )
        .field(field)
        .label(d.span, format!("{why}: ignored"))
        .help(format!("give the {kind} token lifetime in seconds (e.g. 3600), or omit `{field}` to use the service default on purpose")),
    );
}

// ---------------------------------------------------------------- properties

fn check_properties(cx: &Context, p: &Value, sink: &mut Sink) {
    let Some(items) = p.as_array() else {
        if !matches!(p.node, Node::Null) {
            properties_not_array(p, sink);
        }
        return;
    };
    for (i, item) in items.iter().enumerate() {
        check_property(i, item, sink);
    }
    if items.is_empty() {
        return;
    }
    check_size(items, p.span, sink);
    if cx.grant_type() == Some("password") {
        let mut f = Finding::new(
            &PROPERTIES_IGNORED,
            format!(
                "{} extra propert{} will be dropped: Authlete ignores `properties` in the token request for grant_type=password",
                items.len(),
                if items.len() == 1 { "y" } else { "ies" }
            ),
        )
        .field("properties")
        .label(Span::new(p.span.offset, 1), "ignored for this grant");
        if let Some(g) = cx.param("grant_type") {
            f = f.label(cx.value_span(g), "password grant");
        }
        sink.push(f.help("to attach properties to a token issued by the password flow, have the authorization server call /auth/token/issue with them after it has authenticated the resource owner"));
    }
}

fn properties_not_array(p: &Value, sink: &mut Sink) {
    let (message, help) = match &p.node {
        Node::String(t) => {
            let holds_array = json::parse(&t.value, 0)
                .map(|v| v.as_array().is_some())
                .unwrap_or(false);
            let help = if holds_array {
                "the string holds a JSON array: put the array itself in the body, not its serialization: \"properties\": [{\"key\": \"...\", \"value\": \"...\"}]"
            } else {
                "give an array of objects: \"properties\": [{\"key\": \"example_parameter\", \"value\": \"example_value\"}]"
            };
            (
                "`properties` is a string; Authlete takes an array of {\"key\", \"value\", \"hidden\"} objects. Authlete's OpenAPI spec 3.0.16 typed it as a string (a known SDK bug, fixed in later specs); the server itself wants the array".to_owned(),
                help.to_owned(),
            )
        }
        Node::Object(members) => {
            let example = members
                .first()
                .map(|m| {
                    format!(
                        "[{{\"key\": {:?}, \"value\": \"...\"}}]",
                        m.key.value
                    )
                })
                .unwrap_or_else(|| "[]".into());
            (
                "`properties` is an object; Authlete takes an array of {\"key\", \"value\", \"hidden\"} objects, one per property".to_owned(),
                format!("write each member as its own element: {example}"),
            )
        }
        _ => (
            format!(
                "`properties` is {}; Authlete takes an array of {{\"key\", \"value\", \"hidden\"}} objects",
                p.kind()
            ),
            "give an array of objects: \"properties\": [{\"key\": \"example_parameter\", \"value\": \"example_value\"}]".to_owned(),
        ),
    };
    sink.push(
        Finding::new(&PROPERTIES_SHAPE, message)
            .field("properties")
            .label(p.span, format!("{}, not an array", p.kind()))
            .help(help),
    );
}

fn check_property(i: usize, item: &Value, sink: &mut Sink) {
    let field = format!("properties[{i}]");
    let Some(members) = item.as_object() else {
        sink.push(
            Finding::new(
                &PROPERTIES_SHAPE,
                format!("`{field}` is {}; each property is an object with `key` and `value`", item.kind()),
            )
            .field(field)
            .label(item.span, "not an object")
            .help("write the property as {\"key\": \"name\", \"value\": \"text\"} (add \"hidden\": true to keep it out of the token response)"),
        );
        return;
    };
    for m in members {
        if PROPERTY_MEMBERS.contains(&m.key.value.as_str()) {
            continue;
        }
        let help = match suggest(&m.key.value, PROPERTY_MEMBERS)
            .or_else(|| property_synonym(&m.key.value))
        {
            Some(s) => format!("did you mean `{s}`? A property has `key`, `value` and optional `hidden`"),
            None => "a property has only `key` (string), `value` (string) and optional `hidden` (boolean); remove this member".into(),
        };
        sink.push(
            Finding::new(
                &PROPERTIES_SHAPE,
                format!("`{field}` has an unknown member `{}`; Authlete's Property has only key, value and hidden", m.key.value),
            )
            .field(format!("{field}.{}", m.key.value))
            .label(m.key_span, "unknown member")
            .help(help),
        );
    }
    match get(members, "key") {
        None => sink.push(
            Finding::new(
                &PROPERTIES_SHAPE,
                format!("`{field}` has no `key`; Authlete requires a non-empty key"),
            )
            .field(field.clone())
            .label(Span::new(item.span.offset, 1), "no key")
            .help("add \"key\": \"<name>\""),
        ),
        Some(m) => match m.value.as_str() {
            Some(t) if t.value.is_empty() => sink.push(
                Finding::new(
                    &PROPERTIES_SHAPE,
                    format!("`{field}.key` is empty; Authlete requires a non-empty key"),
                )
                .field(format!("{field}.key"))
                .label(m.value.span, "empty key")
                .help("give the property a name"),
            ),
            Some(_) => {}
            None => sink.push(
                Finding::new(
                    &PROPERTIES_SHAPE,
                    format!("`{field}.key` is {}, not a string", m.value.kind()),
                )
                .field(format!("{field}.key"))
                .label(m.value.span, "expected a string")
                .help("keys are strings: quote it"),
            ),
        },
    }
    match get(members, "value") {
        None => sink.push(
            Finding::new(&PROPERTIES_SHAPE, format!("`{field}` has no `value`"))
                .field(field.clone())
                .label(Span::new(item.span.offset, 1), "no value")
                .help("add \"value\": \"<text>\" (an empty string is allowed)"),
        ),
        Some(m) if m.value.as_str().is_none() => {
            let help = match m.value.node {
                Node::Number(_) | Node::Bool(_) => "Property.value is a string: quote it, e.g. \"42\" or \"true\"",
                _ => "Property.value is a string: serialize structured data into it (e.g. a JSON string), or split it into several properties",
            };
            sink.push(
                Finding::new(
                    &PROPERTIES_SHAPE,
                    format!("`{field}.value` is {}, not a string", m.value.kind()),
                )
                .field(format!("{field}.value"))
                .label(m.value.span, "expected a string")
                .help(help),
            );
        }
        Some(_) => {}
    }
    if let Some(m) = get(members, "hidden") {
        if m.value.as_bool().is_none() && !matches!(m.value.node, Node::Null) {
            let help = match m.value.as_str().map(|t| t.value.as_str()) {
                Some("true") | Some("false") => "write the boolean without quotes: \"hidden\": true",
                _ => "`hidden` is a boolean: true keeps the property out of the token response (introspection still returns it)",
            };
            sink.push(
                Finding::new(
                    &PROPERTIES_SHAPE,
                    format!("`{field}.hidden` is {}, not a boolean", m.value.kind()),
                )
                .field(format!("{field}.hidden"))
                .label(m.value.span, "expected true or false")
                .help(help),
            );
        }
    }
    if let Some(m) = get(members, "key") {
        if let Some(t) = m.value.as_str() {
            if RESERVED_KEYS.contains(&t.value.as_str()) {
                sink.push(
                    Finding::new(
                        &PROPERTIES_RESERVED_KEY,
                        format!("`{field}.key` is {:?}, a name Authlete reserves for the token response; the property is ignored", t.value),
                    )
                    .field(format!("{field}.key"))
                    .label(m.value.span, "reserved key")
                    .help(format!(
                        "rename it (e.g. \"app_{}\"); the reserved keys are {}",
                        t.value,
                        RESERVED_KEYS.join(", ")
                    )),
                );
            }
        }
    }
}

fn get<'a>(members: &'a [Member], key: &str) -> Option<&'a Member> {
    // Jackson keeps the last of duplicate members.
    members.iter().rev().find(|m| m.key.value == key)
}

fn property_synonym(name: &str) -> Option<&'static str> {
    match name.to_ascii_lowercase().as_str() {
        "name" | "k" | "id" => Some("key"),
        "val" | "v" | "data" => Some("value"),
        "hide" | "private" | "secret" => Some("hidden"),
        _ => None,
    }
}

/// Estimated length of the encrypted form Authlete stores: the properties as
/// JSON, AES/CBC with PKCS#7 padding, a 16-byte IV in front, base64url
/// without padding.
pub fn encrypted_size(json_len: usize) -> usize {
    let padded = (json_len / 16 + 1) * 16;
    let raw = 16 + padded;
    (raw * 4).div_ceil(3)
}

/// The JSON Authlete serializes: `[{"key":…,"value":…,"hidden":…}, …]`.
fn properties_json(items: &[Value]) -> String {
    let list: Vec<serde_json::Value> = items
        .iter()
        .filter_map(|item| {
            let members = item.as_object()?;
            let s = |k: &str| {
                get(members, k)
                    .map(|m| m.value.to_json())
                    .unwrap_or(serde_json::Value::Null)
            };
            let hidden = get(members, "hidden")
                .and_then(|m| m.value.as_bool())
                .unwrap_or(false);
            Some(serde_json::json!({"key": s("key"), "value": s("value"), "hidden": hidden}))
        })
        .collect();
    serde_json::to_string(&list).unwrap_or_default()
}

fn check_size(items: &[Value], span: Span, sink: &mut Sink) {
    let json = properties_json(items);
    let size = encrypted_size(json.len());
    if size <= MAX_ENCRYPTED_PROPERTIES {
        return;
    }
    let mut f = Finding::new(
        &PROPERTIES_TOO_LARGE,
        format!(
            "the properties serialize to {} bytes of JSON, about {size} bytes once encrypted and base64url-encoded; Authlete caps them at {MAX_ENCRYPTED_PROPERTIES} (about {} bytes of JSON)",
            json.len(),
            MAX_JSON_LEN
        ),
    )
    .field("properties")
    .label(Span::new(span.offset, 1), format!("≈{size} bytes encrypted"));
    let largest = items.iter().enumerate().max_by_key(|(_, v)| v.span.len);
    if let Some((i, v)) = largest {
        f = f.label(
            v.span,
            format!("largest: properties[{i}], {} bytes", v.span.len),
        );
    }
    sink.push(f.help("keep bulky data out of the token: store it on your side and put a reference (an ID or URL) into a property"));
}

/// The longest properties JSON that still fits the limit.
pub const MAX_JSON_LEN: usize = 49_119;

// --------------------------------------------------------------- jwtAtClaims

fn check_jwt_at_claims(cx: &Context, t: &Text, sink: &mut Sink) {
    match json::parse(&t.value, 0) {
        Err(e) => {
            let mut at = e.offset.min(t.value.len());
            while !t.value.is_char_boundary(at) {
                at -= 1;
            }
            let end = t.value[at..]
                .chars()
                .next()
                .map_or(at, |c| at + c.len_utf8());
            sink.push(
                Finding::new(
                    &JWT_AT_CLAIMS_INVALID,
                    format!("`jwtAtClaims` is not valid JSON: {}", e.message),
                )
                .field("jwtAtClaims")
                .label(t.sub_span(at..end), e.message.clone())
                .help("jwtAtClaims is a string holding a JSON object, e.g. \"{\\\"roles\\\":[\\\"admin\\\"]}\"; serialize the object with a JSON library rather than by hand"),
            );
        }
        Ok(v) if v.as_object().is_none() => {
            let twice = v
                .as_str()
                .is_some_and(|s| json::parse(&s.value, 0).is_ok_and(|i| i.as_object().is_some()));
            let help = if twice {
                "the object was serialized twice: serialize it once, so the string starts with `{`"
            } else {
                "give a JSON object of extra claims, e.g. \"{\\\"roles\\\":[\\\"admin\\\"]}\""
            };
            sink.push(
                Finding::new(
                    &JWT_AT_CLAIMS_INVALID,
                    format!(
                        "`jwtAtClaims` holds {}, not a JSON object of claims",
                        v.kind()
                    ),
                )
                .field("jwtAtClaims")
                .label(
                    t.sub_span(trimmed_range(&t.value)),
                    format!("{}, not an object", v.kind()),
                )
                .help(help),
            );
        }
        Ok(_) => {}
    }
    let Some(g) = cx.param("grant_type") else {
        return;
    };
    if g.value == "client_credentials" {
        return;
    }
    sink.push(
        Finding::new(
            &JWT_AT_CLAIMS_IGNORED,
            format!(
                "`jwtAtClaims` is ignored with grant_type={}: Authlete adds these claims only in the client_credentials flow",
                g.value
            ),
        )
        .field("jwtAtClaims")
        .label(t.span, "no effect with this grant")
        .label(cx.value_span(g), "not client_credentials")
        .help("for other flows, put extra access-token claims on the authorization (e.g. /auth/authorization/issue's `jwtAtClaims`) or remove the field here"),
    );
}

/// The range of `s` without surrounding JSON whitespace.
fn trimmed_range(s: &str) -> std::ops::Range<usize> {
    let ws = |c: char| matches!(c, ' ' | '\t' | '\n' | '\r');
    let start = s.len() - s.trim_start_matches(ws).len();
    let end = s.trim_end_matches(ws).len();
    start..end.max(start)
}

// --------------------------------------------------------------- cimdOptions

fn check_cimd_options(c: &Value, sink: &mut Sink) {
    let Some(members) = c.as_object() else {
        if matches!(c.node, Node::Null) {
            return;
        }
        let serialized = c
            .as_str()
            .is_some_and(|t| json::parse(&t.value, 0).is_ok_and(|v| v.as_object().is_some()));
        let help = if serialized {
            "the string holds a JSON object: put the object itself in the body, e.g. \"cimdOptions\": {\"alwaysRetrieved\": true} (the CLI's --cimd-options flag takes that JSON text)"
        } else {
            "give an object, e.g. \"cimdOptions\": {\"alwaysRetrieved\": true}"
        };
        sink.push(
            Finding::new(
                &CIMD_OPTIONS_SHAPE,
                format!("`cimdOptions` is {}; Authlete takes an object with the booleans alwaysRetrieved, httpPermitted and queryPermitted", c.kind()),
            )
            .field("cimdOptions")
            .label(c.span, "expected an object")
            .help(help),
        );
        return;
    };
    for m in members {
        let name = m.key.value.as_str();
        if !CIMD_MEMBERS.contains(&name) {
            let help = match suggest(name, CIMD_MEMBERS) {
                Some(s) => format!("did you mean `{s}`? CimdOptions members are camelCase"),
                None => format!("the members are {}", CIMD_MEMBERS.join(", ")),
            };
            sink.push(
                Finding::new(
                    &CIMD_OPTIONS_SHAPE,
                    format!(
                        "`cimdOptions.{name}` is not a CimdOptions member; Authlete ignores it"
                    ),
                )
                .field(format!("cimdOptions.{name}"))
                .label(m.key_span, "unknown member")
                .help(help),
            );
            continue;
        }
        if m.value.as_bool().is_some() || matches!(m.value.node, Node::Null) {
            continue;
        }
        let help = match m.value.as_str().map(|t| t.value.as_str()) {
            Some("true") | Some("false") => "write the boolean without quotes, e.g. true",
            _ => "give true (override the service setting) or false",
        };
        sink.push(
            Finding::new(
                &CIMD_OPTIONS_SHAPE,
                format!("`cimdOptions.{name}` is {}, not a boolean", m.value.kind()),
            )
            .field(format!("cimdOptions.{name}"))
            .label(m.value.span, "expected true or false")
            .help(help),
        );
    }
}

/// The known name a near-miss most likely meant: same letters ignoring case,
/// `_` and `-` (`always_retrieved` → `alwaysRetrieved`), or at most two edits away.
pub fn suggest(name: &str, known: &[&'static str]) -> Option<&'static str> {
    crate::text::suggest(name, known.iter().copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn size_estimate() {
        // 0 bytes of JSON still get a full padding block: IV 16 + 16 = 32 bytes → 43 chars.
        assert_eq!(encrypted_size(0), 43);
        // 15 bytes pad to 16; 16 bytes pad to 32.
        assert_eq!(encrypted_size(15), 43);
        assert_eq!(encrypted_size(16), 64);
        // The boundary: the largest JSON that fits, and one byte more.
        assert_eq!(encrypted_size(MAX_JSON_LEN), 65_515);
        assert!(encrypted_size(MAX_JSON_LEN) <= MAX_ENCRYPTED_PROPERTIES);
        assert_eq!(encrypted_size(MAX_JSON_LEN + 1), 65_536);
        assert!(encrypted_size(MAX_JSON_LEN + 1) > MAX_ENCRYPTED_PROPERTIES);
    }

    #[test]
    fn serialized_properties() {
        let v = json::parse(
            r#"[{"key":"a","value":"b"},{"value":"\u00e9","key":"c","hidden":true}]"#,
            0,
        )
        .unwrap();
        assert_eq!(
            properties_json(v.as_array().unwrap()),
            r#"[{"key":"a","value":"b","hidden":false},{"key":"c","value":"é","hidden":true}]"#
        );
    }

    #[test]
    fn suggestions() {
        assert_eq!(
            suggest("always_retrieved", CIMD_MEMBERS),
            Some("alwaysRetrieved")
        );
        assert_eq!(
            suggest("HttpPermitted", CIMD_MEMBERS),
            Some("httpPermitted")
        );
        assert_eq!(
            suggest("query-permitted", CIMD_MEMBERS),
            Some("queryPermitted")
        );
        assert_eq!(
            suggest("alwaysRetreived", CIMD_MEMBERS),
            Some("alwaysRetrieved")
        );
        assert_eq!(suggest("httpAllowed", CIMD_MEMBERS), None);
        assert_eq!(suggest("Key", PROPERTY_MEMBERS), Some("key"));
        assert_eq!(suggest("values", PROPERTY_MEMBERS), Some("value"));
        assert_eq!(suggest("name", PROPERTY_MEMBERS), None);
        assert_eq!(property_synonym("name"), Some("key"));
    }

    /// The source text under each finding of `rule` for a fixture.
    fn labelled(fixture: &str, rule: &str) -> Vec<String> {
        let loaded = crate::request::fixture::load_str("t.json", fixture);
        let report = crate::lint::lint(&loaded, &crate::lint::Settings::with_now(0));
        report
            .findings
            .iter()
            .filter(|f| f.rule.id == rule)
            .filter_map(|f| f.primary_span())
            .map(|s| fixture[s.offset..s.end()].to_owned())
            .collect()
    }

    #[test]
    fn jwt_at_claims_error_maps_through_escapes() {
        // Decoded: {"a":"é",x} — the error is at `x`, after six JSON escapes.
        let f = r#"{"parameters": "grant_type=client_credentials", "jwtAtClaims": "{\"a\":\"\u00e9\",x}"}"#;
        assert_eq!(labelled(f, "options/jwt-at-claims-invalid"), ["x"]);
        // An empty string: a zero-length span at its start.
        let f = r#"{"parameters": "grant_type=client_credentials", "jwtAtClaims": ""}"#;
        assert_eq!(labelled(f, "options/jwt-at-claims-invalid"), [""]);
        let f = r#"{"parameters": "grant_type=client_credentials", "jwtAtClaims": "{\"a\":1}"}"#;
        assert!(labelled(f, "options/jwt-at-claims-invalid").is_empty());
    }

    #[test]
    fn properties_point_at_the_member() {
        let f = r#"{"parameters": "grant_type=client_credentials", "properties": [{"key": "a", "value": "b", "hidden": "yes"}, {"key": "", "value": "c"}, 7]}"#;
        assert_eq!(
            labelled(f, "options/properties-shape"),
            [r#""yes""#, r#""""#, "7"]
        );
        let f = r#"{"parameters": "grant_type=client_credentials", "properties": [{"key": "expires_in", "value": "60"}]}"#;
        assert_eq!(
            labelled(f, "options/properties-reserved-key"),
            [r#""expires_in""#]
        );
        let f = r#"{"parameters": "grant_type=client_credentials", "properties": []}"#;
        assert!(labelled(f, "options/properties-shape").is_empty());
    }

    #[test]
    fn trimmed() {
        assert_eq!(trimmed_range("  [1] "), 2..5);
        assert_eq!(trimmed_range("   "), 3..3);
    }
}
