//! The refund batch path, tuned for throughput.
//!
//! A batch of 10,000 explained decisions printed as JSON is 20 to 35 MB (a 20-rule policy
//! gives each decision a dozen trace entries), and `JSON.parse` of it cost more than everything else
//! together, the core included. So a batch crosses in a compact form instead: an `Int32Array`
//! of numbers (flags, lengths, days, parameters, and indices into a string table) and the table
//! itself, a JSON array in which each string the policy repeats in every decision (rule ids,
//! condition paths, fact names, codes, outcomes, legal sources) appears once. A decoder written
//! in JavaScript (`refund_decode.js`, compiled once per Node environment) builds plain objects
//! from the two, exactly as `JSON.parse` of the camelCased decision would: same fields, same
//! order, same values. Strings of the table are shared between decisions, which is safe as JS
//! strings are immutable. `tests/node/refund.test.js` compares both paths on many cases, and
//! the unit tests below check that the encoder knows every field the core serialises.
//!
//! Cases cross the other way as the JSON of `JSON.stringify(cases)`, split into items without
//! building them (`RawValue`), and each item is read into a document with snake_case keys in
//! one pass (`SnakeValue`), without building a camelCase document first.
//!
//! Large batches are decided in parts on several threads; in the synchronous call the main
//! thread decodes finished parts (and decides parts itself) meanwhile.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;
use std::sync::mpsc;

use aftersales::{Engine, Error as CoreError, ErrorKind, Money, Param, RefundCase, RefundDecision, Timestamp};
use napi::Env;
use napi::bindgen_prelude::*;
use rustc_hash::FxHashMap;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{Map, Number, Value};

use crate::camel;
use crate::compact::{self, Part};
use crate::jobs::Jobs;

/// Version of the compact form, checked by the decoder, so that a stale decoder cannot
/// misread a newer encoder's output.
const FORMAT: i32 = 1;

/// A refund case document (camelCase or snake_case keys) read into a case.
pub fn read_case(json: &str) -> std::result::Result<RefundCase, CoreError> {
    let doc = match SnakeValue.deserialize(&mut serde_json::Deserializer::from_str(json)) {
        Ok(doc) => doc,
        Err(e) if e.to_string().starts_with(DUPLICATE) => {
            // The same field twice (`placedAt` and `placed_at`): the slower path names it.
            let doc: Value = serde_json::from_str(json).map_err(|e| not_json(&e))?;
            match camel::snake_keys(doc) {
                Err(d) => {
                    let (a, b) = &d.keys;
                    let message = format!("the same field is given twice, as {a:?} and {b:?}");
                    return Err(CoreError::new(ErrorKind::InvalidInput, Some(&d.path), message));
                }
                Ok(doc) => doc,
            }
        }
        Err(e) => return Err(not_json(&e)),
    };
    RefundCase::from_value(&doc)
}

fn not_json(e: &serde_json::Error) -> CoreError {
    CoreError::new(ErrorKind::InvalidInput, Some(""), format!("not a JSON object: {e}"))
}

/// Batches below this many cases per thread are not split.
const CASES_PER_THREAD: usize = 1024;

/// At most this many threads work on one batch.
const MAX_THREADS: usize = 8;

/// The cases of a part of a batch decided on several threads.
const PART: usize = 512;

/// The error of a batch argument that is not a JSON array.
fn not_an_array() -> CoreError {
    CoreError::new(ErrorKind::InvalidInput, Some("cases"), "expected an array of refund cases")
}

