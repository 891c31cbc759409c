"""The periodic report note, as a pure function of what the period's records say.

The client-safe text is plain words with figures: lead volume by source, first response time,
booked jobs (leads won), the figures the data sources delivered (the metric snapshots), which
sources delivered, and what changed since the client's first full period. The internal summary
lists the proof, one line per snapshot (source, metric, value, period, status), so the reviewer
sees exactly what the note rests on. Stale or partial proof raises ``stale_provider_data``:
a snapshot marked partial, a data source past its freshness limit, or a source that delivered
figures before and none this period.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from app import words
from app.metrics import Figure, KpiRow
from app.pipeline.drafting import DraftResult, _metric_phrase
from app.pipeline.findings import Finding
from app.reports.periods import Period, ReportPeriod
from db.vocab import FlagCode, Severity

DRAFTER = "report_rules"  # drafts.drafter: written by these rules, never by a model
PARTIAL = "partial"


@dataclass(frozen=True)
class Proof:
    """A metric snapshot of the period, as the note cites it."""

    snapshot_id: int
    source: str  # the provider (``metric_snapshots.source``)
    metric: str
    value: Decimal
    unit: str
    period_start: datetime | None
    period_end: datetime | None
    status: str

    @property
    def line(self) -> str:
        """The proof line of the internal summary."""
        days = "–".join(f"{moment:%Y-%m-%d}" if moment else "?" for moment in (self.period_start, self.period_end))
        unit = f" {self.unit}" if self.unit else ""
        return (
            f"#{self.snapshot_id} {words.source(self.source)} {self.metric} {self.value}{unit}, {days}, {self.status}"
        )


@dataclass(frozen=True)
class Coverage:
    """A data source of the client: ``stale`` says how it is past its freshness limit ("" when
    fresh); ``expected``: it delivered figures before this period ended, so it should have now."""

    source: str
    label: str
    stale: str
    expected: bool


@dataclass(frozen=True)
class Outcomes:
    """The desk's own records of a period: ``total`` is ``kpi_table``'s "all" row,
    ``by_source`` its rows by source; ``booked``: leads won in the period."""

    total: KpiRow
    by_source: tuple[KpiRow, ...]
    booked: int


@dataclass(frozen=True)
class ReportInputs:
    client_name: str
    timezone: str
    period: Period
    outcomes: Outcomes
    proofs: tuple[Proof, ...]
    coverage: tuple[Coverage, ...]
    # The client's first full period and its outcomes; None when this period is that one.
    baseline: tuple[Period, Outcomes] | None


@dataclass(frozen=True)
class ReportNote:
    draft: DraftResult
    findings: tuple[Finding, ...]  # the stale / partial proof flags
    snapshot_ids: tuple[int, ...]  # the proof the note used (``report_proofs``)


def build(inputs: ReportInputs) -> ReportNote:
    findings = _flags(inputs)
    internal = _internal(inputs, findings)
    client_text = "\n".join(
        line
        for line in (
            f"{inputs.client_name}: your report for {inputs.period.words}.",
            _volume(inputs.outcomes),
            _response(inputs.outcomes),
            f"Booked jobs: {_count(inputs.outcomes.booked, 'lead')} won.",
            _figures(inputs.proofs),
            _coverage(inputs),
            _since(inputs),
        )
        if line
    )
    draft = DraftResult(
        drafter=DRAFTER,
        internal_summary=internal,
        client_text=client_text,
        next_action="Check the figures against the proof, then approve to publish to the client's portal.",
        confidence=0.6 if findings else 0.9,
        input_hash="",
    )
    return ReportNote(draft, tuple(findings), tuple(p.snapshot_id for p in inputs.proofs))


def _value(row: KpiRow, key: str) -> float | None:
    figure = row.figures.get(key, Figure(None))
    return figure.value


def _count(value: float | int | None, noun: str) -> str:
    number = int(value or 0)
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def _minutes(value: float | None) -> str:
    if value is None:
        # Not "no response": the review-edge rules read that as a complaint in the note itself.
        return "not measured (none recorded)"
    if value < 60:
        return f"{value:.0f} min"
    hours, minutes = divmod(round(value), 60)
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"


def _volume(outcomes: Outcomes) -> str:
    parts = [
        f"{row.label} {int(_value(row, 'leads') or 0):,}"
        for row in outcomes.by_source
        if (_value(row, "leads") or 0) > 0
    ]
    detail = f" ({', '.join(parts)})" if parts else ""
    return f"Leads: {_count(_value(outcomes.total, 'leads'), 'new lead')}{detail}."


def _response(outcomes: Outcomes) -> str:
    median = _value(outcomes.total, "first_response_median")
    if median is None:
        return "Response time: no first responses were recorded."
    parts = [
        f"{row.label} {_minutes(value)}"
        for row in outcomes.by_source
        if (value := _value(row, "first_response_median")) is not None
    ]
    detail = f" ({', '.join(parts)})" if len(parts) > 1 else ""
    return f"Response time: half of new leads heard back within {_minutes(median)}{detail}."


def _figures(proofs: tuple[Proof, ...]) -> str:
    by_source: dict[str, list[str]] = defaultdict(list)
    for proof in proofs:
        by_source[proof.source].append(_metric_phrase(proof.metric, float(proof.value)))
    if not by_source:
        return ""
    return (
        "Figures from your data sources: "
        + "; ".join(f"{words.source(source)}: {', '.join(parts)}" for source, parts in by_source.items())
        + "."
    )


def _coverage(inputs: ReportInputs) -> str:
    delivered = {p.source for p in inputs.proofs}
    expected = [c for c in inputs.coverage if c.expected or c.source in delivered]
    if not expected:
        return ""
    sent = [c.label for c in expected if c.source in delivered]
    missing = [c.label for c in expected if c.source not in delivered]
    said = f"{', '.join(sent)} delivered figures" if sent else "No data source delivered figures"
    return f"Source coverage: {said}" + (f"; {', '.join(missing)} did not" if missing and sent else "") + "."


def _since(inputs: ReportInputs) -> str:
    unit = "week" if inputs.period.kind == ReportPeriod.WEEKLY else "month"
    if inputs.baseline is None:
        return f"This is your first full {unit} with us; later reports compare with it."
    period, first = inputs.baseline
    now = inputs.outcomes
    leads = " to ".join(f"{int(_value(o.total, 'leads') or 0):,}" for o in (first, now))
    response = " to ".join(_minutes(_value(o.total, "first_response_median")) for o in (first, now))
    return (
        f"Compared with {period.words}, your first full {unit}: leads went from {leads}, "
        f"first response from {response}, booked jobs from {first.booked:,} to {now.booked:,}."
    )


def _flags(inputs: ReportInputs) -> list[Finding]:
    reason = "report proof is stale or partial"
    delivered = {p.source for p in inputs.proofs}
    found = [
        Finding(FlagCode.STALE_PROVIDER_DATA, Severity.MEDIUM, reason, proof.line)
        for proof in inputs.proofs
        if proof.status == PARTIAL
    ]
    found += [
        Finding(FlagCode.STALE_PROVIDER_DATA, Severity.MEDIUM, reason, c.stale) for c in inputs.coverage if c.stale
    ]
    found += [
        Finding(FlagCode.STALE_PROVIDER_DATA, Severity.MEDIUM, reason, _missing(c))
        for c in inputs.coverage
        if c.expected and c.source not in delivered
    ]
    return found


def _missing(coverage: Coverage) -> str:
    return f"{coverage.label}: no figures this period"


def _internal(inputs: ReportInputs, findings: list[Finding]) -> str:
    period, total = inputs.period, inputs.outcomes.total
    delivered = {p.source for p in inputs.proofs}
    median = _value(total, "first_response_median")
    responses = total.figures.get("first_response_median", Figure(None)).count
    lines = [
        f"Periodic report note for {inputs.client_name}, {period.words} ({period.label}; "
        f"{period.start:%Y-%m-%d %H:%M} to {period.end:%Y-%m-%d %H:%M} UTC, {inputs.timezone}).",
        f"Lead outcomes (the desk's records): {_count(_value(total, 'leads'), 'lead')}, first response median "
        f"{_minutes(median)} over {_count(responses, 'response')}, {_count(inputs.outcomes.booked, 'lead')} won.",
        "Proof (metric snapshots this note uses):",
        *([f"- {proof.line}" for proof in inputs.proofs] or ["- none: no snapshot ended in this period"]),
        "Data sources:",
        *([f"- {_source_line(c, delivered)}" for c in inputs.coverage] or ["- none connected"]),
        f"Stale or partial: {len(findings)} (flagged)." if findings else "Stale or partial: none.",
    ]
    return "\n".join(lines)


def _source_line(coverage: Coverage, delivered: set[str]) -> str:
    state = coverage.stale or f"{coverage.label}: fresh"
    return f"{state}; {_missing(coverage)}" if coverage.expected and coverage.source not in delivered else state
