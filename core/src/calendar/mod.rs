//! Business calendars: opening hours in a time zone, holidays, date overrides, and business-time
//! arithmetic over them.
//!
//! Design: a calendar is compiled once into weekly intervals in local minutes, holiday rules and
//! sorted overrides. Business time is walked interval by interval in the calendar's local time,
//! each interval turned into instants through the tz database (so DST moves nothing: 09:00 stays
//! 09:00). Whole regular weeks (no holiday, no override, no change of UTC offset) are skipped
//! arithmetically, so a year of business time costs about fifty steps, not thousands.

mod spec;

use std::sync::Arc;

use chrono::{Datelike, Days, LocalResult, NaiveDate, NaiveDateTime, Offset, TimeZone, Weekday};
use chrono_tz::{GapInfo, Tz};
use serde_json::Value;

use crate::error::Error;
use crate::time::{MAX_DURATION_SECONDS, Timestamp};

pub(crate) use spec::{DAYS, Origin, compile, compile_all, parse_hhmm, parse_span, parse_zone, request_holidays};

/// An opening interval in minutes from the local midnight of the date it belongs to; `end` may
/// pass 1440 (an overnight interval runs into the next day).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Span {
    pub start: u16,
    pub end: u16,
}

/// A holiday rule, on local dates of the calendar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Holiday {
    Date(NaiveDate),
    Yearly { month: u32, day: u32 },
    Easter(i32),
    Nth { month: u32, weekday: Weekday, nth: i32 },
}

impl Holiday {
    /// Whether the rule falls on `date`, rule by rule: the tests' independent oracle for
    /// [`Holidays`].
    #[cfg(test)]
    fn on(self, date: NaiveDate) -> bool {
        match self {
            Holiday::Date(d) => d == date,
            Holiday::Yearly { month, day } => date.month() == month && date.day() == day,
            // The Easter whose offset lands on `date` is the one `days` before it.
            Holiday::Easter(days) => date
                .checked_sub_signed(chrono::TimeDelta::days(days.into()))
                .is_some_and(|sunday| spec::easter(sunday.year()) == Some(sunday)),
            Holiday::Nth { month, weekday, nth } => {
                date.month() == month
                    && date.weekday() == weekday
                    && spec::nth_weekday(date.year(), month, weekday, nth) == Some(date)
            }
        }
    }

    /// The date of the rule in `year` (for Easter offsets: counted from that year's Easter).
    fn in_year(self, year: i32) -> Option<NaiveDate> {
        match self {
            Holiday::Date(d) => (d.year() == year).then_some(d),
            Holiday::Yearly { month, day } => NaiveDate::from_ymd_opt(year, month, day),
            Holiday::Easter(days) => spec::easter(year)?.checked_add_signed(chrono::TimeDelta::days(days.into())),
            Holiday::Nth { month, weekday, nth } => spec::nth_weekday(year, month, weekday, nth),
        }
    }

    /// Whether one of `rules` falls on `date`.
    pub(crate) fn any_on(rules: &[Holiday], date: NaiveDate) -> bool {
        rules.iter().any(|h| h.next(date) == Some(date))
    }

    /// The first date of the rule on or after `from`.
    fn next(self, from: NaiveDate) -> Option<NaiveDate> {
        if let Holiday::Date(d) = self {
            return (d >= from).then_some(d);
        }
        // Yearly "02-29" skips up to seven years; an Easter offset may land in the year before
        // or after its Easter's.
        let first = if matches!(self, Holiday::Easter(_)) { from.year() - 1 } else { from.year() };
        (first..=from.year() + 8).filter_map(|y| self.in_year(y)).find(|d| *d >= from)
    }
}

/// A compiled calendar.
#[derive(Debug)]
pub(crate) struct Compiled {
    name: Option<String>,
    zone: Tz,
    zone_name: String,
    /// Opening intervals per weekday, Monday first, sorted by start.
    week: [Vec<Span>; 7],
    week_millis: i64,
    holidays: Vec<Holiday>,
    /// Dates whose hours replace the weekly ones, sorted.
    overrides: Vec<(NaiveDate, Vec<Span>)>,
}

/// Days without any open time after which a search gives up: more than eight years (a calendar
/// open only on 29 February waits that long across 2100) means it has no open time left.
const MAX_IDLE_DAYS: u32 = 3_000;

