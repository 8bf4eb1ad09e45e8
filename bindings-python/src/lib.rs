//! Python binding of the `aftersales` crate: a thin layer of conversions. Every decision is made
//! by the core; this crate turns Python values into requests, results into dicts and lists, and
//! the core's typed error into the matching exception class.

mod batch;
mod convert;
mod encode;
mod time;

/// The binding's own allocations (requests read, decisions made, results on their way to
/// Python objects) go through mimalloc: batches hand them between threads, and freeing on one
/// thread what another allocated is where the system allocator is slow.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::borrow::Cow;

use aftersales::{
    BusinessCalendar, CalendarChoice, ClassifyRequest, Documents, Engine, Error, ErrorKind, OffsetUnit,
    PriorityRequest, RefundCase, ReplyRequest, SlaRequest, Ticket,
};
use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDateTime, PyDict, PyInt, PyList, PyModule, PyString, PyTuple};

use convert::{to_json, type_name};
use encode::to_py;

create_exception!(
    aftersales,
    AftersalesError,
    PyValueError,
    "Base class of every error raised by aftersales; carries .kind, .code, .field."
);
create_exception!(
    aftersales,
    InvalidInputError,
    AftersalesError,
    "A request field is missing, of the wrong type or out of range."
);
create_exception!(
    aftersales,
    InvalidPolicyError,
    AftersalesError,
    "The policy document does not parse or does not validate."
);
create_exception!(
    aftersales,
    UnknownTimeZoneError,
    AftersalesError,
    "A time zone name is not in the compiled-in tz database."
);
create_exception!(aftersales, UnknownCurrencyError, AftersalesError, "A currency code is not a known ISO 4217 code.");
create_exception!(
    aftersales,
    CurrencyMismatchError,
    AftersalesError,
    "Amounts in different currencies were to be compared or combined."
);
create_exception!(aftersales, LimitExceededError, AftersalesError, "An input is larger than the policy allows.");

/// The exception for a core error, with `.kind`, `.code`, `.field` and `.message` set.
fn to_pyerr(py: Python<'_>, err: &Error) -> PyErr {
    let message = err.to_string();
    let e = match err.kind() {
        ErrorKind::InvalidInput => InvalidInputError::new_err(message),
        ErrorKind::InvalidPolicy => InvalidPolicyError::new_err(message),
        ErrorKind::UnknownTimeZone => UnknownTimeZoneError::new_err(message),
        ErrorKind::UnknownCurrency => UnknownCurrencyError::new_err(message),
        ErrorKind::CurrencyMismatch => CurrencyMismatchError::new_err(message),
        ErrorKind::LimitExceeded => LimitExceededError::new_err(message),
        _ => AftersalesError::new_err(message),
    };
    let value = e.value(py);
    let _ = value.setattr("kind", err.kind().as_str());
    let _ = value.setattr("code", err.code());
    let _ = value.setattr("field", err.field());
    let _ = value.setattr("message", err.message());
    e
}

fn invalid_input(py: Python<'_>, field: &str, message: impl Into<String>) -> PyErr {
    to_pyerr(py, &aftersales_error(ErrorKind::InvalidInput, field, message))
}

/// A core error for a value the core never sees (a Python object of the wrong type).
fn aftersales_error(kind: ErrorKind, field: &str, message: impl Into<String>) -> Error {
    Error::new(kind, Some(field), message)
}

/// A string argument, or the typed error naming the field.
fn text_arg<'a>(py: Python<'_>, obj: &'a Bound<'_, PyAny>, field: &str) -> PyResult<Cow<'a, str>> {
    let s = obj
        .cast::<PyString>()
        .map_err(|_| invalid_input(py, field, format!("expected a string, got {}", type_name(obj))))?;
    convert::utf8(s)
        .map(Cow::Borrowed)
        .ok_or_else(|| invalid_input(py, field, "string is not valid Unicode (it holds a lone surrogate)"))
}

fn optional_text<'a>(py: Python<'_>, obj: Option<&'a Bound<'_, PyAny>>, field: &str) -> PyResult<Option<Cow<'a, str>>> {
    match obj {
        None => Ok(None),
        Some(o) if o.is_none() => Ok(None),
        Some(o) => text_arg(py, o, field).map(Some),
    }
}

