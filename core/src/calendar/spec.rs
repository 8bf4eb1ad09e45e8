//! Reading a calendar document into its compiled form, naming the path of every mistake.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, Weekday};
use chrono_tz::Tz;
use serde_json::Value;

use super::{Compiled, Holiday, Span};
use crate::error::{Error, ErrorKind};

/// Weekday names as policies and requests write them, Monday first.
pub(crate) const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// Where the calendar came from, which decides the kind of its errors.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Origin {
    /// Under `calendars` in a policy: `invalid_policy`.
    Policy,
    /// Given with a request: `invalid_input`.
    Request,
}

struct Ctx<'a> {
    path: &'a str,
    origin: Origin,
}

impl Ctx<'_> {
    fn at(&self, leaf: &str) -> String {
        match (self.path.is_empty(), leaf.starts_with('[')) {
            (true, _) => leaf.to_string(),
            (false, _) if leaf.is_empty() => self.path.to_string(),
            (false, true) => format!("{}{leaf}", self.path),
            (false, false) => format!("{}.{leaf}", self.path),
        }
    }

    fn error(&self, leaf: &str, message: impl Into<String>) -> Error {
        let kind = match self.origin {
            Origin::Policy => ErrorKind::InvalidPolicy,
            Origin::Request => ErrorKind::InvalidInput,
        };
        Error::make(kind, Some(self.at(leaf)).filter(|p| !p.is_empty()), message)
    }
}

/// Bounds that keep every business-time call cheap whatever a calendar document holds: decades
/// of holidays and of dated overrides fit well within them.
const MAX_HOLIDAYS: usize = 2_000;
const MAX_OVERRIDES: usize = 20_000;

fn too_many(ctx: &Ctx<'_>, leaf: &str, max: usize) -> Error {
    Error::make(ErrorKind::LimitExceeded, Some(ctx.at(leaf)), format!("at most {max} entries"))
}

/// Compiles the calendar document `doc` found at `path` (`calendars.eu_support`, `calendar`).
pub(crate) fn compile(doc: &Value, path: &str, origin: Origin, name: Option<&str>) -> Result<Compiled, Error> {
    let ctx = Ctx { path, origin };
    let Value::Object(map) = doc else {
        return Err(ctx.error("", "a calendar is an object with time_zone, hours, holidays and overrides"));
    };
    for key in map.keys() {
        if !["time_zone", "hours", "holidays", "overrides"].contains(&key.as_str()) {
            return Err(
                ctx.error(key, format!("unknown field {key:?}: expected time_zone, hours, holidays, overrides"))
            );
        }
    }
    let zone_name = match map.get("time_zone") {
        Some(Value::String(s)) => s.as_str(),
        Some(_) => return Err(ctx.error("time_zone", "an IANA time zone name such as \"Europe/Berlin\"")),
        None => return Err(ctx.error("time_zone", "missing: every calendar names its IANA time zone")),
    };
    let zone = parse_zone(zone_name, &ctx.at("time_zone"))?;

    let mut week: [Vec<Span>; 7] = Default::default();
    match map.get("hours") {
        None | Some(Value::Null) => {}
        Some(Value::Object(hours)) => {
            for (day, spans) in hours {
                let Some(i) = DAYS.iter().position(|d| d == day) else {
                    return Err(ctx.error(
                        &format!("hours.{day}"),
                        format!("unknown weekday {day:?}: use mon, tue, wed, thu, fri, sat, sun"),
                    ));
                };
                week[i] = parse_spans(spans, &format!("hours.{day}"), &ctx)?;
            }
        }
        Some(_) => return Err(ctx.error("hours", "an object of weekday lists: {\"mon\": [\"09:00-18:00\"], …}")),
    }
    check_week(&week, &ctx)?;
    let week_minutes: i64 = week.iter().flatten().map(|s| i64::from(s.end - s.start)).sum();
    if week_minutes == 0 {
        return Err(ctx.error("hours", "the calendar is never open: give opening hours for at least one weekday"));
    }

    let holidays = holiday_list(map.get("holidays"), "holidays", &ctx)?;

    let mut overrides = Vec::new();
    match map.get("overrides") {
        None | Some(Value::Null) => {}
        Some(Value::Object(days)) => {
            if days.len() > MAX_OVERRIDES {
                return Err(too_many(&ctx, "overrides", MAX_OVERRIDES));
            }
            for (date, spans) in days {
                let leaf = format!("overrides.{date}");
                let day = NaiveDate::parse_from_str(date, "%Y-%m-%d")
                    .map_err(|_| ctx.error(&leaf, format!("not a date YYYY-MM-DD: {date:?}")))?;
                let spans = parse_spans(spans, &leaf, &ctx)?;
                overlapping(&spans).map_or(Ok(()), |i| Err(ctx.error(&format!("{leaf}[{i}]"), OVERLAP)))?;
                overrides.push((day, spans));
            }
        }
        Some(_) => return Err(ctx.error("overrides", "an object of dates: {\"2026-12-24\": [\"09:00-13:00\"]}")),
    }
    overrides.sort_by_key(|(d, _)| *d);

    Ok(Compiled::new(name.map(str::to_string), zone, zone_name.to_string(), week, holidays, overrides))
}

