"""Baseline against now, per lane: has the lane earned its second month?

The operating guides judge a lane (a workflow: missed-call text-back, quote follow-up...) by
its week-four evidence against its week-one baseline, and let it expand only once its KPI loop
holds. This module turns that into a readout a supervisor can check by hand: the lane's figures
for the two weeks side by side, and one of three verdicts with the rules that gave it.

* **Needs attention**: a figure the client or the lead feels got clearly worse (SLA hit rate,
  rejections, rewrites, turnaround, first response, tasks on time, CRM pushes). The guides
  pause or fix before anything else, so one such rule outweighs any improvement.
* **Narrow**: no clear answer yet. Too little evidence (fewer than ``MIN_EVIDENCE`` decided
  items in either week; a rate over 4 items moves 25 points with one decision), the two
  periods overlap (less than two full weeks of history), or nothing improved by a rule's
  margin. A lane that is merely flat has not shown that its loop holds, so it runs on at
  its present size or smaller (fewer clients, sources) rather than expanding.
* **Keep**: enough evidence, nothing got worse by a rule's margin, and at least one figure
  improved by one: the lane keeps its place and may expand.

A rule compares a rate in percentage points (92% -> 78% fell by 14 points) and a duration in
per cent of the baseline (12 -> 20 minutes rose by 67%). A rule only looks at a metric whose
two figures were each computed over at least ``MIN_EVIDENCE`` things (its ``Figure.count``),
so a 1-of-1 never decides. The margins sit where a small lane's week-to-week wobble (40-100
items a week) stays below them: getting worse counts from 10 points for a rate and half again
for a duration, improving from 5 points or a fifth, as the guides ask a lane to show progress
rather than perfection before it expands.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.metrics import Dimension, Figure, Metric, Scope, Unit
from app.metrics.catalogue import METRICS
from app.metrics.kpis import NONE, kpi_table
from db.models import ReviewItem

MIN_EVIDENCE = 10
WEEK = timedelta(days=7)


class Verdict(StrEnum):
    KEEP = "keep"
    NARROW = "narrow"
    NEEDS_ATTENTION = "needs_attention"


VERDICT_WORDS = {Verdict.KEEP: "Keep", Verdict.NARROW: "Narrow", Verdict.NEEDS_ATTENTION: "Needs attention"}
# The most severe verdict any rule gives is the lane's.
_SEVERITY = (Verdict.KEEP, Verdict.NARROW, Verdict.NEEDS_ATTENTION)


@dataclass(frozen=True)
class Rule:
    """A change of one metric that gives a verdict: ``by`` is signed (-10: fell by 10 or
    more), in points for a rate and in per cent of the baseline for anything else."""

    verdict: Verdict
    key: str
    what: str
    unit: Unit
    by: float

    @property
    def sentence(self) -> str:
        direction = "rose" if self.by > 0 else "fell"
        amount = f"{abs(self.by):g} points" if self.unit is Unit.RATE else f"{abs(self.by):g}%"
        return f"{self.what} {direction} by {amount} or more → {VERDICT_WORDS[self.verdict].lower()}"

    def change(self, baseline: Figure, latest: Figure) -> float | None:
        """The change this rule measures, or None when the figures are too thin to judge."""
        if baseline.value is None or latest.value is None:
            return None
        if min(baseline.count, latest.count) < MIN_EVIDENCE:
            return None
        if self.unit is Unit.RATE:
            change = (latest.value - baseline.value) * 100
        elif baseline.value == 0:
            return None
        else:
            change = (latest.value / baseline.value - 1) * 100
        return round(change, 6)  # 85% -> 75% fell by 10 points, not by 9.999999999999998

    def holds(self, baseline: Figure, latest: Figure) -> bool:
        change = self.change(baseline, latest)
        if change is None:
            return False
        return change >= self.by if self.by > 0 else change <= self.by


_ATTENTION, _KEEP = Verdict.NEEDS_ATTENTION, Verdict.KEEP
RULES: tuple[Rule, ...] = (
    Rule(_ATTENTION, "sla_hit_rate", "SLA hit rate", Unit.RATE, -10),
    Rule(_ATTENTION, "reject_rate", "Reject rate", Unit.RATE, 10),
    Rule(_ATTENTION, "rewrite_rate", "Rewrite rate", Unit.RATE, 10),
    Rule(_ATTENTION, "review_turnaround_median", "Median review turnaround", Unit.MINUTES, 50),
    Rule(_ATTENTION, "first_response_median", "Median first response", Unit.MINUTES, 50),
    Rule(_ATTENTION, "task_on_time_rate", "Owner tasks done on time", Unit.RATE, -10),
    Rule(_ATTENTION, "crm_push_success_rate", "CRM push success rate", Unit.RATE, -10),
    Rule(_KEEP, "approved_as_is_rate", "Drafts approved as they were", Unit.RATE, 10),
    Rule(_KEEP, "sla_hit_rate", "SLA hit rate", Unit.RATE, 5),
    Rule(_KEEP, "reject_rate", "Reject rate", Unit.RATE, -5),
    Rule(_KEEP, "rewrite_rate", "Rewrite rate", Unit.RATE, -5),
    Rule(_KEEP, "review_turnaround_median", "Median review turnaround", Unit.MINUTES, -20),
    Rule(_KEEP, "first_response_median", "Median first response", Unit.MINUTES, -20),
)
# The lane-wide rules, in the same words as the metric rules (they are not about one change).
THIN = f"Fewer than {MIN_EVIDENCE} decided items in either week → not enough evidence: narrow"
OVERLAP = "The baseline and the latest week overlap (less than two full weeks of history) → too early: narrow"
FLAT = "Nothing improved by a rule's margin since the baseline → the loop has not shown it holds: narrow"
KEEP_ALL = "Nothing got worse by a rule's margin and at least one figure improved by one → keep"


def rules_in_words() -> tuple[str, ...]:
    """Every rule, as the Reports view lists them beside the readout."""
    return (THIN, OVERLAP, *(rule.sentence for rule in RULES), FLAT, KEEP_ALL)


@dataclass(frozen=True)
class Comparison:
    """One metric of a lane in both periods; ``change`` is latest minus baseline in the
    metric's unit (a rate as a fraction: the view shows it in points), None if either is."""

    metric: Metric
    baseline: Figure
    latest: Figure
    change: float | None


