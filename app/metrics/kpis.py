"""The KPIs of a scope: a table by a dimension, a trend, a distribution, a breakdown.

Every figure is computed in SQL by the module that defines it (its docstring says exactly
what is counted): ``app.metrics.leads``, ``review``, ``tasks``, ``outbound``, ``intake``.
This module only runs them and assembles rows. A count over nothing is 0 (it is known); a
rate, median or percentile over nothing is None (a dash, never 0). A metric whose module has
no meaning for the table's dimension or for one of the scope's filters is absent.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from math import ceil
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from app import words
from app.metrics import Dimension, Figure, KpiRow, Scope, Unit
from app.metrics.catalogue import BLOCKED_CAUSES, METRIC_BY_KEY, METRICS
from app.metrics.family import Family, Grouping, grouped
from app.metrics.intake import QUARANTINE, STALE, received
from app.metrics.leads import LEADS, first_seen, response_seconds
from app.metrics.outbound import BLOCKED, CRM, QUEUED, blocked_rows, distinct_items
from app.metrics.review import DECISIONS, ESCALATIONS, PROMPT_SEPARATOR, decided_items, turnaround_seconds
from app.metrics.tasks import TASKS
from app.pipeline.drafting import OFFLINE_DRAFTER
from db.models import Client, ReviewItem, User, WebhookEvent
from db.types import utcnow
from db.vocab import ItemStatus, WebhookStatus

FAMILIES: tuple[Family, ...] = (LEADS, DECISIONS, ESCALATIONS, TASKS, CRM, QUEUED, BLOCKED, QUARANTINE, STALE)
FAMILY_OF: dict[str, Family] = {key: family for family in FAMILIES for key in family.keys}
ALL = "all"
NONE = "none"  # the row of things with no value for the dimension (a lead with no lane)

# distribution(): the fixed buckets, as (upper bound in minutes or None, label).
DISTRIBUTION_BUCKETS: tuple[tuple[int | None, str], ...] = (
    (5, "under 5 min"),
    (15, "5-15 min"),
    (60, "15-60 min"),
    (240, "1-4 h"),
    (1440, "4-24 h"),
    (None, "over 24 h"),
)
DISTRIBUTIONS = ("review_turnaround", "first_response")
BREAKDOWNS = ("reject_reasons", "blocked", "quarantine_by_provider")


def empty(key: str) -> Figure:
    """A metric's figure over nothing: 0 for a count, None for anything else."""
    return Figure(0.0 if METRIC_BY_KEY[key].unit is Unit.COUNT else None, 0)


def kpi_table(session: Session, scope: Scope, by: Dimension | None = None, now: datetime | None = None) -> list[KpiRow]:
    """One row per value of ``by`` that has anything in the scope (by None: one row, key
    "all", label "All"), each with a figure per metric that applies, in catalogue order;
    rows by label. ``now``: for the figures of now (``stale_sources``)."""
    now = now or utcnow()
    families = [family for family in FAMILIES if family.applies(scope, by)]
    groups: dict[str, dict[str, Figure]] = {ALL: {}} if by is None else {}
    for family in families:
        for group, figures in family.compute(session, scope, Grouping(by), now).items():
            groups.setdefault(ALL if by is None else _key(group), {}).update(figures)
    keys = [key for family in families for key in family.keys]
    ordered = [metric.key for metric in METRICS if metric.key in keys]
    labels = _labels(session, by, list(groups))
    rows = [
        KpiRow(key, labels[key], {metric: figures.get(metric) or empty(metric) for metric in ordered})
        for key, figures in groups.items()
    ]
    return sorted(rows, key=lambda row: (row.key == NONE, row.label.casefold(), row.key))


def trend(
    session: Session, scope: Scope, key: str, bucket: timedelta = timedelta(days=1)
) -> list[tuple[datetime, Figure]]:
    """``key``'s figure per bucket of ``bucket`` from ``scope.start`` (the last one may run
    past ``scope.end``: it is cut at the end). Empty for a metric that does not apply to the
    scope's filters or has no history (``stale_sources`` is a figure of now)."""
    family = _family(key)
    if not family.periodic or not family.applies(scope, None):
        return []
    rows = family.compute(session, scope, Grouping(origin=scope.start, bucket=bucket), utcnow())
    by_bucket = {int(group): figures for group, figures in rows.items()}
    count = ceil((scope.end - scope.start) / bucket)
    return [(scope.start + n * bucket, by_bucket.get(n, {}).get(key) or empty(key)) for n in range(count)]


