"""Reading a report note's inputs for one client and period (``app.reports.note.build``).

Lead volume and first response come from the KPI catalogue (``app.metrics.kpis.kpi_table``),
so the note says what the Reports view says. The period's snapshots are those of the client
whose ``period_end`` falls in the period (after its start, up to and including its end: a
provider's exclusive end is the report's own end).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.metrics import Dimension, Scope
from app.metrics.kpis import kpi_table
from app.reports.note import Coverage, Outcomes, Proof, ReportInputs
from app.reports.periods import Period, first_full
from db.models import Client, DataSource, Lead, MetricSnapshot
from db.vocab import LeadStage


def report_inputs(
    session: Session, client: Client, period: Period, stale: dict[str, str], now: datetime
) -> ReportInputs:
    """``stale``: the client's data sources past their freshness limit at ``now`` (provider to
    how stale, as ``BatchContext.stale`` has them)."""
    first = first_full(period.kind, client.timezone, client.created_at)
    baseline = (first, outcomes(session, client.id, first, now)) if first.start < period.start else None
    return ReportInputs(
        client_name=client.name,
        timezone=client.timezone,
        period=period,
        outcomes=outcomes(session, client.id, period, now),
        proofs=proofs(session, client.id, period),
        coverage=_coverage(session, client.id, period, stale),
        baseline=baseline,
    )


def outcomes(session: Session, client_id: int, period: Period, now: datetime) -> Outcomes:
    scope = Scope(start=period.start, end=period.end, client_id=client_id)
    booked = session.scalar(
        select(func.count())
        .select_from(Lead)
        .where(
            Lead.client_id == client_id,
            Lead.stage == LeadStage.WON,
            Lead.won_at >= period.start,
            Lead.won_at < period.end,
        )
    )
    return Outcomes(
        total=kpi_table(session, scope, now=now)[0],
        by_source=tuple(kpi_table(session, scope, by=Dimension.SOURCE, now=now)),
        booked=int(booked or 0),
    )


def proofs(session: Session, client_id: int, period: Period) -> tuple[Proof, ...]:
    rows = session.scalars(
        select(MetricSnapshot)
        .where(
            MetricSnapshot.client_id == client_id,
            MetricSnapshot.period_end > period.start,
            MetricSnapshot.period_end <= period.end,
        )
        .order_by(MetricSnapshot.source, MetricSnapshot.period_end, MetricSnapshot.id)
    )
    return tuple(Proof(s.id, s.source, s.metric, s.value, s.unit, s.period_start, s.period_end, s.status) for s in rows)


def _coverage(session: Session, client_id: int, period: Period, stale: dict[str, str]) -> tuple[Coverage, ...]:
    delivered_before = set(
        session.scalars(
            select(MetricSnapshot.source)
            .where(MetricSnapshot.client_id == client_id, MetricSnapshot.period_end <= period.end)
            .distinct()
        )
    )
    sources = session.scalars(
        select(DataSource)
        .where(DataSource.client_id == client_id, DataSource.status == "active")
        .order_by(DataSource.label, DataSource.id)
    )
    return tuple(
        Coverage(s.provider, s.label, stale.get(s.provider, ""), s.provider in delivered_before) for s in sources
    )
