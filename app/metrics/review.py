"""Review metrics: throughput, turnaround, the SLA, what reviewers did with the drafts, and
escalations, over the review items decided in the period.

Which items: ``review_items`` with ``decided_at`` in [start, end) and ``is_open = 0`` (a
decision that was undone cleared ``decided_at``; an item that is only escalated has none yet).
One range scan of ``ix_review_items_is_open_decided_at``. An item is decided once it is
approved (as drafted or edited) or rejected; whatever happened after (published, queued,
pushed, failed) does not change the decision.

* ``decided``: how many.
* ``review_turnaround_median`` / ``_p90`` (minutes): ``decided_at - arrived_at`` (arrival is
  when the signal reached the agency, where the SLA clock starts); nearest rank.
* ``sla_hit_rate``: the share decided by ``sla_due_at`` (``decided_at <= sla_due_at``).
* ``approved_as_is_rate``, ``light_edit_rate``, ``rewrite_rate``: the share approved with
  ``edit_class`` unchanged, light_edit, rewrite (``app.services.review.edit_class``);
  ``reject_rate``: the share with status rejected. The four add up to 1.
* ``escalation_rate``: the share that was escalated before its decision (an ok
  ``review_item.escalated`` audit entry on the item; the item's state no longer says so once
  a supervisor decided it).
* ``escalation_precision``: of the decided items that were escalated, the share the
  supervisor upheld: rejected it, or approved it only after a rewrite. Approving as drafted or
  after a light edit reverses the escalation (nothing was wrong). Its ``count`` is the
  escalated items decided.

By reviewer: who decided (``decided_by_id``). The escalation metrics are not by reviewer: only
supervisors decide escalated items, so per decider they say who is a supervisor. By prompt:
the prompt version and model of the item's newest draft (the one that was decided), the
drafter's name when no model wrote it (the offline rules), so a prompt change can be judged.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql import ColumnElement

from app.metrics import Dimension, Scope
from app.metrics.durations import MEDIAN, P90, at_time, nearest_rank, ranks, seconds_between
from app.metrics.family import Family, Grouping, Rows, count, grouped, minutes, rate, when
from db.models import AuditEntry, Draft, ReviewItem
from db.vocab import EditClass, ItemStatus

ESCALATED_ACTION = "review_item.escalated"
PROMPT_SEPARATOR = " · "
_ALL = frozenset(Dimension)
_FILTERS = frozenset({"client_id", "workflow", "provider", "reviewer_id"})


def decided_items(
    scope: Scope, grouping: Grouping, *columns: ColumnElement[Any]
) -> tuple[Any, ColumnElement[Any] | None]:
    """The decided items of the scope with ``columns``, and the group key; the newest draft
    is joined only when grouping by prompt."""
    newest = aliased(Draft)
    prompt = func.coalesce(newest.prompt_version, "") + PROMPT_SEPARATOR + func.coalesce(newest.model, newest.drafter)
    key = grouping.key(
        {
            Dimension.CLIENT: ReviewItem.client_id,
            Dimension.LANE: ReviewItem.workflow,
            Dimension.SOURCE: ReviewItem.provider,
            Dimension.REVIEWER: ReviewItem.decided_by_id,
            Dimension.PROMPT: prompt,
        },
        ReviewItem.decided_at,
    )
    inner = (
        select(*columns)
        .select_from(ReviewItem)
        .where(
            ReviewItem.is_open == 0,
            ReviewItem.decided_at >= at_time(scope.start),
            ReviewItem.decided_at < at_time(scope.end),
        )
    )
    if grouping.dimension is Dimension.PROMPT:
        latest = select(func.max(Draft.version_no)).where(Draft.review_item_id == ReviewItem.id).scalar_subquery()
        inner = inner.outerjoin(newest, and_(newest.review_item_id == ReviewItem.id, newest.version_no == latest))
    for name, column in (
        ("client_id", ReviewItem.client_id),
        ("workflow", ReviewItem.workflow),
        ("provider", ReviewItem.provider),
        ("reviewer_id", ReviewItem.decided_by_id),
    ):
        if getattr(scope, name) is not None:
            inner = inner.where(column == getattr(scope, name))
    return inner, key


def turnaround_seconds() -> ColumnElement[float]:
    return seconds_between(ReviewItem.arrived_at, ReviewItem.decided_at)


def _decisions(session: Session, scope: Scope, grouping: Grouping, now: datetime) -> Rows:
    turnaround = turnaround_seconds()
    inner, key = decided_items(
        scope,
        grouping,
        turnaround.label("turnaround"),
        when(ReviewItem.decided_at <= ReviewItem.sla_due_at).label("on_time"),
        when(ReviewItem.edit_class == EditClass.UNCHANGED).label("as_is"),
        when(ReviewItem.edit_class == EditClass.LIGHT_EDIT).label("light"),
        when(ReviewItem.edit_class == EditClass.REWRITE).label("rewrite"),
        when(ReviewItem.status == ItemStatus.REJECTED).label("rejected"),
    )
    rank, of = ranks(turnaround, key)
    inner = inner.add_columns(rank.label("rank"), of.label("of"))

    def aggregates(c: Any) -> list[ColumnElement[Any]]:
        return [
            func.count().label("decided"),
            *(func.sum(getattr(c, name)).label(name) for name in ("on_time", "as_is", "light", "rewrite", "rejected")),
            nearest_rank(c.turnaround, c.rank, c.of, MEDIAN).label("median"),
            nearest_rank(c.turnaround, c.rank, c.of, P90).label("p90"),
        ]

    return {
        group: {
            "decided": count(row.decided),
            "review_turnaround_median": minutes(row.median, row.decided),
            "review_turnaround_p90": minutes(row.p90, row.decided),
            "sla_hit_rate": rate(row.on_time, row.decided),
            "approved_as_is_rate": rate(row.as_is, row.decided),
            "light_edit_rate": rate(row.light, row.decided),
            "rewrite_rate": rate(row.rewrite, row.decided),
            "reject_rate": rate(row.rejected, row.decided),
        }
        for group, row in grouped(session, inner, key, aggregates).items()
    }


def _escalations(session: Session, scope: Scope, grouping: Grouping, now: datetime) -> Rows:
    escalated = exists().where(
        AuditEntry.review_item_id == ReviewItem.id,
        AuditEntry.action == ESCALATED_ACTION,
        AuditEntry.outcome == "ok",
    )
    upheld = and_(escalated, or_(ReviewItem.status == ItemStatus.REJECTED, ReviewItem.edit_class == EditClass.REWRITE))
    inner, key = decided_items(scope, grouping, when(escalated).label("escalated"), when(upheld).label("upheld"))

    def aggregates(c: Any) -> list[ColumnElement[Any]]:
        return [
            func.count().label("decided"),
            func.sum(c.escalated).label("escalated"),
            func.sum(c.upheld).label("upheld"),
        ]

    return {
        group: {
            "escalation_rate": rate(row.escalated, row.decided),
            "escalation_precision": rate(row.upheld, row.escalated),
        }
        for group, row in grouped(session, inner, key, aggregates).items()
    }


DECISIONS = Family(
    keys=(
        "decided",
        "review_turnaround_median",
        "review_turnaround_p90",
        "sla_hit_rate",
        "approved_as_is_rate",
        "light_edit_rate",
        "rewrite_rate",
        "reject_rate",
    ),
    dimensions=_ALL,
    filters=_FILTERS,
    compute=_decisions,
)
ESCALATIONS = Family(
    keys=("escalation_rate", "escalation_precision"),
    dimensions=_ALL - {Dimension.REVIEWER},
    filters=_FILTERS - {"reviewer_id"},
    compute=_escalations,
)