/// Batch entry for an input that failed: `{"error": {kind, code, field, message}, "index": i}`.
fn error_entry<'py>(py: Python<'py>, index: usize, err: &Error) -> PyResult<Bound<'py, PyAny>> {
    let inner = PyDict::new(py);
    inner.set_item("kind", err.kind().as_str())?;
    inner.set_item("code", err.code())?;
    inner.set_item("field", err.field())?;
    inner.set_item("message", err.message())?;
    let entry = PyDict::new(py);
    entry.set_item("error", inner)?;
    entry.set_item("index", index)?;
    Ok(entry.into_any())
}

/// The after-sales engine: built once from a policy, immutable, safe to share between threads.
#[pyclass(name = "Engine", module = "aftersales", frozen)]
struct PyEngine {
    engine: Engine,
    /// The policy the engine was built from, as JSON, for pickling.
    source: Option<String>,
}

#[pymethods]
impl PyEngine {
    #[new]
    #[pyo3(signature = (policy = None))]
    fn new(py: Python<'_>, policy: Option<&Bound<'_, PyAny>>) -> PyResult<PyEngine> {
        let source = match policy {
            None => None,
            Some(p) if p.is_none() => None,
            Some(p) => {
                if let Ok(s) = p.cast::<PyString>() {
                    Some(s.to_cow().map_err(|_| to_pyerr(py, &policy_error("", "not valid Unicode")))?.into_owned())
                } else if p.cast::<PyDict>().is_ok() {
                    let value = to_json(p).map_err(|u| to_pyerr(py, &policy_error(&u.path, &u.message)))?;
                    Some(value.to_string())
                } else {
                    return Err(to_pyerr(
                        py,
                        &policy_error("", &format!("a policy is a dict, a JSON string or None, not {}", type_name(p))),
                    ));
                }
            }
        };
        let engine = match &source {
            None => Engine::new(),
            Some(json) => py.detach(|| Engine::from_json(json)).map_err(|e| to_pyerr(py, &e))?,
        };
        Ok(PyEngine { engine, source })
    }

