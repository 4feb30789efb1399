//! The request as the JSON body Authlete's `/auth/token` takes: camelCase
//! keys, absent fields omitted, `properties` as an array.

use serde_json::{json, Map, Value};

use super::fields::{self, Access, Field, FieldKind};
use super::{Loaded, TokenRequest};

/// The order of the body's members: the string fields, then lists,
/// booleans, numbers and JSON, each in table order. `--dry-run` shows the
/// body, so the order is part of the output.
const BODY_ORDER: [FieldKind; 5] = [
    FieldKind::String,
    FieldKind::StringArray,
    FieldKind::Bool,
    FieldKind::Integer,
    FieldKind::Json,
];

/// The body; with `mask`, secret values are replaced by a redacted form.
/// `text` is the input's text, where the JSON fields are read.
pub fn to_json(req: &TokenRequest, text: &str, mask: bool) -> Value {
    let mut m = Map::new();
    for field in BODY_ORDER.into_iter().flat_map(fields::of_kind) {
        if let Some(v) = value(field, req, text, mask) {
            m.insert(field.json.to_owned(), v);
        }
    }
    Value::Object(m)
}

/// The body as `--send` sends it: the fields tokenlint reads (see
/// [`to_json`]), then each member it does not read, as given (a member
/// unknown to `TokenRequest`, or of a type its field does not take), so a
/// field Authlete adds later is not lost on the way. A field set by a flag
/// wins over a body member of the same name. With `mask`, secrets are masked
/// in those members too.
pub fn sent(loaded: &Loaded, mask: bool) -> Value {
    let mut body = to_json(&loaded.request, loaded.source.text.as_str(), mask);
    if let Value::Object(m) = &mut body {
        for (name, span) in &loaded.request.verbatim {
            if m.contains_key(name) {
                continue;
            }
            let text = loaded.source.text.get(span.offset..span.end());
            let value = text
                .and_then(|t| crate::json::parse(t, 0).ok())
                .map_or(Value::Null, |v| v.to_json());
            let value = if mask { masked(name, value) } else { value };
            m.insert(name.clone(), value);
        }
    }
    body
}

/// A member's value for display, as [`crate::secrets`] classifies its name
/// (in any convention: `client_secret` is `clientSecret`) and its value's
/// shape.
fn masked(name: &str, v: Value) -> Value {
    match v {
        Value::String(s) if !crate::secrets::member(name).is_masked() => {
            Value::String(crate::secrets::mask_field(name, &s))
        }
        v => crate::secrets::mask_member(name, &v),
    }
}

/// One field's value in the body, `None` when it is not set.
fn value(field: &Field, req: &TokenRequest, text: &str, mask: bool) -> Option<Value> {
    let shown = |s: &str| {
        if mask {
            crate::secrets::mask_field(field.json, s)
        } else {
            s.to_owned()
        }
    };
    match field.access {
        Access::Text(s) => (s.get)(req)
            .as_ref()
            .map(|t| Value::String(shown(&t.value))),
        Access::Texts(s) => {
            let items = (s.get)(req);
            let shown: Vec<String> = items.iter().map(|t| shown(&t.value)).collect();
            (!items.is_empty()).then(|| json!(shown))
        }
        Access::Bool(s) => (s.get)(req).map(|b| json!(b.value)),
        Access::Integer(s) => (s.get)(req).map(|n| json!(n.value)),
        Access::Json(s) => (s.get)(req)
            .as_ref()
            .and_then(|j| j.read(text).to_value())
            .map(|v| {
                let v = v.to_json();
                if mask {
                    crate::secrets::mask_json(&v)
                } else {
                    v
                }
            }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_tokenlint_does_not_read_are_sent_as_given() {
        let text = r#"{"parameters":"grant_type=client_credentials","htm":5,"fut":{"a":[1,"x"]},"clientSecret":["s3cr3t-value"]}"#;
        let loaded = crate::request::fixture::load_str("f.json", text);
        let body = sent(&loaded, false);
        assert_eq!(
            body,
            serde_json::json!({
                "parameters": "grant_type=client_credentials",
                "htm": 5,
                "fut": {"a": [1, "x"]},
                "clientSecret": ["s3cr3t-value"],
            })
        );
        let shown = sent(&loaded, true).to_string();
        assert!(!shown.contains("s3cr3t-value"), "{shown}");
        assert!(shown.contains("\"fut\":{\"a\":[1,\"x\"]}"), "{shown}");
    }
}
