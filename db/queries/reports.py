"""What the Reports view reads besides the KPIs: a client's approved report notes for a period,
the text its PDF holds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Client, PortalNote, ReviewItem
from db.vocab import ItemKind


@dataclass(frozen=True)
class ReportNote:
    """An approved, published report note: only what the client was shown."""

    published_at: datetime
    title: str
    body: str


def client_name(session: Session, client_id: int) -> str:
    return session.scalar(select(Client.name).where(Client.id == client_id)) or ""


def approved_report_notes(session: Session, client_id: int, start: datetime, end: datetime) -> list[ReportNote]:
    """The client's report notes published in [start, end), oldest first. A published portal
    note is the approved text itself; drafts, internal summaries and payloads are never read."""
    rows = session.execute(
        select(PortalNote.published_at, PortalNote.title, PortalNote.body)
        .join(ReviewItem, ReviewItem.id == PortalNote.review_item_id)
        .where(
            PortalNote.client_id == client_id,
            ReviewItem.kind == ItemKind.REPORT_NOTE,
            PortalNote.published_at >= start,
            PortalNote.published_at < end,
        )
        .order_by(PortalNote.published_at, PortalNote.id)
    )
    return [ReportNote(*row) for row in rows]
