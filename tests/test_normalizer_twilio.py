"""The Twilio normalizer reads call status callbacks and inbound texts, and quarantines the rest."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

import pytest

from app.pipeline.model import Contact, NormalizedEvent, Quarantined, RawDelivery
from app.pipeline.normalizers import twilio
from db.vocab import Consent, EventType, Urgency

PAYLOADS = Path(__file__).parent / "payloads" / "twilio"
LIMIT = 512 * 1024
FORM = "application/x-www-form-urlencoded"
RECEIVED = datetime(2026, 11, 20, 18, 5, 0, tzinfo=UTC)


def body(name: str, **changes: str | None) -> bytes:
    """A fixture's form body, with parameters replaced (or removed when None)."""
    params = dict(parse_qsl((PAYLOADS / name).read_text(encoding="utf-8"), keep_blank_values=True))
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return urlencode(params).encode()


def run(raw: bytes, received_at: datetime | None = RECEIVED, limit: int = LIMIT) -> list[NormalizedEvent]:
    return twilio.normalize(RawDelivery("twilio", raw, content_type=FORM, received_at=received_at), limit)


def test_an_unanswered_inbound_call_is_a_missed_call() -> None:
    (event,) = run((PAYLOADS / "call_no_answer.txt").read_bytes())
    assert event.type == EventType.CALL_MISSED
    assert event.provider == "twilio"
    assert event.idempotency_key == "twilio:call:CA8e41d0b7f2c94a6e9b3d5f17a20c6e48:no-answer"
    assert event.occurred_at == datetime(2026, 11, 20, 15, 14, 33, tzinfo=UTC)
    assert event.contact == Contact(name="Denise Park", phone="+17735550134")
    assert event.source == "phone"
    assert event.urgency == Urgency.NORMAL
    assert event.consent == Consent.UNKNOWN
    assert event.account_ref == "+13125550199"
    assert event.free_text == ""
    assert dict(event.data) == {
        "tracking_number": "+13125550199",
        "callback_status": "pending",
        "call_status": "no-answer",
        "duration_s": 0,
    }


def test_a_busy_inbound_call_is_a_missed_call() -> None:
    (event,) = run((PAYLOADS / "call_busy.txt").read_bytes(), received_at=None)
    assert event.type == EventType.CALL_MISSED
    assert event.idempotency_key == "twilio:call:CA1b7c93e05d6f48a2b8e4c0d9f3a71526:busy"
    assert event.occurred_at == datetime(2026, 11, 20, 16, 2, 9, tzinfo=UTC)
    assert event.contact == Contact(name="", phone="+18475550117")
    assert event.account_ref == "+13125550199"
    assert event.data["call_status"] == "busy"
    assert event.data["callback_status"] == "pending"


def test_a_timestamp_in_another_zone_is_stored_in_utc() -> None:
    (event,) = run(body("call_busy.txt", Timestamp="Fri, 20 Nov 2026 10:02:09 -0600"))
    assert event.occurred_at == datetime(2026, 11, 20, 16, 2, 9, tzinfo=UTC)


def test_a_failed_inbound_call_is_a_missed_call_too() -> None:
    (event,) = run(body("call_busy.txt", CallStatus="failed"))
    assert event.type == EventType.CALL_MISSED and event.data["call_status"] == "failed"


def test_a_forwarded_call_that_rang_out_is_missed_and_dated_by_its_arrival() -> None:
    (event,) = run((PAYLOADS / "dial_no_answer.txt").read_bytes())
    assert event.type == EventType.CALL_MISSED
    assert event.idempotency_key == "twilio:call:CA5c0e8b3f71d24a96c2e7b1f48d05a3e9:no-answer"
    assert event.occurred_at == RECEIVED
    assert event.contact.phone == "+17735550176"
    assert event.data["call_status"] == "no-answer" and event.data["duration_s"] == 0


def test_a_forwarded_call_that_was_answered_needs_nothing() -> None:
    assert run(body("dial_no_answer.txt", DialCallStatus="completed", DialCallDuration="95")) == []


