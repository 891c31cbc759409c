"""Shared by the marketplace lead normalizers (Thumbtack, Angi, HomeAdvisor).

Marketplaces send a lead as a customer description plus an interview of question/answer pairs.
``MarketplaceLead`` is what a provider module reads out of its own payload; ``lead_events``
turns it into ``lead.created`` and, for a quote request, ``quote.requested``.

Rules kept in one place so the three providers agree:

* The street line never leaves the payload: ``location`` is city, state and ZIP only.
* ``timeline`` is the answer to the interview's timing question (else the provider's own
  schedule field); urgency comes from it alone, never from the free-text description, where
  "not an emergency" would read as one.
* ``budget`` is a number only when the customer gave one amount; a range stays in
  ``budget_text``. A stated budget makes the lead a quote request, as does an explicit quote
  lead type (``quote_requested``).

``feed_lead_events`` reads the Angi Lead Integration API post, which is the HomeAdvisor JSON
Lead Feed under Angi's name: both modules call it with their own provider and source label.
Its ``interview`` is a list of ``{"question", "answer"}`` objects in the JSON feed, and one text
of ``Question:Answer;`` pairs in older feeds (LeadConduit's HomeAdvisor field list calls it a
"delimited question & answer presentation"): ``interview`` reads both.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any

from app.pipeline import fields as f
from app.pipeline.model import Contact, NormalizedEvent, Quarantined, RawDelivery
from app.pipeline.payload import parse_json_object
from db.vocab import Consent, EventType, Urgency

Answers = tuple[tuple[str, str], ...]

# Interview questions whose answer is the customer's timeline ("When do you need this done?",
# "Desired Completion Date" in Angi's feed instructions).
_TIMING_WORDS = (
    "when ",
    "timeline",
    "timeframe",
    "time frame",
    "how soon",
    "begin",
    "start",
    "schedul",
    "urgency",
    "completion date",
)
_CALM = ("not urgent", "not an emergency", "non-emergency", "no rush")
_HIGH = (
    "urgent",
    "asap",
    "as soon as possible",
    "immediately",
    "right away",
    "today",
    "within 24 hours",
    "within 48 hours",
    "1-2 days",
)
_ONE_AMOUNT = re.compile(r"^\$?\s*\d[\d,]*(\.\d+)?$")
MAX_TEXT_CHARS = 20_000
MAX_QUESTION_CHARS = 500
MAX_ANSWER_CHARS = 2000


@dataclass(frozen=True)
class MarketplaceLead:
    """One marketplace lead, read and type-checked by its provider module."""

    provider: str
    source: str
    lead_id: str
    occurred_at: datetime
    contact: Contact
    service: str
    account_ref: str
    description: str
    answers: Answers
    location: Mapping[str, str]
    attribution: Mapping[str, str]
    consent: Consent = Consent.UNKNOWN
    lead_price: float | None = None
    schedule: str = ""
    scope: str = ""
    photos: int = 0
    quote_requested: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict)


def answers(container: Mapping[str, Any], key: str) -> Answers:
    """A list of ``{"question", "answer"}`` objects; unanswered questions are dropped."""
    items = container.get(key)
    if items is None:
        return ()
    if not isinstance(items, list):
        raise Quarantined(f"field {key!r} must be a list")
    pairs: list[tuple[str, str]] = []
    for item in items:
        if not isinstance(item, dict):
            raise Quarantined(f"each {key!r} entry must be an object")
        answer = f.text(item, "answer", max_chars=MAX_ANSWER_CHARS)
        if answer:
            pairs.append((f.text(item, "question", max_chars=MAX_QUESTION_CHARS), answer))
    return tuple(pairs)


def interview(container: Mapping[str, Any], key: str) -> Answers:
    """``answers``, or the older feeds' text of ``Question:Answer;`` pairs.

    In the text, pairs end with ``;`` (the last one may not) and a pair splits at its first
    ``:``, so an answer may hold a colon ("8:00-12:00") but a question may not. Whitespace
    around either is dropped, as are empty pairs and unanswered questions; a pair without a
    colon or without a question is not the format and quarantines the lead.
    """
    value = container.get(key)
    if value is None or isinstance(value, list):
        return answers(container, key)
    if not isinstance(value, str):
        raise Quarantined(
            f"field {key!r} must be a list of question/answer objects or a text of 'Question:Answer;' pairs"
        )
    if len(value) > MAX_TEXT_CHARS:
        raise Quarantined(f"field {key!r} is longer than {MAX_TEXT_CHARS} characters")
    pairs: list[tuple[str, str]] = []
    for part in value.split(";"):
        if not part.strip():
            continue
        question, colon, answer = (piece.strip() for piece in part.partition(":"))
        if not (colon and question):
            raise Quarantined(f"field {key!r} holds a pair that is not 'Question:Answer'")
        if len(question) > MAX_QUESTION_CHARS or len(answer) > MAX_ANSWER_CHARS:
            raise Quarantined(f"field {key!r} holds a question or an answer that is too long")
        if answer:
            pairs.append((question, answer))
    return tuple(pairs)


def location(payload: Mapping[str, Any], city: str, state: str, zip_code: str) -> dict[str, str]:
    """City, state and ZIP from the named keys; the street line is not read."""
    return {
        "city": f.text(payload, city, max_chars=100),
        "state": f.text(payload, state, max_chars=50),
        "zip": f.text(payload, zip_code, max_chars=20),
    }


def full_name(payload: Mapping[str, Any], *keys: str) -> str:
    """The parts under ``keys`` joined with spaces (first and last name, say)."""
    parts = (f.text(payload, key, max_chars=100) for key in keys)
    return " ".join(part for part in parts if part)


def _urgency_of(timeline: str) -> Urgency:
    text = timeline.lower()
    if not text or any(phrase in text for phrase in _CALM):
        return Urgency.NORMAL
    if "emergency" in text:
        return Urgency.EMERGENCY
    if any(phrase in text for phrase in _HIGH):
        return Urgency.HIGH
    return Urgency.NORMAL


def _answer_to(pairs: Answers, words: tuple[str, ...]) -> str:
    for question, answer in pairs:
        if any(word in question.lower() for word in words):
            return answer
    return ""


def _readable(description: str, pairs: Answers) -> str:
    lines = [q + " " + a if q.endswith("?") else f"{q.rstrip(' :')}: {a}" for q, a in pairs]
    return "\n\n".join(part for part in (description, "\n".join(lines)) if part)


def _amount(text: str) -> float | None:
    return float(text.replace("$", "").replace(",", "")) if _ONE_AMOUNT.match(text) else None


def lead_events(lead: MarketplaceLead, payload: Mapping[str, Any]) -> list[NormalizedEvent]:
    """``lead.created``, plus ``quote.requested`` when the lead asks for a quote."""
    timeline = _answer_to(lead.answers, _TIMING_WORDS) or lead.schedule
    budget_text = _answer_to(lead.answers, ("budget",))
    budget = _amount(budget_text)
    about_this_lead = partial(
        NormalizedEvent,
        provider=lead.provider,
        occurred_at=lead.occurred_at,
        contact=lead.contact,
        service=lead.service[:200],
        source=lead.source,
        urgency=_urgency_of(timeline),
        consent=lead.consent,
        attribution=lead.attribution,
        free_text=_readable(lead.description, lead.answers),
        account_ref=lead.account_ref,
    )
    created = about_this_lead(
        type=EventType.LEAD_CREATED,
        idempotency_key=f.idempotency_key(lead.provider, "lead", lead.lead_id, payload),
        data={
            "location": lead.location,
            "lead_price": lead.lead_price,
            "budget": budget,
            "budget_text": budget_text,
            **lead.extra,
        },
    )
    if not (lead.quote_requested or budget_text):
        return [created]
    quote = about_this_lead(
        type=EventType.QUOTE_REQUESTED,
        idempotency_key=f.idempotency_key(lead.provider, "quote", lead.lead_id, payload),
        data={
            "scope": (lead.scope or lead.service)[:200],
            "location": lead.location,
            "timeline": timeline,
            "budget": budget,
            "budget_text": budget_text,
            "photos": lead.photos,
        },
    )
    return [created, quote]


def feed_lead_events(
    delivery: RawDelivery, max_body_bytes: int, *, provider: str, source: str
) -> list[NormalizedEvent]:
    """The Angi Lead Integration API / HomeAdvisor JSON Lead Feed post: one flat lead object.

    The feed carries no lead time, so the event is dated when the delivery was received.
    """
    post = parse_json_object(delivery, max_body_bytes)
    if "leadOid" not in post and "srOid" not in post:
        raise Quarantined(f"not a lead post from {source}: it has no leadOid or srOid")
    lead_id = f.text(post, "leadOid", required=True, max_chars=100)
    if delivery.received_at is None:
        raise Quarantined(f"{source} lead posts carry no time and this one has no received time")
    phone_details = f.obj(post, "primaryPhoneDetails", required=False)
    name = f.text(post, "name", max_chars=200) or full_name(post, "firstName", "lastName")
    phone, extension = _feed_phone(post)
    contact = Contact(
        name=f.display_name(name),
        phone=phone,
        email=f.email(f.text(post, "email", max_chars=254)),
        phone_extension=extension,
    )
    if contact.is_empty:
        raise Quarantined(f"the {source} lead has no usable phone number or email")
    attribution = {
        name: f.text(post, key, max_chars=200)
        for name, key in (
            ("lead_source", "leadSource"),
            ("match_type", "matchType"),
            ("lead_description", "leadDescription"),
            ("sr_id", "srOid"),
            ("contact_status", "contactStatus"),
            ("crm_key", "crmKey"),
        )
        if f.text(post, key)
    }
    lead = MarketplaceLead(
        provider=provider,
        source=source,
        lead_id=lead_id,
        occurred_at=delivery.received_at,
        contact=contact,
        service=f.text(post, "taskName", max_chars=200),
        account_ref=f.text(post, "spEntityId", max_chars=100),
        description=f.text(post, "comments", max_chars=MAX_TEXT_CHARS),
        answers=interview(post, "interview"),
        location=location(post, "city", "stateProvince", "postalCode"),
        attribution=attribution,
        consent=Consent.GRANTED if f.flag(post, "automatedContactCompliant") else Consent.UNKNOWN,
        lead_price=f.number(post, "fee"),
        extra={
            "phone_masked": f.flag(phone_details, "maskedNumber"),
            "phone_extension": extension,
            "consent_id": f.text(post, "automatedContactConsentId", max_chars=100),
        },
    )
    return lead_events(lead, post)


def _feed_phone(post: Mapping[str, Any]) -> tuple[str | None, str]:
    """The primary phone (else the secondary) in E.164, and the extension that goes with it.

    The feed documents ``phoneExt`` / ``secondaryPhoneExt``: for a pro in HomeAdvisor's call
    reporting program, the phone is the pro's assigned reporting number and the extension the
    one unique to this homeowner, so the extension is needed to reach them. An extension
    written into the number itself ("x123", "ext. 123") is read when the field is empty.
    """
    for number_key, extension_key in (("primaryPhone", "phoneExt"), ("secondaryPhone", "secondaryPhoneExt")):
        raw = f.text(post, number_key)
        extension = f.extension(post, extension_key)
        number = f.phone(raw)
        if number:
            return number, extension or f.phone_extension(raw)
    return None, ""
