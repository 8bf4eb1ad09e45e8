//! The main job (`make demo`): triage the sample tickets of `examples/tickets.jsonl` with the
//! embedded default policy and print a readable table — what each ticket is about, how urgent,
//! when the first reply is due, when the reply should go out in the customer's own day, and the
//! refund decision where the ticket carries the order.
//!
//! ```sh
//! cargo run --release -p aftersales-examples --example demo                      # table
//! cargo run --release -p aftersales-examples --example demo -- --json            # one JSON result per line
//! cargo run --release -p aftersales-examples --example demo -- --now 2026-11-20T12:00:00Z   # as of another instant
//! cargo run --release -p aftersales-examples --example demo -- my-tickets.jsonl  # another file
//! ```
//!
//! Each input line is a ticket as `Engine::triage` reads it (SPEC §9). The tickets carry their
//! own `now` (the instant of the export); `--now` replaces it. A ticket that cannot be triaged
//! is shown with its error, and the exit status is then 1.

use std::io::Write;
use std::path::PathBuf;

use aftersales::{Engine, Error, SlaMetricKind, Ticket, Triage};
use serde_json::{Value, json};

/// `println!` that ends the program quietly when stdout is closed (`demo | head`).
macro_rules! say {
    ($($arg:tt)*) => {
        if writeln!(std::io::stdout().lock(), $($arg)*).is_err() {
            std::process::exit(0);
        }
    };
}

struct Args {
    json: bool,
    now: Option<String>,
    path: PathBuf,
}

fn args() -> Result<Args, String> {
    let mut out =
        Args { json: false, now: None, path: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tickets.jsonl") };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--json" => out.json = true,
            "--now" => out.now = Some(it.next().ok_or("--now needs an RFC 3339 instant")?),
            s if s.starts_with("--") => {
                return Err(format!("unknown option {s}; use --json, --now <instant>, or a path"));
            }
            s => out.path = PathBuf::from(s),
        }
    }
    Ok(out)
}

fn main() {
    let args = match args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let input = match std::fs::read_to_string(&args.path) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("cannot read {}: {e}", args.path.display());
            std::process::exit(2);
        }
    };
    let engine = Engine::new();
    let mut rows = Vec::new();
    let mut failed = 0;
    for (n, line) in input.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let mut doc: Value = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(e) => {
                eprintln!("{}:{}: not JSON: {e}", args.path.display(), n + 1);
                failed += 1;
                continue;
            }
        };
        if let (Some(now), Value::Object(map)) = (&args.now, &mut doc) {
            map.insert("now".into(), Value::String(now.clone()));
        }
        let id = doc.get("id").filter(|v| !v.is_null()).cloned().unwrap_or_else(|| json!(format!("line {}", n + 1)));
        let result = Ticket::from_value(&doc).and_then(|t| engine.triage(&t));
        failed += usize::from(result.is_err());
        if args.json {
            match &result {
                Ok(t) => say!("{}", serde_json::to_string(t).unwrap_or_default()),
                Err(e) => say!(
                    "{}",
                    json!({"id": id, "error": {"kind": e.kind().as_str(), "field": e.field(), "message": e.message()}})
                ),
            }
        } else {
            rows.push((id, result));
        }
    }
    if !args.json {
        print_table(&rows);
    }
    if failed > 0 {
        // Scripts (and `make test`) see that not every ticket went through.
        eprintln!("{failed} ticket(s) could not be triaged");
        std::process::exit(1);
    }
}

fn print_table(rows: &[(Value, Result<Triage, Error>)]) {
    say!(
        "{:<7} {:<4} {:<22} {:<12} {:<24} {:<52} refund",
        "id",
        "lang",
        "primary",
        "priority",
        "first reply due",
        "reply at (customer's local time)"
    );
    say!("{}", "-".repeat(150));
    for (id, result) in rows {
        let id = id.as_str().map_or_else(|| id.to_string(), str::to_string);
        let t = match result {
            Ok(t) => t,
            Err(e) => {
                say!("{id:<7} error: {e}");
                continue;
            }
        };
        let c = &t.classification;
        let others = c.categories.len().saturating_sub(1);
        let primary = if others > 0 { format!("{} +{others}", c.primary) } else { c.primary.to_string() };
        let priority = format!("{} {}", t.priority.level, t.priority.score);
        let reply = format!(
            "{} {} ({})",
            local_time(&t.reply_plan.local_send_at),
            short_zone(&t.reply_plan.time_zone),
            t.reply_plan.reason.code
        );
        let refund = match (&t.refund, &t.refund_complaint) {
            (Some(d), Some(complaint)) => {
                let amount = d.refund_amount.map(|m| format!(" {m}")).unwrap_or_default();
                format!("{}{amount} ({complaint})", d.outcome.as_str())
            }
            _ => "–".to_string(),
        };
        say!(
            "{id:<7} {:<4} {primary:<22} {priority:<12} {:<24} {reply:<52} {refund}",
            c.language.as_str(),
            first_reply_due(t)
        );
    }
}

/// The first-reply metric in a few words: when it is due, or what became of it.
fn first_reply_due(t: &Triage) -> String {
    let Some(m) = t.sla.metrics.iter().find(|m| m.metric == SlaMetricKind::FirstReply) else {
        return "–".to_string();
    };
    let due = m.due_at.map(|d| d.to_string()).unwrap_or_default();
    let when = due.get(5..16).unwrap_or("").replace('T', " ");
    match m.status.as_str() {
        "achieved" => "answered".to_string(),
        "breached" => format!("{when}Z late {}", human(m.breached_by_seconds)),
        _ => format!("{when}Z in {}", human(m.remaining_seconds)),
    }
}

/// `2026-11-22T09:00:00+03:00` → `11-22 09:00+03:00`.
fn local_time(rfc3339: &str) -> String {
    let date = rfc3339.get(5..10).unwrap_or("");
    let time = rfc3339.get(11..16).unwrap_or("");
    let offset = rfc3339.get(19..).unwrap_or("");
    format!("{date} {time}{offset}")
}

/// `America/Los_Angeles` → `Los_Angeles`.
fn short_zone(zone: &str) -> &str {
    zone.rsplit('/').next().unwrap_or(zone)
}

/// Seconds as `3h05m` or `2d04h` (business seconds for business-time targets).
fn human(seconds: i64) -> String {
    let m = seconds / 60;
    if m < 60 * 24 { format!("{}h{:02}m", m / 60, m % 60) } else { format!("{}d{:02}h", m / (60 * 24), m / 60 % 24) }
}