def test_a_completed_call_needs_nothing() -> None:
    assert run((PAYLOADS / "call_completed.txt").read_bytes()) == []


@pytest.mark.parametrize("status", ["queued", "initiated", "ringing", "in-progress", "completed", "canceled"])
def test_calls_still_in_progress_or_ended_normally_need_nothing(status: str) -> None:
    assert run(body("call_no_answer.txt", CallStatus=status)) == []


@pytest.mark.parametrize("direction", ["outbound-api", "outbound-dial"])
def test_an_unanswered_outbound_call_needs_nothing(direction: str) -> None:
    assert run(body("call_no_answer.txt", Direction=direction)) == []


def test_an_inbound_text_is_a_lead() -> None:
    (event,) = run((PAYLOADS / "sms_inbound.txt").read_bytes())
    assert event.type == EventType.LEAD_CREATED
    assert event.provider == "twilio"
    assert event.idempotency_key == "twilio:lead:MM7a2f9c04e1b86d35a0c7e2f94b1d6a83"
    assert event.occurred_at == RECEIVED
    assert event.contact == Contact(phone="+13125550142")
    assert event.source == "sms"
    assert event.urgency == Urgency.NORMAL
    assert event.consent == Consent.UNKNOWN
    assert event.account_ref == "+13125550199"
    assert event.free_text.startswith("Hi, do you service tankless water heaters in 60614?")
    assert event.free_text.endswith("Can someone come Saturday?")
    assert dict(event.data) == {"tracking_number": "+13125550199", "num_media": 1}


def test_a_photo_without_words_is_still_a_lead() -> None:
    (event,) = run(body("sms_inbound.txt", Body=""))
    assert event.type == EventType.LEAD_CREATED and event.free_text == ""
    assert event.data["num_media"] == 1


@pytest.mark.parametrize(
    ("text", "keyword"),
    [
        ("Stop", "STOP"),
        ("stop", "STOP"),
        (" Stop ", "STOP"),
        ("STOPALL", "STOPALL"),
        ("unsubscribe", "UNSUBSCRIBE"),
        ("Cancel", "CANCEL"),
        ("end", "END"),
        ("QUIT\n", "QUIT"),
        ("revoke", "REVOKE"),
        ("OptOut", "OPTOUT"),
    ],
)
def test_an_opt_out_keyword_denies_consent(text: str, keyword: str) -> None:
    (event,) = run(body("sms_stop.txt", Body=text))
    assert event.type == EventType.CONSENT_CHANGED
    assert event.idempotency_key == "twilio:consent:SM0c6e3a9f58b21d47e4a7c2f91b0d83e6"
    assert event.occurred_at == RECEIVED
    assert event.contact == Contact(phone="+17735550188")
    assert event.consent == Consent.DENIED
    assert event.account_ref == "+13125550199"
    assert dict(event.data) == {"consent": "denied", "channel": "sms", "keyword": keyword}


@pytest.mark.parametrize(("text", "keyword"), [("START", "START"), ("unstop", "UNSTOP")])
def test_an_opt_in_keyword_grants_consent(text: str, keyword: str) -> None:
    (event,) = run(body("sms_stop.txt", Body=text))
    assert event.type == EventType.CONSENT_CHANGED
    assert event.consent == Consent.GRANTED
    assert dict(event.data) == {"consent": "granted", "channel": "sms", "keyword": keyword}


@pytest.mark.parametrize("text", ["please stop calling me after 5", "STOP PLEASE", "Please cancel", "yes", "YES"])
def test_only_a_whole_message_keyword_changes_consent(text: str) -> None:
    (event,) = run(body("sms_stop.txt", Body=text))
    assert event.type == EventType.LEAD_CREATED
    assert event.consent == Consent.UNKNOWN
    assert event.free_text == text


@pytest.mark.parametrize("text", ["HELP", " help", "Info"])
def test_a_help_request_needs_nothing(text: str) -> None:
    assert run(body("sms_stop.txt", Body=text)) == []


