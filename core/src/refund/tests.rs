use proptest::prelude::*;
use serde_json::{Value, json};

use crate::policy::merge_patch;
use crate::{Documents, Engine, ErrorKind, RefundCase, RefundDecision, RefundOutcome};

/// A €60 item delivered in Germany on Wednesday 2026-11-04 (15:00 UTC, 16:00 local), €4.90
/// shipping, with `patch` applied (RFC 7386).
fn case(patch: Value) -> RefundCase {
    let mut doc = json!({
        "now": "2026-11-10T10:00:00Z", "complaint": "size_fit", "destination_country": "DE",
        "order": {"placed_at": "2026-11-01T09:00:00Z", "delivered_at": "2026-11-04T15:00:00Z",
                  "total": {"amount": "64.90", "currency": "EUR"}, "shipping_paid": {"amount": "4.90", "currency": "EUR"}},
        "item": {"sku": "SHOE-42", "price": {"amount": "60.00", "currency": "EUR"}, "tags": []},
        "return_shipping_cost": {"amount": "6.50", "currency": "EUR"}
    });
    merge_patch(&mut doc, patch);
    RefundCase::from_value(&doc).unwrap_or_else(|e| panic!("{e}"))
}

fn decide(engine: &Engine, c: &RefundCase) -> RefundDecision {
    engine.evaluate_refund(c).unwrap_or_else(|e| panic!("{e}"))
}

fn amount(d: &RefundDecision) -> String {
    d.refund_amount.map_or_else(|| "null".into(), |m| m.to_string())
}

/// A shop with a 7-day window of its own, so that the law's 14 days show.
fn short_window_shop() -> Engine {
    Engine::from_value(json!({"refund": {"return_window": {"days": 7}}})).unwrap()
}

#[test]
fn eu_statutory_window_ends_at_local_midnight_of_day_14() {
    let e = short_window_shop();
    // Delivered Wednesday 4th: day 14 is Wednesday 18th; the window closes at its end, local time.
    let open = decide(&e, &case(json!({"now": "2026-11-18T22:59:59Z"})));
    assert_eq!(open.outcome, RefundOutcome::ReturnThenRefund);
    assert_eq!(open.return_window.deadline.unwrap().to_string(), "2026-11-18T23:00:00Z");
    assert!(open.return_window.statutory && open.return_window.open);
    assert_eq!(open.return_window.source, "EU Directive 2011/83/EU art. 9");
    // Merchant window (7 days) closed, the law grants it: outbound shipping refunded too.
    assert_eq!(amount(&open), "64.90 EUR");
    assert!(open.reasons.iter().any(|r| r.code == "outbound_shipping_refunded"));
    let closed = decide(&e, &case(json!({"now": "2026-11-18T23:00:00Z"})));
    assert_eq!(closed.outcome, RefundOutcome::Deny);
    assert!(!closed.return_window.open);
}

#[test]
fn eu_window_ending_on_a_weekend_or_holiday_runs_to_the_next_working_day() {
    let e = short_window_shop();
    // Delivered Saturday 7th (local): day 14 is Saturday 21st → Monday 23rd; with Monday a given
    // holiday → Tuesday 24th.
    let c = case(json!({"order": {"delivered_at": "2026-11-07T10:00:00Z"}, "now": "2026-11-23T12:00:00Z"}));
    assert_eq!(decide(&e, &c).return_window.deadline.unwrap().to_string(), "2026-11-23T23:00:00Z");
    let c = case(
        json!({"order": {"delivered_at": "2026-11-07T10:00:00Z"}, "now": "2026-11-23T12:00:00Z", "holidays": ["2026-11-23"]}),
    );
    assert_eq!(decide(&e, &c).return_window.deadline.unwrap().to_string(), "2026-11-24T23:00:00Z");
}

#[test]
fn local_dates_of_the_destination_decide_the_delivery_day() {
    let e = short_window_shop();
    // 23:30 UTC on the 4th is already the 5th in Berlin: day 14 is the 19th.
    let c = case(json!({"order": {"delivered_at": "2026-11-04T23:30:00Z"}}));
    assert_eq!(decide(&e, &c).return_window.deadline.unwrap().to_string(), "2026-11-19T23:00:00Z");
}

