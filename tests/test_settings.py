"""Settings are declared once, validated, and saved atomically; a bad file never blocks a start."""

from __future__ import annotations

import json
from pathlib import Path

from app.paths import AppPaths
from app.runtime import Runtime
from app.secrets import AI_API_KEY, delete_secret, set_secret
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
