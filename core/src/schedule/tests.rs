use proptest::prelude::*;
use serde_json::{Value, json};

use crate::{Engine, ErrorKind, ReplyDecision, ReplyPlan, ReplyRequest};

fn plan(engine: &Engine, request: Value) -> ReplyPlan {
    engine.schedule_reply(&ReplyRequest::from_value(&request).unwrap()).unwrap()
}

/// (decision, UTC send time, local send time, reason code)
fn brief(p: &ReplyPlan) -> (&'static str, String, &str, &'static str) {
    (p.decision.as_str(), p.send_at.to_string(), p.local_send_at.as_str(), p.reason.code)
}

/// Weekends switched off where the DST days of the tests fall on Sundays.
fn no_weekends() -> Engine {
    Engine::from_value(json!({"reply": {"weekends": {"DE": [], "BR": [], "AU": []}}})).unwrap()
}

#[test]
fn riyadh_friday_is_the_weekend() {
    let p = plan(&Engine::new(), json!({"now": "2026-11-20T11:00:00Z", "customer": {"time_zone": "Asia/Riyadh"}}));
    assert_eq!(brief(&p), ("deferred", "2026-11-22T06:00:00Z".into(), "2026-11-22T09:00:00+03:00", "weekend"));
    assert_eq!(p.weekend, ["fri", "sat"]);
    assert_eq!(p.country.unwrap().code(), "SA");
    assert_eq!(p.delay_seconds, 43 * 3600);
}

#[test]
fn dubai_friday_is_a_working_day_since_2022() {
    let p = plan(&Engine::new(), json!({"now": "2026-11-20T08:00:00Z", "customer": {"country": "AE"}}));
    assert_eq!(brief(&p), ("send_now", "2026-11-20T08:00:00Z".into(), "2026-11-20T12:00:00+04:00", "in_window"));
    assert_eq!(p.weekend, ["sat", "sun"]);
    assert_eq!(format!("{:?}", p.time_zone_source), "Country");
    // Muscat is Oman's zone name, though its data links to Dubai's: Oman's weekend.
    let p = plan(&Engine::new(), json!({"now": "2026-11-20T08:00:00Z", "customer": {"time_zone": "Asia/Muscat"}}));
    assert_eq!((p.country.unwrap().code(), p.decision), ("OM", ReplyDecision::Deferred));
}

#[test]
fn half_and_three_quarter_hour_offsets() {
    // Monday 07:30 in Kolkata: 09:00 IST is 03:30 UTC.
    let p = plan(&Engine::new(), json!({"now": "2026-11-23T02:00:00Z", "customer": {"time_zone": "Asia/Kolkata"}}));
    assert_eq!(brief(&p), ("deferred", "2026-11-23T03:30:00Z".into(), "2026-11-23T09:00:00+05:30", "outside_window"));
    // Monday 07:45 in Kathmandu: 09:00 NPT is 03:15 UTC.
    let p = plan(&Engine::new(), json!({"now": "2026-11-23T02:00:00Z", "customer": {"time_zone": "Asia/Kathmandu"}}));
    assert_eq!(brief(&p), ("deferred", "2026-11-23T03:15:00Z".into(), "2026-11-23T09:00:00+05:45", "outside_window"));
    // Saturday in Nepal is the weekend, Sunday a working day.
    let p = plan(&Engine::new(), json!({"now": "2026-11-21T06:00:00Z", "customer": {"country": "NP"}}));
    assert_eq!(brief(&p), ("deferred", "2026-11-22T03:15:00Z".into(), "2026-11-22T09:00:00+05:45", "weekend"));
    // Saturday in India is a working day; Sunday is not.
    let p = plan(&Engine::new(), json!({"now": "2026-11-21T06:00:00Z", "customer": {"country": "IN"}}));
    assert_eq!(p.decision, ReplyDecision::SendNow);
    let p = plan(&Engine::new(), json!({"now": "2026-11-22T06:00:00Z", "customer": {"country": "IN"}}));
    assert_eq!(brief(&p), ("deferred", "2026-11-23T03:30:00Z".into(), "2026-11-23T09:00:00+05:30", "weekend"));
}