#[test]
fn japan_counts_the_delivery_day_and_only_without_shop_terms() {
    let no_terms =
        Engine::from_value(json!({"refund": {"states_return_terms": false, "return_window": {"days": 3}}})).unwrap();
    let c = case(json!({"destination_country": "JP", "order": {"delivered_at": "2026-11-02T03:00:00Z",
        "total": {"amount": "6490", "currency": "JPY"}, "shipping_paid": {"amount": "490", "currency": "JPY"}},
        "item": {"price": {"amount": "6000", "currency": "JPY"}}, "return_shipping_cost": {"amount": "800", "currency": "JPY"},
        "now": "2026-11-09T12:00:00Z"}));
    let d = decide(&no_terms, &c);
    // 8 days counting Monday 2nd: the last is Monday 9th, ending at 15:00 UTC (midnight in Tokyo).
    assert_eq!(d.return_window.deadline.unwrap().to_string(), "2026-11-09T15:00:00Z");
    assert!(d.return_window.statutory);
    // The default shop states its terms: Japan's statutory right does not apply.
    let d = decide(&Engine::new(), &c);
    assert!(!d.return_window.statutory);
    assert_eq!(d.return_window.days, 30);
}

#[test]
fn mexico_counts_business_days() {
    let e = short_window_shop();
    let c = case(json!({"destination_country": "MX", "order": {"delivered_at": "2026-11-12T18:00:00Z",
        "total": {"amount": "1100.00", "currency": "MXN"}, "shipping_paid": {"amount": "100.00", "currency": "MXN"}},
        "item": {"price": {"amount": "1000.00", "currency": "MXN"}}, "return_shipping_cost": {"amount": "150.00", "currency": "MXN"},
        "holidays": ["2026-11-16"], "now": "2026-11-20T12:00:00Z"}));
    let d = decide(&e, &c);
    // Thursday 12th + 5 business days, Monday 16th a holiday: Friday 20th, ends 06:00 UTC on the 21st.
    assert_eq!(d.return_window.deadline.unwrap().to_string(), "2026-11-21T06:00:00Z");
    assert_eq!((d.return_window.days, d.return_window.statutory), (5, true));
}

#[test]
fn brazil_refunds_everything_paid_even_for_final_sale() {
    let c = case(
        json!({"destination_country": "BR", "item": {"price": {"amount": "200.00", "currency": "BRL"}, "tags": ["final_sale"]},
        "order": {"total": {"amount": "230.00", "currency": "BRL"}, "shipping_paid": {"amount": "30.00", "currency": "BRL"}},
        "return_shipping_cost": {"amount": "40.00", "currency": "BRL"}, "now": "2026-11-09T12:00:00Z"}),
    );
    let d = decide(&Engine::new(), &c);
    assert_eq!(d.rule.as_deref(), Some("final_sale"));
    assert_eq!(d.outcome, RefundOutcome::ReturnThenRefund);
    assert_eq!(amount(&d), "230.00 BRL");
    assert!(d.reasons.iter().any(|r| r.code == "statutory_right"));
    // The shop's 30 days are the longer window; the reasons name the law that granted this one.
    assert_eq!(d.return_window.source, "merchant policy");
    assert!(d.reasons.iter().any(|r| r.code == "statutory_window" && r.message().contains("CDC")));
    // After the 7 days: the shop's final-sale rule stands.
    let late = case(
        json!({"destination_country": "BR", "item": {"price": {"amount": "200.00", "currency": "BRL"}, "tags": ["final_sale"]},
        "order": {"total": {"amount": "230.00", "currency": "BRL"}, "shipping_paid": {"amount": "30.00", "currency": "BRL"}},
        "return_shipping_cost": {"amount": "40.00", "currency": "BRL"}, "now": "2026-11-12T12:00:00Z"}),
    );
    assert_eq!(decide(&Engine::new(), &late).outcome, RefundOutcome::Deny);
}

