"""Thumbtack leads: the Partner API v4 webhook and the older Pro API lead post.

Sources:

* v4 (developers.thumbtack.com: Leads, Pro Profiles > Webhooks, Manage Webhooks): leads are
  "negotiations"; a business webhook delivers ``NegotiationCreatedV4`` for a new lead, and the
  negotiation (status update), message and review families besides. The site renders the
  webhook body client-side, so its field names come from a delivery captured and published in
  public integration code: ``{"event": {"eventType", "triggeredAt", "webhookID"}, "data":
  {"negotiationID", "createdAt", "leadPrice": "$25.00", "chargeState", "business":
  {"businessID"}, "customer": {"firstName", "lastName", "phone"}, "estimate": {"total"},
  "request": {"requestID", "category": {"categoryID", "name"}, "description", "location",
  "details": [{"question", "answer"}], "attachments": [{"mimeType", "url"}]}}}``. The API's
  own negotiation resource names the customer ``displayName``; it is read when the split name
  is absent.
* Pro API (pro-api.thumbtack.com/docs, "Partner Endpoints"): a flat lead post ``{"leadID",
  "createTimestamp": "<Unix seconds as text>", "request": {"category": "<name>", "title",
  "description", "schedule", "location", "details"}, "customer": {"name", "phone"},
  "business": {"businessID"}, "price", "leadType", "leadPrice", "chargeState"}``, a message
  post ``{"leadID", "customerID", "businessID", "message"}`` and a lead update ``{"leadID",
  "leadPrice", "chargeState"}``. The customer phone is optional there (sent when Thumbtack has one).

Mapping: the negotiation/lead id keys ``thumbtack:lead:<id>`` (and ``thumbtack:quote:<id>``);
``business.businessID`` is ``account_ref``; the category name is the service and the request
title the quote scope; description plus details Q&A are ``free_text``; city/state/zipCode are
the location (``address1``/``address2`` are never read); ``leadPrice`` is ``lead_price``, the
pro's price shown to the customer (v4 ``estimate.total``, Pro API ``price``) is
``data["estimate"]``; ``leadType``, ``requestID``, ``categoryID`` and ``chargeState`` are
attribution. A ``REQUEST_A_QUOTE``/``MISMATCH_REQUEST_A_QUOTE`` lead type (documented for the
Pro API, assumed to be the same field in v4 when present) or a budget answer is a quote
request. Thumbtack says nothing of consent to be contacted outside its inbox: always unknown.
A lead whose customer has neither a name nor a valid phone is quarantined. New-message,
review, status-update and lead-price-update notifications need nothing from the desk.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from app.pipeline import fields as f
from app.pipeline.model import Contact, NormalizedEvent, Quarantined, RawDelivery
from app.pipeline.normalizers._marketplace import (
    MAX_TEXT_CHARS,
    MarketplaceLead,
    answers,
    full_name,
    lead_events,
    location,
)
from app.pipeline.payload import parse_json_object

PROVIDER = "thumbtack"
_LEAD_CREATED = "NegotiationCreatedV4"
# The other webhook families a business subscribes to: lead status updates, messages, reviews.
# A new-lead event of another version is not one of them: it is quarantined, not dropped.
_NOT_NEEDED_EVENTS = ("Negotiation", "Message", "Review")
_QUOTE_LEAD_TYPES = {"REQUEST_A_QUOTE", "MISMATCH_REQUEST_A_QUOTE"}
_PRICE_UPDATE_KEYS = {"leadID", "leadPrice", "chargeState"}


def normalize(delivery: RawDelivery, max_body_bytes: int) -> list[NormalizedEvent]:
    payload = parse_json_object(delivery, max_body_bytes)
    if "event" in payload:
        return _webhook_event(payload)
    if "leadID" in payload:
        return _pro_api_post(payload)
    raise Quarantined("unknown Thumbtack payload: no v4 event envelope and no leadID")


def _webhook_event(payload: dict[str, Any]) -> list[NormalizedEvent]:
    event_type = f.text(f.obj(payload, "event"), "eventType", required=True, max_chars=100)
    if event_type != _LEAD_CREATED:
        another_lead_version = event_type.startswith("NegotiationCreated")
        if event_type.startswith(_NOT_NEEDED_EVENTS) and not another_lead_version:
            return []
        raise Quarantined(f"unknown Thumbtack event type; only {_LEAD_CREATED} is read")
    data = f.obj(payload, "data")
    customer = f.obj(data, "customer")
    category = f.obj(f.obj(data, "request"), "category")
    occurred = f.timestamp(data, "createdAt")
    assert occurred is not None
    return _lead(
        payload,
        data,
        lead_id=f.text(data, "negotiationID", required=True, max_chars=100),
        occurred=occurred,
        name=full_name(customer, "firstName", "lastName") or f.text(customer, "displayName", max_chars=200),
        service=f.text(category, "name", max_chars=200),
        category_id=f.text(category, "categoryID", max_chars=100),
        estimate=f.text(f.obj(data, "estimate", required=False), "total", max_chars=100),
    )


def _pro_api_post(payload: dict[str, Any]) -> list[NormalizedEvent]:
    if "request" not in payload:
        if "message" in payload or set(payload) <= _PRICE_UPDATE_KEYS:
            return []
        raise Quarantined("unknown Thumbtack Pro API post: a leadID without a request or message")
    request = f.obj(payload, "request")
    created = f.text(payload, "createTimestamp", required=True, max_chars=20)
    if not (created.isascii() and created.isdigit()):
        raise Quarantined("timestamp 'createTimestamp' must be Unix seconds")
    occurred = f.timestamp({"createTimestamp": int(created)}, "createTimestamp")
    assert occurred is not None
    return _lead(
        payload,
        payload,
        lead_id=f.text(payload, "leadID", required=True, max_chars=100),
        occurred=occurred,
        name=f.text(f.obj(payload, "customer"), "name", max_chars=200),
        service=f.text(request, "category", max_chars=200),
        category_id=f.text(request, "categoryID", max_chars=100),
        estimate=f.text(payload, "price", max_chars=100),
    )


def _lead(
    payload: dict[str, Any],
    lead: dict[str, Any],
    *,
    lead_id: str,
    occurred: datetime,
    name: str,
    service: str,
    category_id: str,
    estimate: str,
) -> list[NormalizedEvent]:
    """The parts both shapes share, read from ``lead`` (the v4 ``data`` or the Pro API post)."""
    request = f.obj(lead, "request")
    contact = Contact(
        name=f.display_name(name),
        phone=f.phone(f.text(f.obj(lead, "customer"), "phone")),
    )
    if not (contact.name or contact.phone):
        raise Quarantined("the Thumbtack customer has neither a name nor a valid phone")
    lead_type = f.text(lead, "leadType", max_chars=100)
    attribution = {
        key: value
        for key, value in (
            ("lead_type", lead_type),
            ("request_id", f.text(request, "requestID", max_chars=100)),
            ("category_id", category_id),
            ("charge_state", f.text(lead, "chargeState", max_chars=50)),
        )
        if value
    }
    return lead_events(
        MarketplaceLead(
            provider=PROVIDER,
            source="Thumbtack",
            lead_id=lead_id,
            occurred_at=occurred,
            contact=contact,
            service=service,
            account_ref=f.text(f.obj(lead, "business", required=False), "businessID", max_chars=100),
            description=f.text(request, "description", max_chars=MAX_TEXT_CHARS),
            answers=answers(request, "details"),
            location=location(f.obj(request, "location", required=False), "city", "state", "zipCode"),
            attribution=attribution,
            lead_price=f.number(lead, "leadPrice"),
            schedule=f.text(request, "schedule", max_chars=1000),
            scope=f.text(request, "title", max_chars=200),
            photos=_photos(request),
            quote_requested=lead_type in _QUOTE_LEAD_TYPES,
            extra={"estimate": estimate},
        ),
        payload,
    )


def _photos(request: dict[str, Any]) -> int:
    attachments = request.get("attachments")
    if attachments is None:
        return 0
    if not isinstance(attachments, list) or not all(isinstance(a, dict) for a in attachments):
        raise Quarantined("field 'attachments' must be a list of objects")
    return sum(f.text(a, "mimeType", max_chars=100).startswith("image/") for a in attachments)
