"""Plain data passed between pipeline stages. No database, no I/O."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from db.vocab import Consent, EventType, Urgency


class Quarantined(Exception):
    """A delivery the desk cannot use. ``reason`` is shown to operators, so it names the
    problem without echoing raw payload text."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class RawDelivery:
    provider: str
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)
    content_type: str = "application/json"
    received_at: datetime | None = None

    @classmethod
    def of(cls, row: Any) -> RawDelivery:
        """From a stored ``webhook_events`` row (claimed by the poller or loaded again): the
        one way a stored delivery becomes a normalizer's input."""
        headers = row.headers if isinstance(row.headers, dict) else {}
        return cls(
            provider=row.provider,
            body=bytes(row.body or b""),
            headers={str(k): str(v) for k, v in headers.items()},
            content_type=row.content_type,
            received_at=row.received_at,
        )


@dataclass(frozen=True)
class Contact:
    name: str = ""
    phone: str | None = None  # E.164 when it parsed, else None
    email: str | None = None
    # Digits dialled after the number is answered (HomeAdvisor's ``phoneExt``, "x123" in a
    # number). Kept apart from ``phone`` so E.164 matching is unchanged; internal only.
    phone_extension: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.phone or self.email)


@dataclass(frozen=True)
class NormalizedEvent:
    """One event of DESIGN.md's table, with the fields it carries in ``data``.

    ``idempotency_key`` is ``provider:kind:<provider id>`` or ``provider:kind:sha256:<hash>``.
    ``free_text`` is what the person wrote or said (internal only, used for flags and the
    internal summary, never copied into client-facing text). ``account_ref`` is the
    provider-side account the delivery belongs to (a CallRail company id, the Twilio number
    called, a Thumbtack business id...): the desk finds the client from it when the intake
    did not say.
    """

    type: EventType
    provider: str
    idempotency_key: str
    occurred_at: datetime
    contact: Contact = Contact()
    service: str = ""
    source: str = ""
    urgency: Urgency = Urgency.NORMAL
    consent: Consent = Consent.UNKNOWN
    attribution: Mapping[str, str] = field(default_factory=dict)
    free_text: str = ""
    account_ref: str = ""
    data: Mapping[str, Any] = field(default_factory=dict)
