//! SLA computation: first reply, next reply and resolution, as a pure function of a ticket's
//! event log, on business or calendar time.
//!
//! Design: the event log is replayed once into running segments per metric (a metric runs,
//! pauses, completes); each metric's clock (business seconds of a calendar, or plain seconds)
//! then measures the segments, and the due instant is found by adding the time left to the
//! point where the clock stands (or, for a breach, to the start of the segment in which the
//! target ran out). Nothing is sampled, so the cost depends on the number of events, not on
//! how long the ticket has been open.

use std::collections::BTreeMap;

use serde::{Serialize, Serializer};
use serde_json::Value;

use crate::calendar::BusinessCalendar;
use crate::error::Error;
use crate::request::{Fields, index, join, type_name};
use crate::time::{PolicyDuration, Timestamp};

/// The most events one SLA request may carry.
pub(crate) const MAX_EVENTS: usize = 10_000;

/// The metrics, as the major help desks define them.
///
/// # Example
///
/// ```
/// assert_eq!(aftersales::SlaMetricKind::NextReply.as_str(), "next_reply");
/// ```
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SlaMetricKind {
    /// From creation to the first agent reply.
    FirstReply,
    /// From the earliest unanswered customer reply (after the first agent reply) to the next agent reply.
    NextReply,
    /// From creation to solved or closed, paused while waiting on the customer.
    Resolution,
}

impl SlaMetricKind {
    /// All three, in reporting order.
    pub const ALL: [SlaMetricKind; 3] =
        [SlaMetricKind::FirstReply, SlaMetricKind::NextReply, SlaMetricKind::Resolution];

    /// The snake_case name.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(aftersales::SlaMetricKind::FirstReply.as_str(), "first_reply");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            SlaMetricKind::FirstReply => "first_reply",
            SlaMetricKind::NextReply => "next_reply",
            SlaMetricKind::Resolution => "resolution",
        }
    }

    fn from_name(name: &str) -> Option<SlaMetricKind> {
        SlaMetricKind::ALL.into_iter().find(|m| m.as_str() == name)
    }
}

impl Serialize for SlaMetricKind {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Where a metric stands.
///
/// # Example
///
/// ```
/// assert_eq!(aftersales::MetricStatus::Breached.as_str(), "breached");
/// ```
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MetricStatus {
    /// The clock runs; `due_at` is when the target runs out if nothing happens.
    Active,
    /// The clock is stopped (waiting on the customer, or solved); no `due_at`.
    Paused,
    /// Met within the target.
    Achieved,
    /// The target ran out, whether the metric was met late or not yet.
    Breached,
}

impl MetricStatus {
    /// The snake_case name.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(aftersales::MetricStatus::Active.as_str(), "active");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            MetricStatus::Active => "active",
            MetricStatus::Paused => "paused",
            MetricStatus::Achieved => "achieved",
            MetricStatus::Breached => "breached",
        }
    }
}

impl Serialize for MetricStatus {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A ticket's status, as set by `status` events.
///
/// # Example
///
/// ```
/// assert_eq!(aftersales::TicketStatus::OnHold.as_str(), "on_hold");
/// ```
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TicketStatus {
    /// Being worked on.
    Open,
    /// Waiting on the customer.
    Pending,
    /// Waiting on a third party (carrier, supplier).
    OnHold,
    /// Solved; a customer reply reopens it.
    Solved,
    /// Closed for good; later events are ignored.
    Closed,
}

impl TicketStatus {
    const ALL: [TicketStatus; 5] =
        [TicketStatus::Open, TicketStatus::Pending, TicketStatus::OnHold, TicketStatus::Solved, TicketStatus::Closed];

