//! Node binding of the `aftersales` crate: a thin layer of conversions. Every decision is made by
//! the core. Values cross the boundary as JSON, which V8 parses and prints faster than napi can
//! build objects property by property: inputs through `JSON.stringify`, results through
//! `JSON.parse` of camelCased JSON (`camel.rs`). Batch work runs off the main thread in the
//! `…Async` variants, which also parse their input and print their output there. Refund
//! batches, whose explained decisions carry a trace of every rule considered, cross in a compact form
//! that a small JavaScript decoder turns into the same objects, several times faster than
//! `JSON.parse` of their JSON, and large ones are decided on several threads (`refund.rs`);
//! triage batches in a general compact form (`compact.rs`).
//!
//! Request objects are written with camelCase field names in JavaScript; they cross as JSON and
//! have their keys turned back into the core's snake_case (`camel::snake_keys`). The business-time
//! calls of a `Calendar` handle skip JSON altogether: a `Date` is read as its number of
//! milliseconds, a string directly, and the result is printed in Rust.

#![deny(clippy::all)]

mod camel;
mod compact;
mod jobs;
mod refund;
mod scripts;
mod triage;

/// The binding's own allocations (requests read, decisions made, their JSON or compact form) go
/// through mimalloc: large batches are decided on several threads and handed back to the main
/// thread, and freeing on one thread what another allocated is where the system allocator is
/// slow.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use aftersales::{
    BusinessCalendar, CalendarChoice, ClassifyRequest, Engine, Error as CoreError, ErrorKind, OffsetUnit,
    PriorityRequest, RefundCase, ReplyRequest, SlaRequest, Timestamp,
};
use napi::bindgen_prelude::*;
use napi::{Env, JsDate, JsNumber, JsString, ScopedTask, ValueType};
use napi_derive::napi;
use serde_json::Value;
use serde_json::value::RawValue;

/// Throws a JS `Error` carrying the core error's `code`, `kind`, `field`, and returns the
/// marker that tells napi an exception is already pending.
fn throw(env: &Env, err: &CoreError) -> napi::Error {
    let result = (|| -> Result<()> {
        let mut obj = env.create_error(napi::Error::new(Status::GenericFailure, err.to_string()))?;
        obj.set("code", err.code())?;
        obj.set("kind", err.kind().as_str())?;
        obj.set("field", err.field())?;
        obj.set("detail", err.message())?;
        env.throw(obj)
    })();
    match result {
        Ok(()) => napi::Error::new(Status::PendingException, err.to_string()),
        Err(e) => e,
    }
}

fn invalid_input(env: &Env, field: &str, message: impl Into<String>) -> napi::Error {
    throw(env, &CoreError::new(ErrorKind::InvalidInput, Some(field), message))
}

/// `JSON.stringify(value)`, or `None` for `undefined`.
fn stringify(env: &Env, value: Unknown<'_>) -> Result<Option<String>> {
    let json: Object = env.get_global()?.get_named_property("JSON")?;
    let f: Function<Unknown, Unknown> = json.get_named_property("stringify")?;
    let out = f.call(value)?;
    match out.get_type()? {
        ValueType::String => {
            let s: JsString = unsafe { out.cast()? };
            Ok(Some(s.into_utf8()?.as_str()?.to_owned()))
        }
        _ => Ok(None),
    }
}

/// `JSON.parse(text)`.
fn parse<'env>(env: &'env Env, text: &str) -> Result<Unknown<'env>> {
    let json: Object = env.get_global()?.get_named_property("JSON")?;
    let f: Function<JsString, Unknown> = json.get_named_property("parse")?;
    f.call(env.create_string(text)?)
}

/// A JS string as Rust text, refusing lone surrogates (which UTF-8 cannot hold).
fn text_arg(env: &Env, value: Unknown<'_>, field: &str) -> Result<String> {
    if value.get_type()? != ValueType::String {
        let kind = format!("{:?}", value.get_type()?).to_lowercase();
        return Err(invalid_input(env, field, format!("expected a string, got {kind}")));
    }
    let s: JsString = unsafe { value.cast()? };
    let utf16 = s.into_utf16()?;
    // The buffer ends with the NUL terminator napi writes.
    let units = utf16.as_slice().split_last().map_or(&[][..], |(_, rest)| rest);
    String::from_utf16(units)
        .map_err(|_| invalid_input(env, field, "string is not valid Unicode (it holds a lone surrogate)"))
}

