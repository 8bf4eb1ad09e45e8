//! Time-zone-aware reply scheduling (SPEC §8): when a reply should go out so that it lands in
//! the customer's daytime on one of their working days, unless urgency or a deadline says
//! otherwise.
//!
//! Design: the customer's reply window is compiled into a [`BusinessCalendar`] in their zone
//! (the window on working days, closed on their weekend and holidays), so DST gaps, ambiguous
//! times and windows past midnight follow the calendars' rules. With a team calendar the send
//! time is the first instant both are open, found by letting each calendar push the candidate
//! forward to its next opening until they agree (each step passes an interval boundary, so the
//! search is bounded by the horizon).

mod week;

use chrono::{Datelike, SecondsFormat};
use chrono_tz::Tz;
use serde::Serialize;
use serde_json::Value;

use crate::calendar::{self, BusinessCalendar, Holiday, Span};
use crate::domain::Language;
use crate::error::{Error, ErrorKind};
use crate::geo::Country;
use crate::request::Fields;
use crate::sla::{CalendarChoice, read_calendar_choice};
use crate::time::Timestamp;

use week::Days;

/// Where the customer's time zone came from.
///
/// # Example
///
/// ```
/// use aftersales::{Engine, ReplyRequest, TimeZoneSource};
///
/// let r = ReplyRequest::from_value(&serde_json::json!({"now": "2026-11-24T01:00:00Z", "customer": {"language": "ko"}}))?;
/// let plan = Engine::new().schedule_reply(&r)?;
/// assert_eq!((plan.time_zone_source, plan.time_zone.as_str()), (TimeZoneSource::Language, "Asia/Seoul"));
/// # Ok::<(), aftersales::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeZoneSource {
    /// The request's `customer.time_zone`.
    Given,
    /// The default zone of `customer.country`.
    Country,
    /// The zone of `customer.language`, for languages spoken under one zone's rules.
    Language,
    /// The policy's `reply.fallback_time_zone`: nothing usable was given.
    Fallback,
}

/// What the schedule decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReplyDecision {
    /// The window is open now.
    SendNow,
    /// Wait for the window to open.
    Deferred,
    /// The window opens after the deadline: send before it.
    DeadlineOverride,
    /// The urgency wins over the window.
    UrgentOverride,
}

impl ReplyDecision {
    /// The decision's name, as serialised.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(aftersales::ReplyDecision::DeadlineOverride.as_str(), "deadline_override");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            ReplyDecision::SendNow => "send_now",
            ReplyDecision::Deferred => "deferred",
            ReplyDecision::DeadlineOverride => "deadline_override",
            ReplyDecision::UrgentOverride => "urgent_override",
        }
    }
}

/// The customer as far as scheduling needs them; every part may be missing.
///
/// # Example
///
/// ```
/// use aftersales::{Country, ReplyCustomer, ReplyRequest};
///
/// let mut r = ReplyRequest::new("2026-11-24T10:00:00Z".parse()?);
/// r.customer = ReplyCustomer { country: Country::from_code("IN"), ..ReplyCustomer::default() };
/// let plan = aftersales::Engine::new().schedule_reply(&r)?;
/// assert_eq!(plan.weekend, ["sun"]);
/// # Ok::<(), aftersales::Error>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct ReplyCustomer {
    /// An IANA zone name.
    pub time_zone: Option<String>,
    /// Their country.
    pub country: Option<Country>,
    /// Their language (e.g. the classifier's).
    pub language: Option<Language>,
}

/// A request to schedule a reply: `now`, the customer, and optionally a window, a deadline, an
/// urgency, a team calendar and the customer's holidays.
///
/// # Example
///
/// ```
/// use aftersales::ReplyRequest;
///
/// let r = ReplyRequest::from_value(&serde_json::json!({
///     "now": "2026-11-20T20:00:00Z", "customer": {"country": "SA"}, "window": {"start": "09:00", "end": "21:00"}
/// }))?;
/// assert_eq!(r.customer.country.unwrap().code(), "SA");
/// # Ok::<(), aftersales::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct ReplyRequest {
    /// The current instant.
    pub now: Timestamp,
    /// Who the reply goes to.
    pub customer: ReplyCustomer,
    /// The local reply window `(start, end)` as `"HH:MM"`; `None` for the policy's.
    pub window: Option<(String, String)>,
    /// The instant the reply is due (e.g. the SLA's first-reply deadline).
    pub deadline: Option<Timestamp>,
    /// A priority level; the policy's `override_levels` send at once.
    pub urgency: Option<String>,
    /// Reply only while this calendar (the team's hours) is open too.
    pub team_calendar: Option<CalendarChoice>,
    /// The customer's holidays, in the calendars' forms.
    pub(crate) holidays: Vec<Holiday>,
}

