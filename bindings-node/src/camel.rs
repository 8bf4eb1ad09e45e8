//! JavaScript naming at the boundary, as SPEC §2 requires. Results: struct field names become
//! camelCase (`language_confidence` → `languageConfidence`), while map keys and string values
//! stay exactly as written (category names, calendar names chosen by users, enum values such as
//! `"not_received"`). Requests: object keys go back to snake_case (`createdAt` → `created_at`),
//! except inside an inline calendar, which is a policy-shaped document written in snake_case.

use std::borrow::Cow;

use serde::ser::{self, Serialize, Serializer};
use serde_json::{Map, Value};

/// `value` serialised as JSON with camelCase field names.
pub fn to_json<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<String> {
    serde_json::to_string(&Camel(value))
}

/// serde_json's compact format with every character beyond ASCII written as a `\uXXXX`
/// escape: V8 then holds the text in one byte per character, and parses it faster than the
/// two-byte text a single French or Arabic excerpt would make of it.
pub struct AsciiFormatter;

impl serde_json::ser::Formatter for AsciiFormatter {
    fn write_string_fragment<W: ?Sized + std::io::Write>(&mut self, w: &mut W, fragment: &str) -> std::io::Result<()> {
        let mut rest = fragment;
        while let Some(at) = rest.bytes().position(|b| !b.is_ascii()) {
            w.write_all(&rest.as_bytes()[..at])?;
            let c = rest[at..].chars().next().unwrap_or('\u{fffd}');
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                write!(w, "\\u{u:04x}")?;
            }
            rest = &rest[at + c.len_utf8()..];
        }
        w.write_all(rest.as_bytes())
    }
}

/// `snake_case` → `camelCase`; names without `_` are borrowed unchanged.
pub fn camel(name: &str) -> Cow<'_, str> {
    if !name.contains('_') {
        return Cow::Borrowed(name);
    }
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Fields whose values are calendar documents, written as in a policy (snake_case keys, date
/// keys): their insides are taken as they are, not renamed.
pub const VERBATIM: [&str; 2] = ["calendar", "team_calendar"];

/// `camelCase` → `snake_case`, the inverse of [`camel`]: every upper-case ASCII letter becomes
/// `_` and its lower case, and a digit run after a letter gets its `_` back
/// (`refundsLast365d` → `refunds_last_365d`). Names without an upper-case ASCII letter are
/// already snake_case (or data) and are borrowed unchanged.
pub fn snake(name: &str) -> Cow<'_, str> {
    if !name.bytes().any(|b| b.is_ascii_uppercase()) {
        return Cow::Borrowed(name);
    }
    let mut out = String::with_capacity(name.len() + 4);
    let mut after_letter = false;
    for c in name.chars() {
        if c.is_ascii_uppercase() || (c.is_ascii_digit() && after_letter) {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
        after_letter = c.is_alphabetic();
    }
    Cow::Owned(out)
}

/// Two keys of one object that name the same field once snake-cased (`createdAt` and
/// `created_at`): refused rather than letting one silently win.
#[derive(Debug, PartialEq, Eq)]
pub struct DuplicateKey {
    /// The field's path in the core's notation (`customer.orders_count`, `events[2].at`).
    pub path: String,
    /// The two keys as the caller wrote them.
    pub keys: (String, String),
}

/// A request document with its object keys in snake_case, recursively, except the value of a
/// `calendar` key: an inline calendar is a policy-shaped document and its keys (weekday names,
/// dates) are data, kept as written.
pub fn snake_keys(value: Value) -> Result<Value, DuplicateKey> {
    match value {
        Value::Object(map) => {
            let mut out = Map::with_capacity(map.len());
            // The key each snake name came from, only needed to report a duplicate.
            let mut written: Vec<(String, String)> = Vec::new();
            for (key, v) in map {
                let name = snake(&key).into_owned();
                let v =
                    if VERBATIM.contains(&name.as_str()) { v } else { snake_keys(v).map_err(|e| e.under(&name))? };
                if out.contains_key(&name) {
                    let first =
                        written.iter().find(|(n, _)| *n == name).map_or_else(|| name.clone(), |(_, k)| k.clone());
                    return Err(DuplicateKey { path: name, keys: (first, key) });
                }
                written.push((name.clone(), key));
                out.insert(name, v);
            }
            Ok(Value::Object(out))
        }
        Value::Array(items) => items
            .into_iter()
            .enumerate()
            .map(|(i, v)| snake_keys(v).map_err(|e| e.under(&format!("[{i}]"))))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        other => Ok(other),
    }
}

/// [`snake_keys`] with a duplicate reported as the core's `invalid_input`, naming its path.
pub fn snake_request(doc: Value) -> Result<Value, aftersales::Error> {
    snake_keys(doc).map_err(|d| {
        let (a, b) = &d.keys;
        aftersales::Error::new(
            aftersales::ErrorKind::InvalidInput,
            Some(&d.path),
            format!("the same field is given twice, as {a:?} and {b:?}"),
        )
    })
}

impl DuplicateKey {
    /// The same error, one level up: `parent` is a key or an `[i]` index.
    fn under(mut self, parent: &str) -> DuplicateKey {
        let sep = if self.path.starts_with('[') { "" } else { "." };
        self.path = format!("{parent}{sep}{}", self.path);
        self
    }
}

/// Wraps a value so that its structs serialise with camelCase field names.
pub struct Camel<'a, T: ?Sized>(pub &'a T);

