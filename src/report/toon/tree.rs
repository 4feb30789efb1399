//! What the TOON writer reads: any `Serialize` value as a tree of the
//! JSON data model, built by a serde [`Serializer`] the way
//! `serde_json::to_value` builds a [`serde_json::Value`], with less to
//! allocate: one `String` holds every string and key of the tree, struct
//! keys stay `&'static str`, and an object is a list of pairs (no hash
//! table). `-o toon` serializes each result's borrowed structs straight
//! into one of these, not into a `Value`.

use std::fmt::Display;

use serde::ser::{self, Serialize};

/// A string of the tree: a struct's field name, or a range of
/// [`Tree::text`].
#[derive(Clone, Copy, Debug)]
pub(super) enum Text {
    Static(&'static str),
    At(usize, usize),
}

/// A number as `serde_json::Number` keeps it: a signed integer when it
/// fits, then unsigned, then a finite float.
#[derive(Clone, Copy, Debug)]
pub(super) enum Num {
    I(i64),
    U(u64),
    F(f64),
}

#[derive(Debug)]
pub(super) enum Node {
    Null,
    Bool(bool),
    Num(Num),
    Str(Text),
    Arr(Vec<Node>),
    Obj(Obj),
}

/// An object's members in order. As in a `Value`, and in our structs,
/// keys do not repeat (serializing a map that repeats one keeps both, where
/// `serde_json` keeps the last in the first's place).
#[derive(Debug)]
pub(super) struct Obj {
    pub(super) members: Vec<(Text, Node)>,
    /// For a wide object, its members' positions sorted by key: a lookup
    /// by name stays a binary search (the tabular forms look up every
    /// column of every row), so a hostile object of many keys in another
    /// order than its neighbours' costs `n log n`, not `n²`.
    by_key: Option<Box<[usize]>>,
}

/// Objects up to this wide are searched member by member.
const NARROW: usize = 16;

impl Obj {
    fn new(members: Vec<(Text, Node)>, text: &str) -> Obj {
        let by_key = (members.len() > NARROW).then(|| {
            let key = |i: &usize| members[*i].0.resolve(text);
            let mut at: Vec<usize> = (0..members.len()).collect();
            at.sort_by(|a, b| key(a).cmp(key(b)));
            at.into_boxed_slice()
        });
        Obj { members, by_key }
    }

    fn single(key: &'static str, value: Node) -> Node {
        Node::Obj(Obj {
            members: vec![(Text::Static(key), value)],
            by_key: None,
        })
    }

    pub(super) fn len(&self) -> usize {
        self.members.len()
    }

    pub(super) fn is_empty(&self) -> bool {
        self.members.is_empty()
    }
}

impl Text {
    fn resolve(self, text: &str) -> &str {
        match self {
            Text::Static(s) => s,
            Text::At(from, to) => &text[from..to],
        }
    }
}

impl Node {
    pub(super) fn is_primitive(&self) -> bool {
        !matches!(self, Node::Arr(_) | Node::Obj(_))
    }
}

pub(super) struct Tree {
    pub(super) text: String,
    pub(super) root: Node,
}

impl Tree {
    pub(super) fn of(value: &(impl Serialize + ?Sized)) -> Result<Tree, NotData> {
        let mut b = Builder {
            text: String::new(),
        };
        let root = value.serialize(&mut b)?;
        Ok(Tree { text: b.text, root })
    }

    pub(super) fn str(&self, t: Text) -> &str {
        t.resolve(&self.text)
    }

    /// The member of `obj` named `name`; `hint` is where it is likeliest
    /// (rows of a table usually list their keys in the same order).
    pub(super) fn get<'a>(&'a self, obj: &'a Obj, name: &str, hint: usize) -> Option<&'a Node> {
        if let Some((k, v)) = obj.members.get(hint) {
            if self.str(*k) == name {
                return Some(v);
            }
        }
        match &obj.by_key {
            None => obj
                .members
                .iter()
                .find(|(k, _)| self.str(*k) == name)
                .map(|(_, v)| v),
            Some(at) => at
                .binary_search_by(|i| self.str(obj.members[*i].0).cmp(name))
                .ok()
                .map(|i| &obj.members[at[i]].1),
        }
    }
}

/// A value the JSON data model cannot hold (what `serde_json::to_value`
/// refuses: a map key that is not a string or a number, a number over 64
/// bits, a custom error).
#[derive(Debug)]
pub struct NotData(pub String);

impl std::fmt::Display for NotData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for NotData {}

impl ser::Error for NotData {
    fn custom<T: Display>(msg: T) -> Self {
        NotData(msg.to_string())
    }
}

struct Builder {
    text: String,
}

impl Builder {
    fn text(&mut self, s: &str) -> Text {
        let from = self.text.len();
        self.text.push_str(s);
        Text::At(from, self.text.len())
    }
}

fn float(f: f64) -> Node {
    // serde_json: a non-finite float is `null`.
    if f.is_finite() {
        Node::Num(Num::F(f))
    } else {
        Node::Null
    }
}

fn unsigned(u: u64) -> Node {
    match i64::try_from(u) {
        Ok(i) => Node::Num(Num::I(i)),
        Err(_) => Node::Num(Num::U(u)),
    }
}

type Res = Result<Node, NotData>;

/// The integer methods whose type always fits an `i64`.
macro_rules! small_integers {
    ($($method:ident: $t:ty),*) => {
        $(fn $method(self, v: $t) -> Res {
            Ok(Node::Num(Num::I(v.into())))
        })*
    };
}

/// The key methods for what `serde_json` writes as a string key.
macro_rules! shown_keys {
    ($($method:ident: $t:ty),*) => {
        $(fn $method(self, v: $t) -> Result<Text, NotData> {
            self.shown(v)
        })*
    };
}

impl<'b> ser::Serializer for &'b mut Builder {
    type Ok = Node;
    type Error = NotData;
    type SerializeSeq = Seq<'b>;
    type SerializeTuple = Seq<'b>;
    type SerializeTupleStruct = Seq<'b>;
    type SerializeTupleVariant = Variant<Seq<'b>>;
    type SerializeMap = Map<'b>;
    type SerializeStruct = Map<'b>;
    type SerializeStructVariant = Variant<Map<'b>>;