#[test]
fn before_inside_after_the_window_and_past_midnight() {
    let e = Engine::new();
    let berlin = |now: &str| json!({"now": now, "customer": {"country": "DE"}});
    assert_eq!(brief(&plan(&e, berlin("2026-11-24T06:00:00Z"))).3, "outside_window"); // 07:00
    assert_eq!(plan(&e, berlin("2026-11-24T06:00:00Z")).local_send_at, "2026-11-24T09:00:00+01:00");
    assert_eq!(plan(&e, berlin("2026-11-24T12:00:00Z")).decision, ReplyDecision::SendNow);
    let late = plan(&e, berlin("2026-11-24T20:30:00Z")); // 21:30
    assert_eq!(late.local_send_at, "2026-11-25T09:00:00+01:00");
    // A window from 22:00 to 06:00 runs past midnight.
    let night = json!({"now": "2026-11-24T23:30:00Z", "customer": {"country": "DE"}, "window": {"start": "22:00", "end": "06:00"}});
    assert_eq!(plan(&e, night).decision, ReplyDecision::SendNow);
    let day = json!({"now": "2026-11-24T12:00:00Z", "customer": {"country": "DE"}, "window": {"start": "22:00", "end": "06:00"}});
    assert_eq!(plan(&e, day).local_send_at, "2026-11-24T22:00:00+01:00");
    // Friday 19:59 is in; Friday 20:00 waits for Monday.
    assert_eq!(plan(&e, berlin("2026-11-27T18:59:00Z")).decision, ReplyDecision::SendNow);
    assert_eq!(plan(&e, berlin("2026-11-27T19:00:00Z")).local_send_at, "2026-11-30T09:00:00+01:00");
}

#[test]
fn dst_gaps_move_forward_and_ambiguous_times_take_the_earlier_instant() {
    let e = no_weekends();
    let at = |zone: &str, now: &str, start: &str| {
        plan(&e, json!({"now": now, "customer": {"time_zone": zone}, "window": {"start": start, "end": "20:00"}}))
    };
    // Berlin, 2026-03-29: 02:00 CET jumps to 03:00 CEST; a 02:30 opening is 03:00 CEST.
    let p = at("Europe/Berlin", "2026-03-29T00:00:00Z", "02:30");
    assert_eq!(
        (p.send_at.to_string(), p.local_send_at.as_str()),
        ("2026-03-29T01:00:00Z".into(), "2026-03-29T03:00:00+02:00")
    );
    // Berlin, 2026-10-25: 02:30 happens twice; the first (CEST) one.
    let p = at("Europe/Berlin", "2026-10-24T23:00:00Z", "02:30");
    assert_eq!(
        (p.send_at.to_string(), p.local_send_at.as_str()),
        ("2026-10-25T00:30:00Z".into(), "2026-10-25T02:30:00+02:00")
    );
    // São Paulo, 2018-11-04 (when Brazil still had DST): midnight jumped to 01:00.
    let p = at("America/Sao_Paulo", "2018-11-04T02:00:00Z", "00:30");
    assert_eq!(
        (p.send_at.to_string(), p.local_send_at.as_str()),
        ("2018-11-04T03:00:00Z".into(), "2018-11-04T01:00:00-02:00")
    );
    // Since 2019 São Paulo has no DST: 00:30 exists on 2026-11-01.
    let p = at("America/Sao_Paulo", "2026-11-01T02:00:00Z", "00:30");
    assert_eq!(p.local_send_at, "2026-11-01T00:30:00-03:00");
    // Sydney, 2026-10-04: 02:00 AEST jumps to 03:00 AEDT.
    let p = at("Australia/Sydney", "2026-10-03T14:00:00Z", "02:15");
    assert_eq!(
        (p.send_at.to_string(), p.local_send_at.as_str()),
        ("2026-10-03T16:00:00Z".into(), "2026-10-04T03:00:00+11:00")
    );
    // Sydney, 2026-04-05: 02:30 twice; the first (AEDT) one.
    let p = at("Australia/Sydney", "2026-04-04T13:00:00Z", "02:30");
    assert_eq!(
        (p.send_at.to_string(), p.local_send_at.as_str()),
        ("2026-04-04T15:30:00Z".into(), "2026-04-05T02:30:00+11:00")
    );
}

