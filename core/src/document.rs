//! Request documents written into one flat buffer, for the bindings.
//!
//! A binding walks a Python dict (or any tree of its own values) once into [`Documents`], and
//! the core reads requests from it exactly as it reads a `serde_json::Value`, with the same
//! checks and the same errors. What it saves is the `Value` itself: a map and a string
//! allocated for every field of every request, which cost a Python refund batch more than
//! deciding the refunds did. A batch writes its documents one after another into one buffer
//! and reuses it, so writing allocates nothing once the buffer has grown.

use serde_json::{Map, Number, Value};

use crate::error::Error;
use crate::request::{Kind, Tree};

/// Request documents written one after another into one buffer.
///
/// A document is one value (usually an object) written with the writing methods and closed
/// with [`Documents::finish`]; it is then read as a [`DocumentNode`], for example by
/// [`RefundCase::from_document`](crate::RefundCase::from_document). Reading a document gives
/// the same result and the same errors as reading the `serde_json::Value` it spells.
///
/// Writing out of order (a key outside an object, a value where a key is due, an `end` with
/// nothing open, a second value at the top) is not a panic: the document is refused by
/// [`Documents::finish`] and leaves nothing behind.
///
/// # Example
///
/// ```
/// use aftersales::Documents;
///
/// let mut docs = Documents::new();
/// docs.begin_object();
/// docs.key("complaint");
/// docs.string("damaged");
/// docs.key("tags");
/// docs.begin_array();
/// docs.string("fragile");
/// docs.end();
/// docs.end();
/// let n = docs.finish()?;
/// let doc = docs.get(n).unwrap();
/// assert_eq!(doc.get("complaint").and_then(|c| c.as_str()), Some("damaged"));
/// assert_eq!(doc.to_value(), serde_json::json!({"complaint": "damaged", "tags": ["fragile"]}));
/// # Ok::<(), aftersales::Error>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct Documents {
    slots: Vec<Slot>,
    text: String,
    roots: Vec<usize>,
    /// The containers of the document being written, innermost last.
    open: Vec<Open>,
    /// Where the document being written starts, in `slots` and `text`.
    start: (usize, usize),
    broken: bool,
}

#[derive(Clone, Copy, Debug)]
enum Slot {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    /// A string value: its bytes in `text`.
    Str(usize, usize),
    /// An object's key: its bytes in `text`; its value follows.
    Key(usize, usize),
    /// `len` items follow; `end` is the slot after the last.
    Array {
        len: usize,
        end: usize,
    },
    /// Key and value pairs follow; `end` is the slot after the last.
    Object {
        end: usize,
    },
}

#[derive(Clone, Copy, Debug)]
struct Open {
    slot: usize,
    len: usize,
    object: bool,
    /// In an object: the next thing written must be a key.
    key_due: bool,
}

impl Documents {
    /// An empty buffer.
    ///
    /// # Example
    ///
    /// ```
    /// assert!(aftersales::Documents::new().is_empty());
    /// ```
    pub fn new() -> Documents {
        Documents::default()
    }

    /// How many documents are finished.
    ///
    /// # Example
    ///
    /// ```
    /// let mut docs = aftersales::Documents::new();
    /// docs.null();
    /// docs.finish()?;
    /// assert_eq!(docs.len(), 1);
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn len(&self) -> usize {
        self.roots.len()
    }