impl<T: Serialize + ?Sized> Serialize for Camel<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(CamelSerializer(s))
    }
}

struct CamelSerializer<S>(S);

/// Wraps a compound serializer so that nested values are camel-cased too.
pub struct Nested<M>(M);

/// A struct written as a map, so that its keys can be computed strings.
pub struct StructAsMap<M>(M);

impl<S: Serializer> Serializer for CamelSerializer<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    type SerializeSeq = Nested<S::SerializeSeq>;
    type SerializeTuple = Nested<S::SerializeTuple>;
    type SerializeTupleStruct = Nested<S::SerializeTupleStruct>;
    type SerializeTupleVariant = Nested<S::SerializeTupleVariant>;
    type SerializeMap = Nested<S::SerializeMap>;
    type SerializeStruct = StructAsMap<S::SerializeMap>;
    type SerializeStructVariant = Nested<S::SerializeStructVariant>;

    fn serialize_bool(self, v: bool) -> Result<S::Ok, S::Error> {
        self.0.serialize_bool(v)
    }
    fn serialize_i8(self, v: i8) -> Result<S::Ok, S::Error> {
        self.0.serialize_i8(v)
    }
    fn serialize_i16(self, v: i16) -> Result<S::Ok, S::Error> {
        self.0.serialize_i16(v)
    }
    fn serialize_i32(self, v: i32) -> Result<S::Ok, S::Error> {
        self.0.serialize_i32(v)
    }
    fn serialize_i64(self, v: i64) -> Result<S::Ok, S::Error> {
        self.0.serialize_i64(v)
    }
    fn serialize_u8(self, v: u8) -> Result<S::Ok, S::Error> {
        self.0.serialize_u8(v)
    }
    fn serialize_u16(self, v: u16) -> Result<S::Ok, S::Error> {
        self.0.serialize_u16(v)
    }
    fn serialize_u32(self, v: u32) -> Result<S::Ok, S::Error> {
        self.0.serialize_u32(v)
    }
    fn serialize_u64(self, v: u64) -> Result<S::Ok, S::Error> {
        self.0.serialize_u64(v)
    }
    fn serialize_f32(self, v: f32) -> Result<S::Ok, S::Error> {
        self.0.serialize_f32(v)
    }
    fn serialize_f64(self, v: f64) -> Result<S::Ok, S::Error> {
        self.0.serialize_f64(v)
    }
    fn serialize_char(self, v: char) -> Result<S::Ok, S::Error> {
        self.0.serialize_char(v)
    }
    fn serialize_str(self, v: &str) -> Result<S::Ok, S::Error> {
        self.0.serialize_str(v)
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<S::Ok, S::Error> {
        self.0.serialize_bytes(v)
    }
    fn serialize_none(self) -> Result<S::Ok, S::Error> {
        self.0.serialize_none()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<S::Ok, S::Error> {
        self.0.serialize_some(&Camel(value))
    }
    fn serialize_unit(self) -> Result<S::Ok, S::Error> {
        self.0.serialize_unit()
    }
    fn serialize_unit_struct(self, name: &'static str) -> Result<S::Ok, S::Error> {
        self.0.serialize_unit_struct(name)
    }
    fn serialize_unit_variant(self, name: &'static str, index: u32, variant: &'static str) -> Result<S::Ok, S::Error> {
        self.0.serialize_unit_variant(name, index, variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, name: &'static str, value: &T) -> Result<S::Ok, S::Error> {
        self.0.serialize_newtype_struct(name, &Camel(value))
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<S::Ok, S::Error> {
        self.0.serialize_newtype_variant(name, index, variant, &Camel(value))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Self::SerializeSeq, S::Error> {
        self.0.serialize_seq(len).map(Nested)
    }
    fn serialize_tuple(self, len: usize) -> Result<Self::SerializeTuple, S::Error> {
        self.0.serialize_tuple(len).map(Nested)
    }
    fn serialize_tuple_struct(self, name: &'static str, len: usize) -> Result<Self::SerializeTupleStruct, S::Error> {
        self.0.serialize_tuple_struct(name, len).map(Nested)
    }
    fn serialize_tuple_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleVariant, S::Error> {
        self.0.serialize_tuple_variant(name, index, variant, len).map(Nested)
    }
    fn serialize_map(self, len: Option<usize>) -> Result<Self::SerializeMap, S::Error> {
        self.0.serialize_map(len).map(Nested)
    }
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Self::SerializeStruct, S::Error> {
        self.0.serialize_map(Some(len)).map(StructAsMap)
    }
    fn serialize_struct_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStructVariant, S::Error> {
        self.0.serialize_struct_variant(name, index, variant, len).map(Nested)
    }
}

impl<M: ser::SerializeSeq> ser::SerializeSeq for Nested<M> {
    type Ok = M::Ok;
    type Error = M::Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), M::Error> {
        self.0.serialize_element(&Camel(value))
    }
    fn end(self) -> Result<M::Ok, M::Error> {
        self.0.end()
    }
}

impl<M: ser::SerializeTuple> ser::SerializeTuple for Nested<M> {
    type Ok = M::Ok;
    type Error = M::Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), M::Error> {
        self.0.serialize_element(&Camel(value))
    }
    fn end(self) -> Result<M::Ok, M::Error> {
        self.0.end()
    }
}

impl<M: ser::SerializeTupleStruct> ser::SerializeTupleStruct for Nested<M> {
    type Ok = M::Ok;
    type Error = M::Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), M::Error> {
        self.0.serialize_field(&Camel(value))
    }
    fn end(self) -> Result<M::Ok, M::Error> {
        self.0.end()
    }
}

impl<M: ser::SerializeTupleVariant> ser::SerializeTupleVariant for Nested<M> {
    type Ok = M::Ok;
    type Error = M::Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), M::Error> {
        self.0.serialize_field(&Camel(value))
    }
    fn end(self) -> Result<M::Ok, M::Error> {
        self.0.end()
    }
}

