"""Who is using the desk.

Decision: the desk always has an admin. The first person to open a database that has no
admin becomes its admin (on a laptop that is the person who installed it); everyone after
joins as a reviewer until an admin changes their role. The login is the ``user_login``
setting, or the operating-system login when that is empty.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass

from sqlalchemy import select
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


def default_login(configured: str = "") -> str:
    if configured.strip():
        return configured.strip()
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers) or no USER variable
        return "reviewer"


def ensure_user(session: Session, login: str, source: str = "desk") -> Actor:
    user = session.scalar(select(User).where(User.login == login))
    if user is None:
        has_admin = session.scalar(select(User.id).where(User.role == Role.ADMIN).limit(1))
        role = Role.REVIEWER if has_admin else Role.ADMIN
        user = User(login=login, display_name=login, role=role)
        session.add(user)
        session.flush()
        audit.record(
            session, actor=login, source=source, action="user.created", entity="user",
            entity_id=user.id, detail={"role": role},
        )
    return Actor(user_id=user.id, login=user.login, role=Role(user.role))