    /// No document is finished.
    ///
    /// # Example
    ///
    /// ```
    /// assert!(aftersales::Documents::new().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.roots.is_empty()
    }

    /// Forgets every document, keeping the memory for the next ones.
    ///
    /// # Example
    ///
    /// ```
    /// let mut docs = aftersales::Documents::new();
    /// docs.int(7);
    /// docs.finish()?;
    /// docs.clear();
    /// assert!(docs.get(0).is_none());
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn clear(&mut self) {
        self.slots.clear();
        self.text.clear();
        self.roots.clear();
        self.reset();
    }

    /// Document `n` (in the order they were finished).
    ///
    /// # Example
    ///
    /// ```
    /// let mut docs = aftersales::Documents::new();
    /// docs.string("first");
    /// docs.finish()?;
    /// assert_eq!(docs.get(0).and_then(|d| d.as_str()), Some("first"));
    /// assert!(docs.get(1).is_none());
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn get(&self, n: usize) -> Option<DocumentNode<'_>> {
        self.roots.get(n).map(|&at| DocumentNode { docs: self, at })
    }

    /// Writes `null`.
    ///
    /// # Example
    ///
    /// ```
    /// let mut docs = aftersales::Documents::new();
    /// docs.null();
    /// let n = docs.finish()?;
    /// assert!(docs.get(n).unwrap().to_value().is_null());
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn null(&mut self) {
        self.value(Slot::Null);
    }

    /// Writes `true` or `false`.
    ///
    /// # Example
    ///
    /// ```
    /// let mut docs = aftersales::Documents::new();
    /// docs.bool(true);
    /// let n = docs.finish()?;
    /// assert_eq!(docs.get(n).unwrap().to_value(), serde_json::json!(true));
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn bool(&mut self, b: bool) {
        self.value(Slot::Bool(b));
    }

    /// Writes a whole number.
    ///
    /// # Example
    ///
    /// ```
    /// let mut docs = aftersales::Documents::new();
    /// docs.int(-3);
    /// let n = docs.finish()?;
    /// assert_eq!(docs.get(n).unwrap().to_value(), serde_json::json!(-3));
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn int(&mut self, i: i64) {
        self.value(Slot::Int(i));
    }

    /// Writes a whole number above `i64::MAX`'s range (any `u64`).
    ///
    /// # Example
    ///
    /// ```
    /// let mut docs = aftersales::Documents::new();
    /// docs.uint(u64::MAX);
    /// let n = docs.finish()?;
    /// assert_eq!(docs.get(n).unwrap().to_value(), serde_json::json!(u64::MAX));
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn uint(&mut self, u: u64) {
        self.value(Slot::UInt(u));
    }

    /// Writes a binary floating-point number. NaN and the infinities have no JSON form: the
    /// document is refused.
    ///
    /// # Example
    ///
    /// ```
    /// let mut docs = aftersales::Documents::new();
    /// docs.float(f64::NAN);
    /// assert!(docs.finish().is_err());
    /// ```
    pub fn float(&mut self, f: f64) {
        if f.is_finite() {
            self.value(Slot::Float(f));
        } else {
            self.broken = true;
        }
    }

    /// Writes a string.
    ///
    /// # Example
    ///
    /// ```
    /// let mut docs = aftersales::Documents::new();
    /// docs.string("crushed parcel");
    /// let n = docs.finish()?;
    /// assert_eq!(docs.get(n).unwrap().as_str(), Some("crushed parcel"));
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn string(&mut self, s: &str) {
        let (start, end) = self.push_text(s);
        self.value(Slot::Str(start, end));
    }

    /// Opens an array: its items follow, then [`Documents::end`].
    ///
    /// # Example
    ///
    /// ```
    /// let mut docs = aftersales::Documents::new();
    /// docs.begin_array();
    /// docs.int(1);
    /// docs.int(2);
    /// docs.end();
    /// let n = docs.finish()?;
    /// assert_eq!(docs.get(n).unwrap().to_value(), serde_json::json!([1, 2]));
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn begin_array(&mut self) {
        self.begin(false);
    }

    /// Opens an object: [`Documents::key`] and a value for each field follow, then
    /// [`Documents::end`]. Keys are not checked for repeats (a dict has none): should one be
    /// written twice, readers see its first value.
    ///
    /// # Example
    ///
    /// ```
    /// let mut docs = aftersales::Documents::new();
    /// docs.begin_object();
    /// docs.key("days");
    /// docs.int(14);
    /// docs.end();
    /// let n = docs.finish()?;
    /// assert_eq!(docs.get(n).unwrap().to_value(), serde_json::json!({"days": 14}));
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn begin_object(&mut self) {
        self.begin(true);
    }

    /// Writes the key of the next field of the open object.
    ///
    /// # Example
    ///
    /// ```
    /// let mut docs = aftersales::Documents::new();
    /// docs.key("outside any object");
    /// assert!(docs.finish().is_err());
    /// ```
    pub fn key(&mut self, key: &str) {
        match self.open.last_mut() {
            Some(o) if o.object && o.key_due => o.key_due = false,
            _ => {
                self.broken = true;
                return;
            }
        }
        let (start, end) = self.push_text(key);
        self.slots.push(Slot::Key(start, end));
    }

    /// Closes the innermost open array or object.
    ///
    /// # Example
    ///
    /// ```
    /// let mut docs = aftersales::Documents::new();
    /// docs.begin_object();
    /// docs.key("dangling");
    /// docs.end(); // a key without its value
    /// assert!(docs.finish().is_err());
    /// ```
    pub fn end(&mut self) {
        let Some(o) = self.open.pop() else {
            self.broken = true;
            return;
        };
        if o.object && !o.key_due {
            self.broken = true;
        }
        let end = self.slots.len();
        if let Some(slot) = self.slots.get_mut(o.slot) {
            *slot = if o.object { Slot::Object { end } } else { Slot::Array { len: o.len, end } };
        }
        self.wrote_value();
    }

    /// Writes a JSON value (a whole document, or the value of a field or item being written).
    ///
    /// # Example
    ///
    /// ```
    /// let value = serde_json::json!({"order": {"total": {"amount": "9.90", "currency": "EUR"}}});
    /// let mut docs = aftersales::Documents::new();
    /// docs.value_of(&value);
    /// let n = docs.finish()?;
    /// assert_eq!(docs.get(n).unwrap().to_value(), value);
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn value_of(&mut self, value: &Value) {
        match value {
            Value::Null => self.null(),
            Value::Bool(b) => self.bool(*b),
            Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
                (Some(i), _, _) => self.int(i),
                (None, Some(u), _) => self.uint(u),
                (None, None, Some(f)) => self.float(f),
                _ => self.broken = true,
            },
            Value::String(s) => self.string(s),
            Value::Array(items) => {
                self.begin_array();
                items.iter().for_each(|v| self.value_of(v));
                self.end();
            }
            Value::Object(map) => {
                self.begin_object();
                for (k, v) in map {
                    self.key(k);
                    self.value_of(v);
                }
                self.end();
            }
        }
    }

    /// Ends the document being written and returns its number for [`Documents::get`].
    ///
    /// # Errors
    ///
    /// `invalid_input` if the document is not exactly one complete value (nothing written, a
    /// container left open, writing out of order, a float that is not finite); the partial
    /// document is discarded, the finished ones stay.
    ///
    /// # Example
    ///
    /// ```
    /// let mut docs = aftersales::Documents::new();
    /// docs.begin_array();
    /// assert!(docs.finish().unwrap_err().is_invalid_input()); // left open
    /// docs.string("next");
    /// assert_eq!(docs.finish()?, 0);
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn finish(&mut self) -> Result<usize, Error> {
        let why = if self.broken {
            Some("written out of order, or a number that is not finite")
        } else if !self.open.is_empty() {
            Some("an array or object left open")
        } else if self.slots.len() == self.start.0 {
            Some("nothing written")
        } else {
            None
        };
        if let Some(why) = why {
            self.abandon();
            return Err(Error::invalid_input("", format!("incomplete document: {why}")));
        }
        self.roots.push(self.start.0);
        self.reset();
        Ok(self.roots.len() - 1)
    }

    /// Discards the document being written (a binding met a value it cannot write); the
    /// finished ones stay.
    ///
    /// # Example
    ///
    /// ```
    /// let mut docs = aftersales::Documents::new();
    /// docs.begin_object();
    /// docs.key("half");
    /// docs.abandon();
    /// docs.bool(false);
    /// assert_eq!(docs.finish()?, 0);
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn abandon(&mut self) {
        self.slots.truncate(self.start.0);
        self.text.truncate(self.start.1);
        self.reset();
    }

    fn reset(&mut self) {
        self.open.clear();
        self.broken = false;
        self.start = (self.slots.len(), self.text.len());
    }

    fn push_text(&mut self, s: &str) -> (usize, usize) {
        let start = self.text.len();
        self.text.push_str(s);
        (start, self.text.len())
    }

    /// Whether a value may be written here: as the document itself, an array item, or the
    /// value after a key.
    fn value_allowed(&self) -> bool {
        match self.open.last() {
            Some(o) => !o.object || !o.key_due,
            None => self.slots.len() == self.start.0,
        }
    }

    fn value(&mut self, slot: Slot) {
        if !self.value_allowed() {
            self.broken = true;
            return;
        }
        self.slots.push(slot);
        self.wrote_value();
    }

    fn begin(&mut self, object: bool) {
        if !self.value_allowed() {
            self.broken = true;
            return;
        }
        self.open.push(Open { slot: self.slots.len(), len: 0, object, key_due: true });
        self.slots.push(Slot::Null);
    }

    /// A value is complete: its container counts it, and an object wants a key next.
    fn wrote_value(&mut self) {
        if let Some(o) = self.open.last_mut() {
            o.len += 1;
            o.key_due = true;
        }
    }

    fn slot(&self, at: usize) -> Slot {
        self.slots.get(at).copied().unwrap_or(Slot::Null)
    }

    fn str_at(&self, start: usize, end: usize) -> &str {
        self.text.get(start..end).unwrap_or_default()
    }

    /// The slot after the value at `at` and everything in it.
    fn skip(&self, at: usize) -> usize {
        match self.slot(at) {
            Slot::Array { end, .. } | Slot::Object { end, .. } => end,
            _ => at + 1,
        }
    }
}