impl ReplyRequest {
    /// A request at `now` for a customer of whom nothing is known yet.
    ///
    /// # Example
    ///
    /// ```
    /// let r = aftersales::ReplyRequest::new("2026-11-20T10:00:00Z".parse()?);
    /// assert!(r.customer.time_zone.is_none());
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn new(now: Timestamp) -> ReplyRequest {
        ReplyRequest {
            now,
            customer: ReplyCustomer::default(),
            window: None,
            deadline: None,
            urgency: None,
            team_calendar: None,
            holidays: Vec::new(),
        }
    }

    /// Reads a request document (SPEC §8).
    ///
    /// # Errors
    ///
    /// `invalid_input` naming the field: unknown fields, malformed times, an unknown country
    /// code or language, a malformed window or holiday, a team calendar that is neither a name
    /// nor a calendar.
    ///
    /// # Example
    ///
    /// ```
    /// use aftersales::ReplyRequest;
    ///
    /// let err = ReplyRequest::from_value(&serde_json::json!({"now": "2026-11-20T10:00:00Z", "customer": {"country": "XX"}}))
    ///     .unwrap_err();
    /// assert_eq!(err.field(), Some("customer.country"));
    /// ```
    pub fn from_value(value: &Value) -> Result<ReplyRequest, Error> {
        ReplyRequest::read(value, "")
    }

    pub(crate) fn read(value: &Value, path: &str) -> Result<ReplyRequest, Error> {
        let f = Fields::new(
            value,
            path,
            &["now", "customer", "window", "deadline", "urgency", "team_calendar", "holidays"],
        )?;
        let mut r = ReplyRequest::new(f.required_timestamp("now")?);
        if let Some(c) = f.get("customer").filter(|v| !v.is_null()) {
            r.customer = read_customer(c, &f.at("customer"), REPLY_CUSTOMER_FIELDS)?;
        }
        if let Some(w) = f.get("window").filter(|v| !v.is_null()) {
            let wf = f.nested("window", w, &["start", "end"])?;
            r.window = Some((wf.required_str("start")?.to_string(), wf.required_str("end")?.to_string()));
        }
        r.deadline = f.timestamp("deadline")?;
        r.urgency = f.str("urgency")?.map(str::to_string);
        r.team_calendar = read_calendar_choice(f.get("team_calendar"), &f.at("team_calendar"))?;
        r.holidays = calendar::request_holidays(f.get("holidays"), &f.at("holidays"))?;
        Ok(r)
    }
}

/// The fields of a reply request's customer.
const REPLY_CUSTOMER_FIELDS: &[&str] = &["time_zone", "country", "language"];

/// Reads the scheduling fields of a customer object whose fields are all in `known` (a triage
/// ticket's customer carries tier, order counts, …).
pub(crate) fn read_customer(value: &Value, path: &str, known: &[&str]) -> Result<ReplyCustomer, Error> {
    let f = Fields::new(value, path, known)?;
    Ok(ReplyCustomer {
        time_zone: f.str("time_zone")?.map(str::to_string),
        country: f.str("country")?.map(|c| Country::parse_field(c, &f.at("country"))).transpose()?,
        language: f
            .str("language")?
            .map(|l| {
                l.parse::<Language>()
                    .map_err(|_| Error::invalid_input(f.at("language"), format!("not a language code: {l:?}")))
            })
            .transpose()?,
    })
}

