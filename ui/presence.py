"""The desk's heartbeat: while the desk is open it says so every ``HEARTBEAT`` on the database
lane (never the GUI thread), and says it closed on shutdown, so owner alerts reach the person
at their desk, or by their alert channel when no desk of theirs is open (``app.owner_alerts``)."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer

from app.desk import presence
from app.desk.connection import is_connection_error
from app.desk.types import Database
from app.identity import Actor
from app.owner_alerts import HEARTBEAT
from ui.tasks import TaskRunner


class DeskPresence(QObject):
    def __init__(self, runner: TaskRunner, database: Database, actor: Actor, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner, self.database, self.actor = runner, database, actor
        self.timer = QTimer(self)
        self.timer.setObjectName("deskHeartbeat")
        self.timer.setInterval(int(HEARTBEAT.total_seconds() * 1000))
        self.timer.timeout.connect(self.beat)

    def start(self) -> None:
        """Say the desk is open now, and every heartbeat after."""
        self.timer.start()
        self.beat()

    def beat(self) -> None:
        self.runner.spawn(self._beat(), "telling the team this desk is open")

    async def _beat(self) -> None:
        try:
            await self.runner.db(presence.desk_seen, self.database, self.actor)
        except Exception as exc:
            if not is_connection_error(exc):
                raise  # a lost connection is the monitor's to report; the next beat tries again

    async def close(self) -> None:
        """Stop the heartbeat and say the desk closed (before the runner shuts down)."""
        self.timer.stop()
        try:
            await self.runner.db(presence.desk_closed, self.database, self.actor)
        except Exception as exc:
            if not is_connection_error(exc):
                raise
