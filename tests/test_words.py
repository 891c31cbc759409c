"""Every stored code has words: no raw code ("missed_call_textback") reaches the window."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from enum import IntEnum, StrEnum

import pytest

from app import words
from app.pipeline.normalizers import PROVIDERS
from app.services.review import REJECT_REASONS
from db import vocab

# Which words each vocabulary of ``db.vocab`` reads in.
READERS: dict[str, Callable[[str], str]] = {
    "Role": words.role,
    "EventType": words.event,
    "PauseScope": words.scope,
    "WebhookStatus": words.status,
    "ItemKind": words.kind,
    "Workflow": words.workflow,
    "FlagCode": words.flag,
    "ItemStatus": words.status,
    "MessageStatus": words.status,
    "HandoffStatus": words.status,
    "TaskStatus": words.status,
    "EditClass": words.edit_class,
    "FlagSource": words.other,
    "Urgency": words.other,
    "Consent": words.other,
    "ConsentState": words.other,
    "ConsentMethod": words.other,
    "LeadStage": words.other,
    "LostReason": words.other,
    "AlertKind": words.other,
}
VOCABULARIES = [
    cls for _, cls in inspect.getmembers(vocab, inspect.isclass) if issubclass(cls, StrEnum) and cls is not StrEnum
]
CODES = [(cls.__name__, member.value) for cls in VOCABULARIES for member in cls]


def readable(code: str, word: str) -> bool:
    return word != code and "_" not in word and word[:1].isupper()


def test_every_vocabulary_has_a_reader() -> None:
    assert {cls.__name__ for cls in VOCABULARIES} == set(READERS)


@pytest.mark.parametrize(("vocabulary", "code"), CODES)
def test_every_vocabulary_code_has_readable_words(vocabulary: str, code: str) -> None:
    assert readable(code, READERS[vocabulary](code)), (vocabulary, code, READERS[vocabulary](code))


@pytest.mark.parametrize("code", [*PROVIDERS, *(w.value for w in vocab.Workflow), *(f.value for f in vocab.FlagCode)])
def test_every_provider_workflow_and_flag_is_in_its_table(code: str) -> None:
    assert code in words.SOURCES or code in words.WORKFLOWS or code in words.FLAGS
    assert readable(
        code,
        words.source(code)
        if code in PROVIDERS
        else words.workflow(code)
        if code in words.WORKFLOWS
        else words.flag(code),
    )


def test_the_reject_reasons_are_the_services_and_each_has_words() -> None:
    assert set(words.REASONS) == set(REJECT_REASONS)
    assert all(readable(code, words.reason(code)) for code in REJECT_REASONS)


def test_known_codes_read_in_sentence_case() -> None:
    assert words.workflow("missed_call_textback") == "Missed-call text-back"
    assert words.kind("crm_handoff") == "CRM handoff"
    assert words.status("in_review") == "In review"
    assert words.source("callrail") == "CallRail"
    assert words.flags("pii_phone,complaint") == "Phone number (PII), Complaint"


def test_an_unknown_code_still_reads_as_words() -> None:
    assert words.workflow("winter_promo_blast") == "Winter promo blast"
    assert words.source("new_provider") == "New provider"


def test_severities_have_words_and_none_is_silent() -> None:
    assert [words.severity(s) for s in vocab.Severity] == ["", "Low", "Medium", "High"]
    assert issubclass(vocab.Severity, IntEnum)


def test_a_paused_workflow_is_named_in_words() -> None:
    assert words.paused("workflow", "crm_handoff", "workflow crm_handoff") == "CRM handoff workflow"
    assert words.paused("client", "3", "client Acme HVAC") == "Client Acme HVAC"