/// The holiday dates of the years a walk passes through, computed once per year (not once per
/// day and rule), so that a calendar with many rules stays cheap on long spans.
struct Holidays<'c> {
    cal: &'c Compiled,
    /// Two years' sorted dates: the walk's current year and the one after it.
    years: [(i32, Vec<NaiveDate>); 2],
}

impl<'c> Holidays<'c> {
    fn new(cal: &'c Compiled) -> Holidays<'c> {
        Holidays { cal, years: [(i32::MIN, Vec::new()), (i32::MIN, Vec::new())] }
    }

    fn of(&mut self, year: i32) -> &[NaiveDate] {
        let slot = match self.years.iter().position(|(y, _)| *y == year) {
            Some(i) => i,
            None => {
                // Replace the earlier year: walks go forward.
                let i = if self.years[0].0 <= self.years[1].0 { 0 } else { 1 };
                let dates = &mut self.years[i].1;
                dates.clear();
                for h in &self.cal.holidays {
                    match h {
                        // An Easter offset may land in the year before or after its Easter's.
                        Holiday::Easter(_) => dates.extend((year - 1..=year + 1).filter_map(|y| h.in_year(y))),
                        _ => dates.extend(h.in_year(year)),
                    }
                }
                dates.retain(|d| d.year() == year);
                dates.sort_unstable();
                dates.dedup();
                self.years[i].0 = year;
                i
            }
        };
        &self.years[slot].1
    }

    fn contains(&mut self, date: NaiveDate) -> bool {
        !self.cal.holidays.is_empty() && self.of(date.year()).binary_search(&date).is_ok()
    }

    /// The first date on or after `from` that is a holiday or has an override.
    fn next_irregular(&mut self, from: NaiveDate) -> NaiveDate {
        let cal = self.cal;
        let i = cal.overrides.partition_point(|(d, _)| *d < from);
        let overridden = cal.overrides.get(i).map(|(d, _)| *d);
        let holiday = if cal.holidays.is_empty() {
            None
        } else {
            let this_year = self.of(from.year()).iter().find(|d| **d >= from).copied();
            match this_year {
                Some(d) => Some(d),
                None => match self.of(from.year() + 1).first().copied() {
                    Some(d) => Some(d),
                    // Rare rules (29 February, a fifth weekday, a one-off date years ahead).
                    None => cal.holidays.iter().filter_map(|h| h.next(from)).min(),
                },
            }
        };
        [holiday, overridden].into_iter().flatten().min().unwrap_or(NaiveDate::MAX)
    }
}

impl Compiled {
    fn new(
        name: Option<String>,
        zone: Tz,
        zone_name: String,
        week: [Vec<Span>; 7],
        holidays: Vec<Holiday>,
        overrides: Vec<(NaiveDate, Vec<Span>)>,
    ) -> Compiled {
        let week_millis = week.iter().flatten().map(|s| i64::from(s.end - s.start) * 60_000).sum();
        Compiled { name, zone, zone_name, week, week_millis, holidays, overrides }
    }

    fn override_of(&self, date: NaiveDate) -> Option<&[Span]> {
        self.overrides.binary_search_by_key(&date, |(d, _)| *d).ok().map(|i| self.overrides[i].1.as_slice())
    }

    /// The intervals that belong to `date`: its override, none on a holiday, else the week's.
    /// Dates before `next_irregular` (see [`Holidays::next_irregular`]) are known to be regular.
    fn spans(&self, date: NaiveDate, next_irregular: NaiveDate, holidays: &mut Holidays<'_>) -> &[Span] {
        if date < next_irregular {
            return &self.week[date.weekday().num_days_from_monday() as usize];
        }
        if let Some(spans) = self.override_of(date) {
            return spans;
        }
        if holidays.contains(date) {
            return &[];
        }
        &self.week[date.weekday().num_days_from_monday() as usize]
    }

