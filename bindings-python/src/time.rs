//! Instants between Python and the core: aware `datetime` (or an RFC 3339 string) in, aware UTC
//! `datetime` out. Naive datetimes are refused: guessing their zone is how deadlines go wrong.
//!
//! Speed: the business-time calls of a calendar handle take a few hundred nanoseconds in the
//! core, so conversions must not dominate. A datetime is read with three attribute reads
//! (`utcoffset()`, `timestamp()`, `microsecond`) and exact integer arithmetic; one is built with
//! one constructor call from fields computed in Rust.

use aftersales::{Error, ErrorKind, Timestamp};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDateTime, PyString, PyType, PyTzInfo};

use crate::convert::type_name;

static DATETIME: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// Whether `obj` is a `datetime.datetime`.
pub fn is_datetime(obj: &Bound<'_, PyAny>) -> bool {
    let py = obj.py();
    DATETIME.import(py, "datetime", "datetime").is_ok_and(|t| obj.is_instance(t).unwrap_or(false))
}

/// The instant of an aware datetime, or why it cannot be one.
pub fn datetime_to_timestamp(obj: &Bound<'_, PyAny>) -> Result<Timestamp, String> {
    let offset = obj.call_method0("utcoffset").map_err(|e| e.to_string())?;
    if offset.is_none() {
        return Err("a naive datetime has no time zone: pass an aware datetime (tzinfo set)".into());
    }
    let seconds: f64 = obj.call_method0("timestamp").and_then(|t| t.extract()).map_err(|e| e.to_string())?;
    let micros: i64 = obj.getattr("microsecond").and_then(|m| m.extract()).map_err(|e| e.to_string())?;
    // The float carries the whole seconds well within ±0.5 s; the microseconds come exactly from
    // the field, so the instant is exact to the millisecond (truncated, as the core counts).
    let whole = (seconds - micros as f64 / 1e6).round() as i64;
    whole
        .checked_mul(1000)
        .and_then(|ms| ms.checked_add(micros / 1000))
        .and_then(Timestamp::from_unix_millis)
        .ok_or_else(|| "outside the years 1 to 9999".to_string())
}

/// An instant argument: an aware `datetime` or an RFC 3339 string; errors name `field`.
pub fn timestamp_arg(obj: &Bound<'_, PyAny>, field: &str) -> Result<Timestamp, Error> {
    if let Ok(s) = obj.cast::<PyString>() {
        let text = crate::convert::utf8(s).ok_or_else(|| invalid(field, "string is not valid Unicode"))?;
        return text.parse::<Timestamp>().map_err(|e| invalid(field, e.message()));
    }
    if is_datetime(obj) {
        return datetime_to_timestamp(obj).map_err(|m| invalid(field, m));
    }
    Err(invalid(field, format!("expected an aware datetime or an RFC 3339 string, got {}", type_name(obj))))
}

fn invalid(field: &str, message: impl Into<String>) -> Error {
    Error::new(ErrorKind::InvalidInput, Some(field), message)
}

/// An aware UTC datetime.
pub fn timestamp_to_datetime<'py>(py: Python<'py>, t: Timestamp) -> PyResult<Bound<'py, PyDateTime>> {
    use chrono::{Datelike, Timelike};
    let utc = PyTzInfo::utc(py)?;
    let c = t.to_chrono();
    PyDateTime::new(
        py,
        c.year(),
        c.month() as u8,
        c.day() as u8,
        c.hour() as u8,
        c.minute() as u8,
        c.second() as u8,
        (t.unix_millis().rem_euclid(1000) * 1000) as u32,
        Some(&utc),
    )
}
