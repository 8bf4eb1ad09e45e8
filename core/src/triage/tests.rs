use serde_json::{Value, json};

use super::*;
use crate::{Engine, ErrorKind, PriorityRequest, ReplyRequest, SlaRequest};

fn ticket(extra: Value) -> Value {
    let mut t =
        json!({"text": "Where is my order?", "created_at": "2026-11-23T09:00:00Z", "now": "2026-11-23T10:00:00Z"});
    for (k, v) in extra.as_object().unwrap() {
        t[k] = v.clone();
    }
    t
}

fn triage(engine: &Engine, doc: Value) -> Result<Triage, Error> {
    engine.triage(&Ticket::from_value(&doc)?)
}

fn reason_codes(t: &Triage) -> Vec<&'static str> {
    t.priority.reasons.iter().map(|r| r.code).collect()
}

fn order_and_item(currency: &str, price: &str) -> Value {
    json!({
        "order": {"placed_at": "2026-11-01T09:00:00Z", "delivered_at": "2026-11-05T12:00:00Z",
                  "total": {"amount": price, "currency": currency}},
        "item": {"price": {"amount": price, "currency": currency}}
    })
}

#[test]
fn each_part_is_what_its_own_engine_says() {
    let engine = Engine::new();
    let doc = ticket(json!({
        "text": "The parcel arrived crushed and the lamp is broken. Third time I write, I want a refund!",
        "subject": "Order 112-4839201-1938201",
        "customer": {"country": "US", "tier": "vip", "orders_count": 12},
        "events": [{"at": "2026-11-23T09:20:00Z", "type": "agent_reply"}, {"at": "2026-11-23T09:40:00Z", "type": "customer_reply"}],
        "destination_country": "US",
    }));
    let mut doc = doc;
    for (k, v) in order_and_item("USD", "80.00").as_object().unwrap() {
        doc[k] = v.clone();
    }
    let t = triage(&engine, doc).unwrap();
    let c = engine
        .classify_request(&crate::ClassifyRequest::new(t_text()).subject("Order 112-4839201-1938201").country("US"));
    assert_eq!(t.classification, c.unwrap());

    let mut p =
        PriorityRequest::from_value(&json!({"customer": {"tier": "vip", "orders_count": 12}, "contact_count": 2}))
            .unwrap();
    let from_text = PriorityRequest::from_classification(&t.classification);
    (p.categories, p.escalation, p.sentiment) = (from_text.categories, from_text.escalation, from_text.sentiment);
    assert_eq!(t.priority, engine.score_priority(&p).unwrap());

    let sla = SlaRequest::from_value(&json!({"level": t.priority.level, "created_at": "2026-11-23T09:00:00Z",
        "now": "2026-11-23T10:00:00Z", "events": [{"at": "2026-11-23T09:20:00Z", "type": "agent_reply"},
        {"at": "2026-11-23T09:40:00Z", "type": "customer_reply"}]}))
    .unwrap();
    assert_eq!(t.sla, engine.sla(&sla).unwrap());

    let reply = ReplyRequest::from_value(
        &json!({"now": "2026-11-23T10:00:00Z", "customer": {"country": "US", "language": "en"},
        "deadline": t.sla.next_deadline.unwrap().to_string(), "urgency": t.priority.level}),
    )
    .unwrap();
    assert_eq!(t.reply_plan, engine.schedule_reply(&reply).unwrap());

    // Damaged is the most severe fault category present (25 points, before defective's 20).
    assert_eq!(t.refund_complaint, Some(Category::Damaged));
    let case = RefundCase::from_value(&json!({
        "now": "2026-11-23T10:00:00Z", "complaint": "damaged", "destination_country": "US",
        "order": {"placed_at": "2026-11-01T09:00:00Z", "delivered_at": "2026-11-05T12:00:00Z",
                  "total": {"amount": "80.00", "currency": "USD"}},
        "item": {"price": {"amount": "80.00", "currency": "USD"}},
        "customer": {"tier": "vip", "orders_count": 12}
    }))
    .unwrap();
    assert_eq!(t.refund.unwrap(), engine.evaluate_refund(&case).unwrap());
}