    /// The snake_case name.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(aftersales::TicketStatus::Pending.as_str(), "pending");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            TicketStatus::Open => "open",
            TicketStatus::Pending => "pending",
            TicketStatus::OnHold => "on_hold",
            TicketStatus::Solved => "solved",
            TicketStatus::Closed => "closed",
        }
    }

    fn from_name(name: &str) -> Option<TicketStatus> {
        TicketStatus::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

/// What happened on a ticket.
///
/// # Example
///
/// ```
/// use aftersales::{SlaEvent, SlaEventKind, TicketStatus};
///
/// let e = SlaEvent::new("2026-11-23T10:00:00Z".parse()?, SlaEventKind::Status(TicketStatus::Pending));
/// assert_eq!(e.kind, SlaEventKind::Status(TicketStatus::Pending));
/// # Ok::<(), aftersales::Error>(())
/// ```
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SlaEventKind {
    /// A public reply from the team.
    AgentReply,
    /// A reply from the customer.
    CustomerReply,
    /// A status change.
    Status(TicketStatus),
}

/// One event of a ticket's log.
///
/// # Example
///
/// ```
/// use aftersales::{SlaEvent, SlaEventKind};
///
/// let e = SlaEvent::new("2026-11-23T10:00:00+01:00".parse()?, SlaEventKind::CustomerReply);
/// assert_eq!(e.at.to_string(), "2026-11-23T09:00:00Z");
/// # Ok::<(), aftersales::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SlaEvent {
    /// When it happened.
    pub at: Timestamp,
    /// What happened.
    pub kind: SlaEventKind,
}

impl SlaEvent {
    /// An event.
    ///
    /// # Example
    ///
    /// ```
    /// use aftersales::{SlaEvent, SlaEventKind};
    ///
    /// let e = SlaEvent::new("2026-11-23T10:00:00Z".parse()?, SlaEventKind::AgentReply);
    /// assert_eq!(e.at.to_string(), "2026-11-23T10:00:00Z");
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn new(at: Timestamp, kind: SlaEventKind) -> SlaEvent {
        SlaEvent { at, kind }
    }
}

/// A calendar chosen for a request: a policy calendar's name, or a compiled calendar.
///
/// # Example
///
/// ```
/// use aftersales::CalendarChoice;
///
/// let by_name = CalendarChoice::from("cn_support");
/// assert!(matches!(by_name, CalendarChoice::Named(ref n) if n == "cn_support"));
/// ```
#[non_exhaustive]
#[derive(Clone, Debug)]
pub enum CalendarChoice {
    /// A calendar of the policy, by name.
    Named(String),
    /// A compiled calendar (from [`Engine::calendar`](crate::Engine::calendar) or inline).
    Calendar(BusinessCalendar),
}

impl From<&str> for CalendarChoice {
    fn from(name: &str) -> CalendarChoice {
        CalendarChoice::Named(name.to_string())
    }
}

impl From<BusinessCalendar> for CalendarChoice {
    fn from(c: BusinessCalendar) -> CalendarChoice {
        CalendarChoice::Calendar(c)
    }
}

/// The facts an SLA is computed from.
///
/// # Example
///
/// ```
/// use aftersales::{Engine, SlaEvent, SlaEventKind, SlaRequest};
///
/// let engine = Engine::new();
/// // Created Friday 17:00 in Berlin, "high": 2 business hours to the first reply.
/// let mut request = SlaRequest::new("high", "2026-11-27T16:00:00Z".parse()?, "2026-11-27T16:30:00Z".parse()?);
/// request.events.push(SlaEvent::new("2026-11-27T16:20:00Z".parse()?, SlaEventKind::CustomerReply));
/// let sla = engine.sla(&request)?;
/// let first = &sla.metrics[0];
/// assert_eq!(first.metric.as_str(), "first_reply");
/// // 1 h left on Friday, 1 h on Monday from 09:00 local: due Monday 10:00 local.
/// assert_eq!(first.due_at.unwrap().to_string(), "2026-11-30T09:00:00Z");
/// # Ok::<(), aftersales::Error>(())
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct SlaRequest {
    /// The priority level whose targets apply.
    pub level: String,
    /// When the ticket was created.
    pub created_at: Timestamp,
    /// The instant to evaluate at.
    pub now: Timestamp,
    /// Overrides the policy's calendar for every business-time target.
    pub calendar: Option<CalendarChoice>,
    /// The ticket's events, in any order.
    pub events: Vec<SlaEvent>,
}

