"""An item's drafts."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Draft


def current_draft(session: Session, item_id: int) -> Draft | None:
    """The newest version: the one a reviewer sees and approves."""
    return session.scalar(
        select(Draft).where(Draft.review_item_id == item_id).order_by(Draft.version_no.desc()).limit(1)
    )
