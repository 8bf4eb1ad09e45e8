"""The README's Python examples run as written, and its JSON blocks are what the engine says:
the README cannot drift from the code (its Rust examples are doctests, its JS ones run in
tests/node/readme.test.js)."""

import json
import re

import pytest

from aftersales import Engine

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```(\w+)\n(.*?)```", README, flags=re.S)
PYTHON = [code for lang, code in BLOCKS if lang == "python"]
JSON = [json.loads(code) for lang, code in BLOCKS if lang == "json"]


def test_the_readme_has_examples():
    assert len(PYTHON) >= 3 and len(JSON) >= 2


@pytest.mark.parametrize("code", PYTHON, ids=[f"python-{i}" for i in range(len(PYTHON))])
def test_python_example_runs(code):
    exec(compile(code, "README.md", "exec"), {"__name__": "readme"})


def test_json_policy_example_loads(engine):
    policies = [doc for doc in JSON if "classification" in doc]
    assert policies
    for doc in policies:
        shop = Engine(doc)
        assert shop.policy()["version"] == doc["version"]
        assert shop.classify("It arrived kaputt")["primary"] == "damaged"


def test_json_result_example_is_the_engine_output(engine):
    (shown,) = [doc for doc in JSON if "primary" in doc]
    assert engine.classify("Where is my parcel? Order 112-4839201-1938201") == shown


def test_json_priority_and_sla_examples_load():
    patches = [doc for doc in JSON if "priority" in doc or "sla" in doc or "refund" in doc]
    assert len(patches) == 3
    for doc in patches:
        shop = Engine(doc)
        for key, value in doc.items():
            assert shop.policy()[key] != Engine().policy()[key] or key == "calendars"


def test_json_calendar_example_compiles(engine):
    (calendar,) = [doc for doc in JSON if "time_zone" in doc]
    assert engine.calendar(calendar).time_zone == "Europe/Berlin"
