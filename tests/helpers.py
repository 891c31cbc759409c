"""Helpers shared by tests: a user at the desk, and awaiting a coroutine under pytest-qt."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any

from app.identity import Actor, ensure_user
from db.engine import Database
from db.models import User
from db.vocab import Role


def make_actor(database: Database, login: str = "tester") -> Actor:
    with database.write() as session:
        return ensure_user(session, login)


def make_admin(database: Database, login: str = "sam") -> Actor:
    """The desk's admin (the first one in a database gets the role)."""
    with database.write() as session:
        return ensure_user(session, login, role=Role.ADMIN)


def actor_with(database: Database, login: str, role: Role) -> Actor:
    """A user with ``role`` whatever the desk's first-user rule would give them."""
    actor = make_actor(database, login)
    with database.write() as session:
        session.get(User, actor.user_id).role = role
    return Actor(actor.user_id, login, role)


def run_async(qtbot: Any, coro: Coroutine[Any, Any, Any]) -> Any:
    """Run a coroutine on the qasync loop while Qt processes events; return its result."""
    task = asyncio.ensure_future(coro)
    qtbot.waitUntil(task.done)
    return task.result()