/// "a string", "null", "an array"…: the kind of a JS value, for error messages.
fn js_type(value: &Unknown<'_>) -> Result<&'static str> {
    Ok(match value.get_type()? {
        ValueType::Undefined => "undefined",
        ValueType::Null => "null",
        ValueType::Boolean => "a boolean",
        ValueType::Number => "a number",
        ValueType::String => "a string",
        ValueType::Symbol => "a symbol",
        ValueType::Function => "a function",
        ValueType::Object if value.is_array()? => "an array",
        ValueType::Object if value.is_date()? => "a Date",
        ValueType::Object => "an object",
        // A bigint (napi reports its type from N-API 6 on) or an external.
        _ => "a value of another kind",
    })
}

/// A request object as a JSON document with the core's snake_case keys.
fn request_value(env: &Env, value: Unknown<'_>) -> Result<Value> {
    if value.get_type()? != ValueType::Object || value.is_array()? || value.is_date()? {
        let got = js_type(&value)?;
        return Err(invalid_input(env, "", format!("expected a request object, got {got}")));
    }
    let json = stringify(env, value)?.unwrap_or_default();
    let doc: Value =
        serde_json::from_str(&json).map_err(|e| invalid_input(env, "", format!("not a JSON object: {e}")))?;
    camel::snake_request(doc).map_err(|e| throw(env, &e))
}

/// An instant argument: a `Date` or an RFC 3339 string; `field` names it in errors. Read
/// without JSON (a `Date` as its milliseconds), as the `Calendar` methods must be fast.
fn instant_arg(env: &Env, value: Unknown<'_>, field: &str) -> Result<Timestamp> {
    match value.get_type()? {
        ValueType::String => {
            let s: JsString = unsafe { value.cast()? };
            let utf8 = s.into_utf8()?;
            // The core's parse error names no field: the argument's name is only known here.
            utf8.as_str()?.parse::<Timestamp>().map_err(|e| invalid_input(env, field, e.message()))
        }
        ValueType::Object if value.is_date()? => {
            let date: JsDate = unsafe { value.cast()? };
            let ms = date.value_of()?;
            if !ms.is_finite() {
                return Err(invalid_input(env, field, "an invalid Date (its time value is NaN)"));
            }
            // A Date's time value is a whole number of milliseconds within ±8.64e15.
            Timestamp::from_unix_millis(ms as i64)
                .ok_or_else(|| invalid_input(env, field, "a Date outside the years 1 to 9999"))
        }
        _ => {
            let got = js_type(&value)?;
            Err(invalid_input(env, field, format!("expected a Date or an RFC 3339 string, got {got}")))
        }
    }
}

/// A whole number of seconds. Integers beyond `i64` saturate, and the core then reports the
/// limit (or the sign) as it does for any other out-of-range value.
fn seconds_arg(env: &Env, value: Unknown<'_>) -> Result<i64> {
    if value.get_type()? == ValueType::Number {
        let n: JsNumber = unsafe { value.cast()? };
        let n = n.get_double()?;
        if n.is_finite() && n.fract() == 0.0 {
            return Ok(n as i64);
        }
        return Err(invalid_input(env, "seconds", format!("expected a whole number of seconds, got {n}")));
    }
    let got = js_type(&value)?;
    Err(invalid_input(env, "seconds", format!("expected a whole number of seconds, got {got}")))
}

/// The compiled calendar of a `Calendar` instance; `None` for any other value.
fn calendar_handle(env: &Env, value: &Unknown<'_>) -> Result<Option<BusinessCalendar>> {
    if value.get_type()? != ValueType::Object || !JsCalendar::instance_of(env, value)? {
        return Ok(None);
    }
    // `instanceof` only walks the prototype chain, which JS can fake
    // (`Object.create(Calendar.prototype)`); the unwrap checks that this very object wraps a
    // Rust `JsCalendar` and fails cleanly otherwise.
    // SAFETY: `env` and `value` are live handles of the current call; `from_napi_value` checks
    // the wrapped pointer's class before casting it.
    match unsafe { ClassInstance::<JsCalendar>::from_napi_value(env.raw(), value.raw()) } {
        Ok(c) => Ok(Some(c.calendar.clone())),
        Err(_) => Err(invalid_input(env, "calendar", "an object posing as a Calendar; use engine.calendar(…)")),
    }
}

/// The `Calendar` handles an object holds under `fields` (each in the core's snake_case or its
/// camelCase spelling), in the order of `fields`; none for a value that is not an object.
fn object_handles<const N: usize>(
    env: &Env,
    value: &Unknown<'_>,
    fields: [&str; N],
) -> Result<[Option<BusinessCalendar>; N]> {
    let mut found = [const { None }; N];
    if value.get_type()? != ValueType::Object || value.is_array()? {
        return Ok(found);
    }
    let obj: Object = unsafe { value.cast()? };
    for (field, slot) in fields.into_iter().zip(&mut found) {
        for key in [field, &camel::camel(field)] {
            let value: Unknown = obj.get_named_property(key)?;
            if slot.is_none() {
                *slot = calendar_handle(env, &value)?;
            }
        }
    }
    Ok(found)
}

/// A request object whose `fields` may hold `Calendar`s: a handle cannot cross as JSON (it
/// would print as `{}`), so it is taken before printing and the printed field dropped.
fn request_with_handles<const N: usize>(
    env: &Env,
    request: Unknown<'_>,
    fields: [&str; N],
) -> Result<(Value, [Option<BusinessCalendar>; N])> {
    let handles = object_handles(env, &request, fields)?;
    let mut doc = request_value(env, request)?;
    drop_handle_fields(&mut doc, fields, &handles);
    Ok((doc, handles))
}

/// Removes from a snake_cased request the fields whose handles were taken.
fn drop_handle_fields<const N: usize>(doc: &mut Value, fields: [&str; N], handles: &[Option<BusinessCalendar>; N]) {
    if let Value::Object(map) = doc {
        for (field, handle) in fields.into_iter().zip(handles) {
            if handle.is_some() {
                map.remove(field);
            }
        }
    }
}

/// A calendar argument: a `Calendar`, a policy calendar's name, or an inline calendar object
/// (kept as written: it is a policy-shaped document).
fn calendar_arg(env: &Env, engine: &Engine, value: Unknown<'_>) -> Result<BusinessCalendar> {
    match value.get_type()? {
        ValueType::String => {
            let name = text_arg(env, value, "calendar")?;
            engine.calendar(&name).map_err(|e| throw(env, &e))
        }
        ValueType::Object if !value.is_array()? => {
            if let Some(c) = calendar_handle(env, &value)? {
                return Ok(c);
            }
            let json = stringify(env, value)?.unwrap_or_default();
            let doc: Value = serde_json::from_str(&json)
                .map_err(|e| invalid_input(env, "calendar", format!("not a JSON object: {e}")))?;
            engine.calendar_value(&doc).map_err(|e| throw(env, &e))
        }
        _ => {
            let got = js_type(&value)?;
            let message = format!("expected a calendar name, an inline calendar object or a Calendar, got {got}");
            Err(invalid_input(env, "calendar", message))
        }
    }
}

/// `seconds` of business time after `start` on `calendar`, as an RFC 3339 UTC string.
fn add_business_time(
    env: &Env,
    calendar: &BusinessCalendar,
    start: Unknown<'_>,
    seconds: Unknown<'_>,
) -> Result<String> {
    let start = instant_arg(env, start, "start")?;
    let seconds = seconds_arg(env, seconds)?;
    let due = calendar.add_business_time(start, seconds).map_err(|e| throw(env, &e))?;
    Ok(due.to_string())
}

/// Business seconds between `start` and `end` on `calendar`.
fn business_time_between(env: &Env, calendar: &BusinessCalendar, start: Unknown<'_>, end: Unknown<'_>) -> Result<i64> {
    let start = instant_arg(env, start, "start")?;
    let end = instant_arg(env, end, "end")?;
    calendar.business_time_between(start, end).map_err(|e| throw(env, &e))
}

/// A core result as a JS value.
fn to_js<'env, T: serde::Serialize + ?Sized>(env: &'env Env, value: &T) -> Result<Unknown<'env>> {
    let json = camel::to_json(value).map_err(|e| napi::Error::from_reason(e.to_string()))?;
    parse(env, &json)
}

