"""Whether a person has a desk open: the desk's heartbeat writes ``users.desk_seen_at`` (see
``app.owner_alerts.PRESENCE_WINDOW``), and closing the desk clears it, so an alert after the
desk closed reaches them by their alert channel at once instead of a window later.

Not audited: a heartbeat every minute is no decision of anybody's, and the claim heartbeats
are not audited either; the column holds the one fact that matters, the newest beat.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update

from db.engine import Database
from db.models import User


def mark_desk_seen(database: Database, user_id: int, now: datetime) -> None:
    with database.write() as session:
        session.execute(update(User).where(User.id == user_id).values(desk_seen_at=now))


def mark_desk_closed(database: Database, user_id: int) -> None:
    with database.write() as session:
        session.execute(update(User).where(User.id == user_id).values(desk_seen_at=None))
