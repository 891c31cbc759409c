"""The Google Ads lead form and Meta lead ads normalizers read realistic payloads correctly and
quarantine what they cannot read."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from app.pipeline.model import NormalizedEvent, Quarantined, RawDelivery
from app.pipeline.normalizers import google_ads, meta_leads
from db.vocab import Consent, EventType, Urgency

PAYLOADS = Path(__file__).parent / "payloads"
LIMIT = 512 * 1024
GOOGLE_KEY = "nsp-LeadHook-7Hq2xK9vRm4T"

Normalizer = Callable[[RawDelivery, int], list[NormalizedEvent]]


def body(provider: str, name: str) -> dict[str, Any]:
    payload: dict[str, Any] = json.loads((PAYLOADS / provider / name).read_text())
    return payload


def google(payload: dict[str, Any], received_at: datetime | None = None) -> list[NormalizedEvent]:
    delivery = RawDelivery("google_ads", json.dumps(payload).encode(), received_at=received_at)
    return google_ads.normalize(delivery, LIMIT)


def meta(payload: dict[str, Any], received_at: datetime | None = None) -> list[NormalizedEvent]:
    delivery = RawDelivery("meta_leads", json.dumps(payload).encode(), received_at=received_at)
    return meta_leads.normalize(delivery, LIMIT)


def test_a_google_lead_form_lead_is_read_whole() -> None:
    (lead,) = google(body("google_ads", "lead.json"))
    assert lead.type == EventType.LEAD_CREATED and lead.provider == "google_ads"
    assert lead.idempotency_key == "google_ads:lead:CjwKCAiA9ourBhAVEiwA3L5RFm4Tq0rXb8Zs2pKcN7vH1dYgLwE5uQzJ6aB"
    assert lead.occurred_at == datetime(2026, 11, 20, 15, 4, 5, tzinfo=UTC)
    assert lead.contact.name == "Maria Lopez"
    assert lead.contact.phone == "+13125550142"
    assert lead.contact.email == "maria.lopez@example.com"
    assert lead.service == "Water heater repair"
    assert lead.source == "Google Ads lead form"
    assert lead.urgency == Urgency.NORMAL and lead.consent == Consent.UNKNOWN
    assert lead.attribution == {
        "campaign_id": "21877412309",
        "adgroup_id": "168250331476",
        "creative_id": "702815690233",
        "form_id": "349080077126",
        "gclid": "CjwKCAiA9ourBhAVEiwA3L5RFm4Tq0rXb8Zs2pKcN7vH1dYgLwE5uQzJ6aB",
    }
    assert lead.free_text == (
        "Which service are you interested in? Water heater repair\n"
        "What is the best time to contact you? Weekday mornings\n"
        "Describe the problem: Tank is leaking under the stairs, we need it fixed before the weekend."
    )
    assert lead.account_ref == "21877412309"
    assert lead.data == {
        "zip": "60614",
        "city": "Chicago",
        "form_id": "349080077126",
        "google_key_present": True,
    }
    assert "2150 N Example Ave" not in repr(lead)  # the street line is not read
    assert "12345678909" not in repr(lead)  # nor is a national id number


def test_google_columns_without_a_name_and_a_service_question_without_the_service_id() -> None:
    payload = body("google_ads", "lead.json")
    payload["user_column_data"] = [
        {"column_id": "FULL_NAME", "string_value": "JAMES CARTER"},
        {"column_id": "WORK_PHONE", "string_value": "773-555-0188"},
        {"column_id": "COMPANY_NAME", "string_value": "Carter Realty"},
        {"column_id": "WHICH_SERVICE", "column_name": "What service do you need?", "string_value": "Sewer line"},
    ]
    del payload["google_key"]
    (lead,) = google(payload)
    assert lead.contact.name == "James Carter" and lead.contact.phone == "+17735550188"
    assert lead.contact.email is None
    assert lead.service == "Sewer line"
    assert lead.free_text == "Company name: Carter Realty\nWhat service do you need? Sewer line"
    assert lead.data["zip"] == "" and lead.data["google_key_present"] is False


def test_a_google_test_lead_is_read_and_needs_nothing() -> None:
    assert google(body("google_ads", "test_lead.json")) == []


def test_a_google_test_lead_is_still_validated() -> None:
    payload = body("google_ads", "test_lead.json")
    payload["user_column_data"] = "FULL_NAME=FirstName LastName"
    with pytest.raises(Quarantined, match="'user_column_data' must be a list"):
        google(payload)


@pytest.mark.parametrize("key", ["google_key", "Google_key"])
def test_the_google_key_value_never_reaches_the_events(key: str) -> None:
    payload = body("google_ads", "lead.json")
    payload[key] = payload.pop("google_key")
    (lead,) = google(payload)
    assert lead.data["google_key_present"] is True
    assert GOOGLE_KEY not in repr(lead)
    assert GOOGLE_KEY not in json.dumps(dict(lead.data)) + json.dumps(dict(lead.attribution))


def test_google_falls_back_to_the_receive_time_then_quarantines() -> None:
    payload = body("google_ads", "lead.json")
    del payload["lead_submit_time"]
    received = datetime(2026, 11, 20, 15, 4, 9, tzinfo=UTC)
    assert google(payload, received_at=received)[0].occurred_at == received
    with pytest.raises(Quarantined, match="no receive time"):
        google(payload)


def test_a_meta_notification_with_the_fetched_lead_is_read_whole() -> None:
    (lead,) = meta(body("meta_leads", "lead_fetched.json"))
    assert lead.type == EventType.LEAD_CREATED and lead.provider == "meta_leads"
    assert lead.idempotency_key == "meta_leads:lead:1287346501928374"
    assert lead.occurred_at == datetime(2026, 11, 20, 15, 4, 5, tzinfo=UTC)
    assert lead.contact.name == "James Carter"
    assert lead.contact.phone == "+17735550188"
    assert lead.contact.email == "james.carter@example.com"
    assert lead.service == "Drain cleaning"
    assert lead.source == "Facebook lead ad"
    assert lead.consent == Consent.GRANTED
    assert lead.urgency == Urgency.NORMAL
    assert lead.attribution == {
        "form_id": "871203945561207",
        "ad_id": "120210345678900123",
        "adgroup_id": "120210345678900123",
        "adset_id": "120210345678900045",
        "campaign_id": "120210345678900007",
        "ad_name": "Water heaters - carousel",
        "adset_name": "Chicago north side 25-65",
        "campaign_name": "Water heaters fall 2026",
    }
    assert lead.free_text == (
        "What type of service do you need? Drain cleaning\n"
        "When do you need us? This week\n"
        "Which rooms are affected? Kitchen, Basement"
    )
    assert lead.account_ref == "104738291650382"
    assert lead.data == {
        "zip": "60657",
        "city": "Chicago",
        "form_id": "871203945561207",
        "organic": False,
        "disclaimer_responses": {"sms_updates_optin": True, "newsletter_optin": False},
    }
    assert "3318 N Example St" not in repr(lead)  # the street line is not read


def test_a_bare_meta_notification_is_quarantined_until_the_lead_is_fetched() -> None:
    with pytest.raises(Quarantined, match="without the lead's answers"):
        meta(body("meta_leads", "bare_notification.json"))


def test_a_meta_notification_with_two_lead_changes_yields_two_events() -> None:
    first, second = meta(body("meta_leads", "two_changes.json"))
    assert first.idempotency_key == "meta_leads:lead:1287346501930021"
    assert second.idempotency_key == "meta_leads:lead:1287346501930388"
    # No created_time in the notification: the lead's "+0000" time is used.
    assert first.occurred_at == datetime(2026, 11, 20, 16, 21, 47, tzinfo=UTC)
    assert second.occurred_at == datetime(2026, 11, 20, 16, 22, 30, tzinfo=UTC)
    assert first.source == "Instagram lead ad" and second.source == "Facebook lead ad"
    assert first.contact.name == "Dana Whitfield" and first.contact.phone == "+13125550177"
    assert first.data["zip"] == "60622" and first.consent == Consent.DENIED
    assert second.contact.name == "Robert Nguyen" and second.contact.phone is None
    assert second.contact.email == "r.nguyen@example.com"
    assert second.consent == Consent.UNKNOWN and second.data["organic"] is True
    assert second.free_text == "" and second.service == ""


def test_a_meta_testing_tool_lead_needs_nothing() -> None:
    assert meta(body("meta_leads", "testing_tool.json")) == []


@pytest.mark.parametrize(
    ("normalizer", "provider", "name"),
    [
        (google_ads.normalize, "google_ads", "lead.json"),
        (meta_leads.normalize, "meta_leads", "lead_fetched.json"),
        (meta_leads.normalize, "meta_leads", "two_changes.json"),
    ],
)
def test_the_same_delivery_twice_gets_the_same_keys(normalizer: Normalizer, provider: str, name: str) -> None:
    raw = (PAYLOADS / provider / name).read_bytes()
    first = normalizer(RawDelivery(provider, raw), LIMIT)
    reordered = json.dumps(dict(reversed(list(json.loads(raw).items())))).encode()
    again = normalizer(RawDelivery(provider, reordered), LIMIT)
    assert [e.idempotency_key for e in first] == [e.idempotency_key for e in again]
    assert first == again


def _google_without(*keys: str) -> bytes:
    payload = body("google_ads", "lead.json")
    for key in keys:
        del payload[key]
    return json.dumps(payload).encode()


def _google_with(**changes: Any) -> bytes:
    return json.dumps(body("google_ads", "lead.json") | changes).encode()


def _meta_with(**changes: Any) -> bytes:
    payload = body("meta_leads", "lead_fetched.json")
    payload["entry"][0]["changes"][0]["value"].update(changes)
    return json.dumps(payload).encode()


def _meta_lead_with(**changes: Any) -> bytes:
    payload = body("meta_leads", "lead_fetched.json")
    payload["entry"][0]["changes"][0]["value"]["lead"].update(changes)
    return json.dumps(payload).encode()


def _meta_without_ids() -> bytes:
    payload = body("meta_leads", "lead_fetched.json")
    value = payload["entry"][0]["changes"][0]["value"]
    del value["leadgen_id"], value["lead"]["id"]
    return json.dumps(payload).encode()


@pytest.mark.parametrize(
    ("normalizer", "raw", "reason"),
    [
        (google_ads.normalize, b"", "empty body"),
        (google_ads.normalize, b"[1, 2]", "expected a JSON object"),
        (google_ads.normalize, _google_without("lead_id"), "required field 'lead_id' is missing"),
        (google_ads.normalize, _google_with(lead_id=["x"]), "'lead_id' must be text"),
        (google_ads.normalize, _google_without("user_column_data"), "'user_column_data' is missing"),
        (google_ads.normalize, _google_with(user_column_data={"FULL_NAME": "x"}), "must be a list"),
        (google_ads.normalize, _google_with(user_column_data=["Maria"]), "entry must be an object"),
        (google_ads.normalize, _google_with(user_column_data=[{"string_value": "x"}]), "neither column_id"),
        (
            google_ads.normalize,
            _google_with(user_column_data=[{"column_id": "EMAIL", "string_value": {"a": 1}}]),
            "'string_value' must be text",
        ),
        (google_ads.normalize, _google_with(is_test="maybe"), "'is_test' must be true or false"),
        (google_ads.normalize, _google_with(lead_submit_time="yesterday"), "not a valid date"),
        (google_ads.normalize, b'{"fields": {"name": "Maria"}}', "required field 'lead_id' is missing"),
        (meta_leads.normalize, b'{"entry": []}', "no 'object' field"),
        (meta_leads.normalize, b'{"object": "instagram", "entry": []}', "not a Page notification"),
        (meta_leads.normalize, b'{"object": "page"}', "required field 'entry' is missing"),
        (meta_leads.normalize, b'{"object": "page", "entry": {"id": "1"}}', "'entry' must be a list"),
        (meta_leads.normalize, b'{"object": "page", "entry": [{"id": "1"}]}', "'changes' is missing"),
        (
            meta_leads.normalize,
            b'{"object": "page", "entry": [{"changes": ["leadgen"]}]}',
            "'changes' entry must be an object",
        ),
        (
            meta_leads.normalize,
            b'{"object": "page", "entry": [{"changes": [{"field": "leadgen"}]}]}',
            "'value' must be an object",
        ),
        (meta_leads.normalize, _meta_without_ids(), "required field 'leadgen_id' is missing"),
        (meta_leads.normalize, _meta_with(leadgen_id="999"), "does not match"),
        (meta_leads.normalize, _meta_with(lead="James Carter"), "'lead' must be an object"),
        (meta_leads.normalize, _meta_lead_with(field_data=None), "'field_data' is missing"),
        (meta_leads.normalize, _meta_lead_with(field_data={"email": "x"}), "'field_data' must be a list"),
        (
            meta_leads.normalize,
            _meta_lead_with(field_data=[{"name": "email", "values": "x@example.com"}]),
            "must be a list of text",
        ),
        (meta_leads.normalize, _meta_lead_with(field_data=[{"values": ["x"]}]), "'name' is missing"),
        (
            meta_leads.normalize,
            _meta_lead_with(custom_disclaimer_responses=[{"is_checked": "perhaps"}]),
            "'is_checked' must be true or false",
        ),
        (meta_leads.normalize, _meta_lead_with(is_organic="sometimes"), "'is_organic' must be true or false"),
        (meta_leads.normalize, _meta_with(created_time="last Tuesday"), "not a valid date"),
    ],
)
def test_bad_input_is_quarantined_with_a_readable_reason(normalizer: Normalizer, raw: bytes, reason: str) -> None:
    provider = "google_ads" if normalizer is google_ads.normalize else "meta_leads"
    with pytest.raises(Quarantined, match=reason):
        normalizer(RawDelivery(provider, raw), LIMIT)


def test_meta_falls_back_to_the_receive_time_then_quarantines() -> None:
    payload = body("meta_leads", "lead_fetched.json")
    value = payload["entry"][0]["changes"][0]["value"]
    del value["created_time"], value["lead"]["created_time"]
    received = datetime(2026, 11, 20, 15, 4, 9, tzinfo=UTC)
    assert meta(payload, received_at=received)[0].occurred_at == received
    with pytest.raises(Quarantined, match="no receive time"):
        meta(payload)


def test_meta_changes_to_other_page_fields_need_nothing() -> None:
    payload = {
        "object": "page",
        "entry": [
            {
                "id": "104738291650382",
                "time": 1795187049,
                "changes": [{"field": "feed", "value": {"item": "status", "verb": "add"}}],
            }
        ],
    }
    assert meta(payload) == []
