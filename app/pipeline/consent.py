"""Recording an opt-out or opt-in of one contact, and what follows from it.

Consent belongs to the contact (a client's phone number or email address), so a change is
written to ``contact_consents`` and then applied to every lead of that client with that phone
or email, whatever its age; an opt-out also flags every message of theirs still waiting for
review (a new version: an approval prepared before the STOP is refused as stale). The
pipeline (a STOP texted, a provider's opt-out flag) and the desk (a client's do-not-contact
entry, an opt-in) both come through here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Table, bindparam, func, insert, or_, select, update
from sqlalchemy.orm import Session

from app.pipeline.flag_rows import flag_row
from db.models import ContactConsent, Lead, ReviewItem, RiskFlag
from db.queries.consent import EMAIL, PHONE, OptOut, contact_keys
from db.vocab import OPEN_ITEM_STATUSES, Consent, ConsentMethod, ConsentState, FlagCode, ItemKind, Severity

LEADS: Table = Lead.__table__  # type: ignore[assignment]
ITEMS: Table = ReviewItem.__table__  # type: ignore[assignment]
FLAGS: Table = RiskFlag.__table__  # type: ignore[assignment]
CONSENTS: Table = ContactConsent.__table__  # type: ignore[assignment]


@dataclass
class ConsentChange:
    client_id: int
    phone: str | None
    email: str | None
    state: ConsentState
    method: ConsentMethod
    evidence: str  # internal: the keyword texted, the provider's field, who entered it
    occurred_at: datetime
    webhook_event_id: int | None = None
    lead_id: int | None = None

    def as_opt_out(self) -> OptOut:
        kind, contact = (PHONE, self.phone) if self.phone else (EMAIL, (self.email or "").lower())
        return OptOut(self.client_id, kind, contact, self.method, self.occurred_at, self.evidence)


def opt_out_flag_reason(opt_out: OptOut) -> str:
    return f"no message may be sent: {opt_out.describe()}"


def apply_consent(session: Session, change: ConsentChange, actor: str, source: str, now: datetime) -> list[int]:
    """Write the change and apply it to the contact's leads; returns their ids."""
    keys = contact_keys(change.client_id, change.phone, change.email)
    if not keys:
        return []
    session.execute(
        insert(CONSENTS),
        [
            {
                "client_id": client_id,
                "contact_kind": kind,
                "contact": contact,
                "method": change.method,
                "evidence": change.evidence[:500],
                "occurred_at": change.occurred_at,
                "webhook_event_id": change.webhook_event_id,
                "lead_id": change.lead_id,
                "created_at": now,
                "updated_at": now,
                "owner": actor,
                "source": source[:64],
                "status": change.state,
                "recovery": "an explicit opt-in (START) from the same contact lifts it"
                if change.state == ConsentState.OPTED_OUT
                else "a later STOP or do-not-contact replaces it",
            }
            for client_id, kind, contact in keys
        ],
    )
    matches = [
        LEADS.c.phone == contact if kind == PHONE else func.lower(LEADS.c.email) == contact for _, kind, contact in keys
    ]
    lead_ids = list(session.scalars(select(LEADS.c.id).where(LEADS.c.client_id == change.client_id, or_(*matches))))
    if not lead_ids:
        return []
    opted_out = change.state == ConsentState.OPTED_OUT
    session.execute(
        update(LEADS)
        .where(LEADS.c.id.in_(lead_ids))
        .values(
            opted_out=opted_out,
            opted_out_at=change.occurred_at if opted_out else None,
            consent=Consent.DENIED if opted_out else Consent.GRANTED,
            updated_at=now,
        )
    )
    if opted_out:
        flag_waiting_messages(session, lead_ids, change.as_opt_out(), actor, now)
    return lead_ids


def flag_waiting_messages(session: Session, lead_ids: list[int], opt_out: OptOut, actor: str, now: datetime) -> None:
    """Every message of these leads still waiting for review gets a high opt-out flag and a new
    version."""
    pending = session.execute(
        select(ITEMS.c.id, ITEMS.c.flag_codes).where(
            ITEMS.c.lead_id.in_(lead_ids), ITEMS.c.kind == ItemKind.MESSAGE, ITEMS.c.status.in_(OPEN_ITEM_STATUSES)
        )
    ).all()
    if not pending:
        return
    session.execute(
        insert(FLAGS),
        [
            flag_row(
                item_id,
                None,
                FlagCode.OPT_OUT,
                int(Severity.HIGH),
                opt_out_flag_reason(opt_out),
                opt_out.evidence or "opted out",
                None,
                None,
                "rule",
                actor,
                now,
            )
            for item_id, _ in pending
        ],
    )
    session.execute(
        update(ITEMS)
        .where(ITEMS.c.id == bindparam("item_id"))
        .values(
            top_severity=int(Severity.HIGH), flag_codes=bindparam("codes"), version=ITEMS.c.version + 1, updated_at=now
        ),
        [
            {
                "item_id": item_id,
                "codes": ",".join(dict.fromkeys([FlagCode.OPT_OUT, *filter(None, (codes or "").split(","))]))[:255],
            }
            for item_id, codes in pending
        ],
    )
