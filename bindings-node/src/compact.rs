//! A compact transport for any result, for batches whose JSON would be large (triage).
//!
//! `JSON.parse` on the main thread was the largest cost of a triage batch (a result is about
//! 3 KB of JSON: the classification's evidence, three SLA metrics, the reply plan, a refund
//! with its trace). So results cross as an `Int32Array` of values and a table of strings
//! instead, and a decoder written in JavaScript (`compact_decode.js`) rebuilds them: each
//! object is tagged with its *shape*, the list of its keys, and the decoder builds it with an
//! object literal compiled once per shape, which V8 fills much faster than it parses text.
//! The objects are the ones `JSON.parse` of the camelCased JSON (`camel.rs`) would give: struct
//! field names in camelCase, map keys and strings as they are, the same key order, numbers as
//! doubles. The tests below check the encoder against serde_json; `tests/node/triage.test.js`
//! checks the decoder, and both paths byte for byte on the sample tickets.
//!
//! The values, as `i32`s: `0` null, `1` false, `2` true, `3 n` an integer in `i32`, `4 lo hi`
//! any other number (the bits of its double), `5 i` the string at table index `i`, `6 n …` an
//! array of `n` values, `7 s …` an object of shape `s` followed by its values in the shape's
//! key order. A part (one per thread) is its shapes (their number, then each shape's key count
//! and key string indices), its number of values and the values; its string table is a JSON
//! array, in ASCII (escapes beyond it), so that V8 holds it in one byte per character.

use std::borrow::Cow;

use napi::Env;
use napi::bindgen_prelude::{FnArgs, Function, Int32Array, Unknown};
use rustc_hash::FxHashMap;
use serde::ser::{self, Serialize, Serializer};

use crate::camel;

/// Version of the compact form, checked by the decoder.
const FORMAT: i32 = 1;

/// Strings up to this length are written once per part, whatever their address.
const SHARED_STRING_MAX: usize = 160;

const NULL: i32 = 0;
const FALSE: i32 = 1;
const TRUE: i32 = 2;
const INT: i32 = 3;
const DOUBLE: i32 = 4;
const STRING: i32 = 5;
const ARRAY: i32 = 6;
const OBJECT: i32 = 7;

/// The encoder of one part.
pub struct Compact {
    values: Vec<i32>,
    count: usize,
    table: Vec<u8>,
    strings: i32,
    by_content: FxHashMap<Box<str>, i32>,
    /// Struct field names by address, as table indices of their camelCase spelling.
    fields: FxHashMap<(usize, usize), i32>,
    shapes: FxHashMap<Box<[i32]>, i32>,
    shape_list: Vec<i32>,
    /// The keys of the objects being written, innermost last.
    keys: Vec<i32>,
}

impl Default for Compact {
    fn default() -> Compact {
        Compact::new()
    }
}

impl Compact {
    pub fn new() -> Compact {
        Compact {
            values: Vec::with_capacity(4096),
            count: 0,
            table: b"[".to_vec(),
            strings: 0,
            by_content: FxHashMap::default(),
            fields: FxHashMap::default(),
            shapes: FxHashMap::default(),
            shape_list: Vec::new(),
            keys: Vec::new(),
        }
    }

