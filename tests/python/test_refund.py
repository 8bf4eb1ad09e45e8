"""Refund evaluation from Python: Decimal and datetime inputs, batches, and the unhappy paths."""

import datetime as dt
from decimal import Decimal

import pytest

import aftersales

CASE = {
    "now": "2026-11-20T10:00:00Z", "complaint": "size_fit", "destination_country": "DE",
    "order": {"placed_at": "2026-11-01T09:00:00Z", "delivered_at": "2026-11-04T15:00:00Z",
              "total": {"amount": "64.90", "currency": "EUR"}, "shipping_paid": {"amount": "4.90", "currency": "EUR"}},
    "item": {"sku": "SHOE-42", "price": {"amount": "60.00", "currency": "EUR"}},
    "return_shipping_cost": {"amount": "6.50", "currency": "EUR"},
}


def with_(patch, base=CASE):
    out = {k: (dict(v) if isinstance(v, dict) else v) for k, v in base.items()}
    for k, v in patch.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = {**out[k], **v}
        else:
            out[k] = v
    return out


def test_decimal_and_datetime_inputs_give_the_same_decision(engine):
    as_strings = engine.evaluate_refund(CASE)
    typed = engine.evaluate_refund(with_({
        "now": dt.datetime(2026, 11, 20, 11, 0, tzinfo=dt.timezone(dt.timedelta(hours=1))),
        "item": {"price": {"amount": Decimal("60.0"), "currency": "EUR"}},
        "order": {"total": {"amount": Decimal("64.9"), "currency": "EUR"}, "shipping_paid": {"amount": Decimal("4.90"), "currency": "EUR"},
                  "placed_at": "2026-11-01T09:00:00Z", "delivered_at": "2026-11-04T15:00:00Z"},
    }))
    assert typed == as_strings
    assert as_strings["outcome"] == "return_then_refund"
    assert as_strings["refund_amount"] == {"amount": "60.00", "currency": "EUR"}
    assert isinstance(as_strings["return_window"]["deadline"], dt.datetime)


def test_unhappy_paths_name_the_field(engine):
    cases = [
        (with_({"item": {"price": {"amount": "60.001", "currency": "EUR"}}}), aftersales.InvalidInputError, "item.price.amount"),
        (with_({"item": {"price": {"amount": 60.5, "currency": "EUR"}}}), aftersales.InvalidInputError, "item.price.amount"),
        (with_({"item": {"price": {"amount": "60", "currency": "EURO"}}}), aftersales.UnknownCurrencyError, "item.price.currency"),
        (with_({"order": {"total": {"amount": "64.90", "currency": "USD"}}}), aftersales.CurrencyMismatchError, "order.total"),
        (with_({"destination_country": "UK"}), aftersales.InvalidInputError, "destination_country"),
        (with_({"complaint": "meh"}), aftersales.InvalidInputError, "complaint"),
        (with_({"now": dt.datetime(2026, 11, 20, 10, 0)}), aftersales.InvalidInputError, "now"),
    ]
    for case, error, field in cases:
        with pytest.raises(error) as info:
            engine.evaluate_refund(case)
        assert info.value.field == field, (field, info.value)


def test_a_bad_case_fails_only_itself_in_a_batch(engine):
    out = engine.evaluate_refund_batch([CASE, with_({"complaint": "meh"}), "not a case", CASE], explain=False)
    assert [o.get("outcome") for o in out] == ["return_then_refund", None, None, "return_then_refund"]
    assert out[1]["index"] == 1 and out[1]["error"]["field"] == "complaint"
    assert out[2]["index"] == 2 and out[2]["error"]["kind"] == "invalid_input"
    assert all(r["message"] == "" for r in out[0]["reasons"])
    assert out[0]["trace"] == [] and out[0]["rule"] == engine.evaluate_refund(CASE)["rule"]
    with pytest.raises(aftersales.InvalidInputError):
        engine.evaluate_refund_batch(42)


def test_policy_rules_are_validated_with_paths():
    with pytest.raises(aftersales.InvalidPolicyError) as info:
        aftersales.Engine({"refund": {"rules": [{"id": "x", "conditions": {"fact": "item.price", "lt": 20}, "outcome": "deny"}]}})
    assert info.value.field == "refund.rules[0].conditions.lt"


