//! `properties`: an array of `{key, value, hidden}` objects (Authlete's
//! `Property`), with keys Authlete does not reserve, small enough once
//! encrypted, and a grant that keeps them.

use super::diags;
use crate::json::{self, Raw, RawMember};
use crate::lint::{Context, Sink};
use crate::span::Span;

crate::lint::declare_rules! {
    area: Options;
    PROPERTIES_SHAPE = "options/properties-shape", Error, "Authlete API: TokenRequest.properties",
        "`properties` is not an array of {key, value, hidden} objects";
    PROPERTIES_RESERVED_KEY = "options/properties-reserved-key", Warning,
        "Authlete API: Property",
        "A property key that Authlete reserves and ignores";
    PROPERTIES_TOO_LARGE = "options/properties-too-large", Error,
        "Authlete API: TokenRequest.properties",
        "The encrypted `properties` would exceed Authlete's 65,535-byte limit";
    PROPERTIES_IGNORED = "options/properties-ignored", Warning,
        "Authlete API: TokenRequest.properties",
        "`properties` are ignored with grant_type=password";
}

/// Property keys Authlete ignores (they would collide with the token response).
pub(super) const RESERVED_KEYS: &[&str] = &[
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
pub(super) const MAX_ENCRYPTED_PROPERTIES: usize = 65_535;

/// The longest properties JSON that still fits the limit.
pub(super) const MAX_JSON_LEN: usize = 49_119;

const PROPERTY_MEMBERS: &[&str] = &["key", "value", "hidden"];

/// `properties`, read in place one element at a time: however long the
/// array, what is held is one element's members.
pub(super) fn check(cx: &Context, p: Raw, sink: &mut Sink) {
    let Some(items) = p.items() else {
        if !p.is_null() {
            sink.push(not_array(p));
        }
        return;
    };
    let mut count = 0;
    let mut size = SizeSum::default();
    for (i, item) in items.enumerate() {
        count += 1;
        size.add(i, item);
        check_property(cx, i, item, sink);
    }
    if count == 0 {
        return;
    }
    check_size(&size, p, sink);
    if cx.grant_type() == Some("password") {
        let grant = cx.param("grant_type").map(|g| cx.value_span(g));
        sink.push(diags::properties_ignored(p, count, grant));
    }
}

fn not_array(p: Raw) -> crate::lint::Finding {
    if let Some(t) = p.as_str() {
        let holds_array = json::validate(&t.value, 0).is_ok_and(|v| v.items().is_some());
        return diags::properties_string(p, holds_array);
    }
    if let Some(mut members) = p.members() {
        let first_key = members.next().map(|m| m.key().value);
        return diags::properties_object(p, first_key.as_deref());
    }
    diags::properties_not_array(p)
}

/// One element of `properties` that is an object, read in place.
pub(super) struct Property<'a> {
    /// `properties[i]`.
    pub field: String,
    pub item: Raw<'a>,
}

impl<'a> Property<'a> {
    /// The member `key`, as Authlete's Jackson reads it: the last of
    /// duplicate members.
    fn member(&self, key: &str) -> Option<RawMember<'a>> {
        self.item.get(key)
    }
}

fn check_property(cx: &Context, i: usize, item: Raw, sink: &mut Sink) {
    let field = format!("properties[{i}]");
    if item.members().is_none() {
        sink.push(diags::property_not_object(&field, item));
        return;
    }
    let prop = Property { field, item };
    check_members(cx, &prop, sink);
    check_key(&prop, sink);
    check_value(&prop, sink);
    check_hidden(&prop, sink);
    check_reserved_key(&prop, sink);
}

fn check_members(cx: &Context, prop: &Property, sink: &mut Sink) {
    let Some(members) = prop.item.members() else {
        return;
    };
    let unknown = members.filter(|m| !PROPERTY_MEMBERS.iter().any(|k| m.key_is(k)));
    for m in unknown {
        let key = m.key();
        let name = key.value.as_str();
        let meant = cx
            .suggester
            .suggest(name, PROPERTY_MEMBERS.iter().copied())
            .or_else(|| synonym(name));
        sink.push(diags::property_unknown_member(prop, &m, meant));
    }
}

fn check_key(prop: &Property, sink: &mut Sink) {
    let Some(m) = prop.member("key") else {
        sink.push(diags::property_no_key(prop));
        return;
    };
    match m.value.as_str() {
        Some(t) if t.value.is_empty() => sink.push(diags::property_empty_key(prop, &m)),
        Some(_) => {}
        None => sink.push(diags::property_key_not_string(prop, &m)),
    }
}

fn check_value(prop: &Property, sink: &mut Sink) {
    match prop.member("value") {
        None => sink.push(diags::property_no_value(prop)),
        Some(m) if !m.value.is_string() => {
            sink.push(diags::property_value_not_string(prop, &m));
        }
        Some(_) => {}
    }
}

fn check_hidden(prop: &Property, sink: &mut Sink) {
    let Some(m) = prop.member("hidden") else {
        return;
    };
    // null too: Authlete reads it as false, which may not be what was meant.
    if m.value.as_bool().is_none() {
        sink.push(diags::property_hidden_not_bool(prop, &m));
    }
}

