"""What the text rules find, with their evidence spans."""

from __future__ import annotations

import pytest

from app.pipeline.flag_rules import find_pii, find_review_edge
from db.vocab import FlagCode, Severity


def found(text: str) -> list[tuple[str, str]]:
    findings = find_review_edge(text, "internal_summary")
    for f in findings:
        assert f.span is not None and text[f.span[0]:f.span[1]] == f.evidence
    return [(f.code, f.evidence) for f in findings]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Can you match the $2,400 quote I got?", [(FlagCode.PRICING_PROMISE, "$2,400")]),
        ("Is there a FREE ESTIMATE?", [(FlagCode.PRICING_PROMISE, "FREE ESTIMATE")]),
        ("Please price match and give 10% off", [(FlagCode.PRICING_PROMISE, "price match"),
                                                  (FlagCode.PRICING_PROMISE, "10% off")]),
        ("We guaranteed it would be fixed", [(FlagCode.PRICING_PROMISE, "guaranteed")]),
        ("The inspector said it was diagnosed wrong",
         [(FlagCode.LEGAL_MEDICAL_COMPLIANCE, "inspector"),
          (FlagCode.LEGAL_MEDICAL_COMPLIANCE, "diagnosed")]),
        ("is this covered by my insurance claims?",
         [(FlagCode.LEGAL_MEDICAL_COMPLIANCE, "insurance claims")]),
        ("Last technician left a mess, I'm not happy.",
         [(FlagCode.COMPLAINT, "left a mess"), (FlagCode.COMPLAINT, "not happy")]),
        ("They were a no-show, 1-star", [(FlagCode.COMPLAINT, "no-show"), (FlagCode.COMPLAINT, "1-star")]),
        ("Suing is not our plan; we will sue only if", [(FlagCode.LEGAL_MEDICAL_COMPLIANCE, "Suing"),
                                                         (FlagCode.LEGAL_MEDICAL_COMPLIANCE, "sue")]),
        ("Kitchen sink leaks, please come Tuesday.", []),
        ("The issue was more than a happy accident", []),  # "happy" alone is not "not happy"
        ("Unsure about the permit process", [(FlagCode.LEGAL_MEDICAL_COMPLIANCE, "permit")]),
    ],
)
def test_review_edge_language(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


def test_review_edge_severities() -> None:
    severities = {f.code: f.severity for f in find_review_edge("lawyer, refund, discount", "x")}
    assert severities == {
        FlagCode.LEGAL_MEDICAL_COMPLIANCE: Severity.HIGH,
        FlagCode.COMPLAINT: Severity.HIGH,
        FlagCode.PRICING_PROMISE: Severity.MEDIUM,
    }


def test_pii_in_client_text() -> None:
    text = "Call Maria at (312) 555-0142 or maria.lopez@example.com, 42 Oak Street."
    codes = {(f.code, f.evidence) for f in find_pii(text, "client_text")}
    assert codes == {
        (FlagCode.PII_PHONE, "(312) 555-0142"),
        (FlagCode.PII_EMAIL, "maria.lopez@example.com"),
        (FlagCode.PII_ADDRESS, "42 Oak Street"),
    }
    assert find_pii("A new inquiry about drain cleaning arrived on Sat Nov 21.", "client_text") == []