#[test]
fn statutory_exclusions_remove_only_the_change_of_mind_right() {
    let e = short_window_shop();
    let opened = json!({"item": {"tags": ["hygiene", "opened"]}, "now": "2026-11-12T10:00:00Z"});
    let d = decide(&e, &case(opened.clone()));
    assert_eq!(d.outcome, RefundOutcome::Deny);
    assert!(d.reasons.iter().any(|r| r.code == "statutory_exclusion"));
    assert!(!d.return_window.statutory);
    // A defect is still a defect.
    let mut defect = opened;
    merge_patch(&mut defect, json!({"complaint": "defective", "evidence": {"photo": true}}));
    let d = decide(&e, &case(defect));
    assert_eq!(d.outcome, RefundOutcome::ReturnThenRefund);
    assert_eq!(d.rule.as_deref(), Some("fault_return"));
}

#[test]
fn fault_claims_are_never_refused_for_a_closed_window() {
    // A shop rule that refuses everything once its window closed.
    let strict = Engine::from_value(json!({"refund": {"rules": [
        {"id": "closed", "conditions": {"fact": "within_return_window", "eq": false}, "outcome": "deny"}
    ]}}))
    .unwrap();
    let c = case(json!({"complaint": "defective", "now": "2027-03-01T10:00:00Z"}));
    let d = decide(&strict, &c);
    assert_eq!(d.outcome, RefundOutcome::ManualReview);
    assert!(d.reasons.iter().any(|r| r.code == "fault_claim_not_bound_by_window"));
    // A change of mind is refused.
    assert_eq!(decide(&strict, &case(json!({"now": "2027-03-01T10:00:00Z"}))).outcome, RefundOutcome::Deny);
}

#[test]
fn money_is_exact_in_each_currency() {
    let partial = Engine::from_value(json!({"refund": {"rules": [
        {"id": "half", "conditions": {"fact": "complaint", "eq": "not_as_described"}, "outcome": "partial_refund", "modifiers": {"refund_percent": 33}},
        {"id": "credit", "conditions": {"fact": "complaint", "eq": "size_fit"}, "outcome": "store_credit", "modifiers": {"store_credit_bonus_percent": 15}},
        {"id": "fee", "conditions": {"fact": "complaint", "eq": "return_request"}, "outcome": "return_then_refund", "modifiers": {"restocking_fee_percent": 15, "deduct_return_shipping": true}}
    ]}}))
    .unwrap();
    // Kuwait has no statutory change-of-mind right: the shop's rules decide alone.
    let kwd = json!({"destination_country": "KW", "item": {"price": {"amount": "10.005", "currency": "KWD"}}, "order": {"total": {"amount": "12.000", "currency": "KWD"},
        "shipping_paid": {"amount": "1.995", "currency": "KWD"}}, "return_shipping_cost": {"amount": "1.500", "currency": "KWD"}});
    let mut c = kwd.clone();
    merge_patch(&mut c, json!({"complaint": "not_as_described"}));
    // 33% of 10.005 = 3.30165 → 3.302 (half-up at 3 decimals).
    assert_eq!(amount(&decide(&partial, &case(c))), "3.302 KWD");
    let mut c = kwd.clone();
    merge_patch(&mut c, json!({"complaint": "size_fit"}));
    let d = decide(&partial, &case(c));
    assert_eq!((amount(&d), d.store_credit_bonus.unwrap().to_string()), ("10.005 KWD".into(), "1.501 KWD".into()));
    // JPY: 15% of ¥1,999 = 299.85 → ¥300 fee; minus ¥800 return shipping.
    let jpy = json!({"complaint": "return_request", "destination_country": "US", "item": {"price": {"amount": "1999", "currency": "JPY"}},
        "order": {"total": {"amount": "2499", "currency": "JPY"}, "shipping_paid": {"amount": "500", "currency": "JPY"}},
        "return_shipping_cost": {"amount": "800", "currency": "JPY"}});
    let d = decide(&partial, &case(jpy));
    assert_eq!(amount(&d), "899 JPY");
    let codes: Vec<&str> = d.reasons.iter().map(|r| r.code).collect();
    assert!(codes.contains(&"restocking_fee") && codes.contains(&"return_shipping_deducted"));
}

