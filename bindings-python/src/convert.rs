//! Conversions between Python objects and the core's serde types, with no JSON text in between.
//!
//! Output: a serde `Serializer` that builds dicts, lists and scalars directly, reusing one
//! interned Python string per field name for a whole call (batches pay for each name once).
//! Input: Python values to `serde_json::Value`, naming the path of anything that does not fit.

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use rustc_hash::FxHashMap;
use serde::ser::{self, Serialize};
use serde_json::{Map, Number, Value};

/// Field-name strings created once per call, keyed by the address of the `&'static str`, and a
/// template dict per struct type: copying it gives a dict already sized for all its fields, with
/// their hashes computed, so filling it never resizes.
#[derive(Default)]
pub struct Keys<'py> {
    cache: FxHashMap<usize, Bound<'py, PyString>>,
    templates: FxHashMap<usize, Bound<'py, PyDict>>,
    /// Floats are immutable, and the same weights and rounded confidences recur in every result.
    floats: FxHashMap<u64, Bound<'py, PyFloat>>,
    /// Short string values by content, in batches: rule ids, condition paths, codes, currency
    /// codes recur in every decision, and Python strings are immutable, so one object serves all.
    strings: Option<FxHashMap<Box<str>, Bound<'py, PyString>>>,
    /// Datetimes by their RFC 3339 text, in batches: deadlines recur across decisions, and
    /// datetimes are immutable too (built through the constructor under abi3, so not cheap).
    datetimes: FxHashMap<Box<str>, Bound<'py, PyAny>>,
    /// Set while a `Timestamp` newtype is serialised: its string is an instant.
    instant_next: bool,
}

/// Strings up to this length are shared within one call; longer ones (messages, texts) rarely
/// repeat.
const SHARED_STRING_MAX: usize = 48;
/// At most this many distinct shared strings per call, so memory stays bounded.
const SHARED_STRINGS: usize = 4096;

impl<'py> Keys<'py> {
    /// Keys for a batch: short string values are shared between its results too.
    pub fn for_batch() -> Keys<'py> {
        Keys { strings: Some(FxHashMap::default()), ..Keys::default() }
    }

    /// The datetime of an instant's RFC 3339 text (the text itself should it not parse).
    fn datetime(&mut self, py: Python<'py>, text: &str) -> R<'py> {
        if let Some(d) = self.datetimes.get(text) {
            return Ok(d.clone());
        }
        let Ok(t) = text.parse::<aftersales::Timestamp>() else {
            return Ok(PyString::new(py, text).into_any());
        };
        let d = crate::time::timestamp_to_datetime(py, t)?.into_any();
        if self.strings.is_some() && self.datetimes.len() < SHARED_STRINGS {
            self.datetimes.insert(text.into(), d.clone());
        }
        Ok(d)
    }

    fn get(&mut self, py: Python<'py>, key: &'static str) -> Bound<'py, PyString> {
        self.cache.entry(key.as_ptr() as usize).or_insert_with(|| PyString::intern(py, key)).clone()
    }
}

/// Converts any serialisable core value into Python objects.
pub fn to_py<'py, T: Serialize + ?Sized>(
    py: Python<'py>,
    keys: &mut Keys<'py>,
    value: &T,
) -> PyResult<Bound<'py, PyAny>> {
    value.serialize(PySerializer { py, keys }).map_err(|e| e.0)
}

pub struct PyErrWrap(PyErr);

impl std::fmt::Debug for PyErrWrap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::fmt::Display for PyErrWrap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for PyErrWrap {}

impl ser::Error for PyErrWrap {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        PyErrWrap(pyo3::exceptions::PyValueError::new_err(msg.to_string()))
    }
}

impl From<std::convert::Infallible> for PyErrWrap {
    fn from(e: std::convert::Infallible) -> Self {
        match e {}
    }
}

impl From<PyErr> for PyErrWrap {
    fn from(e: PyErr) -> Self {
        PyErrWrap(e)
    }
}

struct PySerializer<'a, 'py> {
    py: Python<'py>,
    keys: &'a mut Keys<'py>,
}

type R<'py> = Result<Bound<'py, PyAny>, PyErrWrap>;

