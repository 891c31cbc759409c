"""Risk-flag rules over text: each finding has a code, severity, reason and evidence span.

The rules live in small modules (``pii``: phone numbers, emails, addresses; ``review_edge``
and its ``edge_*`` modules: pricing, unusual requests, legal / medical / compliance, money
movement, complaints); this
module is what the rest of the desk imports, and where a quote from elsewhere (an AI's
evidence) is turned into a span the same way the rules make theirs.
"""

from __future__ import annotations

import re

from app.pipeline.findings import Finding, merge_findings, top_severity
from app.pipeline.pii import find_pii
from app.pipeline.review_edge import SEVERITY, find_review_edge
from db.vocab import FlagCode, Severity

__all__ = ["Finding", "find_pii", "find_review_edge", "merge_findings", "quote_span", "rule_severity", "top_severity"]

_PII_CODES = (FlagCode.PII_PHONE, FlagCode.PII_EMAIL, FlagCode.PII_ADDRESS)
_QUOTE_ENDS = " \t\r\n\"'“”‘’`.,;:…"


def rule_severity(code: str) -> Severity:
    """The severity the rules give ``code`` (NONE for codes no rule raises)."""
    if code in _PII_CODES:
        return Severity.HIGH
    try:
        return SEVERITY[FlagCode(code)][0]
    except (ValueError, KeyError):
        return Severity.NONE


def quote_span(text: str, quote: str) -> tuple[int, int] | None:
    """Where ``quote`` is in ``text`` (case and spacing aside, surrounding quote marks and
    ellipses dropped), widened to whole words as the rules' spans are; None if it is not."""
    words = quote.strip(_QUOTE_ENDS).split()
    if not words:
        return None
    match = re.search(r"\s+".join(map(re.escape, words)), text, re.IGNORECASE)
    if match is None:
        return None
    start, end = match.span()
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return start, end
