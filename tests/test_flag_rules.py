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
from app.pipeline.number_words import numbers_in
from app.pipeline.phrases import words_of
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
        assert f.span is not None and text[f.span[0] : f.span[1]] == f.evidence
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


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
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
    ],
)
def test_money_movement_in_its_many_forms(text: str, evidence: str) -> None:
    assert (MONEY, evidence) in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "there are calcium deposits all over my shower head",
        "Need an electrician to wire a new outlet in the garage",
        "can you send someone to check the furnace",
        "what payment options do you have for a new furnace",
        "how much for a drain cleaning",
    ],
)
def test_ordinary_requests_are_no_money_movement(text: str) -> None:
    assert MONEY not in codes(text)


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
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
    ],
)
def test_unusual_requests_scope_approvals_timing_and_place(text: str, evidence: str) -> None:
    assert (UNUSUAL, evidence) in found(text)


@pytest.mark.parametrize(
    "text",
    [
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
    ],
)
def test_ordinary_scope_and_times_are_not_unusual(text: str) -> None:
    assert UNUSUAL not in codes(text)


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
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
    ],
)
def test_pricing_promises_with_or_without_a_dollar_sign(text: str, evidence: str) -> None:
    assert (PRICING, evidence) in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "how much for a drain cleaning",  # a lead asking a price is not a promise
        "Hi, what do you charge to install a ceiling fan?",
        "Looking to get a quote on replacing our roof, about 1800 sq ft",
        "we'd like an estimate for a fence, about 150 feet",
        "our house was built in 1950, is the wiring ok?",
        "can you match the paint color on our trim",
        "the furnace makes a knocking noise then goes off",
    ],
)
def test_price_questions_and_measurements_are_no_pricing_promise(text: str) -> None:
    assert found(text) == []


