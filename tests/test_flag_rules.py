"""What the text rules find, with their evidence spans: the review edge (money movement,
unusual requests, pricing, legal / medical / compliance, complaints), personal details, and
how a quote from elsewhere and two findings about the same words are handled."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from app.demo import ensure_demo_catalog
from app.pipeline.drafting import DraftResult
from app.pipeline.flag_rules import (
    Finding,
    find_pii,
    find_review_edge,
    merge_findings,
    quote_span,
    rule_severity,
)
from app.pipeline.planner import draft_flags
from app.pipeline.poller import PollConfig, drain
from app.services.drafts import write_version
from db.engine import Database
from db.models import Client, Draft, ReviewItem, RiskFlag, WebhookEvent
from db.types import utcnow
from db.vocab import FlagCode, FlagSource, ItemKind, Severity, WebhookStatus

PAYLOADS = Path(__file__).parent / "payloads"
MONEY = FlagCode.MONEY_MOVEMENT
UNUSUAL = FlagCode.UNUSUAL_REQUEST
PRICING = FlagCode.PRICING_PROMISE
LEGAL = FlagCode.LEGAL_MEDICAL_COMPLIANCE
COMPLAINT = FlagCode.COMPLAINT


def found(text: str, **options: bool) -> list[tuple[str, str]]:
    findings = find_review_edge(text, "internal_summary", **options)
    for f in findings:
        assert f.span is not None and text[f.span[0]:f.span[1]] == f.evidence
    return [(f.code, f.evidence) for f in findings]


def codes(text: str) -> set[str]:
    return {code for code, _ in found(text)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Can you match the $2,400 quote I got?", [(PRICING, "match the $2,400")]),
        ("Is there a FREE ESTIMATE?", [(PRICING, "FREE ESTIMATE")]),
        ("Please price match and give 10% off", [(PRICING, "price match"), (PRICING, "10% off")]),
        ("We guaranteed it would be fixed", [(PRICING, "guaranteed")]),
        ("The inspector said it was diagnosed wrong", [(LEGAL, "inspector"), (LEGAL, "diagnosed")]),
        ("is this covered by my insurance claims?", [(LEGAL, "insurance claims")]),
        ("Last technician left a mess, I'm not happy.", [(COMPLAINT, "left a mess"), (COMPLAINT, "not happy")]),
        ("They were a no-show, 1-star", [(COMPLAINT, "no-show"), (COMPLAINT, "1-star")]),
        ("Suing is not our plan; we will sue only if", [(LEGAL, "Suing"), (LEGAL, "sue")]),
        ("Kitchen sink leaks, please come Tuesday.", []),
        ("The issue was more than a happy accident", []),  # "happy" alone is not "not happy"
        ("Unsure about the permit process", [(LEGAL, "permit")]),
    ],
)
def test_review_edge_language(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(("text", "evidence"), [
    ("you have my card on file, just charge it", "my card on file, just charge it"),
    ("Can you run the card you have on file?", "run the card you have on file"),
    ("we'd like a refund for the service call", "refund"),
    ("Can I pay the deposit with Zelle?", "Zelle"),
    ("I can wire the money tomorrow", "wire the money"),
    ("our AP dept pays by ACH only", "ACH"),
    ("Do you take checks?", "take checks"),
    ("I'll mail you a check for the balance", "mail you a check"),
    ("the invoice from last week is paid, please confirm", "invoice"),
    ("I filed a chargeback with my bank", "chargeback"),
    ("I got charged twice for one visit", "got charged twice"),
    ("can we do 50 percent up front", "50 percent up front"),
    ("I'd like some of it credited back", "credited back"),
])
def test_money_movement_in_its_many_forms(text: str, evidence: str) -> None:
    assert (MONEY, evidence) in found(text)


@pytest.mark.parametrize("text", [
    "there are calcium deposits all over my shower head",
    "Need an electrician to wire a new outlet in the garage",
    "can you send someone to check the furnace",
    "what payment options do you have for a new furnace",
    "how much for a drain cleaning",
])
def test_ordinary_requests_are_no_money_movement(text: str) -> None:
    assert MONEY not in codes(text)


@pytest.mark.parametrize(("text", "evidence"), [
    ("dozens of units in our building have no hot water", "dozens of units"),
    ("We manage 48 units across three buildings", "48 units"),
    ("we're a school district with 14 campuses", "14 campuses"),
    ("Approval from the HOA is still pending", "Approval"),
    ("the landlord has to sign off first", "landlord has to sign off"),
    ("can someone come out at 3am?", "3am"),
    ("we'd need it done on christmas day", "on christmas day"),
    ("we're about 2 hours south of you", "2 hours south"),
    ("We manage a 75-unit senior living facility", "75-unit"),
    ("not sure this is something you handle", "not sure this is something you handle"),
    ("Do you service clients outside your service area?", "outside your service area"),
    ("odd request, but can you move a piano while you're here?", "odd request"),
])
def test_unusual_requests_scope_approvals_timing_and_place(text: str, evidence: str) -> None:
    assert (UNUSUAL, evidence) in found(text)


@pytest.mark.parametrize("text", [
    "Need a quote to replace 2 AC units on our roof",
    "We need a 5 ton unit for the new addition",
    "it started leaking at midnight and I put a bucket under it",
    "woke up at 3am to the sound of water",
    "we leave for work at 5am so anytime after that",
    "the garage door remote stopped working",
    "I'm not sure what you charge for a service call",
    "Can someone come between 10am and noon on Friday?",
    "Do you service the Lakewood area?",
    "looking for someone for odd jobs around the house",
])
def test_ordinary_scope_and_times_are_not_unusual(text: str) -> None:
    assert UNUSUAL not in codes(text)


@pytest.mark.parametrize(("text", "evidence"), [
    ("another company quoted 1850, can you match it?", "quoted 1850, can you match"),
    ("If you can beat 2400 you've got the job", "beat 2400"),
    ("can you do it for 500 bucks flat", "do it for 500 bucks"),
    ("the other guy said four hundred dollars", "four hundred dollars"),
    ("I've got a quote for six grand", "six grand"),
    ("Can you keep the whole thing under 3 grand?", "3 grand"),
    ("my budget is 1200 max", "budget is 1200"),
    ("do you price match?", "price match"),
    ("will you honor the price you gave my neighbor", "honor the price"),
    ("Any senior citizen pricing?", "senior citizen pricing"),
])
def test_pricing_promises_with_or_without_a_dollar_sign(text: str, evidence: str) -> None:
    assert (PRICING, evidence) in found(text)


@pytest.mark.parametrize("text", [
    "how much for a drain cleaning",  # a lead asking a price is not a promise
    "Hi, what do you charge to install a ceiling fan?",
    "Looking to get a quote on replacing our roof, about 1800 sq ft",
    "we'd like an estimate for a fence, about 150 feet",
    "our house was built in 1950, is the wiring ok?",
    "can you match the paint color on our trim",
    "the furnace makes a knocking noise then goes off",
])
def test_price_questions_and_measurements_are_no_pricing_promise(text: str) -> None:
    assert found(text) == []


def test_money_figures_in_a_report_note_are_proof_not_pricing() -> None:
    note = "Thumbtack from Mon Nov 16 to Sun Nov 22: 5 leads, spend $182.00, cost per lead $36.40."
    assert found(note) == [(PRICING, "spend $182.00"), (PRICING, "$36.40")]
    assert found(note, money_is_proof=True) == []
    assert found("spend $182.00 and a discount", money_is_proof=True) == [(PRICING, "discount")]


@pytest.mark.parametrize(("text", "evidence"), [
    ("my kids keep getting headaches and I think it's the mold", "headaches"),
    ("the mold is making her sick", "sick"),
    ("everyone has been coughing since the furnace went in", "coughing"),
    ("runny nose and eye irritation since the basement flooded", "runny nose"),
    ("we think there's asbestos in the popcorn ceiling", "asbestos"),
    ("the old pipes in this house are lead", "are lead"),
    ("I slipped on the wet floor and hurt my back", "I slipped on"),
    ("my elderly mother fell in the tub", "mother fell"),
    ("got a shock from the bathroom outlet", "got a shock"),
    ("my lawyer wants a written report", "lawyer"),
    ("my dad is on oxygen, he has COPD", "on oxygen"),
    ("do you carry workers comp?", "workers comp"),
    ("The previous contractor didn't pull a permit", "permit"),
    ("We got a notice from the city about a code violation", "notice from the city"),
    ("the HOA says our fence violates the covenants", "violates"),
])
def test_health_injury_legal_and_compliance_language(text: str, evidence: str) -> None:
    assert (LEGAL, evidence) in found(text)


@pytest.mark.parametrize("text", [
    "My mother in law is staying with us, so mornings work best",
    "there's a musty smell in the basement, could you take a look",
    "we noticed some mold on the drywall behind the washer",
    "we'll come Saturday, weather permitting",
    "it doesn't hurt to ask: do you do gutters?",
    "part of the ceiling drywall fell down after the rain",
    "Are you licensed and insured?",
    "ill be around after 3, text me",
])
def test_ordinary_requests_are_no_legal_or_medical_matter(text: str) -> None:
    assert LEGAL not in codes(text)


@pytest.mark.parametrize(("text", "evidence"), [
    ("Your technician never showed up and nobody called", "Your technician never showed"),
    ("the faucet you fixed is leaking again", "you fixed is leaking"),
    ("your crew broke a sprinkler head", "your crew broke"),
    ("Still no hot water and it's been a week since you \"fixed\" it", "since you \"fixed\""),
    ("I keep getting sent to voicemail", "keep getting sent to voicemail"),
    ("We had to call another company to finish", "had to call another"),
    ("Your receptionist hung up on me twice", "hung up on"),
    ("tech showed up 3 hours late", "hours late"),
    ("the plumber you sent flooded our bathroom", "the plumber you sent flooded"),
    ("nobody will come look at it", "nobody will come"),
    ("I'm reporting you to the BBB", "reporting you"),
])
def test_complaints_in_their_many_forms(text: str, evidence: str) -> None:
    assert (COMPLAINT, evidence) in found(text)


@pytest.mark.parametrize("text", [
    "I reset the breaker but it didn't fix the problem",
    "hail damaged our roof last night",
    "I came back from vacation to a flooded basement",
    "the dishwasher didn't finish its cycle",
    "can you cancel my appointment on Friday?",
    "I know it's not urgent but can someone look at the sink",
])
def test_ordinary_troubles_are_no_complaint(text: str) -> None:
    assert codes(text) == set()


def test_review_edge_severities() -> None:
    severities = {f.code: f.severity for f in find_review_edge(
        "lawyer, refund, discount, not happy, dozens of units", "x")}
    assert severities == {
        LEGAL: Severity.HIGH, MONEY: Severity.HIGH, COMPLAINT: Severity.HIGH,
        PRICING: Severity.MEDIUM, UNUSUAL: Severity.MEDIUM,
    }
    assert rule_severity("money_movement") == Severity.HIGH
    assert rule_severity("pii_phone") == Severity.HIGH
    assert rule_severity("spam") == rule_severity("not_a_code") == Severity.NONE


def test_overlapping_matches_of_one_code_are_one_finding() -> None:
    assert found("please charge the card on file") == [(MONEY, "charge the card on file")]


# --- personal details --------------------------------------------------------------------


def test_pii_in_client_text() -> None:
    text = "Call Maria at (312) 555-0142 or maria.lopez@example.com, 42 Oak Street."
    assert {(f.code, f.evidence) for f in find_pii(text, "client_text")} == {
        (FlagCode.PII_PHONE, "(312) 555-0142"),
        (FlagCode.PII_EMAIL, "maria.lopez@example.com"),
        (FlagCode.PII_ADDRESS, "42 Oak Street"),
    }
    assert find_pii("A new inquiry about drain cleaning arrived on Sat Nov 21.", "client_text") == []


@pytest.mark.parametrize("number", [
    "555-201-3344", "(303) 555 0100", "303.555.0100", "+1 303 555 0100", "1-303-555-0100",
    "303 555 0100", "3035550100", "(555)201-3344", "+1 (555) 201-3344", "1.555.201.3344",
    "555-0100", "303-555-0100 ext. 22", "+44 20 7946 0958", "+13035550100",
])
def test_phone_numbers_in_every_common_written_form(number: str) -> None:
    text = f"the caller said to reach them at {number} after five"
    assert [(f.code, f.evidence) for f in find_pii(text, "client_text")] == [(FlagCode.PII_PHONE, number)]


@pytest.mark.parametrize("text", [
    "come between 10:30 and 12:30 on 11/20/2026",
    "2 units for $1,250.00, or $12,500 for the building",
    "on 2026-11-20, invoice #4471-2209",
    "serial 1234567, version 2.3.4.5678, zip 80202-1234",
    "a 1.5 ton unit, 240 v, 1200 sq ft, built 1987-1989",
    "we have 10 - 12 units, 24/7 service 365 days a year",
])
def test_times_prices_dates_and_counts_are_not_phone_numbers(text: str) -> None:
    assert find_pii(text, "client_text") == []


@pytest.mark.parametrize("address", [
    "123 N. Main St., Apt 4", "42 oak street", "1600 Pennsylvania Avenue NW", "400 W 3rd St #2",
    "55 elm dr unit 3b", "789 Sunset Blvd Suite 200", "12-14 Oak Ln", "12 Maple Way", "PO Box 1234",
    "P.O. Box 77",
])
def test_street_addresses_with_units_and_po_boxes(address: str) -> None:
    text = f"Job site: {address}, gate code at the office"
    assert [(f.code, f.evidence) for f in find_pii(text, "client_text")] == [(FlagCode.PII_ADDRESS, address)]


@pytest.mark.parametrize("text", [
    "it's a 2 hour drive", "I have 2 kids by the way", "5 days court date", "3 visits to the dr",
    "we live 5 miles down the road", "the house is 3 doors down the street", "2 units at 10 on Main",
])
def test_counts_and_distances_are_not_street_addresses(text: str) -> None:
    assert find_pii(text, "client_text") == []


# --- a quote from elsewhere, and findings about the same words -------------------------------


def test_a_quote_is_located_as_the_rules_locate_their_evidence() -> None:
    source = "they wrote or said: Please just CHARGE the card\non file today."
    for quote in ("charge the card on file", "“charge the card  on file…”", "HARGE THE CARD ON FIL"):
        span = quote_span(source, quote)
        assert span is not None and source[span[0]:span[1]] == "CHARGE the card\non file"
    assert quote_span(source, "wire the deposit") is None
    assert quote_span(source, " ... ") is None


def test_findings_about_the_same_words_are_merged_whoever_raised_them() -> None:
    rule = Finding(MONEY, Severity.HIGH, "money movement", "card on file", "internal_summary", (10, 22))
    ai = Finding(MONEY, Severity.LOW, "charges a card", "charge the card on file", "internal_summary", (3, 22),
                 FlagSource.AI)
    other_code = Finding(PRICING, Severity.MEDIUM, "pricing", "card on file", "internal_summary", (10, 22))
    other_field = Finding(MONEY, Severity.HIGH, "money movement", "card on file", "client_text", (10, 22))
    merged = merge_findings([ai, rule, other_code, other_field])
    assert merged == [rule, other_code, other_field]
    unspanned = merge_findings([Finding(MONEY, Severity.HIGH, "r", "Zelle"),
                                Finding(MONEY, Severity.LOW, "a", "zelle", source=FlagSource.AI)])
    assert [(f.evidence, f.severity, f.source) for f in unspanned] == [
        ("Zelle", Severity.HIGH, FlagSource.RULE)]


def test_a_report_notes_money_figures_raise_no_pricing_flag_on_any_version(sqlite_database: Database,
                                                                          poll_config: PollConfig) -> None:
    with sqlite_database.write() as session:
        ensure_demo_catalog(session)
        client = session.scalar(select(Client.id).where(Client.slug == "northside-plumbing"))
        session.add(WebhookEvent(
            provider="marketplace_import", client_id=client, owner="intake", source="marketplace_import",
            body=(PAYLOADS / "marketplace_import" / "thumbtack_daily.json").read_bytes(),
            status=WebhookStatus.NEW, recovery="replay", received_at=utcnow()))
    drain(sqlite_database, poll_config)
    with sqlite_database.write() as session:
        item = session.scalar(select(ReviewItem).where(ReviewItem.kind == ItemKind.REPORT_NOTE))
        text = session.scalar(select(Draft.client_text).where(Draft.review_item_id == item.id))
        assert "spend $" in text
        ai_version = DraftResult(
            drafter="ai", internal_summary="Thumbtack import for the week.",
            client_text="Thumbtack this week: 4 leads, spend $100.50.", next_action="File it.",
            confidence=0.9, input_hash="h" * 64)
        assert PRICING in {f.code for f in draft_flags(ai_version)}  # the same words elsewhere would be
        write_version(session, item, ai_version, actor="drafter", source="test", now=utcnow())
    with sqlite_database.read() as session:
        flagged = set(session.scalars(select(RiskFlag.code).where(RiskFlag.review_item_id == item.id)))
    assert PRICING not in flagged
