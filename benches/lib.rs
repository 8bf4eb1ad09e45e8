//! Corpora shared by the benchmarks of this crate and by `benches/python_batch.py` and
//! `benches/node_batch.js`: the customer messages of the shared fixtures (17 languages) and of
//! `examples/messages.jsonl`, restricted to realistic lengths.

use std::path::{Path, PathBuf};

/// Messages of 50 to 400 bytes in all seventeen languages, in a fixed order.
pub fn mixed_messages() -> Vec<String> {
    let root = workspace_root();
    let mut out = Vec::new();
    let dir = root.join("tests/fixtures/classify");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    for file in files {
        let cases: Vec<serde_json::Value> =
            serde_json::from_str(&std::fs::read_to_string(&file).expect("fixture file")).expect("fixture JSON");
        out.extend(cases.iter().filter_map(|c| c["input"]["text"].as_str().map(str::to_string)));
    }
    let examples = std::fs::read_to_string(root.join("examples/messages.jsonl")).expect("examples/messages.jsonl");
    for line in examples.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).expect("example JSON");
        if let Some(t) = v["text"].as_str() {
            out.push(t.to_string());
        }
    }
    out.retain(|m| (50..=400).contains(&m.len()));
    out
}

/// The sample tickets of `examples/tickets.jsonl` (44 tickets, 17 languages, customers, orders,
/// events), as JSON documents.
pub fn sample_tickets() -> Vec<serde_json::Value> {
    let text =
        std::fs::read_to_string(workspace_root().join("examples/tickets.jsonl")).expect("examples/tickets.jsonl");
    text.lines().filter(|l| !l.trim().is_empty()).map(|l| serde_json::from_str(l).expect("ticket JSON")).collect()
}

fn workspace_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("benches/ sits in the workspace")
}
