//! A TOON writer: what `toon_format::encode_default` (v0.7, default options:
//! two-space indent, comma delimiter) produces, byte for byte, written
//! straight into one `String`.
//!
//! toon_format clones the whole value into its own tree, builds a `String`
//! per line and per primitive, and joins them; for `-o toon` that was about
//! half of a run. This follows its encoder rule for rule (`encode/mod.rs`,
//! `encode/tabular.rs`, `utils/string.rs`, `utils/number.rs`) without the
//! copies. It reads any `Serialize` value through [`tree::Tree`] (the JSON
//! data model, one string buffer for all its text), so `-o toon` writes a
//! result from the same borrowed structs as `-o json`, with no
//! `serde_json::Value` between. The tests compare it with toon_format on
//! every fixture and on random values; toon_format stays a dev-dependency
//! as that oracle.

mod tree;

use std::fmt::Write as _;

use serde::Serialize;

pub use tree::NotData;
use tree::{Node, Num, Obj, Text, Tree};

/// toon_format's nesting limit (`constants::MAX_DEPTH`): deeper values are
/// an error, not output.
pub const MAX_DEPTH: usize = 256;

/// Why a value was not written.
#[derive(Debug)]
pub enum Error {
    /// Nested deeper than toon_format accepts.
    TooDeep,
    /// Not a value of the JSON data model.
    NotData(NotData),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            // toon_format's message for the same value.
            Error::TooDeep => write!(
                f,
                "Invalid structure: Maximum nesting depth of {MAX_DEPTH} exceeded"
            ),
            Error::NotData(e) => write!(f, "not JSON data: {e}"),
        }
    }
}

impl std::error::Error for Error {}

type Res = Result<(), Error>;

/// Appends the TOON of `value` to `out`, without a final line break. On
/// error `out` is left as it was.
pub fn encode(value: &(impl Serialize + ?Sized), out: &mut String) -> Res {
    let tree = Tree::of(value).map_err(Error::NotData)?;
    write_with(&tree, out, |w| w.root(&tree.root))
}

/// Appends `value` as an element of a list (`- …`) `depth` levels deep,
/// exactly as it is written inside a document (the lines under a
/// `key[N]:` header at `depth - 1`), without a line break before its first
/// line or after its last. On error `out` is left as it was.
pub fn encode_item(value: &(impl Serialize + ?Sized), depth: usize, out: &mut String) -> Res {
    let tree = Tree::of(value).map_err(Error::NotData)?;
    write_with(&tree, out, |w| w.list_item(&tree.root, depth))
}

fn write_with<'t>(
    tree: &'t Tree,
    out: &mut String,
    body: impl FnOnce(&mut Writer<'t, '_>) -> Res,
) -> Res {
    let start = out.len();
    let mut w = Writer {
        t: tree,
        out,
        start,
    };
    let r = body(&mut w);
    if r.is_err() {
        w.out.truncate(start);
    }
    r
}

/// One column of a tabular header; `children` for a nested-uniform column.
struct Field<'a> {
    name: &'a str,
    children: Option<Vec<Field<'a>>>,
}

struct Writer<'t, 'o> {
    t: &'t Tree,
    out: &'o mut String,
    /// Where this document starts in `out`: the first line has no line
    /// break before it.
    start: usize,
}

fn check(depth: usize) -> Res {
    if depth > MAX_DEPTH {
        Err(Error::TooDeep)
    } else {
        Ok(())
    }
}

fn all_primitive(arr: &[Node]) -> bool {
    arr.iter().all(Node::is_primitive)
}

