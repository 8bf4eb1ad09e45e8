use proptest::prelude::*;
use serde_json::{Value, json};

use crate::{Engine, ErrorKind, MetricStatus, SlaMetric, SlaReport, SlaRequest};

fn sla(engine: &Engine, request: Value) -> SlaReport {
    engine.sla(&SlaRequest::from_value(&request).unwrap()).unwrap()
}

fn metric<'a>(r: &'a SlaReport, name: &str) -> &'a SlaMetric {
    r.metrics.iter().find(|m| m.metric.as_str() == name).unwrap_or_else(|| panic!("no {name}"))
}

fn err(engine: &Engine, request: Value) -> crate::Error {
    match SlaRequest::from_value(&request) {
        Err(e) => e,
        Ok(r) => engine.sla(&r).unwrap_err(),
    }
}

fn ev(at: &str, kind: &str) -> Value {
    match kind {
        "agent" => json!({"at": at, "type": "agent_reply"}),
        "customer" => json!({"at": at, "type": "customer_reply"}),
        status => json!({"at": at, "type": "status", "status": status}),
    }
}

// eu_support: Mon–Fri 09:00–18:00 Europe/Berlin. 2026-11-23 is a Monday (UTC+1).

#[test]
fn a_late_first_reply_is_breached_with_achieved_at() {
    let e = Engine::new();
    let r = sla(
        &e,
        json!({"level": "urgent", "created_at": "2026-11-23T09:00:00+01:00", "now": "2026-11-23T12:00:00+01:00",
                           "events": [ev("2026-11-23T10:30:00+01:00", "agent")]}),
    );
    let m = metric(&r, "first_reply");
    assert_eq!(m.status, MetricStatus::Breached);
    assert_eq!(m.achieved_at.unwrap().to_string(), "2026-11-23T09:30:00Z");
    assert_eq!(m.due_at.unwrap().to_string(), "2026-11-23T09:00:00Z");
    assert_eq!((m.elapsed_seconds, m.remaining_seconds, m.breached_by_seconds), (5400, 0, 1800));
    assert!(r.breached);
    // In time: achieved, due_at is where the target would have run out.
    let r = sla(
        &e,
        json!({"level": "urgent", "created_at": "2026-11-23T09:00:00+01:00", "now": "2026-11-23T12:00:00+01:00",
                           "events": [ev("2026-11-23T09:40:00+01:00", "agent")]}),
    );
    let m = metric(&r, "first_reply");
    assert_eq!((m.status, m.elapsed_seconds, m.remaining_seconds), (MetricStatus::Achieved, 2400, 1200));
    assert_eq!(m.due_at.unwrap().to_string(), "2026-11-23T09:00:00Z");
}

#[test]
fn business_time_skips_nights_and_weekends_and_next_deadline_is_the_earliest() {
    let e = Engine::new();
    // Created Friday 17:30 Berlin, high: first reply 2 business hours → Monday 10:30.
    let r = sla(
        &e,
        json!({"level": "high", "created_at": "2026-11-27T17:30:00+01:00", "now": "2026-11-28T12:00:00+01:00"}),
    );
    let first = metric(&r, "first_reply");
    assert_eq!((first.status, first.elapsed_seconds, first.remaining_seconds), (MetricStatus::Active, 1800, 5400));
    assert_eq!(first.due_at.unwrap().to_string(), "2026-11-30T09:30:00Z");
    assert_eq!(metric(&r, "resolution").due_at.unwrap().to_string(), "2026-12-02T13:30:00Z"); // 0.5 + 9 + 9 + 5.5 h
    assert_eq!(r.next_deadline, first.due_at);
    assert_eq!(first.calendar.as_deref(), Some("eu_support"));
    assert!(
        r.metrics.iter().all(|m| m.metric.as_str() != "next_reply"),
        "no customer reply after the first agent reply yet"
    );
}

