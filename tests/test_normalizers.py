"""Normalizers read realistic payloads correctly and quarantine what they cannot read."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.pipeline.model import Quarantined, RawDelivery
from app.pipeline.normalizers import normalize
from db.vocab import Consent, EventType, Urgency

PAYLOADS = Path(__file__).parent / "payloads"
LIMIT = 512 * 1024


def delivery(provider: str, name: str) -> RawDelivery:
    return RawDelivery(provider, (PAYLOADS / provider / name).read_bytes())


def test_web_quote_form_yields_a_lead_and_a_quote_request() -> None:
    lead, quote = normalize(delivery("web_form", "quote.json"), LIMIT)
    assert lead.type == EventType.LEAD_CREATED and quote.type == EventType.QUOTE_REQUESTED
    assert lead.contact.name == "Maria Lopez"
    assert lead.contact.phone == "+13125550142"
    assert lead.contact.email == "maria.lopez@example.com"
    assert lead.service == "Water heater repair"
    assert lead.urgency == Urgency.HIGH
    assert lead.consent == Consent.GRANTED
    assert lead.attribution["utm_source"] == "google" and lead.attribution["gclid"] == "EAIaIQobChMI8"
    assert lead.occurred_at == datetime(2026, 11, 20, 15, 4, 5, tzinfo=UTC)
    assert lead.idempotency_key == "web_form:lead:sub_7f3a9c21e4b8"
    assert quote.idempotency_key == "web_form:quote:sub_7f3a9c21e4b8"
    assert quote.data["budget"] == 1200.0 and quote.data["photos"] == 2
    assert quote.data["location"] == "60614"


def test_callrail_missed_first_call_is_an_urgent_missed_call() -> None:
    (event,) = normalize(delivery("callrail", "missed.json"), LIMIT)
    assert event.type == EventType.CALL_MISSED
    assert event.contact.phone == "+17735550188"
    assert event.contact.name == "James Carter"
    assert event.occurred_at == datetime(2026, 11, 20, 15, 14, 33, tzinfo=UTC)
    assert event.data["tracking_number"] == "+13125550199"
    assert event.data["callback_status"] == "pending"
    assert event.urgency == Urgency.HIGH
    assert event.source == "Google Ads"
    assert event.attribution["utm_campaign"] == "drains-2026"
    assert event.idempotency_key == "callrail:call:CAL8154748ae6bd4e278a7cddd38a662f4f"
    assert event.account_ref == "COM8154748ae6bd4e278a7cddd38a662f4f"


def test_callrail_voicemail_keeps_the_transcript_internal() -> None:
    (event,) = normalize(delivery("callrail", "voicemail.json"), LIMIT)
    assert event.type == EventType.CALL_MISSED and event.data["voicemail"] is True
    assert "estimate" in event.free_text
    assert event.urgency == Urgency.NORMAL


def test_an_answered_repeat_call_needs_nothing() -> None:
    assert normalize(delivery("callrail", "answered_repeat.json"), LIMIT) == []


def test_a_delivery_without_a_provider_id_gets_a_content_hash_key() -> None:
    body = json.loads((PAYLOADS / "web_form" / "quote.json").read_text())
    del body["submission_id"]
    first = normalize(RawDelivery("web_form", json.dumps(body).encode()), LIMIT)[0]
    reordered = json.dumps(dict(reversed(list(body.items())))).encode()
    again = normalize(RawDelivery("web_form", reordered), LIMIT)[0]
    assert first.idempotency_key.startswith("web_form:lead:sha256:")
    assert first.idempotency_key == again.idempotency_key


@pytest.mark.parametrize(
    ("provider", "body", "reason"),
    [
        ("nobody", b"{}", "unknown provider"),
        ("web_form", b"", "empty body"),
        ("web_form", b"{not json", "malformed JSON"),
        ("web_form", b"[1, 2]", "expected a JSON object"),
        ("web_form", b"\xff\xfe{}", "not valid UTF-8"),
        ("web_form", b'{"a": "x\x00y"}', r"forbidden character U\+0000"),
        ("web_form", b'{"a": "x\\u0000y"}', r"forbidden character U\+0000"),
        ("web_form", '{"a": "\u202eevil"}'.encode(), r"forbidden character U\+202E"),
        ("web_form", b'{"a": NaN}', "non-standard constant"),
        ("web_form", b"[" * 100 + b"]" * 100, "nested deeper"),
        ("web_form", b'{"a":' * 40 + b"1" + b"}" * 40, "nested deeper"),
        ("web_form", b'{"fields": "nope", "submitted_at": "2026-11-20T15:04:05Z"}', "'fields' must be an object"),
        ("web_form", b'{"fields": {}, "submitted_at": "yesterday"}', "not a valid date"),
        ("web_form", b'{"fields": {}, "submitted_at": "2026-11-20T15:04:05"}', "no time zone"),
        ("callrail", b'{"start_time": "2026-11-20T15:04:05Z"}', "customer_phone_number"),
        ("callrail", b'{"customer_phone_number": ["x"], "start_time": "2026-11-20T15:04:05Z"}', "must be text"),
    ],
)
def test_bad_input_is_quarantined_with_a_readable_reason(provider: str, body: bytes, reason: str) -> None:
    with pytest.raises(Quarantined, match=reason):
        normalize(RawDelivery(provider, body), LIMIT)


def test_a_body_over_the_size_cap_is_quarantined() -> None:
    with pytest.raises(Quarantined, match="over the 1024-byte limit"):
        normalize(RawDelivery("web_form", b"{" + b" " * 2000 + b"}"), 1024)
