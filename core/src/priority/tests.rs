use proptest::prelude::*;
use serde_json::{Value, json};

use crate::{Engine, ErrorKind, PriorityRequest};

fn score(engine: &Engine, request: Value) -> crate::Priority {
    engine.score_priority(&PriorityRequest::from_value(&request).unwrap()).unwrap()
}

fn codes(p: &crate::Priority) -> Vec<&'static str> {
    p.reasons.iter().map(|r| r.code).collect()
}

#[test]
fn the_most_severe_category_scores_once_and_signals_add_up() {
    let e = Engine::new();
    let p = score(
        &e,
        json!({"categories": ["delivery_delay", "not_received", "refund_request"],
                             "escalation": ["legal_threat", "legal_threat", "urgent"]}),
    );
    // not_received 25, legal_threat 30 (once), urgent 15.
    assert_eq!(p.score, 70);
    assert_eq!(p.level, "urgent");
    assert_eq!(codes(&p), ["category_severity", "escalation_signal", "escalation_signal"]);
    assert_eq!(p.reasons[0].params, json!({"category": "not_received"}));
    assert_eq!(p.reasons[0].message, "category not_received: +25");
}

#[test]
fn level_cut_offs_are_inclusive() {
    let e = Engine::new();
    // 45 is "high", 44 "normal".
    let high = score(&e, json!({"categories": ["damaged"], "escalation": ["review_threat"], "sentiment": "negative"}));
    assert_eq!((high.score, high.level.as_str()), (45, "high"));
    let normal = score(
        &e,
        json!({"categories": ["damaged"], "escalation": ["review_threat"], "sentiment": "negative",
                                  "customer": {"tier": "new", "abuse_flag": false}, "contact_count": 1}),
    );
    assert_eq!(normal.score, 50);
    let low = score(&e, json!({"categories": ["other"], "sentiment": "very_positive"}));
    assert_eq!((low.score, low.level.as_str()), (0, "low"));
    assert_eq!(codes(&low), ["category_severity", "sentiment", "clamp"]);
    assert_eq!(low.reasons[2].points, 5);
}

#[test]
fn clamp_keeps_the_sum_exact_at_100() {
    let e = Engine::new();
    let p = score(
        &e,
        json!({
            "categories": ["not_received"], "escalation": ["legal_threat", "chargeback_threat", "review_threat", "urgent"],
            "sentiment": "very_negative", "customer": {"tier": "vip", "lifetime_value": {"amount": "9000", "currency": "EUR"}},
            "sla_remaining_seconds": -1
        }),
    );
    assert_eq!(p.score, 100);
    let last = p.reasons.last().unwrap();
    assert_eq!(last.code, "clamp");
    assert_eq!(p.reasons.iter().map(|r| r.points).sum::<i32>(), 100);
    assert!(last.points < 0 && last.message.starts_with("raw score 165 brought to 100"));
}

#[test]
fn money_thresholds_are_per_currency_and_never_converted() {
    let e = Engine::new();
    let eur = score(&e, json!({"order": {"total": {"amount": "1000.00", "currency": "EUR"}}}));
    assert_eq!(eur.score, 10);
    assert_eq!(eur.reasons[0].params, json!({"amount": "1000.00", "currency": "EUR", "min": "1000.00"}));
    let below = score(&e, json!({"order": {"total": {"amount": "199.99", "currency": "EUR"}}}));
    assert!(below.reasons.is_empty());
    let jpy = score(&e, json!({"order": {"total": {"amount": "30000", "currency": "JPY"}}}));
    assert_eq!(jpy.score, 5);
    // KWD has no thresholds in the default policy: 0 points, and the reason says so.
    let kwd = score(&e, json!({"customer": {"lifetime_value": {"amount": "99999.999", "currency": "KWD"}}}));
    assert_eq!(kwd.score, 0);
    assert_eq!(codes(&kwd), ["lifetime_value_unrated"]);
    assert_eq!(kwd.reasons[0].message, "lifetime value 99999.999 KWD, no thresholds in KWD: +0");
}

#[test]
fn customer_contact_anomaly_and_sla_factors() {
    let e = Engine::new();
    let p = score(
        &e,
        json!({"customer": {"tier": "regular", "orders_count": 12, "abuse_flag": true},
                             "contact_count": 9, "shipment_anomaly": "stalled", "sla_remaining_seconds": 1800}),
    );
    // orders 5, abuse −20, contacts min(40, 15) = 15, anomaly 10, SLA under 1 h 15 = 25.
    assert_eq!(codes(&p), ["orders_count", "abuse_flag", "repeat_contact", "shipment_anomaly", "sla_time_left"]);
    assert_eq!(p.score, 25);
    assert_eq!(p.reasons[1].message, "the customer is flagged for abuse: \u{2212}20");
    assert_eq!(p.reasons[4].message, "less than 1h of SLA time left: +15");
    let p = score(&e, json!({"sla_remaining_seconds": 4 * 3600, "shipment_anomaly": false, "contact_count": 1}));
    assert!(p.reasons.is_empty());
}

#[test]
fn bad_requests_name_the_field() {
    let e = Engine::new();
    let err = |v: Value| match PriorityRequest::from_value(&v) {
        Err(err) => err,
        Ok(r) => e.score_priority(&r).unwrap_err(),
    };
    assert_eq!(err(json!({"customer": {"tier": "gold"}})).field(), Some("customer.tier"));
    assert_eq!(err(json!({"escalation": ["lawyer"]})).field(), Some("escalation[0]"));
    assert_eq!(err(json!({"contact_count": -1})).field(), Some("contact_count"));
    assert_eq!(
        err(json!({"order": {"total": {"amount": 12.5, "currency": "EUR"}}})).field(),
        Some("order.total.amount")
    );
    let e2 = err(json!({"order": {"total": {"amount": "12", "currency": "EURO"}}}));
    assert_eq!((e2.kind(), e2.field()), (ErrorKind::UnknownCurrency, Some("order.total.currency")));
    assert_eq!(err(json!({"priority": 1})).field(), Some("priority"));
    assert_eq!(err(json!([])).kind(), ErrorKind::InvalidInput);
}

