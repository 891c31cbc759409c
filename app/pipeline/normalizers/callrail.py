"""CallRail post-call and call-modified webhooks (JSON body = the call object of their API).

Fields used, as CallRail documents them: ``resource_id``/``id``, ``answered``, ``call_type``
(missed, voicemail, abandoned...), ``voicemail``, ``customer_phone_number``,
``customer_name``, ``tracking_phone_number``, ``start_time``, ``source``/``source_name``,
``first_call``, ``duration``, ``transcription``, ``company_id``, ``utm_*``, ``gclid``,
``landing_page_url``. A missed or voicemail call becomes ``call.missed`` (callback pending);
an answered first-time call becomes ``lead.created``; other answered calls need nothing.
"""

from __future__ import annotations

from functools import partial

from app.pipeline import fields as f
from app.pipeline.model import Contact, NormalizedEvent, RawDelivery
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
    first_call = f.flag(call, "first_call")
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
        NormalizedEvent, provider=PROVIDER, occurred_at=occurred, contact=contact,
        source=source, attribution=attribution, account_ref=f.text(call, "company_id", max_chars=120),
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
                    "duration_s": f.number(call, "duration") or 0,
                },
            )
        ]
    if not first_call:
        return []
    return [
        about_this_call(
            type=EventType.LEAD_CREATED,
            idempotency_key=f.idempotency_key(PROVIDER, "lead", call_id, call),
            data={"tracking_number": tracking_number},
        )
    ]
