//! Business-time arithmetic, SLA computation and priority scoring.
//!
//! ```sh
//! cargo bench -p aftersales-benches --bench time
//! ```
//!
//! The calendar is the default policy's `eu_support`: Mon–Fri 09:00–18:00 Europe/Berlin with
//! fixed, Easter-based and yearly holidays and two date overrides.

use std::hint::black_box;

use aftersales::{Engine, PriorityRequest, ReplyRequest, SlaRequest, Timestamp};
use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::json;

fn business_time(c: &mut Criterion) {
    let engine = Engine::new();
    let eu = engine.calendar("eu_support").expect("default calendar");
    // Monday mid-morning, and a Friday afternoon that has to jump the weekend.
    let monday: Timestamp = "2026-11-23T10:15:00+01:00".parse().unwrap();
    let friday: Timestamp = "2026-11-27T16:30:00+01:00".parse().unwrap();
    let mut group = c.benchmark_group("add_business_time");
    group.bench_function("2h_same_day", |b| {
        b.iter(|| eu.add_business_time(black_box(monday), black_box(7200)).unwrap())
    });
    group.bench_function("2h_over_weekend", |b| {
        b.iter(|| eu.add_business_time(black_box(friday), black_box(7200)).unwrap())
    });
    // 30 business days of 9 hours, across the December holidays and the year end.
    let thirty_days = 30 * 9 * 3600;
    group.bench_function("30_business_days", |b| {
        b.iter(|| eu.add_business_time(black_box(monday), black_box(thirty_days)).unwrap())
    });
    group.bench_function("1_business_year", |b| {
        b.iter(|| eu.add_business_time(black_box(monday), black_box(250 * 9 * 3600)).unwrap())
    });
    group.finish();

    let end: Timestamp = "2026-12-23T10:15:00+01:00".parse().unwrap();
    c.bench_function("business_time_between/30_days", |b| {
        b.iter(|| eu.business_time_between(black_box(monday), black_box(end)).unwrap())
    });
}

/// A ticket with 20 events: replies back and forth, waits on the customer, a solve and a reopen.
fn twenty_events() -> serde_json::Value {
    let mut events = Vec::new();
    let base = 1_795_420_800i64; // 2026-11-23T07:00:00Z, Monday 08:00 in Berlin
    let kinds = ["agent_reply", "customer_reply"];
    for i in 0..16i64 {
        events.push(json!({"at": Timestamp::from_unix_seconds(base + 3600 + i * 5400).unwrap().to_string(), "type": kinds[(i % 2) as usize]}));
    }
    for (offset, status) in [(4 * 3600, "pending"), (9 * 3600, "open"), (20 * 3600, "solved"), (21 * 3600 + 60, "open")]
    {
        events.push(json!({"at": Timestamp::from_unix_seconds(base + offset).unwrap().to_string(), "type": "status", "status": status}));
    }
    json!({"level": "high", "created_at": Timestamp::from_unix_seconds(base).unwrap().to_string(),
           "now": Timestamp::from_unix_seconds(base + 30 * 3600).unwrap().to_string(), "events": events})
}

fn sla_and_priority(c: &mut Criterion) {
    let engine = Engine::new();
    let doc = twenty_events();
    let request = SlaRequest::from_value(&doc).unwrap();
    assert_eq!(request.events.len(), 20);
    c.bench_function("sla/20_events", |b| b.iter(|| engine.sla(black_box(&request)).unwrap()));
    c.bench_function("sla/20_events_from_json", |b| {
        b.iter(|| engine.sla(&SlaRequest::from_value(black_box(&doc)).unwrap()).unwrap())
    });

    let classification =
        engine.classify("Third time asking: the parcel never arrived and I will open a PayPal dispute!").unwrap();
    let mut priority = PriorityRequest::from_classification(&classification);
    priority.customer_tier = Some("vip".into());
    priority.order_total = Some(aftersales::Money::parse("249.90", "EUR").unwrap());
    priority.contact_count = Some(3);
    priority.sla_remaining_seconds = Some(1800);
    c.bench_function("score_priority", |b| b.iter(|| engine.score_priority(black_box(&priority)).unwrap()));
}

/// Reply scheduling: a customer in Riyadh writing on their Friday (deferred to Sunday), one in
/// Berlin inside the window, and one in Los Angeles with the team in Shanghai.
fn schedule_reply(c: &mut Criterion) {
    let engine = Engine::new();
    let cases = [
        ("riyadh_weekend", json!({"now": "2026-11-20T11:00:00Z", "customer": {"time_zone": "Asia/Riyadh"}})),
        ("berlin_in_window", json!({"now": "2026-11-24T12:00:00Z", "customer": {"country": "DE"}})),
        (
            "la_with_shanghai_team",
            json!({"now": "2026-11-21T18:00:00Z", "customer": {"time_zone": "America/Los_Angeles"}, "team_calendar": "cn_support"}),
        ),
    ];
    for (name, doc) in cases {
        let request = ReplyRequest::from_value(&doc).unwrap();
        c.bench_function(&format!("schedule_reply/{name}"), |b| {
            b.iter(|| engine.schedule_reply(black_box(&request)).unwrap())
        });
    }
}

criterion_group!(benches, business_time, sla_and_priority, schedule_reply);
criterion_main!(benches);
