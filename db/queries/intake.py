"""Claiming raw webhook rows for processing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import WebhookEvent
from db.vocab import WebhookStatus


@dataclass(frozen=True)
class ClaimedWebhook:
    """The columns of a claimed row the pipeline reads (no ORM object per row: a batch of
    hundreds of them is read on every poll)."""

    id: int
    provider: str
    client_id: int | None
    received_at: datetime
    content_type: str
    headers: dict[str, Any]
    body: bytes


def claim_new_webhooks(session: Session, limit: int) -> list[ClaimedWebhook]:
    """Lock up to ``limit`` new rows, oldest first, that no other worker holds.

    PostgreSQL and MySQL/MariaDB skip rows another transaction has locked (``FOR UPDATE SKIP
    LOCKED``). SQLite renders no locking clause: the caller's ``BEGIN IMMEDIATE`` already holds
    the database's single write lock, so no other worker can claim the same rows.
    """
    statement = (
        select(
            WebhookEvent.id,
            WebhookEvent.provider,
            WebhookEvent.client_id,
            WebhookEvent.received_at,
            WebhookEvent.content_type,
            WebhookEvent.headers,
            WebhookEvent.body,
        )
        .where(WebhookEvent.status == WebhookStatus.NEW)
        .order_by(WebhookEvent.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return [ClaimedWebhook(*row) for row in session.execute(statement)]