impl SlaRequest {
    /// A request with no events and the policy's calendars.
    ///
    /// # Example
    ///
    /// ```
    /// let r = aftersales::SlaRequest::new("urgent", "2026-11-23T08:00:00Z".parse()?, "2026-11-23T08:05:00Z".parse()?);
    /// assert!(r.events.is_empty());
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn new(level: impl Into<String>, created_at: Timestamp, now: Timestamp) -> SlaRequest {
        SlaRequest { level: level.into(), created_at, now, calendar: None, events: Vec::new() }
    }

    /// Reads a request document: `level`, `created_at`, `now`, optional `calendar` (a policy
    /// calendar's name or an inline calendar), `events` (`{at, type, status}`).
    ///
    /// # Errors
    ///
    /// `invalid_input` naming the field (`events[2].type`, `calendar.hours.mon[0]`);
    /// `unknown_time_zone` for an inline calendar's unknown zone; `limit_exceeded` for more than
    /// 10,000 events.
    ///
    /// # Example
    ///
    /// ```
    /// use serde_json::json;
    ///
    /// let r = aftersales::SlaRequest::from_value(&json!({
    ///     "level": "normal", "created_at": "2026-11-23T08:00:00Z", "now": "2026-11-23T12:00:00+01:00",
    ///     "events": [{"at": "2026-11-23T09:00:00Z", "type": "status", "status": "pending"}]
    /// }))?;
    /// assert_eq!(r.events.len(), 1);
    /// let err = aftersales::SlaRequest::from_value(&json!({
    ///     "level": "normal", "created_at": "2026-11-23T08:00:00Z", "now": "2026-11-23T09:00:00Z",
    ///     "events": [{"at": "2026-11-23T08:30:00Z", "type": "reply"}]
    /// })).unwrap_err();
    /// assert_eq!(err.field(), Some("events[0].type"));
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn from_value(value: &Value) -> Result<SlaRequest, Error> {
        let f = Fields::new(value, "", &["level", "created_at", "now", "calendar", "events"])?;
        let mut r = SlaRequest::new(
            f.required_str("level")?,
            f.required_timestamp("created_at")?,
            f.required_timestamp("now")?,
        );
        r.calendar = read_calendar_choice(f.get("calendar"), &f.at("calendar"))?;
        r.events = read_events(&f)?;
        Ok(r)
    }
}

/// The `events` of a ticket document (at most [`MAX_EVENTS`]).
pub(crate) fn read_events(f: &Fields<'_, '_>) -> Result<Vec<SlaEvent>, Error> {
    let events: Vec<&Value> = f.array("events")?.collect();
    if events.len() > MAX_EVENTS {
        return Err(Error::limit_exceeded(
            f.at("events"),
            format!("at most {MAX_EVENTS} events, got {}", events.len()),
        ));
    }
    let mut out = Vec::with_capacity(events.len());
    for (i, e) in events.into_iter().enumerate() {
        let path = index(&f.at("events"), i);
        let ef = Fields::new(e, &path, &["at", "type", "status", "id", "author", "note"])?;
        let at = ef.required_timestamp("at")?;
        let kind = match ef.required_str("type")? {
            "agent_reply" => SlaEventKind::AgentReply,
            "customer_reply" => SlaEventKind::CustomerReply,
            "status" => {
                let name = ef.required_str("status")?;
                SlaEventKind::Status(TicketStatus::from_name(name).ok_or_else(|| {
                    Error::invalid_input(
                        join(&path, "status"),
                        format!("unknown status {name:?}; use open, pending, on_hold, solved or closed"),
                    )
                })?)
            }
            other => {
                return Err(Error::invalid_input(
                    join(&path, "type"),
                    format!("unknown event type {other:?}; use agent_reply, customer_reply or status"),
                ));
            }
        };
        out.push(SlaEvent { at, kind });
    }
    Ok(out)
}

