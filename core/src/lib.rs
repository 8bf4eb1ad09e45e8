//! After-sales service logic for shops and ERPs that sell across borders.
//!
//! One immutable [`Engine`], built once from a policy, answers the questions a seller asks about
//! every customer message: what is it about, in which language, how angry, which order. It is
//! pure logic: no I/O, no network, no clock, no global state; every call is deterministic.
//!
//! ```
//! use aftersales::{Category, Engine, Language};
//!
//! let engine = Engine::new(); // the embedded default policy
//! let c = engine.classify("وصلني الطرد والكرتونة مفعوصة والجهاز مكسور. أريد استرداد المبلغ")?;
//! assert_eq!(c.language, Language::AR);
//! assert_eq!(c.primary, Category::Damaged);
//! assert!(c.categories.iter().any(|s| s.category == Category::RefundRequest));
//! # Ok::<(), aftersales::Error>(())
//! ```
//!
//! # Design notes
//!
//! - **Classification** matches the built-in lexicons of seventeen languages (plus the policy's
//!   phrases) over a normalised copy of the text (case, width, diacritics, traditional Chinese
//!   folded), keeping a map back to the caller's offsets: an Aho-Corasick automaton finds the
//!   phrases of scripts written without spaces, a trie walked from each word start finds the
//!   rest. It explains itself with evidence spans and the terms it saw negated. No training
//!   data is needed, so it works on a shop's first message; its quality is the lexicons'.
//! - **Compiled once per process**: the built-in lexicons, language model and patterns do not
//!   depend on the policy, so the first `Engine` of a process compiles them (about 40 ms) and
//!   every later one only compiles its policy's own phrases (microseconds).
//! - **Priority** ([`Engine::score_priority`]) is a sum of whole points per factor, weights from
//!   the policy, with one reason per factor that adds up to the score exactly (a `clamp` reason
//!   keeps it within 0..100).
//! - **Time**: [`BusinessCalendar`]s (IANA zone, weekly intervals, holidays, overrides) are
//!   compiled once; business time is walked interval by interval in local time through the tz
//!   database, skipping regular weeks arithmetically. [`Engine::sla`] replays a ticket's event
//!   log into running segments per metric and measures them on the metric's clock. `now` is
//!   always an argument: nothing reads the system clock.
//! - **Refunds** ([`Engine::evaluate_refund`]): the policy's rules are compiled into typed
//!   conditions (mistakes are load errors naming the rule); the first matching rule decides, then
//!   the destination's statutory rights apply as a floor no rule can remove. Money is exact in
//!   minor units; explanations are rendered from codes and params when read.
//! - **Policies** are JSON (or TOML) documents merged onto the embedded default with RFC 7386
//!   semantics and validated completely at load: errors name the JSON path.
//! - **Requests** are read field by field, each mistake named by its path, from a
//!   `serde_json::Value` or from [`Documents`]: a flat buffer a binding writes its own objects
//!   into (a Python dict is walked once), so that a batch reads its cases without allocating a
//!   map and a string per field. Both sources go through the same reader, so the checks and
//!   errors are the same (a property test holds them to it).
//! - **Errors** are one type, [`Error`], with a stable [`ErrorKind`] and a field path; the Python
//!   and Node bindings carry both.
//! - **Offsets** come in the caller's unit ([`OffsetUnit`]): bytes for Rust, code points for
//!   Python, UTF-16 units for JavaScript.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod calendar;
mod classify;
mod currency;
mod document;
mod domain;
mod engine;
mod error;
mod geo;
mod money;
mod policy;
mod priority;
mod refund;
mod request;
mod schedule;
mod sla;
mod text;
mod time;
mod triage;

pub use calendar::BusinessCalendar;
pub use classify::{
    CategoryScore, Classification, ClassifyRequest, EmailAddress, Entities, Escalation, Evidence, MoneyAmount,
    NegatedTerm, OrderId, TrackingNumber,
};
pub use currency::Currency;
pub use document::{DocumentNode, Documents};
pub use domain::{Category, EscalationSignal, Language, Sentiment, TextField};
pub use engine::{Engine, EngineInfo};
pub use error::{Error, ErrorKind};
pub use geo::Country;
pub use money::Money;
pub use priority::{Priority, PriorityReason, PriorityRequest};
pub use refund::{
    FailedCondition, Param, Params, RefundCase, RefundDecision, RefundOutcome, RefundReason, ReturnWindow, RuleTrace,
};
pub use schedule::{ReplyCustomer, ReplyDecision, ReplyPlan, ReplyReason, ReplyRequest, ReplyWindow, TimeZoneSource};
pub use sla::{
    CalendarChoice, MetricStatus, SlaEvent, SlaEventKind, SlaMetric, SlaMetricKind, SlaReport, SlaRequest, TicketStatus,
};
pub use text::{OffsetUnit, Script};
pub use time::Timestamp;
pub use triage::{Ticket, Triage};

// The README's Rust examples run as doctests, so the README cannot drift from the code.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
