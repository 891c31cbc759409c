"""Operator actions on raw deliveries."""

from __future__ import annotations

from sqlalchemy import select, update

from app import audit
from db.engine import Database
from db.models import WebhookEvent
from db.vocab import WebhookStatus

REPLAYABLE = (WebhookStatus.QUARANTINED, WebhookStatus.HELD)


def replay(
    database: Database,
    actor: str,
    status: WebhookStatus,
    provider: str | None = None,
    ids: list[int] | None = None,
    source: str = "cli",
) -> int:
    """Send quarantined or held deliveries through the pipeline again (after a fix or a new
    account mapping). Events already made from them are not made twice: their keys are known."""
    if status not in REPLAYABLE:
        raise ValueError(f"only {', '.join(REPLAYABLE)} deliveries can be replayed")
    with database.write() as session:
        query = select(WebhookEvent.id).where(WebhookEvent.status == status)
        if provider:
            query = query.where(WebhookEvent.provider == provider)
        if ids:
            query = query.where(WebhookEvent.id.in_(ids))
        chosen = list(session.scalars(query.order_by(WebhookEvent.id)))
        if chosen:
            session.execute(
                update(WebhookEvent).where(WebhookEvent.id.in_(chosen)).values(status=WebhookStatus.NEW, error=None)
            )
            audit.record(
                session,
                actor=actor,
                source=source,
                action="webhook.replayed",
                entity="webhook_event",
                entity_id=chosen[0] if len(chosen) == 1 else None,
                recovery="the pipeline decides again; quarantine or hold repeats if the cause remains",
                detail={"from": status, "count": len(chosen), "ids": chosen[:1000]},
            )
    return len(chosen)