impl<M: ser::SerializeMap> ser::SerializeMap for Nested<M> {
    type Ok = M::Ok;
    type Error = M::Error;
    // Keys of maps are data (category names, calendar names): unchanged.
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), M::Error> {
        self.0.serialize_key(key)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), M::Error> {
        self.0.serialize_value(&Camel(value))
    }
    fn end(self) -> Result<M::Ok, M::Error> {
        self.0.end()
    }
}

impl<M: ser::SerializeStructVariant> ser::SerializeStructVariant for Nested<M> {
    type Ok = M::Ok;
    type Error = M::Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), M::Error> {
        self.0.serialize_field(key, &Camel(value))
    }
    fn end(self) -> Result<M::Ok, M::Error> {
        self.0.end()
    }
}

/// A struct field name serialised in camelCase, spelled out on the stack: results have
/// thousands of fields, and allocating each name was a visible part of printing them.
struct CamelKey(&'static str);

impl Serialize for CamelKey {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let name = self.0;
        let mut buf = [0u8; 64];
        if !name.contains('_') || name.len() > buf.len() || !name.is_ascii() {
            return s.serialize_str(&camel(name));
        }
        let (mut n, mut upper) = (0, false);
        for b in name.bytes() {
            if b == b'_' {
                upper = true;
                continue;
            }
            buf[n] = if upper { b.to_ascii_uppercase() } else { b };
            upper = false;
            n += 1;
        }
        // ASCII in, ASCII out.
        s.serialize_str(std::str::from_utf8(&buf[..n]).unwrap_or(name))
    }
}

