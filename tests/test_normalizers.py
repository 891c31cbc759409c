"""Normalizers read realistic payloads correctly and quarantine what they cannot read."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from app.demo import ensure_demo_catalog
from app.pipeline import routing
from app.pipeline.model import NormalizedEvent, Quarantined, RawDelivery
from app.pipeline.normalizers import normalize
from app.pipeline.poller import PollConfig, PollResult, drain
from db.engine import Database
from db.models import Client, Draft, IntegrationAccount, OwnerTask, WebhookEvent
from db.types import utcnow
from db.vocab import Consent, EventType, Urgency, WebhookStatus

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


# --- Call tracking: what the provider knows of the caller ------------------------------------


def callrail(**changes: object) -> RawDelivery:
    """The documented repeat-caller post, with fields replaced (or removed when None)."""
    call = json.loads((PAYLOADS / "callrail" / "missed_repeat_caller.json").read_text())
    for key, value in changes.items():
        if value is None:
            call.pop(key, None)
        else:
            call[key] = value
    return RawDelivery("callrail", json.dumps(call).encode())


def test_callrail_says_the_caller_called_twice_before() -> None:
    (event,) = normalize(delivery("callrail", "missed_repeat_caller.json"), LIMIT)
    assert event.type == EventType.CALL_MISSED
    assert event.contact.phone == "+18475550162" and event.contact.name == "Priya Nair"
    assert event.data["first_call"] is False and event.data["prior_calls"] == 2
    assert event.urgency == Urgency.NORMAL  # only a first call is urgent


@pytest.mark.parametrize(
    ("fields", "first_call", "prior_calls"),
    [
        ({"first_call": None, "prior_calls": None, "total_calls": None}, None, None),
        ({"first_call": True, "prior_calls": None, "total_calls": None}, True, None),
        ({"first_call": False, "prior_calls": None, "total_calls": None}, False, None),
        ({"first_call": "false", "prior_calls": None, "total_calls": None}, False, None),
        ({"first_call": True, "prior_calls": 2}, False, 2),  # the count wins
        ({"first_call": None, "prior_calls": 0, "total_calls": None}, True, 0),
        ({"first_call": None, "prior_calls": "3", "total_calls": None}, False, 3),
        ({"first_call": None, "prior_calls": None, "total_calls": 3}, False, 2),
        ({"first_call": None, "prior_calls": None, "total_calls": 1}, True, 0),
    ],
    ids=[
        "nothing-said",
        "first",
        "not-first",
        "not-first-as-text",
        "count-wins",
        "no-prior",
        "prior-as-text",
        "total-only",
        "total-one",
    ],
)
def test_callrail_caller_history_is_normalized(
    fields: dict[str, object], first_call: bool | None, prior_calls: int | None
) -> None:
    (event,) = normalize(callrail(**fields), LIMIT)
    assert event.data["first_call"] is first_call
    assert event.data["prior_calls"] == prior_calls
    assert event.urgency == (Urgency.HIGH if first_call else Urgency.NORMAL)


def test_an_answered_call_with_no_prior_calls_is_a_new_lead() -> None:
    answered = {"answered": True, "call_type": "answered", "first_call": None, "total_calls": None}
    (lead,) = normalize(callrail(prior_calls=0, **answered), LIMIT)
    assert lead.type == EventType.LEAD_CREATED and lead.data["first_call"] is True
    assert normalize(callrail(prior_calls=4, **answered), LIMIT) == []
    assert normalize(callrail(prior_calls=None, **answered), LIMIT) == []  # CallRail did not say


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"prior_calls": -1}, "'prior_calls' must be a whole number of calls"),
        ({"prior_calls": 1.5}, "'prior_calls' must be a whole number of calls"),
        ({"prior_calls": "several"}, "'prior_calls' must be a number"),
        ({"prior_calls": None, "total_calls": [3]}, "'total_calls' must be a number"),
        ({"first_call": "maybe"}, "'first_call' must be true or false"),
    ],
)
def test_callrail_caller_history_of_the_wrong_kind_is_quarantined(fields: dict[str, object], reason: str) -> None:
    with pytest.raises(Quarantined, match=reason):
        normalize(callrail(**fields), LIMIT)


@pytest.mark.parametrize(
    ("data", "desk_knows", "new"),
    [
        ({"first_call": True, "prior_calls": 0}, False, True),
        ({"first_call": None, "prior_calls": None}, False, True),  # nobody knows them
        ({}, False, True),  # a provider with no caller history (Twilio)
        ({"first_call": False, "prior_calls": 2}, False, False),  # the provider knows them
        ({"first_call": None, "prior_calls": 1}, False, False),
        ({"first_call": True, "prior_calls": 0}, True, False),  # the desk knows them
        ({}, True, False),
    ],
)
def test_a_caller_is_new_only_when_neither_the_provider_nor_the_desk_knows_them(
    data: dict[str, object], desk_knows: bool, new: bool
) -> None:
    event = NormalizedEvent(
        EventType.CALL_MISSED, "callrail", "callrail:call:CAL1", datetime(2026, 11, 21, tzinfo=UTC), data=data
    )
    assert routing.new_caller(event, desk_knows) is new


# --- ...and through the pipeline ------------------------------------------------------------


def _deliver_call(db: Database, config: PollConfig, **changes: object) -> PollResult:
    with db.read() as session:
        account = session.scalar(
            select(IntegrationAccount.external_account_id)
            .join(Client)
            .where(Client.slug == "northside-plumbing", IntegrationAccount.provider == "callrail")
        )
    call = json.loads(callrail(**changes).body)
    call.update(company_id=account, start_time=utcnow().isoformat())
    with db.write() as session:
        session.add(
            WebhookEvent(
                provider="callrail",
                client_id=None,
                body=json.dumps(call).encode(),
                owner="intake",
                source="callrail",
                status=WebhookStatus.NEW,
                recovery="replay",
                received_at=utcnow(),
            )
        )
    return drain(db, config)


def _desk_texts(db: Database) -> list[str]:
    """Every owner task title and reason, and every draft text the desk wrote."""
    with db.read() as session:
        tasks = session.execute(select(OwnerTask.title, OwnerTask.reason)).all()
        drafts = session.execute(select(Draft.client_text, Draft.internal_summary)).all()
    return [text for row in (*tasks, *drafts) for text in row if text]


@pytest.fixture
def desk(database: Database) -> Database:
    with database.write() as session:
        ensure_demo_catalog(session)
    return database


def test_a_missed_call_from_a_caller_callrail_knows_is_not_a_new_caller(
    desk: Database, poll_config: PollConfig
) -> None:
    result = _deliver_call(desk, poll_config)  # first_call false, prior_calls 2, no desk history
    assert result.processed == 1 and result.tasks == 0
    texts = _desk_texts(desk)
    assert texts, "the missed call was drafted"
    assert not [t for t in texts if "new caller" in t.lower()]


def test_a_missed_first_call_from_an_unknown_caller_still_gets_the_new_caller_task(
    desk: Database, poll_config: PollConfig
) -> None:
    result = _deliver_call(desk, poll_config, first_call=True, prior_calls=0, total_calls=1)
    assert result.tasks == 1
    with desk.read() as session:
        assert session.scalar(select(OwnerTask.reason)) == "missed call from a new caller"
    # CallRail says first call, but the desk has met this caller now: not new either.
    again = _deliver_call(desk, poll_config, resource_id="CALsecond", first_call=True, prior_calls=0, total_calls=1)
    assert again.processed == 1 and again.tasks == 0