fn t_text() -> &'static str {
    "The parcel arrived crushed and the lamp is broken. Third time I write, I want a refund!"
}

#[test]
fn the_sla_factor_is_left_out_of_priority() {
    // Created a day ago with no reply: the first-reply target is long breached, yet priority
    // scores no `sla_time_left` (the level chooses the targets; it is not re-levelled).
    let t = triage(&Engine::new(), ticket(json!({"created_at": "2026-11-20T09:00:00Z"}))).unwrap();
    assert!(t.sla.breached);
    assert!(!reason_codes(&t).contains(&"sla_time_left"), "{:?}", reason_codes(&t));
}

#[test]
fn contact_count_defaults_to_the_customers_messages() {
    let engine = Engine::new();
    let events = json!([
        {"at": "2026-11-23T09:10:00Z", "type": "agent_reply"},
        {"at": "2026-11-23T09:20:00Z", "type": "customer_reply"},
        {"at": "2026-11-23T09:30:00Z", "type": "agent_reply"},
        {"at": "2026-11-23T09:40:00Z", "type": "customer_reply"}
    ]);
    let t = triage(&engine, ticket(json!({"events": events}))).unwrap();
    let repeat = t.priority.reasons.iter().find(|r| r.code == "repeat_contact").expect("repeat_contact");
    // Three messages: two more than the first, 5 points each.
    assert_eq!(repeat.points, 10);
    // Given explicitly, the count wins.
    let t = triage(&engine, ticket(json!({"events": events, "contact_count": 1}))).unwrap();
    assert!(!reason_codes(&t).contains(&"repeat_contact"));
}

#[test]
fn a_lost_parcel_is_a_shipment_anomaly_unless_the_ticket_says_otherwise() {
    let engine = Engine::new();
    let t = triage(&engine, ticket(json!({"shipment_status": "lost"}))).unwrap();
    assert!(reason_codes(&t).contains(&"shipment_anomaly"));
    let t = triage(&engine, ticket(json!({"shipment_status": "in_transit"}))).unwrap();
    assert!(!reason_codes(&t).contains(&"shipment_anomaly"));
    let t = triage(&engine, ticket(json!({"shipment_status": "lost", "shipment_anomaly": false}))).unwrap();
    assert!(!reason_codes(&t).contains(&"shipment_anomaly"));
    let t = triage(&engine, ticket(json!({"shipment_anomaly": "stalled"}))).unwrap();
    assert!(reason_codes(&t).contains(&"shipment_anomaly"));
    let err = triage(&engine, ticket(json!({"shipment_status": "vanished"}))).unwrap_err();
    assert_eq!(err.field(), Some("shipment_status"));
}

