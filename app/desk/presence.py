"""The desk's heartbeat (``ui.presence``): the person at this desk has it open, or closed it."""

from __future__ import annotations

from app.desk.changes import Changes
from app.identity import Actor
from app.services import presence
from db.engine import Database
from db.types import utcnow


def desk_seen(database: Database, actor: Actor) -> Changes:
    presence.mark_desk_seen(database, actor.user_id, utcnow())
    return Changes(background=True)


def desk_closed(database: Database, actor: Actor) -> Changes:
    presence.mark_desk_closed(database, actor.user_id)
    return Changes(background=True)
