//! The shared fixtures of `tests/fixtures/`, read here as by the Python and Node suites.
//! Format: `tests/fixtures/README.md`.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;

use aftersales::{
    Classification, ClassifyRequest, Engine, Error, PriorityRequest, RefundCase, ReplyRequest, SlaRequest, TextField,
    Ticket, Triage,
};
use serde_json::Value;

fn fixtures(dir: &str) -> Vec<(String, Value)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures").join(dir);
    let mut files: Vec<_> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let cases: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(&file).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        for case in cases {
            let name =
                format!("{}:{}", file.file_name().unwrap().to_string_lossy(), case["name"].as_str().unwrap_or("?"));
            out.push((name, case));
        }
    }
    out
}

fn byte_offset(s: &str, code_points: usize) -> usize {
    s.char_indices().nth(code_points).map_or(s.len(), |(i, _)| i)
}

fn set(v: &Value) -> BTreeSet<String> {
    v.as_array().unwrap().iter().map(|x| x.as_str().unwrap().to_string()).collect()
}

/// Checks one result against one `expect` object; returns the mismatches.
fn check(input: &Value, c: &Classification, expect: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let got = serde_json::to_value(c).unwrap();
    for key in ["language", "script", "primary", "sentiment"] {
        if let Some(want) = expect.get(key)
            && &got[key] != want
        {
            problems.push(format!("{key}: expected {want}, got {}", got[key]));
        }
    }
    let categories: BTreeSet<String> = c.categories.iter().map(|s| s.category.to_string()).collect();
    if let Some(want) = expect.get("categories")
        && set(want) != categories
    {
        problems.push(format!("categories: expected {:?}, got {categories:?}", set(want)));
    }
    for name in expect.get("categories_include").map(set).unwrap_or_default() {
        if !categories.contains(&name) {
            problems.push(format!("categories: {name} missing from {categories:?}"));
        }
    }
    for name in expect.get("categories_exclude").map(set).unwrap_or_default() {
        if categories.contains(&name) {
            problems.push(format!("categories: {name} should not be in {categories:?}"));
        }
    }
    let signals: BTreeSet<String> = c.escalation.iter().map(|e| e.signal.as_str().to_string()).collect();
    if let Some(want) = expect.get("escalation")
        && set(want) != signals
    {
        problems.push(format!("escalation: expected {:?}, got {signals:?}", set(want)));
    }
    for name in expect.get("escalation_include").map(set).unwrap_or_default() {
        if !signals.contains(&name) {
            problems.push(format!("escalation: {name} missing from {signals:?}"));
        }
    }
    if let Some(Value::Object(kinds)) = expect.get("entities") {
        for (kind, want) in kinds {
            let values: Vec<String> = got["entities"][kind]
                .as_array()
                .unwrap_or_else(|| panic!("unknown entity kind {kind}"))
                .iter()
                .map(|e| match kind.as_str() {
                    "amounts" => {
                        format!("{} {}", e["amount"].as_str().unwrap(), e["currency"].as_str().unwrap_or("null"))
                    }
                    _ => e["value"].as_str().unwrap().to_string(),
                })
                .collect();
            let want: Vec<String> = want.as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect();
            if values != want {
                problems.push(format!("entities.{kind}: expected {want:?}, got {values:?}"));
            }
        }
    }
    let text = input["text"].as_str().unwrap();
    if let Some(Value::Array(wanted)) = expect.get("evidence") {
        for w in wanted {
            let category = w["category"].as_str().unwrap();
            let start = byte_offset(text, w["start"].as_u64().unwrap() as usize);
            let end = byte_offset(text, w["end"].as_u64().unwrap() as usize);
            let found =
                c.categories.iter().filter(|s| s.category.as_str() == category).flat_map(|s| &s.evidence).any(|e| {
                    e.field == TextField::Text
                        && e.start == start
                        && e.end == end
                        && e.text == w["text"].as_str().unwrap()
                });
            if !found {
                problems.push(format!("evidence {w} not found"));
            }
        }
    }
    problems
}

