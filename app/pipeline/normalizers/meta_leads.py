"""Meta (Facebook and Instagram) lead ads, from Meta Webhooks ``leadgen`` notifications.

Meta's notification only says that a lead exists; the person's answers are in the Graph API
lead object, which the automation layer fetches and stores in the change's ``value`` under
``lead``. Accepted shape (Meta's "Webhooks for Leads" and "Retrieving Leads" guides, and the
Lead fields of Meta's business SDK)::

    {"object": "page", "entry": [{"id": "<page id>", "time": 1795014245, "changes": [
        {"field": "leadgen", "value": {
            "leadgen_id": "...", "page_id": "...", "form_id": "...", "adgroup_id": "...",
            "ad_id": "...", "created_time": 1795014245,
            "lead": {"id": "<leadgen_id>", "created_time": "2026-11-20T15:04:05+0000",
                     "platform": "fb" | "ig", "is_organic": false, "campaign_id": "...",
                     "adset_id": "...", "ad_id": "...", "form_id": "...",
                     "field_data": [{"name": "full_name", "values": ["..."]}, ...],
                     "custom_disclaimer_responses": [
                         {"checkbox_key": "...", "is_checked": "1"}]}}}]}]}

Decisions:

- One ``lead.created`` per ``leadgen`` change (Meta batches entries and changes in one POST);
  changes to other Page fields are ignored.
- A change without ``lead`` (the bare notification) quarantines the delivery rather than
  making a contactless lead. The desk matches leads by phone or email and skips an event whose
  key it already stored: a contactless ``lead.created`` keyed by the leadgen id would turn the
  fetched copy of the same lead into a silent duplicate (its contact lost), and any other key
  would make two leads. The quarantined row is kept for replay once the lead is fetched.
- ``leadgen_id`` (else the lead's ``id``; the two must agree) gives ``meta_leads:lead:<id>``.
- Contact: ``full_name`` (else ``first_name`` + ``last_name``), ``phone_number`` (else
  ``work_phone_number``) in E.164, ``email`` (else ``work_email``). ``zip_code`` or
  ``post_code`` and ``city`` go to ``data`` with ``form_id``; ``street_address`` is not read
  (the street line stays in the raw payload, as for the marketplace leads). Every other
  answer (multiple values joined by ", ") becomes one "question: answer" line of
  ``free_text``, the field name made readable; ``service`` is the answer of the first field
  whose name mentions a service.
- Test leads: Meta's lead ads testing tool fills answers with "<test lead: dummy data for
  ...>" and the lead object has no test flag (an observed convention, not a documented one),
  so a lead with such an answer is validated, then yields no event.
- ``consent``: the ``custom_disclaimer_responses`` checkboxes: one checked => GRANTED, all
  unchecked => DENIED, none => UNKNOWN; each box is kept in ``data["disclaimer_responses"]``.
- ``source``: "Instagram lead ad" when the lead's ``platform`` is ``ig``, else "Facebook lead
  ad"; ``data["organic"]`` is the lead's ``is_organic``.
- ``attribution``: form, ad, ad group, ad set and campaign ids (and names when fetched).
- ``occurred_at``: the notification's ``created_time`` (Unix seconds), else the lead's (ISO
  8601 with a "+0000" offset, which ``datetime.fromisoformat`` reads since Python 3.11), else
  ``delivery.received_at``, else the delivery is quarantined.
- ``account_ref``: the Page id (``page_id``, else the entry's ``id``), which the agency maps to
  a client.
"""

from __future__ import annotations

from typing import Any

from app.pipeline import fields as f
from app.pipeline.model import Contact, NormalizedEvent, Quarantined, RawDelivery
from app.pipeline.payload import parse_json_object
from db.vocab import Consent, EventType

PROVIDER = "meta_leads"

_TEST_PLACEHOLDER = "<test lead:"
_CONTACT_FIELDS = frozenset(
    {"full_name", "first_name", "last_name", "phone_number", "work_phone_number", "email", "work_email"}
)
_DATA_FIELDS = frozenset({"zip_code", "post_code", "city"})
# Answers that are not free text; the street line is not read at all.
_NOT_QUESTIONS = _CONTACT_FIELDS | _DATA_FIELDS | {"street_address"}
_ATTRIBUTION = (
    "form_id",
    "ad_id",
    "adgroup_id",
    "adset_id",
    "campaign_id",
    "ad_name",
    "adset_name",
    "campaign_name",
)


def _objects(payload: dict[str, Any], key: str) -> list[dict[str, Any]]:
    """A required list of JSON objects."""
    value = payload.get(key)
    if value is None:
        raise Quarantined(f"required field {key!r} is missing")
    if not isinstance(value, list):
        raise Quarantined(f"field {key!r} must be a list")
    if not all(isinstance(item, dict) for item in value):
        raise Quarantined(f"each {key!r} entry must be an object")
    return value


def _answers(lead: dict[str, Any]) -> list[tuple[str, str]]:
    """``(field name, answer)`` for each answered entry of ``field_data``."""
    answers: list[tuple[str, str]] = []
    for item in _objects(lead, "field_data"):
        name = f.text(item, "name", required=True, max_chars=200).lower()
        values = item.get("values")
        if not isinstance(values, list) or any(
            isinstance(value, bool) or not isinstance(value, (str, int)) for value in values
        ):
            raise Quarantined("field 'values' of a field_data entry must be a list of text")
        answer = ", ".join(str(value).strip() for value in values if str(value).strip())
        if len(answer) > f.MAX_FIELD_CHARS:
            raise Quarantined(f"a field_data answer is longer than {f.MAX_FIELD_CHARS} characters")
        if answer:
            answers.append((name, answer))
    return answers


