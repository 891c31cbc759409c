"""Starting the desktop: the first-start welcome, who is reviewing, opening the database (with
the recovery dialog when it does not open), then the desk until its window closes (and the
probe bench/startup.py times)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
from dataclasses import replace
from typing import TYPE_CHECKING

import qasync
from PySide6.QtCore import QTimer

from app.ai.config import AiConfig
from app.crm.adapters import Adapter
from app.database_address import remember_address, split_password, with_password
from app.desk.lookups import user_rows
from app.desk.types import Database
from app.identity import Actor
from app.runtime import Runtime, local_database_url
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

if TYPE_CHECKING:  # loaded when a database does not open
    from app.database_failure import DatabaseFailure

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
        await _keep_address(runtime, runner, choice.database_url, choice.database_password)
    await runner.io(save_settings, runtime.settings, runtime.paths.settings_file)
    return choice.demo or getattr(args, "demo_if_empty", False)


async def _keep_address(runtime: Runtime, runner: TaskRunner, url: str, password: str | None = None) -> None:
    """Use the database at ``url`` from now on: the settings name it, its password goes to the
    keyring (without one, it serves this session from memory and is asked for again next
    time). The caller saves the settings."""
    try:
        runtime.settings = await runner.io(remember_address, runtime.settings, url, password)
    except SecretsUnavailable as exc:
        log.warning("database password not kept: %s", exc)
        bare = split_password(url)[0]
        runtime.settings = replace(runtime.settings, database_url=bare, database_password_in_keyring=False)
    runtime.database_url = with_password(url, password)


async def _open_database(runtime: Runtime, runner: TaskRunner, demo_wanted: bool) -> tuple[Database, int] | None:
    """Open the database; when it does not open, the recovery dialog until it does (or the
    person quits: None). An address chosen there is saved once it has opened."""
    try:
        return await runner.db(runtime.open_for_desk, demo_wanted)
    except Exception as exc:
        failure = _explained(exc, runtime.database_url)
    from ui.dialogs.recovery import RecoveryDialog

    opened: list[tuple[Database, int, str]] = []

    async def attempt(url: str) -> DatabaseFailure | None:
        try:
            database, demo = await runner.db(replace(runtime, database_url=url).open_for_desk, demo_wanted)
        except Exception as exc:
            return _explained(exc, url)
        opened.append((database, demo, url))
        return None

    local = local_database_url(runtime.paths)
    dialog = RecoveryDialog(failure, runtime.database_url, local, runtime.paths.log_file, attempt, runner)
    accepted = await run_dialog(dialog) == RecoveryDialog.DialogCode.Accepted
    await runner.idle()  # an attempt under way when the person quit ends first
    if not accepted:
        for database, _, _ in opened:
            await runner.db(database.dispose)
        return None
    database, demo, url = opened[-1]
    if url != runtime.database_url:
        await _keep_address(runtime, runner, "" if url == local else url)  # "": this computer's
        runtime.database_url = url
        await runner.io(save_settings, runtime.settings, runtime.paths.settings_file)
    return database, demo


def _explained(exc: Exception, url: str) -> DatabaseFailure:
    from app.database_failure import FailureKind, explain

    failure = explain(exc, url)
    # The kind and the driver's words, masked; a traceback only when the cause is not known.
    log.warning(
        "database not opened at %s (%s): %s",
        failure.address,
        failure.kind,
        failure.detail,
        exc_info=exc if failure.kind is FailureKind.OTHER else None,
    )
    return failure


async def run_desk(runtime: Runtime, args: argparse.Namespace) -> int:
    runner = TaskRunner()
    demo_wanted: bool | None = getattr(args, "demo_if_empty", False)
    if runtime.first_start(args):
        demo_wanted = await _welcome(runtime, runner, args)
        if demo_wanted is None:
            await runner.shutdown()
            return 0
    opened = await _open_database(runtime, runner, bool(demo_wanted))
    if opened is None:
        await runner.shutdown()
        return 0
    database, demo = opened
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
    if demo:
        from app.demo_team import join_demo_roster  # only on a first start with demo data

        await runner.db(join_demo_roster, database, actor.user_id)

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
        UnsavedEdits(runtime.paths.data_dir / "unsaved", actor.login),
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
