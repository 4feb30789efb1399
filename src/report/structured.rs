//! YAML and TOON: the same document as the JSON report, in other notations.

pub fn value_yaml(v: &serde_json::Value) -> String {
    serde_norway::to_string(v).unwrap_or_else(|e| format!("# cannot render YAML: {e}\n"))
}

pub fn value_toon(v: &serde_json::Value) -> String {
    let mut s =
        toon_format::encode_default(v).unwrap_or_else(|e| format!("# cannot render TOON: {e}"));
    if !s.ends_with('\n') {
        s.push('\n');
    }
    s
}