#[test]
fn default_policy_decisions() {
    let e = Engine::new();
    // Lost parcel: replacement, auto-approved under the limit (€40 ≤ €50).
    let lost = json!({"complaint": "not_received", "order": {"delivered_at": null, "total": {"amount": "44.90"}},
                      "item": {"price": {"amount": "40.00"}}, "shipment_status": "lost"});
    let d = decide(&e, &case(lost));
    assert_eq!((d.outcome, d.auto_approve, d.refund_amount), (RefundOutcome::Replacement, true, None));
    assert_eq!(d.return_window.basis, "not_delivered");
    // Damage above €25 without a photo: a person, asking for the photo.
    let d = decide(&e, &case(json!({"complaint": "damaged"})));
    assert_eq!(d.outcome, RefundOutcome::ManualReview);
    assert_eq!(d.requires.iter().map(|r| &**r).collect::<Vec<_>>(), ["photo_evidence"]);
    assert!(!d.auto_approve);
    // With the photo: replacement.
    assert_eq!(
        decide(&e, &case(json!({"complaint": "damaged", "evidence": {"photo": true}}))).outcome,
        RefundOutcome::Replacement
    );
    // A fifth claim: manual review, whatever the complaint.
    let d = decide(&e, &case(json!({"customer": {"refunds_last_365d": 4}})));
    assert_eq!(d.rule.as_deref(), Some("repeat_claimant_review"));
    // A change of mind after 30 days: refused (statutory 14 days long gone).
    let d = decide(&e, &case(json!({"now": "2026-12-10T10:00:00Z"})));
    assert_eq!(d.outcome, RefundOutcome::Deny);
    // The trace says why each earlier rule did not fire.
    let first = d.trace.iter().next().unwrap();
    assert_eq!(first.rule, "abuse_flag_review");
    let failed = first.failed.clone().unwrap();
    assert_eq!((failed.fact, failed.op, failed.code), (Some("customer.abuse_flag"), Some("eq"), "false"));
    assert_eq!(failed.message, "customer.abuse_flag is false, not eq true");
    assert_eq!(failed.path, "refund.rules[0].conditions");
    // Above the auto-approve limit: a person approves.
    let big =
        decide(&e, &case(json!({"item": {"price": {"amount": "600.00"}}, "order": {"total": {"amount": "604.90"}}})));
    assert_eq!(big.outcome, RefundOutcome::ReturnThenRefund);
    assert!(!big.auto_approve && big.reasons.iter().any(|r| r.code == "auto_approve_above_limit"));
}

#[test]
fn bad_cases_name_the_field() {
    let base = json!({
        "now": "2026-11-10T10:00:00Z", "complaint": "size_fit", "destination_country": "DE",
        "order": {"placed_at": "2026-11-01T09:00:00Z", "delivered_at": "2026-11-04T15:00:00Z", "total": {"amount": "64.90", "currency": "EUR"}},
        "item": {"price": {"amount": "60.00", "currency": "EUR"}}
    });
    let err = |patch: Value| {
        let mut doc = base.clone();
        merge_patch(&mut doc, patch);
        match RefundCase::from_value(&doc) {
            Err(e) => e,
            Ok(c) => Engine::new().evaluate_refund(&c).unwrap_err(),
        }
    };
    let check = |patch: Value, kind: ErrorKind, field: &str| {
        let e = err(patch);
        assert_eq!((e.kind(), e.field()), (kind, Some(field)), "{e}");
    };
    check(json!({"item": {"price": {"currency": "EURO"}}}), ErrorKind::UnknownCurrency, "item.price.currency");
    check(json!({"item": {"price": {"amount": "60.001"}}}), ErrorKind::InvalidInput, "item.price.amount");
    check(json!({"order": {"total": {"currency": "USD"}}}), ErrorKind::CurrencyMismatch, "order.total");
    check(json!({"order": {"delivered_at": "2026-10-30T09:00:00Z"}}), ErrorKind::InvalidInput, "order.delivered_at");
    check(json!({"destination_country": "XX"}), ErrorKind::InvalidInput, "destination_country");
    check(json!({"destination_country": "DEU"}), ErrorKind::InvalidInput, "destination_country");
    check(json!({"complaint": "broken"}), ErrorKind::InvalidInput, "complaint");
    check(json!({"item": {"price": {"amount": "70.00"}}}), ErrorKind::InvalidInput, "item.price");
    check(json!({"item": {"quantity": 0}}), ErrorKind::InvalidInput, "item.quantity");
    check(json!({"shipment_status": "teleported"}), ErrorKind::InvalidInput, "shipment_status");
    check(json!({"holidays": ["23/11/2026"]}), ErrorKind::InvalidInput, "holidays[0]");
    check(
        json!({"order": {"placed_at": "2026-12-01T00:00:00Z", "delivered_at": null}}),
        ErrorKind::InvalidInput,
        "order.placed_at",
    );
}

