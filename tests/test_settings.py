"""Settings are declared once, validated, and saved atomically; a bad file never blocks a start."""

from __future__ import annotations

import json
from pathlib import Path

import keyring
import pytest
from keyring.backends.fail import Keyring as FailKeyring

from app.paths import AppPaths
from app.runtime import Runtime
from app.secrets import AI_API_KEY, DATABASE_PASSWORD, delete_secret, get_secret, set_secret
from app.settings import Settings, load_settings, save_settings, validate


def test_every_setting_is_declared_with_a_description() -> None:
    described = Settings.describe()
    assert {name for name, *_ in described} >= {"database_url", "poll_interval_s", "max_body_bytes"}
    assert all(description for *_, description in described)


def test_invalid_values_fall_back_to_defaults_with_a_readable_problem() -> None:
    settings, problems = validate(
        {"poll_interval_s": "fast", "poll_batch_size": 0, "surprise": 1, "user_login": "riley"}
    )
    assert settings.poll_interval_s == Settings().poll_interval_s
    assert settings.poll_batch_size == Settings().poll_batch_size
    assert settings.user_login == "riley"
    assert any("poll_interval_s must be float" in p for p in problems)
    assert any("at least 1" in p for p in problems)
    assert any("unknown setting 'surprise'" in p for p in problems)


def test_an_unreadable_file_gives_defaults(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text("{ half written", encoding="utf-8")
    settings, problems = load_settings(path)
    assert settings == Settings() and "unreadable" in problems[0]


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "config" / "settings.json"
    save_settings(Settings(poll_interval_s=2.5, user_login="sam"), path)
    loaded, problems = load_settings(path)
    assert problems == [] and loaded.poll_interval_s == 2.5 and loaded.user_login == "sam"
    assert list(path.parent.iterdir()) == [path], "no temporary files left behind"
    assert json.loads(path.read_text())["user_login"] == "sam"


def test_the_keyring_is_asked_for_the_ai_key_only_when_a_key_was_saved_there(tmp_path: Path) -> None:
    """A start that has no reason to think a key is in the keyring never asks it; files
    written before the setting existed keep asking, as those desks did."""
    paths = AppPaths(tmp_path / "data", tmp_path / "config", tmp_path / "logs")
    set_secret(AI_API_KEY, "sk-in-the-keyring")
    try:
        assert Runtime.create(paths=paths).ai_api_key() is None  # no settings file: nothing saved one
        paths.settings_file.write_text(json.dumps({"user_login": "sam"}))  # an older desk's file
        assert Runtime.create(paths=paths).ai_api_key() == "sk-in-the-keyring"
        save_settings(Settings(ai_key_in_keyring=False), paths.settings_file)
        assert Runtime.create(paths=paths).ai_api_key() is None
        save_settings(Settings(ai_key_in_keyring=True), paths.settings_file)
        assert Runtime.create(paths=paths).ai_config() is not None
    finally:
        delete_secret(AI_API_KEY)


def test_a_database_password_in_an_older_settings_file_moves_to_the_keyring(tmp_path: Path) -> None:
    paths = AppPaths(tmp_path / "data", tmp_path / "config", tmp_path / "logs")
    paths.settings_file.parent.mkdir(parents=True)
    paths.settings_file.write_text(json.dumps({"database_url": "postgresql://sam:s3cret-pw@db.example/reviews"}))
    try:
        runtime = Runtime.create(paths=paths)
        assert runtime.database_url == "postgresql://sam:s3cret-pw@db.example/reviews"  # in memory only
        text = paths.settings_file.read_text()
        assert "s3cret-pw" not in text
        assert json.loads(text)["database_url"] == "postgresql://sam@db.example/reviews"
        assert get_secret(DATABASE_PASSWORD) == "s3cret-pw"
        again = Runtime.create(paths=paths)  # the next start reads it back from the keyring
        assert again.database_url == runtime.database_url and again.settings.database_password_in_keyring
        assert Runtime.create("sqlite:///elsewhere.db", paths).database_url == "sqlite:///elsewhere.db"
    finally:
        delete_secret(DATABASE_PASSWORD)


def test_without_a_keyring_the_older_file_keeps_working_and_the_log_keeps_no_secret(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    paths = AppPaths(tmp_path / "data", tmp_path / "config", tmp_path / "logs")
    paths.settings_file.parent.mkdir(parents=True)
    old = json.dumps({"database_url": "mysql://sam:s3cret-pw@db.example/reviews"})
    paths.settings_file.write_text(old)
    working = keyring.get_keyring()
    keyring.set_keyring(FailKeyring())
    try:
        runtime = Runtime.create(paths=paths)
    finally:
        keyring.set_keyring(working)
    assert runtime.database_url == "mysql://sam:s3cret-pw@db.example/reviews"
    assert paths.settings_file.read_text() == old
    assert "the database password stays in" in caplog.text and "s3cret-pw" not in caplog.text
