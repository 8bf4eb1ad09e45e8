"""Type stubs of the aftersales package. tests/python/test_stubs.py checks that every TypedDict
here lists exactly the keys the engine returns."""

import os
from datetime import datetime
from decimal import Decimal
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

Instant = Union[datetime, str]
"""An aware ``datetime`` (naive ones are refused) or an RFC 3339 string with an offset."""

class Money(TypedDict):
    """An exact amount: ``amount`` a decimal string with the currency's digits (``Decimal`` and
    ``int`` are accepted on input), ``currency`` an ISO 4217 code."""

    amount: str
    currency: str

class MoneyInput(TypedDict):
    amount: Union[str, int, Decimal]
    currency: str

class CustomerFacts(TypedDict, total=False):
    tier: str
    lifetime_value: MoneyInput
    orders_count: int
    abuse_flag: bool

class OrderFacts(TypedDict, total=False):
    total: MoneyInput
    marketplace: str

class PriorityInput(TypedDict, total=False):
    """The request of ``score_priority``: ``classification`` (a classify result) or
    ``categories`` / ``escalation`` / ``sentiment``, and optional facts."""

    classification: Classification
    categories: Sequence[Union[Category, Mapping[str, Any]]]
    escalation: Sequence[Union[EscalationSignal, Mapping[str, Any]]]
    sentiment: Sentiment
    customer: CustomerFacts
    order: OrderFacts
    contact_count: int
    shipment_anomaly: Union[bool, str]
    sla_remaining_seconds: int

class PriorityReason(TypedDict):
    """Points for one factor, with a stable ``code``, the ``params`` of its ``message``."""

    factor: str
    points: int
    code: str
    params: Dict[str, Any]
    message: str

class Priority(TypedDict):
    score: int
    level: str
    reasons: List[PriorityReason]

class InlineCalendar(TypedDict, total=False):
    """A calendar written out (SPEC §6): ``time_zone``, ``hours`` per weekday (``mon``…``sun``),
    ``holidays`` and ``overrides``."""

    time_zone: str
    hours: Mapping[str, Sequence[str]]
    holidays: Sequence[Union[str, Mapping[str, Any]]]
    overrides: Mapping[str, Sequence[str]]

class SlaEvent(TypedDict, total=False):
    at: Instant
    type: Literal["agent_reply", "customer_reply", "status"]
    status: Literal["open", "pending", "on_hold", "solved", "closed"]

class SlaInput(TypedDict, total=False):
    level: str
    created_at: Instant
    now: Instant
    calendar: Union[str, InlineCalendar, "Calendar"]
    events: Sequence[SlaEvent]

class SlaMetric(TypedDict):
    """One metric; seconds on its own clock (business seconds for a business-time target)."""

    metric: Literal["first_reply", "next_reply", "resolution"]
    target_seconds: int
    business_hours: bool
    calendar: Optional[str]
    status: Literal["active", "paused", "achieved", "breached"]
    due_at: Optional[datetime]
    achieved_at: Optional[datetime]
    elapsed_seconds: int
    remaining_seconds: int
    breached_by_seconds: int
    breach_count: Optional[int]

class SlaReport(TypedDict):
    metrics: List[SlaMetric]
    next_deadline: Optional[datetime]
    breached: bool

CalendarArg = Union[str, InlineCalendar, "Calendar"]

class ReplyCustomer(TypedDict, total=False):
    time_zone: Optional[str]
    country: Optional[str]
    language: Optional[str]

class ReplyWindow(TypedDict):
    start: str
    """Local ``"HH:MM"``; after ``end`` the window runs past midnight."""
    end: str

class ReplyRequest(TypedDict, total=False):
    now: Instant
    customer: Optional[ReplyCustomer]
    window: Optional[ReplyWindow]
    deadline: Optional[Instant]
    urgency: Optional[str]
    team_calendar: Optional[CalendarArg]
    holidays: Optional[Sequence[Union[str, Mapping[str, Any]]]]

class ReplyReason(TypedDict):
    code: str
    message: str

class ReplyPlan(TypedDict):
    send_at: datetime
    local_send_at: str
    """RFC 3339 with the customer's offset."""
    time_zone: str
    time_zone_source: Literal["given", "country", "language", "fallback"]
    country: Optional[str]
    weekend: List[str]
    window: ReplyWindow
    decision: Literal["send_now", "deferred", "deadline_override", "urgent_override"]
    delay_seconds: int
    reason: ReplyReason

RefundOutcome = str
"""``"full_refund"``, ``"partial_refund"``, ``"returnless_refund"``, ``"replacement"``,
``"exchange"``, ``"store_credit"``, ``"return_then_refund"``, ``"deny"``, ``"manual_review"``."""

class RefundOrder(TypedDict, total=False):
    id: str
    placed_at: Instant
    delivered_at: Optional[Instant]
    total: MoneyInput
    shipping_paid: MoneyInput
    marketplace: str

class RefundItem(TypedDict, total=False):
    sku: str
    price: MoneyInput
    quantity: int
    tags: Sequence[str]

class RefundCaseInput(TypedDict, total=False):
    """The case of ``evaluate_refund`` (SPEC §7)."""

    now: Instant
    complaint: Category
    destination_country: str
    order: RefundOrder
    item: RefundItem
    evidence: Mapping[str, bool]
    return_shipping_cost: MoneyInput
    customer: Mapping[str, Any]
    shipment_status: str
    holidays: Sequence[str]

class ReturnWindow(TypedDict):
    days: int
    basis: Literal["delivery", "order_plus_transit", "not_delivered"]
    source: str
    deadline: Optional[datetime]
    open: bool
    statutory: bool

class FailedCondition(TypedDict):
    path: str
    fact: Optional[str]
    op: Optional[str]
    code: str
    actual: Optional[str]
    message: str

