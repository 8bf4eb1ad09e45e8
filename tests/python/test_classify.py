"""Behaviour of the Python API around classification: inputs, errors, batches, policies."""

import json
import pickle
import threading

import pytest

import aftersales
from aftersales import Engine


def test_result_shape_and_code_point_offsets(engine):
    text = "😡 ¡Llegó roto! Pedido 112-4839201-1938201"
    r = engine.classify(text)
    assert r["language"] == "es"
    assert r["primary"] == "damaged"
    order = r["entities"]["order_ids"][0]
    assert text[order["start"] : order["end"]] == "112-4839201-1938201"
    assert order["format"] == "amazon"


def test_subject_evidence_points_into_the_subject(engine):
    r = engine.classify("Please help me", subject="Refund for order 4711")
    ev = r["categories"][0]["evidence"][0]
    assert ev["field"] == "subject"
    assert "Refund for order 4711"[ev["start"] : ev["end"]] == ev["text"]


def test_empty_text_is_other_und(engine):
    r = engine.classify("")
    assert (r["primary"], r["language"], r["categories"]) == ("other", "und", [])


def test_language_hint_is_reported(engine):
    r = engine.classify("ok", language="pt")
    assert (r["language"], r["language_confidence"]) == ("pt", 1.0)


@pytest.mark.parametrize(
    "call, field",
    [
        (lambda e: e.classify(42), "text"),
        (lambda e: e.classify(None), "text"),
        (lambda e: e.classify(b"bytes"), "text"),
        (lambda e: e.classify("hi", subject=3), "subject"),
        (lambda e: e.classify("hi", language="english"), "language"),
        (lambda e: e.classify("hi", country="DEU"), "country"),
        (lambda e: e.classify("lone \ud800 surrogate"), "text"),
    ],
)
def test_bad_input_is_a_typed_error_naming_the_field(engine, call, field):
    with pytest.raises(aftersales.InvalidInputError) as info:
        call(engine)
    err = info.value
    assert isinstance(err, aftersales.AftersalesError) and isinstance(err, ValueError)
    assert (err.kind, err.code, err.field) == ("invalid_input", "ERR_INVALID_INPUT", field)


def test_text_over_the_limit(engine):
    with pytest.raises(aftersales.LimitExceededError) as info:
        engine.classify("a" * (1024 * 1024 + 1))
    assert (info.value.kind, info.value.field) == ("limit_exceeded", "text")
    small = Engine({"limits": {"max_text_bytes": 10}})
    with pytest.raises(aftersales.LimitExceededError):
        small.classify("more than ten bytes")


def test_huge_hostile_text_within_the_limit_returns(engine):
    r = engine.classify("refund not damaged!! " * 40000)
    assert r["primary"] == "refund_request"


def test_batch_mixes_results_and_error_entries(engine):
    out = engine.classify_batch(
        ["Where is my parcel?", {"text": "Wrong colour", "language": "en"}, 7, {"txt": "x"}, {"text": "x", "language": "??"}]
    )
    assert out[0]["primary"] == "delivery_delay"
    assert out[1]["primary"] == "wrong_item"
    assert out[2]["index"] == 2
    assert out[2]["error"]["kind"] == "invalid_input"
    assert (out[2]["error"]["code"], out[2]["error"]["field"]) == ("ERR_INVALID_INPUT", None)
    assert "expected a string" in out[2]["error"]["message"]
    assert (out[3]["error"]["field"], out[3]["index"]) == ("txt", 3)
    assert (out[4]["error"]["field"], out[4]["index"]) == ("language", 4)


def test_batch_equals_one_by_one(engine):
    texts = ["Paket kam kaputt an", "包裹还没到", "Quiero cancelar mi pedido", "", "ok"]
    assert engine.classify_batch(texts) == [engine.classify(t) for t in texts]


def test_batch_rejects_a_non_list(engine):
    with pytest.raises(aftersales.InvalidInputError):
        engine.classify_batch(42)


def test_batch_releases_the_gil(engine):
    # Two threads classify at once; both finish with identical results.
    texts = ["The parcel arrived crushed, refund please"] * 2000
    results = [None, None]

    def run(i):
        results[i] = engine.classify_batch(texts)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results[0] == results[1] and len(results[0]) == 2000