#[test]
fn resolution_pauses_while_pending_and_reopens_after_solved() {
    let e = Engine::new();
    let events = vec![
        ev("2026-11-23T10:00:00+01:00", "agent"),
        ev("2026-11-23T10:00:00+01:00", "pending"),
        ev("2026-11-24T10:00:00+01:00", "customer"), // reopens: 1 h counted so far
        ev("2026-11-24T11:00:00+01:00", "solved"),   // 2 h
        ev("2026-11-24T15:00:00+01:00", "customer"), // reopens
    ];
    let at_solved = sla(
        &e,
        json!({"level": "high", "created_at": "2026-11-23T09:00:00+01:00", "now": "2026-11-24T12:00:00+01:00", "events": events[..4]}),
    );
    let res = metric(&at_solved, "resolution");
    assert_eq!((res.status, res.elapsed_seconds), (MetricStatus::Achieved, 7200));
    assert_eq!(res.achieved_at.unwrap().to_string(), "2026-11-24T10:00:00Z");
    let reopened = sla(
        &e,
        json!({"level": "high", "created_at": "2026-11-23T09:00:00+01:00", "now": "2026-11-24T16:00:00+01:00", "events": events}),
    );
    let res = metric(&reopened, "resolution");
    assert_eq!((res.status, res.elapsed_seconds, res.achieved_at), (MetricStatus::Active, 3 * 3600, None));
    // next_reply: cycle 1 (Tue 10:00 → solved 11:00), cycle 2 open since 15:00.
    let next = metric(&reopened, "next_reply");
    assert_eq!((next.status, next.elapsed_seconds, next.breach_count), (MetricStatus::Active, 3600, Some(0)));
    assert_eq!(next.due_at.unwrap().to_string(), "2026-11-25T09:00:00Z"); // 2 h today, 1 h tomorrow
}

#[test]
fn on_hold_pauses_only_where_the_policy_says() {
    let request = json!({"level": "high", "created_at": "2026-11-23T09:00:00+01:00", "now": "2026-11-23T15:00:00+01:00",
                         "events": [ev("2026-11-23T10:00:00+01:00", "on_hold")]});
    let running = sla(&Engine::new(), request.clone());
    assert_eq!(metric(&running, "resolution").elapsed_seconds, 6 * 3600);
    let pausing = Engine::from_value(json!({"sla": {"pause_on": ["pending", "on_hold"]}})).unwrap();
    let paused = sla(&pausing, request);
    let res = metric(&paused, "resolution");
    assert_eq!((res.status, res.elapsed_seconds, res.due_at), (MetricStatus::Paused, 3600, None));
    assert_eq!(res.remaining_seconds, 23 * 3600);
}

#[test]
fn closed_is_final_and_later_events_are_ignored() {
    let e = Engine::new();
    let r = sla(
        &e,
        json!({"level": "high", "created_at": "2026-11-23T09:00:00+01:00", "now": "2026-11-25T09:00:00+01:00",
                           "events": [ev("2026-11-23T09:30:00+01:00", "closed"), ev("2026-11-24T09:30:00+01:00", "customer"),
                                      ev("2026-11-24T10:30:00+01:00", "open")]}),
    );
    for m in &r.metrics {
        assert_eq!(
            (m.status, m.achieved_at.unwrap().to_string().as_str()),
            (MetricStatus::Achieved, "2026-11-23T08:30:00Z")
        );
    }
    assert_eq!(r.metrics.len(), 2);
    assert_eq!(r.next_deadline, None);
}

#[test]
fn next_reply_counts_from_the_earliest_unanswered_message_and_counts_breaches() {
    let e = Engine::new();
    let r = sla(
        &e,
        json!({"level": "urgent", "created_at": "2026-11-23T09:00:00+01:00", "now": "2026-11-23T17:00:00+01:00",
        "events": [
            ev("2026-11-23T09:10:00+01:00", "agent"),
            ev("2026-11-23T09:20:00+01:00", "customer"),
            ev("2026-11-23T10:00:00+01:00", "customer"),
            ev("2026-11-23T12:20:00+01:00", "agent"),  // 3 h after 09:20: breached (2 h)
            ev("2026-11-23T13:00:00+01:00", "customer"),
            ev("2026-11-23T13:30:00+01:00", "agent"),
        ]}),
    );
    let next = metric(&r, "next_reply");
    assert_eq!((next.status, next.elapsed_seconds, next.breach_count), (MetricStatus::Achieved, 1800, Some(1)));
    assert!(!r.metrics.iter().any(|m| m.metric.as_str() == "next_reply" && m.status == MetricStatus::Breached));
    // Resolution has used exactly its 8 h: due now, not yet breached.
    let res = metric(&r, "resolution");
    assert_eq!(
        (res.status, res.remaining_seconds, res.due_at.unwrap().to_string().as_str()),
        (MetricStatus::Active, 0, "2026-11-23T16:00:00Z")
    );
    assert!(!r.breached);
}