    /// The instant of `minutes` after the local midnight of `date`: a time in a DST gap is the
    /// first instant after the gap (where it begins, for an interval ending in it), an
    /// ambiguous time the earlier instant.
    fn instant(&self, date: NaiveDate, minutes: u16) -> Option<i64> {
        let local: NaiveDateTime = date.checked_add_days(Days::new(u64::from(minutes / 1440)))?.and_hms_opt(
            u32::from(minutes % 1440 / 60),
            u32::from(minutes % 60),
            0,
        )?;
        match self.zone.from_local_datetime(&local) {
            LocalResult::Single(t) => Some(t.timestamp_millis()),
            LocalResult::Ambiguous(earlier, _) => Some(earlier.timestamp_millis()),
            LocalResult::None => match GapInfo::new(&local, &self.zone).and_then(|g| g.end) {
                Some(after) => Some(after.timestamp_millis()),
                None => {
                    let offset = self.offset_seconds(local.and_utc().timestamp_millis());
                    Some(local.and_utc().timestamp_millis() - offset * 1000)
                }
            },
        }
    }

    /// The UTC offset in seconds at the instant `ms`.
    fn offset_seconds(&self, ms: i64) -> i64 {
        let naive = Timestamp::from_unix_millis(ms).map(Timestamp::naive_utc).unwrap_or_default();
        i64::from(self.zone.offset_from_utc_datetime(&naive).fix().local_minus_utc())
    }

    /// The local date at the instant `ms`.
    fn local_date(&self, ms: i64) -> Option<NaiveDate> {
        let t = Timestamp::from_unix_millis(ms)?;
        Some(self.zone.from_utc_datetime(&t.naive_utc()).date_naive())
    }

    /// If the seven days from `date` are regular (no holiday, no override) and share one UTC
    /// offset: that offset, with which their intervals are plain arithmetic.
    fn regular_week(&self, date: NaiveDate, next_irregular: NaiveDate) -> Option<i64> {
        if date.checked_add_days(Days::new(7))? > next_irregular {
            return None;
        }
        // From the evening before to the morning after: overnight intervals included.
        let from = self.instant(date.pred_opt()?, 0)?;
        let to = self.instant(date.checked_add_days(Days::new(9))?, 0)?;
        let offset = self.offset_seconds(from);
        (offset == self.offset_seconds(to)).then_some(offset)
    }

    /// With a constant `offset`: the instant of `minutes` after the local midnight of `date`.
    fn instant_at_offset(date: NaiveDate, minutes: u16, offset: i64) -> i64 {
        let midnight = date.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc().timestamp_millis();
        midnight + i64::from(minutes) * 60_000 - offset * 1000
    }

    /// The first opening and the last closing instant of the regular week from `date`.
    fn week_bounds(&self, date: NaiveDate, offset: i64) -> Option<(i64, i64)> {
        let days = (0..7u64).filter_map(|k| Some((date.checked_add_days(Days::new(k))?, k)));
        let mut first = None;
        let mut last = None;
        for (day, _) in days {
            let spans = &self.week[day.weekday().num_days_from_monday() as usize];
            if let (Some(a), Some(b)) = (spans.first(), spans.iter().map(|s| s.end).max()) {
                first.get_or_insert(Compiled::instant_at_offset(day, a.start, offset));
                last = Some(Compiled::instant_at_offset(day, b, offset));
            }
        }
        Some((first?, last?))
    }

    /// The instant at which `amount` ms of open time after `start` are used up.
    fn add(&self, start: i64, amount: i64) -> Result<i64, Error> {
        if amount == 0 {
            return Ok(start);
        }
        let out_of_range = || Error::limit_exceeded("seconds", "the result would be after the year 9999");
        let mut remaining = amount;
        // Yesterday's overnight interval may still be open at `start`.
        let mut date = self.local_date(start).and_then(|d| d.pred_opt()).ok_or_else(out_of_range)?;
        let mut covered = start;
        let mut holidays = Holidays::new(self);
        let mut next_irregular = holidays.next_irregular(date);
        let mut idle = 0;
        loop {
            if remaining > self.week_millis
                && let Some(offset) = self.regular_week(date, next_irregular)
                && let Some((first, last)) = self.week_bounds(date, offset)
                && covered <= first
            {
                remaining -= self.week_millis;
                covered = last;
                date = date.checked_add_days(Days::new(7)).ok_or_else(out_of_range)?;
                idle = 0;
                continue;
            }
            let mut open = false;
            for span in self.spans(date, next_irregular, &mut holidays) {
                let (Some(a), Some(b)) = (self.instant(date, span.start), self.instant(date, span.end)) else {
                    return Err(out_of_range());
                };
                let a = a.max(covered);
                if b <= a {
                    continue;
                }
                open = true;
                if remaining <= b - a {
                    return Ok(a + remaining);
                }
                remaining -= b - a;
                covered = b;
            }
            idle = if open { 0 } else { idle + 1 };
            if idle > MAX_IDLE_DAYS {
                return Err(self.never_open(date));
            }
            date = date.succ_opt().filter(|d| d.year() <= 9999).ok_or_else(out_of_range)?;
            if date > next_irregular {
                next_irregular = holidays.next_irregular(date);
            }
        }
    }