impl<'a, 'py> ser::Serializer for PySerializer<'a, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = PyErrWrap;
    type SerializeSeq = SeqBuilder<'a, 'py>;
    type SerializeTuple = SeqBuilder<'a, 'py>;
    type SerializeTupleStruct = SeqBuilder<'a, 'py>;
    type SerializeTupleVariant = SeqBuilder<'a, 'py>;
    type SerializeMap = MapBuilder<'a, 'py>;
    type SerializeStruct = MapBuilder<'a, 'py>;
    type SerializeStructVariant = MapBuilder<'a, 'py>;

    fn serialize_bool(self, v: bool) -> R<'py> {
        Ok(PyBool::new(self.py, v).to_owned().into_any())
    }
    fn serialize_i8(self, v: i8) -> R<'py> {
        self.serialize_i64(v as i64)
    }
    fn serialize_i16(self, v: i16) -> R<'py> {
        self.serialize_i64(v as i64)
    }
    fn serialize_i32(self, v: i32) -> R<'py> {
        self.serialize_i64(v as i64)
    }
    fn serialize_i64(self, v: i64) -> R<'py> {
        Ok(v.into_pyobject(self.py)?.into_any())
    }
    fn serialize_u8(self, v: u8) -> R<'py> {
        self.serialize_u64(v as u64)
    }
    fn serialize_u16(self, v: u16) -> R<'py> {
        self.serialize_u64(v as u64)
    }
    fn serialize_u32(self, v: u32) -> R<'py> {
        self.serialize_u64(v as u64)
    }
    fn serialize_u64(self, v: u64) -> R<'py> {
        Ok(v.into_pyobject(self.py)?.into_any())
    }
    fn serialize_f32(self, v: f32) -> R<'py> {
        self.serialize_f64(v as f64)
    }
    fn serialize_f64(self, v: f64) -> R<'py> {
        let py = self.py;
        Ok(self.keys.floats.entry(v.to_bits()).or_insert_with(|| PyFloat::new(py, v)).clone().into_any())
    }
    fn serialize_char(self, v: char) -> R<'py> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> R<'py> {
        if std::mem::take(&mut self.keys.instant_next) {
            return self.keys.datetime(self.py, v);
        }
        let Some(shared) = self.keys.strings.as_mut().filter(|_| v.len() <= SHARED_STRING_MAX) else {
            return Ok(PyString::new(self.py, v).into_any());
        };
        if let Some(s) = shared.get(v) {
            return Ok(s.clone().into_any());
        }
        let s = PyString::new(self.py, v);
        if shared.len() < SHARED_STRINGS {
            shared.insert(v.into(), s.clone());
        }
        Ok(s.into_any())
    }
    fn serialize_bytes(self, v: &[u8]) -> R<'py> {
        Ok(pyo3::types::PyBytes::new(self.py, v).into_any())
    }
    fn serialize_none(self) -> R<'py> {
        Ok(self.py.None().into_bound(self.py))
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> R<'py> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> R<'py> {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _name: &'static str) -> R<'py> {
        self.serialize_none()
    }
    fn serialize_unit_variant(self, _name: &'static str, _index: u32, variant: &'static str) -> R<'py> {
        Ok(self.keys.get(self.py, variant).into_any())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, name: &'static str, value: &T) -> R<'py> {
        // The core's instants serialise as a newtype around their RFC 3339 text: the string
        // inside becomes an aware UTC datetime, as SPEC §2 promises Python callers.
        self.keys.instant_next = name == "Timestamp";
        let PySerializer { py, keys } = self;
        let out = value.serialize(PySerializer { py, keys: &mut *keys });
        keys.instant_next = false;
        out
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> R<'py> {
        let dict = PyDict::new(self.py);
        let key = self.keys.get(self.py, variant);
        let v = value.serialize(PySerializer { py: self.py, keys: self.keys })?;
        dict.set_item(key, v)?;
        Ok(dict.into_any())
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<SeqBuilder<'a, 'py>, PyErrWrap> {
        Ok(SeqBuilder { py: self.py, keys: self.keys, items: Vec::with_capacity(len.unwrap_or(0)) })
    }
    fn serialize_tuple(self, len: usize) -> Result<SeqBuilder<'a, 'py>, PyErrWrap> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<SeqBuilder<'a, 'py>, PyErrWrap> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        len: usize,
    ) -> Result<SeqBuilder<'a, 'py>, PyErrWrap> {
        self.serialize_seq(Some(len))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<MapBuilder<'a, 'py>, PyErrWrap> {
        Ok(MapBuilder { py: self.py, dict: PyDict::new(self.py), keys: self.keys, pending_key: None, template: None })
    }
    fn serialize_struct(self, name: &'static str, _len: usize) -> Result<MapBuilder<'a, 'py>, PyErrWrap> {
        let (dict, template) = match self.keys.templates.get(&(name.as_ptr() as usize)) {
            Some(t) => (t.copy()?, None),
            None => (PyDict::new(self.py), Some(name)),
        };
        Ok(MapBuilder { py: self.py, dict, keys: self.keys, pending_key: None, template })
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<MapBuilder<'a, 'py>, PyErrWrap> {
        self.serialize_map(None)
    }
}

pub struct SeqBuilder<'a, 'py> {
    py: Python<'py>,
    keys: &'a mut Keys<'py>,
    items: Vec<Bound<'py, PyAny>>,
}

impl<'a, 'py> SeqBuilder<'a, 'py> {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), PyErrWrap> {
        let v = value.serialize(PySerializer { py: self.py, keys: self.keys })?;
        self.items.push(v);
        Ok(())
    }
    fn finish(self) -> R<'py> {
        Ok(PyList::new(self.py, self.items)?.into_any())
    }
}