def test_policy_from_dict_json_and_file(tmp_path):
    patch = {"version": "shop-1", "classification": {"extra_phrases": {"damaged": {"en": ["smashed to bits"]}}}}
    for policy in (patch, json.dumps(patch)):
        e = Engine(policy)
        assert e.classify("It came smashed to bits")["primary"] == "damaged"
        assert e.info()["policy_version"] == "shop-1"
    path = tmp_path / "policy.toml"
    path.write_text('version = "from-toml"\n[classification]\nmin_confidence = 0.7\n')
    assert Engine.from_file(path).policy()["classification"]["min_confidence"] == 0.7
    path = tmp_path / "policy.json"
    path.write_text(json.dumps(patch))
    assert Engine.from_file(str(path)).info()["policy_version"] == "shop-1"


def test_new_category_through_the_policy():
    e = Engine(
        {
            "classification": {
                "categories": {"warranty_claim": {"kind": "problem", "description": "under warranty"}},
                "extra_phrases": {"warranty_claim": {"en": ["under warranty", "warranty claim"]}},
            }
        }
    )
    assert e.classify("Is this still under warranty? It stopped working")["categories"][0]["category"] in (
        "warranty_claim",
        "defective",
    )
    assert "warranty_claim" in e.info()["categories"]


@pytest.mark.parametrize(
    "policy, field",
    [
        ({"classification": {"typo": 1}}, "classification.typo"),
        ({"classification": {"extra_phrases": {"damaged": {"en": ["da*maged"]}}}}, "classification.extra_phrases.damaged.en[0]"),
        ({"classification": {"extra_phrases": {"damaged": {"xx": ["x"]}}}}, "classification.extra_phrases.damaged.xx"),
        ({"classification": {"extra_phrases": {"nonsense": {"en": ["x"]}}}}, "classification.extra_phrases.nonsense"),
        ({"classification": {"remove_phrases": {"damaged": {"en": ["no such phrase"]}}}}, "classification.remove_phrases.damaged.en[0]"),
        ({"classification": {"min_confidence": 2}}, "classification.min_confidence"),
        ({"limits": {"max_text_bytes": "big"}}, "limits.max_text_bytes"),
        ({"version": {"nested": 1}}, "version"),
        ({"unknown_section": {}}, None),
    ],
)
def test_bad_policy_names_the_path(policy, field):
    with pytest.raises(aftersales.InvalidPolicyError) as info:
        Engine(policy)
    assert info.value.kind == "invalid_policy"
    if field is not None:
        assert info.value.field == field


def test_policy_must_be_dict_or_string():
    with pytest.raises(aftersales.InvalidPolicyError):
        Engine(42)
    with pytest.raises(aftersales.InvalidPolicyError):
        Engine("{not json")
    with pytest.raises(aftersales.InvalidPolicyError):
        Engine({1: "non-string key"})


def test_remove_phrases_takes_a_phrase_away():
    base = Engine()
    assert base.classify("The box is dented")["primary"] == "damaged"
    e = Engine({"classification": {"remove_phrases": {"damaged": {"en": ["dented", "dent*", "dent"]}}}})
    assert e.classify("The box is dented")["primary"] == "other"


def test_policy_dump_loads_back_identically():
    e = Engine({"version": "v7", "classification": {"extra_phrases": {"damaged": {"*": ["kaboom"]}}}})
    dumped = e.policy()
    assert dumped["extends"] == "none"
    again = Engine(dumped)
    assert again.info()["policy_hash"] == e.info()["policy_hash"]


def test_engine_pickles():
    e = Engine({"version": "pickled"})
    clone = pickle.loads(pickle.dumps(e))
    assert clone.info() == e.info()
    default = pickle.loads(pickle.dumps(Engine()))
    assert default.info() == Engine().info()


def test_info_names_versions(engine):
    info = engine.info()
    assert info["library"] == "aftersales"
    assert info["library_version"] == aftersales.__version__
    assert info["policy_hash"].startswith("sha256:")
    assert len(info["languages"]) == 17
