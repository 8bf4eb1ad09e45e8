import json
from pathlib import Path

import pytest

import aftersales

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"


def load_cases(kind):
    cases = []
    for path in sorted((FIXTURES / kind).glob("*.json")):
        for case in json.loads(path.read_text(encoding="utf-8")):
            cases.append(pytest.param(case, id=f"{path.name}:{case['name']}"))
    return cases


@pytest.fixture(scope="session")
def engine():
    return aftersales.Engine()
