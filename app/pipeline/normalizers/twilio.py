"""Twilio voice callbacks and inbound messages (one provider name).

Twilio posts its parameters form-encoded; an automation layer may store them as a JSON object
instead. A body whose first non-blank character is ``{`` or ``[`` is JSON (Twilio's parameter
names are letters, so its form body never starts so) and one that starts with ``Name=`` is a
form body, whatever the label says; only a body of neither shape is read as its declared type
says (the delivery's ``Content-Type`` header, else the content type recorded with it). A JSON
body must be an object of Twilio's parameters (an ``AccountSid`` with a ``CallSid``,
``MessageSid`` or ``SmsSid``; numbers and booleans are read as their text), else it is
quarantined.

A body cut at a parameter boundary still parses, so each kind of callback is recognised by
parameters only it carries, and what it needs must be there (else it is quarantined with the
parameter named), never read as "nothing to do":

* ``<Dial>`` action request (any of ``DialCallStatus``, ``DialCallSid``, ``DialCallDuration``,
  ``DialBridged``): needs ``CallSid`` and ``DialCallStatus``, the forwarded leg's outcome,
  which wins over ``CallStatus`` (the caller's leg, answered by Twilio itself, so
  ``in-progress``, or ``completed`` when the caller hung up). Duration: ``DialCallDuration``.
* Call status callback (``CallbackSource``, ``SequenceNumber`` or ``Timestamp``, which Twilio
  adds to status callbacks only): needs ``CallSid`` and ``CallStatus``. Duration:
  ``CallDuration``.
* A voice request carrying neither: ``CallStatus`` busy, no-answer or failed is an outcome and
  read as a status callback; queued, initiated or ringing is a call still arriving (nothing
  yet); any other status, or none, is what a cut ``<Dial>`` action or status callback looks
  like, and is quarantined.
* A missed inbound call further needs ``Direction``, ``From`` and ``To``. Also used:
  ``CallerName``, ``Timestamp`` (RFC 2822, a zone is required; without it the delivery's
  received time).
* Inbound SMS/MMS (``MessageSid``, ``SmsSid`` or ``SmsMessageSid``, with ``Body``, or marked
  ``SmsStatus``/``MessageStatus`` received): needs ``Body`` (empty for a photo alone),
  ``From`` and ``To``. Also used: ``NumMedia``, ``OptOutType``. It has no time of its own: the
  received time dates it.
* Message status callback (a sent message's ``MessageStatus``/``SmsStatus``): nothing for the
  desk; a message callback with neither a ``Body`` nor a status is quarantined.

Voice: ``busy``, ``no-answer`` and ``failed`` (the caller reached nobody, whatever the cause)
on an inbound call become ``call.missed``, callback pending, urgency left to the pipeline. On
an outbound call (the agency calling out, or a forwarded leg's own callback, which the
``<Dial>`` action request already reports) they need nothing, as every other known status.

SMS: a message that is, trimmed and in any letter case, exactly an opt-out keyword (STOP, STOPALL,
UNSUBSCRIBE, CANCEL, END, QUIT, REVOKE, OPTOUT) or opt-in keyword (START, UNSTOP) becomes
``consent.changed``; HELP and INFO need nothing. ``OptOutType`` (STOP, START or HELP, sent by
Advanced Opt-Out, whose keywords can be customised) wins over the built-in lists. YES is not
taken as an opt-in: alone it is an everyday answer, and a wrong grant is worse than a missed
one. A message that is a rating and nothing else ("4", "4/5", "5 stars", "★★★★": the rule is
``app.pipeline.rating_text``) becomes ``feedback.rating``, the text kept as its evidence; the
pipeline takes it as a rating only from a customer who may be answering one (a won lead, or one
asked for a review), and reads it as an ordinary reply otherwise (its key is a reply's, so a
replay finds it either way). Any other message becomes ``lead.created`` with consent unknown:
texting a business asks for a reply, not for marketing. WhatsApp and other channel addresses
are quarantined.

``account_ref`` is the number called or texted (one Twilio number per client).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from app.pipeline import fields as f
from app.pipeline.model import Contact, NormalizedEvent, Quarantined, RawDelivery
from app.pipeline.payload import parse_form, parse_json
from app.pipeline.rating_text import read_rating
from db.vocab import Consent, EventType

PROVIDER = "twilio"
_MISSED = {"busy", "no-answer", "failed"}
_ARRIVING = {"queued", "initiated", "ringing"}
_NOTHING_TO_DO = _ARRIVING | {"in-progress", "answered", "completed", "canceled"}
_DIAL_ACTION = ("DialCallStatus", "DialCallSid", "DialCallDuration", "DialBridged")
_STATUS_CALLBACK = ("CallbackSource", "SequenceNumber", "Timestamp")
_MESSAGE_SIDS = ("MessageSid", "SmsSid", "SmsMessageSid")
_FORM_START = re.compile(rb"\s*[A-Za-z][A-Za-z0-9]*=")
_KEYWORDS = {
    **dict.fromkeys(("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"), "STOP"),
    **dict.fromkeys(("START", "UNSTOP"), "START"),
    **dict.fromkeys(("HELP", "INFO"), "HELP"),
}
_CONSENT = {"STOP": Consent.DENIED, "START": Consent.GRANTED}
_SENT_MESSAGE_STATUSES = frozenset(
    {
        "accepted",
        "scheduled",
        "queued",
        "sending",
        "sent",
        "delivered",
        "undelivered",
        "failed",
        "read",
        "canceled",
        "partially_delivered",
    }
)


def normalize(delivery: RawDelivery, max_body_bytes: int) -> list[NormalizedEvent]:
    params = _parameters(delivery, max_body_bytes)
    if f.text(params, "CallSid"):
        return _call(delivery, params)
    if any(f.text(params, key) for key in _MESSAGE_SIDS):
        return _messaging(delivery, params)
    raise Quarantined("neither a voice callback (CallSid) nor a message (MessageSid or SmsSid)")


def _parameters(delivery: RawDelivery, max_body_bytes: int) -> dict[str, str]:
    """Twilio's parameters, from a form body or a JSON object (see the module docstring)."""
    start = delivery.body.lstrip()[:1]
    if start not in (b"{", b"[") and (_FORM_START.match(delivery.body) or not _declared_json(delivery)):
        return parse_form(delivery, max_body_bytes)
    value = parse_json(delivery, max_body_bytes)
    if not isinstance(value, dict):
        raise Quarantined(f"body is JSON, but a {type(value).__name__}, not an object of Twilio parameters")
    params: dict[str, str] = {}
    for key, item in value.items():
        if isinstance(item, bool):
            params[key] = "true" if item else "false"
        elif isinstance(item, (str, int, float)):
            params[key] = str(item)
        elif item is not None:
            raise Quarantined("body is JSON, but a parameter in it is not a single value")
    sids = ("CallSid", *_MESSAGE_SIDS)
    if not (f.text(params, "AccountSid").startswith("AC") and any(params.get(k) for k in sids)):
        raise Quarantined("body is JSON, but not Twilio's parameters (an AccountSid with a CallSid or MessageSid)")
    return params


