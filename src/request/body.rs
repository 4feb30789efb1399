//! The request as the JSON body Authlete's `/auth/token` takes: camelCase
//! keys, absent fields omitted, `properties` as an array.

use serde_json::{json, Map, Value};

use super::fields::{self, Access, Field, FieldKind};
use super::TokenRequest;

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
pub fn to_json(req: &TokenRequest, mask: bool) -> Value {
    let mut m = Map::new();
    for field in BODY_ORDER.into_iter().flat_map(fields::of_kind) {
        if let Some(v) = value(field, req, mask) {
            m.insert(field.json.to_owned(), v);
        }
    }
    Value::Object(m)
}

/// One field's value in the body, `None` when it is not set.
fn value(field: &Field, req: &TokenRequest, mask: bool) -> Option<Value> {
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
        Access::Json(s) => (s.get)(req).as_ref().map(crate::json::Value::to_json),
    }
}
