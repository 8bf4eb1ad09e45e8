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
