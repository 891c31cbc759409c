"""The desk's view of pauses: the active ones (for the queue's "held" marks, the status bar
and the board), the auto-pause rules' outcome after polls, and the supervisor's commands.
Every database call is a desk operation (``app.desk.pauses``) on the database lane; what it
changed, refusals included, comes back as ``Changes`` for the desk's dispatcher."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from app import words
from app.desk import pauses as ops
from app.desk.changes import Changes, Notice
from app.desk.types import Database, Pause
from app.identity import Actor
from app.services.errors import ActionRefused
from app.services.pauses import PauseRequest
from ui.tasks import TaskRunner

RULES_EVERY_S = 60.0  # the rules read a day of history: once a minute is soon enough


class PauseController(QObject):
    changed = Signal(object)  # Changes: the active pauses when they changed, and notices

    def __init__(self, runner: TaskRunner, database: Database, actor: Actor, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner, self.database, self.actor = runner, database, actor
        self.active: list[Pause] = []
        self._rules_at = 0.0

    # --- after each poll --------------------------------------------------------------------

    def rules_due(self) -> bool:
        """Whether this poll's cycle runs the auto-pause rules (counted as run from now)."""
        due = time.monotonic() - self._rules_at >= RULES_EVERY_S
        if due:
            self._rules_at = time.monotonic()
        return due

    def read_history(self) -> list[Pause]:
        return ops.history(self.database)

    def show(self, pauses: list[Pause], tripped: list[int] | None = None) -> None:
        """The active pauses as a poll read them (on the GUI thread); the ones a rule just made
        are said."""
        notices: tuple[Notice, ...] = ()
        if tripped:
            names = "; ".join(
                f"{words.paused(p.scope, p.key, p.label)} ({p.reason})" for p in pauses if p.id in tripped
            )
            notices = (
                Notice(
                    f"Automation paused by a rule: {names}. Nothing there leaves until a "
                    "supervisor resumes it (Pauses, Ctrl+P).",
                    "warning",
                ),
            )
        if pauses != self.active or notices:
            self.active = pauses
            self.changed.emit(Changes(pauses=tuple(pauses), notices=notices, background=True))  # the desk's own news

    async def refresh(self) -> None:
        self.show(await self.runner.read(ops.active, self.database))

    # --- the supervisor's commands ---------------------------------------------------------

    def pause(self, request: PauseRequest) -> asyncio.Task[bool] | None:
        return self.runner.spawn(self._command(lambda: ops.start_pause(self.database, self.actor, request)), "pausing")

    def verify(self, pause_id: int, note: str) -> asyncio.Task[bool] | None:
        return self.runner.spawn(
            self._command(lambda: ops.verify_pause(self.database, self.actor, pause_id, note)),
            "recording a verification",
        )

    def resume(self, pause_id: int) -> asyncio.Task[bool] | None:
        return self.runner.spawn(
            self._command(lambda: ops.resume_pause(self.database, self.actor, pause_id)), "resuming"
        )

    async def _command(self, call: Callable[[], Changes]) -> bool:
        try:
            changes = await self.runner.db(call)
        except ActionRefused as refusal:
            self.changed.emit(Changes(notices=(Notice(str(refusal), "warning"),)))
            return False
        self.active = list(changes.pauses or ())
        self.changed.emit(changes)
        return True
