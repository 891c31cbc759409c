"""Who is using the desk.

Decision: the desk always has an admin. The first person to open a database that has no
admin becomes its admin (on a laptop that is the person who installed it); everyone after
joins as a reviewer until an admin changes their role. On SQLite the login is the one chosen
at first run (the ``user_login`` setting, else the operating-system login); on a shared
PostgreSQL or MySQL server it is the reviewer's own database account.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app import audit
from db.models import User
from db.vocab import Role


@dataclass(frozen=True)
class Actor:
    user_id: int
    login: str
    role: Role

    @property
    def can_supervise(self) -> bool:
        return self.role in (Role.SUPERVISOR, Role.ADMIN)


def database_login(session: Session) -> str | None:
    """On a shared PostgreSQL or MySQL server each reviewer signs in with their own database
    account, and that account is who they are at the desk (not a name in a settings file)."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return session.scalar(text("SELECT current_user"))
    if dialect in ("mysql", "mariadb"):
        return session.scalar(text("SELECT SUBSTRING_INDEX(CURRENT_USER(), '@', 1)"))
    return None


def default_login(configured: str = "") -> str:
    if configured.strip():
        return configured.strip()
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers) or no USER variable
        return "reviewer"


def ensure_user(session: Session, login: str, source: str = "desk", role: Role | None = None) -> Actor:
    """The user called ``login``, created if new. A new person gets ``role`` only while the
    desk has no admin yet (the person setting it up); after that they join as a reviewer."""
    user = session.scalar(select(User).where(User.login == login))
    if user is None:
        has_admin = session.scalar(select(User.id).where(User.role == Role.ADMIN).limit(1))
        role = Role.REVIEWER if has_admin else (role or Role.ADMIN)
        user = User(login=login, display_name=login, role=role)
        session.add(user)
        session.flush()
        audit.record(
            session,
            actor=login,
            source=source,
            action="user.created",
            entity="user",
            entity_id=user.id,
            detail={"role": role},
        )
    return Actor(user_id=user.id, login=user.login, role=Role(user.role))