fn check_reserved_key(prop: &Property, sink: &mut Sink) {
    let Some(m) = prop.member("key") else {
        return;
    };
    if let Some(t) = m.value.as_str() {
        if RESERVED_KEYS.contains(&t.value.as_str()) {
            sink.push(diags::property_reserved_key(prop, &m, &t.value));
        }
    }
}

/// The member a name that is no near-miss most likely meant.
fn synonym(name: &str) -> Option<&'static str> {
    match name.to_ascii_lowercase().as_str() {
        "name" | "k" | "id" => Some("key"),
        "val" | "v" | "data" => Some("value"),
        "hide" | "private" | "secret" => Some("hidden"),
        _ => None,
    }
}

// ---------------------------------------------------------------------- size

/// Estimated length of the encrypted form Authlete stores: the properties as
/// JSON, AES/CBC with PKCS#7 padding, a 16-byte IV in front, base64url
/// without padding.
fn encrypted_size(json_len: usize) -> usize {
    let padded = (json_len / 16 + 1) * 16;
    let raw = 16 + padded;
    (raw * 4).div_ceil(3)
}

/// The length of one element of the JSON Authlete encrypts, measured in
/// place; `None` for an element that is not an object (it is left out).
/// TokenRequest.setProperties (authlete-java-common) says the properties are
/// "converted to a multidimensional string array, converted to JSON":
/// `[["key","value"], …]`. That note predates `hidden`; tokenlint counts a
/// hidden property's flag as a third string, `"true"` (its reading: how the
/// flag is stored is not documented).
fn property_json_len(item: Raw) -> Option<usize> {
    item.members()?;
    let len = |k: &str| item.get(k).map_or(4, |m| json::compact_len(m.value));
    let hidden = item.get("hidden").and_then(|m| m.value.as_bool()) == Some(true);
    // [K,V] or [K,V,"true"]
    Some(3 + len("key") + len("value") + if hidden { 7 } else { 0 })
}

/// The serialized properties' length and their largest element, summed as
/// the elements are read.
#[derive(Default)]
struct SizeSum {
    /// The bytes of the kept elements.
    elements: usize,
    kept: usize,
    /// The largest element as written: its index and span.
    largest: Option<(usize, Span)>,
}

impl SizeSum {
    fn add(&mut self, i: usize, item: Raw) {
        if let Some(n) = property_json_len(item) {
            self.elements += n;
            self.kept += 1;
        }
        let span = item.span();
        if self.largest.is_none_or(|(_, l)| span.len > l.len) {
            self.largest = Some((i, span));
        }
    }

    /// `[` + the elements with commas between + `]`.
    fn json(&self) -> usize {
        2 + self.elements + self.kept.saturating_sub(1)
    }
}

/// The properties' size as JSON and once encrypted.
pub(super) struct Size {
    pub json: usize,
    pub encrypted: usize,
}

fn check_size(sum: &SizeSum, p: Raw, sink: &mut Sink) {
    let json = sum.json();
    let size = Size {
        json,
        encrypted: encrypted_size(json),
    };
    if size.encrypted > MAX_ENCRYPTED_PROPERTIES {
        sink.push(diags::properties_too_large(p, sum.largest, &size));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::rules::options::tests::{client_credentials, labelled};
    use crate::text::suggest;

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

    /// The length measured in place is that of the JSON Authlete writes.
    #[test]
    fn serialized_properties() {
        let v = json::validate(
            r#"[{"key":"a","value":"b"},{"value":"\u00e9","key":"c","hidden":true}, 7,
                {"key": 1.50, "value": {"x": [null]}, "hidden": "yes"}]"#,
            0,
        )
        .unwrap();
        // A "multidimensional string array" (TokenRequest.setProperties), a
        // hidden property with a third string.
        let mut sum = SizeSum::default();
        for (i, item) in v.items().unwrap().enumerate() {
            sum.add(i, item);
        }
        let written = r#"[["a","b"],["c","é","true"],[1.5,{"x":[null]}]]"#;
        assert_eq!(sum.json(), written.len());
        assert_eq!(sum.largest.map(|(i, _)| i), Some(3));
    }

    #[test]
    fn suggestions() {
        let meant = |name| suggest(name, PROPERTY_MEMBERS.iter().copied());
        assert_eq!(meant("Key"), Some("key"));
        assert_eq!(meant("values"), Some("value"));
        assert_eq!(meant("name"), None);
        assert_eq!(synonym("name"), Some("key"));
    }

    #[test]
    fn properties_point_at_the_member() {
        let items = concat!(
            r#"{"key": "a", "value": "b", "hidden": "yes"}, "#,
            r#"{"key": "", "value": "c"}, 7"#
        );
        let f = client_credentials(&format!(r#""properties": [{items}]"#));
        assert_eq!(
            labelled(&f, "options/properties-shape"),
            [r#""yes""#, r#""""#, "7"]
        );
        let f = client_credentials(r#""properties": [{"key": "expires_in", "value": "60"}]"#);
        assert_eq!(
            labelled(&f, "options/properties-reserved-key"),
            [r#""expires_in""#]
        );
        let f = client_credentials(r#""properties": []"#);
        assert!(labelled(&f, "options/properties-shape").is_empty());
    }
}