/// Why a reply goes out when it does: a stable code and an English message.
///
/// # Example
///
/// ```
/// use aftersales::{Engine, ReplyRequest};
///
/// let r = ReplyRequest::from_value(&serde_json::json!({"now": "2026-11-24T21:00:00Z", "customer": {"country": "DE"}}))?;
/// let reason = Engine::new().schedule_reply(&r)?.reason;
/// assert_eq!(reason.code, "outside_window");
/// assert_eq!(reason.message, "Tue 22:00 local time is outside the reply window 09:00–20:00; sent at Wed 09:00 local time");
/// # Ok::<(), aftersales::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReplyReason {
    /// `in_window`, `weekend`, `holiday`, `outside_window`, `team_closed`, `urgent`,
    /// `deadline_before_window`, `deadline_passed`.
    pub code: &'static str,
    /// English explanation.
    pub message: String,
}

/// When to send a reply, and why (SPEC §8).
///
/// # Example
///
/// ```
/// use aftersales::{Engine, ReplyDecision, ReplyRequest};
///
/// // Friday 14:00 in Riyadh is the weekend there: wait for Sunday 09:00.
/// let r = ReplyRequest::from_value(&serde_json::json!({"now": "2026-11-20T11:00:00Z", "customer": {"country": "SA"}}))?;
/// let plan = Engine::new().schedule_reply(&r)?;
/// assert_eq!(plan.decision, ReplyDecision::Deferred);
/// assert_eq!(plan.local_send_at, "2026-11-22T09:00:00+03:00");
/// assert_eq!(plan.reason.code, "weekend");
/// # Ok::<(), aftersales::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReplyPlan {
    /// When to send, in UTC.
    pub send_at: Timestamp,
    /// The same instant in the customer's zone, RFC 3339 with their offset.
    pub local_send_at: String,
    /// The customer's IANA zone.
    pub time_zone: String,
    /// Where the zone came from.
    pub time_zone_source: TimeZoneSource,
    /// The country whose weekend applies (given, or the zone name's), if any.
    pub country: Option<Country>,
    /// The customer's weekend days (`"fri"`, `"sat"`).
    pub weekend: Vec<&'static str>,
    /// The local window used, `"HH:MM"`.
    pub window: ReplyWindow,
    /// What was decided.
    pub decision: ReplyDecision,
    /// Seconds from `now` to `send_at`.
    pub delay_seconds: i64,
    /// Why.
    pub reason: ReplyReason,
}

/// A local reply window; `start` after `end` runs past midnight.
///
/// # Example
///
/// ```
/// use aftersales::{Engine, ReplyRequest};
///
/// let r = ReplyRequest::from_value(&serde_json::json!({"now": "2026-11-24T21:00:00Z", "customer": {"country": "DE"},
///     "window": {"start": "21:00", "end": "01:00"}}))?;
/// let plan = Engine::new().schedule_reply(&r)?;
/// assert_eq!((plan.window.start.as_str(), plan.window.end.as_str()), ("21:00", "01:00"));
/// assert_eq!(plan.decision.as_str(), "send_now"); // 22:00 in Berlin
/// # Ok::<(), aftersales::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReplyWindow {
    /// Opening, `"HH:MM"`.
    pub start: String,
    /// Closing, `"HH:MM"` (`"24:00"` allowed).
    pub end: String,
}

/// The `reply` section of the policy, compiled.
#[derive(Debug)]
pub(crate) struct ReplyPolicy {
    window: (Span, ReplyWindow),
    fallback: (Tz, String),
    override_levels: Vec<String>,
    weekends: Vec<(Country, Days)>,
    search_days: i64,
    levels: Vec<String>,
}

/// At most this many days ahead are searched for a common open instant.
const MAX_SEARCH_DAYS: i64 = 3_660;

