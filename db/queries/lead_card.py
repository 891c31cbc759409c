"""A lead's outcome as the lead panel shows it: its stage, what happens next, and when it
first heard from someone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from db.models import Lead
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
    )
