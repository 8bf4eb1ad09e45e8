//! Results written off the GIL, built into Python objects with it.
//!
//! A batch's worker threads decide its items and also write each result into a [`Part`]: a
//! flat list of [`Op`]s, a table of the distinct strings and the *shapes* of its dicts (their
//! key lists). The calling thread, which holds the GIL, then only creates objects: a dict is a
//! copy of its shape's template (keys already hashed, table already sized) with the values
//! set in order. Walking serde's calls, hashing strings and matching keys happen on the
//! workers, in parallel. The objects are what `json.loads` of the result's JSON would give,
//! except that instants are aware UTC datetimes (SPEC §2): same keys, same order, `null` for a
//! NaN.

use aftersales::Timestamp;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};
use rustc_hash::FxHashMap;
use serde::ser::{self, Serialize, Serializer};

/// One value, or the head of a list or dict whose contents follow.
#[derive(Clone, Copy, Debug)]
enum Op {
    None,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    /// Index into the part's strings.
    Str(u32),
    /// An instant, in milliseconds since the Unix epoch.
    Instant(i64),
    /// `n` values follow.
    List(u32),
    /// A dict of this shape: one value per key of the shape follows.
    Dict(u32),
}

/// A dict key: a struct field's name (the same `&'static str` every time), or a string.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Key {
    Field(&'static str),
    Text(u32),
}

/// Results written by [`Part::push`], in order.
#[derive(Default)]
pub struct Part {
    ops: Vec<Op>,
    text: String,
    /// Each string's bytes in `text`.
    strings: Vec<(u32, u32)>,
    by_content: FxHashMap<Box<str>, u32>,
    /// The shapes' keys, one after another, and where each shape ends in that list.
    shape_keys: Vec<Key>,
    shape_ends: Vec<u32>,
    shapes: FxHashMap<Box<[Key]>, u32>,
    /// The keys of the dicts being written, innermost last.
    keys: Vec<Key>,
    /// Set while a `Timestamp` is written: its string is an instant.
    instant_next: bool,
    /// Holds one result (a single call's): nothing recurs enough to be worth looking up, so
    /// strings and shapes are written as they come and no dict templates are made.
    single: bool,
}

/// Strings up to this length are written once per part, however often they recur.
const SHARED_STRING_MAX: usize = 64;

impl Part {
    /// A part for one result.
    pub fn single() -> Part {
        Part { single: true, ..Part::default() }
    }

    /// Writes one result.
    pub fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), EncodeError> {
        let mark = (self.ops.len(), self.keys.len());
        let mut written = value.serialize(&mut *self);
        // String offsets are `u32`s: a part's text stops short of 4 GiB.
        if written.is_ok() && u32::try_from(self.text.len()).is_err() {
            written = Err(EncodeError("a result too large to build (its strings pass 4 GiB)".to_string()));
        }
        written.inspect_err(|_| {
            self.ops.truncate(mark.0);
            self.keys.truncate(mark.1);
        })
    }

    /// Forgets every result, keeping the memory for the next ones.
    pub fn clear(&mut self) {
        self.ops.clear();
        self.text.clear();
        self.strings.clear();
        self.by_content.clear();
        self.shape_keys.clear();
        self.shape_ends.clear();
        self.shapes.clear();
        self.keys.clear();
        self.instant_next = false;
    }

    fn string(&mut self, s: &str) -> u32 {
        let shared = s.len() <= SHARED_STRING_MAX && !self.single;
        if shared && let Some(&i) = self.by_content.get(s) {
            return i;
        }
        let start = self.text.len();
        self.text.push_str(s);
        let i = len32(self.strings.len());
        self.strings.push((len32(start), len32(self.text.len())));
        if shared {
            self.by_content.insert(s.into(), i);
        }
        i
    }

    fn str_op(&mut self, s: &str) {
        if std::mem::take(&mut self.instant_next)
            && let Ok(t) = s.parse::<Timestamp>()
        {
            self.ops.push(Op::Instant(t.unix_millis()));
            return;
        }
        let i = self.string(s);
        self.ops.push(Op::Str(i));
    }

    /// Starts a dict: its shape is known, and patched in, when it ends.
    fn open(&mut self) -> Dict<'_> {
        self.instant_next = false;
        self.ops.push(Op::Dict(0));
        Dict { at: self.ops.len() - 1, base: self.keys.len(), part: self }
    }

    fn list(&mut self) -> List<'_> {
        self.instant_next = false;
        self.ops.push(Op::List(0));
        List { at: self.ops.len() - 1, n: 0, part: self }
    }
}

fn len32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A value with no Python form here (none of the core's results).
#[derive(Debug)]
pub struct EncodeError(String);

impl std::fmt::Display for EncodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for EncodeError {}

impl ser::Error for EncodeError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        EncodeError(msg.to_string())
    }
}

