fn main() {
    let engine = aftersales::Engine::new();
    let msgs = aftersales_benches_corpus();
    let t = std::time::Instant::now();
    let mut n = 0;
    for _ in 0..15 {
        for m in &msgs {
            std::hint::black_box(engine.classify(m).unwrap());
            n += 1;
        }
    }
    eprintln!("{:.2} us/msg over {} msgs", t.elapsed().as_secs_f64() * 1e6 / n as f64, msgs.len());
}
fn aftersales_benches_corpus() -> Vec<String> {
    let mut out = Vec::new();
    for e in std::fs::read_dir("tests/fixtures/classify").unwrap() {
        let p = e.unwrap().path();
        let v: Vec<serde_json::Value> = serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap();
        out.extend(v.iter().filter_map(|c| c["input"]["text"].as_str().map(str::to_string)));
    }
    out.retain(|m| (50..=400).contains(&m.len()));
    out
}