def test_info_names_the_law_tables(engine):
    assert engine.info()["law_as_of"] == "2026-11-01"


def test_a_batch_across_chunks_is_the_single_call_in_order(engine):
    # Good and bad cases interleaved over several chunks: an error met halfway through a case
    # (deep in `item.price`) leaves nothing behind for the cases read after it.
    bad_amount = with_({"item": {"price": {"amount": object(), "currency": "EUR"}}})
    cases = []
    for i in range(700):
        if i % 7 == 3:
            cases.append(bad_amount)
        else:
            cases.append(with_({"complaint": ["size_fit", "damaged", "not_received"][i % 3],
                                "now": f"2026-11-{8 + i % 20:02d}T10:00:00Z"}))
    out = engine.evaluate_refund_batch(cases)
    assert len(out) == len(cases)
    for i, (case, got) in enumerate(zip(cases, out)):
        if case is bad_amount:
            assert got["index"] == i and got["error"]["field"] == "item.price.amount", got
            assert "unsupported type object" in got["error"]["message"]
        else:
            assert got == engine.evaluate_refund(case), i


def test_results_are_separate_objects(engine):
    a, b = engine.evaluate_refund_batch([CASE, CASE])
    assert a == b and a is not b
    a["reasons"][0]["params"]["extra"] = 1
    a["return_window"]["days"] = -1
    a["requires"].append("x")
    assert b == engine.evaluate_refund(CASE)


def test_python_values_of_every_kind_are_read_or_refused(engine):
    class Text(str):
        pass

    class Count(int):
        pass

    class Mapping(dict):
        pass

    # Subclasses of the built-in types read as their values.
    same = with_({"complaint": Text("size_fit"), "customer": Mapping({"refunds_last_365d": Count(2)}),
                  "order": {"placed_at": "2026-11-01T09:00:00Z", "delivered_at": "2026-11-04T15:00:00Z",
                            "total": Mapping({"amount": Text("64.90"), "currency": "EUR"}),
                            "shipping_paid": {"amount": Count(4), "currency": "EUR"}}})
    plain = with_({"customer": {"refunds_last_365d": 2},
                   "order": {"placed_at": "2026-11-01T09:00:00Z", "delivered_at": "2026-11-04T15:00:00Z",
                             "total": {"amount": "64.90", "currency": "EUR"}, "shipping_paid": {"amount": "4", "currency": "EUR"}}})
    assert engine.evaluate_refund(same) == engine.evaluate_refund(plain)
    refused = [
        (with_({"customer": {"refunds_last_365d": 2**70}}), "customer.refunds_last_365d", "64-bit"),
        (with_({"customer": {1: 2}}), "customer", "keys must be strings"),
        (with_({"complaint": "\ud800"}), "complaint", "lone surrogate"),
        (with_({"item": {"tags": ["a", float("nan")]}}), "item.tags[1]", "NaN"),
        (with_({"item": {"tags": [{"deep": [set()]}]}}), "item.tags[0].deep[0]", "unsupported type set"),
        (with_({"item": {"tags": [[{"[x]": 1.5j}]]}}), "item.tags[0][0].[x]", "unsupported type complex"),
    ]
    for case, field, words in refused:
        with pytest.raises(aftersales.InvalidInputError) as info:
            engine.evaluate_refund(case)
        assert info.value.field == field and words in str(info.value), (field, info.value)
        (entry,) = engine.evaluate_refund_batch([case])
        assert entry["error"]["field"] == field


def test_a_decimal_that_changes_the_case_while_it_is_read_does_not_crash(engine):
    # Reading a Decimal runs Python code; this one empties the dicts being read meanwhile.
    class Meddling(Decimal):
        def is_finite(self):
            case["order"].clear()
            case.clear()
            return True

    for _ in range(50):
        case = with_({})
        case["order"] = dict(case["order"], total={"amount": Meddling("64.90"), "currency": "EUR"})
        with pytest.raises(aftersales.InvalidInputError) as info:
            engine.evaluate_refund(case)
        assert info.value.field == "order.total" and "changed size" in str(info.value)
        case = with_({})
        case["order"] = dict(case["order"], total={"amount": Meddling("64.90"), "currency": "EUR"})
        entry, after = engine.evaluate_refund_batch([case, with_({})])
        assert entry["error"]["field"] == "order.total" and after == engine.evaluate_refund(CASE)
