//! Refund evaluation: the default policy, and a policy of 200 rules.
//!
//! ```sh
//! cargo bench -p aftersales-benches --bench refund
//! ```

use std::hint::black_box;

use aftersales::{Engine, RefundCase};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use serde_json::{Value, json};

/// Cases of the kinds a shop sees in a day: changes of mind, damage, late parcels, cheap
/// items, in several currencies and countries (statutory windows included).
fn cases() -> Vec<RefundCase> {
    let mut out = Vec::new();
    let complaints =
        ["size_fit", "damaged", "defective", "not_received", "return_request", "wrong_item", "missing_item"];
    let places = [
        ("DE", "EUR", "60.00", "4.90"),
        ("GB", "GBP", "52.00", "3.99"),
        ("US", "USD", "70.00", "6.00"),
        ("JP", "JPY", "6000", "490"),
        ("BR", "BRL", "200.00", "30.00"),
        ("FR", "EUR", "9.00", "4.90"),
    ];
    for (i, complaint) in complaints.iter().enumerate() {
        for (j, (country, cur, price, ship)) in places.iter().enumerate() {
            let total = format!("{}", price.parse::<f64>().unwrap() + ship.parse::<f64>().unwrap());
            let total = if *cur == "JPY" { total } else { format!("{:.2}", total.parse::<f64>().unwrap()) };
            let doc = json!({
                "now": format!("2026-11-{:02}T10:00:00Z", 8 + (i + j) % 20), "complaint": complaint, "destination_country": country,
                "order": {"placed_at": "2026-11-01T09:00:00Z", "delivered_at": if complaint == &"not_received" { Value::Null } else { json!("2026-11-04T15:00:00Z") },
                          "total": {"amount": total, "currency": cur}, "shipping_paid": {"amount": ship, "currency": cur}},
                "item": {"price": {"amount": price, "currency": cur}, "tags": if j % 3 == 0 { json!(["final_sale"]) } else { json!([]) }},
                "evidence": {"photo": (i + j) % 2 == 0}, "return_shipping_cost": {"amount": ship, "currency": cur},
                "customer": {"refunds_last_365d": (i * j) % 5}, "shipment_status": if complaint == &"not_received" { "in_transit" } else { "delivered" }
            });
            out.push(RefundCase::from_value(&doc).expect("valid case"));
        }
    }
    out
}

/// 200 rules with distinct three-part conditions; most cases run through most of them.
pub fn two_hundred_rules() -> Value {
    let complaints = ["damaged", "defective", "wrong_item", "size_fit", "return_request"];
    let countries = ["DE", "FR", "IT", "ES", "NL", "PL", "SE", "AT", "BE", "PT"];
    let outcomes = ["full_refund", "returnless_refund", "replacement", "return_then_refund", "manual_review"];
    let rules: Vec<Value> = (0..200)
        .map(|i| {
            json!({"id": format!("rule_{i}"), "conditions": {"all": [
                {"fact": "destination_country", "eq": countries[i % 10]},
                {"fact": "complaint", "eq": complaints[(i / 10) % 5]},
                {"fact": "line_total", "gt": {"EUR": format!("{}", 1000 + i * 5), "GBP": format!("{}", 900 + i * 5)}}
            ]}, "outcome": outcomes[i % 5]})
        })
        .collect();
    json!({"refund": {"rules": rules}})
}

fn refund(c: &mut Criterion) {
    let cases = cases();
    let engine = Engine::new();
    let mut group = c.benchmark_group("evaluate_refund");
    group.throughput(Throughput::Elements(cases.len() as u64));
    group.bench_function("default_policy", |b| {
        b.iter(|| {
            for case in &cases {
                black_box(engine.evaluate_refund(black_box(case)).unwrap());
            }
        })
    });
    group.bench_function("default_policy_batch_no_explain", |b| {
        b.iter(|| black_box(engine.evaluate_refund_batch(black_box(&cases), false)))
    });
    let big = Engine::from_value(two_hundred_rules()).expect("valid 200-rule policy");
    group.bench_function("200_rules", |b| {
        b.iter(|| {
            for case in &cases {
                black_box(big.evaluate_refund(black_box(case)).unwrap());
            }
        })
    });
    group.bench_function("200_rules_batch_no_explain", |b| {
        b.iter(|| black_box(big.evaluate_refund_batch(black_box(&cases), false)))
    });
    group.finish();
}

criterion_group!(benches, refund);
criterion_main!(benches);
