//! Classification throughput on a mixed 17-language corpus, and engine construction.
//!
//! ```sh
//! cargo bench -p aftersales-benches --bench classify
//! ```

use std::time::Instant;

use aftersales::Engine;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn classify(c: &mut Criterion) {
    // The first engine of a process compiles the built-in lexicons that all engines share.
    let t = Instant::now();
    let engine = Engine::new();
    eprintln!("first Engine::new in this process: {:.1} ms", t.elapsed().as_secs_f64() * 1e3);

    let messages = aftersales_benches::mixed_messages();
    let bytes: usize = messages.iter().map(String::len).sum();
    eprintln!("corpus: {} messages, mean {} bytes", messages.len(), bytes / messages.len());

    let mut group = c.benchmark_group("classify");
    group.throughput(Throughput::Elements(messages.len() as u64));
    group.bench_function("mixed_17_languages", |b| {
        b.iter(|| {
            for m in &messages {
                std::hint::black_box(engine.classify(std::hint::black_box(m)).expect("classifies"));
            }
        })
    });
    group.finish();

    let mut group = c.benchmark_group("engine");
    group.bench_function("new_default", |b| b.iter(Engine::new));
    let policy = r#"{"version": "bench", "classification": {
        "extra_phrases": {"damaged": {"en": ["smashed to bits", "arrived in pieces"], "*": ["kaputt"]}},
        "remove_phrases": {"damaged": {"en": ["dented"]}}}}"#;
    group.bench_function("new_with_policy", |b| b.iter(|| Engine::from_json(policy).expect("valid policy")));
    group.finish();
}

criterion_group!(benches, classify);
criterion_main!(benches);