/// A batch of classification results as JSON: results, or error entries for failed items.
fn batch_json(engine: &Engine, items_json: &str) -> std::result::Result<String, CoreError> {
    let items: Vec<&RawValue> = serde_json::from_str(items_json).map_err(|_| {
        CoreError::new(ErrorKind::InvalidInput, Some("items"), "expected an array of strings or objects")
    })?;
    let mut out = String::with_capacity(items.len() * 512 + 2);
    out.push('[');
    for (i, raw) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let result = ClassifyRequest::from_json(raw.get())
            .map(|r| r.offsets(OffsetUnit::Utf16))
            .and_then(|r| engine.classify_request(&r));
        let json = match result {
            Ok(c) => camel::to_json(&c),
            Err(e) => camel::to_json(&BatchError::new(i, &e)),
        };
        out.push_str(&json.map_err(|e| CoreError::new(ErrorKind::InvalidInput, Some("items"), e.to_string()))?);
    }
    out.push(']');
    Ok(out)
}

/// `{"error": {kind, code, field, message}, "index": i}` for an item that failed.
#[derive(serde::Serialize)]
struct BatchError<'a> {
    error: BatchErrorDetail<'a>,
    index: usize,
}

#[derive(serde::Serialize)]
struct BatchErrorDetail<'a> {
    kind: &'static str,
    code: &'static str,
    field: Option<&'a str>,
    message: &'a str,
}

