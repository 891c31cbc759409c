"""Claims: an item open at a desk is held by that reviewer with a lease the desk renews; a
lapsed lease returns it to the queue. Claiming is one conditional update, so two desks racing
for one item cannot both win.

A refused claim is not audited: opening an item held elsewhere (or already decided) is a
reviewer looking at it, not an attempted action, and browsing must write nothing. The actions
themselves (approve, reject, ...) still audit their refusals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, or_, select, update

from app.identity import Actor
from app.services.errors import ActionRefused
from db.engine import Database
from db.models import ReviewItem
from db.types import utcnow
from db.vocab import OPEN_ITEM_STATUSES, ItemStatus

DEFAULT_LEASE = timedelta(seconds=120)


@dataclass(frozen=True)
class Claim:
    item_id: int
    version: int
    expires_at: datetime
    status: str  # the item's state once held (in review, or escalated)


def _claimable(actor: Actor, now: datetime):  # type: ignore[no-untyped-def]
    return or_(
        ReviewItem.claimed_by_id.is_(None),
        ReviewItem.claimed_by_id == actor.user_id,
        ReviewItem.lease_expires_at.is_(None),
        ReviewItem.lease_expires_at < now,
    )


def claim(
    database: Database,
    actor: Actor,
    item_id: int,
    lease: timedelta = DEFAULT_LEASE,
) -> Claim:
    """Hold an item while it is open. Exclusive: the conditional update decides, so two desks
    racing for one item cannot both win. Refused (``ActionRefused``, nothing written) when the
    item is held elsewhere, decided or gone."""
    with database.write() as session:
        now = utcnow()
        expires = now + lease
        won = session.execute(
            update(ReviewItem)
            .where(ReviewItem.id == item_id, ReviewItem.status.in_(OPEN_ITEM_STATUSES), _claimable(actor, now))
            .values(claimed_by_id=actor.user_id, lease_expires_at=expires, status=_claimed_status(), owner=actor.login)
            .execution_options(synchronize_session=False)
        ).rowcount
        if won == 1:
            version, status = session.execute(
                select(ReviewItem.version, ReviewItem.status).where(ReviewItem.id == item_id)
            ).one()
            return Claim(item_id, version, expires, status)
        message = _why_not_claimable(session.get(ReviewItem, item_id))
    raise ActionRefused(message)


def _claimed_status():  # type: ignore[no-untyped-def]
    """Claiming moves a pending item to in review (``ITEMS``: pending -> in_review); an item
    already in review (a lapsed claim taken over) stays so, and an escalated item stays
    escalated. The claim's WHERE admits only those open states."""
    return case((ReviewItem.status == ItemStatus.ESCALATED, ItemStatus.ESCALATED), else_=ItemStatus.IN_REVIEW)


def _why_not_claimable(item: ReviewItem | None) -> str:
    if item is None:
        return "This item no longer exists."
    if item.status not in OPEN_ITEM_STATUSES:
        return f"This item is already {item.status.replace('_', ' ')}."
    return "Another reviewer has this item open right now."


def renew(database: Database, actor: Actor, item_id: int, lease: timedelta = DEFAULT_LEASE) -> datetime | None:
    """Keep a claim alive while the item stays open; None when it was lost meanwhile."""
    with database.write() as session:
        now = utcnow()
        expires = now + lease
        kept = session.execute(
            update(ReviewItem)
            .where(
                ReviewItem.id == item_id,
                ReviewItem.claimed_by_id == actor.user_id,
                ReviewItem.status.in_(OPEN_ITEM_STATUSES),
            )
            .values(lease_expires_at=expires)
            .execution_options(synchronize_session=False)
        ).rowcount
    return expires if kept == 1 else None


def release_claim(database: Database, actor: Actor, item_id: int) -> None:
    """Give an item back to the queue (moving on, skipping, closing the desk)."""
    with database.write() as session:
        session.execute(
            update(ReviewItem)
            .where(
                ReviewItem.id == item_id,
                ReviewItem.claimed_by_id == actor.user_id,
                ReviewItem.status.in_(OPEN_ITEM_STATUSES),
            )
            .values(claimed_by_id=None, lease_expires_at=None, status=_released_status())
            .execution_options(synchronize_session=False)
        )


def _released_status():  # type: ignore[no-untyped-def]
    """Giving a claim back returns an item in review to the queue (``ITEMS``: in_review ->
    pending); the other open states, the only ones a release's WHERE admits, stay as they are."""
    return case((ReviewItem.status == ItemStatus.IN_REVIEW, ItemStatus.PENDING), else_=ReviewItem.status)


def release_expired_claims(database: Database) -> int:
    """Claims whose desk went away (crash, sleep, network) return to the queue."""
    with database.write() as session:
        return session.execute(
            update(ReviewItem)
            .where(
                ReviewItem.claimed_by_id.is_not(None),
                ReviewItem.lease_expires_at < utcnow(),
                ReviewItem.status.in_(OPEN_ITEM_STATUSES),
            )
            .values(claimed_by_id=None, lease_expires_at=None, status=_released_status())
            .execution_options(synchronize_session=False)
        ).rowcount