type R = Result<(), EncodeError>;

/// Enum variants with several fields: none of the core's results has one, and the shared
/// fixtures would show the error should one appear (rather than a shape of our own).
fn unsupported(name: &str, variant: &str) -> EncodeError {
    EncodeError(format!("{name}::{variant}: variants with several fields are not written"))
}

impl<'a> Serializer for &'a mut Part {
    type Ok = ();
    type Error = EncodeError;
    type SerializeSeq = List<'a>;
    type SerializeTuple = List<'a>;
    type SerializeTupleStruct = List<'a>;
    type SerializeTupleVariant = ser::Impossible<(), EncodeError>;
    type SerializeMap = Dict<'a>;
    type SerializeStruct = Dict<'a>;
    type SerializeStructVariant = ser::Impossible<(), EncodeError>;

    fn serialize_bool(self, v: bool) -> R {
        self.ops.push(Op::Bool(v));
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> R {
        self.serialize_i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> R {
        self.serialize_i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> R {
        self.serialize_i64(v.into())
    }
    fn serialize_i64(self, v: i64) -> R {
        self.ops.push(Op::Int(v));
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> R {
        self.serialize_i64(v.into())
    }
    fn serialize_u16(self, v: u16) -> R {
        self.serialize_i64(v.into())
    }
    fn serialize_u32(self, v: u32) -> R {
        self.serialize_i64(v.into())
    }
    fn serialize_u64(self, v: u64) -> R {
        self.ops.push(i64::try_from(v).map_or(Op::UInt(v), Op::Int));
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> R {
        // As serde_json prints it: the shortest text of the f32, read back as a float.
        self.serialize_f64(v.to_string().parse().unwrap_or(f64::NAN))
    }
    fn serialize_f64(self, v: f64) -> R {
        self.ops.push(if v.is_finite() { Op::Float(v) } else { Op::None });
        Ok(())
    }
    fn serialize_char(self, v: char) -> R {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> R {
        self.str_op(v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> R {
        self.ops.push(Op::List(len32(v.len())));
        self.ops.extend(v.iter().map(|b| Op::Int((*b).into())));
        Ok(())
    }
    fn serialize_none(self) -> R {
        self.ops.push(Op::None);
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
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, name: &'static str, value: &T) -> R {
        // The core's instants are a newtype around their RFC 3339 text.
        self.instant_next = name == "Timestamp";
        let out = value.serialize(&mut *self);
        self.instant_next = false;
        out
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> R {
        let d = self.open();
        d.part.keys.push(Key::Field(variant));
        value.serialize(&mut *d.part)?;
        d.close();
        Ok(())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<List<'a>, EncodeError> {
        Ok(self.list())
    }
    fn serialize_tuple(self, _len: usize) -> Result<List<'a>, EncodeError> {
        Ok(self.list())
    }
    fn serialize_tuple_struct(self, _name: &'static str, _len: usize) -> Result<List<'a>, EncodeError> {
        Ok(self.list())
    }
    fn serialize_tuple_variant(
        self,
        name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, EncodeError> {
        Err(unsupported(name, variant))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Dict<'a>, EncodeError> {
        Ok(self.open())
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Dict<'a>, EncodeError> {
        Ok(self.open())
    }
    fn serialize_struct_variant(
        self,
        name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, EncodeError> {
        Err(unsupported(name, variant))
    }
}

/// A list being written: its length is patched in at the end.
pub struct List<'a> {
    part: &'a mut Part,
    at: usize,
    n: u32,
}

impl List<'_> {
    fn item<T: Serialize + ?Sized>(&mut self, value: &T) -> R {
        value.serialize(&mut *self.part)?;
        self.n += 1;
        Ok(())
    }

    fn close(self) -> R {
        self.part.ops[self.at] = Op::List(self.n);
        Ok(())
    }
}

/// The three ways serde writes a list's items, all [`List::item`].
macro_rules! list_items {
    ($($trait:ident :: $method:ident),*) => {$(
        impl ser::$trait for List<'_> {
            type Ok = ();
            type Error = EncodeError;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> R {
                self.item(value)
            }
            fn end(self) -> R {
                self.close()
            }
        }
    )*};
}

list_items!(SerializeSeq::serialize_element, SerializeTuple::serialize_element, SerializeTupleStruct::serialize_field);

/// A dict being written: its keys are collected on the part's key stack, and its shape is
/// patched in at the end.
pub struct Dict<'a> {
    part: &'a mut Part,
    at: usize,
    base: usize,
}

impl Dict<'_> {
    fn close(self) {
        let Dict { part, at, base } = self;
        let keys = &part.keys[base..];
        let id = match part.shapes.get(keys) {
            Some(&id) => id,
            None => {
                let id = len32(part.shape_ends.len());
                part.shape_keys.extend_from_slice(keys);
                part.shape_ends.push(len32(part.shape_keys.len()));
                if !part.single {
                    part.shapes.insert(keys.into(), id);
                }
                id
            }
        };
        part.ops[at] = Op::Dict(id);
        part.keys.truncate(base);
    }
}

impl ser::SerializeMap for Dict<'_> {
    type Ok = ();
    type Error = EncodeError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> R {
        // A map key is a string (serde_json's rule); numbers and the like are written as text.
        let mark = self.part.ops.len();
        key.serialize(&mut *self.part)?;
        let key = match self.part.ops.get(mark).copied() {
            Some(Op::Str(i)) if self.part.ops.len() == mark + 1 => i,
            Some(Op::Int(i)) if self.part.ops.len() == mark + 1 => self.part.string(&i.to_string()),
            Some(Op::UInt(u)) if self.part.ops.len() == mark + 1 => self.part.string(&u.to_string()),
            _ => return Err(EncodeError("a map key must be a string".to_string())),
        };
        self.part.ops.truncate(mark);
        self.part.keys.push(Key::Text(key));
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> R {
        value.serialize(&mut *self.part)
    }
    fn end(self) -> R {
        self.close();
        Ok(())
    }
}

impl ser::SerializeStruct for Dict<'_> {
    type Ok = ();
    type Error = EncodeError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> R {
        self.part.keys.push(Key::Field(key));
        value.serialize(&mut *self.part)
    }
    fn end(self) -> R {
        self.close();
        Ok(())
    }
}

/// One result as Python objects (a single call's): written into a part, then built.
pub fn to_py<'py, T: Serialize + ?Sized>(py: Python<'py>, value: &T) -> PyResult<Bound<'py, PyAny>> {
    let mut part = Part::single();
    part.push(value).map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
    Builder::default().read(py, &part).next_value()
}

/// The interned Python string of each struct field name, by the name's address and length: the names
/// are the core's `&'static str`s, a few hundred in all, so they are made once per process
/// (as pyo3's `intern!` does per call site) instead of once per call.
static FIELDS: std::sync::Mutex<Option<FieldNames>> = std::sync::Mutex::new(None);

/// Interned field names by the `&'static str`'s address and length.
type FieldNames = FxHashMap<(usize, usize), Py<PyString>>;

fn field_name<'py>(py: Python<'py>, name: &'static str) -> Bound<'py, PyString> {
    // Taken with the GIL held and released before any Python code runs: no thread waits on
    // it while holding what another needs.
    let mut fields = FIELDS.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let s = fields
        .get_or_insert_with(FxHashMap::default)
        .entry((name.as_ptr() as usize, name.len()))
        .or_insert_with(|| PyString::intern(py, name).unbind());
    s.bind(py).clone()
}

/// Builds Python objects from parts, keeping what recurs across a batch: dict templates by
/// key list, datetimes by instant.
#[derive(Default)]
pub struct Builder<'py> {
    /// `None` for a key list met once: a template pays off from the second dict on.
    templates: FxHashMap<Box<[TemplateKey]>, Option<Bound<'py, PyDict>>>,
    datetimes: FxHashMap<i64, Bound<'py, PyAny>>,
}

/// A key of a template, by the field name's address or the key's text.
#[derive(PartialEq, Eq, Hash)]
enum TemplateKey {
    Field(usize, usize),
    Text(Box<str>),
}

/// At most this many datetimes and templates are kept per batch, so memory stays bounded.
const KEPT: usize = 4096;

impl<'py> Builder<'py> {
    /// A reader of `part`'s results, in the order they were pushed.
    pub fn read<'b>(&'b mut self, py: Python<'py>, part: &'b Part) -> Reader<'b, 'py> {
        Reader {
            py,
            builder: self,
            part,
            at: 0,
            strings: vec![None; part.strings.len()],
            shapes: vec![None; part.shape_ends.len()],
        }
    }
}

/// A shape's template (a dict with its keys, values `None`; none yet for a shape met once)
/// and its keys.
type Shape<'py> = (Option<Bound<'py, PyDict>>, Vec<Bound<'py, PyString>>);

/// Builds the results of one part, one after another.
pub struct Reader<'b, 'py> {
    py: Python<'py>,
    builder: &'b mut Builder<'py>,
    part: &'b Part,
    at: usize,
    strings: Vec<Option<Bound<'py, PyString>>>,
    /// Each shape's template and its keys, once met in this part.
    shapes: Vec<Option<Shape<'py>>>,
}

impl<'py> Reader<'_, 'py> {
    /// The next result.
    pub fn next_value(&mut self) -> PyResult<Bound<'py, PyAny>> {
        let py = self.py;
        let Some(&op) = self.part.ops.get(self.at) else {
            return Err(pyo3::exceptions::PyRuntimeError::new_err("aftersales: a batch result is missing"));
        };
        self.at += 1;
        Ok(match op {
            Op::None => py.None().into_bound(py),
            Op::Bool(b) => pyo3::types::PyBool::new(py, b).to_owned().into_any(),
            Op::Int(i) => i.into_pyobject(py)?.into_any(),
            Op::UInt(u) => u.into_pyobject(py)?.into_any(),
            Op::Float(f) => pyo3::types::PyFloat::new(py, f).into_any(),
            Op::Str(i) => self.string(i).into_any(),
            Op::Instant(ms) => self.instant(ms)?,
            Op::List(n) => {
                let mut items = Vec::with_capacity(n as usize);
                for _ in 0..n {
                    items.push(self.next_value()?);
                }
                PyList::new(py, items)?.into_any()
            }
            Op::Dict(shape) => {
                let i = self.shape(shape)?;
                let Some((template, keys)) = self.shapes[i].take() else {
                    return Err(pyo3::exceptions::PyRuntimeError::new_err("aftersales: a batch result has no shape"));
                };
                let dict = match &template {
                    Some(t) => t.copy()?,
                    None => PyDict::new(py),
                };
                for key in &keys {
                    let value = self.next_value()?;
                    dict.set_item(key, value)?;
                }
                // A shape met once is looked up again next time, and gets its template then.
                if template.is_some() {
                    self.shapes[i] = Some((template, keys));
                }
                dict.into_any()
            }
        })
    }

    fn string(&mut self, i: u32) -> Bound<'py, PyString> {
        if let Some(Some(s)) = self.strings.get(i as usize) {
            return s.clone();
        }
        let s = PyString::new(self.py, self.text(i));
        if let Some(slot) = self.strings.get_mut(i as usize) {
            *slot = Some(s.clone());
        }
        s
    }

    fn instant(&mut self, ms: i64) -> PyResult<Bound<'py, PyAny>> {
        if let Some(d) = self.builder.datetimes.get(&ms) {
            return Ok(d.clone());
        }
        let Some(t) = Timestamp::from_unix_millis(ms) else { return Ok(self.py.None().into_bound(self.py)) };
        let d = crate::time::timestamp_to_datetime(self.py, t)?.into_any();
        if self.builder.datetimes.len() < KEPT {
            self.builder.datetimes.insert(ms, d.clone());
        }
        Ok(d)
    }

    fn text(&self, i: u32) -> &str {
        let (start, end) = self.part.strings.get(i as usize).copied().unwrap_or_default();
        self.part.text.get(start as usize..end as usize).unwrap_or_default()
    }

    /// Makes sure `shape`'s template (a dict with its keys, values `None`) and keys are in
    /// `self.shapes`, and returns its index there.
    fn shape(&mut self, shape: u32) -> PyResult<usize> {
        let i = shape as usize;
        if i >= self.shapes.len() {
            return Err(pyo3::exceptions::PyRuntimeError::new_err("aftersales: a batch result has an unknown shape"));
        }
        if self.shapes[i].is_some() {
            return Ok(i);
        }
        let end = self.part.shape_ends.get(shape as usize).copied().unwrap_or_default() as usize;
        let start = match shape {
            0 => 0,
            s => self.part.shape_ends.get(s as usize - 1).copied().unwrap_or_default() as usize,
        };
        let shape_keys = self.part.shape_keys.get(start..end).unwrap_or_default();
        let mut keys = Vec::with_capacity(shape_keys.len());
        let single = self.part.single;
        let mut id = Vec::with_capacity(if single { 0 } else { shape_keys.len() });
        for &k in shape_keys {
            match k {
                Key::Field(name) => {
                    keys.push(field_name(self.py, name));
                    if !single {
                        id.push(TemplateKey::Field(name.as_ptr() as usize, name.len()));
                    }
                }
                Key::Text(i) => {
                    if !single {
                        id.push(TemplateKey::Text(self.text(i).into()));
                    }
                    keys.push(self.string(i));
                }
            }
        }
        if single {
            self.shapes[i] = Some((None, keys));
            return Ok(i);
        }
        let id: Box<[TemplateKey]> = id.into();
        let template = match self.builder.templates.get(&id) {
            Some(Some(t)) => Some(t.clone()),
            Some(None) => {
                let t = PyDict::new(self.py);
                for k in &keys {
                    t.set_item(k, self.py.None())?;
                }
                self.builder.templates.insert(id, Some(t.clone()));
                Some(t)
            }
            None => {
                if self.builder.templates.len() < KEPT {
                    self.builder.templates.insert(id, None);
                }
                None
            }
        };
        self.shapes[i] = Some((template, keys));
        Ok(i)
    }
}