/// A list of holiday rules at `leaf`; missing or null is none.
fn holiday_list(value: Option<&Value>, leaf: &str, ctx: &Ctx<'_>) -> Result<Vec<Holiday>, Error> {
    match value {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => {
            if items.len() > MAX_HOLIDAYS {
                return Err(too_many(ctx, leaf, MAX_HOLIDAYS));
            }
            items.iter().enumerate().map(|(i, item)| parse_holiday(item, &format!("{leaf}[{i}]"), ctx)).collect()
        }
        Some(_) => Err(ctx.error(leaf, "a list of dates, MM-DD, {\"easter\": N} or nth weekdays")),
    }
}

/// The holidays a request gives at `path` (a customer's local dates), in the calendars' forms.
pub(crate) fn request_holidays(value: Option<&Value>, path: &str) -> Result<Vec<Holiday>, Error> {
    holiday_list(value, "", &Ctx { path, origin: Origin::Request })
}

/// Looks up an IANA time zone name.
pub(crate) fn parse_zone(name: &str, field: &str) -> Result<Tz, Error> {
    name.parse::<Tz>().map_err(|_| {
        Error::make(
            ErrorKind::UnknownTimeZone,
            Some(field.to_string()).filter(|f| !f.is_empty()),
            format!("not a time zone of the IANA database ({}): {name:?}", chrono_tz::IANA_TZDB_VERSION),
        )
    })
}

const OVERLAP: &str = "overlaps another opening interval";

fn parse_spans(value: &Value, leaf: &str, ctx: &Ctx<'_>) -> Result<Vec<Span>, Error> {
    let Value::Array(items) = value else {
        return Err(ctx.error(leaf, "a list of intervals such as [\"09:00-12:30\", \"13:30-18:00\"]"));
    };
    let mut spans = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let at = format!("{leaf}[{i}]");
        let Value::String(text) = item else {
            return Err(ctx.error(&at, "an interval \"HH:MM-HH:MM\""));
        };
        spans.push(parse_span(text).map_err(|why| ctx.error(&at, format!("{why}: {text:?}")))?);
    }
    spans.sort_by_key(|s| s.start);
    Ok(spans)
}

/// `"09:00-18:00"`; `"22:00-06:00"` runs past midnight; `"24:00"` may end an interval.
pub(crate) fn parse_span(text: &str) -> Result<Span, &'static str> {
    let (a, b) = text.trim().split_once('-').ok_or("an interval is \"HH:MM-HH:MM\"")?;
    let start = parse_hhmm(a.trim()).ok_or("a time of day is \"HH:MM\" from 00:00 to 23:59")?;
    let end = parse_hhmm(b.trim()).ok_or("a time of day is \"HH:MM\" from 00:00 to 24:00")?;
    if start == 1440 {
        return Err("24:00 may only end an interval");
    }
    if start == end {
        return Err("an interval may not be empty (write 00:00-24:00 for a whole day)");
    }
    // An end before the start runs into the next day.
    let end = if end < start { end + 1440 } else { end };
    Ok(Span { start, end })
}

