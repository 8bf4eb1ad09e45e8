use super::*;
use proptest::prelude::*;
use serde_json::json;

fn cal(doc: Value) -> BusinessCalendar {
    BusinessCalendar::from_value(&doc).expect("a valid calendar")
}

fn t(s: &str) -> Timestamp {
    s.parse().expect("a timestamp")
}

fn weekdays(zone: &str, hours: &[&str]) -> BusinessCalendar {
    let h: Vec<Value> = hours.iter().map(|s| json!(s)).collect();
    cal(json!({"time_zone": zone, "hours": {"mon": h, "tue": h, "wed": h, "thu": h, "fri": h}}))
}

fn add(c: &BusinessCalendar, start: &str, seconds: i64) -> String {
    c.add_business_time(t(start), seconds).expect("adds").to_string()
}

fn between(c: &BusinessCalendar, a: &str, b: &str) -> i64 {
    c.business_time_between(t(a), t(b)).expect("measures")
}

#[test]
fn business_hours_stay_local_across_dst_in_berlin() {
    let c = weekdays("Europe/Berlin", &["09:00-18:00"]);
    // Spring forward on Sunday 2026-03-29: Friday 17:00 CET + 2 h = Monday 10:00 CEST.
    assert_eq!(add(&c, "2026-03-27T17:00:00+01:00", 7200), "2026-03-30T08:00:00Z");
    assert_eq!(between(&c, "2026-03-27T09:00:00+01:00", "2026-03-30T18:00:00+02:00"), 18 * 3600);
    // Fall back on Sunday 2026-10-25: Friday 17:00 CEST + 2 h = Monday 10:00 CET.
    assert_eq!(add(&c, "2026-10-23T17:00:00+02:00", 7200), "2026-10-26T09:00:00Z");
    assert_eq!(between(&c, "2026-10-23T09:00:00+02:00", "2026-10-26T18:00:00+01:00"), 18 * 3600);
}

#[test]
fn business_hours_stay_local_across_dst_in_new_york() {
    let c = weekdays("America/New_York", &["09:00-18:00"]);
    // Spring forward on Sunday 2026-03-08, fall back on Sunday 2026-11-01.
    assert_eq!(add(&c, "2026-03-06T17:00:00-05:00", 7200), "2026-03-09T14:00:00Z");
    assert_eq!(add(&c, "2026-10-30T17:00:00-04:00", 7200), "2026-11-02T15:00:00Z");
    assert_eq!(between(&c, "2026-10-30T00:00:00-04:00", "2026-11-03T00:00:00-05:00"), 18 * 3600);
}

#[test]
fn intervals_starting_or_ending_in_a_dst_gap() {
    // Berlin skips 02:00–03:00 on 2026-03-29 (a Sunday).
    let starts_in_gap = cal(json!({"time_zone": "Europe/Berlin", "hours": {"sun": ["02:30-05:00"]}}));
    // Opens at 03:00 CEST (01:00 UTC): two hours.
    assert_eq!(between(&starts_in_gap, "2026-03-29T00:00:00Z", "2026-03-30T00:00:00Z"), 2 * 3600);
    assert_eq!(add(&starts_in_gap, "2026-03-28T12:00:00Z", 1), "2026-03-29T01:00:01Z");
    let ends_in_gap = cal(json!({"time_zone": "Europe/Berlin", "hours": {"sun": ["00:00-02:30"]}}));
    // Ends where the gap begins, 02:00 CET (01:00 UTC): two hours.
    assert_eq!(between(&ends_in_gap, "2026-03-28T12:00:00Z", "2026-03-30T00:00:00Z"), 2 * 3600);
    assert_eq!(add(&ends_in_gap, "2026-03-28T12:00:00Z", 7200), "2026-03-29T01:00:00Z");
    // On fall-back night an overnight interval lasts an hour longer in real time.
    let night = cal(json!({"time_zone": "Europe/Berlin", "hours": {"sat": ["22:00-06:00"]}}));
    assert_eq!(between(&night, "2026-10-24T00:00:00Z", "2026-10-26T00:00:00Z"), 9 * 3600);
}