    /// Open time, in ms, between the instants `start` and `end` (`start <= end`).
    fn between(&self, start: i64, end: i64) -> i64 {
        if end <= start {
            return 0;
        }
        let Some(mut date) = self.local_date(start).and_then(|d| d.pred_opt()) else { return 0 };
        let mut covered = start;
        let mut total = 0;
        let mut holidays = Holidays::new(self);
        let mut next_irregular = holidays.next_irregular(date);
        loop {
            if let Some(offset) = self.regular_week(date, next_irregular)
                && let Some((first, last)) = self.week_bounds(date, offset)
                && covered <= first
                && last <= end
            {
                total += self.week_millis;
                covered = last;
                match date.checked_add_days(Days::new(7)) {
                    Some(d) => date = d,
                    None => return total,
                }
                continue;
            }
            for span in self.spans(date, next_irregular, &mut holidays) {
                let (Some(a), Some(b)) = (self.instant(date, span.start), self.instant(date, span.end)) else {
                    return total;
                };
                let (a, clipped) = (a.max(covered), b.min(end));
                if clipped > a {
                    total += clipped - a;
                }
                covered = covered.max(b);
            }
            // Intervals of later dates start after the next midnight.
            match date.succ_opt() {
                Some(next) if self.instant(next, 0).is_some_and(|m| m < end) => date = next,
                _ => return total,
            }
            if date > next_irregular {
                next_irregular = holidays.next_irregular(date);
            }
        }
    }

    fn never_open(&self, after: NaiveDate) -> Error {
        let what = self.name.as_deref().map_or_else(|| "the calendar".to_string(), |n| format!("calendar {n:?}"));
        Error::invalid_input(
            "calendar",
            format!(
                "{what} has no open time in the {MAX_IDLE_DAYS} days before {after}: check its holidays and overrides"
            ),
        )
    }
}

/// A compiled business calendar: opening hours in an IANA time zone, holidays and date
/// overrides. Cheap to clone and to share between threads.
///
/// Get one from a policy with [`Engine::calendar`](crate::Engine::calendar), or from an inline
/// document with [`BusinessCalendar::from_json`]:
///
/// ```json
/// {"time_zone": "Europe/Berlin",
///  "hours": {"mon": ["09:00-12:30", "13:30-18:00"], "fri": ["09:00-17:00"], "sat": ["22:00-06:00"]},
///  "holidays": ["2026-12-25", "01-01", {"easter": 1}, {"month": 5, "weekday": "mon", "nth": -1}],
///  "overrides": {"2026-12-24": ["09:00-13:00"], "2026-12-31": []}}
/// ```
///
/// Intervals belong to the local date they start on (an overnight interval starting on a
/// holiday is closed, one starting the evening before runs its full length). An interval that
/// starts in a DST gap opens at the first instant after it; one that ends in a gap ends where
/// it begins; an ambiguous local time is its earlier instant. DST rules of the tz database are
/// applied through the year 2099, standard time after it.
///
/// # Example
///
/// ```
/// use aftersales::{BusinessCalendar, Timestamp};
///
/// let berlin = BusinessCalendar::from_json(
///     r#"{"time_zone": "Europe/Berlin", "hours": {"mon": ["09:00-18:00"], "tue": ["09:00-18:00"]}}"#,
/// )?;
/// // Monday 17:00 in Berlin plus 2 business hours: Tuesday 10:00 (08:00 UTC).
/// let start: Timestamp = "2026-11-23T17:00:00+01:00".parse()?;
/// assert_eq!(berlin.add_business_time(start, 7200)?.to_string(), "2026-11-24T09:00:00Z");
/// # Ok::<(), aftersales::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct BusinessCalendar {
    compiled: Arc<Compiled>,
}