#[test]
fn policy_mistakes_name_the_rule() {
    let rules = |r: Value| Engine::from_value(json!({"refund": {"rules": r}})).unwrap_err();
    let check = |r: Value, field: &str| {
        let e = rules(r);
        assert_eq!((e.kind(), e.field()), (ErrorKind::InvalidPolicy, Some(field)), "{e}");
    };
    check(
        json!([{"id": "a", "conditions": {"fact": "colour", "eq": "red"}, "outcome": "deny"}]),
        "refund.rules[0].conditions.fact",
    );
    check(
        json!([{"id": "a", "conditions": {"fact": "item.price", "gt": 50}, "outcome": "deny"}]),
        "refund.rules[0].conditions.gt",
    );
    check(
        json!([{"id": "a", "conditions": {"fact": "item.price", "gt": {"EUR": "50.001"}}, "outcome": "deny"}]),
        "refund.rules[0].conditions.gt.EUR",
    );
    check(
        json!([{"id": "a", "conditions": {"fact": "destination_country", "in": ["DE", "UK"]}, "outcome": "deny"}]),
        "refund.rules[0].conditions.in[1]",
    );
    check(
        json!([{"id": "a", "conditions": {"fact": "complaint", "eq": "broken"}, "outcome": "deny"}]),
        "refund.rules[0].conditions.eq",
    );
    check(
        json!([{"id": "a", "conditions": {"fact": "item.tags", "gt": 1}, "outcome": "deny"}]),
        "refund.rules[0].conditions.gt",
    );
    check(json!([{"id": "a", "outcome": "refund_all"}]), "refund.rules[0].outcome");
    check(
        json!([{"id": "a", "outcome": "deny"}, {"id": "a", "conditions": {"fact": "delivered", "eq": true}, "outcome": "deny"}]),
        "refund.rules[1].id",
    );
    // Rule 0 has a subset of rule 1's conditions: rule 1 can never fire.
    check(
        json!([
            {"id": "eu", "conditions": {"fact": "region", "contains": "EU"}, "outcome": "manual_review"},
            {"id": "eu_cheap", "conditions": {"all": [{"fact": "region", "contains": "EU"}, {"fact": "returnless_eligible", "eq": true}]}, "outcome": "returnless_refund"}
        ]),
        "refund.rules[1]",
    );
    check(json!([{"id": "a", "outcome": "partial_refund"}]), "refund.rules[0].modifiers.refund_percent");
    check(
        json!([{"id": "a", "outcome": "partial_refund", "modifiers": {"refund_percent": 120}}]),
        "refund.rules[0].modifiers.refund_percent",
    );
    // Overlap as such is fine: first match decides.
    Engine::from_value(json!({"refund": {"rules": [
        {"id": "cheap", "conditions": {"fact": "returnless_eligible", "eq": true}, "outcome": "returnless_refund"},
        {"id": "eu", "conditions": {"fact": "region", "contains": "EU"}, "outcome": "manual_review"}
    ]}}))
    .unwrap();
}

fn arb_case() -> impl Strategy<Value = Value> {
    let complaint = prop::sample::select(vec![
        "not_received",
        "damaged",
        "defective",
        "wrong_item",
        "missing_item",
        "not_as_described",
        "size_fit",
        "return_request",
        "refund_request",
        "cancellation",
        "other",
    ]);
    let country = prop::sample::select(vec!["DE", "FR", "GB", "BR", "JP", "MX", "US", "SA", "CN", "TR", "NO", "AU"]);
    let tags =
        prop::sample::subsequence(vec!["hygiene", "opened", "personalized", "final_sale", "used", "digital"], 0..3);
    (
        complaint,
        country,
        tags,
        1i64..40_000,
        0i64..2_000,
        1u32..4,
        0i64..90,
        prop::option::of(0i64..40),
        any::<bool>(),
        0u32..7,
    )
        .prop_map(|(complaint, country, tags, price, shipping, qty, now_days, delivered_days, photo, refunds)| {
            let line = price * i64::from(qty);
            let total = line + shipping + 500;
            let day = |d: i64| crate::Timestamp::from_unix_seconds(1_793_500_000 + d * 86_400).unwrap().to_string();
            let m = |minor: i64| json!({"amount": format!("{}.{:02}", minor / 100, minor % 100), "currency": "EUR"});
            json!({
                "now": day(now_days + 5), "complaint": complaint, "destination_country": country,
                "order": {"placed_at": day(0), "delivered_at": delivered_days.map(|d| day(d.min(now_days + 5))),
                          "total": m(total), "shipping_paid": m(shipping)},
                "item": {"price": m(price), "quantity": qty, "tags": tags},
                "evidence": {"photo": photo}, "return_shipping_cost": m(650), "customer": {"refunds_last_365d": refunds}
            })
        })
}