/// A value inside [`Documents`]: a whole document, or a field or item of one.
///
/// # Example
///
/// ```
/// let mut docs = aftersales::Documents::new();
/// docs.value_of(&serde_json::json!({"item": {"sku": "MUG-1"}}));
/// let n = docs.finish()?;
/// let doc = docs.get(n).unwrap();
/// let sku = doc.get("item").and_then(|i| i.get("sku")).and_then(|s| s.as_str());
/// assert_eq!(sku, Some("MUG-1"));
/// # Ok::<(), aftersales::Error>(())
/// ```
#[derive(Clone, Copy, Debug)]
pub struct DocumentNode<'a> {
    docs: &'a Documents,
    at: usize,
}

impl<'a> DocumentNode<'a> {
    /// The value of field `key`, if this is an object that has it (the first one written, if
    /// it was written twice).
    ///
    /// # Example
    ///
    /// ```
    /// let mut docs = aftersales::Documents::new();
    /// docs.value_of(&serde_json::json!({"a": 1}));
    /// let n = docs.finish()?;
    /// let doc = docs.get(n).unwrap();
    /// assert!(doc.get("a").is_some() && doc.get("b").is_none());
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn get(self, key: &str) -> Option<DocumentNode<'a>> {
        self.entries().find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    /// The text, if this is a string.
    ///
    /// # Example
    ///
    /// ```
    /// let mut docs = aftersales::Documents::new();
    /// docs.int(3);
    /// let n = docs.finish()?;
    /// assert_eq!(docs.get(n).unwrap().as_str(), None);
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn as_str(self) -> Option<&'a str> {
        match self.docs.slot(self.at) {
            Slot::Str(start, end) => Some(self.docs.str_at(start, end)),
            _ => None,
        }
    }

    /// The value as JSON.
    ///
    /// # Example
    ///
    /// ```
    /// let value = serde_json::json!([null, true, -1, 18446744073709551615u64, 0.5, "x", {"k": []}]);
    /// let mut docs = aftersales::Documents::new();
    /// docs.value_of(&value);
    /// let n = docs.finish()?;
    /// assert_eq!(docs.get(n).unwrap().to_value(), value);
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn to_value(self) -> Value {
        match self.docs.slot(self.at) {
            Slot::Null | Slot::Key(..) => Value::Null,
            Slot::Bool(b) => Value::Bool(b),
            Slot::Int(i) => Value::Number(i.into()),
            Slot::UInt(u) => Value::Number(u.into()),
            Slot::Float(f) => Number::from_f64(f).map_or(Value::Null, Value::Number),
            Slot::Str(start, end) => Value::String(self.docs.str_at(start, end).to_string()),
            Slot::Array { len, .. } => {
                let mut items = Vec::with_capacity(len);
                items.extend(self.items().map(DocumentNode::to_value));
                Value::Array(items)
            }
            Slot::Object { .. } => {
                let mut map = Map::new();
                for (k, v) in self.entries() {
                    map.entry(k).or_insert_with(|| v.to_value());
                }
                Value::Object(map)
            }
        }
    }

    /// The key and value pairs of an object (none for anything else), in the order written.
    fn entries(self) -> impl Iterator<Item = (&'a str, DocumentNode<'a>)> {
        let docs = self.docs;
        let (mut at, end) = match docs.slot(self.at) {
            Slot::Object { end, .. } => (self.at + 1, end),
            _ => (0, 0),
        };
        std::iter::from_fn(move || {
            if at >= end {
                return None;
            }
            let Slot::Key(start, stop) = docs.slot(at) else { return None };
            let value = DocumentNode { docs, at: at + 1 };
            at = docs.skip(at + 1);
            Some((docs.str_at(start, stop), value))
        })
    }

    /// The items of an array (none for anything else).
    fn items(self) -> impl Iterator<Item = DocumentNode<'a>> {
        let docs = self.docs;
        let (mut at, end) = match docs.slot(self.at) {
            Slot::Array { end, .. } => (self.at + 1, end),
            _ => (0, 0),
        };
        std::iter::from_fn(move || {
            if at >= end {
                return None;
            }
            let item = DocumentNode { docs, at };
            at = docs.skip(at);
            Some(item)
        })
    }
}

