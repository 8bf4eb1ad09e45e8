//! The main job (`make demo`): classify the sample customer messages of
//! `examples/messages.jsonl` with the embedded default policy and print a readable table.
//!
//! ```sh
//! cargo run --release -p aftersales-examples --example demo              # table
//! cargo run --release -p aftersales-examples --example demo -- --json    # one JSON result per line
//! cargo run --release -p aftersales-examples --example demo -- my.jsonl  # another file
//! ```
//!
//! Each input line is `{"id", "text", "subject"?, "language"?, "country"?}`.

use std::path::PathBuf;

use aftersales::{Classification, ClassifyRequest, Engine};
use serde_json::Value;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let json = args.iter().any(|a| a == "--json");
    let path = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("messages.jsonl"));
    let input = match std::fs::read_to_string(&path) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("cannot read {}: {e}", path.display());
            std::process::exit(2);
        }
    };
    let engine = Engine::new();
    let mut rows = Vec::new();
    for (n, line) in input.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let item: Value = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(e) => {
                eprintln!("{}:{}: not JSON: {e}", path.display(), n + 1);
                continue;
            }
        };
        let id = item["id"].as_str().map_or_else(|| format!("#{}", n + 1), str::to_string);
        let mut fields = item.clone();
        if let Value::Object(map) = &mut fields {
            map.remove("id");
        }
        let result = ClassifyRequest::from_value(fields).and_then(|r| engine.classify_request(&r));
        match (json, result) {
            (true, Ok(c)) => println!("{}", serde_json::json!({"id": id, "classification": c})),
            (true, Err(e)) => println!("{}", serde_json::json!({"id": id, "error": e.to_string()})),
            (false, r) => rows.push((id, item["text"].as_str().unwrap_or("").to_string(), r)),
        }
    }
    if !json {
        print_table(&rows);
    }
}

fn print_table(rows: &[(String, String, Result<Classification, aftersales::Error>)]) {
    println!(
        "{:<6} {:<4} {:<20} {:>4}  {:<13} {:<30} {:<26} message",
        "id", "lang", "primary", "conf", "sentiment", "escalation", "entities"
    );
    println!("{}", "-".repeat(143));
    for (id, text, result) in rows {
        match result {
            Ok(c) => {
                let conf = c.categories.first().map_or(0.0, |s| s.confidence);
                let others: Vec<&str> = c.categories.iter().skip(1).map(|s| s.category.as_str()).collect();
                let primary =
                    if others.is_empty() { c.primary.to_string() } else { format!("{} +{}", c.primary, others.len()) };
                let escalation: Vec<&str> = c.escalation.iter().map(|e| e.signal.as_str()).collect();
                let mut entities: Vec<String> = Vec::new();
                entities.extend(c.entities.order_ids.iter().map(|o| format!("order {}", o.value)));
                entities.extend(c.entities.tracking_numbers.iter().map(|t| format!("track {}", t.value)));
                entities.extend(
                    c.entities.amounts.iter().map(|a| {
                        format!("{} {}", a.amount, a.currency.map_or("?".to_string(), |c| c.code().to_string()))
                    }),
                );
                println!(
                    "{:<6} {:<4} {:<20} {:>4.2}  {:<13} {:<30} {:<26} {}",
                    id,
                    c.language.as_str(),
                    primary,
                    conf,
                    c.sentiment.as_str(),
                    truncate(&escalation.join(","), 30),
                    truncate(&entities.join(", "), 26),
                    truncate(text, 60)
                );
            }
            Err(e) => println!("{id:<6} error: {e}"),
        }
    }
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}