    /// Appends one value (a result or an error entry).
    pub fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), CompactError> {
        value.serialize(&mut *self)?;
        self.count += 1;
        Ok(())
    }

    /// The part: its shapes, its values, its table.
    pub fn finish(mut self) -> Part {
        self.table.push(b']');
        let mut numbers = Vec::with_capacity(2 + self.shape_list.len() + self.values.len());
        numbers.push(to_i32(self.shapes.len()));
        numbers.extend_from_slice(&self.shape_list);
        numbers.push(to_i32(self.count));
        numbers.extend_from_slice(&self.values);
        // Only ASCII is written to the table.
        let table = String::from_utf8(self.table).unwrap_or_default();
        Part { numbers, table }
    }

    fn string(&mut self, s: &str) -> i32 {
        if s.len() <= SHARED_STRING_MAX {
            if let Some(i) = self.by_content.get(s) {
                return *i;
            }
            let i = self.append(s);
            self.by_content.insert(s.into(), i);
            return i;
        }
        self.append(s)
    }

    fn append(&mut self, s: &str) -> i32 {
        if self.strings > 0 {
            self.table.push(b',');
        }
        let mut ser = serde_json::Serializer::with_formatter(&mut self.table, camel::AsciiFormatter);
        // Writing a `str` into a `Vec` cannot fail.
        let _ = ser.serialize_str(s);
        self.strings += 1;
        self.strings - 1
    }

    fn field(&mut self, name: &'static str) -> i32 {
        let at = (name.as_ptr() as usize, name.len());
        if let Some(i) = self.fields.get(&at) {
            return *i;
        }
        let i = self.string(&camel::camel(name));
        self.fields.insert(at, i);
        i
    }

    fn number(&mut self, v: f64) {
        if !v.is_finite() {
            // As serde_json prints it.
            self.values.push(NULL);
        } else if v.fract() == 0.0
            && v >= i32::MIN as f64
            && v <= i32::MAX as f64
            && !(v == 0.0 && v.is_sign_negative())
        {
            self.values.extend([INT, v as i32]);
        } else {
            let bits = v.to_bits();
            self.values.extend([DOUBLE, bits as u32 as i32, (bits >> 32) as u32 as i32]);
        }
    }

    fn integer(&mut self, v: i128) -> R {
        match i32::try_from(v) {
            Ok(i) => self.values.extend([INT, i]),
            // As `JSON.parse` reads a long integer: the nearest double.
            Err(_) => self.number(v as f64),
        }
        Ok(())
    }

    /// Starts an object: its shape is patched in when it ends.
    fn open(&mut self) -> Object<'_> {
        self.values.extend([OBJECT, 0]);
        let at = self.values.len() - 1;
        let base = self.keys.len();
        Object { c: self, at, base, plain_fields: false }
    }
}

fn to_i32(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// A part in the compact form (of this module or of `refund.rs`): numbers, and its string
/// table as a JSON array.
pub struct Part {
    pub(crate) numbers: Vec<i32>,
    pub(crate) table: String,
}

/// Parts joined, as both decoders read them: `format`, the number of parts, then each part's
/// numbers; the tables as a JSON array of the parts' tables.
pub(crate) fn join(format: i32, parts: Vec<Part>) -> (Vec<i32>, String) {
    let mut numbers = Vec::with_capacity(2 + parts.iter().map(|p| p.numbers.len()).sum::<usize>());
    numbers.extend([format, to_i32(parts.len())]);
    let mut table = String::with_capacity(2 + parts.iter().map(|p| p.table.len() + 1).sum::<usize>());
    table.push('[');
    for (k, p) in parts.into_iter().enumerate() {
        numbers.extend_from_slice(&p.numbers);
        if k > 0 {
            table.push(',');
        }
        table.push_str(&p.table);
    }
    table.push(']');
    (numbers, table)
}

/// Parts joined (see [`join`]), ready to cross.
pub struct Encoded {
    numbers: Vec<i32>,
    table: String,
}

impl Encoded {
    pub fn from_parts(parts: Vec<Part>) -> Encoded {
        let (numbers, table) = join(FORMAT, parts);
        Encoded { numbers, table }
    }

    /// The values as a new JS array.
    pub fn into_js(self, env: &Env) -> napi::Result<Unknown<'_>> {
        let decode: DecodeFn = crate::scripts::function(env, crate::scripts::Script::Compact)?;
        decode.call(FnArgs::from((Int32Array::new(self.numbers), self.table)))
    }
}

/// `decodeCompact(numbers, tables)`.
type DecodeFn<'env> = Function<'env, FnArgs<(Int32Array, String)>, Unknown<'env>>;

/// The error of a value the compact form cannot hold (none of the core's results).
#[derive(Debug)]
pub struct CompactError(String);

impl std::fmt::Display for CompactError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CompactError {}

impl ser::Error for CompactError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        CompactError(msg.to_string())
    }
}

type R = Result<(), CompactError>;

impl<'a> Serializer for &'a mut Compact {
    type Ok = ();
    type Error = CompactError;
    type SerializeSeq = Array<'a>;
    type SerializeTuple = Array<'a>;
    type SerializeTupleStruct = Array<'a>;
    type SerializeTupleVariant = Variant<Array<'a>>;
    type SerializeMap = Object<'a>;
    type SerializeStruct = Object<'a>;
    type SerializeStructVariant = Variant<Object<'a>>;

