"""Claiming raw webhook rows for processing."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import WebhookEvent
from db.vocab import WebhookStatus


def claim_new_webhooks(session: Session, limit: int) -> list[WebhookEvent]:
    """Lock up to ``limit`` new rows, oldest first, that no other worker holds.

    PostgreSQL and MySQL/MariaDB skip rows another transaction has locked (``FOR UPDATE SKIP
    LOCKED``). SQLite renders no locking clause: the caller's ``BEGIN IMMEDIATE`` already holds
    the database's single write lock, so no other worker can claim the same rows.
    """
    statement = (
        select(WebhookEvent)
        .where(WebhookEvent.status == WebhookStatus.NEW)
        .order_by(WebhookEvent.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(session.scalars(statement))