@dataclass(frozen=True)
class LaneVerdict:
    lane: str
    label: str
    rows: tuple[Comparison, ...]
    verdict: Verdict
    reasons: tuple[str, ...]


Pairs = Mapping[str, tuple[Figure, Figure]]
_NONE = Figure(None)


def judge(figures: Pairs, overlap: bool = False) -> tuple[Verdict, tuple[str, ...]]:
    """The verdict for one lane from its (baseline, latest) figure per metric key, and the
    rules that gave it (with the figures that made each hold)."""
    base_decided, latest_decided = figures.get("decided", (_NONE, _NONE))
    found: list[tuple[Verdict, str]] = []
    if overlap:
        found.append((Verdict.NARROW, OVERLAP))
    if min(base_decided.value or 0, latest_decided.value or 0) < MIN_EVIDENCE:
        found.append(
            (Verdict.NARROW, f"{THIN} ({_count(base_decided)} in the baseline, {_count(latest_decided)} latest)")
        )
    for rule in RULES:
        baseline, latest = figures.get(rule.key, (_NONE, _NONE))
        if rule.holds(baseline, latest):
            found.append((rule.verdict, f"{rule.sentence} ({_shown(rule, baseline, latest)})"))
    worst = max((verdict for verdict, _ in found), key=_SEVERITY.index, default=Verdict.NARROW)
    if worst is Verdict.KEEP:
        return Verdict.KEEP, (*(reason for _, reason in found), KEEP_ALL)
    reasons = tuple(reason for verdict, reason in found if verdict is worst)
    return worst, reasons or (FLAT,)


def _count(figure: Figure) -> int:
    return int(figure.value or 0)


def _shown(rule: Rule, baseline: Figure, latest: Figure) -> str:
    change = rule.change(baseline, latest)
    assert baseline.value is not None and latest.value is not None and change is not None
    if rule.unit is Unit.RATE:
        return f"{baseline.value:.0%} → {latest.value:.0%}, {change:+.0f} points"
    return f"{baseline.value:.1f} → {latest.value:.1f} min, {change:+.0f}%"


def compare(
    metrics: tuple[Metric, ...], baseline: Mapping[str, Figure], latest: Mapping[str, Figure]
) -> tuple[Comparison, ...]:
    """The side-by-side rows, in the catalogue's order, for every metric either period has."""
    rows = []
    for metric in metrics:
        if metric.key not in baseline and metric.key not in latest:
            continue
        base, last = baseline.get(metric.key, _NONE), latest.get(metric.key, _NONE)
        change = None if base.value is None or last.value is None else last.value - base.value
        rows.append(Comparison(metric, base, last, change))
    return tuple(rows)


def compare_lanes(session: Session, baseline: Scope, latest: Scope, now: datetime | None = None) -> list[LaneVerdict]:
    """Every lane with activity in either period, by its label: its rows and its verdict."""
    base_rows = {row.key: row for row in kpi_table(session, baseline, by=Dimension.LANE, now=now)}
    latest_rows = {row.key: row for row in kpi_table(session, latest, by=Dimension.LANE, now=now)}
    overlap = baseline.start < latest.end and latest.start < baseline.end
    verdicts = []
    for lane in (base_rows.keys() | latest_rows.keys()) - {NONE}:  # leads, tasks... with no lane
        base = base_rows[lane].figures if lane in base_rows else {}
        last = latest_rows[lane].figures if lane in latest_rows else {}
        label = (latest_rows.get(lane) or base_rows[lane]).label
        pairs = {key: (base.get(key, _NONE), last.get(key, _NONE)) for key in base.keys() | last.keys()}
        verdict, reasons = judge(pairs, overlap)
        verdicts.append(LaneVerdict(lane, label, compare(METRICS, base, last), verdict, reasons))
    return sorted(verdicts, key=lambda v: v.label)


def default_periods(first_activity: datetime, now: datetime) -> tuple[Scope, Scope]:
    """Week one and the latest week: the first full week (Monday 00:00 UTC onwards) from the
    first activity, and the last full week that ended by ``now``. With less than two full
    weeks of history they overlap (and the readout says it is too early); with not even one,
    both are the seven days up to ``now``."""
    first = _monday(first_activity)
    if first < first_activity:
        first += WEEK
    last_end = _monday(now)
    if first + WEEK > last_end:
        return Scope(now - WEEK, now), Scope(now - WEEK, now)
    return Scope(first, first + WEEK), Scope(last_end - WEEK, last_end)


def _monday(at: datetime) -> datetime:
    day = at.replace(hour=0, minute=0, second=0, microsecond=0)
    return day - timedelta(days=day.weekday())


def first_activity(session: Session, client_id: int | None = None) -> datetime | None:
    """When the first review item arrived (for the client): where a baseline can start."""
    query = select(func.min(ReviewItem.arrived_at))
    if client_id is not None:
        query = query.where(ReviewItem.client_id == client_id)
    return session.scalar(query)
