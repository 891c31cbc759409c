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
from typing import TYPE_CHECKING

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from app.pipeline.catalog_cache import CatalogCache
from db.engine import Database
from db.errors import is_transient_conflict
from db.queries.intake import ClaimedWebhook, claim_new_webhooks
from db.types import utcnow
from db.vocab import WebhookStatus

if TYPE_CHECKING:
    from app.pipeline.drafting import Drafter
    from app.pipeline.planner import BatchPlan

log = logging.getLogger(__name__)
CONFLICT_RETRIES = 5


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


def poll_once(database: Database, config: PollConfig) -> PollResult:
    """Process one batch. Connection problems propagate; the caller polls again later."""
    # The planning code is imported with the first batch there is: a start on an empty queue
    # does not compile it (see bench/worker_start.py).
    from app.pipeline.batch import REFUSALS, plan_batch, plan_rows_one_by_one

    for attempt in range(CONFLICT_RETRIES):
        try:
            return _in_transaction(database, config, plan_batch)
        except IntegrityError:
            log.info("another worker wrote the same events first; retrying (%d)", attempt + 1)
        except OperationalError as exc:
            if not is_transient_conflict(exc):
                raise
            log.info("the database rolled the batch back in a deadlock with another worker; retrying (%d)", attempt + 1)
        except REFUSALS as exc:
            log.warning("the database refused part of a batch (%s); isolating rows", type(exc).__name__)
            break
    return _in_transaction(database, config, plan_rows_one_by_one)


def drain(database: Database, config: PollConfig, max_batches: int | None = None) -> PollResult:
    """Poll until no new rows remain (or ``max_batches`` batches were polled)."""
    total = PollResult()
    polled = 0
    while max_batches is None or polled < max_batches:
        batch = poll_once(database, config)
        total.add(batch)
        polled += 1
        if batch.claimed == 0:
            break
    return total


Strategy = Callable[[Session, list[ClaimedWebhook], PollConfig, datetime], "BatchPlan"]


def _in_transaction(database: Database, config: PollConfig, strategy: Strategy) -> PollResult:
    with database.write() as session:
        rows = claim_new_webhooks(session, config.batch_size)
        if not rows:
            return PollResult()
        plan = strategy(session, rows, config, utcnow())
        return _result(len(rows), plan)


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
