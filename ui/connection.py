"""Watching the database connection: a lost connection is shown in the notice bar and retried."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import QObject, QTimer, Signal

from app.desk.connection import is_connection_error, ping
from app.desk.types import Database
from ui.tasks import TaskRunner

RETRY_MS = 5000


class ConnectionMonitor(QObject):
    changed = Signal(bool)  # connected?

    def __init__(self, runner: TaskRunner, database: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.database = database
        self.connected = True
        self._retry = QTimer(self)
        self._retry.setObjectName("reconnect")
        self._retry.setInterval(RETRY_MS)
        self._retry.timeout.connect(self.probe)

    def lost(self) -> None:
        if self.connected:
            self.connected = False
            self.changed.emit(False)
        if not self._retry.isActive():
            self._retry.start()

    def probe(self) -> asyncio.Task[None] | None:
        return self.runner.spawn(self._probe(), "checking the database connection")

    async def _probe(self) -> None:
        try:
            await self.runner.read(ping, self.database)
        except Exception as exc:
            if is_connection_error(exc):
                return  # still down; the timer tries again
            raise
        self._retry.stop()
        if not self.connected:
            self.connected = True
            self.changed.emit(True)

    def stop(self) -> None:
        self._retry.stop()
