"""The AI drafter against a real local server speaking the chat-completions shape (the openai
SDK is not patched): good answers, bad answers, slow and failing servers, and models that
leak PII or invent evidence."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import get_args

import pytest

from app.ai.config import AiConfig
from app.ai.drafter import AI_DRAFTER, AiDrafter
from app.ai.output import AiFlagCode
from app.ai.prompt import PROMPT_VERSION
from app.pipeline.drafting import OFFLINE_DRAFTER, DraftRequest, OfflineSummarizer, Snippet, Template
from app.pipeline.model import Contact, NormalizedEvent
from app.pipeline.planner import draft_flags
from db.vocab import EventType, FlagCode, FlagSource, ItemKind, Severity
from tests.fake_openai import FakeOpenAI, Reply, completion, draft_json, error, fake_openai, user_message

SAID = "Water is coming through the ceiling, call me at (415) 555-0134 or jo@example.com. My lawyer says..."


def request(kind: ItemKind = ItemKind.PORTAL_NOTE, **changes: object) -> DraftRequest:
    event = NormalizedEvent(
        type=EventType.LEAD_CREATED,
        provider="web_form",
        idempotency_key="web_form:lead:1",
        occurred_at=datetime(2026, 11, 20, 15, 0, tzinfo=UTC),
        contact=Contact("Jo Smith", "+14155550134", "jo@example.com"),
        service="Leak repair",
        free_text=SAID,
    )
    base = DraftRequest(
        event=event,
        kind=kind,
        client_name="Northside Plumbing",
        services=("Leak repair", "Drain cleaning"),
        client_timezone="America/Chicago",
        snippets=(Snippet(7, "Hours", "Open 7am to 7pm every day."),),
    )
    return DraftRequest(**{**base.__dict__, **changes})  # type: ignore[arg-type]


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    with fake_openai() as fake:
        yield fake


def drafter_for(server: FakeOpenAI, **config: object) -> AiDrafter:
    options = {
        "model": "test-model",
        "base_url": server.base_url,
        "api_key": "sk-test",
        "timeout_s": 5.0,
        "max_retries": 0,
        **config,
    }
    return AiDrafter(AiConfig(**options))  # type: ignore[arg-type]


def bad(times: int, reply: Reply) -> list[Reply]:
    return [reply] * times


def test_a_valid_answer_becomes_an_ai_draft_with_its_provenance(server: FakeOpenAI) -> None:
    quote = "My lawyer says"
    server.queue(
        Reply(
            body=completion(
                draft_json(
                    client_note="A new leak repair inquiry arrived through the website form; the team will call today.",
                    flags=[
                        {
                            "code": "legal_medical_compliance",
                            "severity": "high",
                            "evidence": quote,
                            "reason": "mentions a lawyer",
                        }
                    ],
                    used_snippets=[7, 99],
                    confidence=0.82,
                ),
                prompt_tokens=321,
                completion_tokens=88,
            )
        )
    )
    result = drafter_for(server).draft(request())
    assert result.drafter == AI_DRAFTER and result.model == "test-model"
    assert result.prompt_version == PROMPT_VERSION and len(result.input_hash) == 64
    assert (result.tokens_in, result.tokens_out) == (321, 88) and result.latency_ms is not None
    assert result.snippet_ids == (7,)  # 99 was never offered: not recorded as used
    # The rules flag "lawyer" in the same words: one flag, with the rules' evidence.
    assert [(f.code, f.severity, f.evidence, f.source) for f in result.findings] == [
        (FlagCode.LEGAL_MEDICAL_COMPLIANCE, Severity.HIGH, "lawyer", FlagSource.RULE)
    ]
    sent = server.requests[0]
    assert sent["model"] == "test-model" and sent["response_format"]["type"] == "json_schema"
    assert sent["response_format"]["json_schema"]["strict"] is True


def test_phone_numbers_emails_and_addresses_are_redacted_before_the_model(server: FakeOpenAI) -> None:
    drafter_for(server).draft(
        request(
            event=request().event.__class__(
                **{**request().event.__dict__, "free_text": SAID + " I'm at 42 Elm Street."}
            )
        )
    )
    sent = user_message(server.requests[0])
    for leaked in ("555-0134", "jo@example.com", "42 Elm Street", "Smith"):
        assert leaked not in sent
    assert "[PHONE]" in sent and "[EMAIL]" in sent and "[ADDRESS]" in sent
    assert "snippet [7] Hours" in sent  # approved material is what grounds the note


def test_redaction_can_be_turned_off(server: FakeOpenAI) -> None:
    drafter_for(server, redact_pii=False).draft(request())
    assert "(415) 555-0134" in user_message(server.requests[0])


@pytest.mark.parametrize(
    "answer",
    [
        completion("{not json at all"),
        completion(json.dumps({"internal_summary": "x", "client_note": "y"})),  # fields missing
        completion(draft_json().replace('"confidence": 0.9', '"confidence": 7')),  # out of range
        completion(
            json.dumps(
                {
                    **json.loads(draft_json()),
                    "risk_flags": [{"code": "made_up_code", "severity": "high", "evidence": "x", "reason": "y"}],
                }
            )
        ),
        completion(draft_json()[:80], finish_reason="length"),  # truncated
        completion(draft_json(client_note="   ")),  # an empty note is no draft
    ],
    ids=["invalid-json", "missing-fields", "out-of-range", "unknown-flag-code", "truncated", "empty-note"],
)
def test_an_unusable_answer_is_asked_for_once_more_then_drafted_offline(server: FakeOpenAI, answer: dict) -> None:
    server.queue(*bad(2, Reply(body=answer)))
    result = drafter_for(server).draft(request())
    assert len(server.requests) == 2
    assert result.drafter == OFFLINE_DRAFTER and result.client_text.strip()
    flags = [f for f in result.findings if f.code == FlagCode.AI_UNAVAILABLE]
    assert len(flags) == 1 and "unusable twice" in flags[0].reason


def test_one_unusable_answer_then_a_good_one_is_an_ai_draft(server: FakeOpenAI) -> None:
    server.queue(Reply(body=completion("{broken")))
    result = drafter_for(server).draft(request())
    assert result.drafter == AI_DRAFTER and len(server.requests) == 2
    assert result.tokens_in == 240  # both attempts are counted


def test_a_server_that_does_not_answer_in_time_falls_back(server: FakeOpenAI) -> None:
    server.queue(Reply(body=completion(draft_json()), delay_s=3))
    result = drafter_for(server, timeout_s=0.5).draft(request())  # the answer would take 3 s
    assert result.drafter == OFFLINE_DRAFTER
    assert any("did not answer within 0.5 s" in f.reason for f in result.findings)


def test_a_429_is_retried_after_its_retry_after(server: FakeOpenAI) -> None:
    server.queue(Reply(429, {"error": {"message": "slow down", "type": "rate_limit"}}, {"Retry-After": "1"}))
    result = drafter_for(server, max_retries=2).draft(request())
    assert result.drafter == AI_DRAFTER
    assert len(server.arrivals) == 2 and server.arrivals[1] - server.arrivals[0] >= 0.95


def test_500s_are_retried_by_the_sdk_and_then_fall_back(server: FakeOpenAI) -> None:
    server.queue(error(500, "boom", "server_error"), error(502, "bad gateway", "server_error"))
    assert drafter_for(server, max_retries=2).draft(request()).drafter == AI_DRAFTER
    assert len(server.requests) == 3
    server.queue(*bad(3, error(503, "down", "server_error")))
    result = drafter_for(server, max_retries=2).draft(request())
    assert result.drafter == OFFLINE_DRAFTER
    assert any("failed (503)" in f.reason for f in result.findings)


def test_a_refused_key_is_said_plainly(server: FakeOpenAI) -> None:
    server.queue(error(401, "bad key", "invalid_api_key"))
    result = drafter_for(server).draft(request())
    assert any("refused the API key" in f.reason for f in result.findings)


def test_a_model_that_echoes_pii_into_the_note_is_flagged_by_the_same_rules(server: FakeOpenAI) -> None:
    server.queue(
        Reply(
            body=completion(draft_json(client_note="Call Jo back at (415) 555-0134 or write to jo@example.com today."))
        )
    )
    result = drafter_for(server, redact_pii=False).draft(request())
    assert result.drafter == AI_DRAFTER
    flags = {(f.code, f.severity, f.field) for f in draft_flags(result)}
    assert (FlagCode.PII_PHONE, Severity.HIGH, "client_text") in flags
    assert (FlagCode.PII_EMAIL, Severity.HIGH, "client_text") in flags


def test_invented_evidence_is_dropped_and_flagged(server: FakeOpenAI) -> None:
    server.queue(
        Reply(
            body=completion(
                draft_json(
                    flags=[
                        {
                            "code": "money_movement",
                            "severity": "high",
                            "evidence": "please wire the deposit today",
                            "reason": "asks for a deposit",
                        },
                        {
                            "code": "complaint",
                            "severity": "medium",
                            "evidence": "coming  through the CEILING",
                            "reason": "damage",
                        },  # real, modulo spacing and case
                    ]
                )
            )
        )
    )
    result = drafter_for(server).draft(request())
    codes = [(f.code, f.evidence) for f in result.findings]
    assert ("complaint", "coming through the ceiling") in codes  # the source's own words
    assert all(code != "money_movement" for code, _ in codes)
    invented = [f for f in result.findings if f.code == FlagCode.UNSUPPORTED_EVIDENCE]
    assert len(invented) == 1 and "money movement" in invented[0].reason


def test_a_server_without_structured_output_gets_json_mode_from_then_on() -> None:
    with fake_openai(structured_output=False) as server:
        drafter = drafter_for(server)
        assert drafter.draft(request()).drafter == AI_DRAFTER
        assert (
            drafter.draft(
                request(
                    kind=ItemKind.MESSAGE,
                    template=Template(3, "sms", "Hi {first_name}, thanks for reaching out!", "Reply STOP to opt out."),
                )
            ).drafter
            == AI_DRAFTER
        )
        formats = [(r.get("response_format") or {}).get("type") for r in server.requests]
        assert formats == ["json_schema", "json_object", "json_object"]
        assert "JSON schema" in server.requests[1]["messages"][0]["content"]
        assert "Reply STOP to opt out." in user_message(server.requests[2])


def test_a_regenerate_request_carries_the_instruction_and_the_previous_draft(server: FakeOpenAI) -> None:
    drafter_for(server).draft(
        request(instruction="shorter, mention the Tuesday slot", previous_text="A long draft about the leak.")
    )
    sent = user_message(server.requests[0])
    assert "REVIEWER INSTRUCTION:\nshorter, mention the Tuesday slot" in sent
    assert "PREVIOUS DRAFT:\nA long draft about the leak." in sent


def test_an_unreachable_server_falls_back_without_a_crash() -> None:
    with fake_openai() as server:
        url = server.base_url
    result = AiDrafter(AiConfig(model="m", base_url=url, timeout_s=1, max_retries=0)).draft(request())
    assert result.drafter == OFFLINE_DRAFTER
    assert any("cannot be reached" in f.reason for f in result.findings)


def said(text: str, kind: ItemKind = ItemKind.PORTAL_NOTE) -> DraftRequest:
    event = request().event
    return request(kind=kind, event=event.__class__(**{**event.__dict__, "free_text": text}))


def edge(findings: list) -> set[tuple[str, str]]:
    return {
        (f.code, f.evidence)
        for f in findings
        if f.code
        in (
            FlagCode.MONEY_MOVEMENT,
            FlagCode.UNUSUAL_REQUEST,
            FlagCode.PRICING_PROMISE,
            FlagCode.LEGAL_MEDICAL_COMPLIANCE,
            FlagCode.COMPLAINT,
        )
    }


def test_the_model_and_the_rules_raise_the_same_flag_once_with_the_same_evidence(server: FakeOpenAI) -> None:
    lead = "Hi, please just charge the card on file for the deposit."
    server.queue(
        Reply(
            body=completion(
                draft_json(
                    summary="The lead asks us to charge the card on file for the deposit.",
                    flags=[
                        {
                            "code": "money_movement",
                            "severity": "low",
                            "evidence": "CHARGE the card  on file",
                            "reason": "wants a card charged",
                        }
                    ],
                )
            )
        )
    )
    result = drafter_for(server).draft(said(lead))
    money = [f for f in result.findings if f.code == FlagCode.MONEY_MOVEMENT]
    assert [(f.evidence, f.severity, f.span) for f in money] == [
        ("charge the card on file", Severity.HIGH, None),  # the rules' span; never below their severity
        ("deposit", Severity.HIGH, None),
    ]
    flags = [f for f in draft_flags(result) if f.code == FlagCode.MONEY_MOVEMENT]
    assert len(flags) == 2, "the model's flag, the rules on the signal and on the summary: one flag per words"
    for flag in flags:
        assert flag.field == "internal_summary" and flag.span is not None
        assert result.internal_summary[flag.span[0] : flag.span[1]] == flag.evidence
    offline = OfflineSummarizer().draft(said(lead))
    assert (
        edge(draft_flags(result))
        == edge(draft_flags(offline))
        == {(FlagCode.MONEY_MOVEMENT, "charge the card on file"), (FlagCode.MONEY_MOVEMENT, "deposit")}
    )


def test_the_rules_still_read_the_signal_when_the_model_flags_nothing(server: FakeOpenAI) -> None:
    server.queue(Reply(body=completion(draft_json(summary="A lead wants to settle up."))))
    result = drafter_for(server).draft(said("Can I zelle you the balance? we manage 40 units"))
    assert edge(result.findings) == {(FlagCode.MONEY_MOVEMENT, "zelle"), (FlagCode.UNUSUAL_REQUEST, "40 units")}
    assert all(f.source == FlagSource.RULE and f.span is None for f in result.findings)


def test_a_loosely_spelled_flag_code_is_the_same_flag_code(server: FakeOpenAI) -> None:
    server.queue(
        Reply(
            body=completion(
                draft_json(
                    flags=[
                        {
                            "code": "Unusual Request",
                            "severity": "HIGH",
                            "evidence": "Water is coming through",
                            "reason": "odd",
                        },
                    ]
                )
            )
        )
    )
    result = drafter_for(server).draft(request())
    assert (FlagCode.UNUSUAL_REQUEST, Severity.HIGH, "Water is coming through", FlagSource.AI) in {
        (f.code, f.severity, f.evidence, f.source) for f in result.findings
    }
    assert {FlagCode(code) for code in get_args(AiFlagCode)} <= set(FlagCode)  # every code the model may use
