"""Google Ads lead form webhook: Google POSTs one JSON lead per form submission.

Shape, from Google's lead form webhook guide and samples
(developers.google.com/google-ads/webhook/docs/implementation, .../samples)::

    {"lead_id": "...", "api_version": "1.0", "form_id": 1234, "campaign_id": 5678,
     "adgroup_id": 9012, "creative_id": 3456, "asset_group_id": 7890, "gcl_id": "...",
     "google_key": "...", "is_test": false, "lead_submit_time": "2026-11-20T15:04:05Z",
     "user_column_data": [{"column_id": "FULL_NAME", "column_name": "Full Name",
                           "string_value": "..."}, ...]}

Ids are 64-bit integers (text is accepted too); unknown fields are ignored, as Google asks.

Decisions:

- ``lead_id`` (unique across forms, Google's dedup id) is required: ``google_ads:lead:<id>``.
- Contact: ``FULL_NAME`` (else ``FIRST_NAME`` + ``LAST_NAME``), ``PHONE_NUMBER`` (else
  ``WORK_PHONE``) in E.164, ``EMAIL`` (else ``WORK_EMAIL``). Contact columns never reach
  ``free_text``; a work phone or email given next to a personal one is dropped.
- ``POSTAL_CODE`` and ``CITY`` go to ``data`` (``zip``, ``city``, with ``form_id``).
  ``STREET_ADDRESS`` is not read (the street line stays in the raw payload, as for the
  marketplace leads) and ``GOVERNMENT_ISSUED_ID_*`` columns (CPF, DNI, RUT...) are dropped:
  the desk has no use for national id numbers. Every other column, standard (region,
  company...) or a question, becomes one "question: answer" line of ``free_text``, labelled
  by ``column_name`` (Google does not always send it; the ``column_id`` is used then).
- ``service``: the ``SERVICE`` qualifying question ("Which service are you interested
  in?"), else the first question whose label mentions a service, else "".
- ``attribution``: campaign, ad group, creative, asset group and form ids, and ``gcl_id`` as
  ``gclid`` (the key the other normalizers use).
- ``account_ref`` is ``campaign_id``: the payload carries no Google Ads customer id, a
  campaign belongs to one advertiser account, and it is the id the agency sees in Google Ads
  and its reports ("" when absent; the intake's client assignment still applies).
- ``google_key`` is the secret the advertiser typed into the form's webhook settings. Only
  the intake knows the expected value, so verifying it is the intake's job; this normalizer
  records ``data["google_key_present"]`` and never copies the value anywhere.
- ``is_test: true`` (the "send test data" button in Google Ads): the lead is validated like a
  real one, then ``[]`` is returned. Test data names nobody, and an event would open a lead
  and draft a client note; the row processed with zero events shows the pipe works.
- ``occurred_at``: ``lead_submit_time`` (newer schema), else ``delivery.received_at``, else
  the delivery is quarantined.
- ``consent``: the webhook carries no consent answer, so ``Consent.UNKNOWN``.
"""

from __future__ import annotations

from typing import Any

from app.pipeline import fields as f
from app.pipeline.model import Contact, NormalizedEvent, Quarantined, RawDelivery
from app.pipeline.payload import parse_json_object
from db.vocab import EventType

PROVIDER = "google_ads"
SOURCE = "Google Ads lead form"

_CONTACT_COLUMNS = frozenset(
    {"FULL_NAME", "FIRST_NAME", "LAST_NAME", "PHONE_NUMBER", "WORK_PHONE", "EMAIL", "WORK_EMAIL"}
)
_DATA_COLUMNS = {"POSTAL_CODE": "zip", "CITY": "city"}
# Columns that are not free text; the street line and national ids are not read at all.
_NOT_QUESTIONS = _CONTACT_COLUMNS.union(_DATA_COLUMNS, {"STREET_ADDRESS"})
_ID_PREFIX = "GOVERNMENT_ISSUED_ID_"
# Payload key -> attribution key.
_ATTRIBUTION = {
    "campaign_id": "campaign_id",
    "adgroup_id": "adgroup_id",
    "creative_id": "creative_id",
    "asset_group_id": "asset_group_id",
    "form_id": "form_id",
    "gcl_id": "gclid",
}


def _columns(lead: dict[str, Any]) -> list[tuple[str, str, str]]:
    """``(column id, label, answer)`` for each answered entry of ``user_column_data``."""
    raw = lead.get("user_column_data")
    if raw is None:
        raise Quarantined("required field 'user_column_data' is missing")
    if not isinstance(raw, list):
        raise Quarantined("field 'user_column_data' must be a list")
    columns: list[tuple[str, str, str]] = []
    for item in raw:
        if not isinstance(item, dict):
            raise Quarantined("each 'user_column_data' entry must be an object")
        column_id = f.text(item, "column_id", max_chars=200).upper()
        label = f.text(item, "column_name", max_chars=500)
        label = label or column_id.replace("_", " ").capitalize()
        if not label:
            raise Quarantined("a 'user_column_data' entry has neither column_id nor column_name")
        answer = f.text(item, "string_value")
        if answer:
            columns.append((column_id, label, answer))
    return columns


def _line(label: str, answer: str) -> str:
    return f"{label} {answer}" if label.endswith(("?", ":")) else f"{label}: {answer}"


def normalize(delivery: RawDelivery, max_body_bytes: int) -> list[NormalizedEvent]:
    lead = parse_json_object(delivery, max_body_bytes)
    lead_id = f.text(lead, "lead_id", required=True, max_chars=500)
    columns = _columns(lead)
    is_test = f.flag(lead, "is_test")
    attribution = {name: f.text(lead, key, max_chars=500) for key, name in _ATTRIBUTION.items() if f.text(lead, key)}
    occurred = f.timestamp(lead, "lead_submit_time", required=False) or delivery.received_at
    if occurred is None:
        raise Quarantined("no 'lead_submit_time' in the lead and no receive time for the delivery")
    if is_test:
        return []
    answers = {column_id: answer for column_id, _, answer in columns if column_id}
    questions = [
        (column_id, label, answer)
        for column_id, label, answer in columns
        if column_id not in _NOT_QUESTIONS and not column_id.startswith(_ID_PREFIX)
    ]
    name = answers.get("FULL_NAME") or " ".join(
        part for part in (answers.get("FIRST_NAME"), answers.get("LAST_NAME")) if part
    )
    contact = Contact(
        name=f.display_name(name)[:200],
        phone=f.phone(answers.get("PHONE_NUMBER", "")) or f.phone(answers.get("WORK_PHONE", "")),
        email=f.email(answers.get("EMAIL", "")) or f.email(answers.get("WORK_EMAIL", "")),
    )
    service = answers.get("SERVICE") or next(
        (answer for _, label, answer in questions if "service" in label.lower()), ""
    )
    data: dict[str, Any] = {key: answers.get(column_id, "")[:100] for column_id, key in _DATA_COLUMNS.items()}
    data["form_id"] = attribution.get("form_id", "")
    data["google_key_present"] = any(
        key.lower() == "google_key" and value not in (None, "") for key, value in lead.items()
    )
    return [
        NormalizedEvent(
            type=EventType.LEAD_CREATED,
            provider=PROVIDER,
            idempotency_key=f.idempotency_key(PROVIDER, "lead", lead_id, lead),
            occurred_at=occurred,
            contact=contact,
            service=service[:200],
            source=SOURCE,
            attribution=attribution,
            free_text="\n".join(_line(label, answer) for _, label, answer in questions),
            account_ref=attribution.get("campaign_id", ""),
            data=data,
        )
    ]