def test_money_figures_in_a_report_note_are_proof_not_pricing() -> None:
    note = "Thumbtack from Mon Nov 16 to Sun Nov 22: 5 leads, spend $182.00, cost per lead $36.40."
    assert found(note) == [(PRICING, "spend $182.00"), (PRICING, "$36.40")]
    assert found(note, figures_are_proof=True) == []
    assert found("spend $182.00 and a discount", figures_are_proof=True) == [(PRICING, "discount")]
    clicks = "Search Console: 120 clicks, 48 units sold."
    assert any(code == FlagCode.UNUSUAL_REQUEST for code, _ in found(clicks)), "a count is a job's size in a lead"
    assert found(clicks, figures_are_proof=True) == [], "and a reported metric in a report note"


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        ("my kids keep getting headaches and I think it's the mold", "headaches"),
        ("the mold is making her sick", "making her sick"),
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
        ("We got a notice from the city about a code violation", "notice from the city about a code violation"),
        ("the HOA says our fence violates the covenants", "violates"),
    ],
)
def test_health_injury_legal_and_compliance_language(text: str, evidence: str) -> None:
    assert (LEGAL, evidence) in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "My mother in law is staying with us, so mornings work best",
        "there's a musty smell in the basement, could you take a look",
        "we noticed some mold on the drywall behind the washer",
        "we'll come Saturday, weather permitting",
        "it doesn't hurt to ask: do you do gutters?",
        "part of the ceiling drywall fell down after the rain",
        "Are you licensed and insured?",
        "ill be around after 3, text me",
    ],
)
def test_ordinary_requests_are_no_legal_or_medical_matter(text: str) -> None:
    assert LEGAL not in codes(text)


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        ("Your technician never showed up and nobody called", "never showed"),
        ("the faucet you fixed is leaking again", "you fixed is leaking"),
        ("your crew broke a sprinkler head", "your crew broke"),
        (
            'Still no hot water and it\'s been a week since you "fixed" it',
            'Still no hot water and it\'s been a week since you "fixed"',
        ),
        ("I keep getting sent to voicemail", "keep getting sent to voicemail"),
        ("We had to call another company to finish", "had to call another"),
        ("Your receptionist hung up on me twice", "hung up on"),
        ("tech showed up 3 hours late", "tech showed up 3 hours late"),
        ("the plumber you sent flooded our bathroom", "plumber you sent flooded"),
        ("nobody will come look at it", "nobody will come"),
        ("I'm reporting you to the BBB", "reporting you"),
    ],
)
def test_complaints_in_their_many_forms(text: str, evidence: str) -> None:
    assert (COMPLAINT, evidence) in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "I reset the breaker but it didn't fix the problem",
        "hail damaged our roof last night",
        "I came back from vacation to a flooded basement",
        "the dishwasher didn't finish its cycle",
        "can you cancel my appointment on Friday?",
        "I know it's not urgent but can someone look at the sink",
    ],
)
def test_ordinary_troubles_are_no_complaint(text: str) -> None:
    assert codes(text) == set()


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("no more than eighteen hundred", 1800),
        ("twenty-two hundred", 2200),
        ("two grand", 2000),
        ("a couple hundred bucks", 200),
        ("three thousand five hundred and twenty", 3520),
        ("3 thousand", 3000),
        ("seventy five hundred", 7500),
        ("four fifty for the swap", 450),
        ("quoted twelve-fifty", 1250),
    ],
)
def test_numbers_in_words_are_read_as_people_write_them(text: str, value: float) -> None:
    assert [n.value for n in numbers_in(words_of(text)) if n.value >= 100] == [value]


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        ("they scratched up the hardwood dragging the old fridge out", "they scratched"),
        ("the lawn has brown stripes everywhere your crew spilled fertilizer", "your crew spilled"),
        ("the AC you put in back in June already died", "you put in back in June already died"),
        ("The roaches are worse now than before you sprayed.", "are worse now than before you sprayed"),
        (
            "since your guys replaced the thermostat the heat won't come on at all",
            "your guys replaced the thermostat the heat won't come",
        ),
        ("Tech was short with my wife and left the gate open", "Tech was short with"),
        ("Please send a different technician next time", "different technician next time"),
        ("no se presentaron hoy otra vez. muy mal servicio", "no se presentaron"),
        ("the mess your crew made is still on the lawn", "mess your crew made"),
        ("you charged me for two hours but the tech was here for forty minutes", "charged me for two hours but"),
    ],
)
def test_complaints_told_as_plain_facts_about_the_business(text: str, evidence: str) -> None:
    assert (COMPLAINT, evidence) in found(text)


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        ("i've left three voicemails and still no reply", "still no reply"),
        ("the installer dinged up our new fridge", "installer dinged"),
        ("your estimator talked down to me the whole visit", "your estimator talked down"),
        ("i regret hiring you guys", "regret"),
        ("the bill came out way higher than the estimate and nobody explained why", "nobody explained why"),
        ("we keep having to call you back for the same leak", "keep having to call"),
        ("if i don't hear back by friday i'm leaving a review", "if i don't hear back"),
    ],
)
def test_complaints_about_silence_billing_conduct_and_regret(text: str, evidence: str) -> None:
    assert (COMPLAINT, evidence) in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "the tech who came last year was great",
        "our water bill was way higher than usual",
        "the fence is leaning after the storm",
        "we tried plunging it, didn't fix anything",
    ],
)
def test_praise_utility_bills_and_the_homes_own_failures_are_no_complaint(text: str) -> None:
    assert COMPLAINT not in codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "My last plumber left a mess and never came back. Can you come tomorrow?",  # another business
        "Our old roofer did a terrible job and then went out of business.",
        "so sick of this drip keeping me up at night lol",  # the home's own trouble
        "the worst of the leak is up by the chimney",
        "the dishwasher makes a horrible grinding noise when it drains",
        "can your tech look at the dryer? it died last night",  # asked for, not at work
        "the tech said the compressor is dead, how much for a new one?",  # reporting
        "the tech fixed the leak under the sink, now can someone look at the tub drain",
        "you were great last time, the new heater works perfectly. now the sink is clogged",  # praise
        "my husband tried to fix the leak himself and made it worse lol",
    ],
)
def test_the_homes_trouble_and_other_businesses_are_no_complaint(text: str) -> None:
    assert COMPLAINT not in codes(text)


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        ("do you do commercial? I run a small restaurant", "commercial"),
        ("we need 200 smoke detectors swapped out in a dorm", "200 smoke detectors"),
        ("need the whole warehouse floor degreased, about 40,000 sq ft", "40,000 sq"),
        ("GC here. Looking to sub out the electrical rough-in", "GC"),
        ("a 6-unit townhome project", "6-unit"),
        ("could you put up lights on the whole office building? six stories", "six stories"),
        ("while ur here could u also look at my car", "look at my car"),
        ("my sister's house needs the panel looked at", "my sister's house"),
        ("calling for my tenant in unit 2B, her sink is clogged", "calling for my tenant"),
        ("pest service for our church plus the school building next door", "our church"),
    ],
)
def test_unusual_premises_counts_trades_and_third_parties(text: str, evidence: str) -> None:
    assert (UNUSUAL, evidence) in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "I work at a restaurant so I'm only free mornings",
        "the kids are at school until 3 so any time before that is fine",
        "church lets out at noon so Sunday afternoon works for us",
        "my office at home gets really hot in the afternoon",
        "we have a boat in the driveway, please park on the street",
        "My brother is in charge of the house while I'm traveling, he'll let you in.",
        "there's a hundred things on my honey-do list lol",
        "we have about 25 feet of baseboard that needs replacing",
    ],
)
def test_where_people_work_and_ordinary_counts_are_not_unusual(text: str) -> None:
    assert UNUSUAL not in codes(text)


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        ("the board has to ok the new windows before we can book", "board has to ok"),
        ("the executor has final say on any repairs to the estate", "executor has final say"),
        ("you'd need a crane to set the unit on the roof", "crane"),
        ("the cabin is only reachable by boat", "by boat"),
        ("there's a dirt road in, you'll want four wheel drive", "four wheel drive"),
        ("the foyer has a 25 foot ceiling and the light fixture is out", "25 foot ceiling"),
        ("we'd like lime plaster on the living room walls", "lime plaster"),
        ("i'm supplying my own reclaimed oak flooring", "supplying my own"),
        ("our wedding is this saturday and the outlets on the patio are dead", "wedding is this saturday"),
        ("can someone be on call during the event", "on call"),
    ],
)
def test_unusual_approvals_to_come_access_materials_and_event_dates(text: str, evidence: str) -> None:
    assert (UNUSUAL, evidence) in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "our landlord said it's fine, go ahead and schedule",
        "the hoa already approved the paint color",
        "the kitchen island needs a new outlet",
        "toilet runs all night",
        "we're hosting a baby shower next month, no rush on the painting",
    ],
)
def test_approvals_given_kitchen_islands_and_loose_dates_are_not_unusual(text: str) -> None:
    assert UNUSUAL not in codes(text)


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        ("as long as it's no more than eighteen hundred we're good", "eighteen hundred"),
        ("the other guy said four fifty for the panel swap", "four fifty"),
        ("cap it at 40 hours of labor", "cap it at 40 hours of labor"),
        ("is that quote still good if we don't start until april", "quote still good"),
        ("If I refer my neighbor do I get anything off?", "refer my neighbor do I get anything off"),
        ("i got the bill and i was supposed to get the member rate", "member rate"),
    ],
)
def test_pricing_in_words_caps_and_offers_that_still_hold(text: str, evidence: str) -> None:
    assert (PRICING, evidence) in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "can you come around four thirty? I get off work at four",
        "we have two hundred feet of gutters roughly",
        "my house is about eighteen hundred square feet",
        "the water heater still has a manufacturer warranty",
        "we got the tile at a discount outlet, can you install it",
        "The office promised a callback Tuesday",
        "my schedule is free all week",
    ],
)
def test_times_measures_and_promised_callbacks_are_no_pricing(text: str) -> None:
    assert PRICING not in codes(text)


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        ("Venmo'd you a little extra", "Venmo'd"),
        ("zelled the deposit just now", "zelled"),
        ("Hola, puedo pagar con tarjeta cuando terminen?", "pagar"),
        ("can we do monthly installments on the new roof?", "monthly installments"),
        ("do you offer financing for a new HVAC system?", "financing"),
        ("i'd rather pay in person", "rather pay"),
        ("just want to confirm you got the 150 I sent", "150 I sent"),
    ],
)
def test_money_movement_as_verbs_in_spanish_and_over_time(text: str, evidence: str) -> None:
    assert (MONEY, evidence) in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "the garage outlet won't charge my car anymore",
        "Our tax refund finally came in so we're ready to do the patio!",
        "We refinanced last month and want to start the kitchen",
        "who's in charge of scheduling? I need to move my appointment",
        "pay attention to the second step, it's loose",
    ],
)
def test_charging_a_car_a_tax_refund_and_being_in_charge_are_no_money_movement(text: str) -> None:
    assert MONEY not in codes(text)


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        ("I use a wheelchair, so come through the garage", "wheelchair"),
        ("im hard of hearing please text dont call", "hard of hearing"),
        ("I have chemical sensitivity and react badly to cleaners", "chemical sensitivity"),
        ("my mother is recovering from a hip fracture", "hip fracture"),
        ("I do not consent to these calls being recorded.", "calls being recorded"),
        ("will the city need to inspect the new breaker box?", "city need to inspect"),
    ],
)
def test_conditions_recording_and_inspections_are_legal_or_medical(text: str, evidence: str) -> None:
    assert (LEGAL, evidence) in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "Sue from next door gave me your number",
        "my wife is a lawyer so she's only home after 6",
        "planning this remodel is such a headache lol",
        "My insurance agent suggested we have the roof looked at",
        "I was sick last week so we had to reschedule",
        "I recorded a video of the noise the dryer makes",
    ],
)
def test_homonyms_are_no_legal_or_medical_matter(text: str) -> None:
    assert LEGAL not in codes(text)