impl<'a> BatchError<'a> {
    fn new(index: usize, e: &'a CoreError) -> BatchError<'a> {
        BatchError {
            error: BatchErrorDetail { kind: e.kind().as_str(), code: e.code(), field: e.field(), message: e.message() },
            index,
        }
    }
}

/// The after-sales engine: built once from a policy, immutable.
#[napi(js_name = "Engine")]
pub struct JsEngine {
    engine: Engine,
}

#[napi]
impl JsEngine {
    /// Builds an engine from a policy (an object or a JSON string) applied onto the embedded
    /// default; with no argument, the default policy.
    #[napi(constructor, ts_args_type = "policy?: Policy | string | null")]
    pub fn new(env: Env, policy: Option<Unknown>) -> Result<JsEngine> {
        let engine = match policy {
            None => Engine::new(),
            Some(p) => match p.get_type()? {
                ValueType::Undefined | ValueType::Null => Engine::new(),
                ValueType::String => {
                    let json = text_arg(&env, p, "policy")?;
                    Engine::from_json(&json).map_err(|e| throw(&env, &e))?
                }
                ValueType::Object => {
                    let json = stringify(&env, p)?.unwrap_or_default();
                    Engine::from_json(&json).map_err(|e| throw(&env, &e))?
                }
                other => {
                    let e = CoreError::new(
                        ErrorKind::InvalidPolicy,
                        None,
                        format!("a policy is an object, a JSON string or null, not {other:?}"),
                    );
                    return Err(throw(&env, &e));
                }
            },
        };
        Ok(JsEngine { engine })
    }

    /// Builds an engine from a policy file (`.toml` as TOML, anything else as JSON).
    #[napi(factory)]
    pub fn from_file(env: Env, path: String) -> Result<JsEngine> {
        let text = std::fs::read_to_string(&path).map_err(|e| {
            throw(&env, &CoreError::new(ErrorKind::InvalidPolicy, None, format!("cannot read {path}: {e}")))
        })?;
        let engine = if path.to_ascii_lowercase().ends_with(".toml") {
            Engine::from_toml(&text)
        } else {
            Engine::from_json(&text)
        };
        Ok(JsEngine { engine: engine.map_err(|e| throw(&env, &e))? })
    }