#[test]
fn overnight_intervals_across_midnight_and_the_weekend() {
    let c = cal(json!({
        "time_zone": "Europe/Berlin",
        "hours": {"fri": ["22:00-06:00"], "sun": ["20:00-02:00"]},
        "holidays": ["2026-12-04"]
    }));
    // Friday 2026-11-27 23:00 + 7 h: Saturday 06:00, then Sunday 20:00 for the rest.
    assert_eq!(add(&c, "2026-11-27T23:00:00+01:00", 7 * 3600), "2026-11-28T05:00:00Z");
    assert_eq!(add(&c, "2026-11-27T23:00:00+01:00", 8 * 3600), "2026-11-29T20:00:00Z");
    // Sunday night runs into Monday.
    assert_eq!(between(&c, "2026-11-30T00:00:00+01:00", "2026-11-30T12:00:00+01:00"), 2 * 3600);
    // The interval that starts on the holiday Friday 2026-12-04 is closed entirely; the one of
    // Sunday 2026-12-06 (not a holiday) runs its full length into Monday.
    assert_eq!(between(&c, "2026-12-04T00:00:00+01:00", "2026-12-08T00:00:00+01:00"), 6 * 3600);
}

#[test]
fn holidays_are_local_dates_of_the_calendar() {
    let c = cal(json!({
        "time_zone": "Asia/Shanghai",
        "hours": {"mon": ["09:00-18:00"], "tue": ["09:00-18:00"], "wed": ["09:00-18:00"],
                  "thu": ["09:00-18:00"], "fri": ["09:00-18:00"]},
        "holidays": ["10-01"]
    }));
    // 18:00 on 2026-09-30 in Los Angeles is 09:00 on 2026-10-01 (a holiday) in Shanghai: the
    // hour runs from Friday 2026-10-02 09:00 Shanghai (01:00 UTC).
    assert_eq!(add(&c, "2026-09-30T18:00:00-07:00", 3600), "2026-10-02T02:00:00Z");
}

#[test]
fn year_ends_leap_days_and_rules() {
    let c = cal(json!({
        "time_zone": "Europe/Berlin",
        "hours": {"mon": ["09:00-17:00"], "tue": ["09:00-17:00"], "wed": ["09:00-17:00"],
                  "thu": ["09:00-17:00"], "fri": ["09:00-17:00"]},
        "holidays": ["01-01", {"easter": -2}, {"easter": 1}, "12-25", "12-26"],
        "overrides": {"2027-12-31": ["09:00-12:00"]}
    }));
    // Thursday 2027-12-30 16:00: 1 h that day, 3 h on New Year's Eve, New Year's Day closed,
    // the weekend, then Monday 2028-01-03.
    assert_eq!(add(&c, "2027-12-30T16:00:00+01:00", 6 * 3600), "2028-01-03T10:00:00Z");
    // The leap day 2028-02-29 is a Tuesday like any other.
    assert_eq!(between(&c, "2028-02-28T00:00:00+01:00", "2028-03-01T00:00:00+01:00"), 16 * 3600);
    // Easter 2028 is April 16: Good Friday the 14th and Easter Monday the 17th are closed.
    assert_eq!(between(&c, "2028-04-10T00:00:00+02:00", "2028-04-22T00:00:00+02:00"), 8 * 8 * 3600);
}