pub(crate) fn parse_hhmm(s: &str) -> Option<u16> {
    let (h, m) = s.split_once(':')?;
    if h.len() != 2 || m.len() != 2 || !h.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
    match (h, m) {
        (24, 0) => Some(1440),
        (0..=23, 0..=59) => Some(h * 60 + m),
        _ => None,
    }
}

/// The index of the first interval of `spans` (sorted by start) that overlaps an earlier one.
fn overlapping(spans: &[Span]) -> Option<usize> {
    spans.windows(2).position(|w| w[1].start < w[0].end).map(|i| i + 1)
}

/// No two intervals of the week overlap, counting overnight ones into the next day and Sunday
/// night into Monday.
fn check_week(week: &[Vec<Span>; 7], ctx: &Ctx<'_>) -> Result<(), Error> {
    const WEEK: u32 = 7 * 1440;
    let mut all: Vec<(u32, u32, usize, usize)> = Vec::new();
    for (d, spans) in week.iter().enumerate() {
        for (i, s) in spans.iter().enumerate() {
            let base = d as u32 * 1440;
            all.push((base + u32::from(s.start), base + u32::from(s.end), d, i));
        }
    }
    all.sort();
    let clash = |d: usize, i: usize| ctx.error(&format!("hours.{}[{i}]", DAYS[d]), OVERLAP);
    for w in all.windows(2) {
        if w[1].0 < w[0].1 {
            return Err(clash(w[1].2, w[1].3));
        }
    }
    if let (Some(first), Some(last)) = (all.first(), all.last())
        && last.1 > WEEK
        && last.1 - WEEK > first.0
    {
        return Err(clash(last.2, last.3));
    }
    Ok(())
}

fn parse_holiday(item: &Value, leaf: &str, ctx: &Ctx<'_>) -> Result<Holiday, Error> {
    const FORMS: &str = "a holiday is \"YYYY-MM-DD\", \"MM-DD\" (every year), {\"easter\": N} or \
                         {\"month\": M, \"weekday\": \"mon\", \"nth\": N}";
    match item {
        Value::String(text) => {
            if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
                return Ok(Holiday::Date(date));
            }
            let (m, d) = text.split_once('-').ok_or_else(|| ctx.error(leaf, format!("{FORMS}; got {text:?}")))?;
            let two_digits = |x: &str| x.len() == 2 && x.bytes().all(|b| b.is_ascii_digit());
            let (month, day) = match (m.parse::<u32>(), d.parse::<u32>()) {
                (Ok(month), Ok(day)) if two_digits(m) && two_digits(d) => (month, day),
                _ => return Err(ctx.error(leaf, format!("{FORMS}; got {text:?}"))),
            };
            // Checked against a leap year, so that "02-29" is allowed (it falls in leap years).
            if NaiveDate::from_ymd_opt(2028, month, day).is_none() {
                return Err(ctx.error(leaf, format!("not a date MM-DD: {text:?}")));
            }
            Ok(Holiday::Yearly { month, day })
        }
        Value::Object(map) => {
            let allowed: &[&str] = if map.contains_key("easter") { &["easter"] } else { &["month", "weekday", "nth"] };
            if let Some(k) = map.keys().find(|k| !allowed.contains(&k.as_str())) {
                return Err(ctx.error(&format!("{leaf}.{k}"), format!("unknown field {k:?}; {FORMS}")));
            }
            if let Some(n) = map.get("easter") {
                let days = n
                    .as_i64()
                    .filter(|d| (-200..=200).contains(d))
                    .ok_or_else(|| ctx.error(&format!("{leaf}.easter"), "days after Easter Sunday, -200 to 200"))?;
                return Ok(Holiday::Easter(days as i32));
            }
            let month = map
                .get("month")
                .and_then(Value::as_u64)
                .filter(|m| (1..=12).contains(m))
                .ok_or_else(|| ctx.error(&format!("{leaf}.month"), "a month from 1 to 12"))?;
            let weekday = map
                .get("weekday")
                .and_then(Value::as_str)
                .and_then(|w| DAYS.iter().position(|d| *d == w))
                .ok_or_else(|| ctx.error(&format!("{leaf}.weekday"), "one of mon, tue, wed, thu, fri, sat, sun"))?;
            let nth = map
                .get("nth")
                .and_then(Value::as_i64)
                .filter(|n| (1..=5).contains(n) || (-5..=-1).contains(n))
                .ok_or_else(|| {
                ctx.error(&format!("{leaf}.nth"), "1 to 5 (from the start of the month) or -1 to -5")
            })?;
            Ok(Holiday::Nth { month: month as u32, weekday: WEEKDAYS[weekday], nth: nth as i32 })
        }
        _ => Err(ctx.error(leaf, FORMS)),
    }
}

