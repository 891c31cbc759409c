"""Periodic client report notes and the proof each report note was built from
(``app.services.client_reports``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base
from db.types import UtcDateTime, utcnow


class ClientReport(Base):
    """The periodic report note of one client and period. The unique key decides which desk
    or worker drafts it: a second insert for the same period fails and drafts nothing."""

    __tablename__ = "client_reports"
    __table_args__ = (UniqueConstraint("client_id", "period_start", "period_end"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    period_start: Mapped[datetime] = mapped_column(UtcDateTime)
    period_end: Mapped[datetime] = mapped_column(UtcDateTime)
    review_item_id: Mapped[int] = mapped_column(ForeignKey("review_items.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class ReportProof(Base):
    """A metric snapshot a report note used: reviewed proof once the note is approved."""

    __tablename__ = "report_proofs"

    review_item_id: Mapped[int] = mapped_column(ForeignKey("review_items.id"), primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("metric_snapshots.id"), primary_key=True)