impl ReplyPolicy {
    pub(crate) fn compile(doc: &Value, levels: &[&str]) -> Result<ReplyPolicy, Error> {
        let bad = |field: &str, why: String| Error::invalid_policy(format!("reply.{field}"), why);
        let empty = serde_json::Map::new();
        let map = match doc {
            Value::Null => &empty,
            Value::Object(m) => m,
            _ => return Err(Error::invalid_policy("reply", "an object")),
        };
        for key in map.keys() {
            if !["window", "fallback_time_zone", "override_levels", "weekends", "search_days"].contains(&key.as_str()) {
                return Err(bad(
                    key,
                    format!(
                        "unknown field {key:?}: expected window, fallback_time_zone, override_levels, weekends, search_days"
                    ),
                ));
            }
        }
        let window = match map.get("window") {
            None => window_of("09:00", "20:00", "reply.window", ErrorKind::InvalidPolicy)?,
            Some(Value::Object(o)) => {
                let get = |k: &str| {
                    o.get(k).and_then(Value::as_str).ok_or_else(|| bad(&format!("window.{k}"), "\"HH:MM\"".into()))
                };
                if let Some(k) = o.keys().find(|k| !["start", "end"].contains(&k.as_str())) {
                    return Err(bad(&format!("window.{k}"), format!("unknown field {k:?}: expected start, end")));
                }
                window_of(get("start")?, get("end")?, "reply.window", ErrorKind::InvalidPolicy)?
            }
            Some(_) => return Err(bad("window", "{\"start\": \"09:00\", \"end\": \"20:00\"}".into())),
        };
        let fallback = match map.get("fallback_time_zone") {
            None => (chrono_tz::UTC, "UTC".to_string()),
            Some(Value::String(z)) => (
                calendar::parse_zone(z, "reply.fallback_time_zone")
                    .map_err(|e| Error::make(ErrorKind::InvalidPolicy, e.field().map(str::to_string), e.message()))?,
                z.clone(),
            ),
            Some(_) => return Err(bad("fallback_time_zone", "an IANA time zone name".into())),
        };
        let override_levels = match map.get("override_levels") {
            None => vec!["urgent".to_string()].into_iter().filter(|l| levels.contains(&l.as_str())).collect(),
            Some(Value::Array(items)) => {
                let mut out = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    match item.as_str() {
                        Some(l) if levels.contains(&l) => out.push(l.to_string()),
                        _ => {
                            return Err(bad(
                                &format!("override_levels[{i}]"),
                                format!("not a priority level of the policy ({})", levels.join(", ")),
                            ));
                        }
                    }
                }
                out
            }
            Some(_) => return Err(bad("override_levels", "a list of priority levels".into())),
        };
        let mut weekends = Vec::new();
        match map.get("weekends") {
            None => {}
            Some(Value::Object(m)) => {
                for (code, days) in m {
                    let at = format!("weekends.{code}");
                    let country = Country::from_code(code)
                        .filter(|c| c.code() == code)
                        .ok_or_else(|| bad(&at, format!("not an ISO 3166-1 alpha-2 country code: {code:?}")))?;
                    let Value::Array(items) = days else {
                        return Err(bad(&at, "a list of weekdays: [\"fri\", \"sat\"]".into()));
                    };
                    let mut set: Days = 0;
                    for (i, d) in items.iter().enumerate() {
                        let Some(k) = d.as_str().and_then(|d| calendar::DAYS.iter().position(|n| *n == d)) else {
                            return Err(bad(
                                &format!("{at}[{i}]"),
                                "a weekday: mon, tue, wed, thu, fri, sat, sun".into(),
                            ));
                        };
                        set |= 1 << k;
                    }
                    if set == 0x7f {
                        return Err(bad(&at, "a weekend of every day leaves no day to reply on".into()));
                    }
                    weekends.push((country, set));
                }
            }
            Some(_) => return Err(bad("weekends", "an object of countries: {\"AE\": [\"sat\", \"sun\"]}".into())),
        }
        let search_days = match map.get("search_days") {
            None => 366,
            Some(v) => match v.as_i64() {
                Some(n @ 1..=MAX_SEARCH_DAYS) => n,
                _ => return Err(bad("search_days", format!("a whole number of days from 1 to {MAX_SEARCH_DAYS}"))),
            },
        };
        Ok(ReplyPolicy {
            window,
            fallback,
            override_levels,
            weekends,
            search_days,
            levels: levels.iter().map(|l| l.to_string()).collect(),
        })
    }

    /// Schedules a reply; `team` is the request's team calendar, resolved.
    pub(crate) fn schedule(&self, r: &ReplyRequest, team: Option<&BusinessCalendar>) -> Result<ReplyPlan, Error> {
        let now = r.now;
        // The zone, and where it came from.
        let c = &r.customer;
        let (zone, zone_name, source) = if let Some(name) = &c.time_zone {
            (calendar::parse_zone(name, "customer.time_zone")?, name.clone(), TimeZoneSource::Given)
        } else if let Some(z) = c.country.and_then(|k| k.default_time_zone()) {
            (calendar::parse_zone(z, "customer.country")?, z.to_string(), TimeZoneSource::Country)
        } else if let Some(z) = c.language.and_then(week::language_zone) {
            (calendar::parse_zone(z, "customer.language")?, z.to_string(), TimeZoneSource::Language)
        } else {
            (self.fallback.0, self.fallback.1.clone(), TimeZoneSource::Fallback)
        };
        // The weekend: the given country's, else the country of the zone name given.
        let country = c.country.or_else(|| match source {
            TimeZoneSource::Fallback => None,
            _ => Country::of_time_zone(&zone_name),
        });
        let today = now.to_chrono().with_timezone(&zone).date_naive();
        let overridden = country.and_then(|k| self.weekends.iter().find(|(w, _)| *w == k).map(|(_, d)| *d));
        let weekend_on = |date| match (country, overridden) {
            (_, Some(d)) => d,
            (Some(k), None) => week::weekend(k, date),
            (None, None) => week::DEFAULT_WEEKEND,
        };
        let weekend = weekend_on(today);
        let (span, window) = match &r.window {
            Some((s, e)) => window_of(s, e, "window", ErrorKind::InvalidInput)?,
            None => self.window.clone(),
        };
        if let Some(u) = &r.urgency
            && !self.levels.iter().any(|l| l == u)
        {
            return Err(Error::invalid_input(
                "urgency",
                format!("not a priority level: {u:?} ({})", self.levels.join(", ")),
            ));
        }
        // A window past midnight is split at midnight, so that each part belongs to its own
        // local date: the hours after midnight of a Saturday are the weekend's.
        let spans: Vec<Span> = if span.end > 1440 {
            vec![Span { start: 0, end: span.end - 1440 }, Span { start: span.start, end: 1440 }]
        } else {
            vec![span]
        };
        let horizon = now
            .plus_millis(self.search_days * 86_400_000)
            .unwrap_or_else(|| Timestamp::from_unix_millis(crate::time::MAX_MILLIS).unwrap_or(now));
        // A weekend that changes by law within the horizon (the UAE on 2022-01-01): the dates
        // after the change whose status differs from today's week are given as overrides.
        let mut overrides = Vec::new();
        let last = horizon.to_chrono().with_timezone(&zone).date_naive();
        if overridden.is_none()
            && let Some(k) = country
            && week::changes_between(k, today, last)
        {
            for d in today.iter_days().skip(1).take_while(|d| *d <= last) {
                let bit = 1 << d.weekday().num_days_from_monday();
                let open = weekend_on(d) & bit == 0;
                if open != (weekend & bit == 0) {
                    overrides
                        .push((d, if open && !Holiday::any_on(&r.holidays, d) { spans.clone() } else { Vec::new() }));
                }
            }
        }
        let customer =
            BusinessCalendar::daily(zone, &zone_name, &spans, !weekend & 0x7f, r.holidays.clone(), overrides);
        let candidate = match team {
            None => customer.next_open(now),
            Some(team) => common_opening(&customer, team, now, horizon),
        }
        .and_then(|c| {
            if c > horizon {
                Err(Error::invalid_input(
                    "window",
                    format!("the customer's reply window does not open within {} days", self.search_days),
                ))
            } else {
                Ok(c)
            }
        });

        let local = |t: Timestamp| t.to_chrono().with_timezone(&zone);
        let urgent = r.urgency.as_ref().is_some_and(|u| self.override_levels.contains(u));
        let soonest = || -> Result<Timestamp, Error> {
            Ok(match team {
                Some(t) => t.next_open(now)?,
                None => now,
            })
        };
        let (send_at, decision, reason) = match candidate {
            Ok(c) if c == now => {
                let message = format!(
                    "{} local time is inside the reply window {}–{}",
                    hhmm(local(now)),
                    window.start,
                    window.end
                );
                (now, ReplyDecision::SendNow, ReplyReason { code: "in_window", message })
            }
            // Urgency and deadlines win over the window even when it never opens in time.
            _ if urgent => {
                let at = soonest()?;
                let instead = match &candidate {
                    Ok(c) => format!(" instead of {}", hhmm(local(*c))),
                    Err(_) => String::new(),
                };
                let message = format!(
                    "urgency {:?} wins over the reply window: sent at {} local time{instead}",
                    r.urgency.as_deref().unwrap_or_default(),
                    hhmm(local(at)),
                );
                (at, ReplyDecision::UrgentOverride, ReplyReason { code: "urgent", message })
            }
            Ok(c) if r.deadline.is_none_or(|d| c <= d) => {
                let here = local(now);
                let date = here.date_naive();
                let (code, message) = if weekend & (1 << date.weekday().num_days_from_monday()) != 0 {
                    ("weekend", format!("{} is a weekend day for the customer", date.format("%A")))
                } else if customer.is_holiday(date) {
                    ("holiday", format!("{date} is a holiday for the customer"))
                } else if customer.next_open(now)? == now {
                    ("team_closed", "the customer's window is open but the team calendar is closed".to_string())
                } else {
                    (
                        "outside_window",
                        format!(
                            "{} local time is outside the reply window {}–{}",
                            hhmm(here),
                            window.start,
                            window.end
                        ),
                    )
                };
                let message = format!("{message}; sent at {} local time", hhmm(local(c)));
                (c, ReplyDecision::Deferred, ReplyReason { code, message })
            }
            Err(e) if r.deadline.is_none() => return Err(e),
            _ => {
                let deadline = r.deadline.unwrap_or(now);
                // As soon as the team can send (the window would be later still).
                let at = soonest()?;
                let opens = match &candidate {
                    Ok(c) => format!("opens {} local time", hhmm(local(*c))),
                    Err(_) => "does not open in time".to_string(),
                };
                let (code, message) = if deadline <= now {
                    (
                        "deadline_passed",
                        format!(
                            "the deadline {deadline} has passed: sent at {} rather than at the window",
                            hhmm(local(at))
                        ),
                    )
                } else {
                    (
                        "deadline_before_window",
                        format!(
                            "the window {opens}, after the deadline {}: sent at {}",
                            hhmm(local(deadline)),
                            hhmm(local(at)),
                        ),
                    )
                };
                (at, ReplyDecision::DeadlineOverride, ReplyReason { code, message })
            }
        };
        Ok(ReplyPlan {
            send_at,
            local_send_at: local(send_at).to_rfc3339_opts(SecondsFormat::Secs, false),
            time_zone: zone_name,
            time_zone_source: source,
            country,
            weekend: week::names(weekend),
            window,
            decision,
            delay_seconds: (send_at.unix_millis() - now.unix_millis()) / 1000,
            reason,
        })
    }
}

