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
    r"(?:(?:Street|Avenue|Road|Boulevard|Drive|Lane|Way|Court|Place|Terrace|Circle|Highway|"
    r"Parkway)\b|(?:St|Ave|Rd|Blvd|Dr|Ln|Ct|Pl|Ter|Cir|Hwy|Pkwy)\b\.?)"
)
# Review-edge language as phrases: words are compared lowercased, a trailing "*" matches any
# ending ("diagnos*" finds diagnosis, diagnosed). Matching looks each word of the text up by its
# first phrase word, so the cost grows with the text, not with the number of phrases.
_PHRASES: dict[FlagCode, tuple[str, ...]] = {
    FlagCode.PRICING_PROMISE: (
        "free estimate*", "free quote*", "free inspection*", "guarantee*", "discount*",
        "price match*", "match the quote", "match the price", "match a quote", "match their quote",
        "match their price", "match your quote", "match your price", "best price*", "no charge",
        "warrant*", "lowest price*",
    ),
    FlagCode.LEGAL_MEDICAL_COMPLIANCE: (
        "lawsuit*", "sue", "suing", "attorney*", "lawyer*", "legal action", "liable", "liability",
        "insurance claim*", "injur*", "medical", "hospital*", "prescription*", "diagnos*", "hipaa",
        "code violation*", "permit*", "inspector*",
    ),
    FlagCode.COMPLAINT: (
        "not happy", "unhappy", "terrible", "awful", "worst", "refund*", "complain*",
        "disappointed", "rude", "left a mess", "never showed", "no show", "no-show",
        "ripped off", "scam*", "bad experience", "angry", "furious", "one star", "one-star",
        "1 star", "1-star",
    ),
}
_RULES = {
    FlagCode.PRICING_PROMISE: (Severity.MEDIUM, "pricing or promise language"),
    FlagCode.LEGAL_MEDICAL_COMPLIANCE: (
        Severity.HIGH, "legal, medical or compliance language needs a human judgment"),
    FlagCode.COMPLAINT: (Severity.HIGH, "complaint or bad experience"),
}
_WORD = re.compile(r"[A-Za-z0-9]+(?:['-][A-Za-z0-9]+)*")
_MONEY = re.compile(r"\$\s?\d[\d,]*(?:\.\d\d)?")
_PERCENT_OFF = re.compile(r"\b\d+\s?% off\b", re.IGNORECASE)


Phrase = tuple[tuple[str, ...], FlagCode]


_STEM = 3  # every prefix phrase starts with at least this many letters


def _index_phrases() -> tuple[dict[str, list[Phrase]], dict[str, list[Phrase]]]:
    """Phrases by their exact first word, and (first word ends in "*", as in "diagnos*") by
    the first letters of it, so a word of the text needs one lookup in each."""
    exact: dict[str, list[Phrase]] = {}
    by_stem: dict[str, list[Phrase]] = {}
    for code, phrases in _PHRASES.items():
        for phrase in phrases:
            words = tuple(phrase.lower().split())
            first = words[0]
            if first.endswith("*"):
                assert len(first) > _STEM, f"prefix phrase too short: {phrase}"
                by_stem.setdefault(first[:_STEM], []).append((words, code))
            else:
                exact.setdefault(first, []).append((words, code))
    return exact, by_stem


_BY_FIRST_WORD, _BY_STEM = _index_phrases()


def _word_matches(pattern: str, word: str) -> bool:
    return word.startswith(pattern[:-1]) if pattern.endswith("*") else word == pattern


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


def find_review_edge(text: str, field: str) -> list[Finding]:
    """Pricing promises, legal / medical / compliance language and complaints."""
    return list(_review_edge(text, field))


@lru_cache(maxsize=4096)
def _review_edge(text: str, field: str) -> tuple[Finding, ...]:
    # Memoized: an event's texts repeat across drafts, and templates repeat across events.
    found: list[Finding] = []
    words = [(m.group().lower(), m.start(), m.end()) for m in _WORD.finditer(text)]
    for index, (word, start, _) in enumerate(words):
        candidates = _BY_FIRST_WORD.get(word, []) + _BY_STEM.get(word[:_STEM], [])
        for phrase, code in candidates:
            following = words[index:index + len(phrase)]
            if len(following) == len(phrase) and all(
                _word_matches(p, w) for p, (w, _, _) in zip(phrase, following, strict=True)
            ):
                end = following[-1][2]
                found.append(_finding(code, text[start:end], field, (start, end)))
                break
    if "$" in text:
        found += [_finding(FlagCode.PRICING_PROMISE, m.group(), field, m.span())
                  for m in _MONEY.finditer(text)]
    if "%" in text:
        found += [_finding(FlagCode.PRICING_PROMISE, m.group(), field, m.span())
                  for m in _PERCENT_OFF.finditer(text)]
    found.sort(key=lambda f: f.span or (0, 0))
    return tuple(found)


def _finding(code: FlagCode, evidence: str, field: str, span: tuple[int, int]) -> Finding:
    severity, reason = _RULES[code]
    return Finding(code, severity, reason, evidence, field, span)


def top_severity(findings: list[Finding]) -> Severity:
    return max((f.severity for f in findings), default=Severity.NONE)