class RuleTrace(TypedDict):
    rule: str
    matched: bool
    failed: Optional[FailedCondition]

class RefundReason(TypedDict):
    code: str
    params: Dict[str, Any]
    message: str

class RefundDecision(TypedDict):
    outcome: RefundOutcome
    refund_amount: Optional[Money]
    store_credit_bonus: Optional[Money]
    requires: List[str]
    auto_approve: bool
    return_window: ReturnWindow
    rule: Optional[str]
    trace: List[RuleTrace]
    reasons: List[RefundReason]

class TicketCustomer(TypedDict, total=False):
    """A ticket's customer: where they are (reply plan), how priority rates them, their claims."""

    id: Union[str, int]
    name: str
    country: str
    time_zone: str
    language: str
    tier: str
    lifetime_value: MoneyInput
    orders_count: int
    abuse_flag: bool
    refunds_last_365d: int

class Ticket(TypedDict, total=False):
    """The input of ``triage`` (SPEC §9). ``text``, ``created_at`` and ``now`` are required; the
    refund is decided when ``item.price``, ``order.placed_at``, ``order.total`` and a destination
    (``destination_country`` or ``customer.country``) are given; else it is None."""

    id: Union[str, int]
    text: str
    subject: Optional[str]
    language: Optional[str]
    created_at: Instant
    now: Instant
    customer: TicketCustomer
    order: RefundOrder
    item: RefundItem
    evidence: Mapping[str, bool]
    return_shipping_cost: MoneyInput
    destination_country: str
    shipment_status: str
    shipment_anomaly: Union[bool, str]
    contact_count: int
    events: Sequence[SlaEvent]
    calendar: CalendarArg
    team_calendar: CalendarArg
    holidays: Sequence[str]

class Triage(TypedDict):
    """Everything ``triage`` says about a ticket."""

    id: Union[str, int, None]
    classification: Classification
    priority: Priority
    sla: SlaReport
    reply_plan: ReplyPlan
    refund_complaint: Optional[Category]
    """The category the refund was decided for; None without a refund decision."""
    refund: Optional[RefundDecision]

class Calendar:
    """A compiled business calendar, from ``Engine.calendar``: the fast way to do business-time
    arithmetic on one calendar again and again."""

    @property
    def name(self) -> Optional[str]:
        """The policy calendar's name, or None for an inline calendar."""
    @property
    def time_zone(self) -> str:
        """The IANA time zone of the calendar's hours."""
    def add_business_time(self, start: Instant, seconds: int) -> datetime:
        """The aware UTC datetime at which ``seconds`` of business time after ``start`` are used
        up (a closing time when used up exactly at closing)."""
    def business_time_between(self, start: Instant, end: Instant) -> int:
        """Business seconds (rounded down) between two instants."""

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
        """Classifies many messages, decided without the GIL (on worker threads while this one
        builds results, when there are several cores); one entry per item, in order; an item
        that fails yields a BatchError entry and fails only itself."""
    def score_priority(self, input: PriorityInput) -> Priority:
        """Scores a ticket's priority: points per factor from the policy, reasons that add up to
        the score, the level whose cut-off it reaches."""
    def sla(self, input: SlaInput) -> SlaReport:
        """Computes the SLA metrics of a ticket at ``now`` from its event log. Raises
        InvalidInputError naming ``events[i].at`` for an event outside ``created_at..now``."""
    def schedule_reply(self, request: ReplyRequest) -> ReplyPlan:
        """When to send a reply: in the customer's window on their working days, with the team
        calendar open too if given; urgency and deadlines the window would miss override it.
        Raises UnknownTimeZoneError naming ``customer.time_zone``, InvalidInputError naming
        ``window``, ``urgency`` or ``team_calendar``."""
    def evaluate_refund(self, case: RefundCaseInput) -> RefundDecision:
        """Decides a refund request: the policy's rules (first match), the buyer's statutory
        rights as the floor, exact money, a trace and reasons."""
    def evaluate_refund_batch(
        self, cases: Sequence[RefundCaseInput], *, explain: bool = True
    ) -> List[Union[RefundDecision, BatchError]]:
        """Decides many cases with the GIL released; one entry per case, in order. With
        ``explain=False`` the trace is left out (``[]``) and messages are empty; outcome,
        money, window, ``rule`` and reason codes and params are the same."""
    def triage(self, ticket: Ticket) -> Triage:
        """Classification, priority (without the SLA factor), SLA, reply plan with the SLA's
        next deadline, and the refund decision when the ticket carries the order facts
        (``item.price``, ``order.placed_at``, ``order.total``, a destination), in one call.
        Errors name the ticket's field (``events[2].at``, ``customer.time_zone``)."""
    def triage_batch(self, tickets: Sequence[Ticket]) -> List[Union[Triage, BatchError]]:
        """Triages many tickets, decided without the GIL (on worker threads while this one
        builds results, when there are several cores); one entry per ticket, in order, a bad
        ticket yielding ``{"error": {...}, "index": i}``."""
    def calendar(self, name_or_inline: Union[str, InlineCalendar]) -> Calendar:
        """A compiled calendar: a policy calendar by name, or an inline calendar."""
    def add_business_time(self, start: Instant, seconds: int, calendar: CalendarArg) -> datetime:
        """``seconds`` of business time after ``start`` on ``calendar``, as an aware UTC datetime."""
    def business_time_between(self, start: Instant, end: Instant, calendar: CalendarArg) -> int:
        """Business seconds between two instants on ``calendar``."""
    def policy(self) -> Dict[str, Any]:
        """The effective policy; complete (``"extends": "none"``), so it can be loaded back."""
    def info(self) -> EngineInfo:
        """Library, policy and data versions, to store beside decisions."""