impl<'t> Writer<'t, '_> {
    fn root(&mut self, value: &'t Node) -> Res {
        match value {
            Node::Arr(arr) => self.array(None, arr, 0),
            Node::Obj(obj) => match keyed_fields(self.t, obj) {
                Some(fields) => {
                    self.keyed_object(None, obj, &fields, 0);
                    Ok(())
                }
                None => self.object(obj, 0),
            },
            Node::Str(s) if self.t.str(*s).starts_with('\u{FEFF}') => {
                quote(self.t.str(*s), self.out);
                Ok(())
            }
            primitive => {
                self.primitive(primitive);
                Ok(())
            }
        }
    }

    fn key(&mut self, k: Text) {
        key_into(self.t.str(k), self.out);
    }

    fn primitive(&mut self, v: &Node) {
        primitive_into(self.t, v, self.out);
    }

    /// Starts a line at `depth`.
    fn line(&mut self, depth: usize) {
        if self.out.len() > self.start {
            self.out.push('\n');
        }
        for _ in 0..depth {
            self.out.push_str("  ");
        }
    }

    /// Starts a list item (`- `) at `depth`.
    fn item(&mut self, depth: usize) {
        self.line(depth);
        self.out.push_str("- ");
    }

    fn object(&mut self, obj: &'t Obj, depth: usize) -> Res {
        check(depth)?;
        for (k, v) in &obj.members {
            self.pair(*k, v, depth)?;
        }
        Ok(())
    }

    fn pair(&mut self, key: Text, value: &'t Node, depth: usize) -> Res {
        match value {
            Node::Arr(arr) => self.array(Some(key), arr, depth),
            Node::Obj(obj) => {
                if let Some(fields) = keyed_fields(self.t, obj) {
                    self.keyed_object(Some(key), obj, &fields, depth);
                    return Ok(());
                }
                self.line(depth);
                self.key(key);
                self.out.push(':');
                if !obj.is_empty() {
                    self.object(obj, depth + 1)?;
                }
                Ok(())
            }
            primitive => {
                self.line(depth);
                self.key(key);
                self.out.push_str(": ");
                self.primitive(primitive);
                Ok(())
            }
        }
    }

    fn keyed_object(&mut self, key: Option<Text>, obj: &'t Obj, fields: &[Field], depth: usize) {
        self.line(depth);
        let key = key.map(|k| self.t.str(k));
        header(self.out, obj.len(), key, Some(fields), true);
        self.keyed_rows(obj, fields, depth + 1);
    }

    fn keyed_rows(&mut self, obj: &'t Obj, fields: &[Field], depth: usize) {
        for (k, v) in &obj.members {
            self.line(depth);
            self.key(*k);
            self.out.push_str(": ");
            if let Node::Obj(entry) = v {
                let mut first = true;
                row_into(self.t, entry, fields, self.out, &mut first);
            }
        }
    }

    fn array(&mut self, key: Option<Text>, arr: &'t [Node], depth: usize) -> Res {
        check(depth)?;
        let key = key.map(|k| self.t.str(k));
        if arr.is_empty() {
            self.line(depth);
            match key {
                Some(k) => {
                    key_into(k, self.out);
                    self.out.push_str(": []");
                }
                None => self.out.push_str("[]"),
            }
            return Ok(());
        }
        if all_primitive(arr) {
            self.line(depth);
            inline_into(self.t, self.out, arr, key);
            return Ok(());
        }
        if arr
            .iter()
            .all(|v| matches!(v, Node::Arr(inner) if all_primitive(inner)))
        {
            self.line(depth);
            header(self.out, arr.len(), key, None, false);
            for v in arr {
                if let Node::Arr(inner) = v {
                    self.item(depth + 1);
                    inline_into(self.t, self.out, inner, None);
                }
            }
            return Ok(());
        }
        if arr.iter().all(|v| matches!(v, Node::Obj(_))) {
            if let Some(fields) = tabular_fields(self.t, arr) {
                self.line(depth);
                header(self.out, arr.len(), key, Some(&fields), false);
                self.rows(arr, &fields, depth + 1);
                return Ok(());
            }
        }
        self.line(depth);
        header(self.out, arr.len(), key, None, false);
        for v in arr {
            self.list_item(v, depth + 1)?;
        }
        Ok(())
    }

    fn rows(&mut self, rows: &'t [Node], fields: &[Field], depth: usize) {
        for row in rows {
            if let Node::Obj(obj) = row {
                self.line(depth);
                let mut first = true;
                row_into(self.t, obj, fields, self.out, &mut first);
            }
        }
    }

    fn list_item(&mut self, value: &'t Node, depth: usize) -> Res {
        check(depth)?;
        match value {
            Node::Arr(arr) => {
                if all_primitive(arr) {
                    self.item(depth);
                    inline_into(self.t, self.out, arr, None);
                } else {
                    self.item(depth);
                    header(self.out, arr.len(), None, None, false);
                    for v in arr {
                        self.list_item(v, depth + 1)?;
                    }
                }
                Ok(())
            }
            Node::Obj(obj) => self.object_item(obj, depth),
            primitive => {
                self.item(depth);
                self.primitive(primitive);
                Ok(())
            }
        }
    }

    fn object_item(&mut self, obj: &'t Obj, depth: usize) -> Res {
        let Some((first_key, first_value)) = obj.members.first() else {
            self.line(depth);
            self.out.push('-');
            return Ok(());
        };
        let first_key = *first_key;

        if let Node::Arr(arr) = first_value {
            if !arr.is_empty() && arr.iter().all(|v| matches!(v, Node::Obj(_))) {
                if let Some(fields) = tabular_fields(self.t, arr) {
                    self.item(depth);
                    let key = self.t.str(first_key);
                    header(self.out, arr.len(), Some(key), Some(&fields), false);
                    self.rows(arr, &fields, depth + 2);
                    return self.rest(obj, depth + 1);
                }
            }
        }
        if let Node::Obj(first_obj) = first_value {
            if let Some(fields) = keyed_fields(self.t, first_obj) {
                self.item(depth);
                let key = self.t.str(first_key);
                header(self.out, first_obj.len(), Some(key), Some(&fields), true);
                self.keyed_rows(first_obj, &fields, depth + 2);
                return self.rest(obj, depth + 1);
            }
        }

        self.item(depth);
        self.key(first_key);
        match first_value {
            Node::Arr(arr) => {
                if arr.is_empty() {
                    self.out.push_str(": []");
                } else if all_primitive(arr) {
                    inline_into(self.t, self.out, arr, None);
                } else {
                    header(self.out, arr.len(), None, None, false);
                    for v in arr {
                        self.list_item(v, depth + 2)?;
                    }
                }
            }
            Node::Obj(first_obj) => {
                self.out.push(':');
                if !first_obj.is_empty() {
                    self.object(first_obj, depth + 2)?;
                }
            }
            primitive => {
                self.out.push_str(": ");
                self.primitive(primitive);
            }
        }
        self.rest(obj, depth + 1)
    }

    /// The fields of a list-item object after its first.
    fn rest(&mut self, obj: &'t Obj, depth: usize) -> Res {
        for (k, v) in obj.members.iter().skip(1) {
            self.pair(*k, v, depth)?;
        }
        Ok(())
    }
}