#[test]
fn the_refund_complaint_is_the_most_severe_fault_present() {
    // not_received and damaged score 25 by default: the more confident one is taken. With a
    // policy rating not_received higher, it is taken even when listed second.
    let text = "The box arrived crushed, the vase is broken, and the second parcel never arrived.";
    let mut doc = ticket(json!({"text": text, "customer": {"country": "FR"}}));
    for (k, v) in order_and_item("EUR", "40.00").as_object().unwrap() {
        doc[k] = v.clone();
    }
    let t = triage(&Engine::new(), doc.clone()).unwrap();
    let names: Vec<&str> = t.classification.categories.iter().map(|s| s.category.as_str()).collect();
    assert!(names.contains(&"damaged") && names.contains(&"not_received"), "{names:?}");
    let first_fault = t.classification.categories.iter().find(|s| s.category.is_fault_or_non_delivery()).unwrap();
    assert_eq!(t.refund_complaint.as_ref(), Some(&first_fault.category));

    let engine = Engine::from_json(r#"{"priority": {"categories": {"not_received": 40}}}"#).unwrap();
    let t = triage(&engine, doc).unwrap();
    assert_eq!(t.refund_complaint, Some(Category::NotReceived));
}

#[test]
fn without_a_fault_the_refund_is_decided_for_the_primary_category() {
    let mut doc = ticket(json!({"text": "The shoes are too small, can I return them?", "customer": {"country": "DE"}}));
    for (k, v) in order_and_item("EUR", "60.00").as_object().unwrap() {
        doc[k] = v.clone();
    }
    let t = triage(&Engine::new(), doc).unwrap();
    assert_eq!(t.classification.primary, Category::SizeFit);
    assert_eq!(t.refund_complaint, Some(Category::SizeFit));
    // A change of mind in Germany, 18 days after delivery: the merchant's 30 days still run.
    assert_eq!(t.refund.unwrap().return_window.source, "merchant policy");
}

#[test]
fn without_enough_order_facts_the_refund_is_null() {
    let engine = Engine::new();
    let price = json!({"price": {"amount": "20.00", "currency": "EUR"}});
    let total = json!({"amount": "20.00", "currency": "EUR"});
    for extra in [
        json!({"order": {"total": total}}),
        json!({"item": price, "customer": {"country": "FR"}}),
        json!({"item": price, "order": {"total": total}, "customer": {"country": "FR"}}),
        json!({"item": price, "order": {"placed_at": "2026-11-01T00:00:00Z"}, "customer": {"country": "FR"}}),
        json!({"item": price, "order": {"placed_at": "2026-11-01T00:00:00Z", "total": total}}),
    ] {
        let t = triage(&engine, ticket(extra.clone())).unwrap_or_else(|e| panic!("{extra}: {e}"));
        assert!(t.refund.is_none() && t.refund_complaint.is_none(), "{extra}");
    }
    // Enough (an order record's `currency` is accepted beside its total).
    let enough = json!({"item": price, "order": {"placed_at": "2026-11-01T00:00:00Z", "total": total, "currency": "EUR"},
        "destination_country": "FR"});
    assert!(triage(&engine, ticket(enough)).unwrap().refund.is_some());
}

#[test]
fn the_destination_defaults_to_the_customers_country() {
    let engine = Engine::new();
    let mut doc = ticket(json!({"text": "The parcel arrived damaged", "customer": {"country": "JP"}}));
    for (k, v) in order_and_item("JPY", "3000").as_object().unwrap() {
        doc[k] = v.clone();
    }
    // The merchant's 30 days from delivery end at the end of a local day in Tokyo…
    let t = triage(&engine, doc.clone()).unwrap();
    assert_eq!(t.refund.unwrap().return_window.deadline.unwrap().to_string(), "2026-12-05T15:00:00Z");
    // …or in Paris when the parcel went there.
    let mut to_france = doc.clone();
    to_france["destination_country"] = json!("FR");
    let t = triage(&engine, to_france).unwrap();
    assert_eq!(t.refund.unwrap().return_window.deadline.unwrap().to_string(), "2026-12-05T23:00:00Z");

    // Nowhere to decide it for: no refund, the rest of the triage stands.
    doc["customer"] = json!({"tier": "regular"});
    let t = triage(&engine, doc).unwrap();
    assert!(t.refund.is_none() && t.refund_complaint.is_none());
}

#[test]
fn the_customers_own_language_places_them_before_the_messages() {
    let engine = Engine::new();
    // A Japanese message and nothing else: Tokyo, from the language.
    let t = triage(&engine, ticket(json!({"text": "荷物がまだ届きません"}))).unwrap();
    assert_eq!(
        (t.reply_plan.time_zone.as_str(), t.reply_plan.time_zone_source),
        ("Asia/Tokyo", crate::TimeZoneSource::Language)
    );
    // The customer's own language wins over the message's.
    let t = triage(&engine, ticket(json!({"text": "荷物がまだ届きません", "customer": {"language": "ko"}}))).unwrap();
    assert_eq!(t.reply_plan.time_zone, "Asia/Seoul");
    // A zone wins over both.
    let t = triage(
        &engine,
        ticket(json!({"text": "荷物がまだ届きません", "customer": {"time_zone": "America/Sao_Paulo"}})),
    )
    .unwrap();
    assert_eq!(t.reply_plan.time_zone_source, crate::TimeZoneSource::Given);
}

#[test]
fn holidays_keep_the_reply_off_them() {
    let engine = Engine::new();
    // Monday 2026-11-23, 06:00 in Berlin: the window opens at 09:00 — unless Monday is a
    // holiday there, then on Tuesday.
    // (Answered already, so the next deadline is the resolution's, days away.)
    let doc = ticket(json!({"text": "Can I change the colour of my order?", "created_at": "2026-11-23T05:00:00Z",
        "now": "2026-11-23T05:00:00Z", "customer": {"country": "DE"},
        "events": [{"at": "2026-11-23T05:00:00Z", "type": "agent_reply"}]}));
    let t = triage(&engine, doc.clone()).unwrap();
    assert_eq!(t.reply_plan.local_send_at, "2026-11-23T09:00:00+01:00", "{:?}", t.reply_plan.reason);
    let mut with_holiday = doc;
    with_holiday["holidays"] = json!(["2026-11-23"]);
    let t = triage(&engine, with_holiday).unwrap();
    assert!(t.reply_plan.local_send_at.starts_with("2026-11-24T09:00:00"), "{:?}", t.reply_plan.reason);
}

#[test]
fn bad_tickets_name_the_field() {
    let engine = Engine::new();
    let cases = [
        (json!({"text": 5}), "text", ErrorKind::InvalidInput),
        (json!({"customer": {"time_zone": "Mars/Base"}}), "customer.time_zone", ErrorKind::UnknownTimeZone),
        (json!({"customer": {"tier": "platinum"}}), "customer.tier", ErrorKind::InvalidInput),
        (json!({"customer": {"favourite_colour": "red"}}), "customer.favourite_colour", ErrorKind::InvalidInput),
        (
            json!({"events": [{"at": "2026-11-23T08:00:00Z", "type": "agent_reply"}]}),
            "events[0].at",
            ErrorKind::InvalidInput,
        ),
        (json!({"team_calendar": "moon_team"}), "team_calendar", ErrorKind::InvalidInput),
        (json!({"calendar": "moon_team"}), "calendar", ErrorKind::InvalidInput),
        (json!({"holidays": ["12-25"]}), "holidays[0]", ErrorKind::InvalidInput),
        (json!({"id": 1.5}), "id", ErrorKind::InvalidInput),
        (json!({"destination_country": "XX"}), "destination_country", ErrorKind::InvalidInput),
        (json!({"ticket_colour": "red"}), "ticket_colour", ErrorKind::InvalidInput),
        (json!({"now": "2026-11-23T08:00:00Z"}), "now", ErrorKind::InvalidInput),
        (
            json!({"customer": {"country": "FR"}, "item": {"price": {"amount": "1", "currency": "EUR"}},
                   "order": {"placed_at": "2026-11-01T00:00:00Z", "total": {"amount": "1", "currency": "EURO"}}}),
            "order.total.currency",
            ErrorKind::UnknownCurrency,
        ),
    ];
    for (extra, field, kind) in cases {
        let err = triage(&engine, ticket(extra.clone())).expect_err(&extra.to_string());
        assert_eq!((err.kind(), err.field()), (kind, Some(field)), "{extra}: {err}");
    }
}

#[test]
fn a_batch_fails_only_the_bad_ticket() {
    let engine = Engine::new();
    let good = Ticket::from_value(&ticket(json!({"id": "a"}))).unwrap();
    let mut bad = good.clone();
    bad.team_calendar = Some("nowhere".into());
    let out = engine.triage_batch([&good, &bad, &good]);
    assert_eq!(out.len(), 3);
    assert!(out[0].is_ok() && out[2].is_ok());
    assert_eq!(out[1].as_ref().unwrap_err().field(), Some("team_calendar"));
    assert_eq!(out[0].as_ref().unwrap(), &engine.triage(&good).unwrap());
}

#[test]
fn hostile_input_is_an_error_not_a_panic() {
    let engine = Engine::new();
    let huge = "a".repeat(2_000_000);
    for extra in [
        json!({"text": huge}),
        json!({"text": ""}),
        json!({"created_at": "0001-01-01T00:00:00Z", "now": "9999-12-31T23:59:59Z"}),
        json!({"now": "9999-12-31T23:59:59Z", "customer": {"country": "SA"}}),
        json!({"contact_count": 4_294_967_295u64}),
    ] {
        let _ = triage(&engine, ticket(extra));
    }
}
