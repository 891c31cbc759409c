"""A generic web contact or quote form, as posted by the site's form plugin.

Shape (documented in the README)::

    {"form_id": "...", "form_type": "contact" | "quote", "submission_id": "...",
     "submitted_at": "2026-11-20T15:04:05Z", "page_url": "...",
     "fields": {"name", "phone", "email", "service", "message", "zip", "timeline", "budget"},
     "consent": {"sms": bool, "email": bool, "opt_out": bool, "text": "..."},
     "utm": {"source", "medium", "campaign", "term", "content"}, "gclid": "..."}

A contact form yields ``lead.created``; a quote form yields ``lead.created`` and
``quote.requested``.
"""

from __future__ import annotations

from typing import Any

from app.pipeline import fields as f
from app.pipeline.model import Contact, NormalizedEvent, Quarantined, RawDelivery
from app.pipeline.payload import parse_json_object
from db.vocab import Consent, EventType, Urgency

PROVIDER = "web_form"

# Form plugins name the same field many ways; the first present alias wins.
_ALIASES = {
    "name": ("name", "full_name", "your_name"),
    "phone": ("phone", "phone_number", "tel", "mobile"),
    "email": ("email", "email_address", "your_email"),
    "service": ("service", "service_needed", "interest"),
    "message": ("message", "comments", "details", "description"),
}
_TIMELINE_URGENCY = {
    "emergency": Urgency.EMERGENCY,
    "asap": Urgency.HIGH,
    "today": Urgency.HIGH,
    "this week": Urgency.NORMAL,
    "flexible": Urgency.LOW,
}


def _field(form: dict[str, Any], name: str) -> str:
    for alias in _ALIASES.get(name, (name,)):
        value = f.text(form, alias)
        if value:
            return value
    if name == "name":
        return " ".join(p for p in (f.text(form, "first_name"), f.text(form, "last_name")) if p)
    return ""


def normalize(delivery: RawDelivery, max_body_bytes: int) -> list[NormalizedEvent]:
    payload = parse_json_object(delivery, max_body_bytes)
    form = f.obj(payload, "fields")
    form_type = f.text(payload, "form_type") or "contact"
    if form_type not in ("contact", "quote"):
        raise Quarantined("form_type must be contact or quote")
    occurred = f.timestamp(payload, "submitted_at")
    assert occurred is not None
    contact = Contact(
        name=_field(form, "name")[:200],
        phone=f.phone(_field(form, "phone")),
        email=f.email(_field(form, "email")),
    )
    consent_block = f.obj(payload, "consent", required=False)
    opted_out = False
    if consent_block:
        sms = f.flag(consent_block, "sms")
        consent = Consent.GRANTED if sms or f.flag(consent_block, "email") else Consent.DENIED
        # The site's own "do not contact me" box: an opt-out of the contact, not just no consent.
        opted_out = any(f.flag(consent_block, key) for key in ("opt_out", "do_not_contact", "unsubscribe"))
    else:
        consent = Consent.UNKNOWN
    utm = f.obj(payload, "utm", required=False)
    # Same keys as every other provider: utm_source, utm_medium, ...
    attribution = {
        f"utm_{key}": f.text(utm, key, max_chars=200)
        for key in ("source", "medium", "campaign", "term", "content")
        if f.text(utm, key)
    }
    for key in ("gclid", "page_url", "form_id"):
        if f.text(payload, key):
            attribution[key] = f.text(payload, key, max_chars=500)
    timeline = f.text(form, "timeline").lower()
    service = _field(form, "service")[:200]
    key = f.idempotency_key(PROVIDER, "lead", f.text(payload, "submission_id"), payload)
    lead = NormalizedEvent(
        type=EventType.LEAD_CREATED,
        provider=PROVIDER,
        idempotency_key=key,
        occurred_at=occurred,
        contact=contact,
        service=service,
        source="web form",
        urgency=_TIMELINE_URGENCY.get(timeline, Urgency.NORMAL),
        consent=consent,
        attribution=attribution,
        free_text=_field(form, "message"),
        data={
            "form_type": form_type,
            "zip": f.text(form, "zip", max_chars=20),
            **({"opt_out": True} if opted_out else {}),
        },
    )
    if form_type == "contact":
        return [lead]
    quote = NormalizedEvent(
        type=EventType.QUOTE_REQUESTED,
        provider=PROVIDER,
        idempotency_key=key.replace(":lead:", ":quote:", 1),
        occurred_at=occurred,
        contact=contact,
        service=service,
        source="quote form",
        urgency=lead.urgency,
        consent=consent,
        attribution=attribution,
        free_text=lead.free_text,
        data={
            "scope": service,
            "location": f.text(form, "zip", max_chars=20),
            "timeline": timeline,
            "budget": f.number(form, "budget"),
            "photos": len(payload.get("photos") or []) if isinstance(payload.get("photos"), list) else 0,
        },
    )
    return [lead, quote]
