"""Classify customer messages from Python (run by `make test`).

    python examples/classify.py
"""

from aftersales import Engine, InvalidInputError

engine = Engine()  # the embedded default policy

result = engine.classify("My parcel arrived crushed and the vase is broken. Refund please!")
print(result["language"], result["primary"], [c["category"] for c in result["categories"]])
evidence = result["categories"][0]["evidence"][0]
print("evidence:", evidence["text"], evidence["start"], evidence["end"])

# Batches release the GIL; a bad item yields an error entry and fails only itself.
for item in engine.classify_batch(["¿Dónde está mi pedido?", {"text": "包裹还没到", "subject": "订单"}, 42]):
    print(item.get("primary") or item["error"]["message"])

# Errors are typed and name the field.
try:
    engine.classify("hello", language="english")
except InvalidInputError as err:
    print(err.kind, err.field)

# A policy adds phrases without restating the built-in lexicons.
shop = Engine({"classification": {"extra_phrases": {"damaged": {"en": ["smashed to bits"]}}}})
assert shop.classify("It came smashed to bits")["primary"] == "damaged"
