"""Starting and stopping the desktop desk under qasync."""

from __future__ import annotations

import argparse
import asyncio
import logging

import qasync
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QMessageBox

from app.runtime import Runtime
from ui.application import make_application
from ui.main_window import MainWindow
from ui.queue_controller import DeskContext, QueueController
from ui.queue_model import QueueTableModel
from ui.tasks import TaskRunner

log = logging.getLogger(__name__)


class Desk:
    """The running desk: task runner, queue model, controller, window and poll timer."""

    def __init__(self, context: DeskContext, poll_interval_s: float, runner: TaskRunner) -> None:
        self.context = context
        self.runner = runner
        self.model = QueueTableModel()
        self.controller = QueueController(self.runner, self.model, context)
        actor = context.actor
        self.window = MainWindow(
            self.controller,
            database_label=context.database.display_url,
            user_label=f"{actor.login} ({actor.role})",
        )
        self.poll_timer = QTimer()
        self.poll_timer.setObjectName("pollTimer")
        self.poll_timer.setInterval(int(poll_interval_s * 1000))
        self.poll_timer.timeout.connect(self.controller.poll)

    def start(self) -> None:
        self.window.show()
        self.controller.refresh()
        self.controller.poll()
        self.poll_timer.start()

    async def stop(self) -> None:
        """Stop polling, let work under way finish, close the database, end the worker."""
        self.poll_timer.stop()
        await self.runner.idle()
        await self.runner.db(self.context.database.dispose)
        await self.runner.shutdown()


async def _await_dialog(box: QMessageBox) -> None:
    done: asyncio.Future[int] = asyncio.get_running_loop().create_future()
    box.finished.connect(lambda code: done.done() or done.set_result(code))
    box.open()
    await done


async def run_desk(runtime: Runtime, args: argparse.Namespace) -> int:
    runner = TaskRunner()
    try:
        database, actor, demo = await runner.db(
            runtime.prepare_desk, getattr(args, "demo_if_empty", False)
        )
    except Exception as exc:
        log.exception("cannot open the database")
        box = QMessageBox(
            QMessageBox.Icon.Critical, "Review Desk",
            f"The database could not be opened:\n\n{exc}\n\nDetails are in {runtime.paths.log_file}",
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        await _await_dialog(box)
        await runner.shutdown()
        return 1
    if demo:
        log.info("loaded %d demo webhook events", demo)
    desk = Desk(DeskContext(database, actor, runtime.poll_config(source="desk")),
                runtime.settings.poll_interval_s, runner)
    closed: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    desk.window.closed.connect(lambda: closed.done() or closed.set_result(None))
    desk.start()
    try:
        await closed
    finally:
        await desk.stop()
    return 0


def run(runtime: Runtime, args: argparse.Namespace) -> int:
    if getattr(args, "self_test", False):
        from ui.selftest import run_self_test

        return run_self_test()
    app = make_application()
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    try:
        return loop.run_until_complete(run_desk(runtime, args))
    finally:
        loop.close()
        asyncio.set_event_loop(None)
