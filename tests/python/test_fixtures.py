"""The shared fixtures of tests/fixtures/ (format: tests/fixtures/README.md), as read by the Rust
and Node suites too. Python offsets are code points, the unit the fixtures store."""

import pytest

import aftersales
from conftest import load_cases

CLASSIFY = load_cases("classify")


def test_enough_fixtures():
    assert len(CLASSIFY) >= 60


def spans(result):
    for c in result["categories"]:
        yield from c["evidence"]
    for e in result["escalation"]:
        yield from e["evidence"]
    yield from result["negated"]
    for kind in ("order_ids", "tracking_numbers", "emails", "amounts"):
        yield from result["entities"][kind]


def entity_values(result, kind):
    items = result["entities"][kind]
    if kind == "amounts":
        return [f"{a['amount']} {a['currency'] or 'null'}" for a in items]
    return [e["value"] for e in items]


@pytest.mark.parametrize("case", CLASSIFY)
def test_classify_fixture(engine, case):
    inp = case["input"]
    expect = case["expect"]
    kwargs = {k: inp.get(k) for k in ("subject", "language", "country")}
    if "error" in expect:
        with pytest.raises(aftersales.AftersalesError) as info:
            engine.classify(inp["text"], **kwargs)
        assert info.value.kind == expect["error"]["kind"]
        assert info.value.field == expect["error"].get("field")
        return
    r = engine.classify(inp["text"], **kwargs)
    for key in ("language", "script", "primary", "sentiment"):
        if key in expect:
            assert r[key] == expect[key], key
    cats = {c["category"] for c in r["categories"]}
    if "categories" in expect:
        assert cats == set(expect["categories"])
    for c in expect.get("categories_include", []):
        assert c in cats
    for c in expect.get("categories_exclude", []):
        assert c not in cats
    signals = {e["signal"] for e in r["escalation"]}
    if "escalation" in expect:
        assert signals == set(expect["escalation"])
    for s in expect.get("escalation_include", []):
        assert s in signals
    for kind, values in expect.get("entities", {}).items():
        assert entity_values(r, kind) == values, kind
    for want in expect.get("evidence", []):
        found = [
            e
            for c in r["categories"]
            if c["category"] == want["category"]
            for e in c["evidence"]
            if (e["field"], e["start"], e["end"], e["text"]) == ("text", want["start"], want["end"], want["text"])
        ]
        assert found, want
    # Every span slices the caller's own string to its text.
    for s in spans(r):
        own = inp.get("subject") if s["field"] == "subject" else inp["text"]
        assert own[s["start"] : s["end"]] == s["text"]


# --- priority, SLA and calendar fixtures: whole results compared (tests/fixtures/README.md) ---

import datetime as _dt
import functools
import json

PRIORITY = load_cases("priority")
SLA = load_cases("sla")
CALENDAR = load_cases("calendar")
REFUND = load_cases("refund")
SCHEDULE = load_cases("schedule")


def test_enough_time_fixtures():
    assert len(PRIORITY) >= 30 and len(SLA) >= 30 and len(CALENDAR) >= 30


@functools.lru_cache(maxsize=None)
def _engine_for(policy_json):
    return aftersales.Engine(json.loads(policy_json)) if policy_json != "null" else aftersales.Engine()


def engine_for(case):
    return _engine_for(json.dumps(case.get("policy"), sort_keys=True))


def rfc3339(value):
    """A result datetime as the fixtures write instants: UTC, Z, milliseconds only if non-zero."""
    assert value.tzinfo is not None and value.utcoffset() == _dt.timedelta(0), value
    ms = value.microsecond // 1000
    return value.strftime("%Y-%m-%dT%H:%M:%S") + (f".{ms:03d}" if ms else "") + "Z"


