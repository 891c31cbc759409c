"""Reads about a lead's CRM handoffs."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import CrmHandoff
from db.vocab import HandoffStatus


def first_pushed_key(session: Session, lead_id: int) -> str | None:
    """The idempotency key of the lead's first handoff the CRM took: the id its deal was made
    under (HubSpot's ``review_desk_id``), so a later stage change moves that same deal."""
    return session.scalar(
        select(CrmHandoff.idempotency_key)
        .where(CrmHandoff.lead_id == lead_id, CrmHandoff.status == HandoffStatus.PUSHED)
        .order_by(CrmHandoff.pushed_at, CrmHandoff.id)
        .limit(1)
    )