/// How many threads work on a batch of `items`: one per available core (at most
/// `MAX_THREADS`), each with at least `per_thread` items.
pub(crate) fn threads(items: usize, per_thread: usize) -> usize {
    let wanted = items / per_thread;
    if wanted < 2 {
        // Without asking the system, which reads files on Linux (cgroup quotas).
        return 1;
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    wanted.min(cores.clamp(1, MAX_THREADS))
}

/// `evaluateRefundBatch`: the decisions (or error entries) of a batch (a JS array of cases), as
/// a JS array.
///
/// A large batch is cut into parts of `PART` cases. This thread turns each part into JSON
/// (`JSON.stringify` of its slice) and queues it, and scoped threads decide the queued parts
/// (the engine is `Sync` and decisions are pure) while this thread goes on with the next
/// part; meanwhile it decodes the parts that are decided, in order, into the result array, and
/// decides queued parts itself when it has nothing else to do. So reading the cases, deciding
/// them and building the JS objects all overlap. `throw` turns a core error into the pending
/// JS exception.
pub fn batch_js<'env>(
    env: &'env Env,
    engine: &Engine,
    cases: Array<'_>,
    explain: bool,
    throw: impl Fn(&CoreError) -> napi::Error,
) -> Result<Unknown<'env>> {
    let decode = decoder(env)?;
    let len = cases.len() as usize;
    let threads = threads(len, CASES_PER_THREAD);
    let decide = |json: &str, first: usize| -> std::result::Result<Part, CoreError> {
        let cases: Vec<&RawValue> = serde_json::from_str(json).map_err(|_| not_an_array())?;
        Ok(part(engine, &cases, first, explain))
    };
    if threads == 1 {
        let json = crate::stringify(env, cases.to_unknown())?.unwrap_or_else(|| "[]".into());
        let part = decide(&json, 0).map_err(|e| throw(&e))?;
        return Encoded::from_parts(vec![part]).decode(&decode, None);
    }
    let parts = len.div_ceil(PART);
    let slice: Function<FnArgs<(u32, u32)>, Unknown> = cases.get_named_property("slice")?;
    // Parts turned into JSON, waiting for a thread to decide them.
    let jobs: Jobs<(usize, String)> = Jobs::new();
    std::thread::scope(|scope| {
        // Closes the queue however this thread leaves the scope, a panic included: the scope
        // waits for the workers, which must not be left waiting for jobs.
        let _closer = jobs.closer();
        let (sender, ready) = mpsc::channel::<(usize, std::result::Result<Part, CoreError>)>();
        for _ in 1..threads {
            let sender = sender.clone();
            let (jobs, decide) = (&jobs, &decide);
            scope.spawn(move || {
                // A worker that panics closes the queue too, so the others stop and this
                // thread's wait for parts ends.
                let _closer = jobs.closer();
                while let Some((k, json)) = jobs.take() {
                    if sender.send((k, decide(&json, k * PART))).is_err() {
                        break;
                    }
                }
            });
        }
        // Only the workers send: once they are done (or gone), `recv` fails instead of waiting.
        drop(sender);
        let mut done: Vec<Option<std::result::Result<Part, CoreError>>> = (0..parts).map(|_| None).collect();
        let mut out: Option<Unknown> = None;
        let (mut queued, mut decoded) = (0, 0);
        loop {
            if decoded == parts {
                break Ok(out);
            }
            while let Ok((k, p)) = ready.try_recv() {
                done[k] = Some(p);
            }
            if queued < parts && (jobs.len() < threads || done[decoded].is_none()) {
                let (from, to) = (queued * PART, ((queued + 1) * PART).min(len));
                let chunk = slice.apply(cases, FnArgs::from((from as u32, to as u32)))?;
                let json = crate::stringify(env, chunk)?.unwrap_or_else(|| "[]".into());
                jobs.push((queued, json));
                queued += 1;
                continue;
            }
            if let Some(p) = done[decoded].take() {
                let p = match p {
                    Ok(p) => p,
                    Err(e) => break Err(throw(&e)),
                };
                match Encoded::from_parts(vec![p]).decode(&decode, out) {
                    Ok(array) => out = Some(array),
                    Err(e) => break Err(e),
                }
                decoded += 1;
                continue;
            }
            if let Some((k, json)) = jobs.try_take() {
                done[k] = Some(decide(&json, k * PART));
                continue;
            }
            match ready.recv() {
                Ok((k, p)) => done[k] = Some(p),
                // A worker panicked: the scope re-raises its panic when it ends.
                Err(_) => break Ok(out),
            }
        }
    })
    .and_then(|out| match out {
        Some(array) => Ok(array),
        None => Encoded::from_parts(Vec::new()).decode(&decode, None),
    })
}