    /// Classifies one message. Offsets in the result are UTF-16 indices into `text`.
    #[napi(ts_args_type = "text: string, options?: ClassifyOptions | null", ts_return_type = "Classification")]
    pub fn classify<'env>(&self, env: &'env Env, text: Unknown, options: Option<Unknown>) -> Result<Unknown<'env>> {
        let text = text_arg(env, text, "text")?;
        let mut request = ClassifyRequest::new(text.as_str()).offsets(OffsetUnit::Utf16);
        let options_json = match options {
            Some(o) if o.get_type()? == ValueType::Object => stringify(env, o)?,
            Some(o) if matches!(o.get_type()?, ValueType::Undefined | ValueType::Null) => None,
            Some(_) => return Err(invalid_input(env, "options", "expected an object")),
            None => None,
        };
        let options: Option<ClassifyOptions> = match &options_json {
            Some(json) => Some(serde_json::from_str(json).map_err(|e| invalid_input(env, "options", e.to_string()))?),
            None => None,
        };
        if let Some(o) = &options {
            request.subject = o.subject.as_deref().map(Into::into);
            request.language = o.language.as_deref().map(Into::into);
            request.country = o.country.as_deref().map(Into::into);
        }
        let result = self.engine.classify_request(&request).map_err(|e| throw(env, &e))?;
        to_js(env, &result)
    }

    /// Classifies many messages (strings or `{text, subject, language, country}` objects): one
    /// result per item, in order; a bad item yields `{error, index}` and fails only itself.
    #[napi(ts_args_type = "items: Array<string | ClassifyItem>", ts_return_type = "Array<Classification | BatchError>")]
    pub fn classify_batch<'env>(&self, env: &'env Env, items: Unknown) -> Result<Unknown<'env>> {
        let json = batch_input(env, items)?;
        let out = batch_json(&self.engine, &json).map_err(|e| throw(env, &e))?;
        parse(env, &out)
    }

    /// As `classifyBatch`, computed on the libuv thread pool: the main thread only turns the
    /// input into JSON and parses the result.
    #[napi(
        ts_args_type = "items: Array<string | ClassifyItem>",
        ts_return_type = "Promise<Array<Classification | BatchError>>"
    )]
    pub fn classify_batch_async(&self, env: &Env, items: Unknown) -> Result<AsyncTask<ClassifyBatchTask>> {
        let json = batch_input(env, items)?;
        Ok(AsyncTask::new(ClassifyBatchTask { engine: self.engine.clone(), input: json }))
    }

    /// Scores a ticket's priority: `categories`, `escalation`, `sentiment` (or a whole
    /// `classification`), and optional facts about the customer, the order and the ticket. Keys
    /// may be camelCase or snake_case; money amounts are decimal strings (or integers).
    #[napi(ts_args_type = "request: PriorityRequest", ts_return_type = "Priority")]
    pub fn score_priority<'env>(&self, env: &'env Env, request: Unknown) -> Result<Unknown<'env>> {
        let doc = request_value(env, request)?;
        let result = PriorityRequest::from_value(&doc).and_then(|r| self.engine.score_priority(&r));
        to_js(env, &result.map_err(|e| throw(env, &e))?)
    }

    /// Computes a ticket's SLA at `request.now` from its events. Instants are `Date`s or RFC 3339
    /// strings; `calendar` is a policy calendar's name, an inline calendar or a `Calendar`.
    #[napi(ts_args_type = "request: SlaRequest", ts_return_type = "SlaReport")]
    pub fn sla<'env>(&self, env: &'env Env, request: Unknown) -> Result<Unknown<'env>> {
        let (doc, [handle]) = request_with_handles(env, request, ["calendar"])?;
        let result = SlaRequest::from_value(&doc).and_then(|mut r| {
            if let Some(c) = handle {
                r.calendar = Some(CalendarChoice::Calendar(c));
            }
            self.engine.sla(&r)
        });
        to_js(env, &result.map_err(|e| throw(env, &e))?)
    }

    /// When to send a reply: `now`, `customer` (`timeZone`, `country`, `language`), optional
    /// `window` (`{start, end}` local `"HH:MM"`), `deadline`, `urgency`, `teamCalendar` (a
    /// policy calendar's name, an inline calendar or a `Calendar`) and `holidays`. Instants are
    /// `Date`s or RFC 3339 strings; `sendAt` comes back as a UTC string, `localSendAt` with the
    /// customer's offset.
    #[napi(ts_args_type = "request: ReplyRequest", ts_return_type = "ReplyPlan")]
    pub fn schedule_reply<'env>(&self, env: &'env Env, request: Unknown) -> Result<Unknown<'env>> {
        let (doc, [handle]) = request_with_handles(env, request, ["team_calendar"])?;
        let result = ReplyRequest::from_value(&doc).and_then(|mut r| {
            if let Some(c) = handle {
                r.team_calendar = Some(CalendarChoice::Calendar(c));
            }
            self.engine.schedule_reply(&r)
        });
        to_js(env, &result.map_err(|e| throw(env, &e))?)
    }

    /// A compiled calendar, to do business-time arithmetic on one calendar again and again: the
    /// name of a policy calendar, or an inline calendar (`{time_zone, hours, holidays, overrides}`).
    #[napi(ts_args_type = "nameOrInline: string | InlineCalendar", ts_return_type = "Calendar")]
    pub fn calendar(&self, env: &Env, name_or_inline: Unknown) -> Result<JsCalendar> {
        Ok(JsCalendar { calendar: calendar_arg(env, &self.engine, name_or_inline)? })
    }

    /// The instant (RFC 3339, UTC) at which `seconds` of business time after `start` are used up
    /// on `calendar` (a name, an inline calendar or a `Calendar`).
    #[napi(
        ts_args_type = "start: Date | string, seconds: number, calendar: string | InlineCalendar | Calendar",
        ts_return_type = "string"
    )]
    pub fn add_business_time(&self, env: &Env, start: Unknown, seconds: Unknown, calendar: Unknown) -> Result<String> {
        let calendar = calendar_arg(env, &self.engine, calendar)?;
        add_business_time(env, &calendar, start, seconds)
    }

    /// Business seconds (rounded down) between two instants on `calendar` (a name, an inline
    /// calendar or a `Calendar`).
    #[napi(
        ts_args_type = "start: Date | string, end: Date | string, calendar: string | InlineCalendar | Calendar",
        ts_return_type = "number"
    )]
    pub fn business_time_between(&self, env: &Env, start: Unknown, end: Unknown, calendar: Unknown) -> Result<i64> {
        let calendar = calendar_arg(env, &self.engine, calendar)?;
        business_time_between(env, &calendar, start, end)
    }

    /// Decides a refund request (SPEC §7): the policy's rules in order, the first match decides,
    /// the buyer's statutory rights as the floor. Field names may be camelCase or snake_case;
    /// instants are `Date`s or RFC 3339 strings; money amounts decimal strings (or integers).
    #[napi(ts_args_type = "refundCase: RefundCase", ts_return_type = "RefundDecision")]
    pub fn evaluate_refund<'env>(&self, env: &'env Env, refund_case: Unknown) -> Result<Unknown<'env>> {
        let doc = request_value(env, refund_case)?;
        let result = RefundCase::from_value(&doc).and_then(|c| self.engine.evaluate_refund(&c));
        to_js(env, &result.map_err(|e| throw(env, &e))?)
    }

    /// Decides many refund requests: one decision per case, in order; a bad case yields
    /// `{error, index}` and fails only itself. With `{explain: false}` the trace is left out
    /// (`[]`) and the `message` fields are empty (outcome, money, `rule`, reason codes and
    /// params stay), which is faster.
    /// Batches of 2,048 cases or more are decided on several threads (one per core, at most
    /// 8, this one included), part by part as this thread turns them into JSON, while this
    /// thread also builds the result.
    #[napi(
        ts_args_type = "cases: Array<RefundCase>, options?: RefundBatchOptions | null",
        ts_return_type = "Array<RefundDecision | BatchError>"
    )]
    pub fn evaluate_refund_batch<'env>(
        &self,
        env: &'env Env,
        cases: Unknown,
        options: Option<Unknown>,
    ) -> Result<Unknown<'env>> {
        let explain = refund_batch_options(env, options)?;
        let cases = refund_batch_array(env, cases)?;
        refund::batch_js(env, &self.engine, cases, explain, |e| throw(env, e))
    }

    /// As `evaluateRefundBatch`, computed off the main thread (on the libuv thread pool, large
    /// batches on several threads): the main thread only turns the input into JSON and builds
    /// the result objects.
    #[napi(
        ts_args_type = "cases: Array<RefundCase>, options?: RefundBatchOptions | null",
        ts_return_type = "Promise<Array<RefundDecision | BatchError>>"
    )]
    pub fn evaluate_refund_batch_async(
        &self,
        env: &Env,
        cases: Unknown,
        options: Option<Unknown>,
    ) -> Result<AsyncTask<RefundBatchTask>> {
        let explain = refund_batch_options(env, options)?;
        let input = refund_batch_input(env, cases)?;
        Ok(AsyncTask::new(RefundBatchTask { engine: self.engine.clone(), input, explain }))
    }

    /// Triages one ticket (SPEC §9): classification, priority, SLA, reply plan and, when the
    /// ticket carries the order facts, the refund decision, in one call. Field names may be camelCase or
    /// snake_case; instants `Date`s or RFC 3339 strings; money decimal strings; `calendar` and
    /// `teamCalendar` names, inline calendars or `Calendar`s. Offsets are UTF-16 indices into
    /// `text`.
    #[napi(ts_args_type = "ticket: Ticket", ts_return_type = "Triage")]
    pub fn triage<'env>(&self, env: &'env Env, ticket: Unknown) -> Result<Unknown<'env>> {
        triage::triage_js(env, &self.engine, ticket)
    }

    /// Triages many tickets: one result per ticket, in order; a bad ticket yields
    /// `{error, index}` and fails only itself. Batches of 128 tickets or more are triaged on
    /// several threads (one per core, at most 8).
    #[napi(ts_args_type = "tickets: Array<Ticket>", ts_return_type = "Array<Triage | BatchError>")]
    pub fn triage_batch<'env>(&self, env: &'env Env, tickets: Unknown) -> Result<Unknown<'env>> {
        let batch = triage::batch_input(env, tickets)?;
        triage::batch(&self.engine, batch).map_err(|e| throw(env, &e))?.into_js(env)
    }

    /// As `triageBatch`, computed on the libuv thread pool (large batches on several threads):
    /// the main thread only turns the tickets into JSON and builds the result objects.
    #[napi(ts_args_type = "tickets: Array<Ticket>", ts_return_type = "Promise<Array<Triage | BatchError>>")]
    pub fn triage_batch_async(&self, env: &Env, tickets: Unknown) -> Result<AsyncTask<triage::TriageBatchTask>> {
        let batch = triage::batch_input(env, tickets)?;
        Ok(AsyncTask::new(triage::TriageBatchTask { engine: self.engine.clone(), batch: Some(batch) }))
    }

    /// The effective policy (the default merged with this engine's policy), as written in
    /// policy documents (snake_case).
    #[napi(ts_return_type = "Policy")]
    pub fn policy<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        parse(env, &self.engine.policy().to_string())
    }

    /// Library, policy and data versions, to store beside decisions.
    #[napi(ts_return_type = "EngineInfo")]
    pub fn info<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        to_js(env, &self.engine.info())
    }
}

