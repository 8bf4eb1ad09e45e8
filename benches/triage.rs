//! One-call triage of the sample tickets (`examples/tickets.jsonl`: 17 languages, customers,
//! orders, a few events each): per ticket, from a parsed `Ticket` and from its JSON document, and
//! as a batch of 10,000 (the figure the Python and Node batch paths are compared with).
//!
//! ```sh
//! cargo bench -p aftersales-benches --bench triage
//! ```

use std::hint::black_box;

use aftersales::{Engine, Ticket};
use aftersales_benches::sample_tickets;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn triage(c: &mut Criterion) {
    let engine = Engine::new();
    let docs = sample_tickets();
    let tickets: Vec<Ticket> = docs.iter().map(|d| Ticket::from_value(d).expect("valid ticket")).collect();
    for t in &tickets {
        engine.triage(t).expect("sample tickets triage");
    }
    let mut g = c.benchmark_group("triage");
    g.throughput(Throughput::Elements(tickets.len() as u64));
    g.bench_function("sample tickets, parsed", |b| {
        b.iter(|| {
            for t in &tickets {
                black_box(engine.triage(black_box(t)).ok());
            }
        })
    });
    g.bench_function("sample tickets, from JSON", |b| {
        b.iter(|| {
            for d in &docs {
                black_box(Ticket::from_value(black_box(d)).and_then(|t| engine.triage(&t)).ok());
            }
        })
    });
    g.finish();

    let batch: Vec<Ticket> = tickets.iter().cycle().take(10_000).cloned().collect();
    let mut g = c.benchmark_group("triage_batch");
    g.sample_size(10);
    g.throughput(Throughput::Elements(batch.len() as u64));
    g.bench_function("10,000 tickets", |b| b.iter(|| black_box(engine.triage_batch(&batch))));
    g.finish();
}

criterion_group!(benches, triage);
criterion_main!(benches);
