"""Owner-task metric: were urgent leads' tasks done on time?

Which tasks: ``owner_tasks`` with ``done_at`` in [start, end) (done in the period, whenever
they were created). One range scan of ``ix_owner_tasks_done_at``.

* ``task_on_time_rate``: the share done by their due time and never escalated:
  ``done_at <= due_at`` and ``escalated_at`` null. ``due_at`` is the due time after any
  snooze: a snooze is bounded by the client's own response window (``app.services.tasks``),
  so the time it moves to is still one the client allows. A task that went past due before
  it was snoozed or done was escalated then (``app.services.sla`` sets ``escalated_at`` once),
  so a later snooze cannot make it on time.

By client, and by reviewer as the task's assignee (who had to do it). Tasks have no lane,
source or prompt.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from app.metrics import Dimension, Scope
from app.metrics.durations import at_time
from app.metrics.family import Family, Grouping, Rows, grouped, rate, when
from db.models import OwnerTask


def _compute(session: Session, scope: Scope, grouping: Grouping, now: datetime) -> Rows:
    key = grouping.key(
        {Dimension.CLIENT: OwnerTask.client_id, Dimension.REVIEWER: OwnerTask.assignee_id}, OwnerTask.done_at
    )
    on_time = and_(OwnerTask.done_at <= OwnerTask.due_at, OwnerTask.escalated_at.is_(None))
    inner = select(when(on_time).label("on_time")).where(
        OwnerTask.done_at >= at_time(scope.start), OwnerTask.done_at < at_time(scope.end)
    )
    if scope.client_id is not None:
        inner = inner.where(OwnerTask.client_id == scope.client_id)
    if scope.reviewer_id is not None:
        inner = inner.where(OwnerTask.assignee_id == scope.reviewer_id)

    def aggregates(c: Any) -> list[ColumnElement[Any]]:
        return [func.count().label("done"), func.sum(c.on_time).label("on_time")]

    return {
        group: {"task_on_time_rate": rate(row.on_time, row.done)}
        for group, row in grouped(session, inner, key, aggregates).items()
    }


TASKS = Family(
    keys=("task_on_time_rate",),
    dimensions=frozenset({Dimension.CLIENT, Dimension.REVIEWER}),
    filters=frozenset({"client_id", "reviewer_id"}),
    compute=_compute,
)