    /// Builds an engine from a policy file (`.toml` as TOML, anything else as JSON).
    #[staticmethod]
    fn from_file(py: Python<'_>, path: std::path::PathBuf) -> PyResult<PyEngine> {
        let text = std::fs::read_to_string(&path).map_err(|e| {
            to_pyerr(
                py,
                &aftersales_error(ErrorKind::InvalidPolicy, "", format!("cannot read {}: {e}", path.display())),
            )
        })?;
        let is_toml = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("toml"));
        let engine = py
            .detach(|| if is_toml { Engine::from_toml(&text) } else { Engine::from_json(&text) })
            .map_err(|e| to_pyerr(py, &e))?;
        let source = engine.policy().to_string();
        Ok(PyEngine { engine, source: Some(source) })
    }

    /// Classifies one message.
    #[pyo3(signature = (text, *, subject = None, language = None, country = None))]
    fn classify<'py>(
        &self,
        py: Python<'py>,
        text: &Bound<'py, PyAny>,
        subject: Option<&Bound<'py, PyAny>>,
        language: Option<&Bound<'py, PyAny>>,
        country: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let mut request = ClassifyRequest::new(text_arg(py, text, "text")?).offsets(OffsetUnit::CodePoints);
        request.subject = optional_text(py, subject, "subject")?;
        request.language = optional_text(py, language, "language")?;
        request.country = optional_text(py, country, "country")?;
        let result = if request.text.len() > 4096 {
            py.detach(|| self.engine.classify_request(&request))
        } else {
            self.engine.classify_request(&request)
        };
        let c = result.map_err(|e| to_pyerr(py, &e))?;
        to_py(py, &c)
    }

    /// Classifies a list of messages (strings or `{text, subject, language, country}` dicts),
    /// decided without the GIL (on worker threads while this one builds results, when there
    /// are several cores); returns one result or error entry per item, in order.
    fn classify_batch<'py>(&self, py: Python<'py>, items: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyList>> {
        let items = batch_items(py, items, "items", "expected a list of strings or dicts")?;
        batch::to_list(py, &items, batch::each(classify_item), |_, request| self.engine.classify_request(&request))
    }

    /// Scores a ticket's priority from a dict (`categories`, `escalation`, `sentiment` or a whole
    /// `classification`; optional `customer`, `order`, `contact_count`, `shipment_anomaly`,
    /// `sla_remaining_seconds`). Money amounts may be `Decimal`, `int` or decimal strings.
    fn score_priority<'py>(&self, py: Python<'py>, input: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let value = request_json(py, input)?;
        let result = PriorityRequest::from_value(&value).and_then(|r| self.engine.score_priority(&r));
        to_py(py, &result.map_err(|e| to_pyerr(py, &e))?)
    }

    /// Computes a ticket's SLA from a dict (`level`, `created_at`, `now`, `events`, optional
    /// `calendar`: a name, an inline calendar dict or a `Calendar`). Instants are aware
    /// datetimes or RFC 3339 strings; the result's instants are aware UTC datetimes.
    fn sla<'py>(&self, py: Python<'py>, input: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let (value, handle) = request_with_handle(py, input, "calendar")?;
        let result = SlaRequest::from_value(&value).and_then(|mut r| {
            if let Some(c) = handle {
                r.calendar = Some(CalendarChoice::Calendar(c));
            }
            self.engine.sla(&r)
        });
        to_py(py, &result.map_err(|e| to_pyerr(py, &e))?)
    }

    /// Decides a refund request (a dict: `now`, `complaint`, `destination_country`, `order`,
    /// `item`, `evidence`, `return_shipping_cost`, `customer`, `shipment_status`, `holidays`).
    /// Money amounts may be `Decimal`, `int` or decimal strings; instants aware datetimes or
    /// RFC 3339 strings.
    fn evaluate_refund<'py>(&self, py: Python<'py>, case: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let mut docs = Documents::new();
        let result = write_request(&mut docs, case)
            .and_then(|n| case_at(&docs, n))
            .and_then(|c| self.engine.evaluate_refund(&c));
        to_py(py, &result.map_err(|e| to_pyerr(py, &e))?)
    }

    /// Decides many refund requests with the GIL released: one decision or error entry per
    /// case, in order. `explain=False`, for end-of-day runs, leaves out the trace and the
    /// messages of the reasons (outcome, money, `rule`, codes and params stay).
    #[pyo3(signature = (cases, *, explain = true))]
    fn evaluate_refund_batch<'py>(
        &self,
        py: Python<'py>,
        cases: &Bound<'py, PyAny>,
        explain: bool,
    ) -> PyResult<Bound<'py, PyList>> {
        let items = batch_items(py, cases, "cases", "expected a list of dicts")?;
        let read = |chunk: &[Bound<'py, PyAny>], mut docs: Documents| {
            docs.clear();
            let read = chunk.iter().map(|case| write_request(&mut docs, case)).collect();
            (docs, read)
        };
        batch::to_list(py, &items, read, |docs, n| self.engine.evaluate_refund_with(&case_at(docs, n)?, explain))
    }

    /// When to send a reply (a dict: `now`, `customer` {`time_zone`, `country`, `language`},
    /// optional `window` {`start`, `end`}, `deadline`, `urgency`, `team_calendar` (a name, an
    /// inline calendar dict or a `Calendar`), `holidays`). `send_at` is an aware UTC datetime;
    /// `local_send_at` the RFC 3339 text with the customer's offset.
    fn schedule_reply<'py>(&self, py: Python<'py>, request: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let (value, handle) = request_with_handle(py, request, "team_calendar")?;
        let result = ReplyRequest::from_value(&value).and_then(|mut r| {
            if let Some(c) = handle {
                r.team_calendar = Some(CalendarChoice::Calendar(c));
            }
            self.engine.schedule_reply(&r)
        });
        to_py(py, &result.map_err(|e| to_pyerr(py, &e))?)
    }

    /// Triages one ticket (a dict, SPEC §9): classification, priority, SLA, reply plan and, when
    /// the ticket carries the order facts, the refund decision. `calendar` and `team_calendar` may be
    /// names, inline calendar dicts or `Calendar`s; instants aware datetimes or RFC 3339
    /// strings; money `Decimal`, `int` or decimal strings.
    fn triage<'py>(&self, py: Python<'py>, ticket: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let ticket = ticket_arg(ticket).map_err(|e| to_pyerr(py, &e))?;
        let result = self.engine.triage(&ticket).map_err(|e| to_pyerr(py, &e))?;
        to_py(py, &result)
    }

    /// Triages many tickets, decided without the GIL (on worker threads while this one builds
    /// results, when there are several cores): one result or error entry
    /// (`{"error": {...}, "index": i}`) per ticket, in order.
    fn triage_batch<'py>(&self, py: Python<'py>, tickets: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyList>> {
        let items = batch_items(py, tickets, "tickets", "expected a list of dicts")?;
        batch::to_list(py, &items, batch::each(ticket_arg), |_, ticket| self.engine.triage(&ticket))
    }

    /// A compiled calendar: the name of a policy calendar, or an inline calendar dict.
    fn calendar(&self, py: Python<'_>, name_or_inline: &Bound<'_, PyAny>) -> PyResult<PyCalendar> {
        Ok(PyCalendar { calendar: calendar_arg(py, &self.engine, name_or_inline)? })
    }

    /// The aware UTC datetime at which `seconds` of business time after `start` are used up on
    /// `calendar` (a name, an inline calendar dict or a `Calendar`).
    fn add_business_time<'py>(
        &self,
        py: Python<'py>,
        start: &Bound<'py, PyAny>,
        seconds: &Bound<'py, PyAny>,
        calendar: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyDateTime>> {
        add_business_time(py, &calendar_arg(py, &self.engine, calendar)?, start, seconds)
    }

    /// Business seconds between two instants on `calendar`.
    fn business_time_between(
        &self,
        py: Python<'_>,
        start: &Bound<'_, PyAny>,
        end: &Bound<'_, PyAny>,
        calendar: &Bound<'_, PyAny>,
    ) -> PyResult<i64> {
        business_time_between(py, &calendar_arg(py, &self.engine, calendar)?, start, end)
    }

    /// The effective policy (the default merged with this engine's policy) as a dict.
    fn policy<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.engine.policy())
    }

    /// Library, policy and data versions, to store beside decisions.
    fn info<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.engine.info())
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let py = slf.py();
        let cls = slf.get_type().into_any();
        let source = slf.get().source.clone();
        let args = PyTuple::new(py, [source.into_pyobject(py)?.into_any()])?;
        Ok((cls, args))
    }

    fn __repr__(&self) -> String {
        let info = self.engine.info();
        format!("Engine(policy_version={:?}, policy_hash={:?})", info.policy_version, info.policy_hash)
    }
}