def test_advanced_opt_out_type_wins_over_the_builtin_keywords() -> None:
    (event,) = run((PAYLOADS / "sms_opt_out_advanced.txt").read_bytes())
    assert event.type == EventType.CONSENT_CHANGED
    assert event.consent == Consent.DENIED
    assert event.contact.phone == "+17085550153"
    assert dict(event.data) == {"consent": "denied", "channel": "sms", "keyword": "ALTO"}
    (event,) = run(body("sms_opt_out_advanced.txt", Body="Reanudar", OptOutType="START"))
    assert event.consent == Consent.GRANTED and event.data["keyword"] == "REANUDAR"
    assert run(body("sms_opt_out_advanced.txt", Body="Ayuda", OptOutType="HELP")) == []


def test_the_same_delivery_twice_gets_the_same_key() -> None:
    for name in ("call_no_answer.txt", "dial_no_answer.txt", "sms_inbound.txt", "sms_stop.txt"):
        raw = (PAYLOADS / name).read_bytes()
        first, again = run(raw), run(raw, received_at=datetime(2026, 11, 21, tzinfo=UTC))
        assert first[0].idempotency_key == again[0].idempotency_key
    busy = run(body("call_no_answer.txt", CallStatus="busy"))[0]
    assert busy.idempotency_key != run(body("call_no_answer.txt"))[0].idempotency_key


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"", "empty body"),
        (b'{"CallSid": "CA8e41d0b7f2c94a6e9b3d5f17a20c6e48", "From": "+13125550142"}', "is JSON"),
        (b"[]", "body is JSON"),
        (b"CallSid=CA1&CallStatus=busy&&", "malformed form body"),
        (b"CallSid=CA1&CallStatus=busy\x00", r"forbidden character U\+0000"),
        (b"Body=hi\xff", "not valid UTF-8"),
        (b"AccountSid=AC3f9b2d7e41c8a05f6e2b9d13c7a4e8f0&From=%2B13125550142", "neither a voice"),
        (body("sms_inbound.txt", Body=None), "inbound message without 'Body'"),
        (body("call_no_answer.txt", From=None), "required field 'From' is missing"),
        (body("call_no_answer.txt", To=None), "required field 'To' is missing"),
        (body("call_no_answer.txt", Direction=None), "required field 'Direction' is missing"),
        (body("call_no_answer.txt", Direction="trunking-originating"), "unknown call direction"),
        (body("call_no_answer.txt", CallStatus="voicemail"), "unknown call status"),
        (body("call_no_answer.txt", Timestamp="yesterday"), "not a valid RFC 2822 date"),
        (body("call_no_answer.txt", Timestamp="Fri, 20 Nov 2026 25:14:33 +0000"), "not a valid"),
        (body("call_no_answer.txt", Timestamp="Fri, 20 Nov 2026 15:14:33"), "no time zone"),
        (body("call_no_answer.txt", Timestamp="Fri, 20 Nov 2026 15:14:33 -0000"), "no time zone"),
        (body("sms_stop.txt", From=None), "required field 'From' is missing"),
        (body("sms_stop.txt", From="whatsapp:+17735550188"), "channel address"),
        (body("sms_stop.txt", From="BRANDCO"), "From is not a valid phone number"),
        (body("sms_stop.txt", OptOutType="UNSUBSCRIBE"), "unknown OptOutType"),
    ],
)
def test_bad_input_is_quarantined_with_a_readable_reason(raw: bytes, reason: str) -> None:
    with pytest.raises(Quarantined, match=reason):
        run(raw)


@pytest.mark.parametrize("name", ["call_no_answer.txt", "sms_inbound.txt", "sms_stop.txt"])
def test_an_event_without_any_time_is_quarantined(name: str) -> None:
    with pytest.raises(Quarantined, match="no Timestamp parameter and no received time"):
        run(body(name, Timestamp=None), received_at=None)


def test_a_body_over_the_size_cap_is_quarantined() -> None:
    with pytest.raises(Quarantined, match="over the 1024-byte limit"):
        run(body("sms_inbound.txt", Body="x" * 2000), limit=1024)


