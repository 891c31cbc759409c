"""The supervisor's pause commands from the menus and the toolbar: the pause board, and
pausing the open item's workflow or client (asking why first)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.desk import lookups
from app.desk.types import Database
from db.vocab import PauseScope
from ui.dialogs.awaiting import show_then_delete
from ui.pauses.board import PauseBoard, ask_and_pause
from ui.pauses.controller import PauseController
from ui.pauses.new_pause import PauseChoices
from ui.review.session import ReviewSession
from ui.tasks import TaskRunner


class PauseCommands:
    def __init__(
        self,
        runner: TaskRunner,
        database: Database,
        pauses: PauseController,
        session: ReviewSession,
        window: QWidget,
    ) -> None:
        self.runner, self.database, self.pauses = runner, database, pauses
        self.session, self.window = session, window

    async def choices(self) -> PauseChoices:
        return PauseChoices(
            await self.runner.read(lookups.client_choices, self.database),
            [c.value for c in lookups.provider_choices()],
            await self.runner.read(lookups.account_choices, self.database),
        )

    def open_board(self) -> None:
        board = PauseBoard(self.pauses, self.choices, self.window)
        loading = self.runner.spawn(board.load(), "reading the pauses")
        self.runner.spawn(show_then_delete(board, loading), "showing the pauses")

    def pause_workflow(self) -> None:
        self.pause_current(PauseScope.WORKFLOW)

    def pause_client(self) -> None:
        self.pause_current(PauseScope.CLIENT)

    def pause_current(self, scope: PauseScope) -> None:
        """Pause the open item's workflow or client (asks why first)."""
        detail = self.session.current
        if detail is None:
            return
        key = detail.workflow if scope == PauseScope.WORKFLOW else str(detail.client_id)
        self.runner.spawn(self._pause_current(scope, key), "asking what to pause")

    async def _pause_current(self, scope: PauseScope, key: str) -> None:
        await ask_and_pause(self.pauses, await self.choices(), self.window, scope, key)
