"""A database that does not open never ends the desk: the recovery dialog says what failed,
retries, takes a corrected address and password, or opens this computer's database; only
Quit ends it. A chosen address is saved once it opened, its password in the keyring."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import signal
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from app.database_address import split_password, with_password
from app.database_failure import explain
from app.paths import AppPaths
from app.runtime import Runtime, local_database_url
from app.secrets import DATABASE_PASSWORD, delete_secret, get_secret
from app.settings import Settings, save_settings
from tests.databases import fresh_database, require_server
from tests.fit import assert_fits, show_on_laptop
from tests.helpers import run_async
from ui.dialogs.recovery import RecoveryDialog
from ui.main_window import MainWindow
from ui.startup import _open_database, run_desk
from ui.tasks import TaskRunner

SECRET = "typo-password-91"
CLOSED_PORT = f"postgresql://sam:{SECRET}@127.0.0.1:9/reviews"


def runtime_at(tmp_path: Path, url: str, **settings: Any) -> Runtime:
    paths = AppPaths(tmp_path / "d", tmp_path / "c", tmp_path / "l")
    paths.ensure()
    return Runtime(paths, Settings(**settings), url)


def visible_recovery(qtbot: Any) -> RecoveryDialog:
    def shown() -> list[RecoveryDialog]:
        return [w for w in QApplication.topLevelWidgets() if isinstance(w, RecoveryDialog) and w.isVisible()]

    qtbot.waitUntil(lambda: bool(shown()))
    return shown()[0]


def click(qtbot: Any, button: QWidget) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_a_retry_that_fails_keeps_the_dialog_and_this_computers_database_opens(qtbot, qloop, tmp_path: Path) -> None:
    runtime = runtime_at(tmp_path, CLOSED_PORT)
    runner = TaskRunner()
    task = qloop.create_task(_open_database(runtime, runner, False))
    dialog = visible_recovery(qtbot)
    assert dialog.headline.text() == "The database server at 127.0.0.1:9 did not answer."
    assert dialog.address.text() == "Address: postgresql://sam:***@127.0.0.1:9/reviews"
    click(qtbot, dialog.retry)
    qtbot.waitUntil(lambda: "still not open" in dialog.status.text())
    assert dialog.isVisible() and not task.done() and dialog.retry.isEnabled()
    assert not runtime.paths.settings_file.exists()  # nothing is saved until something opened

    click(qtbot, dialog.local)
    database, demo = run_async(qtbot, task)
    try:
        assert database.backend == "sqlite" and database.url.database == str(runtime.paths.default_database_file)
        assert demo == 0 and not dialog.isVisible()
        assert runtime.database_url == local_database_url(runtime.paths)
        assert json.loads(runtime.paths.settings_file.read_text())["database_url"] == ""  # SQLite from now on
    finally:
        run_async(qtbot, runner.db(database.dispose))
        run_async(qtbot, runner.shutdown())


def test_a_corrected_password_opens_the_shared_database_and_stays_out_of_files_and_logs(
    qtbot, qloop, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    require_server("postgresql")
    with fresh_database("postgresql", str(tmp_path)) as url:
        bare, password = split_password(url)
        runtime = runtime_at(tmp_path, with_password(bare, SECRET))
        runner = TaskRunner()
        task = qloop.create_task(_open_database(runtime, runner, False))
        dialog = visible_recovery(qtbot)
        assert "did not let review_desk in: wrong user name or password" in dialog.headline.text()
        click(qtbot, dialog.edit)
        assert dialog.url_field.text() == bare and dialog.password_field.text() == ""
        dialog.password_field.setText(password)
        click(qtbot, dialog.connect_button)
        database, _ = run_async(qtbot, task)
        run_async(qtbot, runner.db(database.dispose))
        run_async(qtbot, runner.shutdown())
        try:
            assert database.backend == "postgresql"
            text = runtime.paths.settings_file.read_text()
            assert json.loads(text)["database_url"] == bare
            assert f":{password}@" not in text and SECRET not in text
            assert get_secret(DATABASE_PASSWORD) == password
            assert split_password(Runtime.create(paths=runtime.paths).database_url) == (bare, password)
            assert "database not opened at" in caplog.text and "(access denied)" in caplog.text
            assert SECRET not in caplog.text and f":{password}@" not in caplog.text
        finally:
            delete_secret(DATABASE_PASSWORD)


def test_quit_is_the_only_way_out_and_saves_nothing(qtbot, qloop, tmp_path: Path) -> None:
    runtime = runtime_at(tmp_path, f"postgres ql://sam:{SECRET}@server/reviews")
    runner = TaskRunner()
    task = qloop.create_task(_open_database(runtime, runner, False))
    dialog = visible_recovery(qtbot)
    assert dialog.headline.text() == "The database address is not one the desk can use."
    assert SECRET not in dialog.address.text()
    click(qtbot, dialog.quit)
    assert run_async(qtbot, task) is None
    run_async(qtbot, runner.shutdown())
    assert not runtime.paths.settings_file.exists()


def test_connecting_is_visible_and_the_dialog_fits_a_laptop(qtbot, qloop, tmp_path: Path) -> None:
    go_on = asyncio.Event()
    tried: list[str] = []

    async def attempt(url: str):  # noqa: ANN202 (the dialog's Attempt)
        tried.append(url)
        await go_on.wait()
        return explain(RuntimeError("still refused"), url)

    runner = TaskRunner()
    failure = explain(ConnectionRefusedError("refused"), CLOSED_PORT)
    dialog = RecoveryDialog(failure, CLOSED_PORT, "sqlite:///x.db", tmp_path / "desk.log", attempt, runner)
    qtbot.addWidget(dialog)
    show_on_laptop(qtbot, dialog)
    assert_fits(dialog)
    click(qtbot, dialog.edit)
    qtbot.waitUntil(dialog.url_field.isVisible)
    assert_fits(dialog)
    dialog.url_field.setText("postgresql://sam:inline-pw-42@127.0.0.1:5433/reviews")
    click(qtbot, dialog.connect_button)
    assert dialog.busy.isVisible() and dialog.status.text().startswith("Connecting to postgresql://sam:***@")
    assert not dialog.retry.isEnabled() and not dialog.local.isEnabled() and dialog.quit.isEnabled()
    qtbot.waitUntil(lambda: bool(tried))
    assert tried == ["postgresql://sam:inline-pw-42@127.0.0.1:5433/reviews"] and dialog.busy.isVisible()
    go_on.set()
    qtbot.waitUntil(dialog.retry.isEnabled)
    assert not dialog.busy.isVisible() and "still not open" in dialog.status.text()
    assert dialog.detail.text() == "The database said: still refused" and dialog.isVisible()
    run_async(qtbot, runner.shutdown())


def test_run_desk_opens_the_desk_on_this_computers_database_after_a_failure(
    qtbot, qloop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run_desk installs the crash handler
    monkeypatch.setattr(signal, "signal", lambda *_: None)  # and a SIGTERM handler: not in pytest
    runtime = runtime_at(tmp_path, CLOSED_PORT, user_login="tester", database_url=split_password(CLOSED_PORT)[0])
    save_settings(runtime.settings, runtime.paths.settings_file)
    task = qloop.create_task(run_desk(runtime, argparse.Namespace()))
    dialog = visible_recovery(qtbot)
    click(qtbot, dialog.retry)
    qtbot.waitUntil(lambda: "still not open" in dialog.status.text())
    assert not task.done()
    click(qtbot, dialog.local)

    def desk_window() -> MainWindow | None:
        return next((w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()), None)

    qtbot.waitUntil(lambda: desk_window() is not None)
    assert json.loads(runtime.paths.settings_file.read_text())["database_url"] == ""
    qtbot.waitUntil(lambda: f"desk ready for tester on sqlite:///{runtime.paths.default_database_file}" in caplog.text)
    window = desk_window()
    window.close()
    assert run_async(qtbot, task) == 0
    window.deleteLater()
