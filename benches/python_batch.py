"""Throughput of the Python batch path on one thread, language accuracy on short messages, and
the per-call cost of business-time arithmetic, SLA and priority from Python.

    .venv/bin/python benches/python_batch.py          (after `make python-build`)
    .venv/bin/python benches/python_batch.py triage   (the triage batch only)

The corpus is the one of benches/lib.rs: the customer messages of the shared fixtures and of
examples/messages.jsonl, 50 to 400 bytes, seventeen languages.
"""

import datetime as dt
import json
import time
import timeit
from pathlib import Path
from zoneinfo import ZoneInfo

from aftersales import Engine

ROOT = Path(__file__).resolve().parents[1]


def mixed_messages():
    out = []
    for path in sorted((ROOT / "tests/fixtures/classify").glob("*.json")):
        out += [c["input"]["text"] for c in json.loads(path.read_text(encoding="utf-8"))]
    for line in (ROOT / "examples/messages.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            out.append(json.loads(line)["text"])
    return [m for m in out if 50 <= len(m.encode()) <= 400]


def short_prefixes(max_chars=60):
    """The first words (under 60 characters) of the Leipzig sentences of every language."""
    data = ROOT.parent / "shared/data/langid"
    out = []
    for path in sorted(data.glob("*.txt")):
        lang = path.stem
        for line in path.read_text(encoding="utf-8").splitlines():
            words, n = [], 0
            for w in line.split(" "):
                if n + len(w) + 1 >= max_chars:
                    break
                words.append(w)
                n += len(w) + 1
            short = " ".join(words) if words else line[: max_chars - 1]
            if len(short) >= 20:
                out.append((lang, short))
    return out


def main():
    engine = Engine()
    messages = mixed_messages()
    batch = messages * (20000 // len(messages) + 1)
    engine.classify_batch(batch[:1000])  # warm up
    best = 0.0
    for _ in range(5):
        t = time.perf_counter()
        engine.classify_batch(batch)
        best = max(best, len(batch) / (time.perf_counter() - t))
    print(f"classify_batch: {best:,.0f} messages/s (this thread and a worker) "
          f"({1e6 / best:.1f} µs per message, {len(messages)} distinct messages, mean "
          f"{sum(len(m.encode()) for m in messages) // len(messages)} bytes)")
    t = time.perf_counter()
    for m in batch[:5000]:
        engine.classify(m)
    print(f"classify (one call per message): {5000 / (time.perf_counter() - t):,.0f} messages/s")

    shorts = short_prefixes()
    if shorts:
        results = engine.classify_batch([s for _, s in shorts])
        ok = sum(r["language"] == lang for (lang, _), r in zip(shorts, results))
        print(f"language accuracy on {len(shorts)} texts under 60 characters: {ok / len(shorts):.4f}")

    time_calls(engine)
    refund_calls()


def per_call(fn, number):
    """Best of five runs, in µs per call."""
    return min(timeit.repeat(fn, number=number, repeat=5)) / number * 1e6


def time_calls(engine):
    """Business time on a compiled handle of the default eu_support calendar (Mon–Fri 09:00–18:00
    Europe/Berlin with holidays), conversions of datetimes in and out included."""
    eu = engine.calendar("eu_support")
    berlin = dt.datetime(2026, 11, 23, 10, 15, tzinfo=ZoneInfo("Europe/Berlin"))
    utc = berlin.astimezone(dt.timezone.utc)
    print(f"Calendar.add_business_time 2 h, zoneinfo datetime: {per_call(lambda: eu.add_business_time(berlin, 7200), 200_000):.2f} µs per call")
    print(f"Calendar.add_business_time 2 h, UTC datetime: {per_call(lambda: eu.add_business_time(utc, 7200), 200_000):.2f} µs per call")
    print(f"Calendar.add_business_time 2 h, RFC 3339 string: {per_call(lambda: eu.add_business_time('2026-11-23T09:15:00Z', 7200), 200_000):.2f} µs per call")
    print(f"Calendar.add_business_time 30 business days: {per_call(lambda: eu.add_business_time(utc, 30 * 9 * 3600), 50_000):.2f} µs per call")
    print(f"Engine.add_business_time 2 h, calendar by name: {per_call(lambda: engine.add_business_time(utc, 7200, 'eu_support'), 200_000):.2f} µs per call")
    events = [{"at": utc + dt.timedelta(minutes=20 * i), "type": ("agent_reply", "customer_reply")[i % 2]} for i in range(20)]
    request = {"level": "high", "created_at": utc, "now": utc + dt.timedelta(hours=8), "events": events}
    print(f"sla, 20 events: {per_call(lambda: engine.sla(request), 20_000):.1f} µs per call")
    facts = {"categories": ["damaged"], "escalation": ["review_threat"], "sentiment": "negative",
             "customer": {"tier": "vip"}, "contact_count": 2, "sla_remaining_seconds": 1800}
    print(f"score_priority: {per_call(lambda: engine.score_priority(facts), 50_000):.1f} µs per call")


def refund_cases(n):
    """n refund cases of the kinds a shop sees: changes of mind, damage, late parcels, cheap
    items, in several currencies and countries."""
    complaints = ["size_fit", "damaged", "defective", "not_received", "return_request", "wrong_item", "cancellation"]
    places = [("DE", "EUR", "60.00", "4.90"), ("GB", "GBP", "52.00", "3.99"), ("US", "USD", "70.00", "6.00"), ("FR", "EUR", "9.00", "4.90")]
    out = []
    for i in range(n):
        country, cur, price, ship = places[i % len(places)]
        complaint = complaints[i % len(complaints)]
        total = f"{float(price) + float(ship):.2f}"
        out.append({
            "now": f"2026-11-{8 + i % 20:02d}T10:00:00Z", "complaint": complaint, "destination_country": country,
            "order": {"placed_at": "2026-11-01T09:00:00Z",
                      "delivered_at": None if complaint in ("not_received", "cancellation") else "2026-11-04T15:00:00Z",
                      "total": {"amount": total, "currency": cur}, "shipping_paid": {"amount": ship, "currency": cur}},
            "item": {"sku": f"SKU-{i % 97}", "price": {"amount": price, "currency": cur}, "tags": ["final_sale"] if i % 11 == 0 else []},
            "evidence": {"photo": i % 2 == 0}, "return_shipping_cost": {"amount": "6.50", "currency": cur},
            "customer": {"refunds_last_365d": i % 6, "tier": "vip" if i % 13 == 0 else "regular"},
            "shipment_status": "in_transit" if complaint == "not_received" else "delivered",
        })
    return out


def refund_calls():
    """evaluate_refund_batch on 10,000 cases: the default policy and the 20-rule policy of
    benches/data/refund_20_rules.json (the size of the comparison in the refund issue). The
    call is timed alone (the results are kept until after the clock stops), and with the
    freeing of its 10,000 results too, which Python does whenever the caller drops them."""
    cases = refund_cases(10_000)
    twenty = Engine(json.loads((ROOT / "benches/data/refund_20_rules.json").read_text(encoding="utf-8")))
    for name, engine in (("default policy", Engine()), ("20 rules", twenty)):
        for explain in (True, False):
            call = freed = 0.0
            for _ in range(5):
                t = time.perf_counter()
                out = engine.evaluate_refund_batch(cases, explain=explain)
                t1 = time.perf_counter()
                del out
                t2 = time.perf_counter()
                call = max(call, len(cases) / (t1 - t))
                freed = max(freed, len(cases) / (t2 - t))
            print(f"evaluate_refund_batch, {name}, explain={explain}: {call:,.0f} cases/s ({1e6 / call:.2f} µs per case); "
                  f"with the results freed: {freed:,.0f}/s ({1e6 / freed:.2f} µs)")
    t = time.perf_counter()
    for c in cases[:2000]:
        twenty.evaluate_refund(c)
    print(f"evaluate_refund one by one, 20 rules: {2000 / (time.perf_counter() - t):,.0f} cases/s")


def triage_calls():
    """triage_batch of 10,000 tickets (the sample tickets of examples/tickets.jsonl, cycled), to
    compare with the Rust `triage_batch/10,000 tickets` bench; and triage one call per ticket."""
    engine = Engine()
    lines = (ROOT / "examples/tickets.jsonl").read_text(encoding="utf-8").splitlines()
    sample = [json.loads(line) for line in lines if line.strip()]
    tickets = (sample * (10_000 // len(sample) + 1))[:10_000]
    engine.triage_batch(tickets[:500])  # warm up
    best = 0.0
    for _ in range(5):
        t = time.perf_counter()
        out = engine.triage_batch(tickets)
        best = max(best, len(tickets) / (time.perf_counter() - t))
    assert not any("error" in r for r in out)
    print(f"triage_batch, 10,000 tickets: {best:,.0f} tickets/s ({1e6 / best:.1f} µs per ticket)")
    t = time.perf_counter()
    for x in tickets[:2000]:
        engine.triage(x)
    print(f"triage, one call per ticket: {2000 / (time.perf_counter() - t):,.0f} tickets/s")


if __name__ == "__main__":
    import sys

    if sys.argv[1:] == ["triage"]:
        triage_calls()
    else:
        main()
        triage_calls()