/// Every span of the result slices its own string to its own text.
fn check_spans(input: &Value, c: &Classification) -> Vec<String> {
    let text = input["text"].as_str().unwrap();
    let subject = input["subject"].as_str().unwrap_or("");
    let mut spans: Vec<(&str, usize, usize, TextField)> = Vec::new();
    for s in &c.categories {
        spans.extend(s.evidence.iter().map(|e| (e.text.as_str(), e.start, e.end, e.field)));
    }
    for s in &c.escalation {
        spans.extend(s.evidence.iter().map(|e| (e.text.as_str(), e.start, e.end, e.field)));
    }
    spans.extend(c.negated.iter().map(|e| (e.text.as_str(), e.start, e.end, e.field)));
    let ents = &c.entities;
    spans.extend(ents.order_ids.iter().map(|e| (e.text.as_str(), e.start, e.end, e.field)));
    spans.extend(ents.tracking_numbers.iter().map(|e| (e.text.as_str(), e.start, e.end, e.field)));
    spans.extend(ents.emails.iter().map(|e| (e.text.as_str(), e.start, e.end, e.field)));
    spans.extend(ents.amounts.iter().map(|e| (e.text.as_str(), e.start, e.end, e.field)));
    spans
        .into_iter()
        .filter_map(|(t, s, e, f)| {
            let own = if f == TextField::Subject { subject } else { text };
            (own.get(s..e) != Some(t)).then(|| format!("span {s}..{e} of {} does not slice to {t:?}", f.as_str()))
        })
        .collect()
}