/// A calendar given by name or inline.
pub(crate) fn read_calendar_choice(value: Option<&Value>, path: &str) -> Result<Option<CalendarChoice>, Error> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(name)) => Ok(Some(CalendarChoice::Named(name.clone()))),
        Some(doc @ Value::Object(_)) => Ok(Some(CalendarChoice::Calendar(BusinessCalendar::from_request(doc, path)?))),
        Some(other) => Err(Error::invalid_input(
            path,
            format!("expected a calendar name or an inline calendar object, got {}", type_name(other)),
        )),
    }
}

/// The SLA of a ticket at `now`.
///
/// # Example
///
/// ```
/// use aftersales::{Engine, SlaRequest};
///
/// let sla = Engine::new().sla(&SlaRequest::new(
///     "urgent", "2026-11-23T08:00:00Z".parse()?, "2026-11-23T10:00:00Z".parse()?,
/// ))?;
/// // Urgent: 1 business hour to the first reply, gone at 09:00 UTC.
/// assert!(sla.breached);
/// assert_eq!(sla.metrics[0].breached_by_seconds, 3600);
/// # Ok::<(), aftersales::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct SlaReport {
    /// `first_reply`, `next_reply` (once a customer has written after the first reply) and
    /// `resolution`, as far as the level has targets for them.
    pub metrics: Vec<SlaMetric>,
    /// The earliest `due_at` among active metrics.
    pub next_deadline: Option<Timestamp>,
    /// Whether any metric is breached.
    pub breached: bool,
}

/// One metric of an SLA.
///
/// # Example
///
/// ```
/// use aftersales::{Engine, MetricStatus, SlaRequest};
///
/// let r = SlaRequest::new("high", "2026-11-23T08:00:00Z".parse()?, "2026-11-23T09:00:00Z".parse()?);
/// let first = &Engine::new().sla(&r)?.metrics[0];
/// assert_eq!((first.status, first.elapsed_seconds, first.remaining_seconds), (MetricStatus::Active, 3600, 3600));
/// # Ok::<(), aftersales::Error>(())
/// ```
///
/// Seconds are on the metric's own clock: business seconds for a business-time target.
/// `elapsed_seconds + remaining_seconds == target_seconds` until the target runs out; after
/// that `remaining_seconds` is 0 and `breached_by_seconds` counts past it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct SlaMetric {
    /// Which metric.
    pub metric: SlaMetricKind,
    /// The target.
    pub target_seconds: i64,
    /// Whether the target counts business time.
    pub business_hours: bool,
    /// The calendar's name for business time (null for calendar time or an inline calendar).
    pub calendar: Option<String>,
    /// Where it stands.
    pub status: MetricStatus,
    /// When the target runs (or ran) out; null while paused.
    pub due_at: Option<Timestamp>,
    /// When the metric was met (also when late).
    pub achieved_at: Option<Timestamp>,
    /// Time counted so far.
    pub elapsed_seconds: i64,
    /// Time left, never negative.
    pub remaining_seconds: i64,
    /// Time past the target, never negative.
    pub breached_by_seconds: i64,
    /// For `next_reply`: how many reply cycles breached their target (null for other metrics).
    pub breach_count: Option<u32>,
}

/// A target of the policy: seconds on a clock.
#[derive(Clone, Debug)]
struct Target {
    seconds: i64,
    /// `None`: calendar time.
    calendar: Option<(String, BusinessCalendar)>,
}

/// The `sla` section of the policy, compiled.
#[derive(Debug)]
pub(crate) struct SlaPolicy {
    pause_on_hold: bool,
    pause_on_pending: bool,
    targets: BTreeMap<String, [Option<Target>; 3]>,
}

