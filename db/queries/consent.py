"""Reading a contact's consent: its newest ``contact_consents`` row decides (see the model)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import ContactConsent
from db.vocab import ConsentState

PHONE, EMAIL = "phone", "email"
# (client id, "phone" | "email", E.164 phone or lower-case email)
ContactKey = tuple[int, str, str]


@dataclass(frozen=True)
class OptOut:
    """A contact whose newest consent row is an opt-out."""

    client_id: int
    contact_kind: str
    contact: str
    method: str
    occurred_at: datetime
    evidence: str

    def describe(self) -> str:
        """For a refusal or a flag: "their phone opted out on 2026-10-23 (sms keyword)"."""
        how = self.method.replace("_", " ")
        return f"their {self.contact_kind} opted out on {self.occurred_at:%Y-%m-%d} ({how})"


def contact_keys(client_id: int, phone: str | None, email: str | None) -> list[ContactKey]:
    """The keys consent is recorded under for one person of one client."""
    keys = []
    if phone:
        keys.append((client_id, PHONE, phone))
    if email and email.strip():
        keys.append((client_id, EMAIL, email.strip().lower()))
    return keys


def opt_outs(session: Session, keys: Iterable[ContactKey]) -> dict[ContactKey, OptOut]:
    """Of ``keys``, those opted out now (whatever how long ago), with how and when."""
    wanted = set(keys)
    if not wanted:
        return {}
    rows = session.execute(
        select(
            ContactConsent.client_id,
            ContactConsent.contact_kind,
            ContactConsent.contact,
            ContactConsent.status,
            ContactConsent.method,
            ContactConsent.occurred_at,
            ContactConsent.evidence,
        )
        .where(ContactConsent.client_id.in_({k[0] for k in wanted}), ContactConsent.contact.in_({k[2] for k in wanted}))
        .order_by(ContactConsent.occurred_at, ContactConsent.id)
    ).all()
    newest: dict[ContactKey, OptOut | None] = {}
    for client_id, kind, contact, status, method, occurred_at, evidence in rows:
        key = (client_id, kind, contact)
        if key in wanted:
            opted_out = status == ConsentState.OPTED_OUT
            newest[key] = OptOut(client_id, kind, contact, method, occurred_at, evidence) if opted_out else None
    return {key: found for key, found in newest.items() if found is not None}


def first_opt_out(session: Session, client_id: int, phone: str | None, email: str | None) -> OptOut | None:
    """The opt-out that stops messages to this person, if any (phone first)."""
    found = opt_outs(session, contact_keys(client_id, phone, email))
    return next(iter(sorted(found.values(), key=lambda o: o.contact_kind != PHONE)), None)