#[test]
fn urgency_and_deadlines_win_over_the_window() {
    let e = Engine::new();
    let base = json!({"now": "2026-11-24T21:00:00Z", "customer": {"country": "DE"}}); // Tue 22:00
    let with = |extra: Value| {
        let mut r = base.clone();
        r.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        plan(&e, r)
    };
    let p = with(json!({"urgency": "urgent"}));
    assert_eq!(brief(&p), ("urgent_override", "2026-11-24T21:00:00Z".into(), "2026-11-24T22:00:00+01:00", "urgent"));
    assert_eq!(with(json!({"urgency": "high"})).decision, ReplyDecision::Deferred);
    // Due at 23:00 local, before the window opens at 09:00: sent now.
    let p = with(json!({"deadline": "2026-11-24T22:00:00Z"}));
    assert_eq!(
        brief(&p),
        ("deadline_override", "2026-11-24T21:00:00Z".into(), "2026-11-24T22:00:00+01:00", "deadline_before_window")
    );
    // Due after the window opens: the window wins.
    assert_eq!(with(json!({"deadline": "2026-11-25T12:00:00Z"})).decision, ReplyDecision::Deferred);
    // Already overdue.
    assert_eq!(with(json!({"deadline": "2026-11-24T20:00:00Z"})).reason.code, "deadline_passed");
    // Urgent while the window is open is simply sent now.
    let p = plan(&e, json!({"now": "2026-11-24T10:00:00Z", "customer": {"country": "DE"}, "urgency": "urgent"}));
    assert_eq!(p.decision, ReplyDecision::SendNow);
}

#[test]
fn a_team_in_shanghai_and_a_customer_in_los_angeles() {
    let e = Engine::new();
    // Friday 10:00 in LA is Saturday 02:00 in Shanghai; the team opens Saturday 10:00 (Friday
    // 18:00 in LA), inside the customer's window.
    let p = plan(
        &e,
        json!({"now": "2026-11-20T18:00:00Z", "customer": {"time_zone": "America/Los_Angeles"}, "team_calendar": "cn_support"}),
    );
    assert_eq!(brief(&p), ("deferred", "2026-11-21T02:00:00Z".into(), "2026-11-20T18:00:00-08:00", "team_closed"));
    // Saturday in LA is the customer's weekend; Sunday evening in LA is Monday morning in
    // Shanghai, but Sunday is the weekend too: Monday 17:00 LA = Tuesday 09:00 Shanghai.
    let p = plan(
        &e,
        json!({"now": "2026-11-21T18:00:00Z", "customer": {"time_zone": "America/Los_Angeles"}, "team_calendar": "cn_support"}),
    );
    assert_eq!(p.local_send_at, "2026-11-23T17:00:00-08:00");
    // A team never open in the customer's window: a clear error, not an endless search.
    let never = json!({"time_zone": "UTC", "hours": {"mon": ["00:00-06:00"], "tue": ["00:00-06:00"]}});
    let r = ReplyRequest::from_value(
        &json!({"now": "2026-11-20T18:00:00Z", "customer": {"time_zone": "America/Los_Angeles"},
        "window": {"start": "09:00", "end": "12:00"}, "team_calendar": never}),
    )
    .unwrap();
    let err = e.schedule_reply(&r).unwrap_err();
    assert_eq!((err.kind(), err.field()), (ErrorKind::InvalidInput, Some("team_calendar")));
}

#[test]
fn zone_sources_and_holidays() {
    let e = Engine::new();
    let p = plan(&e, json!({"now": "2026-11-24T01:00:00Z", "customer": {"language": "ja"}}));
    assert_eq!((p.time_zone.as_str(), format!("{:?}", p.time_zone_source)), ("Asia/Tokyo", "Language".into()));
    assert_eq!(p.decision, ReplyDecision::SendNow); // 10:00 in Tokyo
    let p = plan(&e, json!({"now": "2026-11-24T01:00:00Z", "customer": {"language": "es"}}));
    assert_eq!((p.time_zone.as_str(), format!("{:?}", p.time_zone_source)), ("UTC", "Fallback".into()));
    let p = plan(&e, json!({"now": "2026-11-24T01:00:00Z"}));
    assert_eq!(format!("{:?}", p.time_zone_source), "Fallback");
    // A given zone wins over the country's default; the country still gives the weekend.
    let p = plan(
        &e,
        json!({"now": "2026-11-24T01:00:00Z", "customer": {"country": "US", "time_zone": "America/Los_Angeles"}}),
    );
    assert_eq!((p.time_zone.as_str(), p.country.unwrap().code()), ("America/Los_Angeles", "US"));
    // The customer's holiday: Christmas Day in Berlin waits for the 26th... and that one too.
    let p = plan(
        &e,
        json!({"now": "2026-12-25T10:00:00Z", "customer": {"country": "DE"}, "holidays": ["12-25", "2026-12-26"]}),
    );
    assert_eq!(brief(&p), ("deferred", "2026-12-28T08:00:00Z".into(), "2026-12-28T09:00:00+01:00", "holiday"));
}

