"""The Reports view's operations: one page of KPIs for the chosen filters (tiles, a table by a
dimension, trends, a distribution, breakdowns and the baseline-vs-now panel per lane), a
client's approved report notes for its PDF, and the KPI table as CSV.

Who sees what is decided here, not in the window: a reviewer's page is always scoped to their
own decisions (``reviewer_id`` forced to their user id) and shows their throughput, turnaround
and edit/reject mix only; no other reviewer's row, no ranking, no per-reviewer table.
Supervisors and admins see everyone, grouped by any dimension.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path

from app import exports, words
from app.identity import Actor
from app.metrics import Dimension, Figure, KpiRow, Metric, Scope
from app.metrics.baseline import LaneVerdict, compare_lanes, default_periods, first_activity, rules_in_words
from app.metrics.catalogue import BLOCKED_CAUSES, METRIC_BY_KEY, METRICS
from app.metrics.kpis import breakdown, distribution, kpi_table, trend
from db.engine import Database
from db.queries.reports import ReportNote, approved_report_notes, client_name
from db.types import utcnow

__all__ = [
    "DIMENSION_NAMES",
    "PERIODS",
    "ClientReport",
    "ReportFilters",
    "ReportNote",
    "ReportPage",
    "Tile",
    "Trend",
    "client_report",
    "dimensions_for",
    "kpi_csv_name",
    "period_range",
    "report_page",
    "report_pdf_name",
    "rules_in_words",
    "save_kpi_csv",
]

PERIODS = {
    "this_week": "This week",
    "last_week": "Last week",
    "last_4_weeks": "Last 4 weeks",
    "this_month": "This month",
    "last_month": "Last month",
    "custom": "Custom dates",
}
DIMENSION_NAMES = {
    Dimension.LANE: "Lane",
    Dimension.CLIENT: "Client",
    Dimension.SOURCE: "Source",
    Dimension.REVIEWER: "Reviewer",
    Dimension.PROMPT: "Prompt and model",
}
# What a supervisor's tiles show: one figure from each step of the loop.
TEAM_TILES = (
    "leads",
    "first_response_median",
    "qualified_handoff_rate",
    "decided",
    "review_turnaround_median",
    "sla_hit_rate",
    "approved_as_is_rate",
    "reject_rate",
    "escalation_rate",
    "task_on_time_rate",
    "crm_push_success_rate",
    "stale_sources",
)
# A reviewer's own page: throughput, turnaround, edit/reject mix.
SELF_KEYS = (
    "decided",
    "review_turnaround_median",
    "review_turnaround_p90",
    "sla_hit_rate",
    "approved_as_is_rate",
    "light_edit_rate",
    "rewrite_rate",
    "reject_rate",
)
TEAM_TRENDS, SELF_TRENDS = ("leads", "decided"), ("decided",)
# Each breakdown's title and how its labels (codes) read in words.
TEAM_BREAKDOWNS: dict[str, tuple[str, Callable[[str], str]]] = {
    "reject_reasons": ("Reject reasons", words.reason),
    "blocked": ("Messages blocked", lambda code: BLOCKED_CAUSES.get(code) or words.fallback(code)),
    "quarantine_by_provider": ("Quarantined by provider", words.source),
}
SELF_BREAKDOWNS = {"reject_reasons": TEAM_BREAKDOWNS["reject_reasons"]}
DISTRIBUTION = ("review_turnaround", "Review turnaround")
DAILY_UP_TO = timedelta(days=62)  # longer periods are charted by the week


@dataclass(frozen=True)
class ReportFilters:
    """What the window asks for: [start, end) in UTC, optionally one client and one lane, and
    the dimension the table is grouped by (None: one row for the whole scope)."""

    start: datetime
    end: datetime
    client_id: int | None = None
    workflow: str | None = None
    by: Dimension | None = Dimension.LANE


@dataclass(frozen=True)
class Tile:
    metric: Metric
    figure: Figure


@dataclass(frozen=True)
class Trend:
    metric: Metric
    points: tuple[tuple[datetime, Figure], ...]


@dataclass(frozen=True)
class ReportPage:
    """Everything one filter setting shows. ``own``: a reviewer's page of themselves (no lanes
    panel, their metrics only). ``columns``: the metrics of the table, in catalogue order."""

    filters: ReportFilters
    scope: Scope
    own: bool
    tiles: tuple[Tile, ...]
    columns: tuple[Metric, ...]
    rows: tuple[KpiRow, ...]
    trends: tuple[Trend, ...]
    distribution_title: str
    distribution: tuple[tuple[str, int], ...]
    breakdowns: tuple[tuple[str, tuple[tuple[str, int], ...]], ...]
    baseline: Scope | None = None
    latest: Scope | None = None
    lanes: tuple[LaneVerdict, ...] = ()
    client: str | None = None  # the client's name, for the exports' names and headers
    reviewer: str | None = None  # the reviewer's login on their own page


def period_range(period: str, today: date, zone: tzinfo) -> tuple[datetime, datetime]:
    """[start, end) of a named period around ``today`` in the reviewer's time zone, in UTC.
    Weeks start on Monday; "last 4 weeks" is the 28 days up to the end of today."""

    def midnight(day: date) -> datetime:
        return datetime.combine(day, time(0), zone)

    monday = today - timedelta(days=today.weekday())
    first = today.replace(day=1)
    next_month = (first + timedelta(days=32)).replace(day=1)
    spans = {
        "this_week": (monday, monday + timedelta(days=7)),
        "last_week": (monday - timedelta(days=7), monday),
        "last_4_weeks": (today - timedelta(days=27), today + timedelta(days=1)),
        "this_month": (first, next_month),
        "last_month": ((first - timedelta(days=1)).replace(day=1), first),
    }
    if period not in spans:
        raise ValueError(f"no period called {period!r}: one of {', '.join(spans)}")
    start, end = spans[period]
    return midnight(start).astimezone(UTC), midnight(end).astimezone(UTC)


def dimensions_for(actor: Actor) -> list[Dimension]:
    """The groupings the actor may choose: a reviewer never gets the per-reviewer table."""
    return [d for d in DIMENSION_NAMES if actor.can_supervise or d is not Dimension.REVIEWER]


def _scope(actor: Actor, filters: ReportFilters) -> Scope:
    own = None if actor.can_supervise else actor.user_id
    return Scope(filters.start, filters.end, filters.client_id, filters.workflow, reviewer_id=own)


def report_page(database: Database, actor: Actor, filters: ReportFilters, now: datetime | None = None) -> ReportPage:
    """The page for ``filters`` as ``actor`` may see it (one read)."""
    now = now or utcnow()
    own = not actor.can_supervise
    if own and filters.by is Dimension.REVIEWER:
        filters = replace(filters, by=None)
    scope = _scope(actor, filters)
    keys = SELF_KEYS if own else tuple(m.key for m in METRICS)
    bucket = timedelta(days=1) if scope.end - scope.start <= DAILY_UP_TO else timedelta(days=7)
    with database.read() as session:
        (whole,) = kpi_table(session, scope, None, now) or [KpiRow("all", "All", {})]
        rows = kpi_table(session, scope, filters.by, now) if filters.by is not None else [whole]
        trends = tuple(
            Trend(METRIC_BY_KEY[key], tuple(trend(session, scope, key, bucket)))
            for key in (SELF_TRENDS if own else TEAM_TRENDS)
        )
        spread = tuple(distribution(session, scope, DISTRIBUTION[0]))
        named = SELF_BREAKDOWNS if own else TEAM_BREAKDOWNS
        parts = tuple(
            (title, tuple((said(label), count) for label, count in breakdown(session, scope, name)))
            for name, (title, said) in named.items()
        )
        baseline = latest = None
        lanes: tuple[LaneVerdict, ...] = ()
        client = client_name(session, scope.client_id) if scope.client_id is not None else None
        if not own:
            baseline, latest = _lane_periods(first_activity(session, scope.client_id), scope, now)
            lanes = tuple(compare_lanes(session, baseline, latest, now))
    present = {key for row in rows for key in row.figures} | set(whole.figures)
    tiles = tuple(
        Tile(METRIC_BY_KEY[key], whole.figures.get(key, Figure(None))) for key in (SELF_KEYS if own else TEAM_TILES)
    )
    return ReportPage(
        filters=filters,
        scope=scope,
        own=own,
        tiles=tiles,
        columns=tuple(m for m in METRICS if m.key in keys and m.key in present),
        rows=tuple(_only(row, keys) for row in rows),
        trends=trends,
        distribution_title=DISTRIBUTION[1],
        distribution=spread,
        breakdowns=parts,
        baseline=baseline,
        latest=latest,
        lanes=lanes,
        client=client,
        reviewer=actor.login if own else None,
    )


def _only(row: KpiRow, keys: tuple[str, ...]) -> KpiRow:
    return KpiRow(row.key, row.label, {k: f for k, f in row.figures.items() if k in keys})


def _lane_periods(first: datetime | None, scope: Scope, now: datetime) -> tuple[Scope, Scope]:
    """Week one of the desk's history (of the client) against the latest full week that ended
    by the period's end, with the page's client and lane."""
    end = min(scope.end, now)
    baseline, latest = default_periods(first or end, end)
    narrow = {"client_id": scope.client_id, "workflow": scope.workflow}
    return replace(baseline, **narrow), replace(latest, **narrow)


# --- exports --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClientReport:
    """A client's approved report notes for a period: all a client report PDF may hold."""

    client: str
    start: datetime
    end: datetime
    notes: tuple[ReportNote, ...]


def client_report(database: Database, client_id: int, start: datetime, end: datetime) -> ClientReport:
    with database.read() as session:
        return ClientReport(
            client_name(session, client_id), start, end, tuple(approved_report_notes(session, client_id, start, end))
        )


def _export_filters(page: ReportPage) -> exports.Filters:
    return exports.scope_filters(page.scope, page.filters.by, page.client, page.reviewer)


def kpi_csv_name(page: ReportPage) -> str:
    """The file name the period and filters are in (``kpis_2026-11-01_2026-11-30_client-acme.csv``)."""
    return exports.export_name("kpis", page.scope, _export_filters(page))


def report_pdf_name(page: ReportPage) -> str:
    """``report_2026-11-01_2026-11-30_client-acme.pdf``: the client's report for the period."""
    return exports.export_name("report", page.scope, exports.scope_filters(page.scope, client=page.client), "pdf")


def save_kpi_csv(path: Path, page: ReportPage) -> Path:
    """The table as shown (its rows and columns) to ``path``; a file write, for the I/O lane."""
    return exports.write_kpi_csv(path, page.rows, page.scope, page.filters.by, _export_filters(page))