/// `evaluateRefundBatchAsync`, off the main thread: the decisions in the compact form, the
/// parts of a large batch decided on scoped threads.
pub fn batch(engine: &Engine, cases_json: &str, explain: bool) -> std::result::Result<Encoded, CoreError> {
    let cases: Vec<&RawValue> = serde_json::from_str(cases_json).map_err(|_| not_an_array())?;
    let threads = threads(cases.len(), CASES_PER_THREAD);
    if threads == 1 {
        return Ok(Encoded::from_parts(vec![part(engine, &cases, 0, explain)]));
    }
    let size = cases.len().div_ceil(threads);
    let parts = std::thread::scope(|scope| {
        let workers: Vec<_> = cases
            .chunks(size)
            .enumerate()
            .skip(1)
            .map(|(k, chunk)| scope.spawn(move || part(engine, chunk, k * size, explain)))
            .collect();
        let mut parts = vec![part(engine, &cases[..size], 0, explain)];
        for w in workers {
            // A panic in a worker is one in this call, as it would be without threads.
            parts.push(w.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
        }
        parts
    });
    Ok(Encoded::from_parts(parts))
}

/// One part of a batch: `cases` from index `first` on.
fn part(engine: &Engine, cases: &[&RawValue], first: usize, explain: bool) -> Part {
    let decisions: Vec<_> = cases
        .iter()
        .map(|raw| read_case(raw.get()).and_then(|case| engine.evaluate_refund_with(&case, explain)))
        .collect();
    // The encoder borrows the decisions: it knows the strings they hold by address.
    let mut enc = Encoder::new(cases.len(), explain);
    enc.count(cases.len());
    for (i, decision) in decisions.iter().enumerate() {
        match decision {
            Ok(d) => enc.decision(d),
            Err(e) => enc.error(first + i, e),
        }
    }
    enc.finish()
}

/// Decisions in the compact form, ready to cross to JavaScript: `FORMAT`, the number of parts,
/// then each part's numbers (the number of its entries, then the entries); the table is a
/// JSON array of the parts' tables.
pub struct Encoded {
    numbers: Vec<i32>,
    table: String,
}

impl Encoded {
    fn from_parts(parts: Vec<Part>) -> Encoded {
        let (numbers, table) = compact::join(FORMAT, parts);
        Encoded { numbers, table }
    }

    /// The JS array of decisions, built by the decoder.
    pub fn into_js(self, env: &Env) -> Result<Unknown<'_>> {
        let decode = decoder(env)?;
        self.decode(&decode, None)
    }

    /// The decisions appended to `out` (a new array when `None`).
    fn decode<'env>(self, decode: &DecodeFn<'env>, out: Option<Unknown<'env>>) -> Result<Unknown<'env>> {
        decode.call(FnArgs::from((Int32Array::new(self.numbers), self.table, out)))
    }
}

/// `decodeRefundBatch(numbers, tables, out?)`.
type DecodeFn<'env> = Function<'env, FnArgs<(Int32Array, String, Option<Unknown<'env>>)>, Unknown<'env>>;

/// The decoder of this Node environment.
fn decoder(env: &Env) -> Result<DecodeFn<'_>> {
    crate::scripts::function(env, crate::scripts::Script::Refund)
}

/// Writes decisions as numbers and indices into the string table; null is `-1`.
///
/// A string goes into the table once when it is known by address (`key`: a string that lives
/// as long as the encoder, `'k`, borrowed from the decisions or `'static`, so that no address
/// is reused meanwhile), by content (`name`: a few distinct values such as currency codes and
/// legal sources), or by value (amounts, instants); other strings (messages, the case's own
/// values) are written as they come (`text`).
struct Encoder<'k> {
    /// Whether messages are rendered.
    explain: bool,
    numbers: Vec<i32>,
    /// The table as JSON text: `[` and the strings so far.
    table: Vec<u8>,
    len: i32,
    by_address: FxHashMap<(usize, usize), i32>,
    by_content: FxHashMap<Box<str>, i32>,
    amounts: FxHashMap<Money, i32>,
    instants: FxHashMap<Timestamp, i32>,
    borrowed: PhantomData<&'k str>,
}

/// The table index of `""`, written first.
const EMPTY: i32 = 0;