    fn serialize_bool(self, v: bool) -> R {
        self.values.push(if v { TRUE } else { FALSE });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> R {
        self.integer(v.into())
    }
    fn serialize_i16(self, v: i16) -> R {
        self.integer(v.into())
    }
    fn serialize_i32(self, v: i32) -> R {
        self.integer(v.into())
    }
    fn serialize_i64(self, v: i64) -> R {
        self.integer(v.into())
    }
    fn serialize_u8(self, v: u8) -> R {
        self.integer(v.into())
    }
    fn serialize_u16(self, v: u16) -> R {
        self.integer(v.into())
    }
    fn serialize_u32(self, v: u32) -> R {
        self.integer(v.into())
    }
    fn serialize_u64(self, v: u64) -> R {
        self.integer(v.into())
    }
    fn serialize_i128(self, v: i128) -> R {
        self.integer(v)
    }
    fn serialize_u128(self, v: u128) -> R {
        match i128::try_from(v) {
            Ok(v) => self.integer(v),
            Err(_) => {
                self.number(v as f64);
                Ok(())
            }
        }
    }
    fn serialize_f32(self, v: f32) -> R {
        // serde_json prints an f32 in its shortest form, which `JSON.parse` reads as that double.
        match v.to_string().parse::<f64>() {
            Ok(d) if v.is_finite() => self.number(d),
            _ => self.values.push(NULL),
        }
        Ok(())
    }
    fn serialize_f64(self, v: f64) -> R {
        self.number(v);
        Ok(())
    }
    fn serialize_char(self, v: char) -> R {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> R {
        let i = self.string(v);
        self.values.extend([STRING, i]);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> R {
        self.values.extend([ARRAY, to_i32(v.len())]);
        for b in v {
            self.values.extend([INT, i32::from(*b)]);
        }
        Ok(())
    }
    fn serialize_none(self) -> R {
        self.values.push(NULL);
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> R {
        value.serialize(self)
    }
    fn serialize_unit(self) -> R {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _name: &'static str) -> R {
        self.serialize_none()
    }
    fn serialize_unit_variant(self, _name: &'static str, _index: u32, variant: &'static str) -> R {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _name: &'static str, value: &T) -> R {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> R {
        let mut o = self.open();
        o.key(Cow::Borrowed(variant));
        value.serialize(&mut *o.c)?;
        ser::SerializeMap::end(o)
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Array<'a>, CompactError> {
        self.values.extend([ARRAY, 0]);
        let at = self.values.len() - 1;
        Ok(Array { c: self, at, n: 0 })
    }
    fn serialize_tuple(self, len: usize) -> Result<Array<'a>, CompactError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Array<'a>, CompactError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Variant<Array<'a>>, CompactError> {
        // `{variant: [...]}`, as serde_json writes it.
        let mut outer = self.open();
        outer.key(Cow::Borrowed(variant));
        let (at, base) = (outer.at, outer.base);
        let c = outer.c;
        c.values.extend([ARRAY, 0]);
        let inner_at = c.values.len() - 1;
        Ok(Variant { inner: Array { c, at: inner_at, n: 0 }, outer_at: at, outer_base: base })
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Object<'a>, CompactError> {
        Ok(self.open())
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Object<'a>, CompactError> {
        Ok(self.open())
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Variant<Object<'a>>, CompactError> {
        // `{variant: {fields}}`; the fields keep their names, as `camel.rs` leaves them.
        let mut outer = self.open();
        outer.key(Cow::Borrowed(variant));
        let (at, base) = (outer.at, outer.base);
        let inner = outer.c.open();
        Ok(Variant { inner: Object { plain_fields: true, ..inner }, outer_at: at, outer_base: base })
    }
}

/// An array being written: its length is patched in at the end.
pub struct Array<'a> {
    c: &'a mut Compact,
    at: usize,
    n: i32,
}

impl Array<'_> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> R {
        value.serialize(&mut *self.c)?;
        self.n += 1;
        Ok(())
    }
    fn close(self) {
        self.c.values[self.at] = self.n;
    }
}

impl ser::SerializeSeq for Array<'_> {
    type Ok = ();
    type Error = CompactError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> R {
        self.element(value)
    }
    fn end(self) -> R {
        self.close();
        Ok(())
    }
}

impl ser::SerializeTuple for Array<'_> {
    type Ok = ();
    type Error = CompactError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> R {
        self.element(value)
    }
    fn end(self) -> R {
        self.close();
        Ok(())
    }
}