#[test]
fn weekends_changed_by_law_apply_from_their_date() {
    let e = Engine::new();
    // Thursday 2021-12-30, 20:30 in Dubai: Friday 31st was still the weekend, Sunday 2 January
    // already was (Sat–Sun from 2022-01-01): Monday 09:00.
    let p = plan(&e, json!({"now": "2021-12-30T16:30:00Z", "customer": {"country": "AE"}}));
    assert_eq!(p.local_send_at, "2022-01-03T09:00:00+04:00");
    // Wednesday 2013-06-26 evening in Riyadh: Thursday was weekend then; from Saturday 29th the
    // weekend is Fri–Sat, so Sunday 30th.
    let p = plan(&e, json!({"now": "2013-06-26T17:30:00Z", "customer": {"country": "SA"}}));
    assert_eq!(p.local_send_at, "2013-06-30T09:00:00+03:00");
}

#[test]
fn a_window_past_midnight_keeps_to_working_days() {
    let e = Engine::new();
    let w = |now: &str| {
        plan(&e, json!({"now": now, "customer": {"country": "DE"}, "window": {"start": "20:00", "end": "02:00"}}))
    };
    // Saturday 01:00 in Berlin is the weekend, though Friday's evening window ran until 02:00.
    let p = w("2026-11-21T00:00:00Z");
    assert_eq!((p.decision, p.local_send_at.as_str()), (ReplyDecision::Deferred, "2026-11-23T00:00:00+01:00"));
    // Monday 00:30 is Monday's: inside the window.
    assert_eq!(w("2026-11-22T23:30:00Z").decision, ReplyDecision::SendNow);
}

#[test]
fn overrides_win_even_when_the_window_never_opens_in_time() {
    let e = Engine::new();
    // The team is open on Saturdays only, when the Saudi customer has their weekend: no common
    // time, but an urgent reply goes out when the team opens.
    let team = json!({"time_zone": "Asia/Riyadh", "hours": {"sat": ["10:00-12:00"]}});
    let p = plan(
        &e,
        json!({"now": "2026-11-19T20:00:00Z", "customer": {"country": "SA"}, "urgency": "urgent", "team_calendar": team}),
    );
    assert_eq!((p.decision, p.local_send_at.as_str()), (ReplyDecision::UrgentOverride, "2026-11-21T10:00:00+03:00"));
    let p = plan(
        &e,
        json!({"now": "2026-11-19T20:00:00Z", "customer": {"country": "SA"}, "deadline": "2026-11-22T20:00:00Z", "team_calendar": team}),
    );
    assert_eq!((p.decision, p.reason.code), (ReplyDecision::DeadlineOverride, "deadline_before_window"));
    // Without an override the same request is an error naming the team calendar.
    let r = ReplyRequest::from_value(
        &json!({"now": "2026-11-19T20:00:00Z", "customer": {"country": "SA"}, "team_calendar": team}),
    )
    .unwrap();
    assert_eq!(e.schedule_reply(&r).unwrap_err().field(), Some("team_calendar"));
    // A deadline override waits for the team, as an urgent one does.
    let p = plan(
        &e,
        json!({"now": "2026-11-21T10:00:00Z", "customer": {"time_zone": "America/New_York"},
        "deadline": "2026-11-21T12:00:00Z", "team_calendar": "eu_support"}),
    );
    assert_eq!(
        (p.decision, p.send_at.to_string()),
        (ReplyDecision::DeadlineOverride, "2026-11-23T08:00:00Z".to_string())
    );
}

#[test]
fn the_end_of_time() {
    let e = Engine::new();
    // The search horizon is cut at the end of 9999, not lost.
    let p =
        plan(&e, json!({"now": "9999-03-01T18:00:00Z", "customer": {"country": "DE"}, "team_calendar": "eu_support"}));
    assert_eq!(p.local_send_at, "9999-03-02T09:00:00+01:00");
    let r = ReplyRequest::from_value(&json!({"now": "9999-12-31T20:00:00Z", "customer": {"country": "DE"}})).unwrap();
    let err = e.schedule_reply(&r).unwrap_err();
    assert_eq!((err.kind(), err.field()), (ErrorKind::LimitExceeded, Some("now")));
}