// Tabular detection (toon_format's encode/tabular.rs).

fn tabular_fields<'t>(t: &'t Tree, rows: &'t [Node]) -> Option<Vec<Field<'t>>> {
    let mut objects = Vec::with_capacity(rows.len());
    for row in rows {
        let Node::Obj(obj) = row else {
            return None;
        };
        objects.push(obj);
    }
    if objects.is_empty() {
        return None;
    }
    fields_of(t, &objects, 0)
}

fn keyed_fields<'t>(t: &'t Tree, obj: &'t Obj) -> Option<Vec<Field<'t>>> {
    if obj.len() < 2 {
        return None;
    }
    let mut entries = Vec::with_capacity(obj.len());
    for (_, v) in &obj.members {
        match v {
            Node::Obj(inner) if !inner.is_empty() => entries.push(inner),
            _ => return None,
        }
    }
    fields_of(t, &entries, 0)
}

fn fields_of<'t>(t: &'t Tree, objects: &[&'t Obj], depth: usize) -> Option<Vec<Field<'t>>> {
    let first = objects[0];
    if first.is_empty() {
        return None;
    }
    for o in objects {
        if o.len() != first.len()
            || !(first.members.iter().enumerate())
                .all(|(i, (k, _))| t.get(o, t.str(*k), i).is_some())
        {
            return None;
        }
    }
    let mut fields = Vec::with_capacity(first.len());
    for (i, (key, _)) in first.members.iter().enumerate() {
        fields.push(column(t, t.str(*key), i, objects, depth)?);
    }
    Some(fields)
}

fn column<'t>(
    t: &'t Tree,
    name: &'t str,
    at: usize,
    objects: &[&'t Obj],
    depth: usize,
) -> Option<Field<'t>> {
    let value = |o: &&'t Obj| -> Option<&'t Node> { t.get(o, name, at) };
    if objects
        .iter()
        .all(|o| value(o).is_some_and(Node::is_primitive))
    {
        return Some(Field {
            name,
            children: None,
        });
    }
    if depth >= MAX_DEPTH {
        return None;
    }
    let mut nested = Vec::with_capacity(objects.len());
    for o in objects {
        match value(o) {
            Some(Node::Obj(inner)) if !inner.is_empty() => nested.push(inner),
            _ => return None,
        }
    }
    let children = fields_of(t, &nested, depth + 1)?;
    Some(Field {
        name,
        children: Some(children),
    })
}

