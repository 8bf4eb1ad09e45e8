"""The .pyi stubs list exactly the keys the engine returns (no drift between stubs and code)."""

import ast
from pathlib import Path

import aftersales

STUB = Path(aftersales.__file__).with_name("__init__.pyi")


def typed_dicts():
    tree = ast.parse(STUB.read_text(encoding="utf-8"))
    out = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and any(getattr(b, "id", None) == "TypedDict" for b in node.bases):
            out[node.name] = {s.target.id for s in node.body if isinstance(s, ast.AnnAssign)}
    return out


def test_stub_is_shipped_with_py_typed():
    assert STUB.exists()
    assert STUB.with_name("py.typed").exists()


def test_result_keys_match_the_stub(engine):
    td = typed_dicts()
    r = engine.classify(
        "Order 112-4839201-1938201: the box arrived crushed, not the colour I ordered either. "
        "I paid €49,90, write to ana@example.com. Tracking LX123456785CN. Lawyer next! The lid is not scratched.",
        subject="Refund",
    )
    assert set(r) == td["Classification"]
    assert set(r["categories"][0]) == td["CategoryScore"]
    assert set(r["categories"][0]["evidence"][0]) == td["Evidence"]
    assert set(r["escalation"][0]) == td["Escalation"]
    assert set(r["negated"][0]) == td["NegatedTerm"]
    assert set(r["entities"]) == td["Entities"]
    assert set(r["entities"]["order_ids"][0]) == td["OrderId"]
    assert set(r["entities"]["tracking_numbers"][0]) == td["TrackingNumber"]
    assert set(r["entities"]["emails"][0]) == td["EmailAddress"]
    assert set(r["entities"]["amounts"][0]) == td["MoneyAmount"]
    assert set(engine.info()) == td["EngineInfo"]
    p = engine.score_priority({"categories": ["damaged"]})
    assert set(p) == td["Priority"]
    assert set(p["reasons"][0]) == td["PriorityReason"]
    s = engine.sla({"level": "high", "created_at": "2026-11-23T09:00:00Z", "now": "2026-11-23T10:00:00Z"})
    assert set(s) == td["SlaReport"]
    assert set(s["metrics"][0]) == td["SlaMetric"]
    assert set(p["reasons"][0]["params"]) == {"category"}
    d = engine.evaluate_refund({
        "now": "2026-11-20T10:00:00Z", "complaint": "size_fit", "destination_country": "DE",
        "order": {"placed_at": "2026-11-01T09:00:00Z", "delivered_at": "2026-11-04T15:00:00Z",
                  "total": {"amount": "64.90", "currency": "EUR"}},
        "item": {"price": {"amount": "60.00", "currency": "EUR"}}})
    assert set(d) == td["RefundDecision"]
    assert set(d["return_window"]) == td["ReturnWindow"]
    assert set(d["trace"][0]) == td["RuleTrace"]
    assert set(d["trace"][0]["failed"]) == td["FailedCondition"]
    assert set(d["reasons"][0]) == td["RefundReason"]
    assert set(d["refund_amount"]) == td["Money"]
    t = engine.triage({"text": "The vase arrived broken", "created_at": "2026-11-23T09:00:00Z",
                       "now": "2026-11-23T10:00:00Z", "customer": {"country": "DE"},
                       "order": {"placed_at": "2026-11-01T09:00:00Z", "total": {"amount": "20.00", "currency": "EUR"}},
                       "item": {"price": {"amount": "20.00", "currency": "EUR"}}})
    assert set(t) == td["Triage"]
    assert set(t["reply_plan"]) == td["ReplyPlan"]
    assert set(t["refund"]) == td["RefundDecision"]
    err = engine.classify_batch([1])[0]
    assert set(err) == td["BatchError"]
    assert set(err["error"]) == td["BatchErrorDetail"]


def test_every_public_name_is_stubbed():
    tree = ast.parse(STUB.read_text(encoding="utf-8"))
    stubbed = {n.name for n in tree.body if isinstance(n, ast.ClassDef)} | {
        t.id for n in tree.body if isinstance(n, (ast.AnnAssign, ast.Assign)) for t in ([n.target] if isinstance(n, ast.AnnAssign) else n.targets)
    }
    for name in aftersales.__all__:
        assert name in stubbed, name
    engine_methods = {
        n.name for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Engine" for n in n.body if isinstance(n, ast.FunctionDef)
    }
    public = {m for m in dir(aftersales.Engine) if not m.startswith("_")}
    assert public <= engine_methods, public - engine_methods
    calendar_members = {
        n.name for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Calendar" for n in n.body if isinstance(n, ast.FunctionDef)
    }
    public = {m for m in dir(aftersales.Calendar) if not m.startswith("_")}
    assert public == calendar_members, public ^ calendar_members