impl<'a, 'py> ser::SerializeSeq for SeqBuilder<'a, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = PyErrWrap;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), PyErrWrap> {
        self.push(value)
    }
    fn end(self) -> R<'py> {
        self.finish()
    }
}

impl<'a, 'py> ser::SerializeTuple for SeqBuilder<'a, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = PyErrWrap;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), PyErrWrap> {
        self.push(value)
    }
    fn end(self) -> R<'py> {
        self.finish()
    }
}

impl<'a, 'py> ser::SerializeTupleStruct for SeqBuilder<'a, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = PyErrWrap;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), PyErrWrap> {
        self.push(value)
    }
    fn end(self) -> R<'py> {
        self.finish()
    }
}

impl<'a, 'py> ser::SerializeTupleVariant for SeqBuilder<'a, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = PyErrWrap;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), PyErrWrap> {
        self.push(value)
    }
    fn end(self) -> R<'py> {
        self.finish()
    }
}

pub struct MapBuilder<'a, 'py> {
    py: Python<'py>,
    dict: Bound<'py, PyDict>,
    keys: &'a mut Keys<'py>,
    pending_key: Option<Bound<'py, PyAny>>,
    /// The struct name, when this dict is the first of its type and becomes the template.
    template: Option<&'static str>,
}

impl<'a, 'py> ser::SerializeMap for MapBuilder<'a, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = PyErrWrap;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), PyErrWrap> {
        self.pending_key = Some(key.serialize(PySerializer { py: self.py, keys: self.keys })?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), PyErrWrap> {
        let key = self.pending_key.take().ok_or_else(|| <PyErrWrap as ser::Error>::custom("value before key"))?;
        let v = value.serialize(PySerializer { py: self.py, keys: self.keys })?;
        self.dict.set_item(key, v)?;
        Ok(())
    }
    fn end(self) -> R<'py> {
        Ok(self.dict.into_any())
    }
}

impl<'a, 'py> ser::SerializeStruct for MapBuilder<'a, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = PyErrWrap;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), PyErrWrap> {
        let k = self.keys.get(self.py, key);
        let v = value.serialize(PySerializer { py: self.py, keys: self.keys })?;
        self.dict.set_item(k, v)?;
        Ok(())
    }
    fn end(self) -> R<'py> {
        if let Some(name) = self.template {
            // The same keys in the same order, with no values held.
            let template = self.dict.copy()?;
            for key in template.keys() {
                template.set_item(key, self.py.None())?;
            }
            self.keys.templates.insert(name.as_ptr() as usize, template);
        }
        Ok(self.dict.into_any())
    }
}

impl<'a, 'py> ser::SerializeStructVariant for MapBuilder<'a, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = PyErrWrap;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), PyErrWrap> {
        ser::SerializeStruct::serialize_field(self, key, value)
    }
    fn end(self) -> R<'py> {
        Ok(self.dict.into_any())
    }
}

/// A Python value that has no JSON form, with the path where it was found.
pub struct Unconvertible {
    pub path: String,
    pub message: String,
}

/// Converts plain Python data (dict, list, tuple, str, int, float, bool, None; aware `datetime` as
/// its RFC 3339 UTC text; `Decimal` as its plain decimal text) into JSON.
/// Depth is bounded, so a self-referencing structure is an error, not a stack overflow.
pub fn to_json(obj: &Bound<'_, PyAny>) -> Result<Value, Unconvertible> {
    convert(obj, &mut String::new(), 0)
}

const MAX_DEPTH: usize = 64;