def test_a_message_status_callback_is_read_and_needs_nothing() -> None:
    body = (
        b"MessageSid=SM0123456789abcdef0123456789abcdef&MessageStatus=delivered"
        b"&AccountSid=AC0123456789abcdef0123456789abcdef&From=%2B13125550199&To=%2B13125550142"
    )
    assert twilio.normalize(RawDelivery("twilio", body), 512 * 1024) == []


# --- Bodies cut at a parameter boundary ------------------------------------------------------


def cut(name: str, before: str) -> bytes:
    """A fixture's form body as Twilio sent it, ending just before the parameter ``before``."""
    params = (PAYLOADS / name).read_bytes().split(b"&")
    at = next(i for i, p in enumerate(params) if p.startswith(before.encode() + b"="))
    return b"&".join(params[:at])


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (cut("dial_no_answer.txt", "DialCallStatus"), "<Dial> action callback without 'DialCallStatus'"),
        (cut("dial_no_answer.txt", "DialCallSid"), "neither 'DialCallStatus' .* nor 'CallbackSource'"),
        (cut("call_no_answer.txt", "CallStatus"), "status callback without 'CallStatus'"),
        (cut("call_no_answer.txt", "From"), "required field 'From' is missing"),
        (cut("sms_inbound.txt", "Body"), "inbound message without 'Body'"),
        (cut("sms_inbound.txt", "SmsStatus"), "neither 'Body' .* nor a known 'MessageStatus'"),
        (cut("sms_inbound.txt", "From"), "required field 'From' is missing"),
        (cut("sms_stop.txt", "Body"), "inbound message without 'Body'"),
    ],
    ids=[
        "dial-without-status",
        "dial-before-its-parameters",
        "status-without-status",
        "status-without-caller",
        "sms-without-body",
        "sms-before-its-status",
        "sms-without-sender",
        "stop-without-body",
    ],
)
def test_a_callback_cut_short_is_quarantined_with_the_missing_parameter_named(raw: bytes, reason: str) -> None:
    with pytest.raises(Quarantined, match=reason):
        run(raw)


@pytest.mark.parametrize(
    "name", ["call_no_answer.txt", "dial_no_answer.txt", "call_busy.txt", "sms_inbound.txt", "sms_stop.txt"]
)
def test_no_cut_of_a_callback_the_desk_needs_reads_as_nothing_to_do(name: str) -> None:
    """Every boundary of a missed call or a text: the event itself, or a quarantine, never []."""
    (whole,) = run((PAYLOADS / name).read_bytes())
    params = (PAYLOADS / name).read_bytes().split(b"&")
    for end in range(1, len(params)):
        try:
            events = run(b"&".join(params[:end]))
        except Quarantined:
            continue
        assert [e.type for e in events] == [whole.type], f"cut after {end} parameters"
        assert events[0].idempotency_key == whole.idempotency_key


def test_a_call_still_arriving_needs_nothing_but_any_other_bare_status_is_kept() -> None:
    bare = "CallSid=CA1&AccountSid=AC1&Direction=inbound&From=%2B17735550134&To=%2B13125550199"
    assert run(f"{bare}&CallStatus=ringing".encode()) == []
    (missed,) = run(f"{bare}&CallStatus=no-answer".encode())
    assert missed.type == EventType.CALL_MISSED
    for status in ("in-progress", "completed"):  # what a <Dial> action looks like, cut short
        with pytest.raises(Quarantined, match="may have been cut short"):
            run(f"{bare}&CallStatus={status}".encode())


def test_a_dial_action_after_a_conference_carries_only_its_status() -> None:
    """Twilio sends no DialCallSid or DialCallDuration after dialing a conference."""
    raw = body("dial_no_answer.txt", DialCallSid=None, DialCallDuration=None, DialBridged=None)
    (event,) = run(raw)
    assert event.data["call_status"] == "no-answer" and event.data["duration_s"] == 0


# --- Parameters stored as a JSON object ------------------------------------------------------

JSON = "application/json"


def run_as(raw: bytes, content_type: str = JSON, headers: dict[str, str] | None = None) -> list[NormalizedEvent]:
    delivery = RawDelivery("twilio", raw, headers=headers or {}, content_type=content_type, received_at=RECEIVED)
    return twilio.normalize(delivery, LIMIT)


