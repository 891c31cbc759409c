"""Drafting: the interface every drafter implements, and the offline rule-based summarizer.

The offline summarizer is what the desk uses without an AI key, and the fallback when the AI
fails. Its client-facing text is assembled only from the client's own service catalog and a
closed set of channel labels: nothing the provider sent can reach it, by construction.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.pipeline.flag_rules import Finding
from app.pipeline.model import NormalizedEvent
from db.vocab import EventType, ItemKind, Urgency

OFFLINE_DRAFTER = "offline-rules"

_CHANNELS = {
    "web_form": "the website form",
    "callrail": "a tracked phone line",
}
_FOLLOW_UP = {
    Urgency.EMERGENCY: "right away",
    Urgency.HIGH: "within the hour",
    Urgency.NORMAL: "within one business day",
    Urgency.LOW: "within two business days",
}


@dataclass(frozen=True)
class DraftRequest:
    event: NormalizedEvent
    kind: ItemKind
    client_name: str
    services: tuple[str, ...] = ()  # the client's service catalog, the only service names
    returning_lead: bool = False
    client_timezone: str = "UTC"


@dataclass(frozen=True)
class DraftResult:
    drafter: str
    internal_summary: str
    client_text: str
    next_action: str
    confidence: float
    input_hash: str
    findings: tuple[Finding, ...] = field(default_factory=tuple)
    model: str | None = None
    prompt_version: str | None = None
    latency_ms: int | None = None
    tokens_in: int | None = None
    tokens_out: int | None = None


class Drafter(Protocol):
    name: str

    def draft(self, request: DraftRequest) -> DraftResult: ...


def catalog_service(requested: str, services: tuple[str, ...]) -> str | None:
    """The catalog name that the requested service refers to, if any."""
    wanted = requested.lower()
    if not wanted:
        return None
    for name in services:
        lowered = name.lower()
        if lowered in wanted or wanted in lowered:
            return name
    return None


def in_sentence(name: str) -> str:
    """``Drain cleaning`` -> ``drain cleaning``, but ``AC installation`` stays as it is."""
    if len(name) > 1 and name[0].isupper() and not name[1].isupper():
        return name[0].lower() + name[1:]
    return name


def local_day(moment: datetime, timezone: str) -> str:
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return moment.astimezone(zone).strftime("%a %b %d")


def request_hash(request: DraftRequest) -> str:
    event = request.event
    basis = "|".join(
        (event.idempotency_key, request.kind, event.service, event.free_text, event.urgency)
    )
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()


class OfflineSummarizer:
    """Deterministic summaries from the normalized fields; labelled as offline in the desk."""

    name = OFFLINE_DRAFTER

    def draft(self, request: DraftRequest) -> DraftResult:
        event = request.event
        service = catalog_service(event.service, request.services)
        channel = _CHANNELS.get(event.provider, "an online channel")
        day = local_day(event.occurred_at, request.client_timezone)
        follow_up = _FOLLOW_UP[event.urgency]
        what = in_sentence(service) if service else "a service"
        if event.type == EventType.CALL_MISSED:
            who = "A returning caller" if request.returning_lead else "A new caller"
            client_text = (
                f"{who} reached {request.client_name} through {channel} on {day} and the call "
                f"was missed. A callback is being arranged {follow_up}."
            )
            next_action = f"Call back {follow_up}; send the missed-call text if still unreached."
        elif event.type == EventType.QUOTE_REQUESTED:
            client_text = (
                f"A quote was requested for {what} through {channel} on {day}. "
                f"The team will confirm scope and follow up {follow_up}."
            )
            next_action = "Confirm scope and timeline; prepare the quote."
        else:
            client_text = (
                f"A new inquiry about {what} arrived through {channel} on {day}. "
                f"The team will follow up {follow_up}."
            )
            next_action = f"Contact the lead {follow_up}."
        contact = event.contact
        who_internal = contact.name or contact.phone or contact.email or "unknown contact"
        internal = (
            f"{event.type} from {event.provider} ({event.source or 'no source'}): "
            f"{who_internal}; service '{event.service or 'not given'}'; "
            f"urgency {event.urgency}."
        )
        if event.free_text:
            internal += f" They wrote or said: {event.free_text[:500]}"
        confidence = 0.8 if service else 0.5
        return DraftResult(
            drafter=self.name,
            internal_summary=internal,
            client_text=client_text,
            next_action=next_action,
            confidence=confidence,
            input_hash=request_hash(request),
        )