def _consent(lead: dict[str, Any]) -> tuple[Consent, dict[str, bool]]:
    """The consent the disclaimer checkboxes give, and each box's answer."""
    if lead.get("custom_disclaimer_responses") is None:
        return Consent.UNKNOWN, {}
    boxes: dict[str, bool] = {}
    for index, item in enumerate(_objects(lead, "custom_disclaimer_responses"), start=1):
        key = f.text(item, "checkbox_key", max_chars=200) or f"checkbox {index}"
        # ``is_checked`` is text: "1" for a ticked box, "" for an unticked one.
        boxes[key] = item.get("is_checked") not in (None, "") and f.flag(item, "is_checked")
    if not boxes:
        return Consent.UNKNOWN, {}
    return (Consent.GRANTED if any(boxes.values()) else Consent.DENIED), boxes


def _readable(name: str) -> str:
    label = name.replace("_", " ").strip()
    return label[:1].upper() + label[1:]


def _line(label: str, answer: str) -> str:
    return f"{label} {answer}" if label.endswith(("?", ":")) else f"{label}: {answer}"


def _lead_event(entry: dict[str, Any], value: dict[str, Any], delivery: RawDelivery) -> NormalizedEvent | None:
    """The event for one ``leadgen`` change, or None for a test lead."""
    lead = f.obj(value, "lead", required=False)
    leadgen_id = f.text(value, "leadgen_id", max_chars=100)
    lead_id = f.text(lead, "id", max_chars=100)
    if leadgen_id and lead_id and leadgen_id != lead_id:
        raise Quarantined("the fetched lead's 'id' does not match the notification's 'leadgen_id'")
    leadgen_id = leadgen_id or lead_id
    if not leadgen_id:
        raise Quarantined("required field 'leadgen_id' is missing")
    if not lead:
        raise Quarantined(
            "leadgen notification without the lead's answers: fetch the lead from the Graph API "
            "into value['lead'], then replay"
        )
    answers = _answers(lead)
    occurred = (
        f.timestamp(value, "created_time", required=False)
        or f.timestamp(lead, "created_time", required=False)
        or delivery.received_at
    )
    if occurred is None:
        raise Quarantined("no 'created_time' in the lead and no receive time for the delivery")
    consent, boxes = _consent(lead)
    platform = f.text(lead, "platform", max_chars=40).lower()
    organic = f.flag(lead, "is_organic")
    attribution = {
        key: f.text(value, key, max_chars=500) or f.text(lead, key, max_chars=500)
        for key in _ATTRIBUTION
        if f.text(value, key) or f.text(lead, key)
    }
    if any(answer.lower().startswith(_TEST_PLACEHOLDER) for _, answer in answers):
        return None
    by_name = dict(answers)
    questions = [(name, answer) for name, answer in answers if name not in _NOT_QUESTIONS]
    name = by_name.get("full_name") or " ".join(
        part for part in (by_name.get("first_name"), by_name.get("last_name")) if part
    )
    contact = Contact(
        name=f.display_name(name)[:200],
        phone=(f.phone(by_name.get("phone_number", "")) or f.phone(by_name.get("work_phone_number", ""))),
        email=f.email(by_name.get("email", "")) or f.email(by_name.get("work_email", "")),
    )
    service = next((answer for field, answer in questions if "service" in field), "")
    data: dict[str, Any] = {
        "zip": (by_name.get("zip_code") or by_name.get("post_code", ""))[:100],
        "city": by_name.get("city", "")[:100],
        "form_id": attribution.get("form_id", ""),
        "organic": organic,
        "disclaimer_responses": boxes,
    }
    return NormalizedEvent(
        type=EventType.LEAD_CREATED,
        provider=PROVIDER,
        idempotency_key=f.idempotency_key(PROVIDER, "lead", leadgen_id, value),
        occurred_at=occurred,
        contact=contact,
        service=service[:200],
        source="Instagram lead ad" if platform in ("ig", "instagram") else "Facebook lead ad",
        consent=consent,
        attribution=attribution,
        free_text="\n".join(_line(_readable(field), answer) for field, answer in questions),
        account_ref=f.text(value, "page_id", max_chars=100) or f.text(entry, "id", max_chars=100),
        data=data,
    )


def normalize(delivery: RawDelivery, max_body_bytes: int) -> list[NormalizedEvent]:
    notification = parse_json_object(delivery, max_body_bytes)
    kind = f.text(notification, "object", max_chars=40)
    if not kind:
        raise Quarantined("not a Meta Webhooks notification (no 'object' field)")
    if kind != "page":
        raise Quarantined("not a Page notification: lead ads arrive with object 'page'")
    events: list[NormalizedEvent] = []
    for entry in _objects(notification, "entry"):
        for change in _objects(entry, "changes"):
            if f.text(change, "field", max_chars=100) != "leadgen":
                continue
            event = _lead_event(entry, f.obj(change, "value"), delivery)
            if event is not None:
                events.append(event)
    return events
