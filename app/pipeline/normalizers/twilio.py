"""Twilio voice status callbacks and inbound messages (form-encoded bodies, one provider name).

The shape is read from the parameters present, never guessed; anything else is quarantined:

* ``CallSid`` + ``CallStatus``: a call status callback, or the ``<Dial>`` action request of a
  forwarded call, whose ``DialCallStatus`` (the forwarded leg's outcome) then wins over
  ``CallStatus`` (the caller's leg, answered by Twilio itself). Also used: ``Direction``,
  ``From``, ``To``, ``CallerName``, ``Timestamp`` (RFC 2822, a zone is required; without it the
  delivery's received time), ``CallDuration`` / ``DialCallDuration``.
* ``MessageSid`` (or the older ``SmsSid``) + ``Body``: an inbound SMS/MMS. Also used: ``From``,
  ``To``, ``NumMedia``, ``OptOutType``. It has no time of its own: the received time dates it.

Voice: ``busy``, ``no-answer`` and ``failed`` (the caller reached nobody, whatever the cause)
on an inbound call become ``call.missed``, callback pending, urgency left to the pipeline. On
an outbound call (the agency calling out, or a forwarded leg's own callback, which the
``<Dial>`` action request already reports) they need nothing, as every other known status.

SMS: a message that is, trimmed and in any letter case, exactly an opt-out keyword (STOP, STOPALL,
UNSUBSCRIBE, CANCEL, END, QUIT, REVOKE, OPTOUT) or opt-in keyword (START, UNSTOP) becomes
``consent.changed``; HELP and INFO need nothing. ``OptOutType`` (STOP, START or HELP, sent by
Advanced Opt-Out, whose keywords can be customised) wins over the built-in lists. YES is not
taken as an opt-in: alone it is an everyday answer, and a wrong grant is worse than a missed
one. Any other message becomes ``lead.created`` with consent unknown: texting a business asks
for a reply, not for marketing. WhatsApp and other channel addresses are quarantined.

``account_ref`` is the number called or texted (one Twilio number per client).
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from app.pipeline import fields as f
from app.pipeline.model import Contact, NormalizedEvent, Quarantined, RawDelivery
from app.pipeline.payload import parse_form
from db.vocab import Consent, EventType

PROVIDER = "twilio"
_MISSED = {"busy", "no-answer", "failed"}
_NOTHING_TO_DO = {
    "queued", "initiated", "ringing", "in-progress", "answered", "completed", "canceled",
}
_KEYWORDS = {
    **dict.fromkeys(
        ("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"), "STOP"
    ),
    **dict.fromkeys(("START", "UNSTOP"), "START"),
    **dict.fromkeys(("HELP", "INFO"), "HELP"),
}
_CONSENT = {"STOP": Consent.DENIED, "START": Consent.GRANTED}
_SENT_MESSAGE_STATUSES = frozenset({
    "accepted", "scheduled", "queued", "sending", "sent", "delivered", "undelivered", "failed",
    "read", "canceled", "partially_delivered",
})


def normalize(delivery: RawDelivery, max_body_bytes: int) -> list[NormalizedEvent]:
    if delivery.body.lstrip()[:1] in (b"{", b"["):
        raise Quarantined("body is JSON, but Twilio posts form-encoded parameters")
    form = parse_form(delivery, max_body_bytes)
    if f.text(form, "CallSid") and f.text(form, "CallStatus"):
        return _call(delivery, form)
    if (f.text(form, "MessageSid") or f.text(form, "SmsSid")) and "Body" in form:
        return _message(delivery, form)
    status = (f.text(form, "MessageStatus") or f.text(form, "SmsStatus")).lower()
    if f.text(form, "MessageSid") and status in _SENT_MESSAGE_STATUSES:
        # The delivery report of a message the automation sent: its sending is the automation
        # layer's business, nothing here for the desk to review. (An inbound message says
        # "received" and must carry a Body.)
        return []
    raise Quarantined(
        "neither a call status callback (CallSid, CallStatus) "
        "nor an inbound message (MessageSid, Body)"
    )


def _call(delivery: RawDelivery, form: dict[str, str]) -> list[NormalizedEvent]:
    dial_status = f.text(form, "DialCallStatus").lower()
    status = dial_status or f.text(form, "CallStatus").lower()
    if status in _NOTHING_TO_DO:
        return []
    if status not in _MISSED:
        raise Quarantined("unknown call status")
    direction = f.text(form, "Direction", required=True).lower()
    if direction.startswith("outbound"):
        return []
    if direction != "inbound":
        raise Quarantined("unknown call direction")
    tracking_number = f.phone(f.text(form, "To", required=True)) or ""
    call_sid = f.text(form, "CallSid")
    duration = f.number(form, "DialCallDuration" if dial_status else "CallDuration")
    return [
        NormalizedEvent(
            type=EventType.CALL_MISSED,
            provider=PROVIDER,
            idempotency_key=f.idempotency_key(PROVIDER, "call", f"{call_sid}:{status}", form),
            occurred_at=_rfc2822(form, "Timestamp") or _received_at(delivery),
            contact=Contact(
                name=f.display_name(f.text(form, "CallerName", max_chars=200)),
                phone=f.phone(f.text(form, "From", required=True)),
            ),
            source="phone",
            account_ref=tracking_number,
            data={
                "tracking_number": tracking_number,
                "callback_status": "pending",
                "call_status": status,
                "duration_s": int(duration or 0),
            },
        )
    ]


def _message(delivery: RawDelivery, form: dict[str, str]) -> list[NormalizedEvent]:
    sid = f.text(form, "MessageSid") or f.text(form, "SmsSid")
    contact = Contact(phone=_sender(form))
    number_texted = f.phone(f.text(form, "To", required=True)) or ""
    body = f.text(form, "Body")
    keyword = body.upper()
    kind = _keyword_kind(form, keyword)
    if kind == "HELP":
        return []
    if kind:
        consent = _CONSENT[kind]
        return [
            NormalizedEvent(
                type=EventType.CONSENT_CHANGED,
                provider=PROVIDER,
                idempotency_key=f.idempotency_key(PROVIDER, "consent", sid, form),
                occurred_at=_received_at(delivery),
                contact=contact,
                source="sms",
                consent=consent,
                account_ref=number_texted,
                data={"consent": consent.value, "channel": "sms", "keyword": keyword[:40]},
            )
        ]
    return [
        NormalizedEvent(
            type=EventType.LEAD_CREATED,
            provider=PROVIDER,
            idempotency_key=f.idempotency_key(PROVIDER, "lead", sid, form),
            occurred_at=_received_at(delivery),
            contact=contact,
            source="sms",
            free_text=body,
            account_ref=number_texted,
            data={
                "tracking_number": number_texted,
                "num_media": int(f.number(form, "NumMedia") or 0),
            },
        )
    ]


def _sender(form: dict[str, str]) -> str:
    """The texter's number in E.164; a channel address (``whatsapp:+1...``) is not SMS."""
    raw = f.text(form, "From", required=True, max_chars=200)
    if ":" in raw:
        raise Quarantined("From is a channel address (such as whatsapp:), not an SMS number")
    number = f.phone(raw)
    if number is None:
        raise Quarantined("From is not a valid phone number")
    return number


def _keyword_kind(form: dict[str, str], keyword: str) -> str:
    """STOP, START or HELP when the whole message is a keyword, else ""."""
    declared = f.text(form, "OptOutType").upper()
    if declared and declared not in ("STOP", "START", "HELP"):
        raise Quarantined("unknown OptOutType; expected STOP, START or HELP")
    return declared or _KEYWORDS.get(keyword, "")


def _rfc2822(form: dict[str, str], key: str) -> datetime | None:
    """An RFC 2822 date parameter in UTC (a zone is required), or None when absent."""
    raw = f.text(form, key)
    if not raw:
        return None
    try:
        parsed = parsedate_to_datetime(raw)
        if parsed.tzinfo is not None:
            return parsed.astimezone(UTC)
    except (ValueError, OverflowError):
        raise Quarantined(f"timestamp {key!r} is not a valid RFC 2822 date") from None
    raise Quarantined(f"timestamp {key!r} has no time zone")


def _received_at(delivery: RawDelivery) -> datetime:
    if delivery.received_at is None:
        raise Quarantined("no Timestamp parameter and no received time to date the event by")
    return delivery.received_at
