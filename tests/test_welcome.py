"""The first start: the welcome asks where the reviews live and takes an optional AI key; the
choice is saved (the key to the keyring, never to the settings file)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from app.paths import AppPaths
from app.runtime import Runtime
from app.secrets import AI_API_KEY, DATABASE_PASSWORD, delete_secret, get_secret
from app.settings import Settings
from tests.fit import assert_fits, show_on_laptop
from tests.helpers import run_async
from ui.dialogs.welcome import WelcomeDialog
from ui.startup import _welcome
from ui.tasks import TaskRunner


def runtime_in(tmp_path: Path) -> Runtime:
    paths = AppPaths(tmp_path / "d", tmp_path / "c", tmp_path / "l")
    return Runtime(paths, Settings(), f"sqlite:///{paths.default_database_file}")


def answer_welcome(qtbot, fill) -> None:  # noqa: ANN001 (a callable taking the dialog)
    qtbot.waitUntil(lambda: any(d.isVisible() for d in _dialogs()))
    dialog = next(d for d in _dialogs() if d.isVisible())
    fill(dialog)


def _dialogs() -> list[WelcomeDialog]:
    from PySide6.QtWidgets import QApplication

    return [w for w in QApplication.topLevelWidgets() if isinstance(w, WelcomeDialog)]


def test_the_first_start_asks_where_reviews_live_and_keeps_the_key_in_the_keyring(qtbot, qloop, tmp_path: Path) -> None:
    runtime = runtime_in(tmp_path)
    args = argparse.Namespace()
    assert runtime.first_start(args)

    def fill(dialog: WelcomeDialog) -> None:
        dialog.shared.setChecked(True)
        dialog._accept()
        assert "Enter the shared database's URL" in dialog.problem.text()
        dialog.url.setText("postgresql+psycopg://sam@db.example/reviews")
        dialog.password.setText("pw-typed-at-welcome")
        dialog.ai_key.setText("sk-test-welcome")
        dialog._accept()

    runner = TaskRunner()
    task = qloop.create_task(_welcome(runtime, runner, args))
    answer_welcome(qtbot, fill)
    assert run_async(qtbot, task) is False  # a shared database: no demo data
    text = runtime.paths.settings_file.read_text()
    saved = json.loads(text)
    assert saved["database_url"] == "postgresql+psycopg://sam@db.example/reviews"
    assert runtime.database_url == "postgresql+psycopg://sam:pw-typed-at-welcome@db.example/reviews"  # memory only
    assert "sk-test-welcome" not in text and "pw-typed-at-welcome" not in text
    assert get_secret(AI_API_KEY) == "sk-test-welcome" and saved["ai_key_in_keyring"] is True
    assert get_secret(DATABASE_PASSWORD) == "pw-typed-at-welcome" and saved["database_password_in_keyring"] is True
    assert not runtime.first_start(args)  # the welcome comes once
    run_async(qtbot, runner.shutdown())
    delete_secret(DATABASE_PASSWORD)


def test_a_password_typed_into_the_address_goes_to_the_keyring_too(qtbot, qloop, tmp_path: Path) -> None:
    runtime = runtime_in(tmp_path)

    def fill(dialog: WelcomeDialog) -> None:
        dialog.shared.setChecked(True)
        dialog.url.setText("mysql://sam:pw-in-the-url@db.example/reviews")
        dialog._accept()

    runner = TaskRunner()
    task = qloop.create_task(_welcome(runtime, runner, argparse.Namespace()))
    answer_welcome(qtbot, fill)
    run_async(qtbot, task)
    run_async(qtbot, runner.shutdown())
    assert "pw-in-the-url" not in runtime.paths.settings_file.read_text()
    assert json.loads(runtime.paths.settings_file.read_text())["database_url"] == "mysql://sam@db.example/reviews"
    assert get_secret(DATABASE_PASSWORD) == "pw-in-the-url"
    assert Runtime.create(paths=runtime.paths).database_url == "mysql://sam:pw-in-the-url@db.example/reviews"
    delete_secret(DATABASE_PASSWORD)


def test_the_welcome_fits_a_laptop_screen(qtbot) -> None:
    dialog = WelcomeDialog()
    qtbot.addWidget(dialog)
    dialog.shared.setChecked(True)
    show_on_laptop(qtbot, dialog)
    assert_fits(dialog)


def test_on_this_computer_with_demo_data_and_no_key(qtbot, qloop, tmp_path: Path) -> None:
    runtime = runtime_in(tmp_path)
    key_before = get_secret(AI_API_KEY)
    runner = TaskRunner()
    task = qloop.create_task(_welcome(runtime, runner, argparse.Namespace()))
    answer_welcome(qtbot, lambda dialog: dialog._accept())
    assert run_async(qtbot, task) is True
    run_async(qtbot, runner.shutdown())
    assert runtime.database_url.startswith("sqlite:///") and get_secret(AI_API_KEY) == key_before
    assert not runtime_in(tmp_path).first_start(argparse.Namespace(db="sqlite:///x"))