/// Any small JSON value, for putting where a field should be.
fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (-1e6f64..1e6).prop_map(Value::from),
        "[A-Za-z0-9 .:+-]{0,12}".prop_map(Value::from),
        prop::sample::select(vec!["2026-11-03T10:00:00Z", "EUR", "KWD", "12.345", "-1", "DE", "2026-12-24", "lost"])
            .prop_map(Value::from),
    ];
    leaf.prop_recursive(2, 12, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,8}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Where a case's fields are, and a few where they are not.
const PATHS: &[&[&str]] = &[
    &["now"],
    &["complaint"],
    &["destination_country"],
    &["order"],
    &["order", "placed_at"],
    &["order", "delivered_at"],
    &["order", "total"],
    &["order", "total", "amount"],
    &["order", "total", "currency"],
    &["order", "shipping_paid", "amount"],
    &["order", "extra"],
    &["item"],
    &["item", "price", "amount"],
    &["item", "quantity"],
    &["item", "tags"],
    &["evidence", "photo"],
    &["return_shipping_cost"],
    &["customer", "refunds_last_365d"],
    &["customer", "tier"],
    &["shipment_status"],
    &["holidays"],
    &["unknown"],
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn documents_read_as_json_does(doc in arb_case(), path in prop::sample::select(PATHS), value in arb_json()) {
        // Whatever is put at `path`, reading the case from `Documents` gives what reading the
        // JSON gives: the same case, or the same error word for word.
        let mut doc = doc;
        let mut patch = value;
        for key in path.iter().rev() {
            patch = json!({ *key: patch });
        }
        merge_patch(&mut doc, patch);
        let mut docs = Documents::new();
        docs.value_of(&doc);
        let n = docs.finish().unwrap();
        match (RefundCase::from_value(&doc), RefundCase::from_document(docs.get(n).unwrap())) {
            (Ok(a), Ok(b)) => prop_assert_eq!(a, b),
            (Err(a), Err(b)) => prop_assert_eq!((a.kind(), a.field(), a.message()), (b.kind(), b.field(), b.message())),
            (a, b) => prop_assert!(false, "{:?} read from Documents as {:?}", a, b),
        }
    }

    #[test]
    fn refunds_never_exceed_what_was_paid(doc in arb_case(), fee in 0u32..=100, bonus in 0u32..=100) {
        let generous = Engine::from_value(json!({"refund": {"store_credit_bonus_percent": bonus, "restocking_fee_percent": fee, "rules": [
            {"id": "all_refunded", "conditions": {"fact": "complaint", "in": ["damaged", "other"]}, "outcome": "full_refund"},
            {"id": "credit", "conditions": {"fact": "complaint", "eq": "size_fit"}, "outcome": "store_credit"}
        ]}})).unwrap();
        let c = RefundCase::from_value(&doc).unwrap();
        for engine in [Engine::new(), generous] {
            let d = engine.evaluate_refund(&c).unwrap();
            if let Some(a) = d.refund_amount {
                prop_assert!(a.minor_units() >= 0 && a.minor_units() <= c.order_total.minor_units(), "{a} > {}", c.order_total);
            }
        }
    }

    #[test]
    fn fault_claims_are_not_refused_for_a_closed_window(doc in arb_case()) {
        // Whatever a policy does with an open window, a closed one does not turn it into a refusal.
        let strict = Engine::from_value(json!({"refund": {"rules": [
            {"id": "closed", "conditions": {"fact": "within_return_window", "eq": false}, "outcome": "deny"},
            {"id": "late", "conditions": {"fact": "days_since_delivery", "gt": 20}, "outcome": "deny"},
            {"id": "fault_in_window", "conditions": {"all": [{"fact": "fault_claim", "eq": true}, {"fact": "within_merchant_window", "eq": true}]}, "outcome": "return_then_refund"}
        ], "default_outcome": "deny"}})).unwrap();
        let c = RefundCase::from_value(&doc).unwrap();
        let mut early = doc.clone();
        let start = doc["order"]["delivered_at"].as_str().or(doc["order"]["placed_at"].as_str()).unwrap().to_string();
        merge_patch(&mut early, json!({"now": start}));
        let early = RefundCase::from_value(&early).unwrap();
        for engine in [Engine::new(), strict] {
            if c.complaint.is_fault_or_non_delivery() && engine.evaluate_refund(&early).unwrap().outcome != RefundOutcome::Deny {
                prop_assert_ne!(engine.evaluate_refund(&c).unwrap().outcome, RefundOutcome::Deny);
            }
        }
    }

    #[test]
    fn irrelevant_facts_do_not_change_the_outcome(doc in arb_case(), sku in "[A-Z]{3}-[0-9]{2}", market in "[a-z_]{2,10}", tier in prop::sample::select(vec!["vip", "regular", "new"])) {
        let engine = Engine::new();
        let before = engine.evaluate_refund(&RefundCase::from_value(&doc).unwrap()).unwrap();
        let mut changed = doc.clone();
        merge_patch(&mut changed, json!({"item": {"sku": sku}, "order": {"marketplace": market}, "customer": {"tier": tier, "orders_count": 17}}));
        let after = engine.evaluate_refund(&RefundCase::from_value(&changed).unwrap()).unwrap();
        prop_assert_eq!(before, after);
    }
}