/// One row's leaf cells, comma-separated, in the fields' depth-first order.
fn row_into(t: &Tree, obj: &Obj, fields: &[Field], out: &mut String, first: &mut bool) {
    for (i, f) in fields.iter().enumerate() {
        let Some(v) = t.get(obj, f.name, i) else {
            continue;
        };
        match (&f.children, v) {
            (Some(children), Node::Obj(nested)) => row_into(t, nested, children, out, first),
            _ => {
                if !*first {
                    out.push(',');
                }
                *first = false;
                primitive_into(t, v, out);
            }
        }
    }
}

// Headers, keys, primitives.

/// `key[N]{fields}:`, `[N:]` when keyed.
fn header(out: &mut String, len: usize, key: Option<&str>, fields: Option<&[Field]>, keyed: bool) {
    if let Some(k) = key {
        key_into(k, out);
    }
    out.push('[');
    let _ = write!(out, "{len}");
    if keyed {
        out.push(':');
    }
    out.push(']');
    if let Some(fields) = fields {
        out.push('{');
        field_segment(fields, out);
        out.push('}');
    }
    out.push(':');
}

fn field_segment(fields: &[Field], out: &mut String) {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        key_into(f.name, out);
        if let Some(children) = &f.children {
            out.push('{');
            field_segment(children, out);
            out.push('}');
        }
    }
}

/// `key[N]: a,b,c` (or `[N]: …` without a key).
fn inline_into(t: &Tree, out: &mut String, values: &[Node], key: Option<&str>) {
    header(out, values.len(), key, None, false);
    if values.is_empty() {
        return;
    }
    out.push(' ');
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        primitive_into(t, v, out);
    }
}

fn key_into(key: &str, out: &mut String) {
    if is_valid_unquoted_key(key) {
        out.push_str(key);
    } else {
        quote(key, out);
    }
}

fn is_valid_unquoted_key(key: &str) -> bool {
    let b = key.as_bytes();
    match b.first() {
        Some(&c) if c.is_ascii_alphabetic() || c == b'_' => b[1..]
            .iter()
            .all(|&c| c.is_ascii_alphanumeric() || c == b'_' || c == b'.'),
        _ => false,
    }
}

fn primitive_into(t: &Tree, v: &Node, out: &mut String) {
    match v {
        Node::Null => out.push_str("null"),
        Node::Bool(true) => out.push_str("true"),
        Node::Bool(false) => out.push_str("false"),
        Node::Num(n) => number_into(*n, out),
        Node::Str(s) => {
            let s = t.str(*s);
            if needs_quoting(s) {
                quote(s, out);
            } else {
                out.push_str(s);
            }
        }
        // Never called with these; toon_format's `unreachable!`.
        Node::Arr(_) | Node::Obj(_) => {}
    }
}

