"""Pauses as the desk shows and changes them: the active ones, the history, the supervisor's
commands (each returning ``Changes`` with the pauses as they are now)."""

from __future__ import annotations

from app.desk.changes import Changes, Notice
from app.identity import Actor
from app.services.pauses import PauseRequest, pause, record_verification, resume
from db.engine import Database
from db.queries.pauses import Pause, active_pauses, pause_history


def active(database: Database) -> list[Pause]:
    with database.read() as session:
        return active_pauses(session)


def history(database: Database) -> list[Pause]:
    with database.read() as session:
        return pause_history(session)


def _now_active(database: Database, text: str) -> Changes:
    return Changes(pauses=tuple(active(database)), queue=True, notices=(Notice(text),))


def start_pause(database: Database, actor: Actor, request: PauseRequest) -> Changes:
    pause(database, actor, request)
    return _now_active(database, "Paused: nothing it covers leaves until it is resumed.")


def verify_pause(database: Database, actor: Actor, pause_id: int, note: str) -> Changes:
    record_verification(database, actor, pause_id, note)
    return _now_active(database, "Verification recorded: the pause can be resumed.")


def resume_pause(database: Database, actor: Actor, pause_id: int) -> Changes:
    resume(database, actor, pause_id)
    return _now_active(database, "Resumed: what it held leaves in its order on the next poll.")