impl<'k> Encoder<'k> {
    fn new(cases: usize, explain: bool) -> Encoder<'k> {
        let mut table = Vec::with_capacity(4096 + cases * 24);
        table.extend_from_slice(b"[\"\"");
        Encoder {
            explain,
            numbers: Vec::with_capacity(1 + cases * 96),
            table,
            len: 1,
            by_address: FxHashMap::default(),
            by_content: FxHashMap::default(),
            amounts: FxHashMap::default(),
            instants: FxHashMap::default(),
            borrowed: PhantomData,
        }
    }

    fn num(&mut self, n: i32) {
        self.numbers.push(n);
    }

    /// A length or an index, which the core bounds far below `i32::MAX`.
    fn count(&mut self, n: usize) {
        self.numbers.push(i32::try_from(n).unwrap_or(i32::MAX));
    }

    fn flag(&mut self, b: bool) {
        self.numbers.push(i32::from(b));
    }

    /// A string written as it comes.
    fn text(&mut self, s: &str) {
        let i = if s.is_empty() { EMPTY } else { self.push(s) };
        self.numbers.push(i);
    }

    /// A string known by its address (alive and unchanged until `finish`).
    fn key(&mut self, s: &'k str) {
        let i = if s.is_empty() {
            EMPTY
        } else {
            match self.by_address.get(&(s.as_ptr() as usize, s.len())) {
                Some(i) => *i,
                None => {
                    let i = self.push(s);
                    self.by_address.insert((s.as_ptr() as usize, s.len()), i);
                    i
                }
            }
        };
        self.numbers.push(i);
    }

    fn opt_key(&mut self, s: Option<&'k str>) {
        match s {
            Some(s) => self.key(s),
            None => self.num(-1),
        }
    }

    /// A string known by its content.
    fn name(&mut self, s: &str) {
        let i = match self.by_content.get(s) {
            Some(i) => *i,
            None => {
                let i = self.push(s);
                self.by_content.insert(s.into(), i);
                i
            }
        };
        self.numbers.push(i);
    }

    fn push(&mut self, s: &str) -> i32 {
        self.table.push(b',');
        // Writing a `str` as JSON cannot fail.
        let _ = serde_json::to_writer(&mut self.table, s);
        self.len += 1;
        self.len - 1
    }

    /// An amount's decimal string.
    fn amount(&mut self, m: Money) {
        let i = match self.amounts.get(&m) {
            Some(i) => *i,
            None => {
                let i = self.push(&m.amount());
                self.amounts.insert(m, i);
                i
            }
        };
        self.numbers.push(i);
    }

    /// An instant, as RFC 3339 in UTC.
    fn instant(&mut self, t: Timestamp) {
        let i = match self.instants.get(&t) {
            Some(i) => *i,
            None => {
                let i = self.push(&t.to_string());
                self.instants.insert(t, i);
                i
            }
        };
        self.numbers.push(i);
    }

    /// `{amount, currency}` or null.
    fn money(&mut self, m: Option<Money>) {
        match m {
            Some(m) => {
                self.amount(m);
                self.name(m.currency().code());
            }
            None => self.num(-1),
        }
    }

    fn error(&mut self, index: usize, e: &'k CoreError) {
        self.num(1);
        self.key(e.kind().as_str());
        self.key(e.code());
        match e.field() {
            Some(f) => self.text(f),
            None => self.num(-1),
        }
        self.text(e.message());
        self.count(index);
    }

    /// The fields in the order of `DECISION_FIELDS`, `WINDOW_FIELDS`, `TRACE_FIELDS`,
    /// `FAILED_FIELDS` and `REASON_FIELDS`.
    fn decision(&mut self, d: &'k RefundDecision) {
        self.num(0);
        self.key(d.outcome.as_str());
        self.money(d.refund_amount);
        self.money(d.store_credit_bonus);
        self.count(d.requires.len());
        for r in &d.requires {
            self.name(r);
        }
        self.flag(d.auto_approve);
        let w = &d.return_window;
        self.num(i32::try_from(w.days).unwrap_or(i32::MAX));
        self.key(w.basis);
        self.name(w.source);
        match w.deadline {
            Some(t) => self.instant(t),
            None => self.num(-1),
        }
        self.flag(w.open);
        self.flag(w.statutory);
        self.opt_key(d.rule.as_deref());
        self.count(d.trace.len());
        for t in d.trace.iter() {
            self.key(t.rule);
            self.flag(t.matched);
            match &t.failed {
                None => self.num(0),
                Some(f) => {
                    self.num(1);
                    self.key(f.path);
                    self.opt_key(f.fact);
                    self.opt_key(f.op);
                    self.key(f.code);
                    // Messages and values may be rendered as the trace is read: written as they come.
                    match &f.actual {
                        Some(a) => self.text(a),
                        None => self.num(-1),
                    }
                    self.text(&f.message);
                }
            }
        }
        self.count(d.reasons.len());
        for r in &d.reasons {
            self.key(r.code);
            self.count(r.params.0.len());
            for (key, value) in &r.params.0 {
                self.key(key);
                self.param(value);
            }
            // The core renders a reason's message on demand; without explanations it is empty.
            if self.explain {
                self.text(&r.message());
            } else {
                self.num(EMPTY);
            }
        }
    }

    /// A parameter: `0` and a table index for a string, `1` and the number for an integer
    /// that fits 32 bits, `3` false, `4` true, `5` null, `2` and the JSON text of any other
    /// value (a larger integer, or a kind of parameter added later).
    fn param(&mut self, p: &Param) {
        match p {
            Param::Text(t) => {
                self.num(0);
                self.name(t);
            }
            Param::Int(n) if i32::try_from(*n).is_ok() => {
                self.num(1);
                self.num(*n as i32);
            }
            Param::Money(m) => {
                self.num(0);
                self.amount(*m);
            }
            Param::Time(t) => {
                self.num(0);
                self.instant(*t);
            }
            Param::Bool(b) => self.num(if *b { 4 } else { 3 }),
            Param::Null => self.num(5),
            other => match camel::to_json(other) {
                Ok(json) => {
                    self.num(2);
                    self.text(&json);
                }
                Err(_) => self.num(5),
            },
        }
    }

    fn finish(mut self) -> Part {
        self.table.push(b']');
        // serde_json writes valid UTF-8, and `[`, `,`, `]` and `""` are ASCII.
        let table =
            String::from_utf8(self.table).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        Part { numbers: self.numbers, table }
    }
}