/// toon_format's canonical number: integers as they are, integral floats
/// as integers, other floats in plain decimal (Rust's `Display`).
fn number_into(n: Num, out: &mut String) {
    match n {
        Num::I(i) => {
            let _ = write!(out, "{i}");
        }
        Num::U(u) => {
            let _ = write!(out, "{u}");
        }
        Num::F(f) => float_into(f, out),
    }
}

fn float_into(f: f64, out: &mut String) {
    if f.fract() == 0.0 && f >= i64::MIN as f64 && f < i64::MAX as f64 {
        let _ = write!(out, "{}", f as i64);
    } else if f.fract() == 0.0 && f >= 0.0 && f < u64::MAX as f64 {
        let _ = write!(out, "{}", f as u64);
    } else {
        let start = out.len();
        let _ = write!(out, "{f}");
        // Trailing zeros of a fraction (Display writes none; as in
        // toon_format, in case).
        if out[start..].contains('.') {
            let trimmed = out.trim_end_matches('0').len();
            out.truncate(trimmed);
            if out.ends_with('.') {
                out.pop();
            }
        }
    }
}

/// toon_format's `needs_quoting` with the comma delimiter (§7.2).
fn needs_quoting(s: &str) -> bool {
    if s.is_empty()
        || s.starts_with([' ', '\t', '-', '#'])
        || s.ends_with([' ', '\t'])
        || matches!(s, "null" | "true" | "false")
        || is_numeric_like(s)
    {
        return true;
    }
    s.bytes()
        .any(|b| b < 0x20 || matches!(b, b':' | b'"' | b'\\' | b'[' | b']' | b'{' | b'}' | b','))
}

/// `/^[+-]?[0-9]+(?:\.[0-9]+)?(?:e[+-]?[0-9]+)?$/i`
fn is_numeric_like(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let digits = |i: &mut usize| {
        let s = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i > s
    };
    if !digits(&mut i) {
        return false;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        if !digits(&mut i) {
            return false;
        }
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && matches!(b[i], b'+' | b'-') {
            i += 1;
        }
        if !digits(&mut i) {
            return false;
        }
    }
    i == b.len()
}