#[test]
fn calendar_time_targets_and_a_request_calendar() {
    let e = Engine::new();
    // normal: resolution 5 d in calendar time, whatever the calendar.
    let r = sla(&e, json!({"level": "normal", "created_at": "2026-11-27T20:00:00Z", "now": "2026-11-28T20:00:00Z"}));
    let res = metric(&r, "resolution");
    assert_eq!((res.business_hours, res.calendar.as_deref(), res.elapsed_seconds), (false, None, 86_400));
    assert_eq!(res.due_at.unwrap().to_string(), "2026-12-02T20:00:00Z");
    // An inline calendar replaces the policy's for business-time targets.
    let r = sla(
        &e,
        json!({"level": "high", "created_at": "2026-11-27T20:00:00Z", "now": "2026-11-27T20:00:00Z",
                           "calendar": {"time_zone": "Asia/Tokyo", "hours": {"sat": ["10:00-12:00"]}}}),
    );
    let first = metric(&r, "first_reply");
    assert_eq!((first.calendar.as_deref(), first.due_at.unwrap().to_string().as_str()), (None, "2026-11-28T03:00:00Z"));
    let r = sla(
        &e,
        json!({"level": "high", "created_at": "2026-11-27T20:00:00Z", "now": "2026-11-27T20:00:00Z", "calendar": "always_open"}),
    );
    assert_eq!(metric(&r, "first_reply").due_at.unwrap().to_string(), "2026-11-27T22:00:00Z");
}

#[test]
fn dst_moves_no_opening_hours() {
    let e = Engine::new();
    // Friday 2026-03-27 17:00 CET + 2 business hours: Monday 2026-03-30 10:00 CEST = 08:00Z.
    let r = sla(&e, json!({"level": "high", "created_at": "2026-03-27T16:00:00Z", "now": "2026-03-27T16:00:00Z"}));
    assert_eq!(metric(&r, "first_reply").due_at.unwrap().to_string(), "2026-03-30T08:00:00Z");
}

#[test]
fn unsorted_events_give_the_same_answer() {
    let e = Engine::new();
    let mut events = vec![
        ev("2026-11-23T09:30:00+01:00", "agent"),
        ev("2026-11-23T09:31:00+01:00", "pending"),
        ev("2026-11-23T11:00:00+01:00", "customer"),
        ev("2026-11-23T14:00:00+01:00", "agent"),
        ev("2026-11-23T15:00:00+01:00", "solved"),
    ];
    let request = |events: &Vec<Value>| json!({"level": "normal", "created_at": "2026-11-23T09:00:00+01:00", "now": "2026-11-23T16:00:00+01:00", "events": events});
    let sorted = sla(&e, request(&events));
    events.reverse();
    assert_eq!(sla(&e, request(&events)), sorted);
}

#[test]
fn bad_requests_name_the_field() {
    let e = Engine::new();
    let base = |extra: Value| {
        let mut r = json!({"level": "high", "created_at": "2026-11-23T09:00:00Z", "now": "2026-11-23T10:00:00Z"});
        if let (Value::Object(m), Value::Object(x)) = (&mut r, extra) {
            m.extend(x);
        }
        r
    };
    let check = |extra: Value, field: &str, kind: ErrorKind| {
        let got = err(&e, base(extra));
        assert_eq!((got.kind(), got.field()), (kind, Some(field)), "{got}");
    };
    check(
        json!({"events": [ev("2026-11-23T09:30:00Z", "agent"), ev("2026-11-23T08:59:59Z", "agent")]}),
        "events[1].at",
        ErrorKind::InvalidInput,
    );
    check(json!({"events": [ev("2026-11-23T10:00:01Z", "agent")]}), "events[0].at", ErrorKind::InvalidInput);
    check(json!({"events": [ev("2026-11-23T09:30:00Z", "reopened")]}), "events[0].status", ErrorKind::InvalidInput);
    check(json!({"events": [{"at": "yesterday", "type": "agent_reply"}]}), "events[0].at", ErrorKind::InvalidInput);
    check(json!({"level": "critical"}), "level", ErrorKind::InvalidInput);
    check(json!({"now": "2026-11-23T08:00:00Z"}), "now", ErrorKind::InvalidInput);
    check(json!({"calendar": "mars_support"}), "calendar", ErrorKind::InvalidInput);
    check(
        json!({"calendar": {"time_zone": "Mars/Olympus", "hours": {}}}),
        "calendar.time_zone",
        ErrorKind::UnknownTimeZone,
    );
    check(
        json!({"calendar": {"time_zone": "UTC", "hours": {"mon": ["9-17"]}}}),
        "calendar.hours.mon[0]",
        ErrorKind::InvalidInput,
    );
    check(
        json!({"calendar": {"time_zone": "UTC", "hours": {"mon": ["09:00-12:00", "11:00-13:00"]}}}),
        "calendar.hours.mon[1]",
        ErrorKind::InvalidInput,
    );
    check(json!({"calendar": {"time_zone": "UTC", "hours": {}}}), "calendar.hours", ErrorKind::InvalidInput);
    check(
        json!({"events": (0..10_001).map(|_| ev("2026-11-23T09:30:00Z", "agent")).collect::<Vec<_>>()}),
        "events",
        ErrorKind::LimitExceeded,
    );
    check(json!({"created_at": null}), "created_at", ErrorKind::InvalidInput);
}

