"""After-sales service logic for cross-border shops.

One immutable :class:`Engine`, built once from a policy, classifies customer messages in 17
languages (categories with evidence, language, sentiment, escalation signals, order and tracking
numbers), scores priorities, computes SLAs on business calendars (:class:`Calendar`). Instants are
aware ``datetime`` objects (naive ones are refused); money amounts ``Decimal``, ``int`` or decimal
strings. Every error is an :class:`AftersalesError` (a ``ValueError``) carrying ``.kind``,
``.code`` and ``.field``.
"""

from ._aftersales import (
    AftersalesError,
    Calendar,
    CurrencyMismatchError,
    Engine,
    InvalidInputError,
    InvalidPolicyError,
    LimitExceededError,
    UnknownCurrencyError,
    UnknownTimeZoneError,
    __version__,
)

__all__ = [
    "AftersalesError",
    "Calendar",
    "CurrencyMismatchError",
    "Engine",
    "InvalidInputError",
    "InvalidPolicyError",
    "LimitExceededError",
    "UnknownCurrencyError",
    "UnknownTimeZoneError",
    "__version__",
]
