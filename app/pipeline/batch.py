"""Planning one claimed batch of ``webhook_events`` and writing it (see ``poller`` for why a
batch is one transaction): decode each row, plan the batch from one snapshot of what the
database knows, persist the plan; a row that breaks planning or that the database refuses is
set aside alone, with its reason."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.exc import DataError, IntegrityError, InternalError, ProgrammingError
from sqlalchemy.orm import Session

from app.pipeline.context import BatchContext, load_context
from app.pipeline.errors import where
from app.pipeline.model import NormalizedEvent, Quarantined, RawDelivery
from app.pipeline.normalizers import normalize
from app.pipeline.persist import persist
from app.pipeline.planner import BatchPlan, PlannedAudit, Planner, RowOutcome, is_held
from db.queries.intake import ClaimedWebhook
from db.vocab import WebhookStatus

if TYPE_CHECKING:
    from app.pipeline.poller import PollConfig

log = logging.getLogger(__name__)
# Errors that mean "this data", not "this connection": isolate the row that caused them.
REFUSALS = (DataError, IntegrityError, InternalError, ProgrammingError)


Decoded = list[NormalizedEvent] | Quarantined


def decode(row: ClaimedWebhook, max_body_bytes: int) -> Decoded:
    try:
        return normalize(RawDelivery.of(row), max_body_bytes)
    except Quarantined as exc:
        return exc


def plan_batch(session: Session, rows: list[ClaimedWebhook], config: PollConfig, now: datetime) -> BatchPlan:
    decoded = [(row, decode(row, config.max_body_bytes)) for row in rows]
    failed: dict[int, str] = {}
    reloaded = False
    while True:
        catalog = config.catalog.get(session)
        try:
            context = load_context(
                session,
                now,
                [
                    (row.client_id, result)
                    for row, result in decoded
                    if not isinstance(result, Quarantined) and row.id not in failed
                ],
                catalog,
            )
            plan = _plan(context, decoded, failed, config, now)
        except _PlannerBug as bug:
            # Planning is pure: plan the batch again without the row that broke it.
            failed[bug.row_id] = bug.reason
            continue
        if not reloaded and any(o.status == WebhookStatus.HELD for o in plan.outcomes):
            # Held for an unmapped account: the cached catalog may predate the mapping.
            config.catalog.invalidate()
            reloaded = True
            continue
        persist(session, plan, context, config.ingest.actor, config.ingest.source)
        if plan.syncs:
            config.catalog.invalidate()  # data-source freshness changed
        for outcome in plan.outcomes:
            if outcome.status != WebhookStatus.PROCESSED:
                log.info("webhook %s %s: %s", outcome.row_id, outcome.status, outcome.error)
        return plan


class _PlannerBug(Exception):
    def __init__(self, row_id: int, reason: str) -> None:
        super().__init__(reason)
        self.row_id, self.reason = row_id, reason


def _plan(
    context: BatchContext,
    decoded: list[tuple[ClaimedWebhook, Decoded]],
    failed: dict[int, str],
    config: PollConfig,
    now: datetime,
) -> BatchPlan:
    planner = Planner(config.ingest.drafter, config.ingest.actor, config.ingest.await_ai)
    plan = BatchPlan()
    for row, result in decoded:
        if row.id in failed:
            _set_aside(plan, row, Quarantined(failed[row.id]))
        elif isinstance(result, Quarantined):
            _set_aside(plan, row, result)
        else:
            try:
                planner.plan_row(plan, context, row.id, row.client_id, row.received_at, result)
            except Quarantined as exc:
                _set_aside(plan, row, exc)
            except Exception as exc:
                log.error("planning webhook %s failed: %s", row.id, where(exc))
                raise _PlannerBug(
                    row.id,
                    f"the pipeline failed on this delivery ({type(exc).__name__}); kept for replay after a fix",
                ) from exc
    return plan


def _set_aside(plan: BatchPlan, row: ClaimedWebhook, exc: Quarantined) -> None:
    held = is_held(exc)
    status = WebhookStatus.HELD if held else WebhookStatus.QUARANTINED
    plan.outcomes.append(RowOutcome(row.id, status, exc.reason))
    plan.audits.append(
        PlannedAudit(
            "webhook.held" if held else "webhook.quarantined",
            "webhook_event",
            row.id,
            row.client_id,
            recovery="fix the cause, then `review-desk replay` the row",
            detail={"reason": exc.reason[:500], "provider": row.provider[:64]},
        )
    )


def plan_rows_one_by_one(session: Session, rows: list[ClaimedWebhook], config: PollConfig, now: datetime) -> BatchPlan:
    """Each row in its own savepoint, so the one the database refuses is found and kept aside."""
    combined = BatchPlan()
    for row in rows:
        try:
            with session.begin_nested():
                plan = plan_batch(session, [row], config, now)
        except REFUSALS as exc:
            plan = BatchPlan()
            _set_aside(
                plan, row, Quarantined(f"the database refused this delivery ({type(exc).__name__}); kept for replay")
            )
            with session.begin_nested():
                persist(
                    session,
                    plan,
                    load_context(session, now, [], config.catalog.get(session)),
                    config.ingest.actor,
                    config.ingest.source,
                )
        combined.outcomes.extend(plan.outcomes)
        combined.events.extend(plan.events)
        combined.items.extend(plan.items)
        combined.tasks.extend(plan.tasks)
    return combined