/// A compiled business calendar, from `engine.calendar(…)`: the fast way to do business-time
/// arithmetic on one calendar again and again.
#[napi(js_name = "Calendar")]
pub struct JsCalendar {
    calendar: BusinessCalendar,
}

#[napi]
impl JsCalendar {
    /// The instant (RFC 3339, UTC) at which `seconds` of business time after `start` are used up;
    /// a closing time when they are used up exactly at closing.
    #[napi(ts_args_type = "start: Date | string, seconds: number", ts_return_type = "string")]
    pub fn add_business_time(&self, env: &Env, start: Unknown, seconds: Unknown) -> Result<String> {
        add_business_time(env, &self.calendar, start, seconds)
    }

    /// Business seconds (rounded down) between two instants.
    #[napi(ts_args_type = "start: Date | string, end: Date | string", ts_return_type = "number")]
    pub fn business_time_between(&self, env: &Env, start: Unknown, end: Unknown) -> Result<i64> {
        business_time_between(env, &self.calendar, start, end)
    }

    /// The policy calendar's name, or null for an inline calendar.
    #[napi(getter, ts_return_type = "string | null")]
    pub fn name(&self) -> Option<String> {
        self.calendar.name().map(str::to_string)
    }

    /// The IANA time zone the calendar's hours are written in.
    #[napi(getter)]
    pub fn time_zone(&self) -> String {
        self.calendar.time_zone().to_string()
    }
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ClassifyOptions {
    subject: Option<String>,
    language: Option<String>,
    country: Option<String>,
}

/// The batch argument as JSON, refusing anything but an array.
fn batch_input(env: &Env, items: Unknown<'_>) -> Result<String> {
    let is_array = items.is_array()?;
    if !is_array {
        return Err(invalid_input(env, "items", "expected an array of strings or objects"));
    }
    Ok(stringify(env, items)?.unwrap_or_else(|| "[]".into()))
}

/// `options.explain` of the refund batch calls (default true); other keys are refused.
fn refund_batch_options(env: &Env, options: Option<Unknown<'_>>) -> Result<bool> {
    let Some(o) = options else { return Ok(true) };
    match o.get_type()? {
        ValueType::Undefined | ValueType::Null => Ok(true),
        ValueType::Object if !o.is_array()? && !o.is_date()? => {
            let json = stringify(env, o)?.unwrap_or_default();
            let Ok(Value::Object(map)) = serde_json::from_str::<Value>(&json) else {
                return Err(invalid_input(env, "options", "expected an object {explain}"));
            };
            let mut explain = true;
            for (key, value) in &map {
                match (key.as_str(), value) {
                    ("explain", Value::Bool(b)) => explain = *b,
                    ("explain", Value::Null) => {}
                    ("explain", other) => {
                        let got = match other {
                            Value::Number(_) => "a number",
                            Value::String(_) => "a string",
                            Value::Array(_) => "an array",
                            _ => "an object",
                        };
                        return Err(invalid_input(
                            env,
                            "options.explain",
                            format!("expected true or false, got {got}"),
                        ));
                    }
                    (other, _) => {
                        return Err(invalid_input(
                            env,
                            &format!("options.{other}"),
                            format!("unknown option {other:?}; expected explain"),
                        ));
                    }
                }
            }
            Ok(explain)
        }
        _ => {
            let got = js_type(&o)?;
            Err(invalid_input(env, "options", format!("expected an object {{explain}}, got {got}")))
        }
    }
}

/// The cases of a refund batch as JSON, refusing anything but an array.
fn refund_batch_input(env: &Env, cases: Unknown<'_>) -> Result<String> {
    let cases = refund_batch_array(env, cases)?;
    Ok(stringify(env, cases.to_unknown())?.unwrap_or_else(|| "[]".into()))
}

/// The batch argument as an array, refusing anything else.
fn refund_batch_array<'a>(env: &Env, cases: Unknown<'a>) -> Result<Array<'a>> {
    if !cases.is_array()? {
        let got = js_type(&cases)?;
        return Err(invalid_input(env, "cases", format!("expected an array of refund cases, got {got}")));
    }
    // SAFETY: checked to be an array just above.
    unsafe { cases.cast() }
}

pub struct RefundBatchTask {
    engine: Engine,
    input: String,
    explain: bool,
}

impl<'task> ScopedTask<'task> for RefundBatchTask {
    type Output = std::result::Result<refund::Encoded, CoreError>;
    type JsValue = Unknown<'task>;

    fn compute(&mut self) -> Result<Self::Output> {
        Ok(refund::batch(&self.engine, &self.input, self.explain))
    }

    fn resolve(&mut self, env: &'task Env, output: Self::Output) -> Result<Self::JsValue> {
        match output {
            Ok(encoded) => encoded.into_js(env),
            Err(e) => Err(throw(env, &e)),
        }
    }
}

pub struct ClassifyBatchTask {
    engine: Engine,
    input: String,
}

impl<'task> ScopedTask<'task> for ClassifyBatchTask {
    type Output = std::result::Result<String, CoreError>;
    type JsValue = Unknown<'task>;

    fn compute(&mut self) -> Result<Self::Output> {
        Ok(batch_json(&self.engine, &self.input))
    }

    fn resolve(&mut self, env: &'task Env, output: Self::Output) -> Result<Self::JsValue> {
        match output {
            Ok(json) => parse(env, &json),
            Err(e) => Err(throw(env, &e)),
        }
    }
}