#[test]
fn zero_and_huge_targets() {
    let c = weekdays("Europe/Berlin", &["09:00-18:00"]);
    // Zero business time is the start itself, even when closed.
    assert_eq!(add(&c, "2026-11-28T12:00:00Z", 0), "2026-11-28T12:00:00Z");
    // A year of business time (2,250 h: 250 days of 9 h) from Monday 2026-01-05 09:00 ends
    // after 50 whole weeks.
    let start = t("2026-01-05T09:00:00+01:00");
    let year = 2250 * 3600;
    let end = c.add_business_time(start, year).unwrap();
    assert_eq!(end.to_string(), "2026-12-18T17:00:00Z");
    assert_eq!(c.business_time_between(start, end).unwrap(), year);
    // Beyond the limits: a clear error, not a long search.
    assert!(c.add_business_time(start, -1).unwrap_err().is_invalid_input());
    assert!(c.add_business_time(start, i64::MAX).unwrap_err().is_limit_exceeded());
    assert_eq!(
        c.business_time_between(t("2026-01-02T00:00:00Z"), t("2026-01-01T00:00:00Z")).unwrap_err().field(),
        Some("end")
    );
}

#[test]
fn a_calendar_that_is_closed_for_good_is_an_error() {
    // Open on Mondays only, and every Monday for more than eight years is an override closing it.
    let mondays: serde_json::Map<String, Value> = (0..450)
        .map(|w| {
            let d = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap() + Days::new(7 * w);
            (d.format("%Y-%m-%d").to_string(), json!([]))
        })
        .collect();
    let c = cal(json!({"time_zone": "UTC", "hours": {"mon": ["09:00-10:00"]}, "overrides": mondays}));
    assert!(c.add_business_time(t("2026-01-01T00:00:00Z"), 60).unwrap_err().is_invalid_input());
    // Never open at all: refused when compiled.
    let e = BusinessCalendar::from_value(&json!({"time_zone": "UTC", "hours": {}})).unwrap_err();
    assert_eq!(e.field(), Some("hours"));
}

#[test]
fn used_up_at_closing_time_gives_the_closing_time() {
    let c = weekdays("Asia/Kolkata", &["09:30-13:00", "14:00-18:30"]);
    assert_eq!(add(&c, "2026-11-23T09:30:00+05:30", 3 * 3600 + 1800), "2026-11-23T07:30:00Z");
    assert_eq!(add(&c, "2026-11-23T09:30:00+05:30", 3 * 3600 + 1801), "2026-11-23T08:30:01Z");
}

// ---- Property test against a slow reference that walks minute by minute. ----

const ZONES: [&str; 8] = [
    "Europe/Berlin",
    "America/New_York",
    "America/Sao_Paulo",
    "Australia/Sydney",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Asia/Shanghai",
    "UTC",
];

fn hhmm(minutes: u32) -> String {
    let m = minutes % 1440;
    format!("{:02}:{:02}", m / 60, m % 60)
}

/// A random valid calendar: per weekday up to two intervals (some overnight), some holidays
/// and overrides around the years the test starts in.
fn calendars() -> impl Strategy<Value = Value> {
    let day = proptest::collection::vec((0u32..96, 1u32..64), 0..3);
    (
        0usize..ZONES.len(),
        proptest::array::uniform7(day),
        proptest::collection::vec(0u32..1100, 0..6),
        proptest::collection::vec((0u32..1100, 0u32..96, 1u32..40), 0..4),
        -3i64..3,
    )
        .prop_filter_map("overlapping intervals", |(zone, week, holidays, overrides, easter)| {
            let names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
            let base = NaiveDate::from_ymd_opt(2026, 1, 1)?;
            let mut hours = serde_json::Map::new();
            for (d, spans) in week.iter().enumerate() {
                let list: Vec<Value> = spans
                    .iter()
                    .map(|(start, len)| json!(format!("{}-{}", hhmm(start * 15), hhmm(start * 15 + len * 30))))
                    .collect();
                hours.insert(names[d].to_string(), Value::Array(list));
            }
            let mut days: Vec<Value> = holidays
                .iter()
                .map(|d| json!((base + Days::new(u64::from(*d))).format("%Y-%m-%d").to_string()))
                .collect();
            days.push(json!("12-25"));
            days.push(json!({"easter": easter}));
            let mut over = serde_json::Map::new();
            for (d, start, len) in overrides {
                let date = (base + Days::new(u64::from(d))).format("%Y-%m-%d").to_string();
                over.insert(date, json!([format!("{}-{}", hhmm(start * 15), hhmm(start * 15 + len * 30))]));
            }
            let doc = json!({"time_zone": ZONES[zone], "hours": hours, "holidays": days, "overrides": over});
            BusinessCalendar::from_value(&doc).ok().map(|_| doc)
        })
}