#[test]
fn the_law_s_money_rules_hold_inside_the_statutory_window() {
    let e = Engine::new();
    // Day 6 in Germany: the shop's window is open too, but the law's money rules still apply.
    let d = decide(&e, &case(json!({})));
    assert_eq!((d.outcome, amount(&d)), (RefundOutcome::ReturnThenRefund, "64.90 EUR".into()));
    // A shop fee and return postage are not taken from a statutory withdrawal; in Brazil nothing is.
    let fees = Engine::from_value(json!({"refund": {"rules": [{"id": "fee", "conditions": {"fact": "complaint", "eq": "size_fit"},
        "outcome": "return_then_refund", "modifiers": {"restocking_fee_percent": 20, "deduct_return_shipping": true}}]}})).unwrap();
    assert_eq!(amount(&decide(&fees, &case(json!({})))), "64.90 EUR");
    // The same fee after the 14 days (shop window still open) is the shop's to take.
    assert_eq!(amount(&decide(&fees, &case(json!({"now": "2026-11-25T10:00:00Z"})))), "41.50 EUR");
    // A replacement offered for a change of mind becomes the money inside the window.
    let swap = Engine::from_value(json!({"refund": {"rules": [{"id": "swap", "conditions": {"fact": "complaint", "eq": "size_fit"}, "outcome": "replacement"}]}})).unwrap();
    assert_eq!(decide(&swap, &case(json!({}))).outcome, RefundOutcome::ReturnThenRefund);
    // A refusal whatever the reason given: the buyer may still withdraw.
    let strict = Engine::from_value(json!({"refund": {"rules": [{"id": "no_photo", "conditions": {"all": [{"fact": "complaint", "eq": "damaged"}, {"fact": "evidence.photo", "eq": false}]}, "outcome": "deny"}]}})).unwrap();
    assert_eq!(decide(&strict, &case(json!({"complaint": "damaged"}))).outcome, RefundOutcome::ReturnThenRefund);
    // EU territories with ISO codes of their own.
    for code in ["RE", "AX"] {
        let d = decide(&e, &case(json!({"destination_country": code})));
        assert!(d.reasons.iter().any(|r| r.code == "statutory_window"), "{code}");
    }
}