fn convert(obj: &Bound<'_, PyAny>, path: &mut String, depth: usize) -> Result<Value, Unconvertible> {
    let fail = |path: &str, message: String| Unconvertible { path: path.to_string(), message };
    if depth > MAX_DEPTH {
        return Err(fail(path, format!("nested deeper than {MAX_DEPTH} levels")));
    }
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return utf8(s)
            .map(|c| Value::String(c.to_owned()))
            .ok_or_else(|| fail(path, "string is not valid Unicode (lone surrogate)".to_string()));
    }
    if obj.cast::<PyInt>().is_ok() {
        if let Ok(i) = obj.extract::<i64>() {
            return Ok(Value::Number(i.into()));
        }
        if let Ok(u) = obj.extract::<u64>() {
            return Ok(Value::Number(u.into()));
        }
        return Err(fail(path, "integer out of the 64-bit range".to_string()));
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return Number::from_f64(f.value())
            .map(Value::Number)
            .ok_or_else(|| fail(path, "NaN and infinity are not numbers here".to_string()));
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        let mut map = Map::new();
        for (k, v) in d.iter() {
            let Ok(key) = k.cast::<PyString>() else {
                return Err(fail(path, format!("dictionary keys must be strings, found {}", type_name(&k))));
            };
            let key = utf8(key).ok_or_else(|| fail(path, "key is not valid Unicode".to_string()))?.to_owned();
            let len = path.len();
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(&key);
            let value = convert(&v, path, depth + 1)?;
            path.truncate(len);
            map.insert(key, value);
        }
        return Ok(Value::Object(map));
    }
    if obj.cast::<PyList>().is_ok() || obj.cast::<PyTuple>().is_ok() {
        let mut out = Vec::new();
        for (i, item) in obj.try_iter().map_err(|e| fail(path, e.to_string()))?.enumerate() {
            let item = item.map_err(|e| fail(path, e.to_string()))?;
            let len = path.len();
            path.push_str(&format!("[{i}]"));
            out.push(convert(&item, path, depth + 1)?);
            path.truncate(len);
        }
        return Ok(Value::Array(out));
    }
    if crate::time::is_datetime(obj) {
        return crate::time::datetime_to_timestamp(obj)
            .map(|t| Value::String(t.to_string()))
            .map_err(|m| fail(path, m));
    }
    if is_decimal(obj) {
        // Plain notation ("1000", not "1E+3"); NaN and infinities are not amounts.
        let finite = obj.call_method0("is_finite").and_then(|b| b.is_truthy()).unwrap_or(false);
        if !finite {
            return Err(fail(path, "a Decimal amount must be finite".to_string()));
        }
        // Checked before formatting: Decimal("1E+3000000000") would print three billion digits.
        let adjusted: i64 = obj.call_method0("adjusted").and_then(|a| a.extract()).unwrap_or(i64::MAX);
        let exponent: i64 = obj
            .call_method0("as_tuple")
            .and_then(|t| t.getattr("exponent"))
            .and_then(|e| e.extract())
            .unwrap_or(i64::MAX);
        if !(-40..=40).contains(&adjusted) || !(-40..=40).contains(&exponent) {
            return Err(fail(
                path,
                "a Decimal amount out of range (at most 40 digits either side of the point)".to_string(),
            ));
        }
        let text = obj.call_method1("__format__", ("f",)).and_then(|s| s.extract::<String>());
        return text.map(Value::String).map_err(|e| fail(path, e.to_string()));
    }
    Err(fail(path, format!("unsupported type {}", type_name(obj))))
}

// `PyUnicode_AsUTF8AndSize` is in the stable ABI from CPython 3.10 only, so pyo3 does not offer
// it to an abi3-py39 build; but every CPython since 3.3 exports it with this signature.
unsafe extern "C" {
    fn PyUnicode_AsUTF8AndSize(unicode: *mut pyo3::ffi::PyObject, size: *mut pyo3::ffi::Py_ssize_t) -> *const u8;
}

/// The UTF-8 text of a Python string, borrowed from the string itself (CPython keeps its UTF-8
/// form, which for ASCII text is the text): reading a request copies each string once, into
/// its JSON value, instead of twice. `None` for a string holding a lone surrogate.
pub fn utf8<'a>(s: &'a Bound<'_, PyString>) -> Option<&'a str> {
    let mut size: pyo3::ffi::Py_ssize_t = 0;
    // SAFETY: `s` is a str held for `'a`, and the returned buffer lives as long as the str.
    let data = unsafe { PyUnicode_AsUTF8AndSize(s.as_ptr(), &mut size) };
    if data.is_null() {
        // The UnicodeEncodeError raised for a lone surrogate: the caller reports its own.
        drop(PyErr::take(s.py()));
        return None;
    }
    // SAFETY: CPython guarantees `size` valid UTF-8 bytes at `data`.
    Some(unsafe { std::str::from_utf8_unchecked(std::slice::from_raw_parts(data, size as usize)) })
}

static DECIMAL: pyo3::sync::PyOnceLock<Py<pyo3::types::PyType>> = pyo3::sync::PyOnceLock::new();

fn is_decimal(obj: &Bound<'_, PyAny>) -> bool {
    DECIMAL.import(obj.py(), "decimal", "Decimal").is_ok_and(|t| obj.is_instance(t).unwrap_or(false))
}

pub fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "object".to_string())
}