#[test]
fn bad_input_names_the_field() {
    let e = Engine::new();
    let err = |r: Value| {
        let r = ReplyRequest::from_value(&r).and_then(|r| e.schedule_reply(&r));
        let err = r.unwrap_err();
        (err.kind(), err.field().map(str::to_string))
    };
    let now = "2026-11-24T10:00:00Z";
    assert_eq!(
        err(json!({"now": now, "customer": {"time_zone": "Mars/Olympus"}})),
        (ErrorKind::UnknownTimeZone, Some("customer.time_zone".into()))
    );
    assert_eq!(
        err(json!({"now": now, "customer": {"country": "XX"}})),
        (ErrorKind::InvalidInput, Some("customer.country".into()))
    );
    assert_eq!(err(json!({"now": "yesterday"})), (ErrorKind::InvalidInput, Some("now".into())));
    assert_eq!(
        err(json!({"now": now, "window": {"start": "09:00", "end": "09:00"}})),
        (ErrorKind::InvalidInput, Some("window".into()))
    );
    assert_eq!(
        err(json!({"now": now, "window": {"start": "9", "end": "18:00"}})),
        (ErrorKind::InvalidInput, Some("window.start".into()))
    );
    assert_eq!(
        err(json!({"now": now, "window": {"start": "09:00", "end": "25:00"}})),
        (ErrorKind::InvalidInput, Some("window.end".into()))
    );
    assert_eq!(err(json!({"now": now, "urgency": "asap"})), (ErrorKind::InvalidInput, Some("urgency".into())));
    assert_eq!(
        err(json!({"now": now, "team_calendar": "mars"})),
        (ErrorKind::InvalidInput, Some("team_calendar".into()))
    );
    assert_eq!(err(json!({"now": now, "holidays": ["13-45"]})), (ErrorKind::InvalidInput, Some("holidays[0]".into())));
    assert_eq!(err(json!({"now": now, "when": 1})), (ErrorKind::InvalidInput, Some("when".into())));
    let policy = |p: Value| Engine::from_value(p).unwrap_err().field().map(str::to_string);
    assert_eq!(policy(json!({"reply": {"weekends": {"XX": ["fri"]}}})), Some("reply.weekends.XX".into()));
    assert_eq!(policy(json!({"reply": {"window": {"start": "10:00", "end": "10:00"}}})), Some("reply.window".into()));
    assert_eq!(policy(json!({"reply": {"override_levels": ["soon"]}})), Some("reply.override_levels[0]".into()));
    assert_eq!(policy(json!({"reply": {"fallback_time_zone": "Nowhere"}})), Some("reply.fallback_time_zone".into()));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Never before `now`; unless an override, inside the window on a working day.
    #[test]
    fn send_at_is_never_early_and_in_the_window(
        minutes in 0i64..(3 * 366 * 1440),
        zone in prop::sample::select(vec!["Asia/Riyadh", "Asia/Dubai", "Asia/Kolkata", "Asia/Kathmandu", "Europe/Berlin",
            "America/Sao_Paulo", "Australia/Sydney", "America/Los_Angeles", "Pacific/Chatham", "Asia/Tehran"]),
        start in 0u32..1440, length in 1u32..1440,
        urgent in any::<bool>(),
    ) {
        use chrono::{Datelike, Timelike};
        let e = Engine::new();
        let now = crate::Timestamp::from_unix_millis(1_700_000_000_000 + minutes * 60_000).unwrap();
        let end = (start + length) % 1440;
        let hm = |m: u32| format!("{:02}:{:02}", m / 60, m % 60);
        let mut r = ReplyRequest::from_value(&json!({"now": now.to_string(), "customer": {"time_zone": zone},
            "window": {"start": hm(start), "end": if end == 0 { "24:00".into() } else { hm(end) }}})).unwrap();
        if urgent { r.urgency = Some("urgent".into()); }
        let p = e.schedule_reply(&r).unwrap();
        prop_assert!(p.send_at >= now);
        prop_assert_eq!(p.delay_seconds, (p.send_at.unix_millis() - now.unix_millis()) / 1000);
        if matches!(p.decision, ReplyDecision::SendNow | ReplyDecision::Deferred) {
            let tz: chrono_tz::Tz = zone.parse().unwrap();
            let local = p.send_at.to_chrono().with_timezone(&tz);
            let m = local.hour() * 60 + local.minute();
            // Minutes since the window's opening on the date it opened (a DST gap may push
            // an opening up to an hour later, and a window past midnight belongs to the day
            // before).
            let since = (m + 1440 - start) % 1440;
            prop_assert!(since < length + 60, "{} outside {}+{}", local, start, length);
            // The local date of the send is a working day (a window past midnight is split at
            // midnight, each part on its own date).
            let day = crate::calendar::DAYS[local.date_naive().weekday().num_days_from_monday() as usize];
            prop_assert!(!p.weekend.contains(&day), "{} is a weekend day ({:?})", day, p.weekend);
        } else {
            prop_assert_eq!(p.send_at, now);
        }
    }
}
