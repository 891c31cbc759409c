"""Consent per contact: opt-outs and opt-ins belong to a person (a client's phone number or
email address), not to one lead row, and they never expire."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, Tracked
from db.types import UtcDateTime


class ContactConsent(Tracked, Base):
    """One opt-out or opt-in of one contact of one client, with when, how and the evidence.

    Rows are only ever added: the contact's state is its newest row (``occurred_at``, then
    ``id``), so a STOP holds for every lead of that client with that phone or email, of any
    age, until a later explicit opt-in. ``status`` is ``opted_out`` or ``opted_in``;
    ``contact`` is E.164 for a phone and lower case for an email. ``evidence`` is internal
    (the keyword texted, the provider's flag, who entered a do-not-contact).
    """

    __tablename__ = "contact_consents"
    __table_args__ = (Index(None, "client_id", "contact_kind", "contact", "occurred_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    contact_kind: Mapped[str] = mapped_column(String(8))  # phone | email
    contact: Mapped[str] = mapped_column(String(254))
    method: Mapped[str] = mapped_column(String(32))  # sms_keyword | provider_flag | do_not_contact | ...
    evidence: Mapped[str] = mapped_column(String(500), default="")
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime)
    webhook_event_id: Mapped[int | None] = mapped_column(ForeignKey("webhook_events.id"))
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("leads.id"))
