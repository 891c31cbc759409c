"""The settings dialog: secrets to the keyring (never the file), and working test buttons."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt

from app.database_address import split_password
from app.paths import AppPaths
from app.runtime import Runtime
from app.secrets import AI_API_KEY, DATABASE_PASSWORD, delete_secret, get_secret, set_secret
from app.settings import Settings, load_settings, save_settings
from db.engine import Database
from tests.databases import PG_ADMIN_URL, require_server
from tests.desk_fixtures import DeskFactory
from tests.fake_openai import fake_openai
from tests.fit import assert_fits, show_on_laptop
from tests.helpers import run_async
from ui.dialogs.settings import SettingsDialog
from ui.tasks import TaskRunner


def test_settings_save_secrets_to_the_keyring_and_the_rest_to_the_file(
    qtbot, make_desk: DeskFactory, sqlite_database: Database, tmp_path: Path
) -> None:
    desk = make_desk(sqlite_database, events=5)
    settings_file = tmp_path / "settings.json"
    desk.context = desk.context.__class__(
        **{**desk.context.__dict__, "save_settings": lambda s: save_settings(s, settings_file)}
    )
    qtbot.keyClick(desk.window.queue, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: any(d.isVisible() for d in desk.window.findChildren(SettingsDialog)))
    dialog = next(d for d in desk.window.findChildren(SettingsDialog) if d.isVisible())
    dialog.ai_model.setText("llama3.1")
    dialog.ai_key.setText("sk-test-not-a-real-key")
    dialog.undo_window.setValue(30)
    dialog.crm_adapter.setCurrentIndex(dialog.crm_adapter.findData("outbox"))
    dialog.crm_result.setText("")
    dialog._test_crm()
    qtbot.waitUntil(lambda: dialog.crm_result.text().startswith("✓ Handoffs will be written to"))
    dialog.database_url.setText(str(sqlite_database.url))
    dialog._test_database()
    qtbot.waitUntil(lambda: dialog.database_result.text().startswith("✓ Connected to sqlite"))
    with qtbot.waitSignal(dialog.finished):  # the keyring and the file are written off the GUI thread
        dialog._accept()
    saved = json.loads(settings_file.read_text())
    assert saved["ai_model"] == "llama3.1" and saved["undo_window_s"] == 30
    assert "sk-test-not-a-real-key" not in settings_file.read_text()
    assert get_secret(AI_API_KEY) == "sk-test-not-a-real-key" and saved["ai_key_in_keyring"] is True
    assert desk.session.context.undo_window.total_seconds() == 30


def test_a_failing_test_says_why(qtbot, make_desk: DeskFactory, sqlite_database: Database, tmp_path: Path) -> None:
    desk = make_desk(sqlite_database, events=5)
    dialog = SettingsDialog(Settings(), desk.runner, tmp_path, lambda s: None, desk.window)
    dialog.database_url.setText("postgresql://nobody:secret@127.0.0.1:9/none")
    dialog._test_database()
    qtbot.waitUntil(lambda: dialog.database_result.text().startswith("✗ Cannot reach"))
    assert "secret" not in dialog.database_result.text()
    dialog.deleteLater()


def test_ai_settings_are_tested_saved_and_take_effect_without_a_restart(
    qtbot, make_desk: DeskFactory, sqlite_database: Database, tmp_path: Path
) -> None:
    desk = make_desk(sqlite_database, events=5)
    assert not desk.window.actions_.regenerate.isEnabled()
    runtime = Runtime(AppPaths(tmp_path / "d", tmp_path / "c", tmp_path / "l"), Settings(), str(sqlite_database.url))
    desk.context = replace(desk.context, load_ai=lambda s: replace(runtime, settings=s).ai_config())
    with fake_openai() as server:
        dialog = SettingsDialog(desk.context.settings, desk.runner, tmp_path, lambda s: None, desk.window)
        dialog.saved.connect(desk._apply_settings)
        dialog.ai_base_url.setText(server.base_url)
        dialog.ai_model.setText("test-model")
        dialog._test_ai()
        qtbot.waitUntil(lambda: dialog.ai_result.text().startswith("✓"))
        assert "test-model is available" in dialog.ai_result.text()
        dialog.ai_concurrency.setValue(2)
        dialog.ai_timeout.setValue(12)
        dialog.ai_output_mode.setCurrentIndex(dialog.ai_output_mode.findData("json_object"))
        dialog.ai_redact.setChecked(False)
        dialog._accept()
        qtbot.waitUntil(
            lambda: desk.window.actions_.regenerate.isEnabled() and desk.window.ai_label.text().startswith("AI")
        )
    ai = desk.context.ai
    assert (ai.base_url, ai.model, ai.concurrency, ai.timeout_s, ai.structured, ai.redact_pii) == (
        server.base_url,
        "test-model",
        2,
        12,
        "json_object",
        False,
    )
    assert desk.drafting.enabled


def test_crm_mappings_are_checked_before_saving(
    qtbot, make_desk: DeskFactory, sqlite_database: Database, tmp_path: Path
) -> None:
    desk = make_desk(sqlite_database, events=5)
    saved: list[Settings] = []
    dialog = SettingsDialog(Settings(), desk.runner, tmp_path, saved.append, desk.window)
    dialog.crm_per_client.setText("Brightline HVAC = salesforce")
    dialog._accept()
    assert "salesforce" in dialog.problem.text() and not saved
    dialog.crm_per_client.setText("Brightline HVAC = hubspot")
    dialog.hubspot_deals.setText("Brightline HVAC = sales/qualifiedtobuy/77")
    dialog._accept()
    qtbot.waitUntil(lambda: bool(saved))
    assert saved[0].crm_client_adapters == "Brightline HVAC = hubspot"
    assert saved[0].hubspot_deal_mapping == "Brightline HVAC = sales/qualifiedtobuy/77"


def test_the_database_password_goes_to_the_keyring_and_never_to_the_file(
    qtbot, make_desk: DeskFactory, sqlite_database: Database, tmp_path: Path
) -> None:
    desk = make_desk(sqlite_database, events=5)
    settings_file = tmp_path / "settings.json"
    dialog = SettingsDialog(
        Settings(database_url="postgresql://sam@db.example/reviews"),
        desk.runner,
        tmp_path,
        lambda s: save_settings(s, settings_file),
        desk.window,
    )
    dialog.database_url.setText("postgresql://sam:pw-in-the-url@db2.example/reviews")
    with qtbot.waitSignal(dialog.finished):
        dialog._accept()
    text = settings_file.read_text()
    assert json.loads(text)["database_url"] == "postgresql://sam@db2.example/reviews" and "pw-in-the-url" not in text
    assert get_secret(DATABASE_PASSWORD) == "pw-in-the-url" and json.loads(text)["database_password_in_keyring"]

    dialog = SettingsDialog(
        load_settings(settings_file)[0], desk.runner, tmp_path, lambda s: save_settings(s, settings_file)
    )
    run_async(qtbot, dialog.load())
    assert dialog.database_password.placeholderText() == "stored in the system keyring"
    dialog.database_password.setText("pw-typed-in-its-field")
    with qtbot.waitSignal(dialog.finished):
        dialog._accept()
    assert "pw-typed-in-its-field" not in settings_file.read_text()
    assert get_secret(DATABASE_PASSWORD) == "pw-typed-in-its-field"
    delete_secret(DATABASE_PASSWORD)


def test_the_database_test_uses_the_password_from_the_keyring(
    qtbot, make_desk: DeskFactory, sqlite_database: Database, tmp_path: Path
) -> None:
    require_server("postgresql")
    desk = make_desk(sqlite_database, events=5)
    bare, password = split_password(PG_ADMIN_URL)
    set_secret(DATABASE_PASSWORD, password)
    try:
        dialog = SettingsDialog(Settings(database_url=bare), desk.runner, tmp_path, lambda s: None, desk.window)
        assert dialog.database_url.text() == bare
        dialog._test_database()
        qtbot.waitUntil(lambda: dialog.database_result.text().startswith("✓ Connected to postgresql"))
        dialog.deleteLater()
    finally:
        delete_secret(DATABASE_PASSWORD)


def test_save_and_cancel_stay_on_a_1280x720_screen(qtbot, qloop, tmp_path: Path) -> None:
    runner = TaskRunner()
    dialog = SettingsDialog(Settings(), runner, tmp_path, lambda s: None)
    qtbot.addWidget(dialog)
    show_on_laptop(qtbot, dialog)
    assert_fits(dialog)
    run_async(qtbot, runner.shutdown())