impl<M: ser::SerializeMap> ser::SerializeStruct for StructAsMap<M> {
    type Ok = M::Ok;
    type Error = M::Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), M::Error> {
        self.0.serialize_entry(&CamelKey(key), &Camel(value))
    }
    fn end(self) -> Result<M::Ok, M::Error> {
        self.0.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;
    use std::collections::BTreeMap;

    #[derive(Serialize)]
    struct Inner {
        due_at: Option<&'static str>,
        by_calendar: BTreeMap<&'static str, u32>,
    }

    #[derive(Serialize)]
    struct Outer {
        language_confidence: f64,
        next_deadline: Vec<Inner>,
        primary: &'static str,
    }

    #[test]
    fn struct_keys_print_as_camel_does() {
        for name in ["language_confidence", "refunds_last_365d", "id", "a_b_c", "x_"] {
            assert_eq!(serde_json::to_string(&CamelKey(name)).unwrap(), format!("\"{}\"", camel(name)));
        }
    }

    #[test]
    fn snake_is_the_inverse_of_camel() {
        for name in ["created_at", "sla_remaining_seconds", "level", "breached_by_seconds", "refunds_last_365d"] {
            assert_eq!(snake(&camel(name)), name);
        }
        assert!(matches!(snake("events"), Cow::Borrowed("events")));
        assert!(matches!(snake("created_at"), Cow::Borrowed("created_at")));
        assert_eq!(snake("abuseFlag"), "abuse_flag");
        assert_eq!(snake("refundsLast365d"), "refunds_last_365d");
        assert_eq!(snake("upu_s10"), "upu_s10");
        // Only ASCII letters are case-mapped; a leading capital is not guessed away.
        assert_eq!(snake("CreatedAt"), "_created_at");
        assert_eq!(snake("straßeÄ"), "straßeÄ");
    }

    #[test]
    fn request_keys_become_snake_case_except_inside_a_calendar() {
        let request = serde_json::json!({
            "createdAt": "2026-11-23T09:00:00Z",
            "level": "high",
            "events": [{"at": "2026-11-23T09:30:00Z", "type": "agent_reply"}],
            "customer": {"ordersCount": 3, "lifetimeValue": {"amount": "12.50", "currency": "EUR"}},
            "calendar": {"time_zone": "UTC", "hours": {"mon": ["09:00-17:00"]}, "overrides": {"2026-12-24": []}, "oddKey": 1},
            "nested": [{"calendar": {"keepMe": true}, "dueAt": null}],
            "sla_remaining_seconds": 60
        });
        let want = serde_json::json!({
            "created_at": "2026-11-23T09:00:00Z",
            "level": "high",
            "events": [{"at": "2026-11-23T09:30:00Z", "type": "agent_reply"}],
            "customer": {"orders_count": 3, "lifetime_value": {"amount": "12.50", "currency": "EUR"}},
            "calendar": {"time_zone": "UTC", "hours": {"mon": ["09:00-17:00"]}, "overrides": {"2026-12-24": []}, "oddKey": 1},
            "nested": [{"calendar": {"keepMe": true}, "due_at": null}],
            "sla_remaining_seconds": 60
        });
        assert_eq!(snake_keys(request).unwrap(), want);
        // Values are never touched, only keys.
        assert_eq!(
            snake_keys(serde_json::json!(["createdAt", 1, null])).unwrap(),
            serde_json::json!(["createdAt", 1, null])
        );
    }

    #[test]
    fn a_field_given_twice_is_refused_with_its_path() {
        let err = snake_keys(serde_json::json!({"createdAt": "x", "created_at": "y"})).unwrap_err();
        assert_eq!(err, DuplicateKey { path: "created_at".into(), keys: ("createdAt".into(), "created_at".into()) });
        let err = snake_keys(serde_json::json!({"events": [{}, {"at": 1, "type": 2, "noteText": 3, "note_text": 4}]}))
            .unwrap_err();
        assert_eq!(err.path, "events[1].note_text");
        let err = snake_keys(serde_json::json!({"a": [[{"bC": 1, "b_c": 2}]]})).unwrap_err();
        assert_eq!(err.path, "a[0][0].b_c");
    }

    #[test]
    fn fields_camel_case_keys_and_values_stay() {
        let v = Outer {
            language_confidence: 0.5,
            next_deadline: vec![Inner { due_at: None, by_calendar: BTreeMap::from([("eu_support", 1)]) }],
            primary: "not_received",
        };
        assert_eq!(
            to_json(&v).unwrap(),
            r#"{"languageConfidence":0.5,"nextDeadline":[{"dueAt":null,"byCalendar":{"eu_support":1}}],"primary":"not_received"}"#
        );
    }
}
