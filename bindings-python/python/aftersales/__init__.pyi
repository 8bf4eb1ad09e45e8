"""Type stubs of the aftersales package. tests/python/test_stubs.py checks that every TypedDict
here lists exactly the keys the engine returns."""

import os
from typing import Any, Dict, List, Literal, Mapping, Optional, Sequence, TypedDict, Union

__version__: str

Category = str
"""A base category (``"not_received"``, ``"damaged"``, …, ``"other"``) or one the policy added."""

Sentiment = Literal["very_negative", "negative", "neutral", "positive", "very_positive"]
EscalationSignal = str
"""``"legal_threat"``, ``"chargeback_threat"``, ``"review_threat"``, ``"repeat_contact"``,
``"abusive_language"`` or ``"urgent"``."""
Script = Literal["Latn", "Cyrl", "Arab", "Thai", "Kore", "Jpan", "Hans", "Hant", "Zzzz", "Zyyy"]
TextField = Literal["text", "subject"]
ErrorKind = Literal[
    "invalid_input",
    "invalid_policy",
    "unknown_time_zone",
    "unknown_currency",
    "currency_mismatch",
    "limit_exceeded",
]

class Evidence(TypedDict):
    """A span of the input that supports a decision; offsets are code points into ``field``."""

    text: str
    start: int
    end: int
    field: TextField
    lexicon: Optional[str]
    weight: float

class CategoryScore(TypedDict):
    category: Category
    confidence: float
    evidence: List[Evidence]

class Escalation(TypedDict):
    signal: EscalationSignal
    evidence: List[Evidence]

class NegatedTerm(TypedDict):
    category: Optional[Category]
    text: str
    start: int
    end: int
    field: TextField
    negator: str

class OrderId(TypedDict):
    text: str
    start: int
    end: int
    field: TextField
    value: str
    format: str

class TrackingNumber(TypedDict):
    text: str
    start: int
    end: int
    field: TextField
    value: str
    carrier: str
    check_digit_valid: Optional[bool]

class EmailAddress(TypedDict):
    text: str
    start: int
    end: int
    field: TextField
    value: str

class MoneyAmount(TypedDict):
    text: str
    start: int
    end: int
    field: TextField
    amount: str
    currency: Optional[str]

class Entities(TypedDict):
    order_ids: List[OrderId]
    tracking_numbers: List[TrackingNumber]
    emails: List[EmailAddress]
    amounts: List[MoneyAmount]

class Classification(TypedDict):
    language: str
    language_confidence: float
    script: Script
    categories: List[CategoryScore]
    primary: Category
    sentiment: Sentiment
    sentiment_score: float
    escalation: List[Escalation]
    entities: Entities
    negated: List[NegatedTerm]

class EngineInfo(TypedDict):
    library: str
    library_version: str
    policy_version: str
    policy_hash: str
    languages: List[str]
    categories: List[Category]
    tzdb_version: Optional[str]
    law_as_of: Optional[str]

class BatchErrorDetail(TypedDict):
    kind: ErrorKind
    code: str
    field: Optional[str]
    message: str

class BatchError(TypedDict):
    error: BatchErrorDetail
    index: int

class ClassifyItem(TypedDict, total=False):
    text: str
    subject: Optional[str]
    language: Optional[str]
    country: Optional[str]

class AftersalesError(ValueError):
    """Base class of every error raised by aftersales."""

    kind: ErrorKind
    code: str
    field: Optional[str]
    message: str

class InvalidInputError(AftersalesError): ...
class InvalidPolicyError(AftersalesError): ...
class UnknownTimeZoneError(AftersalesError): ...
class UnknownCurrencyError(AftersalesError): ...
class CurrencyMismatchError(AftersalesError): ...
class LimitExceededError(AftersalesError): ...

class Engine:
    """The after-sales engine: built once from a policy, immutable, safe to share between
    threads, picklable."""

    def __init__(self, policy: Union[Mapping[str, Any], str, None] = None) -> None:
        """Builds an engine from a policy (a dict or a JSON string) applied onto the embedded
        default as a JSON Merge Patch; with no policy, the default. Raises InvalidPolicyError
        naming the JSON path of the first problem."""
    @staticmethod
    def from_file(path: Union[str, "os.PathLike[str]"]) -> "Engine":
        """Builds an engine from a policy file: ``.toml`` as TOML, anything else as JSON."""
    def classify(
        self,
        text: str,
        *,
        subject: Optional[str] = None,
        language: Optional[str] = None,
        country: Optional[str] = None,
    ) -> Classification:
        """Classifies one message. Raises InvalidInputError (wrong type, lone surrogates,
        malformed hint) or LimitExceededError (text over ``limits.max_text_bytes``)."""
    def classify_batch(
        self, items: Sequence[Union[str, ClassifyItem]]
    ) -> List[Union[Classification, BatchError]]:
        """Classifies many messages with the GIL released; one entry per item, in order; an
        item that fails yields a BatchError entry and fails only itself."""
    def policy(self) -> Dict[str, Any]:
        """The effective policy; complete (``"extends": "none"``), so it can be loaded back."""
    def info(self) -> EngineInfo:
        """Library, policy and data versions, to store beside decisions."""