    small_integers!(
        serialize_i8: i8,
        serialize_i16: i16,
        serialize_i32: i32,
        serialize_u8: u8,
        serialize_u16: u16,
        serialize_u32: u32
    );

    fn serialize_bool(self, v: bool) -> Res {
        Ok(Node::Bool(v))
    }
    fn serialize_i64(self, v: i64) -> Res {
        Ok(Node::Num(Num::I(v)))
    }
    fn serialize_i128(self, v: i128) -> Res {
        if let Ok(i) = i64::try_from(v) {
            Ok(Node::Num(Num::I(i)))
        } else if let Ok(u) = u64::try_from(v) {
            Ok(Node::Num(Num::U(u)))
        } else {
            Err(NotData("number out of range".into()))
        }
    }
    fn serialize_u64(self, v: u64) -> Res {
        Ok(unsigned(v))
    }
    fn serialize_u128(self, v: u128) -> Res {
        u64::try_from(v)
            .map(unsigned)
            .map_err(|_| NotData("number out of range".into()))
    }
    fn serialize_f32(self, v: f32) -> Res {
        Ok(float(v.into()))
    }
    fn serialize_f64(self, v: f64) -> Res {
        Ok(float(v))
    }
    fn serialize_char(self, v: char) -> Res {
        let mut buf = [0; 4];
        Ok(Node::Str(self.text(v.encode_utf8(&mut buf))))
    }
    fn serialize_str(self, v: &str) -> Res {
        Ok(Node::Str(self.text(v)))
    }
    fn serialize_bytes(self, v: &[u8]) -> Res {
        Ok(Node::Arr(
            v.iter().map(|&b| Node::Num(Num::I(b.into()))).collect(),
        ))
    }
    fn serialize_none(self) -> Res {
        Ok(Node::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Res {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Res {
        Ok(Node::Null)
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Res {
        Ok(Node::Null)
    }
    fn serialize_unit_variant(self, _name: &'static str, _i: u32, variant: &'static str) -> Res {
        Ok(Node::Str(Text::Static(variant)))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Res {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _i: u32,
        variant: &'static str,
        value: &T,
    ) -> Res {
        let inner = value.serialize(self)?;
        Ok(Obj::single(variant, inner))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Seq<'b>, NotData> {
        Ok(Seq {
            b: self,
            items: Vec::with_capacity(len.unwrap_or(0)),
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Seq<'b>, NotData> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Seq<'b>, NotData> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _i: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Variant<Seq<'b>>, NotData> {
        Variant::of(variant, self.serialize_seq(Some(len)))
    }
    fn serialize_map(self, len: Option<usize>) -> Result<Map<'b>, NotData> {
        Ok(Map {
            b: self,
            members: Vec::with_capacity(len.unwrap_or(0)),
            key: None,
        })
    }
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Map<'b>, NotData> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _i: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Variant<Map<'b>>, NotData> {
        Variant::of(variant, self.serialize_struct(variant, len))
    }
}

pub(super) struct Seq<'b> {
    b: &'b mut Builder,
    items: Vec<Node>,
}

impl Seq<'_> {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), NotData> {
        let node = value.serialize(&mut *self.b)?;
        self.items.push(node);
        Ok(())
    }
}

/// The three sequence traits, alike but for their method's name.
macro_rules! sequence {
    ($trait:ident, $method:ident) => {
        impl ser::$trait for Seq<'_> {
            type Ok = Node;
            type Error = NotData;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), NotData> {
                self.push(value)
            }
            fn end(self) -> Res {
                Ok(Node::Arr(self.items))
            }
        }
    };
}

sequence!(SerializeSeq, serialize_element);
sequence!(SerializeTuple, serialize_element);
sequence!(SerializeTupleStruct, serialize_field);

pub(super) struct Map<'b> {
    b: &'b mut Builder,
    members: Vec<(Text, Node)>,
    key: Option<Text>,
}

impl ser::SerializeMap for Map<'_> {
    type Ok = Node;
    type Error = NotData;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), NotData> {
        self.key = Some(key.serialize(KeyOf { b: &mut *self.b })?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), NotData> {
        let key = self
            .key
            .take()
            .ok_or_else(|| NotData("a map value without its key".into()))?;
        let node = value.serialize(&mut *self.b)?;
        self.members.push((key, node));
        Ok(())
    }
    fn end(self) -> Res {
        Ok(Node::Obj(Obj::new(self.members, &self.b.text)))
    }
}