#[test]
fn policy_mistakes_name_their_path() {
    let err = |v: Value| Engine::from_value(v).unwrap_err();
    let e = err(json!({"sla": {"targets": {"high": {"first_reply": "1d"}}}}));
    assert_eq!((e.kind(), e.field()), (ErrorKind::InvalidPolicy, Some("sla.targets.high.first_reply")));
    assert_eq!(
        err(json!({"sla": {"targets": {"high": {"first_reply": "-2h"}}}})).field(),
        Some("sla.targets.high.first_reply")
    );
    assert_eq!(
        err(json!({"sla": {"targets": {"high": {"resolution": {"target": "2d", "business_hours": true}}}}})).field(),
        Some("sla.targets.high.resolution.target")
    );
    assert_eq!(err(json!({"sla": {"calendar": "mars"}})).field(), Some("sla.calendar"));
    assert_eq!(
        err(json!({"sla": {"targets": {"high": {"first_reply": {"target": "1h", "calendar": "mars"}}}}})).field(),
        Some("sla.targets.high.first_reply.calendar")
    );
    assert_eq!(
        err(json!({"sla": {"targets": {"high": {"first_response": "1h"}}}})).field(),
        Some("sla.targets.high.first_response")
    );
    assert_eq!(
        err(json!({"sla": {"targets": {"critical": {"first_reply": "1h"}}}})).field(),
        Some("sla.targets.critical")
    );
    assert_eq!(err(json!({"sla": {"pause_on": ["solved"]}})).field(), Some("sla.pause_on[0]"));
    let e =
        err(json!({"calendars": {"eu_support": {"time_zone": "Europe/Berlinn", "hours": {"mon": ["09:00-18:00"]}}}}));
    assert_eq!((e.kind(), e.field()), (ErrorKind::UnknownTimeZone, Some("calendars.eu_support.time_zone")));
    let e = err(json!({"calendars": {"eu_support": {"hours": {"mon": ["09:00-18:00", "17:00-19:00"]}}}}));
    assert_eq!((e.kind(), e.field()), (ErrorKind::InvalidPolicy, Some("calendars.eu_support.hours.mon[1]")));
    // A per-metric calendar.
    let ok = Engine::from_value(
        json!({"sla": {"targets": {"high": {"first_reply": {"target": "1h", "calendar": "cn_support"}}}}}),
    )
    .unwrap();
    let r = sla(&ok, json!({"level": "high", "created_at": "2026-11-23T01:00:00Z", "now": "2026-11-23T01:00:00Z"}));
    let first = metric(&r, "first_reply");
    assert_eq!(
        (first.calendar.as_deref(), first.due_at.unwrap().to_string().as_str()),
        (Some("cn_support"), "2026-11-23T02:00:00Z")
    );
}

