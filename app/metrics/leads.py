"""Lead metrics: volume, first response and qualification, over the leads first seen in the
period.

Which leads: ``leads`` rows with ``first_seen_at`` in [start, end) that are not duplicates
(``duplicate_of_id`` is null: a repeat enquiry is the same lead, counted once). One range scan
of ``ix_leads_first_seen_at``.

* ``leads``: how many.
* ``first_response_median`` / ``_p90`` (minutes): ``first_response_at - first_seen_at`` over
  those of them that have a first response (the first message queued to the lead, or a person
  reaching it or moving it on: ``app.stage_rule``); nearest rank (``app.metrics.durations``).
  Its ``count`` is how many had one.
* ``qualified_handoff_rate``: of those leads, the share that has a ``lead.qualified`` event by
  now, whoever qualified it (a scoring rule at intake, a person moving it to qualified or
  beyond, an approved CRM handoff: each writes that event once, ``app.lead_events``). A lead
  lost after it was qualified still counts: it was handed on qualified.

Source: ``leads.source``, the provider of the event that created the lead. Lane: the workflow
of the lead's first review item (lowest id), the lane that took the lead in; a lead with no
review item has no lane. There is no reviewer or prompt for a lead.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from app.metrics import Dimension, Scope
from app.metrics.durations import MEDIAN, P90, at_time, nearest_rank, ranks, seconds_between
from app.metrics.family import Family, Grouping, Rows, count, grouped, minutes, rate, when
from db.models import Event, Lead, ReviewItem
from db.vocab import EventType


def _lane() -> ColumnElement[Any]:
    return (
        select(ReviewItem.workflow)
        .where(ReviewItem.lead_id == Lead.id)
        .order_by(ReviewItem.id)
        .limit(1)
        .correlate(Lead)
        .scalar_subquery()
    )


def first_seen(scope: Scope, *columns: ColumnElement[Any]) -> Any:
    """The leads of the scope (see the module), with ``columns``."""
    query = select(*columns).where(
        Lead.first_seen_at >= at_time(scope.start),
        Lead.first_seen_at < at_time(scope.end),
        Lead.duplicate_of_id.is_(None),
    )
    if scope.client_id is not None:
        query = query.where(Lead.client_id == scope.client_id)
    if scope.provider is not None:
        query = query.where(Lead.source == scope.provider)
    if scope.workflow is not None:
        query = query.where(_lane() == scope.workflow)
    return query


def response_seconds() -> ColumnElement[float]:
    return seconds_between(Lead.first_seen_at, Lead.first_response_at)


def _compute(session: Session, scope: Scope, grouping: Grouping, now: datetime) -> Rows:
    response = response_seconds()
    qualified = exists().where(Event.lead_id == Lead.id, Event.type == EventType.LEAD_QUALIFIED)
    key = grouping.key(
        {Dimension.CLIENT: Lead.client_id, Dimension.SOURCE: Lead.source, Dimension.LANE: _lane()},
        Lead.first_seen_at,
    )
    rank, of = ranks(response, key)
    inner = first_seen(
        scope, response.label("response"), rank.label("rank"), of.label("of"), when(qualified).label("qualified")
    )

    def aggregates(c: Any) -> list[ColumnElement[Any]]:
        return [
            func.count().label("leads"),
            func.count(c.response).label("responded"),
            func.sum(c.qualified).label("qualified"),
            nearest_rank(c.response, c.rank, c.of, MEDIAN).label("median"),
            nearest_rank(c.response, c.rank, c.of, P90).label("p90"),
        ]

    return {
        group: {
            "leads": count(row.leads),
            "first_response_median": minutes(row.median, row.responded),
            "first_response_p90": minutes(row.p90, row.responded),
            "qualified_handoff_rate": rate(row.qualified, row.leads),
        }
        for group, row in grouped(session, inner, key, aggregates).items()
    }


LEADS = Family(
    keys=("leads", "first_response_median", "first_response_p90", "qualified_handoff_rate"),
    dimensions=frozenset({Dimension.CLIENT, Dimension.SOURCE, Dimension.LANE}),
    filters=frozenset({"client_id", "provider", "workflow"}),
    compute=_compute,
)