impl BusinessCalendar {
    pub(crate) fn from_compiled(compiled: Compiled) -> BusinessCalendar {
        BusinessCalendar { compiled: Arc::new(compiled) }
    }

    /// Compiles an inline calendar written in JSON.
    ///
    /// # Errors
    ///
    /// `invalid_input` naming the field (`hours.mon[1]`) for a malformed interval, overlapping
    /// intervals, an unknown weekday, a malformed holiday or override, a calendar that is never
    /// open; `unknown_time_zone` for a zone the tz database does not have.
    ///
    /// # Example
    ///
    /// ```
    /// use aftersales::{BusinessCalendar, ErrorKind};
    ///
    /// let err = BusinessCalendar::from_json(r#"{"time_zone": "Europe/Berlin", "hours": {"mon": ["9-18"]}}"#).unwrap_err();
    /// assert_eq!(err.field(), Some("hours.mon[0]"));
    /// let err = BusinessCalendar::from_json(r#"{"time_zone": "Europe/Berlinn", "hours": {"mon": ["09:00-18:00"]}}"#).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::UnknownTimeZone);
    /// ```
    pub fn from_json(json: &str) -> Result<BusinessCalendar, Error> {
        let doc: Value =
            serde_json::from_str(json).map_err(|e| Error::invalid_input("", format!("not valid JSON: {e}")))?;
        BusinessCalendar::from_value(&doc)
    }

    /// Compiles an inline calendar given as a JSON value (errors as for
    /// [`from_json`](BusinessCalendar::from_json)).
    ///
    /// # Example
    ///
    /// ```
    /// let always = aftersales::BusinessCalendar::from_value(&serde_json::json!(
    ///     {"time_zone": "UTC", "hours": {"mon": ["00:00-24:00"], "tue": ["00:00-24:00"], "wed": ["00:00-24:00"],
    ///      "thu": ["00:00-24:00"], "fri": ["00:00-24:00"], "sat": ["00:00-24:00"], "sun": ["00:00-24:00"]}}
    /// ))?;
    /// assert_eq!(always.time_zone(), "UTC");
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn from_value(doc: &Value) -> Result<BusinessCalendar, Error> {
        compile(doc, "", Origin::Request, None).map(BusinessCalendar::from_compiled)
    }

    pub(crate) fn from_request(doc: &Value, path: &str) -> Result<BusinessCalendar, Error> {
        compile(doc, path, Origin::Request, None).map(BusinessCalendar::from_compiled)
    }

    /// The calendar's name in the policy, if it comes from one.
    ///
    /// # Example
    ///
    /// ```
    /// let cal = aftersales::Engine::new().calendar("eu_support")?;
    /// assert_eq!(cal.name(), Some("eu_support"));
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn name(&self) -> Option<&str> {
        self.compiled.name.as_deref()
    }

    /// The IANA time zone the calendar's hours are written in.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(aftersales::Engine::new().calendar("eu_support")?.time_zone(), "Europe/Berlin");
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn time_zone(&self) -> &str {
        &self.compiled.zone_name
    }

    /// The instant at which `seconds` of business time after `start` are used up.
    ///
    /// Time used up exactly at a closing time gives that closing time, not the next opening;
    /// zero seconds give `start` itself.
    ///
    /// # Errors
    ///
    /// `invalid_input` for negative seconds, or when the calendar has no open time left (its
    /// holidays and overrides close it for more than eight years); `limit_exceeded` for more than
    /// 100 years of seconds or a result after the year 9999.
    ///
    /// # Example
    ///
    /// ```
    /// use aftersales::{Engine, Timestamp};
    ///
    /// let eu = Engine::new().calendar("eu_support")?; // Mon–Fri 09:00–18:00 Europe/Berlin
    /// // Friday 16:00 local + 4 business hours: Monday 11:00 local (10:00 UTC).
    /// let due = eu.add_business_time("2026-11-27T15:00:00Z".parse()?, 4 * 3600)?;
    /// assert_eq!(due.to_string(), "2026-11-30T10:00:00Z");
    /// // Used up exactly at closing: the closing time itself.
    /// let due = eu.add_business_time("2026-11-27T15:00:00Z".parse()?, 2 * 3600)?;
    /// assert_eq!(due.to_string(), "2026-11-27T17:00:00Z");
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn add_business_time(&self, start: Timestamp, seconds: i64) -> Result<Timestamp, Error> {
        if seconds < 0 {
            return Err(Error::invalid_input("seconds", format!("must not be negative, got {seconds}")));
        }
        if seconds > MAX_DURATION_SECONDS {
            return Err(Error::limit_exceeded("seconds", "at most 100 years of seconds"));
        }
        let end = self.compiled.add(start.unix_millis(), seconds * 1000)?;
        Timestamp::from_unix_millis(end)
            .ok_or_else(|| Error::limit_exceeded("seconds", "the result would be after the year 9999"))
    }

