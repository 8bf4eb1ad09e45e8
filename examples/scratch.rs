fn main() {
    let engine = aftersales::Engine::new();
    let filter = std::env::args().nth(1).unwrap_or_default();
    let reps: usize = std::env::args().nth(2).and_then(|s| s.parse().ok()).unwrap_or(200);
    let mut all: Vec<String> = Vec::new();
    for e in std::fs::read_dir("tests/fixtures/classify").unwrap() {
        let p = e.unwrap().path();
        let lang = p.file_stem().unwrap().to_string_lossy().to_string();
        if !filter.is_empty() && lang != filter {
            continue;
        }
        let v: Vec<serde_json::Value> = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
        all.extend(v.iter().filter_map(|c| c["input"]["text"].as_str().map(str::to_string)));
    }
    all.retain(|m| (50..=400).contains(&m.len()));
    for m in &all {
        engine.classify(m).unwrap();
    }
    let t = std::time::Instant::now();
    let mut n = 0;
    for _ in 0..reps {
        for m in &all {
            std::hint::black_box(engine.classify(m).unwrap());
            n += 1;
        }
    }
    eprintln!("{filter}: {:.2} us/msg ({} msgs)", t.elapsed().as_secs_f64() * 1e6 / n as f64, n);
}