impl SlaPolicy {
    pub(crate) fn compile(
        doc: &Value,
        calendars: &BTreeMap<String, BusinessCalendar>,
        levels: &[&str],
    ) -> Result<SlaPolicy, Error> {
        let Value::Object(map) = doc else {
            return Err(Error::invalid_policy(
                "sla",
                "expected an object with calendar, business_hours, pause_on, targets",
            ));
        };
        if let Some(k) = map
            .keys()
            .find(|k| !["calendar", "business_hours", "pause_on", "targets", "description"].contains(&k.as_str()))
        {
            return Err(Error::invalid_policy(join("sla", k), format!("unknown field {k:?}")));
        }
        let calendar_at = |v: Option<&Value>, path: &str| -> Result<(String, BusinessCalendar), Error> {
            match v {
                Some(Value::String(name)) => calendars.get(name).map(|c| (name.clone(), c.clone())).ok_or_else(|| {
                    let known: Vec<&str> = calendars.keys().map(String::as_str).collect();
                    Error::invalid_policy(
                        path,
                        format!("unknown calendar {name:?}; the policy has: {}", known.join(", ")),
                    )
                }),
                _ => Err(Error::invalid_policy(path, "the name of a calendar under `calendars`")),
            }
        };
        let default_calendar = calendar_at(map.get("calendar"), "sla.calendar")?;
        let default_business = match map.get("business_hours") {
            None => true,
            Some(Value::Bool(b)) => *b,
            Some(_) => return Err(Error::invalid_policy("sla.business_hours", "true or false")),
        };
        let (mut pause_on_pending, mut pause_on_hold) = (false, false);
        match map.get("pause_on") {
            None => pause_on_pending = true,
            Some(Value::Array(items)) => {
                for (i, s) in items.iter().enumerate() {
                    match s.as_str() {
                        Some("pending") => pause_on_pending = true,
                        Some("on_hold") => pause_on_hold = true,
                        _ => {
                            return Err(Error::invalid_policy(
                                index("sla.pause_on", i),
                                "resolution pauses on \"pending\" and/or \"on_hold\" (it always stops while solved)",
                            ));
                        }
                    }
                }
            }
            Some(_) => {
                return Err(Error::invalid_policy("sla.pause_on", "a list of statuses: [\"pending\", \"on_hold\"]"));
            }
        }
        let Some(Value::Object(targets_doc)) = map.get("targets") else {
            return Err(Error::invalid_policy("sla.targets", "an object of targets per priority level"));
        };
        let mut targets = BTreeMap::new();
        for (level, metrics) in targets_doc {
            let level_at = join("sla.targets", level);
            if !levels.contains(&level.as_str()) {
                return Err(Error::invalid_policy(
                    level_at,
                    format!("unknown priority level {level:?}; priority.levels has: {}", levels.join(", ")),
                ));
            }
            let Value::Object(metrics) = metrics else {
                return Err(Error::invalid_policy(level_at, "an object of targets per metric"));
            };
            let mut row: [Option<Target>; 3] = Default::default();
            for (metric, spec) in metrics {
                let at = join(&level_at, metric);
                let Some(kind) = SlaMetricKind::from_name(metric) else {
                    return Err(Error::invalid_policy(at, "unknown metric; use first_reply, next_reply, resolution"));
                };
                let (duration_value, duration_at, business, calendar) = match spec {
                    Value::Object(o) => {
                        if let Some(k) =
                            o.keys().find(|k| !["target", "business_hours", "calendar"].contains(&k.as_str()))
                        {
                            return Err(Error::invalid_policy(
                                join(&at, k),
                                "unknown field; expected target, business_hours, calendar",
                            ));
                        }
                        let business = match o.get("business_hours") {
                            None => default_business,
                            Some(Value::Bool(b)) => *b,
                            Some(_) => return Err(Error::invalid_policy(join(&at, "business_hours"), "true or false")),
                        };
                        let calendar = match o.get("calendar") {
                            None => default_calendar.clone(),
                            v => calendar_at(v, &join(&at, "calendar"))?,
                        };
                        (o.get("target").unwrap_or(&Value::Null), join(&at, "target"), business, calendar)
                    }
                    v => (v, at.clone(), default_business, default_calendar.clone()),
                };
                let d = PolicyDuration::parse(duration_value, &duration_at)?;
                if business && d.has_days {
                    return Err(Error::invalid_policy(
                        duration_at,
                        "a business-time target is written in hours and minutes (\"40h\"); days (\"d\") are only for calendar-time targets",
                    ));
                }
                row[kind as usize] = Some(Target { seconds: d.seconds, calendar: business.then_some(calendar) });
            }
            targets.insert(level.clone(), row);
        }
        if let Some(level) = levels.iter().find(|l| !targets.contains_key(**l)) {
            return Err(Error::invalid_policy(
                join("sla.targets", level),
                "missing: every priority level needs its SLA targets",
            ));
        }
        Ok(SlaPolicy { pause_on_hold, pause_on_pending, targets })
    }

