"""Starting the desktop: the first-start welcome, who is reviewing, opening the database,
then the desk until its window closes (and the probe bench/startup.py times)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
from dataclasses import replace

import qasync
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QMessageBox

from app.ai.config import AiConfig
from app.crm.adapters import Adapter
from app.desk.lookups import user_rows
from app.desk.types import Database
from app.identity import Actor
from app.runtime import Runtime
from app.secrets import AI_API_KEY, SecretsUnavailable, set_secret
from app.settings import Settings, save_settings
from app.unsaved import UnsavedEdits
from ui.application import make_application
from ui.crash import install_crash_handler
from ui.desktop import Desk, DeskContext
from ui.dialogs.awaiting import run_dialog
from ui.dialogs.identity import IdentityDialog
from ui.main_window import MainWindow
from ui.tasks import TaskRunner

log = logging.getLogger(__name__)


async def _ask_identity(runtime: Runtime, runner: TaskRunner, database: Database) -> Actor | None:
    """First run on a personal desk: who is reviewing? The choice is remembered."""
    dialog = IdentityDialog(await runner.read(user_rows, database), runtime.settings.user_login or _os_login())
    if await run_dialog(dialog) != IdentityDialog.DialogCode.Accepted:
        return None
    login, role = dialog.choice()
    runtime.settings = replace(runtime.settings, user_login=login)
    await runner.io(save_settings, runtime.settings, runtime.paths.settings_file)
    return await runner.db(runtime.identify, database, login, role)


def _os_login() -> str:
    from app.identity import default_login

    return default_login()


async def _welcome(runtime: Runtime, runner: TaskRunner, args: argparse.Namespace) -> bool | None:
    """The first start: where the reviews live, demo data, an AI key. Returns whether to load
    demo data, or None when the person closed the welcome (the desk then quits)."""
    from ui.dialogs.welcome import WelcomeDialog

    dialog = WelcomeDialog()
    if await run_dialog(dialog) != WelcomeDialog.DialogCode.Accepted:
        return None
    choice = dialog.choice()
    if choice.ai_key:
        try:
            await runner.io(set_secret, AI_API_KEY, choice.ai_key)
            runtime.settings = replace(runtime.settings, ai_key_in_keyring=True)
        except SecretsUnavailable as exc:
            log.warning("AI key not stored: %s", exc)
    if choice.database_url:
        runtime.settings = replace(runtime.settings, database_url=choice.database_url)
        runtime.database_url = choice.database_url
    await runner.io(save_settings, runtime.settings, runtime.paths.settings_file)
    return choice.demo or getattr(args, "demo_if_empty", False)


async def run_desk(runtime: Runtime, args: argparse.Namespace) -> int:
    runner = TaskRunner()
    demo_wanted: bool | None = getattr(args, "demo_if_empty", False)
    if runtime.first_start(args):
        demo_wanted = await _welcome(runtime, runner, args)
        if demo_wanted is None:
            await runner.shutdown()
            return 0
    try:
        database, demo = await runner.db(runtime.open_for_desk, demo_wanted)
    except Exception as exc:
        log.exception("cannot open the database")
        box = QMessageBox(
            QMessageBox.Icon.Critical,
            "Review Desk",
            f"The database could not be opened:\n\n{exc}\n\nDetails are in {runtime.paths.log_file}",
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        await run_dialog(box)
        await runner.shutdown()
        return 1
    if demo:
        log.info("loaded %d demo webhook events", demo)
    if runtime.needs_identity():
        actor = await _ask_identity(runtime, runner, database)
        if actor is None:
            await runner.db(database.dispose)
            await runner.shutdown()
            return 0
    else:
        actor = await runner.db(runtime.identify, database)

    def save(settings: Settings) -> None:
        save_settings(settings, runtime.paths.settings_file)
        runtime.settings = settings

    def load_ai(settings: Settings) -> AiConfig | None:
        return replace(runtime, settings=settings).ai_config()

    def load_crm(settings: Settings) -> Adapter | None:
        return replace(runtime, settings=settings).crm_adapter()

    ai = await runner.io(runtime.ai_config)  # the keyring
    context = DeskContext(
        database,
        actor,
        runtime.poll_config(source="desk", ai_on=ai is not None),
        runtime.settings,
        UnsavedEdits(runtime.paths.data_dir / "unsaved"),
        runtime.paths.data_dir / "outbox",
        save,
        ai,
        load_ai,
        await runner.io(runtime.crm_adapter),
        load_crm,
    )
    desk = Desk(context, runner)
    closed: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    desk.window.closed.connect(lambda: closed.done() or closed.set_result(None))
    watchdog = _close_on_terminate(desk.window)
    install_crash_handler(desk.window, runtime.paths.log_file, desk.session.save_text_now)
    if os.environ.get(STARTUP_PROBE):
        _report_first_page(desk)
    desk.start()
    log.info("desk ready for %s on %s", actor.login, database.display_url)
    try:
        await closed
    finally:
        watchdog.stop()
        await desk.stop()
    return 0


STARTUP_PROBE = "REVIEW_DESK_STARTUP_PROBE"  # bench/startup.py: report the first page, then close


def _report_first_page(desk: Desk) -> None:
    """Print ``first-page`` once the queue's first rows are painted, then close the desk."""

    def check() -> None:
        if desk.model.rowCount() and desk.model.row_at(0) is not None:
            desk.window.queue.viewport().repaint()  # painted now, not at Qt's leisure
            print("first-page", flush=True)
            QTimer.singleShot(0, desk.window.close)
        else:
            QTimer.singleShot(5, check)

    QTimer.singleShot(0, check)


def _close_on_terminate(window: MainWindow) -> QTimer:
    """SIGTERM (a logout, a service manager, a test) closes the window the normal way, so the
    open claim is given back and the database closed. Python only handles signals while
    Python code runs, hence the short timer that keeps it ticking under Qt's event loop."""
    signal.signal(signal.SIGTERM, lambda *_: QTimer.singleShot(0, window.close))
    watchdog = QTimer()
    watchdog.setInterval(250)
    watchdog.timeout.connect(lambda: None)
    watchdog.start()
    return watchdog


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