/// The start of the error message of a field given twice.
const DUPLICATE: &str = "aftersales: duplicate field";

/// A JSON document read with its object keys in snake_case (`placedAt` → `placed_at`), as
/// `camel::snake_keys` would make them, in one pass; a key given twice (as `placedAt` and
/// `placed_at`) is an error starting with `DUPLICATE`.
struct SnakeValue;

/// A document read as it is (inside an inline calendar, as in `camel::snake_keys`).
struct PlainValue;

impl<'de> DeserializeSeed<'de> for PlainValue {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Value, D::Error> {
        serde::Deserialize::deserialize(d)
    }
}

impl<'de> DeserializeSeed<'de> for SnakeValue {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Value, D::Error> {
        d.deserialize_any(SnakeVisitor)
    }
}

struct SnakeVisitor;

impl<'de> Visitor<'de> for SnakeVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> std::result::Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> std::result::Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> std::result::Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_f64<E>(self, v: f64) -> std::result::Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> std::result::Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> std::result::Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> std::result::Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> std::result::Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Value, D::Error> {
        SnakeValue.deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(v) = seq.next_element_seed(SnakeValue)? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key_seed(SnakeKey)? {
            let value = if camel::VERBATIM.contains(&key.as_str()) {
                map.next_value_seed(PlainValue)?
            } else {
                map.next_value_seed(SnakeValue)?
            };
            if out.insert(key, value).is_some() {
                return Err(de::Error::custom(DUPLICATE));
            }
        }
        Ok(Value::Object(out))
    }
}

/// An object key, in snake_case.
struct SnakeKey;