/// A compiled business calendar, from `Engine.calendar(...)`: the fast way to do business-time
/// arithmetic on one calendar again and again.
#[pyclass(name = "Calendar", module = "aftersales", frozen)]
struct PyCalendar {
    calendar: BusinessCalendar,
}

#[pymethods]
impl PyCalendar {
    /// The aware UTC datetime at which `seconds` of business time after `start` are used up.
    fn add_business_time<'py>(
        &self,
        py: Python<'py>,
        start: &Bound<'py, PyAny>,
        seconds: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyDateTime>> {
        add_business_time(py, &self.calendar, start, seconds)
    }

    /// Business seconds (rounded down) between two instants.
    fn business_time_between(&self, py: Python<'_>, start: &Bound<'_, PyAny>, end: &Bound<'_, PyAny>) -> PyResult<i64> {
        business_time_between(py, &self.calendar, start, end)
    }

    /// The policy calendar's name, or None for an inline calendar.
    #[getter]
    fn name(&self) -> Option<&str> {
        self.calendar.name()
    }

    /// The IANA time zone of the calendar's hours.
    #[getter]
    fn time_zone(&self) -> &str {
        self.calendar.time_zone()
    }

    fn __repr__(&self) -> String {
        match self.calendar.name() {
            Some(n) => format!("Calendar(name={n:?}, time_zone={:?})", self.calendar.time_zone()),
            None => format!("Calendar(time_zone={:?})", self.calendar.time_zone()),
        }
    }
}

