"""The HubSpot normalizer reads webhook v3 event arrays: a deal's stage change is an event, every
other change is read and needs nothing, and what is not a HubSpot event is quarantined."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from app.pipeline.model import NormalizedEvent, Quarantined, RawDelivery
from app.pipeline.normalizers import hubspot, normalize
from db.vocab import EventType

PAYLOADS = Path(__file__).parent / "payloads" / "hubspot"
LIMIT = 512 * 1024


def events(name: str) -> list[dict[str, Any]]:
    return json.loads((PAYLOADS / name).read_text(encoding="utf-8"))


def run(value: Any) -> list[NormalizedEvent]:
    raw = value if isinstance(value, bytes) else json.dumps(value).encode()
    return normalize(RawDelivery("hubspot", raw), LIMIT)


def test_a_deal_stage_change_is_an_event_and_the_rest_of_the_array_needs_nothing() -> None:
    (event,) = run(events("deal_won.json"))  # with an amount change and a contact creation
    assert event.type == EventType.CRM_DEAL_STAGE
    assert event.provider == "hubspot"
    assert event.idempotency_key == "hubspot:deal_stage:44871236:19284751023:1796047200000:closedwon"
    assert event.occurred_at == datetime(2026, 11, 30, 14, 0, tzinfo=UTC)
    assert event.account_ref == "44871236"
    assert dict(event.data) == {
        "deal": "19284751023",
        "crm_stage": "closedwon",
        "portal": "44871236",
        "change_source": "CRM_UI",
        "closed_lost_reason": None,
    }
    assert event.contact.is_empty


def test_a_lost_deal_carries_the_lost_reason_the_same_delivery_changed() -> None:
    (event,) = run(events("deal_lost.json"))
    assert (event.data["crm_stage"], event.data["closed_lost_reason"]) == ("closedlost", "The price")


def test_stage_changes_come_out_in_the_order_they_happened_whatever_the_array_says() -> None:
    found = run(events("deal_moved_twice.json"))
    assert [(e.data["deal"], e.data["crm_stage"]) for e in found] == [
        ("19284751023", "qualifiedtobuy"),
        ("19284751023", "presentationscheduled"),
        ("19284750988", "contractsent"),
    ]
    assert found[0].occurred_at < found[1].occurred_at < found[2].occurred_at


def test_a_resent_event_has_the_same_key() -> None:
    first = events("deal_won.json")
    again = [dict(e, attemptNumber=3) for e in first]
    assert [e.idempotency_key for e in run(first)] == [e.idempotency_key for e in run(again)]


def test_other_properties_and_subscriptions_are_read_and_need_nothing() -> None:
    won = events("deal_won.json")
    assert run(won[1:]) == []  # an amount change and a contact creation
    assert run([dict(won[0], subscriptionType="deal.creation", propertyName=None, propertyValue=None)]) == []
    assert run([dict(won[0], propertyName="closed_lost_reason", propertyValue="x" * 900)]) == []


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ({"objectId": 1}, "expected a JSON array of HubSpot events, got dict"),
        ([], "an empty JSON array"),
        (["dealstage"], "event 1 of the array is a str, not a HubSpot event"),
        (
            [{"portalId": 44871236, "occurredAt": 1796047200000}],
            "event 1 of the array: required field 'subscriptionType'",
        ),
        ("no portal", "event 1 of the array: required field 'portalId' is missing"),
        ("no moment", "event 1 of the array: required timestamp 'occurredAt' is missing"),
        ("no deal", "event 1 of the array: required field 'objectId' is missing"),
        ("a deal id in words", "event 1 of the array: field 'objectId' must be a HubSpot id"),
        ("no stage", "event 1 of the array: required field 'propertyValue' is missing"),
        ("stage as an object", "event 1 of the array: field 'propertyValue' must be text, not dict"),
    ],
)
def test_what_is_not_a_hubspot_event_is_quarantined_with_the_reason(value: Any, reason: str) -> None:
    stage = events("deal_won.json")[0]
    broken = {
        "no portal": [dict(stage, portalId=None)],
        "no moment": [dict(stage, occurredAt=None)],
        "no deal": [dict(stage, objectId=None)],
        "a deal id in words": [dict(stage, objectId="deal nineteen")],
        "no stage": [dict(stage, propertyValue="")],
        "stage as an object": [dict(stage, propertyValue={"id": "closedwon"})],
    }
    with pytest.raises(Quarantined) as caught:
        run(broken.get(value, value) if isinstance(value, str) else value)
    assert reason in caught.value.reason


def test_one_broken_event_quarantines_the_whole_delivery() -> None:
    whole = events("deal_moved_twice.json")
    whole[2]["objectId"] = None
    with pytest.raises(Quarantined, match="event 3 of the array"):
        hubspot.normalize(RawDelivery("hubspot", json.dumps(whole).encode()), LIMIT)


def test_a_body_that_is_not_json_is_quarantined() -> None:
    with pytest.raises(Quarantined, match="malformed JSON"):
        run(b"eventId=1&objectId=2")
