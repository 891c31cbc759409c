"""Personal details in text: phone numbers (any common written form, with or without a
country code), email addresses and street addresses (with unit numbers, PO boxes)."""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import Leniency

from app.pipeline.fields import DEFAULT_REGION
from app.pipeline.findings import Finding
from db.vocab import FlagCode, Severity

_DIGIT = re.compile(r"\d")
_EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# How North American numbers are written: 555-0100, 303 555 0100, 1-303-555-0100,
# 3035550100. A number that is not allocated (555-201-3344) still counts when written like
# that; other groupings (1 234 567, a version 2.3.4.5678) only when the number is valid.
_NANP_GROUPS = {(3, 4), (3, 3, 4), (1, 3, 3, 4), (10,), (11,)}
_GROUP = re.compile(r"\d+")

# House number (123, 123B, 12-14), an optional direction, one to three name words, a street
# type, an optional trailing direction and unit. Street types a sentence uses for something
# else ("a 2 hour drive", "5 days court") only count with capitalised names, as addresses
# are written; the unambiguous ones count in any case.
_STOP = (
    r"(?!(?:the|a|an|to|for|of|in|on|at|by|and|or|my|your|our|their|his|her|is|are|was|were|be|with|from|we|i"
    r"|you|it|this|that|these|those|more|than|per|each|every|some|any|all|other|units?|times?|hours?|minutes?"
    r"|days?|weeks?|months?|years?|miles?|blocks?|doors?|people|kids?|dogs?|cats?|am|pm)\b)"
)
_HOUSE = r"\b\d{1,6}[A-Za-z]?(?:-\d{1,4})?\s+"
_DIRECTION = r"(?:(?:[NSEW]|NE|NW|SE|SW|North|South|East|West)\.?\s+)?"
_UNIT = (
    r"(?:,?\s+(?:[NSEW]|NE|NW|SE|SW)\b\.?)?"
    r"(?:,?\s*(?:(?:Apt|Apartment|Unit|Suite|Ste|Bldg|Building|Fl|Floor|Rm|Room|Lot|Space)\.?"
    r"\s*#?\s*[A-Za-z0-9-]+"
    r"|#\s*[A-Za-z0-9-]+))?"
)
_PLAIN_TYPES = (
    r"(?:(?:Street|Avenue|Road|Boulevard|Lane|Terrace|Highway|Parkway|Expressway|Freeway|Turnpike|Crescent)\b"
    r"|(?:St|Str|Ave|Av|Rd|Blvd|Ln|Dr|Ct|Pl|Ter|Cir|Hwy|Pkwy|Trl|Expy|Fwy|Tpke|Cres|Sq)\b\.?)"
)
_NAMED_TYPES = (
    r"(?:Way|Drive|Court|Place|Circle|Trail|Square|Loop|Row|Run|Path|Point|Pike|Walk|Ridge|Crossing|Bend"
    r"|Commons|Grove|Heights|Hollow|Landing|Park|Pass|Plaza|Alley|Close|Mews)\b"
)
_STREET_ANY_CASE = re.compile(
    _HOUSE
    + _DIRECTION
    + rf"(?:{_STOP}(?:[A-Za-z][A-Za-z'’-]*\.?|\d{{1,3}}(?:st|nd|rd|th))\s+){{1,3}}?"
    + _PLAIN_TYPES
    + _UNIT,
    re.IGNORECASE,
)
_STREET_NAMED = re.compile(
    _HOUSE + _DIRECTION + r"(?:(?:[A-Z][A-Za-z'’-]*|\d{1,3}(?:st|nd|rd|th))\s+){1,3}?" + _NAMED_TYPES + _UNIT
)
_PO_BOX = re.compile(r"\b(?:P\.?\s?O\.?|Post\s+Office)\s*Box\s+#?\d+\b", re.IGNORECASE)


def find_pii(text: str, field: str) -> list[Finding]:
    """Phone numbers, email addresses and street addresses in ``text``."""
    findings: list[Finding] = []
    if len(_DIGIT.findall(text)) >= 7:  # no phone number fits in fewer digits
        findings += [_finding(FlagCode.PII_PHONE, "phone number", text, field, span) for span in _phones(text)]
    if "@" in text:
        findings += [
            _finding(FlagCode.PII_EMAIL, "email address", text, field, m.span()) for m in _EMAIL.finditer(text)
        ]
    addresses = [m.span() for r in (_STREET_ANY_CASE, _STREET_NAMED, _PO_BOX) for m in r.finditer(text)]
    findings += [_finding(FlagCode.PII_ADDRESS, "street address", text, field, span) for span in _outermost(addresses)]
    return findings


def _phones(text: str) -> list[tuple[int, int]]:
    # POSSIBLE, not the default VALID: numbers written in text are often not allocated
    # (555-201-3344), and they are still someone's number as far as a client is concerned.
    spans = []
    for match in phonenumbers.PhoneNumberMatcher(text, DEFAULT_REGION, leniency=Leniency.POSSIBLE):
        if _written_as_phone(match):
            spans.append((match.start, match.end))
    return spans


def _written_as_phone(match: phonenumbers.PhoneNumberMatch) -> bool:
    number = match.number
    if number.country_code != 1 or phonenumbers.is_valid_number(number):
        return True  # another country's number is only matched when written with its code
    groups = [len(g) for g in _GROUP.findall(match.raw_string)]
    if number.extension and groups:
        groups.pop()
    return tuple(groups) in _NANP_GROUPS


def _outermost(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans no other span contains or overlaps earlier, in the order of the text."""
    kept: list[tuple[int, int]] = []
    for start, end in sorted(spans, key=lambda s: (s[0], -s[1])):
        if kept and start < kept[-1][1]:
            continue
        kept.append((start, end))
    return kept


def _finding(code: FlagCode, what: str, text: str, field: str, span: tuple[int, int]) -> Finding:
    return Finding(code, Severity.HIGH, f"{what} in client-facing text", text[span[0] : span[1]], field, span)
