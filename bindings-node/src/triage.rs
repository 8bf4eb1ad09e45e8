//! `triage`, `triageBatch` and `triageBatchAsync`: tickets cross as JSON (keys turned back into
//! snake_case); results as camelCased JSON, those of a batch in the compact form of
//! `compact.rs`. `Calendar` handles under `calendar` or
//! `teamCalendar` cannot cross as JSON, so they are collected on the main thread first and put
//! back into the tickets they came from.

use aftersales::{BusinessCalendar, CalendarChoice, Engine, Error as CoreError, ErrorKind, OffsetUnit, Ticket};
use napi::bindgen_prelude::*;
use napi::{Env, ScopedTask};
use serde_json::Value;
use serde_json::value::RawValue;

use crate::compact::{Compact, Encoded, Part};
use crate::{
    BatchError, camel, drop_handle_fields, invalid_input, js_type, object_handles, parse, request_with_handles,
    stringify, throw,
};

/// The fields of a ticket that may hold a `Calendar`, in the core's spelling.
const CALENDAR_FIELDS: [&str; 2] = ["calendar", "team_calendar"];

/// The `Calendar` handles of one ticket, in the order of [`CALENDAR_FIELDS`].
type Handles = [Option<BusinessCalendar>; 2];

/// A snake_cased ticket document read into a `Ticket` with UTF-16 offsets and its handles.
fn read(mut doc: Value, handles: Handles) -> std::result::Result<Ticket, CoreError> {
    drop_handle_fields(&mut doc, CALENDAR_FIELDS, &handles);
    let mut ticket = Ticket::from_value(&doc)?;
    ticket.offsets = OffsetUnit::Utf16;
    let [calendar, team] = handles;
    if let Some(c) = calendar {
        ticket.calendar = Some(CalendarChoice::Calendar(c));
    }
    if let Some(c) = team {
        ticket.team_calendar = Some(CalendarChoice::Calendar(c));
    }
    Ok(ticket)
}

/// `engine.triage(ticket)`.
pub fn triage_js<'env>(env: &'env Env, engine: &Engine, ticket: Unknown<'_>) -> Result<Unknown<'env>> {
    let (doc, handles) = request_with_handles(env, ticket, CALENDAR_FIELDS)?;
    let result = read(doc, handles).and_then(|t| engine.triage(&t)).map_err(|e| throw(env, &e))?;
    let json = camel::to_json(&result).map_err(|e| napi::Error::from_reason(e.to_string()))?;
    parse(env, &json)
}

/// A batch of tickets as it leaves the main thread: their JSON and the handles found in them.
pub struct TicketBatch {
    json: String,
    handles: Vec<(usize, Handles)>,
}

/// Reads the batch argument on the main thread, refusing anything but an array.
pub fn batch_input(env: &Env, tickets: Unknown<'_>) -> Result<TicketBatch> {
    if !tickets.is_array()? {
        let got = js_type(&tickets)?;
        return Err(invalid_input(env, "tickets", format!("expected an array of tickets, got {got}")));
    }
    let array: Array = unsafe { tickets.cast()? };
    let mut found = Vec::new();
    for i in 0..array.len() {
        let ticket: Unknown = array.get_element(i)?;
        let h = object_handles(env, &ticket, CALENDAR_FIELDS)?;
        if h.iter().any(Option::is_some) {
            found.push((i as usize, h));
        }
    }
    Ok(TicketBatch { json: stringify(env, tickets)?.unwrap_or_else(|| "[]".into()), handles: found })
}

/// Batches below this many tickets per thread are not split (a ticket takes 20–30 µs).
const TICKETS_PER_THREAD: usize = 64;

/// Triages a batch into results in the compact form (`compact.rs`: a triage result is about
/// 3 KB of JSON, and decoding the compact form is faster than `JSON.parse`); a large batch in
/// parts on several threads (one per core, at most 8: the engine is `Sync` and triage is pure).
pub fn batch(engine: &Engine, batch: TicketBatch) -> std::result::Result<Encoded, CoreError> {
    let items: Vec<&RawValue> = serde_json::from_str(&batch.json)
        .map_err(|_| CoreError::new(ErrorKind::InvalidInput, Some("tickets"), "expected an array of tickets"))?;
    let threads = crate::refund::threads(items.len(), TICKETS_PER_THREAD);
    let size = items.len().div_ceil(threads).max(1);
    let handles = &batch.handles;
    let parts: Vec<std::result::Result<Part, CoreError>> = std::thread::scope(|scope| {
        let workers: Vec<_> = items
            .chunks(size)
            .enumerate()
            .skip(1)
            .map(|(k, chunk)| scope.spawn(move || part(engine, chunk, k * size, handles)))
            .collect();
        let mut parts = vec![part(engine, &items[..size.min(items.len())], 0, handles)];
        for w in workers {
            // A panic in a worker is one in this call, as it would be without threads.
            parts.push(w.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
        }
        parts
    });
    Ok(Encoded::from_parts(parts.into_iter().collect::<std::result::Result<Vec<Part>, CoreError>>()?))
}

/// The results of `items`, the first of which has index `first`.
fn part(
    engine: &Engine,
    items: &[&RawValue],
    first: usize,
    handles: &[(usize, Handles)],
) -> std::result::Result<Part, CoreError> {
    let mut out = Compact::new();
    for (n, raw) in items.iter().enumerate() {
        let i = first + n;
        let h = match handles.binary_search_by_key(&i, |(at, _)| *at) {
            Ok(k) => handles[k].1.clone(),
            Err(_) => [None, None],
        };
        let result = serde_json::from_str::<Value>(raw.get())
            .map_err(|e| CoreError::new(ErrorKind::InvalidInput, None, e.to_string()))
            .and_then(|doc| {
                if !doc.is_object() {
                    return Err(CoreError::new(ErrorKind::InvalidInput, None, "expected a ticket object"));
                }
                read(camel::snake_request(doc)?, h)
            })
            .and_then(|t| engine.triage(&t));
        let written = match &result {
            Ok(t) => out.push(t),
            Err(e) => out.push(&BatchError::new(i, e)),
        };
        written.map_err(|e| CoreError::new(ErrorKind::InvalidInput, Some("tickets"), e.to_string()))?;
    }
    Ok(out.finish())
}

/// `triageBatchAsync`: the batch triaged on the libuv thread pool.
pub struct TriageBatchTask {
    pub engine: Engine,
    pub batch: Option<TicketBatch>,
}

impl<'task> ScopedTask<'task> for TriageBatchTask {
    type Output = std::result::Result<Encoded, CoreError>;
    type JsValue = Unknown<'task>;

    fn compute(&mut self) -> Result<Self::Output> {
        let input = self.batch.take().unwrap_or(TicketBatch { json: "[]".into(), handles: Vec::new() });
        Ok(batch(&self.engine, input))
    }

    fn resolve(&mut self, env: &'task Env, output: Self::Output) -> Result<Self::JsValue> {
        match output {
            Ok(results) => results.into_js(env),
            Err(e) => Err(throw(env, &e)),
        }
    }
}
