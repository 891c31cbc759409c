"""An event the desk's own cycle starts about an existing lead (an old-lead follow-up due, a
review request due, a stage change for the CRM), shaped as a delivery's so the planner drafts
and flags its item like any other."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from app.pipeline.context import LeadRecord
from app.pipeline.model import Contact, NormalizedEvent
from app.pipeline.planner import PlannedEvent


def lifecycle_event(
    lead: Any, kind: str, provider: str, key: str, why: str, detail: dict[str, Any], now: datetime
) -> PlannedEvent:
    """The event of type ``kind`` for ``lead`` (a ``Lead`` row, or a selected row with its
    columns) under the unique ``key``; ``why`` is its source in words, ``detail`` its data."""
    record = LeadRecord(
        client_id=lead.client_id,
        name=lead.name,
        phone=lead.phone,
        email=lead.email,
        service=lead.service,
        urgency=lead.urgency,
        consent=lead.consent,
        attribution={},
        first_seen_at=lead.first_seen_at,
        last_event_at=lead.last_event_at,
        source=lead.source,
        id=lead.id,
    )
    event = NormalizedEvent(
        type=kind,  # type: ignore[arg-type]
        provider=provider,
        idempotency_key=key,
        occurred_at=now,
        contact=Contact(lead.name, lead.phone, lead.email),
        service=lead.service,
        source=why,
        urgency=lead.urgency,
        consent=lead.consent,
        data=detail,
    )
    return PlannedEvent(event, None, lead.client_id, record)
