"""Everything the detail pane shows for one review item."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Client, Draft, Event, ReviewItem, RiskFlag, WebhookEvent


@dataclass(frozen=True)
class FlagView:
    code: str
    severity: int
    reason: str
    evidence: str
    field: str | None
    span_start: int | None
    span_end: int | None
    source: str


@dataclass(frozen=True)
class ItemDetail:
    id: int
    version: int
    status: str
    kind: str
    workflow: str
    provider: str
    client_name: str
    lead_label: str
    drafter: str
    internal_summary: str
    client_text: str
    next_action: str
    final_text: str | None
    flags: tuple[FlagView, ...]
    raw_provider: str
    raw_body: str  # INTERNAL: decoded for display only, never copied into client text


def load_item_detail(session: Session, item_id: int) -> ItemDetail | None:
    item = session.get(ReviewItem, item_id)
    if item is None:
        return None
    client_name = session.scalar(select(Client.name).where(Client.id == item.client_id)) or ""
    draft = session.scalar(
        select(Draft).where(Draft.review_item_id == item_id).order_by(Draft.version_no.desc()).limit(1)
    )
    flags = tuple(
        FlagView(f.code, f.severity, f.reason, f.evidence, f.field, f.span_start, f.span_end, f.source)
        for f in session.scalars(
            select(RiskFlag)
            .where(RiskFlag.review_item_id == item_id, RiskFlag.draft_id == (draft.id if draft else None))
            .order_by(RiskFlag.severity.desc(), RiskFlag.id)
        )
    )
    raw_provider, raw_body = "", ""
    if item.event_id is not None:
        row = session.execute(
            select(WebhookEvent.provider, WebhookEvent.body)
            .join(Event, Event.webhook_event_id == WebhookEvent.id)
            .where(Event.id == item.event_id)
        ).first()
        if row is not None:
            raw_provider = row[0]
            raw_body = bytes(row[1] or b"").decode("utf-8", errors="replace")
    return ItemDetail(
        id=item.id, version=item.version, status=item.status, kind=item.kind,
        workflow=item.workflow, provider=item.provider, client_name=client_name,
        lead_label=item.lead_label, drafter=draft.drafter if draft else "",
        internal_summary=draft.internal_summary if draft else "",
        client_text=draft.client_text if draft else "",
        next_action=draft.next_action if draft else "", final_text=item.final_text,
        flags=flags, raw_provider=raw_provider, raw_body=raw_body,
    )