    /// A calendar open `spans` on the weekdays of `open_days` (bit 0 Monday … bit 6 Sunday),
    /// closed on `holidays`, with per-date `overrides`: a customer's reply window.
    pub(crate) fn daily(
        zone: Tz,
        zone_name: &str,
        spans: &[Span],
        open_days: u8,
        holidays: Vec<Holiday>,
        overrides: Vec<(NaiveDate, Vec<Span>)>,
    ) -> BusinessCalendar {
        let week: [Vec<Span>; 7] =
            std::array::from_fn(|d| if open_days & (1 << d) != 0 { spans.to_vec() } else { Vec::new() });
        BusinessCalendar::from_compiled(Compiled::new(None, zone, zone_name.to_string(), week, holidays, overrides))
    }

    /// The first instant at or after `t` at which the calendar is open.
    ///
    /// Open time accrues from an opening on, and intervals are whole minutes, so the first
    /// millisecond of business time after `t` is used up one millisecond after that instant.
    pub(crate) fn next_open(&self, t: Timestamp) -> Result<Timestamp, Error> {
        let late = || Error::limit_exceeded("now", "no opening before the end of the year 9999");
        let end = self.compiled.add(t.unix_millis(), 1).map_err(|e| if e.is_limit_exceeded() { late() } else { e })?;
        Timestamp::from_unix_millis(end - 1).ok_or_else(late)
    }

    /// Whether a holiday rule of the calendar falls on the local `date`.
    pub(crate) fn is_holiday(&self, date: NaiveDate) -> bool {
        Holiday::any_on(&self.compiled.holidays, date)
    }

    /// `add_business_time` on milliseconds, for the SLA clock.
    pub(crate) fn add_millis(&self, start: Timestamp, ms: i64) -> Result<Timestamp, Error> {
        let end = self.compiled.add(start.unix_millis(), ms)?;
        Timestamp::from_unix_millis(end)
            .ok_or_else(|| Error::limit_exceeded("seconds", "the result would be after the year 9999"))
    }

    /// Business seconds (rounded down) between two instants.
    ///
    /// # Errors
    ///
    /// `invalid_input` naming `end` when it is before `start`; `limit_exceeded` for a span of
    /// more than 100 years.
    ///
    /// # Example
    ///
    /// ```
    /// use aftersales::Engine;
    ///
    /// let eu = Engine::new().calendar("eu_support")?;
    /// // Friday 16:00 to Monday 11:00 in Berlin: 2 h on Friday and 2 h on Monday.
    /// let s = eu.business_time_between("2026-11-27T15:00:00Z".parse()?, "2026-11-30T10:00:00Z".parse()?)?;
    /// assert_eq!(s, 4 * 3600);
    /// # Ok::<(), aftersales::Error>(())
    /// ```
    pub fn business_time_between(&self, start: Timestamp, end: Timestamp) -> Result<i64, Error> {
        if end < start {
            return Err(Error::invalid_input("end", format!("{end} is before the start {start}")));
        }
        if end.unix_millis() - start.unix_millis() > MAX_DURATION_SECONDS * 1000 {
            return Err(Error::limit_exceeded("end", "spans of at most 100 years"));
        }
        Ok(self.between_millis(start, end) / 1000)
    }

    /// Open time in ms between two instants (`start <= end`).
    pub(crate) fn between_millis(&self, start: Timestamp, end: Timestamp) -> i64 {
        self.compiled.between(start.unix_millis(), end.unix_millis())
    }
}

#[cfg(test)]
mod tests;