def as_json(name: str, **changes: object) -> bytes:
    params: dict[str, object] = dict(parse_qsl((PAYLOADS / name).read_text(), keep_blank_values=True))
    params.update(changes)
    return json.dumps(params).encode()


@pytest.mark.parametrize(
    ("content_type", "headers"),
    [
        (JSON, {}),
        (FORM, {}),  # recorded as Twilio sent it, stored as JSON
        (JSON, {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}),
    ],
    ids=["recorded-json", "recorded-form", "twilio-header-kept"],
)
def test_twilio_parameters_stored_as_json_are_the_same_callback(content_type: str, headers: dict[str, str]) -> None:
    (from_json,) = run_as((PAYLOADS / "dial_no_answer.json").read_bytes(), content_type, headers)
    (from_form,) = run((PAYLOADS / "dial_no_answer.txt").read_bytes())
    assert from_json == from_form  # same key: stored both ways, it is one missed call


def test_json_parameters_of_every_kind_are_read() -> None:
    (missed,) = run_as(as_json("call_no_answer.txt", SequenceNumber=0))
    assert missed.type == EventType.CALL_MISSED and missed.contact.name == "Denise Park"
    (lead,) = run_as(as_json("sms_inbound.txt", NumMedia=1))
    assert lead.type == EventType.LEAD_CREATED and lead.data["num_media"] == 1
    (stop,) = run_as(as_json("sms_stop.txt"))
    assert stop.consent == Consent.DENIED
    assert run_as(as_json("call_completed.txt", CallDuration=187)) == []
    assert run_as(as_json("dial_no_answer.txt", DialCallStatus="completed")) == []


@pytest.mark.parametrize(
    ("raw", "content_type", "reason"),
    [
        (b'{"AccountSid": "AC3f9b2d7e41c8a05f6e2b9d13c7a4e8f0", "CallSid": "CA5c0e', JSON, "malformed JSON"),
        (b'{"AccountSid": "AC3f9b2d7e41c8a05f6e2b9d13c7a4e8f0", "CallSid": "CA5c0e', FORM, "malformed JSON"),
        (b'{"leadOid": 398120457, "primaryPhone": "7735550188"}', JSON, "not Twilio's parameters"),
        (as_json("dial_no_answer.txt", AccountSid=None), JSON, "not Twilio's parameters"),
        (as_json("dial_no_answer.txt", AccountSid="3f9b2d7e41c8a05f6e2b9d13c7"), JSON, "not Twilio's"),
        (as_json("sms_inbound.txt", MessageSid=None, SmsSid=None, SmsMessageSid=None), JSON, "not Twilio's parameters"),
        (as_json("dial_no_answer.txt", From={"number": "+17735550176"}), JSON, "not a single value"),
        (as_json("dial_no_answer.txt", DialCallStatus=None), JSON, "without 'DialCallStatus'"),
        (b'[{"CallSid": "CA1"}]', JSON, "body is JSON, but a list"),
        (b'"CallSid=CA1&CallStatus=busy"', JSON, "body is JSON, but a str"),
        (b'"CallSid=CA1&CallStatus=busy"', FORM, "neither a voice callback"),
    ],
    ids=[
        "cut-json",
        "cut-json-labelled-form",
        "someone-elses-json",
        "no-account",
        "not-an-account",
        "no-sid",
        "nested-value",
        "dial-without-status",
        "a-list",
        "string-declared-json",
        "string-declared-form",
    ],
)
def test_json_that_is_not_twilios_parameters_is_quarantined(raw: bytes, content_type: str, reason: str) -> None:
    with pytest.raises(Quarantined, match=reason):
        run_as(raw, content_type)


def test_the_body_shape_wins_over_a_contradicting_label() -> None:
    form_body = (PAYLOADS / "call_no_answer.txt").read_bytes()
    (event,) = run_as(form_body, JSON, {"content-type": "application/json"})
    assert event.type == EventType.CALL_MISSED
