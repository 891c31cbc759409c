"""What came in: quarantined deliveries, and data sources past their freshness limit.

``quarantine_rate``: of the ``webhook_events`` received in [start, end) (``received_at``),
the share whose status is quarantined now (a delivery replayed after a fix is processed and
no longer counts). Range scan of ``ix_webhook_events_received_at_status``. By client and by
source (the provider that delivered it).

``stale_sources``: a figure of now, not of the period: the active ``data_sources`` that are
past their limit at ``now``, never synced or last synced more than ``freshness_hours`` before
it (the rule the pipeline's freshness check applies, ``app.pipeline.context``); its ``count``
is the active sources looked at. By client and by source (the provider). It has no trend.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from app.metrics import Dimension, Figure, Scope
from app.metrics.durations import at_time, seconds_between
from app.metrics.family import Family, Grouping, Rows, grouped, rate, when
from db.models import DataSource, WebhookEvent
from db.vocab import WebhookStatus

_DIMENSIONS = frozenset({Dimension.CLIENT, Dimension.SOURCE})
_FILTERS = frozenset({"client_id", "provider"})


def received(scope: Scope, *columns: ColumnElement[Any]) -> Any:
    """The deliveries received in the scope, with ``columns``."""
    query = select(*columns).where(
        WebhookEvent.received_at >= at_time(scope.start), WebhookEvent.received_at < at_time(scope.end)
    )
    if scope.client_id is not None:
        query = query.where(WebhookEvent.client_id == scope.client_id)
    if scope.provider is not None:
        query = query.where(WebhookEvent.provider == scope.provider)
    return query


def _quarantine(session: Session, scope: Scope, grouping: Grouping, now: datetime) -> Rows:
    key = grouping.key(
        {Dimension.CLIENT: WebhookEvent.client_id, Dimension.SOURCE: WebhookEvent.provider}, WebhookEvent.received_at
    )
    inner = received(scope, when(WebhookEvent.status == WebhookStatus.QUARANTINED).label("quarantined"))
    rows = grouped(
        session, inner, key, lambda c: [func.count().label("received"), func.sum(c.quarantined).label("quarantined")]
    )
    return {group: {"quarantine_rate": rate(row.quarantined, row.received)} for group, row in rows.items()}


def _stale(session: Session, scope: Scope, grouping: Grouping, now: datetime) -> Rows:
    key = grouping.key({Dimension.CLIENT: DataSource.client_id, Dimension.SOURCE: DataSource.provider}, at_time(now))
    past = or_(
        DataSource.last_synced_at.is_(None),
        seconds_between(DataSource.last_synced_at, at_time(now)) > DataSource.freshness_hours * 3600,
    )
    inner = select(when(past).label("stale")).where(DataSource.status == "active")
    if scope.client_id is not None:
        inner = inner.where(DataSource.client_id == scope.client_id)
    if scope.provider is not None:
        inner = inner.where(DataSource.provider == scope.provider)
    rows = grouped(session, inner, key, lambda c: [func.count().label("active"), func.sum(c.stale).label("stale")])
    return {
        group: {"stale_sources": Figure(float(row.stale or 0), int(row.active or 0))} for group, row in rows.items()
    }


QUARANTINE = Family(("quarantine_rate",), _DIMENSIONS, _FILTERS, _quarantine)
STALE = Family(("stale_sources",), _DIMENSIONS, _FILTERS, _stale, periodic=False)
