"""triage and triage_batch beyond the shared fixtures: offsets in the caller's unit, calendar
handles, the batch's shape and its unhappy paths."""

import threading
from datetime import datetime, timezone

import pytest

import aftersales

TICKET = {
    "id": "T-1",
    "text": "Ça n'est pas arrivé, la boîte était écrasée. Remboursement svp !",
    "created_at": "2026-11-23T09:00:00Z",
    "now": "2026-11-23T09:30:00Z",
    "customer": {"country": "FR", "tier": "vip"},
    "order": {"placed_at": "2026-11-10T09:00:00Z", "delivered_at": "2026-11-20T12:00:00Z",
              "total": {"amount": "49.90", "currency": "EUR"}},
    "item": {"price": {"amount": "49.90", "currency": "EUR"}},
}


def test_offsets_slice_the_python_string(engine):
    t = engine.triage(TICKET)
    spans = [e for c in t["classification"]["categories"] for e in c["evidence"]]
    assert spans
    for s in spans:
        assert TICKET["text"][s["start"]:s["end"]] == s["text"]


def test_parts_agree_with_the_single_engines(engine):
    t = engine.triage(TICKET)
    assert t["id"] == "T-1"
    assert t["classification"] == engine.classify(TICKET["text"], country="FR")
    assert t["sla"]["next_deadline"] == t["reply_plan"]["send_at"] or t["sla"]["next_deadline"] > t["reply_plan"]["send_at"]
    assert isinstance(t["reply_plan"]["send_at"], datetime) and t["reply_plan"]["send_at"].tzinfo is not None
    # damaged and not_received both rate 25; the more confident one is taken.
    assert t["refund_complaint"] == "damaged"
    assert t["refund"]["outcome"] == engine.evaluate_refund({
        "now": TICKET["now"], "complaint": "damaged", "destination_country": "FR", "order": TICKET["order"],
        "item": TICKET["item"], "customer": {"tier": "vip"}})["outcome"]


def test_integer_ids_come_back_as_integers(engine):
    assert engine.triage({**TICKET, "id": 4711})["id"] == 4711
    assert engine.triage({k: v for k, v in TICKET.items() if k != "id"})["id"] is None


def test_calendar_handles_are_accepted(engine):
    cn = engine.calendar("cn_support")
    by_handle = engine.triage({**TICKET, "calendar": cn, "team_calendar": cn})
    by_name = engine.triage({**TICKET, "calendar": "cn_support", "team_calendar": "cn_support"})
    assert by_handle == by_name
    (entry,) = engine.triage_batch([{**TICKET, "team_calendar": cn}])
    assert entry == engine.triage({**TICKET, "team_calendar": "cn_support"})


def test_aware_datetimes_in_any_zone(engine):
    paris = timezone.utc
    t = engine.triage({**TICKET, "created_at": datetime(2026, 11, 23, 9, tzinfo=paris),
                       "now": datetime(2026, 11, 23, 9, 30, tzinfo=paris)})
    assert t == engine.triage(TICKET)
    with pytest.raises(aftersales.InvalidInputError) as info:
        engine.triage({**TICKET, "now": datetime(2026, 11, 23, 9, 30)})
    assert info.value.field == "now"


def test_batch_is_the_single_call_in_order(engine):
    tickets = [dict(TICKET, id=i, text=text) for i, text in enumerate(
        ["Where is my order?", "The lamp arrived broken", "Cancel my order please", "Wrong size, can I return it?"])]
    assert engine.triage_batch(tickets) == [engine.triage(t) for t in tickets]
    assert engine.triage_batch([]) == []
    assert engine.triage_batch(iter(tickets[:1])) == [engine.triage(tickets[0])]


def test_bad_tickets_fail_alone(engine):
    out = engine.triage_batch([TICKET, "not a dict", {**TICKET, "customer": {"country": "FR", "time_zone": "Mars/Base"}}, TICKET])
    assert out[0] == out[3] == engine.triage(TICKET)
    assert out[1] == {"error": {"kind": "invalid_input", "code": "ERR_INVALID_INPUT", "field": None,
                                "message": out[1]["error"]["message"]}, "index": 1}
    assert "expected a dict" in out[1]["error"]["message"]
    assert out[2]["error"]["kind"] == "unknown_time_zone" and out[2]["error"]["field"] == "customer.time_zone"
    assert out[2]["index"] == 2


def test_bad_arguments_raise_typed_errors(engine):
    with pytest.raises(aftersales.InvalidInputError) as info:
        engine.triage_batch(42)
    assert info.value.field == "tickets"
    with pytest.raises(aftersales.InvalidInputError):
        engine.triage(["not", "a", "dict"])
    with pytest.raises(aftersales.UnknownCurrencyError) as info:
        engine.triage({**TICKET, "item": {"price": {"amount": "1", "currency": "XXY"}}})
    assert info.value.field == "item.price.currency"


def test_threads_share_one_engine(engine):
    tickets = [dict(TICKET, id=i) for i in range(300)]
    results = [None, None]

    def run(n):
        results[n] = engine.triage_batch(tickets)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results[0] == results[1] and len(results[0]) == 300


def test_large_batches_keep_order_across_chunks(engine):
    # More than one chunk of 64: the batch decides on a worker thread while results are built;
    # order, indices and error entries must not move.
    texts = ["Where is my order?", "The lamp arrived broken", "Cancel my order please", "Wrong size"]
    tickets = [dict(TICKET, id=i, text=texts[i % 4]) for i in range(200)]
    bad = {0, 63, 64, 130, 199}
    for i in bad:
        tickets[i] = {**tickets[i], "events": [{"at": "2020-01-01T00:00:00Z", "type": "agent_reply"}]}
    out = engine.triage_batch(tickets)
    assert len(out) == 200
    for i, entry in enumerate(out):
        if i in bad:
            assert entry["index"] == i and entry["error"]["field"] == "events[0].at"
        else:
            assert entry == engine.triage(tickets[i])
    classified = engine.classify_batch([t["text"] for t in tickets] + [42])
    assert classified[:200] == [engine.classify(t["text"]) for t in tickets]
    assert classified[200]["index"] == 200


def test_batches_beyond_the_read_ahead_bound_keep_order(engine):
    # 70 chunks of 64: past the 64 chunks read ahead of the one being converted, so reading
    # waits for conversion and this thread decides chunks itself too.
    texts = [f"Order {i}: the lamp arrived broken" if i % 3 else f"Where is parcel {i}?" for i in range(70 * 64)]
    texts[4000] = None
    out = engine.classify_batch(texts)
    assert out[4000]["index"] == 4000 and out[4000]["error"]["kind"] == "invalid_input"
    for i in range(0, len(texts), 97):
        if i != 4000:
            assert out[i] == engine.classify(texts[i])
