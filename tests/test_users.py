"""Roles: only an admin changes them; a refused attempt is audited; the desk keeps an admin."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.identity import Actor
from app.services.errors import ActionRefused
from app.services.users import set_role
from db.engine import Database
from db.models import AuditEntry, User
from db.vocab import Role
from tests.helpers import make_actor


def test_only_an_admin_changes_roles_and_the_last_admin_stays(database: Database) -> None:
    admin = make_actor(database, "owner")
    riley = make_actor(database, "riley")
    assert (admin.role, riley.role) == (Role.ADMIN, Role.REVIEWER)
    with pytest.raises(ActionRefused, match="Only admins can do that"):
        set_role(database, riley, riley.user_id, Role.ADMIN)
    with database.read() as session:
        refused = session.scalars(select(AuditEntry).where(AuditEntry.action == "user.set_role")).all()
        assert len(refused) == 1 and refused[0].outcome == "refused" and refused[0].actor == "riley"
    set_role(database, admin, riley.user_id, Role.SUPERVISOR)
    with pytest.raises(ActionRefused, match="at least one admin"):
        set_role(database, admin, admin.user_id, Role.REVIEWER)
    with database.read() as session:
        assert session.get(User, riley.user_id).role == Role.SUPERVISOR
    assert isinstance(admin, Actor)
