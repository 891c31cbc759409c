"""Who may use the desk and in which role (changing roles is for admins only), and where a
person's owner alerts reach them when no desk of theirs is open (``app.owner_alerts``)."""

from __future__ import annotations

from sqlalchemy import select

from app import audit
from app.identity import Actor
from app.pipeline import fields
from app.services.errors import ActionRefused
from app.services.refusals import SUPERVISING, refused, require_role
from db.engine import Database
from db.models import User
from db.vocab import Role


def set_role(database: Database, actor: Actor, user_id: int, role: Role, source: str = "desk") -> None:
    require_role(database, actor, (Role.ADMIN,), "user.set_role", source)
    with database.write() as session:
        user = session.get(User, user_id)
        if user is None:
            raise ActionRefused("That user no longer exists.")
        if user.role == Role.ADMIN and role != Role.ADMIN:
            admins = session.scalars(select(User.id).where(User.role == Role.ADMIN)).all()
            if len(admins) == 1:
                raise ActionRefused("The desk needs at least one admin: promote someone else first.")
        previous, user.role = user.role, role
        audit.record(
            session,
            actor=actor.login,
            source=source,
            action="user.role_changed",
            entity="user",
            entity_id=user.id,
            detail={"from": previous, "to": role},
        )


ALERT_CHANNELS = {"sms": "phone number", "email": "email address", "": ""}


def set_alert_contact(
    database: Database,
    actor: Actor,
    login: str,
    phone: str | None = None,
    email: str | None = None,
    channel: str = "",
    source: str = "desk",
) -> None:
    """Set ``login``'s alert phone and email (None: unchanged, "": cleared) and channel ("sms",
    "email", "": the desk only). Supervisors and admins, or the person themselves; the phone is
    stored in E.164 (as the pipeline stores leads'), the email in lower case, and a channel
    needs its address."""
    action = "user.alert_contact"
    with database.read() as session:
        user = session.scalar(select(User).where(User.login == login))
    if user is None:
        raise refused(database, actor, action, f"No user has the login {login!r}.", source, "user", 0)
    if actor.role not in SUPERVISING and actor.user_id != user.id:
        message = "Only a supervisor, an admin or the person themselves can set where alerts reach them."
        raise refused(database, actor, action, message, source, "user", user.id)
    new_phone = user.phone if phone is None else (fields.phone(phone.strip()) if phone.strip() else None)
    new_email = user.email if email is None else (fields.email(email) if email.strip() else None)
    problem = None
    if phone and phone.strip() and new_phone is None:
        problem = f"{phone.strip()!r} is not a valid phone number: write it with its area code (or +country code)."
    elif email and email.strip() and new_email is None:
        problem = f"{email.strip()!r} is not a valid email address."
    elif channel not in ALERT_CHANNELS:
        problem = f"The alert channel is sms, email or none, not {channel!r}."
    elif (channel == "sms" and not new_phone) or (channel == "email" and not new_email):
        problem = f"Alerts by {channel} need {login}'s {ALERT_CHANNELS[channel]}."
    if problem is not None:
        raise refused(database, actor, action, problem, source, "user", user.id)
    with database.write() as session:
        row = session.get(User, user.id)
        assert row is not None
        before = {"phone": row.phone, "email": row.email, "channel": row.alert_channel}
        row.phone, row.email, row.alert_channel = new_phone, new_email, channel
        audit.record(
            session,
            actor=actor.login,
            source=source,
            action="user.alert_contact_set",
            entity="user",
            entity_id=row.id,
            detail={"from": before, "to": {"phone": new_phone, "email": new_email, "channel": channel}},
        )