fn arb_events() -> impl Strategy<Value = Vec<(i64, u8)>> {
    prop::collection::vec((0i64..7 * 24 * 60, 0u8..7), 0..14)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn metric_invariants_hold_for_any_log(events in arb_events(), level in prop::sample::select(vec!["urgent", "high", "normal", "low"]), now_min in 0i64..8 * 24 * 60) {
        let e = Engine::new();
        let created = crate::Timestamp::from_unix_seconds(1_795_766_400).unwrap(); // 2026-11-26T00:00:00Z
        let at = |m: i64| crate::Timestamp::from_unix_seconds(created.unix_seconds() + m * 60).unwrap().to_string();
        let now_min = now_min.max(events.iter().map(|(m, _)| *m).max().unwrap_or(0));
        let kinds = ["agent", "customer", "pending", "open", "solved", "on_hold", "closed"];
        let log: Vec<Value> = events.iter().map(|(m, k)| ev(&at(*m), kinds[*k as usize])).collect();
        let r = sla(&e, json!({"level": level, "created_at": at(0), "now": at(now_min), "events": log}));
        for m in &r.metrics {
            prop_assert!(m.remaining_seconds >= 0 && m.breached_by_seconds >= 0);
            if m.status == MetricStatus::Breached {
                prop_assert!(m.elapsed_seconds >= m.target_seconds && m.remaining_seconds == 0);
            } else {
                prop_assert_eq!(m.elapsed_seconds + m.remaining_seconds, m.target_seconds);
                prop_assert_eq!(m.breached_by_seconds, 0);
            }
            prop_assert_eq!(m.due_at.is_none(), m.status == MetricStatus::Paused);
            if m.status == MetricStatus::Achieved {
                prop_assert!(m.achieved_at.is_some());
            }
            if m.status == MetricStatus::Active {
                prop_assert!(m.achieved_at.is_none());
            }
            if let (Some(done), Some(due)) = (m.achieved_at, m.due_at) {
                prop_assert_eq!(m.status == MetricStatus::Breached, due < done);
            }
        }
        let active_min = r.metrics.iter().filter(|m| m.status == MetricStatus::Active).filter_map(|m| m.due_at).min();
        prop_assert_eq!(r.next_deadline, active_min);
        // Reversing the log (all instants distinct or not) changes nothing when instants are distinct.
        let mut distinct: Vec<i64> = events.iter().map(|(m, _)| *m).collect();
        distinct.sort();
        distinct.dedup();
        if distinct.len() == events.len() {
            let reversed: Vec<Value> = events.iter().rev().map(|(m, k)| ev(&at(*m), kinds[*k as usize])).collect();
            let again = sla(&e, json!({"level": level, "created_at": at(0), "now": at(now_min), "events": reversed}));
            prop_assert_eq!(again, r);
        }
    }
}

#[test]
fn a_target_used_up_at_closing_time_is_due_then_whatever_now_is() {
    let e = Engine::new();
    // Friday 17:00 Berlin, urgent (1 h): used up at Friday's 18:00 closing.
    for now in ["2026-11-28T10:00:00Z", "2026-11-29T22:00:00Z"] {
        let r = sla(&e, json!({"level": "urgent", "created_at": "2026-11-27T16:00:00Z", "now": now}));
        let first = metric(&r, "first_reply");
        assert_eq!((first.status, first.remaining_seconds), (MetricStatus::Active, 0));
        assert_eq!(first.due_at.unwrap().to_string(), "2026-11-27T17:00:00Z");
    }
}

#[test]
fn solving_without_a_reply_pauses_the_first_reply_and_opens_no_reply_cycle() {
    let e = Engine::new();
    let r = sla(
        &e,
        json!({"level": "urgent", "created_at": "2026-11-23T08:00:00Z", "now": "2026-11-23T12:00:00Z",
        "events": [ev("2026-11-23T08:30:00Z", "solved"), ev("2026-11-23T09:00:00Z", "customer")]}),
    );
    let first = metric(&r, "first_reply");
    // 30 min before the solve, and 3 h since the reopen at 09:00: breached at 09:30.
    assert_eq!((first.status, first.elapsed_seconds), (MetricStatus::Breached, 3 * 3600 + 1800));
    assert_eq!(first.due_at.unwrap().to_string(), "2026-11-23T09:30:00Z");
    assert!(r.metrics.iter().all(|m| m.metric.as_str() != "next_reply"));
}

#[test]
fn huge_targets_and_spans_are_refused() {
    let e = Engine::from_value(json!({"sla": {"targets": {"urgent": {"first_reply": 9_223_372_036_854_775_807i64}}}}))
        .unwrap_err();
    assert_eq!(e.field(), Some("sla.targets.urgent.first_reply"));
    let e = err(
        &Engine::new(),
        json!({"level": "urgent", "created_at": "0001-01-01T00:00:00Z", "now": "9999-12-31T00:00:00Z"}),
    );
    assert_eq!((e.kind(), e.field()), (ErrorKind::LimitExceeded, Some("now")));
}
