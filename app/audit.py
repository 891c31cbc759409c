"""Writing audit entries. Always inside the caller's transaction, so the state change and its
audit row commit together or not at all."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from db.models import AuditEntry


def record(
    session: Session,
    *,
    actor: str,
    source: str,
    action: str,
    entity: str,
    entity_id: int | None,
    outcome: str = "ok",
    recovery: str = "",
    review_item_id: int | None = None,
    lead_id: int | None = None,
    client_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    entry = AuditEntry(
        actor=actor,
        source=source,
        action=action,
        outcome=outcome,
        recovery=recovery,
        entity=entity,
        entity_id=entity_id,
        review_item_id=review_item_id,
        lead_id=lead_id,
        client_id=client_id,
        detail=detail or {},
    )
    session.add(entry)
    return entry
