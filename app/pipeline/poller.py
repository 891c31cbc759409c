"""Polling ``webhook_events``: claim a batch, plan it, write it, record every row's outcome.

Decision: a batch is one write transaction rather than one transaction per row. Commits are
the dominant cost on every backend, and a batch keeps the pipeline near the speed of a bare
bulk insert. What a per-row transaction would buy is kept:

* a crash anywhere leaves the whole batch untouched for the next poll (nothing half-done);
* a row that cannot be read is quarantined with its reason and the others go on;
* a row the database refuses is isolated by redoing the batch one savepoint per row;
* a concurrent worker that wrote the same event key first makes the batch retry, and the
  retry sees the key as known (the unique constraint is what decides, not Python).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import datetime

from sqlalchemy.exc import DataError, IntegrityError, InternalError, ProgrammingError
from sqlalchemy.orm import Session

from app.pipeline.context import BatchContext, CatalogCache, load_context
from app.pipeline.drafting import Drafter
from app.pipeline.errors import where
from app.pipeline.model import NormalizedEvent, Quarantined, RawDelivery
from app.pipeline.normalizers import normalize
from app.pipeline.persist import persist
from app.pipeline.planner import BatchPlan, PlannedAudit, Planner, RowOutcome, is_held
from db.engine import Database
from db.queries.intake import ClaimedWebhook, claim_new_webhooks
from db.types import utcnow
from db.vocab import WebhookStatus

log = logging.getLogger(__name__)
CONFLICT_RETRIES = 5
# Errors that mean "this data", not "this connection": isolate the row that caused them.
_REFUSALS = (DataError, IntegrityError, InternalError, ProgrammingError)


@dataclass
class PollResult:
    claimed: int = 0
    processed: int = 0
    quarantined: int = 0
    held: int = 0
    events: int = 0
    duplicates: int = 0
    items: int = 0
    tasks: int = 0

    def add(self, other: PollResult) -> None:
        for spec in fields(self):
            setattr(self, spec.name, getattr(self, spec.name) + getattr(other, spec.name))


@dataclass(frozen=True)
class IngestConfig:
    drafter: Drafter
    actor: str = "pipeline"
    source: str = "worker"
    await_ai: bool = False  # items wait for the AI drafting stage (app.ai.stage)


@dataclass(frozen=True)
class PollConfig:
    ingest: IngestConfig
    batch_size: int = 200
    max_body_bytes: int = 512 * 1024
    catalog: CatalogCache = field(default_factory=CatalogCache, compare=False)


def delivery_of(row: ClaimedWebhook) -> RawDelivery:
    headers = row.headers if isinstance(row.headers, dict) else {}
    return RawDelivery(
        provider=row.provider,
        body=bytes(row.body or b""),
        headers={str(k): str(v) for k, v in headers.items()},
        content_type=row.content_type,
        received_at=row.received_at,
    )


Decoded = list[NormalizedEvent] | Quarantined


def decode(row: ClaimedWebhook, max_body_bytes: int) -> Decoded:
    try:
        return normalize(delivery_of(row), max_body_bytes)
    except Quarantined as exc:
        return exc


def poll_once(database: Database, config: PollConfig) -> PollResult:
    """Process one batch. Connection problems propagate; the caller polls again later."""
    for attempt in range(CONFLICT_RETRIES):
        try:
            return _in_transaction(database, config, _plan_batch)
        except IntegrityError:
            log.info("another worker wrote the same events first; retrying (%d)", attempt + 1)
        except _REFUSALS as exc:
            log.warning("the database refused part of a batch (%s); isolating rows", type(exc).__name__)
            break
    return _in_transaction(database, config, _plan_rows_one_by_one)


def drain(database: Database, config: PollConfig) -> PollResult:
    """Poll until no new rows remain."""
    total = PollResult()
    while True:
        batch = poll_once(database, config)
        total.add(batch)
        if batch.claimed == 0:
            return total


Strategy = Callable[[Session, list[ClaimedWebhook], PollConfig, datetime], BatchPlan]


def _in_transaction(database: Database, config: PollConfig, strategy: Strategy) -> PollResult:
    with database.write() as session:
        rows = claim_new_webhooks(session, config.batch_size)
        if not rows:
            return PollResult()
        plan = strategy(session, rows, config, utcnow())
        return _result(len(rows), plan)


def _plan_batch(
    session: Session, rows: list[ClaimedWebhook], config: PollConfig, now: datetime
) -> BatchPlan:
    decoded = [(row, decode(row, config.max_body_bytes)) for row in rows]
    failed: dict[int, str] = {}
    reloaded = False
    while True:
        catalog = config.catalog.get(session)
        try:
            context = load_context(session, now, [
                (row.client_id, result) for row, result in decoded
                if not isinstance(result, Quarantined) and row.id not in failed
            ], catalog)
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
    context: BatchContext, decoded: list[tuple[ClaimedWebhook, Decoded]], failed: dict[int, str],
    config: PollConfig, now: datetime,
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
                    row.id, f"the pipeline failed on this delivery ({type(exc).__name__}); "
                    "kept for replay after a fix",
                ) from exc
    return plan


def _set_aside(plan: BatchPlan, row: ClaimedWebhook, exc: Quarantined) -> None:
    held = is_held(exc)
    status = WebhookStatus.HELD if held else WebhookStatus.QUARANTINED
    plan.outcomes.append(RowOutcome(row.id, status, exc.reason))
    plan.audits.append(PlannedAudit(
        "webhook.held" if held else "webhook.quarantined", "webhook_event", row.id, row.client_id,
        recovery="fix the cause, then `review-desk replay` the row",
        detail={"reason": exc.reason[:500], "provider": row.provider[:64]},
    ))


def _plan_rows_one_by_one(
    session: Session, rows: list[ClaimedWebhook], config: PollConfig, now: datetime
) -> BatchPlan:
    """Each row in its own savepoint, so the one the database refuses is found and kept aside."""
    combined = BatchPlan()
    for row in rows:
        try:
            with session.begin_nested():
                plan = _plan_batch(session, [row], config, now)
        except _REFUSALS as exc:
            plan = BatchPlan()
            _set_aside(plan, row, Quarantined(
                f"the database refused this delivery ({type(exc).__name__}); kept for replay"
            ))
            with session.begin_nested():
                persist(session, plan, load_context(session, now, [], config.catalog.get(session)),
                        config.ingest.actor, config.ingest.source)
        combined.outcomes.extend(plan.outcomes)
        combined.events.extend(plan.events)
        combined.items.extend(plan.items)
        combined.tasks.extend(plan.tasks)
    return combined


def _result(claimed: int, plan: BatchPlan) -> PollResult:
    result = PollResult(claimed=claimed, items=len(plan.items), tasks=len(plan.tasks))
    for outcome in plan.outcomes:
        if outcome.status == WebhookStatus.PROCESSED:
            result.processed += 1
        elif outcome.status == WebhookStatus.HELD:
            result.held += 1
        else:
            result.quarantined += 1
        result.events += outcome.events
        result.duplicates += outcome.duplicates
    return result