/// The first instant at or after `from` when both calendars are open.
fn common_opening(
    customer: &BusinessCalendar,
    team: &BusinessCalendar,
    from: Timestamp,
    horizon: Timestamp,
) -> Result<Timestamp, Error> {
    let mut t = from;
    loop {
        let a = customer.next_open(t)?;
        let b = team.next_open(a)?;
        if b == a {
            return Ok(a);
        }
        if b > horizon {
            return Err(Error::invalid_input(
                "team_calendar",
                "the customer's reply window and the team calendar are never open at the same time within the search horizon",
            ));
        }
        t = b;
    }
}

/// A window from its texts; errors name `path.start`, `path.end` or `path`.
fn window_of(start: &str, end: &str, path: &str, kind: ErrorKind) -> Result<(Span, ReplyWindow), Error> {
    let err = |leaf: &str, why: String| Error::make(kind, Some(format!("{path}{leaf}")), why);
    if calendar::parse_hhmm(start.trim()).is_none_or(|m| m == 1440) {
        return Err(err(".start", format!("a time of day \"HH:MM\" from 00:00 to 23:59, got {start:?}")));
    }
    if calendar::parse_hhmm(end.trim()).is_none() {
        return Err(err(".end", format!("a time of day \"HH:MM\" from 00:00 to 24:00, got {end:?}")));
    }
    let span = calendar::parse_span(&format!("{}-{}", start.trim(), end.trim()))
        .map_err(|_| err("", format!("an empty window ({start} to {end}): start and end must differ")))?;
    Ok((span, ReplyWindow { start: start.trim().to_string(), end: end.trim().to_string() }))
}

/// A local time for messages: `Fri 14:00`.
fn hhmm(t: chrono::DateTime<Tz>) -> String {
    t.format("%a %H:%M").to_string()
}

#[cfg(test)]
mod tests;
