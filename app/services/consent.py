"""A client's do-not-contact entries, and explicit opt-ins, entered by a supervisor.

Both are recorded for the contact like a texted STOP or START (``app.pipeline.consent``):
every lead of that client with that phone or email follows, whatever its age, and the entry
is audited in the same transaction.
"""

from __future__ import annotations

from sqlalchemy import select

from app import audit
from app.identity import Actor
from app.pipeline import fields
from app.pipeline.consent import ConsentChange, apply_consent
from app.services.errors import ActionRefused
from app.services.refusals import SUPERVISING, require_role
from db.engine import Database
from db.models import Client
from db.types import utcnow
from db.vocab import ConsentMethod, ConsentState


def set_contact_consent(
    database: Database,
    actor: Actor,
    client_name: str,
    phone: str,
    email: str,
    opted_out: bool,
    note: str,
    source: str = "desk",
) -> int:
    """Opt a contact out (do not contact) or back in (they asked). Returns how many of the
    client's leads have that contact."""
    action = "contact.do_not_contact" if opted_out else "contact.opted_in"
    require_role(database, actor, SUPERVISING, action, source)
    normalized_phone = fields.phone(phone.strip()) if phone.strip() else None
    normalized_email = fields.email(email) if email.strip() else None
    if phone.strip() and normalized_phone is None:
        raise ActionRefused("That phone number is not a valid number; write it with its area code.")
    if email.strip() and normalized_email is None:
        raise ActionRefused("That email address is not valid.")
    if normalized_phone is None and normalized_email is None:
        raise ActionRefused("Give the phone number or the email address of the contact.")
    if not note.strip():
        raise ActionRefused("Say where this comes from (who asked, when): the note is required.")
    with database.write() as session:
        client_id = session.scalar(select(Client.id).where(Client.name == client_name.strip()))
        if client_id is None:
            raise ActionRefused(f"No client is named {client_name.strip()!r}.")
        now = utcnow()
        change = ConsentChange(
            client_id,
            normalized_phone,
            normalized_email,
            ConsentState.OPTED_OUT if opted_out else ConsentState.OPTED_IN,
            ConsentMethod.DO_NOT_CONTACT if opted_out else ConsentMethod.OPT_IN,
            f"entered by {actor.login}: {note.strip()}"[:500],
            now,
        )
        leads = apply_consent(session, change, actor.login, source, now)
        audit.record(
            session,
            actor=actor.login,
            source=source,
            action=action,
            entity="client",
            entity_id=client_id,
            client_id=client_id,
            recovery="enter the opposite from the desk or `review-desk consent`",
            detail={
                "phone": bool(normalized_phone),
                "email": bool(normalized_email),
                "leads": len(leads),
                "note": note.strip()[:300],
            },
        )
    return len(leads)