impl ser::SerializeTupleStruct for Array<'_> {
    type Ok = ();
    type Error = CompactError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> R {
        self.element(value)
    }
    fn end(self) -> R {
        self.close();
        Ok(())
    }
}

/// An object being written: its keys are collected on the encoder's key stack and its shape
/// patched in at the end.
pub struct Object<'a> {
    c: &'a mut Compact,
    at: usize,
    base: usize,
    /// Struct fields keep their names (inside a struct variant), as `camel.rs` leaves them.
    plain_fields: bool,
}

impl Object<'_> {
    fn key(&mut self, key: Cow<'_, str>) {
        let i = self.c.string(&key);
        self.c.keys.push(i);
    }

    fn close(self) {
        let c = self.c;
        let id = match c.shapes.get(&c.keys[self.base..]) {
            Some(id) => *id,
            None => {
                let id = to_i32(c.shapes.len());
                let keys: Box<[i32]> = c.keys[self.base..].into();
                c.shape_list.push(to_i32(keys.len()));
                c.shape_list.extend_from_slice(&keys);
                c.shapes.insert(keys, id);
                id
            }
        };
        c.values[self.at] = id;
        c.keys.truncate(self.base);
    }
}

impl ser::SerializeMap for Object<'_> {
    type Ok = ();
    type Error = CompactError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> R {
        let key = key.serialize(KeyText)?;
        self.key(key);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> R {
        value.serialize(&mut *self.c)
    }
    fn end(self) -> R {
        self.close();
        Ok(())
    }
}

impl ser::SerializeStruct for Object<'_> {
    type Ok = ();
    type Error = CompactError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> R {
        let i = if self.plain_fields { self.c.string(key) } else { self.c.field(key) };
        self.c.keys.push(i);
        value.serialize(&mut *self.c)
    }
    fn end(self) -> R {
        self.close();
        Ok(())
    }
}

/// The value of an enum variant with data, inside the one-key object `{variant: value}`.
pub struct Variant<M> {
    inner: M,
    outer_at: usize,
    outer_base: usize,
}

impl<'a> Variant<Array<'a>> {
    fn finish(self) -> R {
        let c = self.inner.c;
        c.values[self.inner.at] = self.inner.n;
        Object { c, at: self.outer_at, base: self.outer_base, plain_fields: false }.close();
        Ok(())
    }
}

impl ser::SerializeTupleVariant for Variant<Array<'_>> {
    type Ok = ();
    type Error = CompactError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> R {
        self.inner.element(value)
    }
    fn end(self) -> R {
        self.finish()
    }
}

impl ser::SerializeStructVariant for Variant<Object<'_>> {
    type Ok = ();
    type Error = CompactError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> R {
        ser::SerializeStruct::serialize_field(&mut self.inner, key, value)
    }
    fn end(self) -> R {
        let Object { c, at, base, .. } = self.inner;
        Object { c: &mut *c, at, base, plain_fields: true }.close();
        Object { c, at: self.outer_at, base: self.outer_base, plain_fields: false }.close();
        Ok(())
    }
}

/// A map key as text, as serde_json writes keys: strings as they are, integers and booleans in
/// decimal, anything else refused.
struct KeyText;

fn not_text<T>() -> Result<T, CompactError> {
    Err(ser::Error::custom("a map key must be a string"))
}

/// Integer keys, in decimal.
macro_rules! decimal_keys {
    ($($method:ident: $t:ty),*) => {
        $(fn $method(self, v: $t) -> Result<Self::Ok, CompactError> {
            Ok(Cow::Owned(v.to_string()))
        })*
    };
}

impl Serializer for KeyText {
    type Ok = Cow<'static, str>;
    type Error = CompactError;
    type SerializeSeq = ser::Impossible<Self::Ok, CompactError>;
    type SerializeTuple = ser::Impossible<Self::Ok, CompactError>;
    type SerializeTupleStruct = ser::Impossible<Self::Ok, CompactError>;
    type SerializeTupleVariant = ser::Impossible<Self::Ok, CompactError>;
    type SerializeMap = ser::Impossible<Self::Ok, CompactError>;
    type SerializeStruct = ser::Impossible<Self::Ok, CompactError>;
    type SerializeStructVariant = ser::Impossible<Self::Ok, CompactError>;

