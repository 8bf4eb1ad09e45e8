#!/usr/bin/env python3
"""Quick format check for core/data/lexicons/*.txt (the Rust loader is the real judge).

Usage: tools/check_lexicon.py core/data/lexicons/xx.txt [...]
"""
import re
import sys

CATEGORIES = {
    "not_received", "delivery_delay", "damaged", "defective", "wrong_item", "missing_item",
    "not_as_described", "size_fit", "return_request", "refund_request", "cancellation",
    "payment_billing", "customs_duties", "order_change",
}
SIGNALS = {"legal_threat", "chargeback_threat", "review_threat", "repeat_contact",
           "abusive_language", "urgent"}
FIXED = {"negation.before", "negation.after", "clause_break", "sentiment.positive",
         "sentiment.negative", "intensifier", "cue.order", "cue.tracking"}


def valid_section(name):
    if name in FIXED:
        return True
    kind, _, rest = name.partition(".")
    if kind in ("category", "block"):
        return rest in CATEGORIES
    if kind == "escalation":
        return rest in SIGNALS
    return False


def check(path):
    errors = []
    section = None
    seen = {}
    counts = {}
    for n, raw in enumerate(open(path, encoding="utf-8"), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        m = re.fullmatch(r"\[([a-z_.]+)\]", line)
        if m:
            section = m.group(1)
            if not valid_section(section):
                errors.append(f"{path}:{n}: unknown section [{section}]")
            continue
        if section is None:
            errors.append(f"{path}:{n}: entry before any section")
            continue
        phrase, sep, weight = line.rpartition(" = ")
        if not sep:
            phrase, weight = line, "1"
        try:
            w = float(weight)
            if not 0.25 <= w <= 3:
                raise ValueError
        except ValueError:
            errors.append(f"{path}:{n}: weight must be a number from 0.25 to 3: {line!r}")
        if len(phrase.split(" + ")) > 3:
            errors.append(f"{path}:{n}: at most three parts joined with ' + ': {line!r}")
        for part in phrase.split(" + "):
            part = part.strip()
            core = part.strip("*")
            if not core.strip():
                errors.append(f"{path}:{n}: empty phrase part: {line!r}")
            if "*" in core:
                errors.append(f"{path}:{n}: '*' only at the start or end: {line!r}")
        key = (section, phrase.lower())
        if key in seen:
            errors.append(f"{path}:{n}: duplicate of line {seen[key]}: {line!r}")
        seen[key] = n
        counts[section] = counts.get(section, 0) + 1
    return errors, counts


if __name__ == "__main__":
    bad = False
    for p in sys.argv[1:]:
        errs, counts = check(p)
        for e in errs:
            print(e)
        bad |= bool(errs)
        missing = [f"category.{c}" for c in sorted(CATEGORIES) if f"category.{c}" not in counts]
        missing += [f"escalation.{s}" for s in sorted(SIGNALS) if f"escalation.{s}" not in counts]
        missing += [s for s in ("negation.before", "sentiment.positive", "sentiment.negative",
                                "cue.order", "cue.tracking") if s not in counts]
        print(f"{p}: {sum(counts.values())} entries in {len(counts)} sections"
              + (f"; missing sections: {', '.join(missing)}" if missing else ""))
        bad |= bool(missing)
    sys.exit(1 if bad else 0)
