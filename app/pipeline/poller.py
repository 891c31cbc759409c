"""Polling ``webhook_events``: claim a batch, process each row, record its outcome.

The batch is one write transaction and each row runs in its own savepoint: a row that fails
is rolled back alone and quarantined with its reason, the others land, and a crash anywhere
leaves the whole batch untouched for the next poll (nothing half-done, nothing lost).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app import audit
from app.pipeline.ingest import IngestConfig, ingest_events
from app.pipeline.model import Quarantined, RawDelivery
from app.pipeline.normalizers import normalize
from db.engine import Database
from db.models import WebhookEvent
from db.queries.intake import claim_new_webhooks
from db.types import utcnow
from db.vocab import WebhookStatus

log = logging.getLogger(__name__)


@dataclass
class PollResult:
    claimed: int = 0
    processed: int = 0
    quarantined: int = 0
    events: int = 0
    duplicates: int = 0
    items: int = 0

    def add(self, other: PollResult) -> None:
        for name in ("claimed", "processed", "quarantined", "events", "duplicates", "items"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass(frozen=True)
class PollConfig:
    ingest: IngestConfig
    batch_size: int = 200
    max_body_bytes: int = 512 * 1024


def delivery_of(row: WebhookEvent) -> RawDelivery:
    headers = row.headers if isinstance(row.headers, dict) else {}
    return RawDelivery(
        provider=row.provider,
        body=bytes(row.body or b""),
        headers={str(k): str(v) for k, v in headers.items()},
        content_type=row.content_type,
        received_at=row.received_at,
    )


def poll_once(database: Database, config: PollConfig) -> PollResult:
    result = PollResult()
    with database.write() as session:
        rows = claim_new_webhooks(session, config.batch_size)
        result.claimed = len(rows)
        for row in rows:
            _process_row(session, row, config, result, utcnow())
    return result


def drain(database: Database, config: PollConfig) -> PollResult:
    """Poll until no new rows remain."""
    total = PollResult()
    while True:
        batch = poll_once(database, config)
        total.add(batch)
        if batch.claimed == 0:
            return total


def _process_row(
    session: Session, row: WebhookEvent, config: PollConfig, result: PollResult, now: datetime
) -> None:
    row_id = row.id
    try:
        with session.begin_nested():
            events = normalize(delivery_of(row), config.max_body_bytes)
            ingested = ingest_events(session, row, events, config.ingest, now)
            row.status = WebhookStatus.PROCESSED
            row.processed_at = now
            row.attempts += 1
            row.event_count = ingested.events
            row.error = None
        result.processed += 1
        result.events += ingested.events
        result.duplicates += ingested.duplicates
        result.items += ingested.items
        return
    except Quarantined as exc:
        reason = exc.reason
    except SQLAlchemyError as exc:
        # The database refused something in this row (a value it cannot store, say). The row's
        # savepoint is rolled back; keep the row, quarantined, with a reason an operator can act on.
        log.warning("webhook %s rejected by the database: %s", row_id, type(exc).__name__)
        reason = f"the database refused this delivery ({type(exc).__name__})"
    with session.begin_nested():
        row.status = WebhookStatus.QUARANTINED
        row.processed_at = now
        row.attempts += 1
        row.error = reason[:1000]
        audit.record(
            session, actor=config.ingest.actor, source=config.ingest.source,
            action="webhook.quarantined", entity="webhook_event", entity_id=row_id,
            outcome="failed", client_id=row.client_id,
            recovery="fix the cause, then set status back to new to replay",
            detail={"reason": reason[:500], "provider": row.provider[:64]},
        )
    result.quarantined += 1
    log.info("webhook %s quarantined: %s", row_id, reason)
