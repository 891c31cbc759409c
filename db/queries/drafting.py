"""Items waiting for their AI draft: claiming them for one drafting worker at a time."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from db.models import ReviewItem
from db.vocab import ItemStatus


def claim_drafting(session: Session, now: datetime, lease_until: datetime, limit: int) -> list[int]:
    """Up to ``limit`` items waiting for a draft that no other worker is drafting, most
    urgent first; each is leased until ``lease_until`` (a worker that dies lets go when the
    lease ends). Locking as in ``claim_new_webhooks``: SKIP LOCKED, or SQLite's write lock."""
    ids = list(
        session.scalars(
            select(ReviewItem.id)
            .where(
                ReviewItem.status == ItemStatus.DRAFTING,
                or_(ReviewItem.lease_expires_at.is_(None), ReviewItem.lease_expires_at < now),
            )
            .order_by(ReviewItem.priority, ReviewItem.arrived_at, ReviewItem.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )
    if ids:
        session.execute(
            update(ReviewItem)
            .where(ReviewItem.id.in_(ids))
            .values(lease_expires_at=lease_until)
            .execution_options(synchronize_session=False)
        )
    return ids


def waiting_since(session: Session, before: datetime, limit: int = 500) -> list[int]:
    """Items that have waited for a draft since before ``before`` and are not being drafted."""
    return list(
        session.scalars(
            select(ReviewItem.id)
            .where(
                ReviewItem.status == ItemStatus.DRAFTING,
                ReviewItem.created_at < before,
                or_(ReviewItem.lease_expires_at.is_(None), ReviewItem.lease_expires_at < before),
            )
            .limit(limit)
        )
    )


def count_drafting(session: Session) -> int:
    return (
        session.scalar(select(func.count()).select_from(ReviewItem).where(ReviewItem.status == ItemStatus.DRAFTING))
        or 0
    )
