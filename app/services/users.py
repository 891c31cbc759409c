"""Who may use the desk and in which role. Changing roles is for admins only."""

from __future__ import annotations

from sqlalchemy import select

from app import audit
from app.identity import Actor
from app.services.errors import ActionRefused
from app.services.refusals import require_role
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