#[test]
fn fault_claims_are_not_refused_through_a_window_rule_that_did_not_match() {
    let e = Engine::from_value(json!({"refund": {"rules": [
        {"id": "fault_in_window", "conditions": {"all": [{"fact": "fault_claim", "eq": true}, {"fact": "within_return_window", "eq": true}]}, "outcome": "return_then_refund"},
        {"id": "fault_else", "conditions": {"fact": "fault_claim", "eq": true}, "outcome": "deny"}
    ]}}))
    .unwrap();
    let d = decide(
        &e,
        &case(json!({"complaint": "defective", "destination_country": "US", "now": "2027-01-10T10:00:00Z"})),
    );
    assert_eq!(d.outcome, RefundOutcome::ManualReview);
    // A refusal that does not depend on the window stands.
    let flagged = Engine::from_value(json!({"refund": {"rules": [{"id": "abuse", "conditions": {"fact": "customer.abuse_flag", "eq": true}, "outcome": "deny"}]}})).unwrap();
    let d = decide(
        &flagged,
        &case(
            json!({"complaint": "defective", "destination_country": "US", "customer": {"abuse_flag": true}, "now": "2027-01-10T10:00:00Z"}),
        ),
    );
    assert_eq!(d.outcome, RefundOutcome::Deny);
}

#[test]
fn unknown_is_not_false_under_not() {
    let e = Engine::from_value(json!({"refund": {"rules": [
        {"id": "cheap_damage", "conditions": {"all": [{"fact": "complaint", "eq": "damaged"}, {"not": {"fact": "line_total", "gt": {"EUR": "20"}}}]}, "outcome": "returnless_refund"},
        {"id": "few_orders", "conditions": {"not": {"fact": "customer.orders_count", "lt": 3}}, "outcome": "full_refund"}
    ]}}))
    .unwrap();
    let usd = case(
        json!({"complaint": "damaged", "destination_country": "US", "item": {"price": {"amount": "10000.00", "currency": "USD"}},
        "order": {"total": {"amount": "10004.90", "currency": "USD"}, "shipping_paid": {"amount": "4.90", "currency": "USD"}},
        "return_shipping_cost": {"amount": "6.50", "currency": "USD"}}),
    );
    let d = decide(&e, &usd);
    assert_eq!(d.rule, None);
    let first = d.trace.iter().next().unwrap();
    assert_eq!(first.failed.unwrap().code, "no_amount_in_currency");
}

#[test]
fn equivalent_conditions_written_differently_are_caught_and_limits_hold() {
    let never =
        |rules: Value| Engine::from_value(json!({"refund": {"rules": rules}})).unwrap_err().field().map(str::to_string);
    let pairs = [
        (
            json!({"fact": "complaint", "in": ["size_fit", "damaged"]}),
            json!({"fact": "complaint", "in": ["damaged", "size_fit"]}),
        ),
        (json!({"fact": "destination_country", "eq": "de"}), json!({"fact": "destination_country", "eq": "DE"})),
        (
            json!({"fact": "item.price", "gt": {"EUR": "25"}}),
            json!({"fact": "item.price", "gt": {"amount": "25.00", "currency": "EUR"}}),
        ),
        (
            json!({"fact": "delivered", "eq": true}),
            json!({"all": [{"all": [{"fact": "delivered", "eq": true}, {"fact": "evidence.photo", "eq": true}]}]}),
        ),
    ];
    for (a, b) in pairs {
        let got = never(
            json!([{"id": "a", "conditions": a, "outcome": "deny"}, {"id": "b", "conditions": b, "outcome": "manual_review"}]),
        );
        assert_eq!(got.as_deref(), Some("refund.rules[1]"));
    }
    // Nesting is bounded.
    let mut deep = json!({"fact": "delivered", "eq": true});
    for _ in 0..40 {
        deep = json!({"not": deep});
    }
    let e = Engine::from_value(json!({"refund": {"rules": [{"id": "deep", "conditions": deep, "outcome": "deny"}]}}))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidPolicy);
    // A deadline after the year 9999 is an error, not a clamp.
    let late = case(
        json!({"order": {"placed_at": "9999-12-20T00:00:00Z", "delivered_at": "9999-12-25T00:00:00Z"}, "now": "9999-12-31T23:59:59Z"}),
    );
    assert_eq!(Engine::new().evaluate_refund(&late).unwrap_err().kind(), ErrorKind::LimitExceeded);
}
