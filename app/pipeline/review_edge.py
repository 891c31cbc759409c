"""The review edge in words (DESIGN: pricing promises, unusual requests, legal, medical or
compliance judgment, money movement, and complaints), found without an AI.

Each code has its module, with its phrase patterns (syntax in ``app.pipeline.phrases``), the
few rules that need more than a phrase (numbers, words of two kinds in one sentence) and its
judgment calls: ``edge_money``, ``edge_scope`` (unusual requests), ``edge_pricing``,
``edge_legal_medical`` and ``edge_complaint``. Their patterns share one index, so a text is
read once whatever the number of patterns; every finding carries the words it was found on.
A small statistical model (``edge_model``) gives a second opinion on each sentence, for
wording no pattern was written for; its evidence is the sentence.
"""

from __future__ import annotations

from functools import cache, lru_cache

from app.pipeline import edge_complaint, edge_legal_medical, edge_model, edge_money, edge_pricing, edge_scope
from app.pipeline.edge_text import EdgeText, Span
from app.pipeline.findings import Finding
from app.pipeline.phrases import PhraseIndex, join_overlapping
from db.vocab import FlagCode, Severity

SEVERITY: dict[FlagCode, tuple[Severity, str]] = {
    FlagCode.PRICING_PROMISE: (Severity.MEDIUM, "pricing or promise language"),
    FlagCode.LEGAL_MEDICAL_COMPLIANCE: (Severity.HIGH, "legal, medical or compliance language needs a human judgment"),
    FlagCode.COMPLAINT: (Severity.HIGH, "complaint or bad experience"),
    # High: money changing hands is never approved without a person looking at it.
    FlagCode.MONEY_MOVEMENT: (Severity.HIGH, "money movement (payment, refund, deposit, card)"),
    FlagCode.UNUSUAL_REQUEST: (Severity.MEDIUM, "unusual scope, timing, place or request"),
}
_MODULES = (edge_money, edge_scope, edge_pricing, edge_legal_medical, edge_complaint)


@cache
def _index() -> PhraseIndex:
    """Built on first use: the worker starts without paying for it."""
    patterns: dict[str, tuple[str, ...]] = {}
    for module in _MODULES:
        patterns.update(module.PATTERNS)
    return PhraseIndex(patterns)


def find_review_edge(text: str, field: str, *, figures_are_proof: bool = False) -> list[Finding]:
    """Pricing promises, unusual requests, legal / medical / compliance language, money
    movement and complaints. ``figures_are_proof``: money figures and counts in ``text`` are
    reported metrics (a report note), not offers or a job's scope: "spend $182.00" raises no
    pricing flag and "120 clicks" no unusual-scope flag."""
    return list(_review_edge(text, field, figures_are_proof))


@lru_cache(maxsize=4096)
def _review_edge(text: str, field: str, figures_are_proof: bool) -> tuple[Finding, ...]:
    # Memoized: an event's texts repeat across drafts, and templates repeat across events.
    read = read_text(text)
    spans = rule_spans(read, figures_are_proof)
    for code, sentences in model_spans(read, figures_are_proof).items():
        # Where the rules found the code, their words are the evidence, not the whole sentence.
        spans[code] += [(a, b) for a, b in sentences if not any(a < end and start < b for start, end in spans[code])]
    found = [(start, end, code) for code, code_spans in spans.items() for start, end in join_overlapping(code_spans)]
    return tuple(_finding(code, text, field, (start, end)) for start, end, code in sorted(found))


def read_text(text: str) -> EdgeText:
    """``text`` as the rules and the model read it (through the shared phrase index)."""
    return EdgeText.read(text, _index())


def model_spans(
    read: EdgeText, figures_are_proof: bool = False, model: edge_model.Model | None = None
) -> dict[FlagCode, list[Span]]:
    """The statistical second opinion (the shipped model unless given), within the rules'
    judgment calls: no complaint in a sentence about another business or next to praise, no
    pricing or scope where figures are proof."""
    found = edge_model.sentences(read, model)
    if figures_are_proof:
        found[edge_pricing.CODE] = []
        found[edge_scope.CODE] = []
    if found[edge_complaint.CODE]:
        calm = edge_complaint.calm_sentences(read)
        found[edge_complaint.CODE] = [s for s in found[edge_complaint.CODE] if read.sentence[s[0]] not in calm]
    return {code: [read.span(first, stop) for first, stop in ranges] for code, ranges in found.items()}


def rule_spans(read: EdgeText, figures_are_proof: bool) -> dict[FlagCode, list[Span]]:
    """What the phrase rules alone find, per code (the model's second opinion aside)."""
    return {
        edge_money.CODE: edge_money.spans(read),
        edge_scope.CODE: edge_scope.spans(read, figures_are_proof),
        edge_pricing.CODE: edge_pricing.spans(read, figures_are_proof),
        edge_legal_medical.CODE: edge_legal_medical.spans(read),
        edge_complaint.CODE: edge_complaint.spans(read),
    }


def _finding(code: FlagCode, text: str, field: str, span: Span) -> Finding:
    severity, reason = SEVERITY[code]
    start, end = _stripped(text, span)
    return Finding(code, severity, reason, text[start:end], field, (start, end))


def _stripped(text: str, span: Span) -> Span:
    start, end = span
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