/// A `classify_batch` item: a string (the fast path), or a dict read by the core's own parsing
/// so that its errors read as in every other binding; offsets in code points.
fn classify_item(item: &Bound<'_, PyAny>) -> Result<ClassifyRequest<'static>, Error> {
    let request = if let Ok(s) = item.cast::<PyString>() {
        let text = convert::utf8(s).ok_or_else(|| {
            aftersales_error(ErrorKind::InvalidInput, "text", "string is not valid Unicode (it holds a lone surrogate)")
        })?;
        ClassifyRequest::new(text.to_owned())
    } else {
        let value = to_json(item).map_err(|u| aftersales_error(ErrorKind::InvalidInput, &u.path, u.message))?;
        ClassifyRequest::from_value(value)?
    };
    Ok(request.offsets(OffsetUnit::CodePoints))
}

/// A request dict as JSON, or the typed error naming the offending path.
fn request_json(py: Python<'_>, input: &Bound<'_, PyAny>) -> PyResult<serde_json::Value> {
    dict_json(input).map_err(|e| to_pyerr(py, &e))
}

/// A request dict as JSON, or the `invalid_input` error naming what does not fit.
fn dict_json(input: &Bound<'_, PyAny>) -> Result<serde_json::Value, Error> {
    let mut docs = Documents::new();
    let n = write_request(&mut docs, input)?;
    Ok(docs.get(n).map_or(serde_json::Value::Null, |d| d.to_value()))
}

/// A request dict written into `docs` (its document number), or the `invalid_input` error
/// naming what does not fit.
fn write_request(docs: &mut Documents, input: &Bound<'_, PyAny>) -> Result<usize, Error> {
    if input.cast::<PyDict>().is_err() {
        return Err(aftersales_error(
            ErrorKind::InvalidInput,
            "",
            format!("expected a dict, got {}", type_name(input)),
        ));
    }
    convert::write_document(docs, input).map_err(|u| aftersales_error(ErrorKind::InvalidInput, &u.path, u.message))
}

/// The case written as document `n`.
fn case_at(docs: &Documents, n: usize) -> Result<RefundCase, Error> {
    docs.get(n)
        .map_or_else(|| Err(aftersales_error(ErrorKind::InvalidInput, "", "no such case")), RefundCase::from_document)
}

/// A request dict whose `key` may hold a compiled `Calendar`: a handle cannot cross as JSON, so
/// it is taken out, the rest converted, and the handle returned beside it.
fn request_with_handle(
    py: Python<'_>,
    input: &Bound<'_, PyAny>,
    key: &str,
) -> PyResult<(serde_json::Value, Option<BusinessCalendar>)> {
    let (value, [handle]) = dict_with_handles(input, [key]).map_err(|e| to_pyerr(py, &e))?;
    Ok((value, handle))
}

/// A request dict as JSON with the `Calendar` handles found under `keys` taken out and returned
/// beside it, in the order of `keys`.
fn dict_with_handles<const N: usize>(
    input: &Bound<'_, PyAny>,
    keys: [&str; N],
) -> Result<(serde_json::Value, [Option<BusinessCalendar>; N]), Error> {
    let mut handles = [const { None }; N];
    let Ok(d) = input.cast::<PyDict>() else { return Ok((dict_json(input)?, handles)) };
    let mut rest: Option<Bound<'_, PyDict>> = None;
    for (key, handle) in keys.into_iter().zip(&mut handles) {
        if let Ok(Some(value)) = d.get_item(key)
            && let Ok(c) = value.cast::<PyCalendar>()
        {
            *handle = Some(c.get().calendar.clone());
            let copy = match rest.take() {
                Some(r) => r,
                None => d.copy().map_err(|e| python_failure(key, &e))?,
            };
            copy.del_item(key).map_err(|e| python_failure(key, &e))?;
            rest = Some(copy);
        }
    }
    Ok((dict_json(rest.as_ref().map_or(input, |r| r.as_any()))?, handles))
}

/// A failure of the Python runtime itself while reading `field` (a dict that cannot be copied).
fn python_failure(field: &str, e: &PyErr) -> Error {
    aftersales_error(ErrorKind::InvalidInput, field, e.to_string())
}

/// A ticket dict read into a `Ticket`, offsets in code points; `calendar` and `team_calendar`
/// may be `Calendar` handles.
fn ticket_arg(input: &Bound<'_, PyAny>) -> Result<Ticket, Error> {
    let (value, [calendar, team]) = dict_with_handles(input, ["calendar", "team_calendar"])?;
    let mut ticket = Ticket::from_value(&value)?;
    ticket.offsets = OffsetUnit::CodePoints;
    if let Some(c) = calendar {
        ticket.calendar = Some(CalendarChoice::Calendar(c));
    }
    if let Some(c) = team {
        ticket.team_calendar = Some(CalendarChoice::Calendar(c));
    }
    Ok(ticket)
}

/// A calendar argument: a `Calendar`, a policy calendar's name, or an inline calendar dict.
fn calendar_arg(py: Python<'_>, engine: &Engine, obj: &Bound<'_, PyAny>) -> PyResult<BusinessCalendar> {
    if let Ok(c) = obj.cast::<PyCalendar>() {
        return Ok(c.get().calendar.clone());
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return engine.calendar(&s.to_cow()?).map_err(|e| to_pyerr(py, &e));
    }
    if obj.cast::<PyDict>().is_ok() {
        let value = to_json(obj).map_err(|u| {
            let field = if u.path.is_empty() { "calendar".to_string() } else { format!("calendar.{}", u.path) };
            invalid_input(py, &field, u.message)
        })?;
        return engine.calendar_value(&value).map_err(|e| to_pyerr(py, &e));
    }
    Err(invalid_input(
        py,
        "calendar",
        format!("expected a calendar name, an inline calendar dict or a Calendar, got {}", type_name(obj)),
    ))
}

fn seconds_arg(py: Python<'_>, obj: &Bound<'_, PyAny>) -> PyResult<i64> {
    if obj.cast::<PyBool>().is_err()
        && let Ok(i) = obj.cast::<PyInt>()
    {
        return i.extract::<i64>().map_err(|_| {
            to_pyerr(py, &aftersales_error(ErrorKind::LimitExceeded, "seconds", "at most 100 years of seconds"))
        });
    }
    Err(invalid_input(py, "seconds", format!("expected a whole number of seconds (int), got {}", type_name(obj))))
}

fn add_business_time<'py>(
    py: Python<'py>,
    calendar: &BusinessCalendar,
    start: &Bound<'py, PyAny>,
    seconds: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyDateTime>> {
    let start = time::timestamp_arg(start, "start").map_err(|e| to_pyerr(py, &e))?;
    let seconds = seconds_arg(py, seconds)?;
    let due = calendar.add_business_time(start, seconds).map_err(|e| to_pyerr(py, &e))?;
    time::timestamp_to_datetime(py, due)
}

fn business_time_between(
    py: Python<'_>,
    calendar: &BusinessCalendar,
    start: &Bound<'_, PyAny>,
    end: &Bound<'_, PyAny>,
) -> PyResult<i64> {
    let start = time::timestamp_arg(start, "start").map_err(|e| to_pyerr(py, &e))?;
    let end = time::timestamp_arg(end, "end").map_err(|e| to_pyerr(py, &e))?;
    calendar.business_time_between(start, end).map_err(|e| to_pyerr(py, &e))
}

/// The items of a batch argument (any iterable), or an `invalid_input` error naming `field`.
fn batch_items<'py>(
    py: Python<'py>,
    items: &Bound<'py, PyAny>,
    field: &str,
    expected: &str,
) -> PyResult<Vec<Bound<'py, PyAny>>> {
    items.try_iter().map_err(|_| invalid_input(py, field, expected))?.collect()
}