impl<'a> Tree<'a> for DocumentNode<'a> {
    fn kind(self) -> Kind {
        match self.docs.slot(self.at) {
            Slot::Null | Slot::Key(..) => Kind::Null,
            Slot::Bool(_) => Kind::Bool,
            Slot::Int(_) | Slot::UInt(_) | Slot::Float(_) => Kind::Number,
            Slot::Str(..) => Kind::String,
            Slot::Array { .. } => Kind::Array,
            Slot::Object { .. } => Kind::Object,
        }
    }

    fn as_str(self) -> Option<&'a str> {
        DocumentNode::as_str(self)
    }

    fn as_bool(self) -> Option<bool> {
        match self.docs.slot(self.at) {
            Slot::Bool(b) => Some(b),
            _ => None,
        }
    }

    fn as_number(self) -> Option<Number> {
        match self.docs.slot(self.at) {
            Slot::Int(i) => Some(i.into()),
            Slot::UInt(u) => Some(u.into()),
            Slot::Float(f) => Number::from_f64(f),
            _ => None,
        }
    }

    fn field(self, key: &str) -> Option<DocumentNode<'a>> {
        self.get(key)
    }

    fn keys(self) -> impl Iterator<Item = &'a str> {
        self.entries().map(|(k, _)| k)
    }

    fn items(self) -> impl Iterator<Item = DocumentNode<'a>> {
        DocumentNode::items(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn round_trip(value: &Value) -> Value {
        let mut docs = Documents::new();
        docs.value_of(value);
        let n = docs.finish().unwrap();
        docs.get(n).unwrap().to_value()
    }

    #[test]
    fn values_round_trip() {
        for v in [
            json!(null),
            json!({}),
            json!([]),
            json!({"a": {"b": [1, {"c": [[], {}]}, "é"]}, "d": -0.25, "e": i64::MIN, "f": u64::MAX}),
            json!([[[[]]], {"": ""}]),
        ] {
            assert_eq!(round_trip(&v), v);
        }
    }

    #[test]
    fn documents_follow_one_another() {
        let mut docs = Documents::new();
        for i in 0..5 {
            docs.value_of(&json!({"n": i, "list": [i, i]}));
            assert_eq!(docs.finish().unwrap(), i as usize);
        }
        for i in 0..5 {
            assert_eq!(docs.get(i).unwrap().to_value(), json!({"n": i, "list": [i, i]}));
        }
        assert_eq!(docs.len(), 5);
    }

    #[test]
    fn out_of_order_writing_is_refused_and_discarded() {
        let mut docs = Documents::new();
        docs.string("kept");
        docs.finish().unwrap();
        let misuses: [&dyn Fn(&mut Documents); 7] = [
            &|d| d.end(),
            &|d| d.key("k"),
            &|d| {
                d.begin_object();
                d.string("value where a key is due");
                d.end();
            },
            &|d| {
                d.begin_array();
                d.key("key in an array");
                d.end();
            },
            &|d| {
                d.int(1);
                d.int(2);
            },
            &|d| {
                d.begin_object();
                d.key("a");
                d.key("b");
            },
            &|_| {},
        ];
        for misuse in misuses {
            misuse(&mut docs);
            let err = docs.finish().unwrap_err();
            assert!(err.is_invalid_input(), "{err}");
            assert_eq!(docs.len(), 1);
        }
        // Nothing of the refused documents is left: the next one reads cleanly.
        docs.value_of(&json!({"x": [true]}));
        let n = docs.finish().unwrap();
        assert_eq!(docs.get(n).unwrap().to_value(), json!({"x": [true]}));
        assert_eq!(docs.get(0).unwrap().as_str(), Some("kept"));
        assert_eq!(docs.slots.len(), 1 + 4);
    }

    #[test]
    fn a_repeated_key_reads_as_its_first_value() {
        let mut docs = Documents::new();
        docs.begin_object();
        docs.key("a");
        docs.int(1);
        docs.key("a");
        docs.int(2);
        docs.end();
        let n = docs.finish().unwrap();
        let doc = docs.get(n).unwrap();
        assert_eq!(doc.to_value(), json!({"a": 1}));
        assert_eq!(doc.field("a").and_then(|a| a.as_number()), Some(1.into()));
    }

    #[test]
    fn tree_reading_matches_json() {
        let v = json!({"s": "x", "b": false, "n": 3, "f": 1.5, "a": [1, "two"], "o": {"k": null}});
        let mut docs = Documents::new();
        docs.value_of(&v);
        let n = docs.finish().unwrap();
        let doc = docs.get(n).unwrap();
        assert_eq!(doc.keys().collect::<Vec<_>>(), ["a", "b", "f", "n", "o", "s"]); // as a JSON map orders them
        for key in ["s", "b", "n", "f", "a", "o", "missing"] {
            let (d, j) = (doc.field(key), (&v).field(key));
            assert_eq!(d.map(Tree::kind), j.map(Tree::kind), "{key}");
            assert_eq!(d.and_then(Tree::as_str), j.and_then(Tree::as_str));
            assert_eq!(d.and_then(Tree::as_bool), j.and_then(Tree::as_bool));
            assert_eq!(d.and_then(Tree::as_number), j.and_then(Tree::as_number));
        }
        let items: Vec<Value> = doc.field("a").unwrap().items().map(|i| i.to_value()).collect();
        assert_eq!(items, [json!(1), json!("two")]);
        assert_eq!(doc.field("s").unwrap().items().count(), 0);
        assert_eq!(doc.field("a").unwrap().keys().count(), 0);
    }
}