#[test]
fn a_classification_can_be_passed_whole() {
    let e = Engine::new();
    let c = e.classify("I want my money back, the parcel never arrived!!! I will contact my lawyer").unwrap();
    let as_json = serde_json::to_value(&c).unwrap();
    let p = score(&e, json!({"classification": as_json}));
    let direct = e.score_priority(&PriorityRequest::from_classification(&c)).unwrap();
    assert_eq!(p, direct);
    assert!(codes(&p).contains(&"escalation_signal"));
}

#[test]
fn policy_mistakes_name_their_path() {
    let err = |v: Value| Engine::from_value(v).unwrap_err();
    let e = err(json!({"priority": {"categories": {"broken": 10}}}));
    assert_eq!((e.kind(), e.field()), (ErrorKind::InvalidPolicy, Some("priority.categories.broken")));
    assert_eq!(err(json!({"priority": {"levels": {"low": 5}}})).field(), Some("priority.levels"));
    assert_eq!(
        err(json!({"priority": {"order_value": {"EURO": [{"min": "1", "points": 1}]}}})).field(),
        Some("priority.order_value.EURO[0]")
    );
    assert_eq!(
        err(json!({"priority": {"order_value": {"EUR": [{"min": "1.001", "points": 1}]}}})).field(),
        Some("priority.order_value.EUR[0].min")
    );
    assert_eq!(
        err(json!({"priority": {"orders_count": [{"min": 5, "points": 1}, {"min": 5, "points": 2}]}})).field(),
        Some("priority.orders_count[1].min")
    );
    assert_eq!(err(json!({"priority": {"abuse_flag": 2.5}})).field(), Some("priority.abuse_flag"));
    assert_eq!(
        err(json!({"priority": {"sla_time_left": [{"below": "1x", "points": 1}]}})).field(),
        Some("priority.sla_time_left[0].below")
    );
    assert_eq!(
        err(json!({"priority": {"repeat_contact": {"per_contact": 1000, "max": -1}}})).field(),
        Some("priority.repeat_contact.max")
    );
    assert!(err(json!({"priority": {"order_value": {"eur": [{"min": "1", "points": 1}], "EUR": [{"min": "2", "points": 1}]}}})).field().unwrap().starts_with("priority.order_value."));
    assert_eq!(
        err(json!({"priority": {"orders_count": [{"min": 10, "points": 5, "bonus": 99}]}})).field(),
        Some("priority.orders_count[0].bonus")
    );
    assert_eq!(
        err(json!({"priority": {"sla_time_left": [{"below": "1h", "points": 5, "typo": 1}]}})).field(),
        Some("priority.sla_time_left[0].typo")
    );
    assert_eq!(
        err(json!({"priority": {"order_value": {"EUR": [{"min": "-100", "points": 1}]}}})).field(),
        Some("priority.order_value.EUR[0].min")
    );
    // A new level needs SLA targets.
    assert_eq!(err(json!({"priority": {"levels": {"critical": 90}}})).field(), Some("sla.targets.critical"));
    // A policy's own category can carry points.
    let custom = Engine::from_value(json!({
        "classification": {"categories": {"warranty": {"kind": "request"}}},
        "priority": {"categories": {"warranty": 12}}
    }))
    .unwrap();
    assert_eq!(score(&custom, json!({"categories": ["warranty"]})).score, 12);
}

fn arb_request() -> impl Strategy<Value = Value> {
    let cats = prop::sample::subsequence(vec!["not_received", "damaged", "size_fit", "other", "refund_request"], 0..4);
    let sigs = prop::sample::subsequence(
        vec!["legal_threat", "chargeback_threat", "review_threat", "repeat_contact", "abusive_language", "urgent"],
        0..6,
    );
    let sent = prop::sample::select(vec!["very_negative", "negative", "neutral", "positive", "very_positive"]);
    let tier = prop::sample::select(vec!["vip", "regular", "new"]);
    let cur = prop::sample::select(vec!["EUR", "USD", "JPY", "KWD", "GBP"]);
    (cats, sigs, sent, tier, cur, 0u32..20_000, any::<bool>(), 0u32..12, -10_000i64..30_000, any::<bool>())
        .prop_map(|(c, s, sent, tier, cur, amount, abuse, contacts, left, anomaly)| {
            json!({"categories": c, "escalation": s, "sentiment": sent,
                   "customer": {"tier": tier, "lifetime_value": {"amount": amount * 3, "currency": cur}, "orders_count": contacts * 2, "abuse_flag": abuse},
                   "order": {"total": {"amount": amount, "currency": cur}}, "contact_count": contacts,
                   "shipment_anomaly": anomaly, "sla_remaining_seconds": left})
        })
}

proptest! {
    #[test]
    fn reasons_always_add_up_to_a_score_in_range(request in arb_request()) {
        let e = Engine::new();
        let p = score(&e, request);
        prop_assert!(p.score <= 100);
        prop_assert_eq!(p.reasons.iter().map(|r| r.points).sum::<i32>(), i32::from(p.score));
        prop_assert!(p.reasons.iter().filter(|r| r.code == "clamp").count() <= 1);
        prop_assert!(p.reasons.iter().all(|r| r.code == "clamp" || r.points != 0 || r.code.ends_with("_unrated")));
    }
}