    /// Computes the SLA; `resolve` finds a policy calendar by name.
    pub(crate) fn compute(
        &self,
        r: &SlaRequest,
        resolve: impl Fn(&str) -> Option<BusinessCalendar>,
    ) -> Result<SlaReport, Error> {
        let Some(row) = self.targets.get(&r.level) else {
            let known: Vec<&str> = self.targets.keys().map(String::as_str).collect();
            return Err(Error::invalid_input(
                "level",
                format!("unknown priority level {:?}; the policy has: {}", r.level, known.join(", ")),
            ));
        };
        if r.now < r.created_at {
            return Err(Error::invalid_input("now", format!("{} is before created_at {}", r.now, r.created_at)));
        }
        if r.now.unix_millis() - r.created_at.unix_millis() > crate::time::MAX_DURATION_SECONDS * 1000 {
            return Err(Error::limit_exceeded("now", "a ticket may be at most 100 years old"));
        }
        if r.events.len() > MAX_EVENTS {
            return Err(Error::limit_exceeded(
                "events",
                format!("at most {MAX_EVENTS} events, got {}", r.events.len()),
            ));
        }
        for (i, e) in r.events.iter().enumerate() {
            if e.at < r.created_at || e.at > r.now {
                return Err(Error::invalid_input(
                    join(&index("events", i), "at"),
                    format!("{} is outside the ticket's life so far ({} to now {})", e.at, r.created_at, r.now),
                ));
            }
        }
        let override_calendar = match &r.calendar {
            None => None,
            Some(CalendarChoice::Calendar(c)) => Some((c.name().map(str::to_string), c.clone())),
            Some(CalendarChoice::Named(name)) => match resolve(name) {
                Some(c) => Some((Some(name.clone()), c)),
                None => return Err(Error::invalid_input("calendar", format!("unknown calendar {name:?}"))),
            },
        };

        let timeline = Timeline::replay(r, self.pause_on_pending, self.pause_on_hold);
        let mut metrics = Vec::with_capacity(3);
        for kind in SlaMetricKind::ALL {
            let Some(target) = &row[kind as usize] else { continue };
            let (clock, calendar) = match (&target.calendar, &override_calendar) {
                (None, _) => (Clock::Wall, None),
                (Some(_), Some((name, c))) => (Clock::Business(c), name.clone()),
                (Some((name, c)), None) => (Clock::Business(c), Some(name.clone())),
            };
            let target_ms = target.seconds * 1000;
            let business = target.calendar.is_some();
            let base = |m: Measured| m.into_metric(kind, target.seconds, business, calendar.clone());
            let metric = match kind {
                SlaMetricKind::FirstReply | SlaMetricKind::Resolution => {
                    let track =
                        if kind == SlaMetricKind::FirstReply { &timeline.first_reply } else { &timeline.resolution };
                    base(measure(track, &clock, target_ms)?)
                }
                SlaMetricKind::NextReply => {
                    let Some(current) = timeline.next_reply.last() else { continue };
                    let mut breaches = 0u32;
                    for cycle in &timeline.next_reply {
                        let spent: i64 = cycle.segments.iter().map(|&(a, b)| clock.between(a, b)).sum();
                        if spent > target_ms {
                            breaches += 1;
                        }
                    }
                    let mut m = base(measure(current, &clock, target_ms)?);
                    m.breach_count = Some(breaches);
                    m
                }
            };
            metrics.push(metric);
        }
        let next_deadline = metrics.iter().filter(|m| m.status == MetricStatus::Active).filter_map(|m| m.due_at).min();
        let breached = metrics.iter().any(|m| m.status == MetricStatus::Breached);
        Ok(SlaReport { metrics, next_deadline, breached })
    }
}

