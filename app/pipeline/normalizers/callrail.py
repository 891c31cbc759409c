"""CallRail post-call and call-modified webhooks (JSON body = the call object of their API).

Fields used, as CallRail documents them: ``resource_id``/``id``, ``answered``, ``call_type``
(missed, voicemail, abandoned...), ``voicemail``, ``customer_phone_number``,
``customer_name``, ``tracking_phone_number``, ``start_time``, ``source``/``source_name``,
``first_call``, ``duration``, ``transcription``, ``company_id``, ``utm_*``, ``gclid``,
``landing_page_url``, and the optional caller-history fields of the call object
(``prior_calls``: calls from this number before this one; ``total_calls``: all of them, this
one included). A missed or voicemail call becomes ``call.missed`` (callback pending); an
answered first-time call becomes ``lead.created``; other answered calls need nothing.

What CallRail knows of the caller goes into ``data["first_call"]`` (True, False, or None when
the payload does not say) and ``data["prior_calls"]`` (a count, or None): a count above zero
means the caller called before, whatever ``first_call`` says. The desk's own history is added
by the pipeline (``routing.new_caller``), since CallRail may know a caller the desk has not
seen yet.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from app.pipeline import fields as f
from app.pipeline.model import Contact, NormalizedEvent, Quarantined, RawDelivery
from app.pipeline.payload import parse_json_object
from db.vocab import EventType, Urgency

PROVIDER = "callrail"
_MISSED_TYPES = {"missed", "voicemail", "abandoned", "voicemail_transcription"}


def normalize(delivery: RawDelivery, max_body_bytes: int) -> list[NormalizedEvent]:
    call = parse_json_object(delivery, max_body_bytes)
    call_id = f.text(call, "resource_id") or f.text(call, "id")
    occurred = f.timestamp(call, "start_time")
    assert occurred is not None
    answered = f.flag(call, "answered")
    voicemail = f.flag(call, "voicemail")
    call_type = f.text(call, "call_type").lower()
    first_call, prior_calls = _caller_history(call)
    contact = Contact(
        name=f.display_name(f.text(call, "customer_name", max_chars=200)),
        phone=f.phone(f.text(call, "customer_phone_number", required=True)),
    )
    source = f.text(call, "source_name") or f.text(call, "source") or "phone"
    attribution = {
        key: f.text(call, key, max_chars=500)
        for key in ("utm_source", "utm_medium", "utm_campaign", "gclid", "landing_page_url")
        if f.text(call, key)
    }
    tracking_number = f.phone(f.text(call, "tracking_phone_number")) or ""
    about_this_call = partial(
        NormalizedEvent,
        provider=PROVIDER,
        occurred_at=occurred,
        contact=contact,
        source=source,
        attribution=attribution,
        account_ref=f.text(call, "company_id", max_chars=120),
        free_text=f.text(call, "transcription", max_chars=20_000),
    )
    missed = (not answered) or voicemail or call_type in _MISSED_TYPES
    if missed:
        return [
            about_this_call(
                type=EventType.CALL_MISSED,
                idempotency_key=f.idempotency_key(PROVIDER, "call", call_id, call),
                urgency=Urgency.HIGH if first_call else Urgency.NORMAL,
                data={
                    "tracking_number": tracking_number,
                    "callback_status": "pending",
                    "voicemail": voicemail,
                    "first_call": first_call,
                    "prior_calls": prior_calls,
                    "duration_s": f.number(call, "duration") or 0,
                },
            )
        ]
    if first_call is not True:
        return []
    return [
        about_this_call(
            type=EventType.LEAD_CREATED,
            idempotency_key=f.idempotency_key(PROVIDER, "lead", call_id, call),
            data={"tracking_number": tracking_number, "first_call": True, "prior_calls": prior_calls},
        )
    ]


def _caller_history(call: dict[str, Any]) -> tuple[bool | None, int | None]:
    """Whether this is the caller's first call, and how many came before, as far as CallRail
    says: ``prior_calls``, else ``total_calls`` less this one; a count above zero wins over
    ``first_call``, and a count of zero answers for a missing ``first_call``."""
    first = None if call.get("first_call") in (None, "") else f.flag(call, "first_call")
    prior = _calls(call, "prior_calls")
    if prior is None:
        total = _calls(call, "total_calls")
        prior = None if total is None else max(total - 1, 0)
    if prior is not None and prior > 0:
        return False, prior
    if first is None and prior == 0:
        return True, prior
    return first, prior


def _calls(call: dict[str, Any], key: str) -> int | None:
    count = f.number(call, key)
    if count is None:
        return None
    if count < 0 or count != int(count):
        raise Quarantined(f"field {key!r} must be a whole number of calls")
    return int(count)