const WEEKDAYS: [Weekday; 7] =
    [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun];

/// Western (Gregorian) Easter Sunday of `year` (the anonymous algorithm of Meeus, Jones, Butcher).
pub(crate) fn easter(year: i32) -> Option<NaiveDate> {
    let a = year.rem_euclid(19);
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32)
}

/// The `nth` `weekday` of `month` in `year` (negative: from the end), if there is one.
pub(crate) fn nth_weekday(year: i32, month: u32, weekday: Weekday, nth: i32) -> Option<NaiveDate> {
    if nth > 0 {
        NaiveDate::from_weekday_of_month_opt(year, month, weekday, nth as u8)
    } else {
        let first_next = if month == 12 {
            NaiveDate::from_ymd_opt(year + 1, 1, 1)?
        } else {
            NaiveDate::from_ymd_opt(year, month + 1, 1)?
        };
        let last = first_next.pred_opt()?;
        let back = (7 + last.weekday().num_days_from_monday() - weekday.num_days_from_monday()) % 7;
        let date = last - chrono::Days::new(u64::from(back) + 7 * (u64::from((-nth) as u32) - 1));
        (date.month() == month).then_some(date)
    }
}

/// The named calendars of a policy, compiled.
pub(crate) fn compile_all(calendars: &BTreeMap<String, Value>) -> Result<BTreeMap<String, Compiled>, Error> {
    let mut out = BTreeMap::new();
    for (name, doc) in calendars {
        let path = format!("calendars.{name}");
        if !crate::policy::is_snake_case(name) {
            return Err(Error::invalid_policy(path, "a calendar name is snake_case: a-z, 0-9 and _"));
        }
        out.insert(name.clone(), compile(doc, &path, Origin::Policy, Some(name))?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn err(doc: Value) -> Error {
        compile(&doc, "calendar", Origin::Request, None).expect_err("an error")
    }

    #[test]
    fn yearly_dates_are_two_digits_each() {
        for bad in ["+1-01", "1-001", "1-1", "01-1"] {
            let e = err(json!({"time_zone": "UTC", "hours": {"mon": ["09:00-17:00"]}, "holidays": [bad]}));
            assert_eq!(e.field(), Some("calendar.holidays[0]"), "{bad}");
        }
    }

    #[test]
    fn huge_documents_are_refused_not_slow() {
        let holidays: Vec<Value> = (0..2_001).map(|_| json!("01-01")).collect();
        let e = err(json!({"time_zone": "UTC", "hours": {"mon": ["09:00-17:00"]}, "holidays": holidays}));
        assert_eq!((e.kind(), e.field()), (ErrorKind::LimitExceeded, Some("calendar.holidays")));
        let overrides: serde_json::Map<String, Value> = (0..20_001)
            .map(|i| (NaiveDate::from_num_days_from_ce_opt(730_000 + i).unwrap().to_string(), json!([])))
            .collect();
        let e = err(json!({"time_zone": "UTC", "hours": {"mon": ["09:00-17:00"]}, "overrides": overrides}));
        assert_eq!((e.kind(), e.field()), (ErrorKind::LimitExceeded, Some("calendar.overrides")));
    }

    #[test]
    fn intervals() {
        assert_eq!(parse_span("09:00-18:00"), Ok(Span { start: 540, end: 1080 }));
        assert_eq!(parse_span("22:00-06:00"), Ok(Span { start: 1320, end: 1800 }));
        assert_eq!(parse_span("00:00-24:00"), Ok(Span { start: 0, end: 1440 }));
        for bad in ["9:00-18:00", "09:00-09:00", "24:00-02:00", "09:60-10:00", "09:00", "09:00-25:00"] {
            assert!(parse_span(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn errors_name_the_field() {
        let base = |hours: Value| json!({"time_zone": "Europe/Berlin", "hours": hours});
        assert_eq!(err(base(json!({"mon": ["9-18"]}))).field(), Some("calendar.hours.mon[0]"));
        assert_eq!(err(base(json!({"mon": ["09:00-12:00", "11:00-13:00"]}))).field(), Some("calendar.hours.mon[1]"));
        // Monday night runs into Tuesday morning.
        assert_eq!(
            err(base(json!({"mon": ["22:00-06:00"], "tue": ["05:00-09:00"]}))).field(),
            Some("calendar.hours.tue[0]")
        );
        // Sunday night runs into Monday morning.
        assert_eq!(
            err(base(json!({"sun": ["23:00-02:00"], "mon": ["01:00-09:00"]}))).field(),
            Some("calendar.hours.sun[0]")
        );
        assert_eq!(err(base(json!({"monday": []}))).field(), Some("calendar.hours.monday"));
        assert_eq!(err(base(json!({"mon": []}))).field(), Some("calendar.hours"));
        let e = err(json!({"time_zone": "Mars/Olympus", "hours": {"mon": ["09:00-10:00"]}}));
        assert_eq!((e.kind(), e.field()), (ErrorKind::UnknownTimeZone, Some("calendar.time_zone")));
        let e = err(json!({"time_zone": "UTC", "hours": {"mon": ["09:00-10:00"]}, "holidays": ["13-01"]}));
        assert_eq!(e.field(), Some("calendar.holidays[0]"));
        let e = err(
            json!({"time_zone": "UTC", "hours": {"mon": ["09:00-10:00"]}, "holidays": [{"month": 5, "weekday": "mon", "nth": 6}]}),
        );
        assert_eq!(e.field(), Some("calendar.holidays[0].nth"));
        let e = err(
            json!({"time_zone": "UTC", "hours": {"mon": ["09:00-10:00"]}, "overrides": {"2026-12-24": ["10:00-12:00", "11:00-13:00"]}}),
        );
        assert_eq!(e.field(), Some("calendar.overrides.2026-12-24[1]"));
        assert_eq!(
            err(json!({"time_zone": "UTC", "hours": {"mon": ["09:00-10:00"]}, "colour": 1})).field(),
            Some("calendar.colour")
        );
    }

    #[test]
    fn holiday_rules() {
        assert_eq!(easter(2026), NaiveDate::from_ymd_opt(2026, 4, 5));
        assert_eq!(easter(2027), NaiveDate::from_ymd_opt(2027, 3, 28));
        assert_eq!(easter(2028), NaiveDate::from_ymd_opt(2028, 4, 16));
        // Last Monday of May 2026, fourth Thursday of November 2026, no fifth Monday in Feb 2027.
        assert_eq!(nth_weekday(2026, 5, Weekday::Mon, -1), NaiveDate::from_ymd_opt(2026, 5, 25));
        assert_eq!(nth_weekday(2026, 11, Weekday::Thu, 4), NaiveDate::from_ymd_opt(2026, 11, 26));
        assert_eq!(nth_weekday(2027, 2, Weekday::Mon, 5), None);
        assert_eq!(nth_weekday(2026, 12, Weekday::Thu, -1), NaiveDate::from_ymd_opt(2026, 12, 31));
    }
}