def test_review_edge_severities() -> None:
    severities = {
        f.code: f.severity for f in find_review_edge("lawyer, refund, discount, not happy, dozens of units", "x")
    }
    assert severities == {
        LEGAL: Severity.HIGH,
        MONEY: Severity.HIGH,
        COMPLAINT: Severity.HIGH,
        PRICING: Severity.MEDIUM,
        UNUSUAL: Severity.MEDIUM,
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


@pytest.mark.parametrize(
    "number",
    [
        "555-201-3344",
        "(303) 555 0100",
        "303.555.0100",
        "+1 303 555 0100",
        "1-303-555-0100",
        "303 555 0100",
        "3035550100",
        "(555)201-3344",
        "+1 (555) 201-3344",
        "1.555.201.3344",
        "555-0100",
        "303-555-0100 ext. 22",
        "+44 20 7946 0958",
        "+13035550100",
    ],
)
def test_phone_numbers_in_every_common_written_form(number: str) -> None:
    text = f"the caller said to reach them at {number} after five"
    assert [(f.code, f.evidence) for f in find_pii(text, "client_text")] == [(FlagCode.PII_PHONE, number)]


@pytest.mark.parametrize(
    "text",
    [
        "come between 10:30 and 12:30 on 11/20/2026",
        "2 units for $1,250.00, or $12,500 for the building",
        "on 2026-11-20, invoice #4471-2209",
        "serial 1234567, version 2.3.4.5678, zip 80202-1234",
        "a 1.5 ton unit, 240 v, 1200 sq ft, built 1987-1989",
        "we have 10 - 12 units, 24/7 service 365 days a year",
    ],
)
def test_times_prices_dates_and_counts_are_not_phone_numbers(text: str) -> None:
    assert find_pii(text, "client_text") == []


@pytest.mark.parametrize(
    "address",
    [
        "123 N. Main St., Apt 4",
        "42 oak street",
        "1600 Pennsylvania Avenue NW",
        "400 W 3rd St #2",
        "55 elm dr unit 3b",
        "789 Sunset Blvd Suite 200",
        "12-14 Oak Ln",
        "12 Maple Way",
        "PO Box 1234",
        "P.O. Box 77",
    ],
)
def test_street_addresses_with_units_and_po_boxes(address: str) -> None:
    text = f"Job site: {address}, gate code at the office"
    assert [(f.code, f.evidence) for f in find_pii(text, "client_text")] == [(FlagCode.PII_ADDRESS, address)]


@pytest.mark.parametrize(
    "text",
    [
        "it's a 2 hour drive",
        "I have 2 kids by the way",
        "5 days court date",
        "3 visits to the dr",
        "we live 5 miles down the road",
        "the house is 3 doors down the street",
        "2 units at 10 on Main",
    ],
)
def test_counts_and_distances_are_not_street_addresses(text: str) -> None:
    assert find_pii(text, "client_text") == []


# --- a quote from elsewhere, and findings about the same words -------------------------------


def test_a_quote_is_located_as_the_rules_locate_their_evidence() -> None:
    source = "they wrote or said: Please just CHARGE the card\non file today."
    for quote in ("charge the card on file", "“charge the card  on file…”", "HARGE THE CARD ON FIL"):
        span = quote_span(source, quote)
        assert span is not None and source[span[0] : span[1]] == "CHARGE the card\non file"
    assert quote_span(source, "wire the deposit") is None
    assert quote_span(source, " ... ") is None


def test_findings_about_the_same_words_are_merged_whoever_raised_them() -> None:
    rule = Finding(MONEY, Severity.HIGH, "money movement", "card on file", "internal_summary", (10, 22))
    ai = Finding(
        MONEY, Severity.LOW, "charges a card", "charge the card on file", "internal_summary", (3, 22), FlagSource.AI
    )
    other_code = Finding(PRICING, Severity.MEDIUM, "pricing", "card on file", "internal_summary", (10, 22))
    other_field = Finding(MONEY, Severity.HIGH, "money movement", "card on file", "client_text", (10, 22))
    merged = merge_findings([ai, rule, other_code, other_field])
    assert merged == [rule, other_code, other_field]
    unspanned = merge_findings(
        [Finding(MONEY, Severity.HIGH, "r", "Zelle"), Finding(MONEY, Severity.LOW, "a", "zelle", source=FlagSource.AI)]
    )
    assert [(f.evidence, f.severity, f.source) for f in unspanned] == [("Zelle", Severity.HIGH, FlagSource.RULE)]


def test_a_report_notes_money_figures_raise_no_pricing_flag_on_any_version(
    sqlite_database: Database, poll_config: PollConfig
) -> None:
    with sqlite_database.write() as session:
        ensure_demo_catalog(session)
        client = session.scalar(select(Client.id).where(Client.slug == "northside-plumbing"))
        session.add(
            WebhookEvent(
                provider="marketplace_import",
                client_id=client,
                owner="intake",
                source="marketplace_import",
                body=(PAYLOADS / "marketplace_import" / "thumbtack_daily.json").read_bytes(),
                status=WebhookStatus.NEW,
                recovery="replay",
                received_at=utcnow(),
            )
        )
    drain(sqlite_database, poll_config)
    with sqlite_database.write() as session:
        item = session.scalar(select(ReviewItem).where(ReviewItem.kind == ItemKind.REPORT_NOTE))
        text = session.scalar(select(Draft.client_text).where(Draft.review_item_id == item.id))
        assert "spend $" in text
        ai_version = DraftResult(
            drafter="ai",
            internal_summary="Thumbtack import for the week.",
            client_text="Thumbtack this week: 4 leads, spend $100.50.",
            next_action="File it.",
            confidence=0.9,
            input_hash="h" * 64,
        )
        assert PRICING in {f.code for f in draft_flags(ai_version)}  # the same words elsewhere would be
        write_version(session, item, ai_version, actor="drafter", source="test", now=utcnow())
    with sqlite_database.read() as session:
        flagged = set(session.scalars(select(RiskFlag.code).where(RiskFlag.review_item_id == item.id)))
    assert PRICING not in flagged