/// The open minutes of `cal` from `start`, one by one, as a test oracle: every interval of every
/// date from the day before `start` turned into instants, merged, then walked a minute at a time.
struct Reference {
    spans: Vec<(i64, i64)>,
}

impl Reference {
    fn new(c: &Compiled, start: i64, days: u64) -> Reference {
        let first = c.local_date(start).unwrap().pred_opt().unwrap();
        let mut spans: Vec<(i64, i64)> = Vec::new();
        for k in 0..days {
            let date = first + Days::new(k);
            let weekday = &c.week[date.weekday().num_days_from_monday() as usize];
            let today: &[Span] = match c.override_of(date) {
                Some(o) => o,
                None if c.holidays.iter().any(|h| h.on(date)) => &[],
                None => weekday,
            };
            for s in today {
                let (a, b) = (c.instant(date, s.start).unwrap(), c.instant(date, s.end).unwrap());
                if b > a {
                    spans.push((a, b));
                }
            }
        }
        spans.sort();
        let mut merged: Vec<(i64, i64)> = Vec::new();
        for (a, b) in spans {
            match merged.last_mut() {
                Some(last) if a <= last.1 => last.1 = last.1.max(b),
                _ => merged.push((a, b)),
            }
        }
        Reference { spans: merged }
    }

    fn open(&self, minute: i64) -> bool {
        let i = self.spans.partition_point(|s| s.1 <= minute);
        self.spans.get(i).is_some_and(|s| s.0 <= minute && minute + 60_000 <= s.1)
    }

    /// The end of the minute in which `minutes` open minutes after `start` are used up.
    fn add(&self, start: i64, minutes: i64, limit: i64) -> Option<i64> {
        if minutes == 0 {
            return Some(start);
        }
        let mut used = 0;
        let mut m = start;
        while m < limit {
            if self.open(m) {
                used += 1;
                if used == minutes {
                    return Some(m + 60_000);
                }
            }
            m += 60_000;
        }
        None
    }

    fn between(&self, start: i64, end: i64) -> i64 {
        (0..).map(|k| start + k * 60_000).take_while(|m| *m < end).filter(|m| self.open(*m)).count() as i64 * 60
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn add_and_between_agree_with_a_minute_by_minute_walk(
        doc in calendars(),
        start_minute in 0i64..(3 * 366 * 1440),
        minutes in 0i64..(40 * 60),
        extra_seconds in 0i64..60,
    ) {
        let c = BusinessCalendar::from_value(&doc).unwrap();
        let compiled = &c.compiled;
        // Minute-aligned starts from 2026-01-01 on.
        let start = t("2026-01-01T00:00:00Z").unix_millis() + start_minute * 60_000;
        let reference = Reference::new(compiled, start, 120);
        let horizon = start + 110 * 86_400_000;
        if let Some(expected) = reference.add(start, minutes, horizon) {
            let got = c.add_business_time(Timestamp::from_unix_millis(start).unwrap(), minutes * 60).unwrap();
            prop_assert_eq!(got.unix_millis(), expected);
            prop_assert_eq!(reference.between(start, expected), minutes * 60);
            prop_assert_eq!(c.business_time_between(Timestamp::from_unix_millis(start).unwrap(), got).unwrap(), minutes * 60);
        }
        // Seconds that are not whole minutes: between inverts add.
        let seconds = minutes * 60 + extra_seconds;
        let from = Timestamp::from_unix_millis(start + extra_seconds * 1000).unwrap();
        let end = c.add_business_time(from, seconds).unwrap();
        prop_assert_eq!(c.business_time_between(from, end).unwrap(), seconds);
    }
}