def _declared_json(delivery: RawDelivery) -> bool:
    declared = next(
        (v for k, v in delivery.headers.items() if k.lower() == "content-type"),
        delivery.content_type,
    )
    media = declared.split(";")[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


def _needed(params: dict[str, str], key: str, kind: str) -> str:
    value = f.text(params, key)
    if not value:
        raise Quarantined(f"{kind} without {key!r}: the body may have been cut short")
    return value


def _outcome(params: dict[str, str]) -> tuple[str, bool]:
    """The call's status and whether it is a ``<Dial>`` action's (see the module docstring)."""
    if any(key in params for key in _DIAL_ACTION):
        return _needed(params, "DialCallStatus", "a <Dial> action callback").lower(), True
    if any(key in params for key in _STATUS_CALLBACK):
        return _needed(params, "CallStatus", "a call status callback").lower(), False
    status = _needed(params, "CallStatus", "a voice callback").lower()
    if status in _MISSED or status in _ARRIVING:
        return status, False
    raise Quarantined(
        "a voice callback with neither 'DialCallStatus' (a <Dial> action) nor 'CallbackSource' "
        "(a status callback): the body may have been cut short"
    )


def _call(delivery: RawDelivery, params: dict[str, str]) -> list[NormalizedEvent]:
    status, dialled = _outcome(params)
    if status in _NOTHING_TO_DO:
        return []
    if status not in _MISSED:
        raise Quarantined("unknown call status")
    direction = f.text(params, "Direction", required=True).lower()
    if direction.startswith("outbound"):
        return []
    if direction != "inbound":
        raise Quarantined("unknown call direction")
    tracking_number = f.phone(f.text(params, "To", required=True)) or ""
    call_sid = f.text(params, "CallSid")
    duration = f.number(params, "DialCallDuration" if dialled else "CallDuration")
    return [
        NormalizedEvent(
            type=EventType.CALL_MISSED,
            provider=PROVIDER,
            idempotency_key=f.idempotency_key(PROVIDER, "call", f"{call_sid}:{status}", params),
            occurred_at=_rfc2822(params, "Timestamp") or _received_at(delivery),
            contact=Contact(
                name=f.display_name(f.text(params, "CallerName", max_chars=200)),
                phone=f.phone(f.text(params, "From", required=True)),
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


def _messaging(delivery: RawDelivery, params: dict[str, str]) -> list[NormalizedEvent]:
    if "Body" in params:
        return _message(delivery, params)
    status = (f.text(params, "MessageStatus") or f.text(params, "SmsStatus")).lower()
    if status in _SENT_MESSAGE_STATUSES:
        # The delivery report of a message the automation sent: its sending is the automation
        # layer's business, nothing here for the desk to review.
        return []
    if status in ("received", "receiving"):
        raise Quarantined("an inbound message without 'Body': the body may have been cut short")
    raise Quarantined(
        "a message callback with neither 'Body' (an inbound message) nor a known 'MessageStatus' (a status callback)"
    )


def _message(delivery: RawDelivery, params: dict[str, str]) -> list[NormalizedEvent]:
    sid = next(f.text(params, key) for key in _MESSAGE_SIDS if f.text(params, key))
    contact = Contact(phone=_sender(params))
    number_texted = f.phone(f.text(params, "To", required=True)) or ""
    body = f.text(params, "Body")
    keyword = body.upper()
    kind = _keyword_kind(params, keyword)
    if kind == "HELP":
        return []
    if kind:
        consent = _CONSENT[kind]
        return [
            NormalizedEvent(
                type=EventType.CONSENT_CHANGED,
                provider=PROVIDER,
                idempotency_key=f.idempotency_key(PROVIDER, "consent", sid, params),
                occurred_at=_received_at(delivery),
                contact=contact,
                source="sms",
                consent=consent,
                account_ref=number_texted,
                data={"consent": consent.value, "channel": "sms", "keyword": keyword[:40]},
            )
        ]
    rated = read_rating(body)
    return [
        NormalizedEvent(
            type=EventType.LEAD_CREATED if rated is None else EventType.FEEDBACK_RATING,
            provider=PROVIDER,
            idempotency_key=f.idempotency_key(PROVIDER, "lead", sid, params),
            occurred_at=_received_at(delivery),
            contact=contact,
            source="sms",
            free_text=body,
            account_ref=number_texted,
            data={
                "tracking_number": number_texted,
                "num_media": int(f.number(params, "NumMedia") or 0),
                **({} if rated is None else {"rating": rated.rating, "scale": rated.scale}),
            },
        )
    ]


def _sender(params: dict[str, str]) -> str:
    """The texter's number in E.164; a channel address (``whatsapp:+1...``) is not SMS."""
    raw = f.text(params, "From", required=True, max_chars=200)
    if ":" in raw:
        raise Quarantined("From is a channel address (such as whatsapp:), not an SMS number")
    number = f.phone(raw)
    if number is None:
        raise Quarantined("From is not a valid phone number")
    return number


def _keyword_kind(params: dict[str, str], keyword: str) -> str:
    """STOP, START or HELP when the whole message is a keyword, else ""."""
    declared = f.text(params, "OptOutType").upper()
    if declared and declared not in ("STOP", "START", "HELP"):
        raise Quarantined("unknown OptOutType; expected STOP, START or HELP")
    return declared or _KEYWORDS.get(keyword, "")


def _rfc2822(params: dict[str, str], key: str) -> datetime | None:
    """An RFC 2822 date parameter in UTC (a zone is required), or None when absent."""
    raw = f.text(params, key)
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
