"""The outbox sender: approved handoffs leave here, each once, or fail where a person sees it.

A run claims due handoffs (pending, retrying, or claimed by a sender that died: its lease ran
out) under the pause gate, so nothing a pause holds is claimed; pushes them through the
adapter outside any transaction; then records each outcome. A handoff claimed before a pause
committed is finished (a push under way is not recalled); none is claimed after.

* delivered: ``pushed``, with the CRM's id; the review item is ``pushed``.
* worth retrying (429, 5xx, timeouts, dropped connections): ``retrying`` after the server's
  Retry-After, else exponential backoff with full jitter; after ``RETRY_WINDOW`` since it
  was approved (or last retried by hand), ``failed``.
* rejected (4xx validation): ``failed`` at once with the error; ``retry_handoff`` sends it
  again after a fix.

Repeats are harmless by design: every push carries the handoff's idempotency key (the
webhook-id, the CRM's unique id property), so a push whose answer was lost, or a sender that
died after pushing, delivers nothing twice. Each run is one ``integration_sync_runs`` row.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit
from app.crm.adapters import DELIVERED, REJECTED, Adapter, Outgoing, PushResult
from app.identity import Actor
from app.lanes import DbLane, inline
from app.services.errors import ActionRefused
from app.services.refusals import SUPERVISING, require_role
from app.states import HANDOFFS, ITEMS
from db.engine import Database
from db.models import CrmHandoff, IntegrationSyncRun, ReviewItem
from db.queries.pauses import active_pauses, lock_gate, not_held
from db.types import utcnow
from db.vocab import HandoffStatus, ItemStatus

log = logging.getLogger(__name__)
RETRY_WINDOW = timedelta(hours=24)
SENDING_LEASE = timedelta(minutes=5)  # a sender that died frees its claim after this
BASE_DELAY_S = 30.0
MAX_DELAY_S = 3600.0
BATCH = 100


@dataclass
class SendRun:
    claimed: int = 0
    delivered: int = 0
    retrying: int = 0
    failed: int = 0


def backoff_s(attempts: int, rng: random.Random | None = None) -> float:
    """Full jitter: anywhere up to 30 s x 2^(attempts-1), at most an hour."""
    ceiling = min(MAX_DELAY_S, BASE_DELAY_S * 2 ** max(0, attempts - 1))
    return (rng or random).uniform(0, ceiling)


def push_due(
    database: Database, adapter: Adapter, source: str = "desk", batch: int = BATCH, on_db: DbLane = inline
) -> SendRun:
    """One batch: claimed and recorded on ``on_db`` (the desk's database lane), pushed here."""
    started = utcnow()
    claimed = on_db(lambda: _claim(database, batch, started))
    if not claimed:
        return SendRun()
    try:
        results = adapter.push([outgoing for outgoing, _ in claimed])
    except Exception as exc:  # an adapter bug must not strand the batch: retry it, say why
        results = [PushResult(o.handoff_id, "retry", error=f"{type(exc).__name__}: {exc}") for o, _ in claimed]
    attempts = {o.handoff_id: n for o, n in claimed}
    return on_db(lambda: _record(database, adapter.name, results, attempts, source, started))


def _claim(database: Database, batch: int, now: datetime) -> list[tuple[Outgoing, int]]:
    with database.write() as session:
        lock_gate(session, exclusive=False)
        pauses = active_pauses(session)
        rows = session.scalars(
            select(CrmHandoff)
            .join(ReviewItem, ReviewItem.id == CrmHandoff.review_item_id)
            .where(
                CrmHandoff.status.in_(HANDOFFS.sources(HandoffStatus.SENDING)),
                CrmHandoff.next_attempt_at <= now,
                not_held(pauses),
            )
            .order_by(CrmHandoff.next_attempt_at, CrmHandoff.id)
            .limit(batch)
            .with_for_update(skip_locked=True, of=CrmHandoff)
        ).all()
        claimed = []
        for row in rows:
            HANDOFFS.move(row, HandoffStatus.SENDING)
            row.attempts, row.next_attempt_at = row.attempts + 1, now + SENDING_LEASE
            claimed.append((Outgoing(row.id, row.idempotency_key, dict(row.payload)), row.attempts))
        return claimed


def _record(
    database: Database,
    adapter: str,
    results: list[PushResult],
    attempts: dict[int, int],
    source: str,
    started: datetime,
) -> SendRun:
    run = SendRun(claimed=len(results))
    with database.write() as session:
        now = utcnow()
        for result in results:
            row = session.get(CrmHandoff, result.handoff_id, with_for_update=True)
            if row is None or row.status != HandoffStatus.SENDING or row.attempts != attempts.get(row.id):
                continue  # another sender took it over after our lease ran out: its result counts
            item = session.get(ReviewItem, row.review_item_id) if row.review_item_id else None
            if result.outcome == DELIVERED:
                HANDOFFS.move(row, HandoffStatus.PUSHED)
                row.pushed_at, row.external_id, row.last_error = now, result.external_id, None
                if item is not None:
                    ITEMS.move(item, ItemStatus.PUSHED)
                run.delivered += 1
                _audit(session, row, "crm_handoff.pushed", source, {"external_id": result.external_id})
                continue
            row.last_error = result.error[:1000]
            log.warning(
                "CRM handoff %d (%s): %s", row.id, result.outcome, result.error
            )  # with the CRM's correlation id
            gave_up = result.outcome == REJECTED or now - (row.retry_from or row.created_at) >= RETRY_WINDOW
            if gave_up:
                HANDOFFS.move(row, HandoffStatus.FAILED)
                row.next_attempt_at = None
                if item is not None:
                    ITEMS.move(item, ItemStatus.FAILED)
                    item.hold_reason = f"CRM push failed: {result.error}"[:255]
                run.failed += 1
                _audit(
                    session,
                    row,
                    "crm_handoff.failed",
                    source,
                    {"error": row.last_error},
                    outcome="failed",
                    recovery="fix the cause, then retry from the desk",
                )
            else:
                delay = result.retry_after_s if result.retry_after_s is not None else backoff_s(row.attempts)
                HANDOFFS.move(row, HandoffStatus.RETRYING)
                row.next_attempt_at = now + timedelta(seconds=delay)
                run.retrying += 1
        session.add(
            IntegrationSyncRun(
                kind="crm_push",
                started_at=started,
                finished_at=now,
                items_total=run.claimed,
                items_ok=run.delivered,
                items_failed=run.failed,
                source=f"{source}:{adapter}",
                owner=source,
                status="ok" if run.delivered == run.claimed else ("failed" if not run.delivered else "partial"),
                error="; ".join(sorted({r.error for r in results if r.error}))[:2000] or None,
                recovery="handoffs left retrying are pushed again; failed ones wait for a retry from the desk",
            )
        )
        return run


def _audit(
    session: Session,
    row: CrmHandoff,
    action: str,
    source: str,
    detail: dict[str, object],
    outcome: str = "ok",
    recovery: str = "",
) -> None:
    audit.record(
        session,
        actor=source,
        source=source,
        action=action,
        entity="crm_handoff",
        entity_id=row.id,
        review_item_id=row.review_item_id,
        lead_id=row.lead_id,
        client_id=row.client_id,
        outcome=outcome,
        recovery=recovery,
        detail=detail,
    )


def retry_handoff(database: Database, actor: Actor, item_id: int, source: str = "desk") -> None:
    """Send the failed handoff of review item ``item_id`` again (after fixing what its error
    names), with a new retry window."""
    require_role(database, actor, SUPERVISING, "crm_handoff.retry", source)
    with database.write() as session:
        row = session.scalar(select(CrmHandoff).where(CrmHandoff.review_item_id == item_id).with_for_update())
        if row is None or row.status != HandoffStatus.FAILED:
            raise ActionRefused("Only a failed handoff can be retried.")
        HANDOFFS.move(row, HandoffStatus.PENDING)
        row.next_attempt_at, row.retry_from = utcnow(), utcnow()  # a new retry window
        item = session.get(ReviewItem, row.review_item_id) if row.review_item_id else None
        if item is not None:
            ITEMS.move(item, ItemStatus.QUEUED)
            item.hold_reason = None
        audit.record(
            session,
            actor=actor.login,
            source=source,
            action="crm_handoff.retried",
            entity="crm_handoff",
            entity_id=row.id,
            review_item_id=row.review_item_id,
            client_id=row.client_id,
            detail={"last_error": row.last_error},
        )
