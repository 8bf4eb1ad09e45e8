"""Priority, SLA and business time from Python: datetimes, Decimal, handles and the unhappy paths."""

import datetime as dt
import pickle
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

import aftersales

BERLIN = ZoneInfo("Europe/Berlin")
UTC = dt.timezone.utc


def test_results_are_aware_utc_datetimes_and_inputs_may_be_any_zone(engine):
    start = dt.datetime(2026, 11, 27, 16, 0, tzinfo=BERLIN)
    due = engine.add_business_time(start, 4 * 3600, "eu_support")
    assert due == dt.datetime(2026, 11, 30, 11, 0, tzinfo=BERLIN)
    assert due.tzinfo is UTC
    # Same instant written in another zone, or as a string: same answer.
    tokyo = start.astimezone(ZoneInfo("Asia/Tokyo"))
    assert engine.add_business_time(tokyo, 4 * 3600, "eu_support") == due
    assert engine.add_business_time("2026-11-27T15:00:00Z", 4 * 3600, "eu_support") == due


def test_milliseconds_survive_and_microseconds_truncate(engine):
    always = engine.calendar("always_open")
    start = dt.datetime(2026, 1, 1, 0, 0, 0, 123_999, tzinfo=UTC)
    assert always.add_business_time(start, 1) == dt.datetime(2026, 1, 1, 0, 0, 1, 123_000, tzinfo=UTC)
    before_epoch = dt.datetime(1969, 12, 31, 23, 59, 59, 500_000, tzinfo=UTC)
    assert always.add_business_time(before_epoch, 0) == before_epoch


def test_naive_datetimes_are_refused(engine):
    naive = dt.datetime(2026, 11, 27, 16, 0)
    with pytest.raises(aftersales.InvalidInputError) as info:
        engine.add_business_time(naive, 60, "eu_support")
    assert info.value.field == "start"
    assert "naive" in info.value.message
    with pytest.raises(aftersales.InvalidInputError) as info:
        engine.sla({"level": "high", "created_at": naive, "now": naive})
    assert info.value.field == "created_at"
    with pytest.raises(aftersales.InvalidInputError) as info:
        engine.sla({"level": "high", "created_at": "2026-11-23T09:00:00Z", "now": "2026-11-23T10:00:00Z",
                    "events": [{"at": naive, "type": "agent_reply"}]})
    assert info.value.field == "events[0].at"


def test_bad_arguments_name_their_field(engine):
    cal = engine.calendar("eu_support")
    for bad in (1.5, "2h", None, True):
        with pytest.raises(aftersales.InvalidInputError) as info:
            cal.add_business_time("2026-11-23T10:00:00Z", bad)
        assert info.value.field == "seconds"
    with pytest.raises(aftersales.InvalidInputError) as info:
        cal.add_business_time("2026-11-23T10:00:00Z", -1)
    assert info.value.field == "seconds"
    with pytest.raises(aftersales.LimitExceededError):
        cal.add_business_time("2026-11-23T10:00:00Z", 10**30)
    with pytest.raises(aftersales.InvalidInputError) as info:
        cal.add_business_time("23/11/2026", 60)
    assert info.value.field == "start"
    with pytest.raises(aftersales.InvalidInputError) as info:
        cal.business_time_between("2026-11-23T10:00:00Z", 12)
    assert info.value.field == "end"
    with pytest.raises(aftersales.InvalidInputError) as info:
        engine.add_business_time("2026-11-23T10:00:00Z", 60, 42)
    assert info.value.field == "calendar"
    with pytest.raises(aftersales.UnknownTimeZoneError) as info:
        engine.calendar({"time_zone": "Mars/Olympus", "hours": {"mon": ["09:00-17:00"]}})
    assert info.value.field == "calendar.time_zone"
    with pytest.raises(aftersales.InvalidInputError):
        engine.sla(["not", "a", "dict"])
    with pytest.raises(aftersales.LimitExceededError) as info:
        engine.sla({"level": "high", "created_at": "2026-11-23T09:00:00Z", "now": "2026-11-23T10:00:00Z",
                    "events": [{"at": "2026-11-23T09:30:00Z", "type": "agent_reply"}] * 10_001})
    assert info.value.field == "events"


def test_calendar_handles(engine):
    cn = engine.calendar("cn_support")
    assert (cn.name, cn.time_zone) == ("cn_support", "Asia/Shanghai")
    assert repr(cn) == 'Calendar(name="cn_support", time_zone="Asia/Shanghai")'
    inline = engine.calendar({"time_zone": "Asia/Kolkata", "hours": {"mon": ["09:30-18:00"]}})
    assert inline.name is None
    # A handle as the SLA request's calendar gives what its name gives.
    request = {"level": "high", "created_at": "2026-11-23T03:30:00Z", "now": "2026-11-23T03:30:00Z"}
    assert engine.sla({**request, "calendar": cn}) == engine.sla({**request, "calendar": "cn_support"})
    assert engine.add_business_time("2026-11-23T03:30:00Z", 60, cn) == cn.add_business_time("2026-11-23T03:30:00Z", 60)


def test_money_as_decimal_int_or_string(engine):
    for amount in (Decimal("1000.00"), 1000, "1000", Decimal("1E+3")):
        p = engine.score_priority({"order": {"total": {"amount": amount, "currency": "EUR"}}})
        assert p["score"] == 10, amount
        assert p["reasons"][0]["params"]["amount"] == "1000.00"
    with pytest.raises(aftersales.InvalidInputError) as info:
        engine.score_priority({"order": {"total": {"amount": Decimal("12.345"), "currency": "EUR"}}})
    assert info.value.field == "order.total.amount"
    with pytest.raises(aftersales.InvalidInputError) as info:
        engine.score_priority({"order": {"total": {"amount": Decimal("NaN"), "currency": "EUR"}}})
    assert info.value.field == "order.total.amount"
    for huge in (Decimal("1E+3000000000"), Decimal("1E-3000000000")):
        with pytest.raises(aftersales.InvalidInputError) as info:
            engine.score_priority({"order": {"total": {"amount": huge, "currency": "EUR"}}})
        assert info.value.field == "order.total.amount"
    with pytest.raises(aftersales.InvalidInputError) as info:
        engine.score_priority({"order": {"total": {"amount": 12.5, "currency": "EUR"}}})
    assert info.value.field == "order.total.amount"


def test_priority_from_a_classification(engine):
    c = engine.classify("Third time writing: the parcel never arrived. I will open a PayPal dispute!")
    p = engine.score_priority({"classification": c, "contact_count": 3, "customer": {"tier": "vip"}})
    assert p["level"] == "urgent"
    assert sum(r["points"] for r in p["reasons"]) == p["score"]


def test_sla_report_shape(engine):
    created = dt.datetime(2026, 11, 23, 9, 0, tzinfo=BERLIN)
    r = engine.sla({"level": "urgent", "created_at": created, "now": created + dt.timedelta(hours=3),
                    "events": [{"at": created + dt.timedelta(minutes=90), "type": "agent_reply"}]})
    first = r["metrics"][0]
    assert first["status"] == "breached" and first["breached_by_seconds"] == 1800
    assert first["achieved_at"] == created + dt.timedelta(minutes=90)
    assert r["next_deadline"] == created + dt.timedelta(hours=8)


def test_engine_with_time_policies_still_pickles(engine):
    custom = aftersales.Engine({"sla": {"pause_on": ["pending", "on_hold"]}})
    again = pickle.loads(pickle.dumps(custom))
    assert again.info()["policy_hash"] == custom.info()["policy_hash"]
    assert engine.info()["tzdb_version"] == "2025b"
