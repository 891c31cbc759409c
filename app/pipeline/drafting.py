"""Drafting: the interface every drafter implements, and the offline rule-based summarizer.

The offline summarizer is what the desk uses without an AI key, and the fallback when the AI
fails. Its client-facing text is assembled only from the client's own service catalog,
approved message templates, a closed set of channel labels and provider metrics: nothing a
lead or provider wrote can reach it, by construction.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.pipeline.fields import iso_moment
from app.pipeline.flag_rules import Finding
from app.pipeline.model import NormalizedEvent
from db.vocab import EventType, ItemKind, Urgency

OFFLINE_DRAFTER = "offline-rules"

_CHANNELS = {
    "web_form": "the website form",
    "callrail": "a tracked phone line",
    "twilio": "the business phone line",
    "thumbtack": "Thumbtack",
    "angi": "Angi",
    "homeadvisor": "HomeAdvisor",
    "google_ads": "a Google Ads lead form",
    "meta_leads": "a Facebook or Instagram lead ad",
}
_FOLLOW_UP = {
    Urgency.EMERGENCY: "right away",
    Urgency.HIGH: "within the hour",
    Urgency.NORMAL: "within one business day",
    Urgency.LOW: "within two business days",
}
_FIRST_NAME = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ÿ'-]{1,30}$")


@dataclass(frozen=True)
class Template:
    """An approved message template, as the drafter needs it."""

    id: int
    channel: str
    body: str
    opt_out_text: str


_SPACES = re.compile(r"\s+")


def has_opt_out_wording(text: str, phrase: str) -> bool:
    """Case- and whitespace-tolerant; a trailing full stop of the phrase is optional."""
    wanted = _SPACES.sub(" ", phrase).strip().casefold().rstrip(".!")
    return not wanted or wanted in _SPACES.sub(" ", text).casefold()


def with_opt_out_wording(body: str, template: Template | None) -> str:
    """A message's text with its template's opt-out wording, added at the end when missing
    (an AI draft may leave it out; approval refuses a message without it)."""
    if template is None or not template.opt_out_text.strip() or has_opt_out_wording(body, template.opt_out_text):
        return body
    return f"{body.rstrip()} {template.opt_out_text.strip()}"


@dataclass(frozen=True)
class Snippet:
    """An approved snippet, as the drafter needs it."""

    id: int
    title: str
    body: str


@dataclass(frozen=True)
class DraftRequest:
    event: NormalizedEvent
    kind: ItemKind
    client_name: str
    services: tuple[str, ...] = ()  # the client's service catalog, the only service names
    returning_lead: bool = False
    client_timezone: str = "UTC"
    urgency: Urgency = Urgency.NORMAL
    template: Template | None = None  # required for messages
    snippets: tuple[Snippet, ...] = ()  # approved material an AI draft may use
    instruction: str = ""  # a reviewer's "shorter", "mention the Tuesday slot"
    previous_text: str = ""  # the draft the instruction is about


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
    template_id: int | None = None
    snippet_ids: tuple[int, ...] = ()  # the approved snippets the text relies on

    @property
    def grounding(self) -> dict[str, object]:
        return {"template_id": self.template_id, "snippet_ids": list(self.snippet_ids)}


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


def first_name(full_name: str) -> str:
    """The greeting name for a message to the lead: their first name, or nothing odd."""
    first = full_name.strip().split(" ")[0] if full_name.strip() else ""
    return first if _FIRST_NAME.match(first) else "there"


def request_hash(request: DraftRequest) -> str:
    event = request.event
    basis = "|".join(
        (
            event.idempotency_key,
            request.kind,
            event.service,
            event.free_text,
            request.urgency,
            str(request.template.id if request.template else ""),
        )
    )
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()


def internal_summary(request: DraftRequest) -> str:
    event = request.event
    contact = event.contact
    who = contact.name or contact.phone or contact.email or "unknown contact"
    summary = (
        f"{event.type} from {event.provider} ({event.source or 'no source'}): {who}; "
        f"service '{event.service or 'not given'}'; urgency {request.urgency}."
    )
    if event.free_text:
        summary += f" They wrote or said: {event.free_text[:1000]}"
    return summary


class OfflineSummarizer:
    """Deterministic drafts from the normalized fields; labelled as offline in the desk."""

    name = OFFLINE_DRAFTER

    def draft(self, request: DraftRequest) -> DraftResult:
        if request.kind == ItemKind.MESSAGE:
            client_text, next_action, confidence = self._message(request)
        elif request.kind == ItemKind.REPORT_NOTE:
            client_text, next_action, confidence = self._report(request)
        else:
            client_text, next_action, confidence = self._portal_note(request)
        return DraftResult(
            drafter=self.name,
            internal_summary=internal_summary(request),
            client_text=client_text,
            next_action=next_action,
            confidence=confidence,
            input_hash=request_hash(request),
            template_id=request.template.id if request.template else None,
        )

    @staticmethod
    def _portal_note(request: DraftRequest) -> tuple[str, str, float]:
        event = request.event
        service = catalog_service(event.service, request.services)
        channel = _CHANNELS.get(event.provider, "an online channel")
        day = local_day(event.occurred_at, request.client_timezone)
        follow_up = _FOLLOW_UP[request.urgency]
        what = in_sentence(service) if service else "a service"
        confidence = 0.8 if service else 0.5
        if event.type == EventType.CALL_MISSED:
            who = "A returning caller" if request.returning_lead else "A new caller"
            return (
                f"{who} reached {request.client_name} through {channel} on {day} and the call "
                f"was missed. A callback is being arranged {follow_up}.",
                f"Call back {follow_up}; send the missed-call text if still unreached.",
                0.8,
            )
        if event.type == EventType.QUOTE_REQUESTED:
            return (
                f"A quote was requested for {what} through {channel} on {day}. "
                f"The team will confirm scope and follow up {follow_up}.",
                "Confirm scope and timeline; prepare the quote.",
                confidence,
            )
        return (
            f"A new inquiry about {what} arrived through {channel} on {day}. The team will follow up {follow_up}.",
            f"Contact the lead {follow_up}.",
            confidence,
        )

    @staticmethod
    def _message(request: DraftRequest) -> tuple[str, str, float]:
        template = request.template
        if template is None:
            raise ValueError("a message draft needs an approved template")
        service = catalog_service(request.event.service, request.services)
        values = {
            "first_name": first_name(request.event.contact.name),
            "client_name": request.client_name,
            "service": in_sentence(service) if service else "your request",
        }
        body = with_opt_out_wording(template.body.format_map(_Placeholders(values)).strip(), template)
        return body, f"Send by {template.channel} once approved.", 0.85 if service else 0.7

    @staticmethod
    def _report(request: DraftRequest) -> tuple[str, str, float]:
        data = request.event.data
        label = _CHANNELS.get(str(data.get("marketplace", "")), request.event.source or "Provider")
        parts = []
        for metric in data.get("metrics", []) or []:
            if isinstance(metric, dict) and isinstance(metric.get("value"), (int, float)):
                parts.append(_metric_phrase(str(metric.get("metric", "")), float(metric["value"])))
        period = _period(data, request.client_timezone)
        if not parts:
            text = f"{label} data was refreshed{period}; no new figures to report."
            return text, "File with the client's report; nothing to act on.", 0.6
        text = f"{label}{period}: " + ", ".join(parts) + "."
        return text, "Add to the client's next report.", 0.9


class _Placeholders(dict[str, str]):
    """Unknown placeholders stay visible as written, so a reviewer sees them."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _metric_phrase(metric: str, value: float) -> str:
    if metric == "ctr":
        return f"click-through rate {value:.1%}"
    if metric == "position":
        return f"average position {value:.1f}"
    if metric in ("spend", "cost_per_lead"):
        return f"{metric.replace('_', ' ')} ${value:,.2f}"
    return f"{value:,.0f} {metric.replace('_', ' ')}"


def _period(data: object, timezone: str) -> str:
    """ " from Mon Nov 16 to Sun Nov 22". A date ("2026-11-22") is a day as written and its
    end is inclusive; a moment ("2026-11-23T00:00:00-06:00") ends its period exclusively, so
    the last day shown is the one before it, in the client's zone."""
    if not isinstance(data, dict):
        return ""
    days = []
    for key in ("period_start", "period_end"):
        value = data.get(key)
        if not isinstance(value, str):
            return ""
        if len(value) == 10:
            try:
                days.append(date.fromisoformat(value).strftime("%a %b %d"))
            except ValueError:
                return ""
            continue
        moment = iso_moment(value, naive_is_utc=True)
        if moment is None:
            return ""
        if key == "period_end":
            moment -= timedelta(seconds=1)
        days.append(local_day(moment, timezone))
    return f" from {days[0]} to {days[1]}"
