"""The desk's view of pauses: the active ones (for the queue's "held" marks, the status bar
and the board), the auto-pause rules after polls, and the supervisor's commands. Every
database call runs on the desk's worker threads; refusals come back as notices."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from app.identity import Actor
from app.services import auto_pause
from app.services.errors import ActionRefused
from app.services.pauses import PauseRequest, pause, record_verification, resume
from db.engine import Database
from db.queries.pauses import Pause, active_pauses, pause_history
from ui.tasks import TaskRunner

RULES_EVERY_S = 60.0  # the rules read a day of history: once a minute is soon enough


class PauseController(QObject):
    changed = Signal(list)  # the active pauses (list[Pause])
    notice = Signal(str, str)  # message, level

    def __init__(self, runner: TaskRunner, database: Database, actor: Actor, on_duty: str = "",
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner, self.database, self.actor, self.on_duty = runner, database, actor, on_duty
        self.active: list[Pause] = []
        self._rules_at = 0.0

    # --- reading (after each poll) ------------------------------------------------------

    def check_rules_due(self) -> bool:
        return time.monotonic() - self._rules_at >= RULES_EVERY_S

    def run_rules(self) -> list[int]:
        """On the database thread: the auto-pause rules; the ids of the pauses they made."""
        self._rules_at = time.monotonic()
        return auto_pause.check(self.database, "desk", self.on_duty)

    def read_active(self) -> list[Pause]:
        with self.database.read() as session:
            return active_pauses(session)

    def read_history(self) -> list[Pause]:
        with self.database.read() as session:
            return pause_history(session)

    def show(self, pauses: list[Pause], tripped: list[int] | None = None) -> None:
        """New active pauses from a poll (on the GUI thread)."""
        if tripped:
            names = "; ".join(f"{p.label} ({p.reason})" for p in pauses if p.id in tripped)
            self.notice.emit(f"Automation paused by a rule: {names}. Nothing there leaves until a "
                             "supervisor resumes it (Pauses, Ctrl+P).", "warning")
        if pauses != self.active:
            self.active = pauses
            self.changed.emit(pauses)

    async def refresh(self) -> None:
        self.show(await self.runner.read(self.read_active))

    # --- the supervisor's commands ---------------------------------------------------------

    def pause(self, request: PauseRequest) -> asyncio.Task[bool] | None:
        return self.runner.spawn(self._command(lambda: pause(self.database, self.actor, request),
                                               "Paused: nothing it covers leaves until it is resumed."),
                                 "pausing")

    def verify(self, pause_id: int, note: str) -> asyncio.Task[bool] | None:
        return self.runner.spawn(self._command(
            lambda: record_verification(self.database, self.actor, pause_id, note),
            "Verification recorded: the pause can be resumed."), "recording a verification")

    def resume(self, pause_id: int) -> asyncio.Task[bool] | None:
        return self.runner.spawn(self._command(
            lambda: resume(self.database, self.actor, pause_id),
            "Resumed: what it held leaves in its order on the next poll."), "resuming")

    async def _command(self, call: Callable[[], Any], done: str) -> bool:
        try:
            await self.runner.db(call)
        except ActionRefused as refusal:
            self.notice.emit(str(refusal), "warning")
            return False
        self.notice.emit(done, "info")
        await self.refresh()
        return True
