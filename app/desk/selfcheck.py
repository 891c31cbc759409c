"""What ``review-desk --self-test`` checks in the database it made."""

from __future__ import annotations

from sqlalchemy import func, select

from db.engine import Database
from db.migrate import current_revision
from db.models import AuditEntry, PortalNote, ReviewItem


def schema_revision(database: Database) -> str | None:
    return current_revision(database.engine)


def publication_of(database: Database, item_id: int) -> tuple[str, int, int]:
    """The item's status, its portal notes, and its approval and publication audit rows."""
    with database.read() as session:
        status = session.scalar(select(ReviewItem.status).where(ReviewItem.id == item_id))
        notes = session.scalar(select(func.count()).select_from(PortalNote).where(PortalNote.review_item_id == item_id))
        audits = session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(
                AuditEntry.review_item_id == item_id,
                AuditEntry.action.in_(("review_item.approved", "portal_note.published")),
            )
        )
        return status or "", notes or 0, audits or 0