    decimal_keys!(serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64);
    decimal_keys!(serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64);

    fn serialize_bool(self, v: bool) -> Result<Self::Ok, CompactError> {
        Ok(Cow::Borrowed(if v { "true" } else { "false" }))
    }
    fn serialize_f32(self, _v: f32) -> Result<Self::Ok, CompactError> {
        not_text()
    }
    fn serialize_f64(self, _v: f64) -> Result<Self::Ok, CompactError> {
        not_text()
    }
    fn serialize_char(self, v: char) -> Result<Self::Ok, CompactError> {
        Ok(Cow::Owned(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> Result<Self::Ok, CompactError> {
        Ok(Cow::Owned(v.to_owned()))
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result<Self::Ok, CompactError> {
        not_text()
    }
    fn serialize_none(self) -> Result<Self::Ok, CompactError> {
        not_text()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Self::Ok, CompactError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Self::Ok, CompactError> {
        not_text()
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<Self::Ok, CompactError> {
        not_text()
    }
    fn serialize_unit_variant(
        self,
        _n: &'static str,
        _i: u32,
        variant: &'static str,
    ) -> Result<Self::Ok, CompactError> {
        Ok(Cow::Borrowed(variant))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _n: &'static str,
        value: &T,
    ) -> Result<Self::Ok, CompactError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _n: &'static str,
        _i: u32,
        _v: &'static str,
        _value: &T,
    ) -> Result<Self::Ok, CompactError> {
        not_text()
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, CompactError> {
        not_text()
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, CompactError> {
        not_text()
    }
    fn serialize_tuple_struct(self, _n: &'static str, _l: usize) -> Result<Self::SerializeTupleStruct, CompactError> {
        not_text()
    }
    fn serialize_tuple_variant(
        self,
        _n: &'static str,
        _i: u32,
        _v: &'static str,
        _l: usize,
    ) -> Result<Self::SerializeTupleVariant, CompactError> {
        not_text()
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, CompactError> {
        not_text()
    }
    fn serialize_struct(self, _n: &'static str, _l: usize) -> Result<Self::SerializeStruct, CompactError> {
        not_text()
    }
    fn serialize_struct_variant(
        self,
        _n: &'static str,
        _i: u32,
        _v: &'static str,
        _l: usize,
    ) -> Result<Self::SerializeStructVariant, CompactError> {
        not_text()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Serialize;
    use serde_json::{Map, Value, json};

    use super::*;

    /// What the JS decoder does, in Rust: the values of one part (keys in shape order).
    fn decode(part: &Part) -> Vec<(Value, Vec<Vec<String>>)> {
        let table: Vec<String> = serde_json::from_str(&part.table).unwrap();
        assert!(part.table.is_ascii());
        let n = &part.numbers;
        let mut p = 0;
        let mut next = || {
            p += 1;
            n[p - 1]
        };
        let mut shapes = Vec::new();
        for _ in 0..next() {
            let len = next();
            shapes.push((0..len).map(|_| table[next() as usize].clone()).collect::<Vec<_>>());
        }
        fn value(
            next: &mut dyn FnMut() -> i32,
            table: &[String],
            shapes: &[Vec<String>],
            order: &mut Vec<Vec<String>>,
        ) -> Value {
            match next() {
                NULL => Value::Null,
                FALSE => json!(false),
                TRUE => json!(true),
                INT => json!(f64::from(next())),
                DOUBLE => {
                    let lo = next() as u32 as u64;
                    let hi = next() as u32 as u64;
                    json!(f64::from_bits(hi << 32 | lo))
                }
                STRING => json!(table[next() as usize]),
                ARRAY => Value::Array((0..next()).map(|_| value(next, table, shapes, order)).collect()),
                OBJECT => {
                    let keys = &shapes[next() as usize];
                    order.push(keys.clone());
                    let mut m = Map::new();
                    for k in keys {
                        m.insert(k.clone(), value(next, table, shapes, order));
                    }
                    Value::Object(m)
                }
                other => panic!("unknown value {other}"),
            }
        }
        let count = next();
        (0..count)
            .map(|_| {
                let mut order = Vec::new();
                let v = value(&mut next, &table, &shapes, &mut order);
                (v, order)
            })
            .collect()
    }

    /// JSON.parse of the camelCased JSON, as numbers: what the decoder must equal.
    fn expected<T: Serialize>(v: &T) -> Value {
        let v: Value = serde_json::from_str(&camel::to_json(v).unwrap()).unwrap();
        as_doubles(v)
    }

    /// Every number as a double, as JavaScript holds it.
    fn as_doubles(v: Value) -> Value {
        match v {
            Value::Number(n) => json!(n.as_f64().unwrap()),
            Value::Array(a) => Value::Array(a.into_iter().map(as_doubles).collect()),
            Value::Object(m) => Value::Object(m.into_iter().map(|(k, v)| (k, as_doubles(v))).collect()),
            v => v,
        }
    }

    #[derive(Serialize)]
    enum Shape {
        Unit,
        Newtype(u64),
        Tuple(i8, String),
        Struct { field_name: Option<f32>, other_name: bool },
    }

    #[derive(Serialize)]
    struct Sample {
        snake_case_name: &'static str,
        #[serde(skip_serializing_if = "Option::is_none")]
        sometimes: Option<i64>,
        numbers: Vec<f64>,
        map: BTreeMap<String, Value>,
        int_keys: BTreeMap<u32, char>,
        shapes: Vec<Shape>,
        bytes: serde_bytes_like::Bytes,
        nested: Option<Box<Sample>>,
    }

    mod serde_bytes_like {
        pub struct Bytes(pub Vec<u8>);
        impl serde::Serialize for Bytes {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_bytes(&self.0)
            }
        }
    }

    fn sample(sometimes: Option<i64>, nested: Option<Box<Sample>>) -> Sample {
        Sample {
            snake_case_name: "é ü 📦 \"quoted\" \\ \n \u{2028} العربية",
            sometimes,
            numbers: vec![0.0, -0.0, 1.5, 0.823, 1e300, -2.0, 4_294_967_296.0, f64::NAN, f64::INFINITY, 1e-7],
            map: BTreeMap::from([
                ("__proto__".to_string(), json!({"constructor": 1})),
                ("snake_key".to_string(), json!([i64::MAX, u64::MAX, i64::MIN, -1, 2_147_483_648i64])),
                ("".to_string(), json!(null)),
                ("x".repeat(300), json!("y".repeat(300))),
            ]),
            int_keys: BTreeMap::from([(2, 'a'), (10, '😀')]),
            shapes: vec![
                Shape::Unit,
                Shape::Newtype(7),
                Shape::Tuple(-3, "t".into()),
                Shape::Struct { field_name: Some(0.1), other_name: true },
                Shape::Struct { field_name: None, other_name: false },
            ],
            bytes: serde_bytes_like::Bytes(vec![0, 255]),
            nested,
        }
    }

    #[test]
    fn decodes_to_what_json_parse_of_the_camel_json_gives() {
        let values =
            [sample(Some(3), None), sample(None, Some(Box::new(sample(Some(-9), None)))), sample(Some(3), None)];
        let mut c = Compact::new();
        for v in &values {
            c.push(v).unwrap();
        }
        let part = c.finish();
        let decoded = decode(&part);
        assert_eq!(decoded.len(), 3);
        for (v, (got, order)) in values.iter().zip(&decoded) {
            assert_eq!(*got, expected(v));
            // Struct fields camelCased in declaration order (skipped ones left out), struct-variant
            // fields unchanged, map keys as they are.
            let mut fields =
                vec!["snakeCaseName", "sometimes", "numbers", "map", "intKeys", "shapes", "bytes", "nested"];
            if v.sometimes.is_none() {
                fields.remove(1);
            }
            assert_eq!(order[0], fields);
            assert_eq!(order[1][..2], ["", "__proto__"]);
            assert!(order.iter().any(|keys| keys == &["field_name", "other_name"]));
        }
        // The nested sample's objects are read in place, after the outer ones.
        assert_eq!(decoded[1].1.len(), 2 * decoded[0].1.len());
        // Shapes and strings are written once per part.
        let shapes = part.numbers[0] as usize;
        assert!(shapes < 20, "{shapes} shapes");
        assert_eq!(part.table.matches("snakeCaseName").count(), 1);
    }

    #[test]
    fn map_keys_must_be_text() {
        let mut c = Compact::new();
        let bad = BTreeMap::from([(vec![1u8], 1)]);
        assert!(c.push(&bad).is_err());
    }
}
