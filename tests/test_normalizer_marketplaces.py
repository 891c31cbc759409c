"""The Thumbtack, Angi and HomeAdvisor lead normalizers: realistic payloads in, events out."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from app.pipeline.model import NormalizedEvent, Quarantined, RawDelivery
from app.pipeline.normalizers import angi, homeadvisor, thumbtack
from db.vocab import Consent, EventType, Urgency

PAYLOADS = Path(__file__).parent / "payloads"
LIMIT = 512 * 1024
RECEIVED = datetime(2026, 11, 22, 16, 45, 12, tzinfo=UTC)
Normalizer = Callable[[RawDelivery, int], list[NormalizedEvent]]
NORMALIZERS: dict[str, Normalizer] = {
    "thumbtack": thumbtack.normalize,
    "angi": angi.normalize,
    "homeadvisor": homeadvisor.normalize,
}


def body_of(provider: str, name: str) -> bytes:
    return (PAYLOADS / provider / name).read_bytes()


def run(provider: str, body: bytes, received_at: datetime | None = RECEIVED) -> list[NormalizedEvent]:
    return NORMALIZERS[provider](RawDelivery(provider, body, received_at=received_at), LIMIT)


def events_of(provider: str, name: str) -> list[NormalizedEvent]:
    return run(provider, body_of(provider, name))


def edited(provider: str, name: str, change: Callable[[dict[str, Any]], object]) -> bytes:
    """A fixture with one change applied, re-encoded."""
    payload = json.loads(body_of(provider, name))
    change(payload)
    return json.dumps(payload).encode()


# --- Thumbtack ----------------------------------------------------------------------------


def test_thumbtack_v4_negotiation_is_a_new_lead() -> None:
    (lead,) = events_of("thumbtack", "negotiation_created.json")
    assert lead.type == EventType.LEAD_CREATED
    assert lead.provider == "thumbtack" and lead.source == "Thumbtack"
    assert lead.idempotency_key == "thumbtack:lead:614200938817654321"
    assert lead.occurred_at == datetime(2026, 11, 20, 15, 4, 5, tzinfo=UTC)
    assert lead.contact.name == "Maria Lopez"
    assert lead.contact.phone == "+13125550142"
    assert lead.contact.email is None
    assert lead.service == "Water Heater Repair"
    assert lead.account_ref == "598112233445566778"
    assert lead.urgency == Urgency.HIGH  # "Within 24 hours"
    assert lead.consent == Consent.UNKNOWN
    assert lead.attribution == {
        "request_id": "614200938819988776",
        "category_id": "219264413294461219",
        "charge_state": "Charged",
    }
    assert lead.free_text == (
        "Tank is leaking from the bottom and the pilot keeps going out.\n\n"
        "Type of water heater: Tank (gas)\n"
        "Age of water heater: 10-15 years\n"
        "When do you need this done? Within 24 hours"
    )
    assert lead.data == {
        "location": {"city": "Chicago", "state": "IL", "zip": "60640"},
        "lead_price": 23.5,
        "budget": None,
        "budget_text": "",
        "estimate": "",
    }


def test_thumbtack_v4_quote_request_yields_a_lead_and_a_quote() -> None:
    lead, quote = events_of("thumbtack", "negotiation_quote.json")
    assert lead.type == EventType.LEAD_CREATED and quote.type == EventType.QUOTE_REQUESTED
    assert lead.idempotency_key == "thumbtack:lead:614377120045512233"
    assert quote.idempotency_key == "thumbtack:quote:614377120045512233"
    assert lead.occurred_at == quote.occurred_at == datetime(2026, 11, 21, 9, 30, 37, tzinfo=UTC)
    assert lead.contact.name == "Devon Price"  # sent in capitals
    assert lead.contact.phone == "+17735550117"
    assert lead.service == quote.service == "Bathroom Remodel"
    assert lead.urgency == quote.urgency == Urgency.NORMAL  # "I'm flexible"
    assert lead.attribution["lead_type"] == "REQUEST_A_QUOTE"
    assert lead.attribution["charge_state"] == "Created"
    assert "Is this a full or partial remodel?" not in lead.free_text  # unanswered
    assert lead.data["lead_price"] == 41.0
    assert lead.data["estimate"] == "$1,850.00"
    assert lead.data["budget"] is None and lead.data["budget_text"] == "$1,000 - $2,500"
    assert quote.data == {
        "scope": "Bathroom Remodel",
        "location": {"city": "Evanston", "state": "IL", "zip": "60201"},
        "timeline": "I'm flexible",
        "budget": None,
        "budget_text": "$1,000 - $2,500",
        "photos": 2,  # the PDF plan is not a photo
    }
    assert quote.account_ref == "598112233445566778" and quote.free_text == lead.free_text


def test_thumbtack_pro_api_lead_with_a_budget_is_a_quote_request() -> None:
    lead, quote = events_of("thumbtack", "pro_api_lead.json")
    assert lead.idempotency_key == "thumbtack:lead:380497493950742534"
    assert quote.idempotency_key == "thumbtack:quote:380497493950742534"
    assert lead.occurred_at == datetime(2026, 11, 23, 15, 0, tzinfo=UTC)  # Unix seconds as text
    assert lead.contact.name == "Aisha Okafor" and lead.contact.phone == "+17085550164"
    assert lead.service == "Interior Painting"
    assert lead.account_ref == "286845156044809661"
    assert lead.attribution == {
        "lead_type": "ESTIMATION",
        "request_id": "380497492346044421",
        "category_id": "219264413294461107",
    }
    assert lead.free_text == ("Two bedrooms and a hallway, walls only.\n\nNumber of rooms: 3 rooms\nBudget: $800")
    assert lead.data == {
        "location": {"city": "Oak Park", "state": "IL", "zip": "60302"},
        "lead_price": None,
        "budget": 800.0,
        "budget_text": "$800",
        "estimate": "$95/hour",
    }
    assert quote.data["timeline"].startswith("Date: Sat, Nov 28 2026")  # the schedule field
    assert quote.data["scope"] == "Interior Painting" and quote.data["photos"] == 0
    assert lead.urgency == Urgency.NORMAL


def test_thumbtack_keeps_street_addresses_out_of_normalized_data() -> None:
    for name in ("negotiation_created.json", "negotiation_quote.json"):
        for event in events_of("thumbtack", name):
            kept = repr((event.data, event.attribution, event.free_text))
            assert "Larkspur" not in kept and "Quillmark" not in kept and "Unit 2" not in kept


@pytest.mark.parametrize(
    "body",
    [
        body_of("thumbtack", "message_created.json"),
        b'{"event": {"eventType": "ReviewCreatedV4"}, "data": {"reviewID": "1", "rating": 5}}',
        b'{"event": {"eventType": "NegotiationStatusUpdatedV4"}, "data": {"negotiationID": "1"}}',
        b'{"leadID": "465324000282984455", "leadPrice": "$26.00", "chargeState": "Charged"}',
        b'{"leadID": "1", "customerID": "2", "businessID": "3", "message": {"text": "hi"}}',
    ],
    ids=["v4-message", "v4-review", "v4-status-update", "pro-api-price-update", "pro-api-message"],
)
def test_thumbtack_notifications_other_than_new_leads_need_nothing(body: bytes) -> None:
    assert run("thumbtack", body) == []


def test_thumbtack_phone_is_optional_and_a_display_name_is_read() -> None:
    no_phone = edited("thumbtack", "negotiation_created.json", lambda p: p["data"]["customer"].pop("phone"))
    (lead,) = run("thumbtack", no_phone)
    assert lead.contact.name == "Maria Lopez" and lead.contact.phone is None
    display_only = edited(
        "thumbtack",
        "negotiation_created.json",
        lambda p: p["data"].update(customer={"customerID": "1", "displayName": "Maria L."}),
    )
    assert run("thumbtack", display_only)[0].contact.name == "Maria L."


# --- Angi ---------------------------------------------------------------------------------


def test_angi_lead_is_a_new_lead_dated_when_received() -> None:
    (lead,) = events_of("angi", "lead.json")
    assert lead.type == EventType.LEAD_CREATED
    assert lead.provider == "angi" and lead.source == "Angi"
    assert lead.idempotency_key == "angi:lead:398120457"
    assert lead.occurred_at == RECEIVED
    assert lead.contact.name == "James Carter"
    assert lead.contact.phone == "+17735550188"
    assert lead.contact.email == "james.carter@example.com"
    assert lead.service == "Drain Cleaning - Clear Blockage"
    assert lead.account_ref == "81234567"
    assert lead.urgency == Urgency.HIGH  # "Urgent (1-2 days)"
    assert lead.consent == Consent.GRANTED  # automatedContactCompliant
    assert lead.attribution == {
        "lead_source": "AngiesList",
        "match_type": "Lead",
        "lead_description": "Standard",
        "sr_id": "241778301",
        "contact_status": "Not Contacted",
    }
    assert lead.free_text == (
        "Kitchen sink is completely backed up and the dishwasher drains into it.\n\n"
        "What type of drain needs cleaning? Kitchen sink\n"
        "Is the drain completely blocked? Yes\n"
        "When do you need this done? Urgent (1-2 days)"
    )
    assert lead.data == {
        "location": {"city": "Chicago", "state": "IL", "zip": "60618"},
        "lead_price": 38.72,
        "budget": None,
        "budget_text": "",
        "phone_masked": False,
        "phone_extension": "",
        "consent_id": "7c1f0a52-6a3e-4f7e-9d51-2b8e4f1c0a11",
    }


def test_angi_lead_with_a_budget_yields_a_quote_request() -> None:
    lead, quote = events_of("angi", "quote_lead.json")
    assert lead.type == EventType.LEAD_CREATED and quote.type == EventType.QUOTE_REQUESTED
    assert lead.idempotency_key == "angi:lead:398125512"
    assert quote.idempotency_key == "angi:quote:398125512"
    assert lead.contact.name == "Priya Nair"  # no full name: first + last
    assert lead.contact.phone == "+16305550131"  # masked, but the number to call
    assert lead.contact.email is None  # not an address
    assert lead.consent == Consent.UNKNOWN  # not compliant is not a refusal
    assert lead.account_ref == "81234567"
    assert lead.urgency == Urgency.NORMAL  # "Within 1 week"
    assert lead.attribution["crm_key"] == "NSP-ROOF"
    assert lead.attribution["lead_source"] == "HomeAdvisor"
    assert lead.data["lead_price"] == 42.1 and lead.data["phone_masked"] is True
    assert lead.data["consent_id"] == ""
    assert quote.data == {
        "scope": "Install or Replace a Roof",
        "location": {"city": "Naperville", "state": "IL", "zip": "60540"},
        "timeline": "Within 1 week",
        "budget": 12000.0,
        "budget_text": "$12,000",
        "photos": 0,
    }
    assert lead.free_text.startswith("Roof material: Asphalt shingles\n")


def test_angi_falls_back_to_the_secondary_phone() -> None:
    body = edited("angi", "quote_lead.json", lambda p: p.update(primaryPhone="n/a"))
    assert run("angi", body)[0].contact.phone == "+16305550139"


# --- HomeAdvisor --------------------------------------------------------------------------


def test_homeadvisor_lead_is_a_new_lead() -> None:
    (lead,) = events_of("homeadvisor", "lead.json")
    assert lead.type == EventType.LEAD_CREATED
    assert lead.provider == "homeadvisor" and lead.source == "HomeAdvisor"
    assert lead.idempotency_key == "homeadvisor:lead:271904466"
    assert lead.occurred_at == RECEIVED
    assert lead.contact.name == "Rosa Diaz"  # sent in capitals
    assert lead.contact.phone == "+16305550176"
    assert lead.contact.email == "rosa.diaz@example.com"
    assert lead.service == "Repair a Furnace or Forced Air Heating System"
    assert lead.account_ref == "50611223"
    assert lead.urgency == Urgency.EMERGENCY  # "Emergency Service"
    assert lead.consent == Consent.UNKNOWN
    assert lead.attribution == {
        "match_type": "exact",
        "lead_description": "Standard",
        "sr_id": "105533871",
        "contact_status": "Not Contacted",
    }
    assert lead.free_text == (
        "No heat since last night, the furnace clicks but never lights.\n\n"
        "Type of heating system: Gas forced air furnace\n"
        "Request Stage: Ready to Hire\n"
        "Timeframe: Emergency Service"
    )
    assert lead.data == {
        "location": {"city": "Aurora", "state": "IL", "zip": "60505"},
        "lead_price": 61.5,
        "budget": None,
        "budget_text": "",
        "phone_masked": False,
        "phone_extension": "",
        "consent_id": "",
    }


def test_homeadvisor_budget_range_is_a_quote_request_without_a_number() -> None:
    lead, quote = events_of("homeadvisor", "quote_lead.json")
    assert quote.type == EventType.QUOTE_REQUESTED
    assert lead.idempotency_key == "homeadvisor:lead:271911230"
    assert quote.idempotency_key == "homeadvisor:quote:271911230"
    assert lead.contact.phone is None and lead.contact.email == "tom.becker@example.com"
    assert lead.urgency == Urgency.NORMAL  # "Timing is flexible"
    assert lead.data["lead_price"] == 0.0
    assert quote.data == {
        "scope": "Remodel a Kitchen",
        "location": {"city": "Wheaton", "state": "IL", "zip": "60187"},
        "timeline": "Timing is flexible",
        "budget": None,
        "budget_text": "$10,000 - $25,000",
        "photos": 0,
    }
    assert quote.attribution == {
        "match_type": "market",
        "lead_description": "Standard",
        "sr_id": "105540012",
        "crm_key": "FVH-01",
    }


def test_an_older_feed_interview_text_of_question_answer_pairs_is_read() -> None:
    (lead,) = events_of("homeadvisor", "legacy_interview.json")
    assert lead.idempotency_key == "homeadvisor:lead:271933018"
    assert lead.free_text == (
        "Type of water heater: Tank (gas)\n"
        "Age of water heater: 10 - 15 years\n"
        "Is the water heater leaking? Yes, from the valve\n"
        "Preferred time of day: Morning (8:00-12:00)\n"  # the answer keeps its colon
        "Desired Completion Date: Within 24 hours"  # the empty answer before it is dropped
    )
    assert lead.urgency == Urgency.HIGH  # "Within 24 hours", the timing answer
    assert lead.data["budget"] is None and lead.data["budget_text"] == ""


@pytest.mark.parametrize(
    ("text", "pairs"),
    [
        ("Timeframe:ASAP;Request Stage:Ready to Hire;", [("Timeframe", "ASAP"), ("Request Stage", "Ready to Hire")]),
        (
            "Timeframe:ASAP;Request Stage:Ready to Hire",  # no trailing ;
            [("Timeframe", "ASAP"), ("Request Stage", "Ready to Hire")],
        ),
        (
            "  What kind of location is this? :  Home/Residence ;; Timeframe:  ;",
            [("What kind of location is this?", "Home/Residence")],
        ),
        ("Roof material:;", []),
        (" ; ", []),
        ("", []),
    ],
    ids=["trailing-semicolon", "no-trailing-semicolon", "stray-whitespace", "unanswered", "only-separators", "empty"],
)
def test_interview_text_pairs_in_every_documented_variant(text: str, pairs: list[tuple[str, str]]) -> None:
    body = edited("angi", "lead.json", lambda p: p.update(interview=text, comments=""))
    (lead,) = run("angi", body)
    shown = [q + " " + a if q.endswith("?") else f"{q}: {a}" for q, a in pairs]
    assert lead.free_text == "\n".join(shown)


def test_the_interview_text_and_list_give_the_same_lead() -> None:
    listed = events_of("homeadvisor", "lead.json")
    text = "Type of heating system:Gas forced air furnace;Request Stage:Ready to Hire;Timeframe:Emergency Service;"
    as_text = run("homeadvisor", edited("homeadvisor", "lead.json", lambda p: p.update(interview=text)))
    assert [(e.free_text, e.urgency, e.data) for e in as_text] == [(e.free_text, e.urgency, e.data) for e in listed]


def test_the_homeadvisor_call_reporting_extension_is_kept_beside_the_e164_number() -> None:
    (lead,) = events_of("homeadvisor", "legacy_interview.json")
    assert lead.contact.phone == "+18155550143"  # E.164, no extension in it
    assert lead.contact.phone_extension == "4417"
    assert lead.data["phone_extension"] == "4417"
    assert "4417" not in (lead.free_text + repr(lead.attribution))
    without = edited("homeadvisor", "legacy_interview.json", lambda p: p.update(phoneExt=""))
    (plain,) = run("homeadvisor", without)
    assert plain.contact.phone == lead.contact.phone  # duplicate matching sees the same number
    assert plain.contact.phone_extension == "" and plain.data["phone_extension"] == ""


@pytest.mark.parametrize(
    ("change", "phone", "extension"),
    [
        ({"phoneExt": 4417}, "+18155550143", "4417"),  # a JSON number
        ({"phoneExt": "", "primaryPhone": "815-555-0143 x212"}, "+18155550143", "212"),
        ({"phoneExt": "", "primaryPhone": "(815) 555-0143 ext. 9"}, "+18155550143", "9"),
        ({"phoneExt": "77", "primaryPhone": "815-555-0143 x212"}, "+18155550143", "77"),
        (
            {"primaryPhone": "", "secondaryPhone": "8155550188", "secondaryPhoneExt": "31"},
            "+18155550188",
            "31",
        ),  # the secondary number brings its own extension
        ({"primaryPhone": "n/a", "secondaryPhone": "8155550188"}, "+18155550188", ""),
    ],
    ids=["number", "x-in-number", "ext-in-number", "field-wins", "secondary", "secondary-none"],
)
def test_the_extension_goes_with_the_number_it_belongs_to(change: dict[str, Any], phone: str, extension: str) -> None:
    (lead,) = run("homeadvisor", edited("homeadvisor", "legacy_interview.json", lambda p: p.update(change)))
    assert (lead.contact.phone, lead.contact.phone_extension) == (phone, extension)


@pytest.mark.parametrize("provider", ["angi", "homeadvisor"])
def test_angi_family_street_line_stays_out(provider: str) -> None:
    for name in ("lead.json", "quote_lead.json"):
        street = json.loads(body_of(provider, name))["address"]
        for event in events_of(provider, name):
            assert street not in repr((event.data, event.attribution, event.free_text))


# --- All three ----------------------------------------------------------------------------

FIXTURES = [
    ("thumbtack", "negotiation_created.json"),
    ("thumbtack", "negotiation_quote.json"),
    ("thumbtack", "pro_api_lead.json"),
    ("angi", "lead.json"),
    ("angi", "quote_lead.json"),
    ("homeadvisor", "lead.json"),
    ("homeadvisor", "quote_lead.json"),
]


@pytest.mark.parametrize(("provider", "name"), FIXTURES)
def test_the_same_delivery_twice_gives_the_same_keys(provider: str, name: str) -> None:
    first = events_of(provider, name)
    an_hour_later = datetime(2026, 11, 22, 17, 45, tzinfo=UTC)
    later = run(provider, body_of(provider, name), received_at=an_hour_later)
    assert [e.idempotency_key for e in first] == [e.idempotency_key for e in later]
    assert len({e.idempotency_key for e in first}) == len(first)


@pytest.mark.parametrize(
    ("timeline", "urgency"),
    [
        ("Emergency Service", Urgency.EMERGENCY),
        ("ASAP", Urgency.HIGH),
        ("As soon as possible", Urgency.HIGH),
        ("Within 24 hours", Urgency.HIGH),
        ("Not urgent, whenever you can", Urgency.NORMAL),
        ("Within 1 week", Urgency.NORMAL),
        ("Timing is flexible", Urgency.NORMAL),
    ],
)
def test_urgency_comes_from_the_stated_timeline(timeline: str, urgency: Urgency) -> None:
    asked = {"question": "When do you need this done?", "answer": timeline}
    body = edited("angi", "lead.json", lambda p: p.update(interview=[asked]))
    assert run("angi", body)[0].urgency == urgency


def test_an_emergency_in_the_description_alone_is_not_an_emergency() -> None:
    body = edited(
        "homeadvisor",
        "lead.json",
        lambda p: p.update(comments="Not an emergency, but soon please.", interview=[]),
    )
    assert run("homeadvisor", body)[0].urgency == Urgency.NORMAL


def _v4(change: Callable[[dict[str, Any]], object]) -> bytes:
    return edited("thumbtack", "negotiation_created.json", lambda p: change(p["data"]))


def _pro_api(change: Callable[[dict[str, Any]], object]) -> bytes:
    return edited("thumbtack", "pro_api_lead.json", change)


def _angi(change: Callable[[dict[str, Any]], object]) -> bytes:
    return edited("angi", "lead.json", change)


def _homeadvisor(change: Callable[[dict[str, Any]], object]) -> bytes:
    return edited("homeadvisor", "lead.json", change)


@pytest.mark.parametrize(
    ("provider", "body", "reason"),
    [
        ("thumbtack", b'{"requestID": "1", "customer": {}}', "unknown Thumbtack payload"),
        ("thumbtack", b'{"event": {"eventType": "PaymentSettledV9"}}', "unknown Thumbtack event type"),
        ("thumbtack", b'{"event": "NegotiationCreatedV4"}', "'event' must be an object"),
        ("thumbtack", b'{"event": {"eventType": "NegotiationCreatedV5"}}', "unknown Thumbtack event"),
        ("thumbtack", b'{"leadID": "1", "status": "won"}', "unknown Thumbtack Pro API post"),
        ("thumbtack", _v4(lambda d: d.pop("negotiationID")), "'negotiationID' is missing"),
        ("thumbtack", _v4(lambda d: d.pop("customer")), "'customer' must be an object"),
        ("thumbtack", _v4(lambda d: d["customer"].update(phone=["3125550142"])), "must be text, not list"),
        ("thumbtack", _v4(lambda d: d.update(customer={"phone": "1234567890"})), "neither a name nor a valid phone"),
        ("thumbtack", _v4(lambda d: d["request"].update(category="Plumbing")), "'category' must be an object"),
        ("thumbtack", _v4(lambda d: d["request"].update(details="none")), "'details' must be a list"),
        ("thumbtack", _v4(lambda d: d["request"].update(details=["Tank"])), "each 'details' entry must be an object"),
        ("thumbtack", _v4(lambda d: d["request"].update(attachments={})), "'attachments' must be a list"),
        ("thumbtack", _v4(lambda d: d.update(createdAt="2026-11-20T15:04:05")), "no time zone"),
        ("thumbtack", _v4(lambda d: d.update(leadPrice="twenty")), "'leadPrice' must be a number"),
        ("thumbtack", _pro_api(lambda p: p.update(createTimestamp="yesterday")), "must be Unix seconds"),
        ("thumbtack", _pro_api(lambda p: p.update(leadID="")), "'leadID' is missing"),
        ("angi", b'{"event": "review.created", "rating": 5}', "not a lead post from Angi"),
        ("angi", _angi(lambda p: p.pop("leadOid")), "'leadOid' is missing"),
        ("angi", _angi(lambda p: p.update(leadOid=[398120457])), "'leadOid' must be text"),
        ("angi", _angi(lambda p: p.update(primaryPhone="", email="")), "no usable phone number or email"),
        ("angi", _angi(lambda p: p.update(fee="free")), "'fee' must be a number"),
        ("angi", _angi(lambda p: p.update(automatedContactCompliant="maybe")), "must be true or false"),
        ("angi", _angi(lambda p: p.update(interview={"q": "a"})), "'interview' must be a list"),
        ("angi", _angi(lambda p: p.update(interview=12)), "'interview' must be a list of question"),
        ("angi", _angi(lambda p: p.update(interview="Kitchen sink, urgent")), "not 'Question:Answer'"),
        ("angi", _angi(lambda p: p.update(interview="Timeframe:ASAP;Yes;")), "not 'Question:Answer'"),
        ("angi", _angi(lambda p: p.update(interview=":Yes;")), "not 'Question:Answer'"),
        ("angi", _angi(lambda p: p.update(interview="Q:" + "a" * 2001)), "too long"),
        ("angi", _angi(lambda p: p.update(interview=["Timeframe:ASAP"])), "each 'interview' entry must be an object"),
        ("angi", _angi(lambda p: p.update(phoneExt="ext 12")), "'phoneExt' must be the digits"),
        ("homeadvisor", _homeadvisor(lambda p: p.update(phoneExt=[1234])), "'phoneExt' must be text"),
        (
            "homeadvisor",
            _homeadvisor(lambda p: p.update(primaryPhone="", secondaryPhone="8155550188", secondaryPhoneExt="12a")),
            "'secondaryPhoneExt' must be the digits",
        ),
        ("angi", _angi(lambda p: p.update(primaryPhoneDetails=True)), "'primaryPhoneDetails' must be an object"),
        ("angi", b"[]", "expected a JSON object"),
        ("homeadvisor", b"{}", "not a lead post from HomeAdvisor"),
        ("homeadvisor", _homeadvisor(lambda p: p.update(leadOid=None)), "'leadOid' is missing"),
        ("homeadvisor", _homeadvisor(lambda p: p.update(primaryPhone="555", email="rosa")), "no usable phone"),
        ("homeadvisor", _homeadvisor(lambda p: p.update(city={"name": "Aurora"})), "'city' must be text"),
        ("homeadvisor", b'{"leadOid": 1, "comments": "x\\u202ey"}', r"forbidden character U\+202E"),
    ],
)
def test_bad_input_is_quarantined_with_a_readable_reason(provider: str, body: bytes, reason: str) -> None:
    with pytest.raises(Quarantined, match=reason):
        run(provider, body)


@pytest.mark.parametrize("provider", ["angi", "homeadvisor"])
def test_an_angi_family_post_needs_a_received_time(provider: str) -> None:
    with pytest.raises(Quarantined, match="carry no time and this one has no received time"):
        run(provider, body_of(provider, "lead.json"), received_at=None)


@pytest.mark.parametrize("provider", sorted(NORMALIZERS))
def test_a_body_over_the_size_cap_is_quarantined(provider: str) -> None:
    with pytest.raises(Quarantined, match="over the 1024-byte limit"):
        NORMALIZERS[provider](RawDelivery(provider, b"{" + b" " * 2000 + b"}"), 1024)
