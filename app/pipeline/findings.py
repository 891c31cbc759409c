"""A risk finding (code, severity, reason, evidence span) and how findings about the same
words combine, whoever raised them."""

from __future__ import annotations

from dataclasses import dataclass, replace

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


def _same_words(a: Finding, b: Finding) -> bool:
    """Same code about the same words: overlapping spans of one field, or (no spans) the
    same evidence."""
    if a.code != b.code:
        return False
    if a.span is not None and b.span is not None:
        return a.field == b.field and a.span[0] < b.span[1] and b.span[0] < a.span[1]
    if a.span is None and b.span is None:
        return bool(a.evidence) and a.evidence.casefold() == b.evidence.casefold()
    return False


def merge_findings(findings: list[Finding]) -> list[Finding]:
    """One finding per code and evidence: when the rules and the AI (or two rules) flag the
    same words, the rule's span and reason are kept, at the higher of the severities."""
    merged: list[Finding] = []
    for finding in findings:
        at = next((i for i, kept in enumerate(merged) if _same_words(kept, finding)), None)
        if at is None:
            merged.append(finding)
            continue
        kept = merged[at]
        keep = finding if kept.source != FlagSource.RULE and finding.source == FlagSource.RULE else kept
        merged[at] = replace(keep, severity=max(kept.severity, finding.severity))
    return merged


def top_severity(findings: list[Finding]) -> Severity:
    return max((f.severity for f in findings), default=Severity.NONE)