/// `"…"` with `\\ \" \n \r \t` and other controls as `\u00xx`.
fn quote(s: &str, out: &mut String) {
    out.push('"');
    let mut from = 0;
    for (i, b) in s.bytes().enumerate() {
        let esc = match b {
            b'\\' => "\\\\",
            b'"' => "\\\"",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[from..i]);
        if esc.is_empty() {
            let _ = write!(out, "\\u{:04x}", b);
        } else {
            out.push_str(esc);
        }
        from = i + 1;
    }
    out.push_str(&s[from..]);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::{json, Value};

    fn theirs(v: &Value) -> Result<String, String> {
        toon_format::encode_default(v).map_err(|e| e.to_string())
    }

    fn ours(v: &Value) -> Result<String, String> {
        let mut s = String::from("kept");
        let r = encode(v, &mut s);
        // On error nothing is appended; on success everything after `kept`.
        let body = s.split_off(4);
        assert_eq!(s, "kept");
        match r {
            Ok(()) => Ok(body),
            Err(e @ Error::TooDeep) => {
                assert!(body.is_empty());
                Err(e.to_string())
            }
            Err(e) => panic!("{e}"),
        }
    }

    fn same(v: &Value) {
        assert_eq!(ours(v), theirs(v), "{v}");
    }

    #[test]
    fn every_form_equals_toon_format() {
        for v in [
            json!({}),
            json!([]),
            json!(null),
            json!("\u{FEFF}bom"),
            json!("plain"),
            json!(-0.0),
            json!(1.5e300),
            json!(18446744073709551615u64),
            json!(9.3e18),
            json!(-9.3e18),
            json!(1e20),
            json!({"a": {"x": {"p": 1}, "y": {"p": 2}}}),
            json!({"x": {"p": 1}, "y": {"p": 2}}),
            json!({"rows": [{"a": 1, "n": {"b": 2}}, {"n": {"b": 3}, "a": 4}]}),
            json!({"l": [[1, 2], [], ["a"]]}),
            json!({"l": [[1, [2]], {}, 3]}),
            json!([{"t": [{"a": 1}, {"a": 2}], "k": 1}, {"t": {"x": {"a": 1}, "y": {"a": 2}}}]),
            json!([{"f": [1, 2]}, {"f": []}, {"f": [[1]]}, {"f": {}}, {"f": {"a": 1}}, {}]),
            json!({"s": ["", " a", "a ", "-", "#x", "1e3", "007", "+1", "true", "a,b", "a:b", "é", "\u{1}\t\n\r\"\\"]}),
        ] {
            same(&v);
        }
        // Nesting at and past the limit.
        let mut deep = json!(1);
        for _ in 0..300 {
            deep = json!({ "a": deep });
        }
        same(&deep);
        let mut deep = json!(1);
        for _ in 0..300 {
            deep = json!([deep, 1]);
        }
        same(&deep);
    }

    /// Objects wider than a member-by-member search (their lookups go
    /// through the sorted index), as rows and keyed entries whose keys come
    /// in other orders, with a key missing, and with a nested column.
    #[test]
    fn wide_objects_in_any_key_order_equal_toon_format() {
        let keys: Vec<String> = (0..40).map(|i| format!("k{i:02}")).collect();
        let row = |order: Vec<&String>| -> Value {
            Value::Object(order.into_iter().map(|k| (k.clone(), json!(k))).collect())
        };
        let forward = row(keys.iter().collect());
        let reversed = row(keys.iter().rev().collect());
        let rotated = row(keys.iter().cycle().skip(17).take(40).collect());
        let missing = row(keys.iter().skip(1).collect());
        let mut nested = reversed.clone();
        nested["k07"] = json!({"p": 1, "q": [2]});
        for v in [
            json!({"rows": [forward, reversed, rotated]}),
            json!({"rows": [forward, missing]}),
            json!({"rows": [missing, forward]}),
            json!({"rows": [forward, nested]}),
            json!({"a": forward, "b": reversed, "c": rotated}),
            json!({"a": forward, "b": missing}),
            json!([{"t": [reversed, forward]}, rotated]),
        ] {
            same(&v);
        }
    }

    /// Structs, enums and maps take the shapes `serde_json::to_value`
    /// gives them.
    #[test]
    fn serialized_types_equal_their_json_value() {
        #[derive(serde::Serialize)]
        enum E {
            Unit,
            New(u8),
            Tuple(i8, bool),
            Struct { a: Option<u32>, b: char },
        }
        #[derive(serde::Serialize)]
        struct S<'a> {
            unit: (),
            pair: (u64, i64),
            big: u64,
            small: i128,
            float: f32,
            nan: f64,
            bytes: &'a [u8],
            e: Vec<E>,
            m: std::collections::BTreeMap<i32, &'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            skipped: Option<u8>,
        }
        let s = S {
            unit: (),
            pair: (u64::MAX, i64::MIN),
            big: 1 << 63,
            small: -5,
            float: 0.25,
            nan: f64::NAN,
            bytes: b"ab",
            e: vec![
                E::Unit,
                E::New(1),
                E::Tuple(-1, true),
                E::Struct { a: None, b: 'x' },
            ],
            m: [(-1, "neg"), (2, "two")].into_iter().collect(),
            skipped: None,
        };
        let mut direct = String::new();
        encode(&s, &mut direct).unwrap();
        let value = serde_json::to_value(&s).unwrap();
        assert_eq!(Ok(direct), theirs(&value));
        let mut item = String::new();
        encode_item(&s, 1, &mut item).unwrap();
        let doc = theirs(&json!({ "results": [value] })).unwrap();
        assert_eq!(
            Some(item.as_str()),
            doc.split_once('\n').map(|(_, rest)| rest)
        );
        // Not JSON data: a map with a key that is not a string.
        let bad: std::collections::BTreeMap<(u8, u8), u8> = [((1, 2), 3)].into_iter().collect();
        let mut out = String::from("kept");
        assert!(matches!(encode(&bad, &mut out), Err(Error::NotData(_))));
        assert_eq!(out, "kept");
    }

    fn string() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-z_.]{0,6}",
            "[ -~]{0,8}",
            "[-+]?[0-9]{1,3}(\\.[0-9]{0,2})?([eE][-+]?[0-9]{0,2})?",
            Just("true".to_owned()),
            Just("null".to_owned()),
            Just("false".to_owned()),
            "[\\x00-\\x1f\"\\\\ \t,:#\\[\\]{}-]{0,4}",
            "\\PC{0,4}",
            "[\u{FEFF}\u{e9}\u{4e00}a]{0,3}",
        ]
    }

    fn leaf() -> impl Strategy<Value = Value> {
        prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            prop_oneof![
                Just(0.0f64),
                Just(-0.0),
                Just(2.5),
                Just(1e21),
                Just(9.3e18)
            ]
            .prop_map(Value::from),
            string().prop_map(Value::String),
        ]
    }

    /// Arbitrary trees: every shape the encoder distinguishes (mixed and
    /// nested arrays, objects sharing keys for the tabular forms, empty
    /// ones).
    fn tree() -> impl Strategy<Value = Value> {
        let key = prop_oneof![
            Just("a".to_owned()),
            Just("b".to_owned()),
            Just("rule".to_owned()),
            string()
        ];
        leaf().prop_recursive(5, 64, 6, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
                prop::collection::vec((key.clone(), inner.clone()), 0..5)
                    .prop_map(|kv| Value::Object(kv.into_iter().collect())),
                // Rows with the same keys, so tabular and keyed forms occur.
                (
                    prop::collection::vec(key.clone(), 1..4),
                    prop::collection::vec(prop::collection::vec(inner.clone(), 3), 1..4)
                )
                    .prop_map(|(keys, rows)| {
                        Value::Array(
                            rows.into_iter()
                                .map(|row| Value::Object(keys.iter().cloned().zip(row).collect()))
                                .collect(),
                        )
                    }),
                (
                    prop::collection::vec(key.clone(), 1..4),
                    prop::collection::vec((key.clone(), prop::collection::vec(leaf(), 3)), 1..4)
                )
                    .prop_map(|(keys, rows)| {
                        Value::Object(
                            rows.into_iter()
                                .map(|(k, row)| {
                                    (k, Value::Object(keys.iter().cloned().zip(row).collect()))
                                })
                                .collect(),
                        )
                    }),
            ]
        })
    }

    /// Shaped like a result: a file, a status, findings as objects with
    /// the same primitive fields, some with a nested object or array.
    fn result() -> impl Strategy<Value = Value> {
        let finding = (string(), string(), leaf(), prop::option::of(tree())).prop_map(
            |(rule, message, line, extra)| {
                let mut f =
                    json!({"rule": rule, "severity": "error", "message": message, "line": line});
                if let Some(extra) = extra {
                    f["decoded"] = extra;
                }
                f
            },
        );
        (string(), prop::collection::vec(finding, 0..4)).prop_map(|(file, findings)| {
            json!({"results": [{"file": file, "status": "failed", "findings": findings}]})
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn arbitrary_values_equal_toon_format(v in tree()) {
            prop_assert_eq!(ours(&v), theirs(&v));
        }

        #[test]
        fn result_shaped_values_equal_toon_format(v in result()) {
            prop_assert_eq!(ours(&v), theirs(&v));
        }
    }
}