impl<'de> DeserializeSeed<'de> for SnakeKey {
    type Value = String;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<String, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for SnakeKey {
    type Value = String;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_str<E>(self, v: &str) -> std::result::Result<String, E> {
        Ok(match camel::snake(v) {
            Cow::Borrowed(s) => s.to_owned(),
            Cow::Owned(s) => s,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Field names as the encoder writes them, in order (see `Encoder::decision`).
    const DECISION_FIELDS: [&str; 9] = [
        "outcome",
        "refund_amount",
        "store_credit_bonus",
        "requires",
        "auto_approve",
        "return_window",
        "rule",
        "trace",
        "reasons",
    ];
    const WINDOW_FIELDS: [&str; 6] = ["days", "basis", "source", "deadline", "open", "statutory"];
    const TRACE_FIELDS: [&str; 3] = ["rule", "matched", "failed"];
    const FAILED_FIELDS: [&str; 6] = ["path", "fact", "op", "code", "actual", "message"];
    const REASON_FIELDS: [&str; 3] = ["code", "params", "message"];

    fn keys(v: &Value) -> Vec<&str> {
        v.as_object().expect("an object").keys().map(String::as_str).collect()
    }

    fn sorted<const N: usize>(mut names: [&'static str; N]) -> Vec<&'static str> {
        names.sort_unstable();
        names.to_vec()
    }

    /// The core serialises exactly the fields the encoder writes (serde_json's map is sorted).
    #[test]
    fn the_encoder_knows_every_field_of_a_decision() {
        let case = RefundCase::from_value(&json!({
            "now": "2026-11-20T10:00:00Z", "complaint": "size_fit", "destination_country": "DE",
            "order": {"placed_at": "2026-11-01T09:00:00Z", "delivered_at": "2026-11-04T15:00:00Z",
                      "total": {"amount": "64.90", "currency": "EUR"}, "shipping_paid": {"amount": "4.90", "currency": "EUR"}},
            "item": {"price": {"amount": "60.00", "currency": "EUR"}},
            "return_shipping_cost": {"amount": "6.50", "currency": "EUR"}
        }))
        .unwrap();
        let d = Engine::new().evaluate_refund(&case).unwrap();
        let v = serde_json::to_value(&d).unwrap();
        assert_eq!(keys(&v), sorted(DECISION_FIELDS));
        assert_eq!(keys(&v["return_window"]), sorted(WINDOW_FIELDS));
        let failed = v["trace"].as_array().unwrap().iter().find(|t| !t["failed"].is_null()).unwrap();
        assert_eq!(keys(failed), sorted(TRACE_FIELDS));
        assert_eq!(keys(&failed["failed"]), sorted(FAILED_FIELDS));
        assert_eq!(keys(&v["reasons"][0]), sorted(REASON_FIELDS));
        assert_eq!(keys(&v["refund_amount"]), ["amount", "currency"]);
    }

    /// `Params` serialises as a map: its keys are data, and stay snake_case through `camel`
    /// (the JSON of `evaluateRefund`); the encoder writes them as they are too.
    #[test]
    fn params_keys_stay_snake_case() {
        let params =
            aftersales::Params(vec![("days_left", Param::Int(3)), ("return_shipping", Param::Text("x".into()))]);
        assert_eq!(camel::to_json(&params).unwrap(), r#"{"days_left":3,"return_shipping":"x"}"#);
        let mut enc = Encoder::new(1, true);
        for (key, value) in &params.0 {
            enc.key(key);
            enc.param(value);
        }
        let out = enc.finish();
        assert_eq!(out.numbers, [1, 1, 3, 2, 0, 3]);
        assert_eq!(out.table, r#"["","days_left","return_shipping","x"]"#);
    }

    #[test]
    fn cases_are_read_with_snake_case_keys_in_one_pass() {
        let doc = json!({
            "placedAt": "x", "refundsLast365d": [{"abuseFlag": 1.5, "n": null}],
            "calendar": {"time_zone": "UTC", "oddKey": true}, "already_snake": -3
        });
        let read = SnakeValue.deserialize(&mut serde_json::Deserializer::from_str(&doc.to_string())).unwrap();
        assert_eq!(read, camel::snake_keys(doc).unwrap());
    }

    #[test]
    fn a_field_given_twice_is_named() {
        let json = r#"{"now": "2026-11-20T10:00:00Z", "order": {"placedAt": "x", "placed_at": "y"}}"#;
        let err = read_case(json).unwrap_err();
        assert_eq!(err.field(), Some("order.placed_at"));
        assert!(err.message().contains("given twice"), "{}", err.message());
    }

    #[test]
    fn strings_the_policy_repeats_are_written_once() {
        let path: &'static str = "refund.rules[0].conditions";
        let mut enc = Encoder::new(1, true);
        enc.key(path);
        enc.text("a \"message\"");
        enc.key(path);
        enc.name("EUR");
        enc.name(&String::from("EUR"));
        enc.text("");
        enc.key("");
        let eur = Money::parse("12.5", "EUR").unwrap();
        enc.amount(eur);
        enc.amount(Money::parse("12.50", "EUR").unwrap());
        let out = enc.finish();
        assert_eq!(out.numbers, [1, 2, 1, 3, 3, 0, 0, 4, 4]);
        assert_eq!(out.table, r#"["","refund.rules[0].conditions","a \"message\"","EUR","12.50"]"#);
    }
}
