"""Risk-flag rules over text: each finding has a code, severity, reason and evidence span."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers

from app.pipeline.fields import DEFAULT_REGION
from db.vocab import FlagCode, FlagSource, Severity


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    reason: str
    evidence: str = ""
    field: str | None = None
    span: tuple[int, int] | None = None
    source: FlagSource = FlagSource.RULE


_DIGIT = re.compile(r"\d")
_EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_STREET = re.compile(
    r"\b\d{1,6}\s+(?:[NSEW]\.?\s+)?(?:[A-Z][a-z]+\s+){1,3}"
    r"(?:St|Street|Ave|Avenue|Rd|Road|Blvd|Boulevard|Dr|Drive|Ln|Lane|Way|Ct|Court|Pl|Place|"
    r"Ter|Terrace|Cir|Circle|Hwy|Highway|Pkwy|Parkway)\b\.?"
)
_PRICING = (
    r"\$\s?\d[\d,]*(?:\.\d\d)?|\bfree (?:estimate|quote|inspection)s?\b|\bguarantee[ds]?\b|"
    r"\b\d+\s?% off\b|\bdiscount\b|\bprice match\b|\bmatch (?:the|a|their|your) (?:\$[\d,]+ )?"
    r"(?:quote|price)\b|\bbest price\b|\bno charge\b|\bwarranty\b"
)
_LEGAL = (
    r"\b(?:lawsuits?|sue|suing|attorney|lawyer|legal action|liab(?:le|ility)|insurance claims?|"
    r"injur(?:y|ed|ies)|medical|hospital|prescription|diagnos\w*|HIPAA|code violations?|"
    r"permits?|inspector)\b"
)
_COMPLAINT = (
    r"\b(?:not happy|unhappy|terrible|awful|worst|refund|complain\w*|disappointed|rude|"
    r"left a mess|never showed|no[- ]show|ripped off|scam|bad experience|angry|furious|"
    r"one[- ]star|1[- ]star)\b"
)
# One pass over the text for all three rules: the group that matched names the rule.
_REVIEW_EDGE = re.compile(
    f"(?P<pricing>{_PRICING})|(?P<legal>{_LEGAL})|(?P<complaint>{_COMPLAINT})", re.IGNORECASE
)


def find_pii(text: str, field: str) -> list[Finding]:
    """Phone numbers, email addresses and street addresses in ``text``."""
    findings: list[Finding] = []
    if len(_DIGIT.findall(text)) >= 7:  # no phone number fits in fewer digits
        for match in phonenumbers.PhoneNumberMatcher(text, DEFAULT_REGION):
            findings.append(
                Finding(FlagCode.PII_PHONE, Severity.HIGH, "phone number in client-facing text",
                        match.raw_string, field, (match.start, match.end))
            )
    if "@" in text:
        for match in _EMAIL.finditer(text):
            findings.append(
                Finding(FlagCode.PII_EMAIL, Severity.HIGH, "email address in client-facing text",
                        match.group(), field, match.span())
            )
    for match in _STREET.finditer(text):
        findings.append(
            Finding(FlagCode.PII_ADDRESS, Severity.HIGH, "street address in client-facing text",
                    match.group(), field, match.span())
        )
    return findings


_LANGUAGE_RULES = {
    "pricing": (FlagCode.PRICING_PROMISE, Severity.MEDIUM, "pricing or promise language"),
    "legal": (FlagCode.LEGAL_MEDICAL_COMPLIANCE, Severity.HIGH,
              "legal, medical or compliance language needs a human judgment"),
    "complaint": (FlagCode.COMPLAINT, Severity.HIGH, "complaint or bad experience"),
}


def find_review_edge(text: str, field: str) -> list[Finding]:
    """Pricing promises, legal / medical / compliance language and complaints."""
    return list(_review_edge(text, field))


@lru_cache(maxsize=4096)
def _review_edge(text: str, field: str) -> tuple[Finding, ...]:
    # Memoized: an event's items share one internal summary, and templates repeat.
    found = []
    for match in _REVIEW_EDGE.finditer(text):
        code, severity, reason = _LANGUAGE_RULES[match.lastgroup or ""]
        found.append(Finding(code, severity, reason, match.group(), field, match.span()))
    return tuple(found)


def top_severity(findings: list[Finding]) -> Severity:
    return max((f.severity for f in findings), default=Severity.NONE)