def distribution(session: Session, scope: Scope, key: str) -> list[tuple[str, int]]:
    """How many durations of ``key`` ("review_turnaround": the decided items' turnaround,
    "first_response": the leads' first response, as their metrics define them) fall in each
    of ``DISTRIBUTION_BUCKETS`` (every bucket, in order, 0 included). Empty when the metric
    does not apply to the scope's filters."""
    if key == "review_turnaround" and DECISIONS.applies(scope, None):
        duration = turnaround_seconds()
        inner, _ = decided_items(scope, Grouping(), ReviewItem.id)
    elif key == "first_response" and LEADS.applies(scope, None):
        duration = response_seconds()
        inner = first_seen(scope, duration).where(duration.is_not(None))
    elif key in DISTRIBUTIONS:
        return []
    else:
        raise ValueError(f"no distribution {key!r}: one of {', '.join(DISTRIBUTIONS)}")
    bucket = case(
        *((duration < limit * 60, n) for n, (limit, _) in enumerate(DISTRIBUTION_BUCKETS) if limit is not None),
        else_=len(DISTRIBUTION_BUCKETS) - 1,
    )
    counts = grouped(session, inner, bucket, lambda c: [func.count().label("n")])
    return [(label, int(counts[n].n) if n in counts else 0) for n, (_, label) in enumerate(DISTRIBUTION_BUCKETS)]


def breakdown(session: Session, scope: Scope, name: str) -> list[tuple[str, int]]:
    """Counts by a code, most first (ties by code):

    * "reject_reasons": the rejected items among the decided ones, by ``reject_reason`` (its
      words: ``app.words.reason``);
    * "blocked": the blocked message items by cause, every cause of ``BLOCKED_CAUSES`` in its
      order, 0 included (``app.metrics.outbound``);
    * "quarantine_by_provider": the quarantined deliveries received, by provider
      (``app.words.source``).

    Empty when the metric behind it does not apply to the scope's filters."""
    if name == "reject_reasons":
        if not DECISIONS.applies(scope, None):
            return []
        inner, _ = decided_items(scope, Grouping(), ReviewItem.id)
        inner = inner.where(ReviewItem.status == ItemStatus.REJECTED)
        return _most_first(grouped(session, inner, ReviewItem.reject_reason, _counted))
    if name == "blocked":
        if not BLOCKED.applies(scope, None):
            return []
        inner, stopped = blocked_rows(scope)
        causes = grouped(session, inner, stopped.c.cause, distinct_items)
        return [(cause, int(causes[cause].blocked) if cause in causes else 0) for cause in BLOCKED_CAUSES]
    if name == "quarantine_by_provider":
        if not QUARANTINE.applies(scope, None):
            return []
        inner = received(scope, WebhookEvent.id).where(WebhookEvent.status == WebhookStatus.QUARANTINED)
        return _most_first(grouped(session, inner, WebhookEvent.provider, _counted))
    raise ValueError(f"no breakdown {name!r}: one of {', '.join(BREAKDOWNS)}")


def _counted(c: Any) -> list[ColumnElement[Any]]:
    return [func.count().label("n")]


def _most_first(counts: dict[Any, Any]) -> list[tuple[str, int]]:
    pairs = [(_key(code), int(row.n)) for code, row in counts.items()]
    return sorted(pairs, key=lambda pair: (-pair[1], pair[0]))


def _family(key: str) -> Family:
    if key not in FAMILY_OF:
        raise ValueError(f"no metric {key!r}")
    return FAMILY_OF[key]


def _key(group: Any) -> str:
    return NONE if group is None else str(group)


def _labels(session: Session, by: Dimension | None, keys: list[str]) -> dict[str, str]:
    """Each row key in words: a client's name, a reviewer's display name, a lane's or a
    source's words, a prompt version and model."""
    ids = [int(key) for key in keys if key not in (ALL, NONE)] if by in (Dimension.CLIENT, Dimension.REVIEWER) else []
    names: dict[str, str] = {}
    if by is Dimension.CLIENT and ids:
        names = {str(i): name for i, name in session.execute(select(Client.id, Client.name).where(Client.id.in_(ids)))}
    elif by is Dimension.REVIEWER and ids:
        query = select(User.id, User.display_name).where(User.id.in_(ids))
        names = {str(i): name for i, name in session.execute(query)}
    labels = {ALL: "All", NONE: _NONE_WORDS.get(by, "None")}
    for key in keys:
        if key in labels:
            continue
        if by is Dimension.LANE:
            labels[key] = words.workflow(key)
        elif by is Dimension.SOURCE:
            labels[key] = words.source(key)
        elif by is Dimension.PROMPT:
            labels[key] = _prompt_words(key)
        else:
            labels[key] = names.get(key, f"#{key}")
    return labels


_NONE_WORDS: dict[Dimension | None, str] = {
    Dimension.CLIENT: "No client",
    Dimension.LANE: "No lane",
    Dimension.SOURCE: "No source",
    Dimension.REVIEWER: "Nobody assigned",
    Dimension.PROMPT: "No draft",
}


def _prompt_words(key: str) -> str:
    """ "draft-v2 · gpt-4o-mini" as it is; the offline rules (no prompt, no model) in words."""
    version, _, model = key.partition(PROMPT_SEPARATOR)
    if not version:
        return "Offline rules" if model == OFFLINE_DRAFTER else model
    return key
