"""Risk-flag rules over text: each finding has a code, severity, reason and evidence span."""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers

from app.pipeline.fields import DEFAULT_REGION
from db.vocab import FlagSource, Severity


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    reason: str
    evidence: str = ""
    field: str | None = None
    span: tuple[int, int] | None = None
    source: FlagSource = FlagSource.RULE


_EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_STREET = re.compile(
    r"\b\d{1,6}\s+(?:[NSEW]\.?\s+)?(?:[A-Z][a-z]+\s+){1,3}"
    r"(?:St|Street|Ave|Avenue|Rd|Road|Blvd|Boulevard|Dr|Drive|Ln|Lane|Way|Ct|Court|Pl|Place|"
    r"Ter|Terrace|Cir|Circle|Hwy|Highway|Pkwy|Parkway)\b\.?"
)
_PRICING = re.compile(
    r"(\$\s?\d[\d,]*(?:\.\d\d)?|\bfree (?:estimate|quote|inspection)\b|\bguarantee[ds]?\b|"
    r"\b\d+\s?% off\b|\bdiscount\b|\bprice match\b|\bbest price\b|\bno charge\b)",
    re.IGNORECASE,
)
_LEGAL = re.compile(
    r"\b(lawsuit|sue|suing|attorney|lawyer|legal action|liab(?:le|ility)|insurance claim|"
    r"injur(?:y|ed)|medical|hospital|prescription|diagnos\w*|HIPAA|code violation|permit)\b",
    re.IGNORECASE,
)


def find_pii(text: str, field: str) -> list[Finding]:
    """Phone numbers, email addresses and street addresses in ``text``."""
    findings: list[Finding] = []
    for match in phonenumbers.PhoneNumberMatcher(text, DEFAULT_REGION):
        findings.append(
            Finding("pii_phone", Severity.HIGH, "phone number in client-facing text",
                    match.raw_string, field, (match.start, match.end))
        )
    for match in _EMAIL.finditer(text):
        findings.append(
            Finding("pii_email", Severity.HIGH, "email address in client-facing text",
                    match.group(), field, match.span())
        )
    for match in _STREET.finditer(text):
        findings.append(
            Finding("pii_address", Severity.HIGH, "street address in client-facing text",
                    match.group(), field, match.span())
        )
    return findings


def find_review_edge(text: str, field: str) -> list[Finding]:
    """Pricing promises and legal / medical / compliance language: always human-reviewed."""
    findings: list[Finding] = []
    for match in _PRICING.finditer(text):
        findings.append(
            Finding("pricing_promise", Severity.MEDIUM, "pricing or promise language",
                    match.group(), field, match.span())
        )
    for match in _LEGAL.finditer(text):
        findings.append(
            Finding("legal_medical_compliance", Severity.HIGH,
                    "legal, medical or compliance language needs a human judgment",
                    match.group(), field, match.span())
        )
    return findings


def top_severity(findings: list[Finding]) -> Severity:
    return max((f.severity for f in findings), default=Severity.NONE)
