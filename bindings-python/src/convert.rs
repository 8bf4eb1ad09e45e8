//! Python request values into the core, with no JSON text in between: plain data (dicts,
//! lists, strings, numbers, aware datetimes, `Decimal`s) is walked once into the core's
//! `Documents` (refund cases are read from there) or, through it, into a `serde_json::Value`;
//! anything that does not fit is reported with its path. Results go the other way in
//! `encode.rs`.

use aftersales::Documents;
use pyo3::Borrowed;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde_json::Value;

/// A Python value that has no JSON form, with the path where it was found.
pub struct Unconvertible {
    pub path: String,
    pub message: String,
    /// `path` starts with a list index (`[2].amount`), which joins its parent without a dot.
    index_first: bool,
}

/// Converts plain Python data (dict, list, tuple, str, int, float, bool, None; aware `datetime` as
/// its RFC 3339 UTC text; `Decimal` as its plain decimal text) into JSON.
/// Depth is bounded, so a self-referencing structure is an error, not a stack overflow.
pub fn to_json(obj: &Bound<'_, PyAny>) -> Result<Value, Unconvertible> {
    let mut docs = Documents::new();
    let n = write_document(&mut docs, obj)?;
    Ok(docs.get(n).map_or(Value::Null, |d| d.to_value()))
}

/// Writes plain Python data (as [`to_json`] reads it) into `docs` as one document and returns
/// its number; on error nothing of it stays in `docs`.
pub fn write_document(docs: &mut Documents, obj: &Bound<'_, PyAny>) -> Result<usize, Unconvertible> {
    match write(docs, obj, 0) {
        Ok(()) => docs.finish().map_err(|e| Unconvertible {
            path: String::new(),
            message: e.message().to_string(),
            index_first: false,
        }),
        Err(e) => {
            docs.abandon();
            Err(e)
        }
    }
}

const MAX_DEPTH: usize = 64;

/// Writes one value. The path of a failure is put together on the way back up, so a value
/// that converts formats no paths.
fn write(docs: &mut Documents, obj: &Bound<'_, PyAny>, depth: usize) -> Result<(), Unconvertible> {
    let fail = |message: String| Unconvertible { path: String::new(), message, index_first: false };
    if depth > MAX_DEPTH {
        return Err(fail(format!("nested deeper than {MAX_DEPTH} levels")));
    }
    if write_plain(docs, obj)? {
        return Ok(());
    }
    if let Ok(d) = obj.cast_exact::<PyDict>() {
        return write_dict(docs, d, depth);
    }
    if let Ok(s) = obj.cast::<PyString>() {
        let text = utf8(s).ok_or_else(|| fail("string is not valid Unicode (lone surrogate)".to_string()))?;
        docs.string(text);
        return Ok(());
    }
    if obj.cast::<PyInt>().is_ok() {
        if let Ok(i) = obj.extract::<i64>() {
            docs.int(i);
            return Ok(());
        }
        if let Ok(u) = obj.extract::<u64>() {
            docs.uint(u);
            return Ok(());
        }
        return Err(fail("integer out of the 64-bit range".to_string()));
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        let f = f.value();
        if !f.is_finite() {
            return Err(fail("NaN and infinity are not numbers here".to_string()));
        }
        docs.float(f);
        return Ok(());
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        return write_dict(docs, d, depth);
    }
    if obj.cast::<PyList>().is_ok() || obj.cast::<PyTuple>().is_ok() {
        docs.begin_array();
        for (i, item) in obj.try_iter().map_err(|e| fail(e.to_string()))?.enumerate() {
            let item = item.map_err(|e| fail(e.to_string()))?;
            write(docs, &item, depth + 1).map_err(|e| e.under_index(i))?;
        }
        docs.end();
        return Ok(());
    }
    if crate::time::is_datetime(obj) {
        let t = crate::time::datetime_to_timestamp(obj).map_err(fail)?;
        docs.string(&t.to_string());
        return Ok(());
    }
    if is_decimal(obj) {
        docs.string(&decimal_text(obj).map_err(fail)?);
        return Ok(());
    }
    Err(fail(format!("unsupported type {}", type_name(obj))))
}

/// Writes `obj` if it is a value of an exact built-in scalar type (`str`, `None`, `bool`,
/// `int` within 64 bits, `float`): one pointer comparison each, where the subclass checks call
/// into the interpreter, and no Python code runs. `false` for anything else.
fn write_plain(docs: &mut Documents, obj: &Bound<'_, PyAny>) -> Result<bool, Unconvertible> {
    if let Ok(s) = obj.cast_exact::<PyString>() {
        let Some(text) = utf8(s) else {
            return Err(Unconvertible {
                path: String::new(),
                message: "string is not valid Unicode (lone surrogate)".to_string(),
                index_first: false,
            });
        };
        docs.string(text);
    } else if obj.is_none() {
        docs.null();
    } else if let Ok(b) = obj.cast_exact::<PyBool>() {
        docs.bool(b.is_true());
    } else if obj.is_exact_instance_of::<PyInt>()
        && let Some(i) = exact_i64(obj)
    {
        docs.int(i);
    } else if let Ok(f) = obj.cast_exact::<PyFloat>()
        && f.value().is_finite()
    {
        docs.float(f.value());
    } else {
        return Ok(false);
    }
    Ok(true)
}