impl ser::SerializeStruct for Map<'_> {
    type Ok = Node;
    type Error = NotData;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), NotData> {
        let node = value.serialize(&mut *self.b)?;
        self.members.push((Text::Static(key), node));
        Ok(())
    }
    fn end(self) -> Res {
        Ok(Node::Obj(Obj::new(self.members, &self.b.text)))
    }
}

/// An enum variant's content, as `{"variant": content}`.
pub(super) struct Variant<T> {
    name: &'static str,
    inner: T,
}

impl<T> Variant<T> {
    fn of(name: &'static str, inner: Result<T, NotData>) -> Result<Variant<T>, NotData> {
        Ok(Variant {
            name,
            inner: inner?,
        })
    }
}

impl ser::SerializeTupleVariant for Variant<Seq<'_>> {
    type Ok = Node;
    type Error = NotData;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), NotData> {
        self.inner.push(value)
    }
    fn end(self) -> Res {
        let inner = Node::Arr(self.inner.items);
        Ok(Obj::single(self.name, inner))
    }
}

impl ser::SerializeStructVariant for Variant<Map<'_>> {
    type Ok = Node;
    type Error = NotData;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), NotData> {
        ser::SerializeStruct::serialize_field(&mut self.inner, key, value)
    }
    fn end(self) -> Res {
        let inner = ser::SerializeStruct::end(self.inner)?;
        Ok(Obj::single(self.name, inner))
    }
}

/// A map key, as `serde_json` takes one: a string, or a number, a bool or
/// a char written as a string.
struct KeyOf<'b> {
    b: &'b mut Builder,
}

impl KeyOf<'_> {
    fn shown(self, v: impl Display) -> Result<Text, NotData> {
        let from = self.b.text.len();
        use std::fmt::Write as _;
        let _ = write!(self.b.text, "{v}");
        Ok(Text::At(from, self.b.text.len()))
    }
}

fn not_a_key() -> NotData {
    NotData("key must be a string".into())
}

impl ser::Serializer for KeyOf<'_> {
    type Ok = Text;
    type Error = NotData;
    type SerializeSeq = ser::Impossible<Text, NotData>;
    type SerializeTuple = ser::Impossible<Text, NotData>;
    type SerializeTupleStruct = ser::Impossible<Text, NotData>;
    type SerializeTupleVariant = ser::Impossible<Text, NotData>;
    type SerializeMap = ser::Impossible<Text, NotData>;
    type SerializeStruct = ser::Impossible<Text, NotData>;
    type SerializeStructVariant = ser::Impossible<Text, NotData>;

    fn serialize_str(self, v: &str) -> Result<Text, NotData> {
        Ok(self.b.text(v))
    }

    shown_keys!(
        serialize_char: char,
        serialize_bool: bool,
        serialize_i8: i8,
        serialize_i16: i16,
        serialize_i32: i32,
        serialize_i64: i64,
        serialize_i128: i128,
        serialize_u8: u8,
        serialize_u16: u16,
        serialize_u32: u32,
        serialize_u64: u64,
        serialize_u128: u128
    );
    fn serialize_f32(self, _v: f32) -> Result<Text, NotData> {
        Err(not_a_key())
    }
    fn serialize_f64(self, _v: f64) -> Result<Text, NotData> {
        Err(not_a_key())
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result<Text, NotData> {
        Err(not_a_key())
    }
    fn serialize_none(self) -> Result<Text, NotData> {
        Err(not_a_key())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result<Text, NotData> {
        Err(not_a_key())
    }
    fn serialize_unit(self) -> Result<Text, NotData> {
        Err(not_a_key())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<Text, NotData> {
        Err(not_a_key())
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _i: u32,
        variant: &'static str,
    ) -> Result<Text, NotData> {
        Ok(Text::Static(variant))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<Text, NotData> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _i: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<Text, NotData> {
        Err(not_a_key())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, NotData> {
        Err(not_a_key())
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, NotData> {
        Err(not_a_key())
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, NotData> {
        Err(not_a_key())
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _i: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, NotData> {
        Err(not_a_key())
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, NotData> {
        Err(not_a_key())
    }
    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStruct, NotData> {
        Err(not_a_key())
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _i: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, NotData> {
        Err(not_a_key())
    }
}
