use std::io::BufRead;
fn main() {
    let t = std::time::Instant::now();
    let engine = aftersales::Engine::new();
    eprintln!("build {:?}", t.elapsed());
    let t = std::time::Instant::now();
    let _again = aftersales::Engine::from_json(
        r#"{"classification": {"extra_phrases": {"damaged": {"en": ["smashed to bits"]}}}}"#,
    )
    .unwrap();
    eprintln!("second build {:?}", t.elapsed());
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--bitext") {
        let want = args.get(1).cloned().unwrap_or_default();
        for line in std::io::stdin().lock().lines() {
            let line = line.unwrap();
            let row: serde_json::Value = serde_json::from_str(&line).unwrap();
            let exp = row["categories"][0].as_str().unwrap();
            let text = row["text"].as_str().unwrap();
            let c = engine.classify(text).unwrap();
            if c.primary.as_str() != exp && (want.is_empty() || want == exp || want == c.primary.as_str()) {
                println!("{exp} -> {} | {} | {}", c.primary, row["source_intent"].as_str().unwrap(), text);
            }
        }
        return;
    }
    for line in args {
        let c = engine.classify(&line).unwrap();
        println!("{}", serde_json::to_string_pretty(&c).unwrap());
    }
}
