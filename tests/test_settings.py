"""Settings are declared once, validated, and saved atomically; a bad file never blocks a start."""

from __future__ import annotations

import json
from pathlib import Path

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