#[test]
fn classify_fixtures() {
    let engine = Engine::new();
    let cases = fixtures("classify");
    assert!(cases.len() >= 60, "only {} classify fixtures", cases.len());
    let mut failures = Vec::new();
    for (name, case) in &cases {
        let input = &case["input"];
        let json = input.to_string();
        let request = ClassifyRequest::from_json(&json).unwrap_or_else(|e| panic!("{name}: {e}"));
        let expect = &case["expect"];
        let result = engine.classify_request(&request);
        let problems = match (result, expect.get("error")) {
            (Err(e), Some(want)) => {
                let mut p = Vec::new();
                if e.kind().as_str() != want["kind"].as_str().unwrap() || e.field() != want["field"].as_str() {
                    p.push(format!("expected error {want}, got {e}"));
                }
                p
            }
            (Err(e), None) => vec![format!("unexpected error {e}")],
            (Ok(_), Some(want)) => vec![format!("expected error {want}")],
            (Ok(c), None) => {
                let mut p = check(input, &c, expect);
                p.extend(check_spans(input, &c));
                p
            }
        };
        if !problems.is_empty() {
            failures.push(format!("{name}\n    {}", problems.join("\n    ")));
        }
    }
    assert!(failures.is_empty(), "{} of {} fixtures failed:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

/// The engine of a case: the default, or the case's `policy` patch (built once per policy).
fn engine_for(cache: &mut HashMap<String, Result<Engine, Error>>, case: &Value) -> Result<Engine, Error> {
    let policy = case.get("policy").cloned().unwrap_or(Value::Null);
    cache
        .entry(policy.to_string())
        .or_insert_with(|| if policy.is_null() { Ok(Engine::new()) } else { Engine::from_value(policy) })
        .clone()
}

fn error_value(e: &Error) -> Value {
    serde_json::json!({"error": {"kind": e.kind().as_str(), "field": e.field()}})
}

/// Runs the cases of `dir`, comparing each whole result (or error) with `expect`.
fn exact_fixtures(dir: &str, min: usize, run: impl Fn(&Engine, &Value) -> Result<Value, Error>) {
    let cases = fixtures(dir);
    assert!(cases.len() >= min, "only {} {dir} fixtures", cases.len());
    let mut engines = HashMap::new();
    let mut failures = Vec::new();
    for (name, case) in &cases {
        let got = match engine_for(&mut engines, case).and_then(|e| run(&e, case)) {
            Ok(v) => v,
            Err(e) => error_value(&e),
        };
        if got != case["expect"] {
            failures.push(format!(
                "{name}
    expected {}
    got      {got}",
                case["expect"]
            ));
        }
    }
    assert!(failures.is_empty(), "{} of {} fixtures failed:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

#[test]
fn priority_fixtures() {
    exact_fixtures("priority", 30, |engine, case| {
        let p = engine.score_priority(&PriorityRequest::from_value(&case["input"])?)?;
        Ok(serde_json::to_value(p).unwrap())
    });
}

#[test]
fn sla_fixtures() {
    exact_fixtures("sla", 30, |engine, case| {
        let r = engine.sla(&SlaRequest::from_value(&case["input"])?)?;
        Ok(serde_json::to_value(r).unwrap())
    });
}

#[test]
fn schedule_fixtures() {
    exact_fixtures("schedule", 40, |engine, case| {
        let plan = engine.schedule_reply(&ReplyRequest::from_value(&case["input"])?)?;
        Ok(serde_json::to_value(plan).unwrap())
    });
}

#[test]
fn calendar_fixtures() {
    exact_fixtures("calendar", 30, |engine, case| {
        let calendar = engine.calendar_value(&case["calendar"])?;
        let at = |v: &Value| v.as_str().unwrap().parse::<aftersales::Timestamp>();
        if let Some(add) = case.get("add") {
            let due = calendar.add_business_time(at(&add["start"])?, add["seconds"].as_i64().unwrap())?;
            Ok(serde_json::json!({"result": due.to_string()}))
        } else {
            let b = &case["between"];
            Ok(serde_json::json!({"seconds": calendar.business_time_between(at(&b["start"])?, at(&b["end"])?)?}))
        }
    });
}

#[test]
fn refund_fixtures() {
    exact_fixtures("refund", 40, |engine, case| {
        // Read as the bindings read it too, from `Documents`: the same case or the same error.
        let mut docs = aftersales::Documents::new();
        docs.value_of(&case["input"]);
        let n = docs.finish()?;
        let read = RefundCase::from_value(&case["input"]);
        match (&read, RefundCase::from_document(docs.get(n).unwrap())) {
            (Ok(a), Ok(b)) => assert_eq!(*a, b),
            (Err(a), Err(b)) => assert_eq!((a.kind(), a.field(), a.message()), (b.kind(), b.field(), b.message())),
            (a, b) => panic!("{a:?} read from Documents as {b:?}"),
        }
        let d = engine.evaluate_refund(&read?)?;
        Ok(serde_json::to_value(d).unwrap())
    });
}

/// A triage result as the fixtures hold it: the classification summarised (its offsets are
/// each language's own), everything else whole.
fn triage_value(t: &Triage) -> Value {
    let mut v = serde_json::to_value(t).unwrap();
    let names = |list: &Value, key: &str| -> Value {
        list.as_array().unwrap().iter().map(|x| x[key].clone()).collect::<Vec<_>>().into()
    };
    let c = &v["classification"];
    v["classification"] = serde_json::json!({
        "language": c["language"], "primary": c["primary"], "sentiment": c["sentiment"],
        "categories": names(&c["categories"], "category"), "escalation": names(&c["escalation"], "signal"),
        "order_ids": names(&c["entities"]["order_ids"], "value"),
    });
    v
}

#[test]
fn triage_fixtures() {
    exact_fixtures("triage", 30, |engine, case| {
        if case["input"].is_array() {
            // A batch: tickets that do not read fail alone, the rest go through triage_batch.
            let read: Vec<Result<Ticket, Error>> =
                case["input"].as_array().unwrap().iter().map(Ticket::from_value).collect();
            let good: Vec<&Ticket> = read.iter().filter_map(|r| r.as_ref().ok()).collect();
            let mut decided = engine.triage_batch(good).into_iter();
            let entries = read.iter().enumerate().map(|(i, r)| {
                match r.as_ref().map_err(Clone::clone).and_then(|_| decided.next().unwrap()) {
                    Ok(t) => triage_value(&t),
                    Err(e) => {
                        let mut v = error_value(&e);
                        v["index"] = i.into();
                        v
                    }
                }
            });
            return Ok(Value::Array(entries.collect()));
        }
        Ok(triage_value(&engine.triage(&Ticket::from_value(&case["input"])?)?))
    });
}

#[test]
fn refund_batch_without_explanations_decides_the_same() {
    let engine = Engine::new();
    let cases: Vec<RefundCase> = fixtures("refund")
        .iter()
        .filter(|(_, c)| c.get("policy").is_none())
        .filter_map(|(_, c)| RefundCase::from_value(&c["input"]).ok())
        .collect();
    let explained = engine.evaluate_refund_batch(&cases, true);
    let terse = engine.evaluate_refund_batch(&cases, false);
    for (a, b) in explained.iter().zip(&terse) {
        let (Ok(a), Ok(b)) = (a, b) else { continue };
        assert_eq!((a.outcome, a.refund_amount, &a.rule), (b.outcome, b.refund_amount, &b.rule));
        let (a, b) = (serde_json::to_value(a).unwrap(), serde_json::to_value(b).unwrap());
        let messages = |d: &Value| {
            d["reasons"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["message"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        };
        assert!(messages(&b).iter().all(String::is_empty) && messages(&a).iter().all(|m| !m.is_empty()));
        // Without explanations the trace is left out; everything else is the same.
        assert_eq!(b["trace"], serde_json::json!([]));
        assert!(!a["trace"].as_array().unwrap().is_empty());
        let codes = |d: &Value| {
            d["reasons"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| (r["code"].clone(), r["params"].clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(codes(&a), codes(&b));
        let rest = |d: &Value| {
            let mut d = d.clone();
            d.as_object_mut().unwrap().retain(|k, _| k != "trace" && k != "reasons");
            d
        };
        assert_eq!(rest(&a), rest(&b));
    }
}