/// How a metric's time is counted.
enum Clock<'a> {
    Wall,
    Business(&'a BusinessCalendar),
}

impl Clock<'_> {
    fn between(&self, a: Timestamp, b: Timestamp) -> i64 {
        match self {
            Clock::Wall => b.unix_millis() - a.unix_millis(),
            Clock::Business(c) => c.between_millis(a, b),
        }
    }

    fn add(&self, t: Timestamp, ms: i64) -> Result<Timestamp, Error> {
        match self {
            Clock::Wall => t
                .plus_millis(ms)
                .ok_or_else(|| Error::limit_exceeded("now", "the due time would be after the year 9999")),
            Clock::Business(c) => c.add_millis(t, ms),
        }
    }
}

/// A metric's running time: segments in which its clock ran, and when it was met.
#[derive(Clone, Debug)]
struct Track {
    segments: Vec<(Timestamp, Timestamp)>,
    /// Start of the segment running now.
    running_since: Option<Timestamp>,
    done_at: Option<Timestamp>,
    /// Whether the clock was running at `now` (set when the replay ends).
    running_at_end: bool,
    /// When the clock first started.
    first_start: Timestamp,
}

impl Track {
    fn new(start: Timestamp) -> Track {
        Track {
            segments: Vec::new(),
            running_since: Some(start),
            done_at: None,
            running_at_end: false,
            first_start: start,
        }
    }

    fn start(&mut self, t: Timestamp) {
        if self.running_since.is_none() && self.done_at.is_none() {
            self.running_since = Some(t);
        }
    }

    fn stop(&mut self, t: Timestamp) {
        if let Some(s) = self.running_since.take() {
            self.segments.push((s, t));
        }
    }

    fn finish(&mut self, t: Timestamp) {
        self.stop(t);
        self.done_at.get_or_insert(t);
    }
}

/// The event log replayed into tracks.
struct Timeline {
    first_reply: Track,
    /// One track per reply cycle, oldest first; each has exactly one segment once closed.
    next_reply: Vec<Track>,
    resolution: Track,
}

impl Timeline {
    fn replay(r: &SlaRequest, pause_on_pending: bool, pause_on_hold: bool) -> Timeline {
        let mut events: Vec<&SlaEvent> = r.events.iter().collect();
        events.sort_by_key(|e| e.at); // stable: same-instant events keep their given order

        let mut first = Track::new(r.created_at);
        let mut cycles: Vec<Track> = Vec::new();
        let mut resolution = Track::new(r.created_at);
        // Reply cycles start only once the team has replied.
        let mut agent_replied = false;
        let mut status = TicketStatus::Open;
        let mut solved_at: Option<Timestamp> = None;
        let pauses = |s: TicketStatus| {
            s == TicketStatus::Solved
                || (s == TicketStatus::Pending && pause_on_pending)
                || (s == TicketStatus::OnHold && pause_on_hold)
        };

        for e in events {
            let t = e.at;
            match e.kind {
                SlaEventKind::AgentReply => {
                    agent_replied = true;
                    first.finish(t);
                    if let Some(c) = cycles.last_mut().filter(|c| c.done_at.is_none()) {
                        c.finish(t);
                    }
                }
                SlaEventKind::CustomerReply => {
                    if agent_replied && cycles.last().is_none_or(|c| c.done_at.is_some()) {
                        cycles.push(Track::new(t));
                    }
                    // A customer's reply reopens a solved ticket and ends the wait on them.
                    if matches!(status, TicketStatus::Solved | TicketStatus::Pending) {
                        if status == TicketStatus::Solved {
                            first.start(t);
                        }
                        status = TicketStatus::Open;
                        solved_at = None;
                        resolution.start(t);
                    }
                }
                SlaEventKind::Status(TicketStatus::Closed) => {
                    first.finish(t);
                    if let Some(c) = cycles.last_mut().filter(|c| c.done_at.is_none()) {
                        c.finish(t);
                    }
                    resolution.stop(t);
                    resolution.done_at = Some(solved_at.unwrap_or(t));
                    break; // closed is final
                }
                SlaEventKind::Status(s) => {
                    if s == TicketStatus::Solved {
                        // Solving answers an open reply cycle; a first reply not yet given
                        // waits (its clock stops) until the ticket reopens.
                        first.stop(t);
                        if let Some(c) = cycles.last_mut().filter(|c| c.done_at.is_none()) {
                            c.finish(t);
                        }
                        solved_at.get_or_insert(t);
                    } else {
                        if status == TicketStatus::Solved {
                            first.start(t);
                        }
                        solved_at = None;
                    }
                    status = s;
                    if pauses(s) {
                        resolution.stop(t);
                    } else {
                        resolution.start(t);
                    }
                }
            }
        }
        if resolution.done_at.is_none() && status == TicketStatus::Solved {
            resolution.done_at = solved_at;
        }
        for track in std::iter::once(&mut first).chain(cycles.iter_mut()).chain(std::iter::once(&mut resolution)) {
            track.running_at_end = track.running_since.is_some();
            track.stop(r.now);
        }
        Timeline { first_reply: first, next_reply: cycles, resolution }
    }
}

