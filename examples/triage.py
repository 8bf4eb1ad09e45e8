"""Triage the sample tickets from Python (run by `make test`).

    python examples/triage.py
"""

import json
from pathlib import Path

from aftersales import Engine, Calendar

engine = Engine()  # the embedded default policy
lines = (Path(__file__).with_name("tickets.jsonl")).read_text(encoding="utf-8").splitlines()
tickets = [json.loads(line) for line in lines if line.strip()]

# One call per ticket…
t = engine.triage(tickets[0])
print(t["id"], t["classification"]["primary"], t["priority"]["level"], t["sla"]["next_deadline"],
      t["reply_plan"]["local_send_at"], t["reply_plan"]["reason"]["message"])
if t["refund"]:
    print("refund:", t["refund_complaint"], t["refund"]["outcome"], [r["code"] for r in t["refund"]["reasons"]])

# …or all at once, with the GIL released; a bad ticket yields an error entry and fails only itself.
results = engine.triage_batch(tickets + [{"text": "hello", "created_at": "yesterday", "now": "2026-11-20T08:00:00Z"}])
for r in results:
    if "error" in r:
        print(r["index"], r["error"]["kind"], r["error"]["field"])
    else:
        print(r["id"], r["classification"]["language"], r["priority"]["level"], r["reply_plan"]["local_send_at"])

# A compiled calendar handle serves as the team calendar too.
cn: Calendar = engine.calendar("cn_support")
print(engine.triage({**tickets[7], "team_calendar": cn})["reply_plan"]["local_send_at"])