/// An exact `int` that fits in 64 bits, read without raising (an `OverflowError` would be
/// created, and creating an object can run Python code through the garbage collector).
fn exact_i64(obj: &Bound<'_, PyAny>) -> Option<i64> {
    let mut overflow: std::os::raw::c_int = 0;
    // SAFETY: `obj` is an exact `int`, for which this sets `overflow` rather than raising.
    let i = unsafe { pyo3::ffi::PyLong_AsLongLongAndOverflow(obj.as_ptr(), &mut overflow) };
    (overflow == 0).then_some(i)
}

fn write_dict(docs: &mut Documents, d: &Bound<'_, PyDict>, depth: usize) -> Result<(), Unconvertible> {
    let py = d.py();
    let fail = |message: String| Unconvertible { path: String::new(), message, index_first: false };
    docs.begin_object();
    let size = d.len();
    let mut pos: pyo3::ffi::Py_ssize_t = 0;
    let (mut k, mut v) = (std::ptr::null_mut(), std::ptr::null_mut());
    // Entries come borrowed, without pyo3's iterator's size checks; the key is held from the
    // start (raising an error can run Python code, through the garbage collector, that changes
    // the dict), the value once it is more than a plain scalar.
    // SAFETY: `d` is a dict held by the caller; `PyDict_Next` is safe on any dict.
    while unsafe { pyo3::ffi::PyDict_Next(d.as_ptr(), &mut pos, &mut k, &mut v) } != 0 {
        // SAFETY: `PyDict_Next` returned a key and a value, both non-null and borrowed from `d`.
        let (key, value) = unsafe { (Borrowed::from_ptr(py, k).to_owned(), Borrowed::from_ptr(py, v)) };
        let Ok(key) = key.cast::<PyString>() else {
            return Err(fail(format!("dictionary keys must be strings, found {}", type_name(&key))));
        };
        docs.key(utf8(key).ok_or_else(|| fail("key is not valid Unicode".to_string()))?);
        // No Python code runs while a plain scalar is written (a string with a lone surrogate
        // raises, but the borrowed value is not touched after that).
        if write_plain(docs, &value).map_err(|e| e.under_key(&key.to_string_lossy()))? {
            continue;
        }
        let value = value.to_owned();
        write(docs, &value, depth + 1).map_err(|e| e.under_key(&key.to_string_lossy()))?;
        // Python code (a `Decimal`'s methods) may have run and changed the dict.
        if d.len() != size {
            return Err(fail("the dict changed size while it was read".to_string()).under_key(&key.to_string_lossy()));
        }
    }
    docs.end();
    Ok(())
}

impl Unconvertible {
    /// The same failure seen from the dict holding it under `key`.
    fn under_key(mut self, key: &str) -> Unconvertible {
        self.path = match (self.path.is_empty(), self.index_first) {
            (true, _) => key.to_string(),
            (false, true) => format!("{key}{}", self.path),
            (false, false) => format!("{key}.{}", self.path),
        };
        self.index_first = false;
        self
    }

    /// The same failure seen from the list holding it at `i`.
    fn under_index(mut self, i: usize) -> Unconvertible {
        self.path = match (self.path.is_empty(), self.index_first) {
            (true, _) => format!("[{i}]"),
            (false, true) => format!("[{i}]{}", self.path),
            (false, false) => format!("[{i}].{}", self.path),
        };
        self.index_first = true;
        self
    }
}

/// A `Decimal`'s plain decimal text ("1000", not "1E+3"); NaN, infinities and absurd
/// exponents are refused.
fn decimal_text(obj: &Bound<'_, PyAny>) -> Result<String, String> {
    let finite = obj.call_method0("is_finite").and_then(|b| b.is_truthy()).unwrap_or(false);
    if !finite {
        return Err("a Decimal amount must be finite".to_string());
    }
    // Checked before formatting: Decimal("1E+3000000000") would print three billion digits.
    let adjusted: i64 = obj.call_method0("adjusted").and_then(|a| a.extract()).unwrap_or(i64::MAX);
    let exponent: i64 =
        obj.call_method0("as_tuple").and_then(|t| t.getattr("exponent")).and_then(|e| e.extract()).unwrap_or(i64::MAX);
    if !(-40..=40).contains(&adjusted) || !(-40..=40).contains(&exponent) {
        return Err("a Decimal amount out of range (at most 40 digits either side of the point)".to_string());
    }
    obj.call_method1("__format__", ("f",)).and_then(|s| s.extract::<String>()).map_err(|e| e.to_string())
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