/// A metric measured on its clock.
struct Measured {
    status: MetricStatus,
    due_at: Option<Timestamp>,
    achieved_at: Option<Timestamp>,
    elapsed_ms: i64,
    target_ms: i64,
}

impl Measured {
    fn into_metric(
        self,
        metric: SlaMetricKind,
        target_seconds: i64,
        business_hours: bool,
        calendar: Option<String>,
    ) -> SlaMetric {
        let over = (self.elapsed_ms - self.target_ms).max(0);
        let left = (self.target_ms - self.elapsed_ms).max(0);
        SlaMetric {
            metric,
            target_seconds,
            business_hours,
            calendar,
            status: self.status,
            due_at: self.due_at,
            achieved_at: self.achieved_at,
            elapsed_seconds: self.elapsed_ms / 1000,
            // Rounded up, so that elapsed + remaining is the target.
            remaining_seconds: (left + 999) / 1000,
            breached_by_seconds: over / 1000,
            breach_count: None,
        }
    }
}

fn measure(track: &Track, clock: &Clock<'_>, target_ms: i64) -> Result<Measured, Error> {
    let mut elapsed = 0i64;
    let mut crossing = None;
    // Where the last segment starts, and the time counted before it.
    let mut last = None;
    for &(a, b) in &track.segments {
        let part = clock.between(a, b);
        if crossing.is_none() && elapsed + part > target_ms {
            crossing = Some(clock.add(a, target_ms - elapsed)?);
        }
        last = Some((a, elapsed));
        elapsed += part;
    }
    let running = track.done_at.is_none() && track.running_at_end;
    // For a running metric, the due instant as seen from the running segment's start: the same
    // as adding what is left to `now`, except when nothing is left, where it is the instant the
    // target ran out (a closing time, say) rather than `now` itself.
    let due_from_last = |fallback: Timestamp| match last {
        Some((a, before)) => clock.add(a, target_ms - before),
        None => clock.add(fallback, target_ms),
    };
    let (status, due_at) = match (crossing, track.done_at) {
        (Some(due), _) => (MetricStatus::Breached, Some(due)),
        (None, Some(done)) => (MetricStatus::Achieved, Some(clock.add(done, target_ms - elapsed)?)),
        (None, None) if running => (MetricStatus::Active, Some(due_from_last(track.first_start)?)),
        (None, None) => (MetricStatus::Paused, None),
    };
    Ok(Measured { status, due_at, achieved_at: track.done_at, elapsed_ms: elapsed, target_ms })
}

#[cfg(test)]
mod tests;
