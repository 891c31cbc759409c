"""A lead's outcome as the lead panel shows it: its stage, what happens next, when it first
heard from someone, and the customer's newest rating."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Lead, LeadRating
from db.queries.tasks import contact_label


@dataclass(frozen=True)
class LeadCard:
    id: int
    label: str
    stage: str
    lost_reason: str | None
    next_action: str
    next_action_due_at: datetime | None
    first_seen_at: datetime
    first_response_at: datetime | None
    rating: Rated | None = None  # the newest


@dataclass(frozen=True)
class Rated:
    rating: int
    scale: int
    source: str  # a provider, or "desk"
    received_at: datetime


def lead_card(session: Session, lead_id: int) -> LeadCard | None:
    lead = session.get(Lead, lead_id)
    if lead is None:
        return None
    return LeadCard(
        id=lead.id,
        label=contact_label(lead.name, lead.phone, lead.email),
        stage=lead.stage,
        lost_reason=lead.lost_reason,
        next_action=lead.next_action,
        next_action_due_at=lead.next_action_due_at,
        first_seen_at=lead.first_seen_at,
        first_response_at=lead.first_response_at,
        rating=_newest_rating(session, lead_id),
    )


def _newest_rating(session: Session, lead_id: int) -> Rated | None:
    row = session.execute(
        select(LeadRating.rating, LeadRating.scale, LeadRating.source, LeadRating.received_at)
        .where(LeadRating.lead_id == lead_id)
        .order_by(LeadRating.received_at.desc(), LeadRating.id.desc())
        .limit(1)
    ).first()
    return Rated(*row) if row is not None else None