def plain(value):
    if isinstance(value, _dt.datetime):
        return rfc3339(value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def as_datetimes(value, key=None):
    """The input with every instant as an aware datetime in a non-UTC zone."""
    instant_keys = {"created_at", "now", "at", "start", "end", "deadline"}
    if isinstance(value, dict):
        return {k: as_datetimes(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [as_datetimes(v) for v in value]
    if key in instant_keys and isinstance(value, str):
        try:
            parsed = _dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value  # malformed on purpose: stays a string
        return parsed.astimezone(_dt.timezone(_dt.timedelta(hours=-3, minutes=-30)))
    return value


def run_expecting(case, call):
    expect = case["expect"]
    if "error" in expect:
        with pytest.raises(aftersales.AftersalesError) as info:
            call()
        assert {"kind": info.value.kind, "field": info.value.field} == expect["error"]
    else:
        assert plain(call()) == expect


def build(case):
    """The case's engine, or a function raising its policy error."""
    try:
        return engine_for(case)
    except aftersales.AftersalesError as e:
        error = e

        class Broken:
            def __getattr__(self, _name):
                def fail(*_args, **_kwargs):
                    raise error

                return fail

        return Broken()


@pytest.mark.parametrize("case", PRIORITY)
def test_priority_fixture(case):
    run_expecting(case, lambda: build(case).score_priority(case["input"]))


@pytest.mark.parametrize("case", SLA)
@pytest.mark.parametrize("instants", ["strings", "datetimes"])
def test_sla_fixture(case, instants):
    request = case["input"] if instants == "strings" else as_datetimes(case["input"])
    run_expecting(case, lambda: build(case).sla(request))


@pytest.mark.parametrize("case", CALENDAR)
@pytest.mark.parametrize("how", ["handle", "engine", "datetimes"])
def test_calendar_fixture(case, how):
    engine = build(case)

    def call():
        op = case.get("add") or case["between"]
        if how == "datetimes":
            op = as_datetimes(op)
        if how == "engine":
            target = None
        else:
            target = engine.calendar(case["calendar"])
        if "add" in case:
            if target is None:
                return {"result": engine.add_business_time(op["start"], op["seconds"], case["calendar"])}
            return {"result": target.add_business_time(op["start"], op["seconds"])}
        if target is None:
            return {"seconds": engine.business_time_between(op["start"], op["end"], case["calendar"])}
        return {"seconds": target.business_time_between(op["start"], op["end"])}

    run_expecting(case, call)


def test_enough_refund_fixtures():
    assert len(REFUND) >= 40


def with_decimals(value, key=None):
    """The input with every money amount as a Decimal (Python callers' natural form)."""
    from decimal import Decimal

    if isinstance(value, dict):
        if set(value) == {"amount", "currency"} and isinstance(value["amount"], str):
            try:
                return {"amount": Decimal(value["amount"]), "currency": value["currency"]}
            except ArithmeticError:
                return value
        return {k: with_decimals(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [with_decimals(v) for v in value]
    return value


@pytest.mark.parametrize("case", REFUND)
@pytest.mark.parametrize("form", ["as-written", "datetimes-and-decimals"])
def test_refund_fixture(case, form):
    request = case["input"] if form == "as-written" else with_decimals(as_datetimes(case["input"]))
    expect = case["expect"]
    if form != "as-written" and "error" in expect and expect["error"]["field"] in (
        "item.price.amount",
        "order.total",
    ):
        # Decimal("60.5") is exact and a float is not: a float case stays a float; the
        # currency-mismatch case is the same either way. Compare only what is typed the same.
        request = case["input"]
    run_expecting(case, lambda: build(case).evaluate_refund(request))


@pytest.mark.parametrize("case", [c for c in REFUND if "error" not in c.values[0]["expect"]])
def test_refund_batch_fixture(case):
    (d,) = build(case).evaluate_refund_batch([case["input"]])
    assert plain(d) == case["expect"]
    (terse,) = build(case).evaluate_refund_batch([case["input"]], explain=False)
    want = case["expect"]
    assert (terse["outcome"], plain(terse["refund_amount"]), terse["rule"]) == (want["outcome"], want["refund_amount"], want["rule"])
    # The rest is the same too, but for the trace and the messages, which are left out.
    assert terse["trace"] == []
    assert plain({**terse, "trace": d["trace"], "reasons": d["reasons"]}) == plain(d)
    assert [(r["code"], plain(r["params"]), r["message"]) for r in terse["reasons"]] == [
        (r["code"], r["params"], "") for r in want["reasons"]
    ]


def test_enough_schedule_fixtures():
    assert len(SCHEDULE) >= 40


@pytest.mark.parametrize("case", SCHEDULE)
@pytest.mark.parametrize("instants", ["strings", "datetimes"])
def test_schedule_fixture(case, instants):
    request = case["input"] if instants == "strings" else as_datetimes(case["input"])
    run_expecting(case, lambda: build(case).schedule_reply(request))


TRIAGE = load_cases("triage")


def test_enough_triage_fixtures():
    assert len(TRIAGE) >= 30


def triage_summary(t):
    """A triage result as the fixtures hold it: the classification summarised (its offsets are
    each language's own), everything else whole."""
    c = t["classification"]
    return {
        **plain(t),
        "classification": {
            "language": c["language"],
            "primary": c["primary"],
            "sentiment": c["sentiment"],
            "categories": [s["category"] for s in c["categories"]],
            "escalation": [e["signal"] for e in c["escalation"]],
            "order_ids": [o["value"] for o in c["entities"]["order_ids"]],
        },
    }


def batch_entry(entry):
    if "error" in entry:
        return {"error": {"kind": entry["error"]["kind"], "field": entry["error"]["field"]}, "index": entry["index"]}
    return triage_summary(entry)


@pytest.mark.parametrize("case", TRIAGE)
@pytest.mark.parametrize("form", ["as-written", "datetimes-and-decimals"])
def test_triage_fixture(case, form):
    tickets = case["input"]
    if form != "as-written":
        tickets = with_decimals(as_datetimes(tickets))
    engine = build(case)
    if isinstance(tickets, list):
        assert [batch_entry(e) for e in engine.triage_batch(tickets)] == case["expect"]
        return
    expect = case["expect"]
    if "error" in expect:
        with pytest.raises(aftersales.AftersalesError) as info:
            engine.triage(tickets)
        assert {"kind": info.value.kind, "field": info.value.field} == expect["error"]
        # In a batch the same ticket fails alone, with the same error.
        (entry,) = engine.triage_batch([tickets])
        assert batch_entry(entry) == {**expect, "index": 0}
        return
    assert triage_summary(engine.triage(tickets)) == expect
    (entry,) = engine.triage_batch([tickets])
    assert batch_entry(entry) == expect