/// Pauses Python's cyclic garbage collector while a batch's results are built, and restores it
/// when dropped. The results are tens of thousands of fresh dicts with no cycles; scanning them
/// again and again as they are created doubled the cost of a batch. The GIL is held for the
/// whole pause, so no other Python code runs during it.
struct GcPause<'py> {
    gc: Option<Bound<'py, PyModule>>,
}

impl<'py> GcPause<'py> {
    fn new(py: Python<'py>) -> GcPause<'py> {
        let gc = py.import("gc").ok().filter(|gc| {
            gc.call_method0("isenabled").and_then(|v| v.is_truthy()).unwrap_or(false)
                && gc.call_method0("disable").is_ok()
        });
        GcPause { gc }
    }
}

impl Drop for GcPause<'_> {
    fn drop(&mut self) {
        if let Some(gc) = &self.gc {
            let _ = gc.call_method0("enable");
        }
    }
}

fn policy_error(field: &str, message: &str) -> Error {
    aftersales_error(ErrorKind::InvalidPolicy, field, message)
}

#[pymodule]
fn _aftersales(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_class::<PyEngine>()?;
    m.add_class::<PyCalendar>()?;
    m.add("AftersalesError", py.get_type::<AftersalesError>())?;
    m.add("InvalidInputError", py.get_type::<InvalidInputError>())?;
    m.add("InvalidPolicyError", py.get_type::<InvalidPolicyError>())?;
    m.add("UnknownTimeZoneError", py.get_type::<UnknownTimeZoneError>())?;
    m.add("UnknownCurrencyError", py.get_type::<UnknownCurrencyError>())?;
    m.add("CurrencyMismatchError", py.get_type::<CurrencyMismatchError>())?;
    m.add("LimitExceededError", py.get_type::<LimitExceededError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
