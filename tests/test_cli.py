"""The headless command line: demo, worker, db."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.cli import main
from db.engine import Database
from db.migrate import head_revision
from db.models import ReviewItem, WebhookEvent


def test_demo_then_worker_once_processes_everything(empty_db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--events", "25", "--seed", "3", "--db", empty_db_url]) == 0
    assert "wrote 25 demo webhook events" in capsys.readouterr().out
    assert main(["worker", "--once", "--db", empty_db_url]) == 0
    out = capsys.readouterr().out
    assert "processed 25 webhook events (0 quarantined)" in out
    database = Database(empty_db_url)
    try:
        with database.read() as session:
            assert session.scalar(select(func.count()).select_from(WebhookEvent).where(
                WebhookEvent.status != "processed")) == 0
            assert session.scalar(select(func.count()).select_from(ReviewItem)) > 0
    finally:
        database.dispose()


def test_db_upgrade_and_current(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path}/cli.sqlite3"
    assert main(["db", "current", "--db", url]) == 0
    assert "schema none" in capsys.readouterr().out
    assert main(["db", "upgrade", "--db", url]) == 0
    assert f"schema {head_revision()} (newest)" in capsys.readouterr().out
    assert main(["--db", url, "db", "current"]) == 0
    assert f"schema {head_revision()} (newest)" in capsys.readouterr().out


def test_a_bad_database_url_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "upgrade", "--db", "oracle://x/y"]) == 2
    assert "unsupported database 'oracle'" in capsys.readouterr().err


def test_an_unreachable_server_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "upgrade", "--db", "postgresql://u:secret@127.0.0.1:9/none"]) == 1
    err = capsys.readouterr().err
    assert "cannot reach the database" in err and "secret" not in err


def test_the_desktop_is_not_started_without_a_desktop_entry(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["--db", f"sqlite:///{tmp_path}/x.db"]) == 2
    assert "desktop app is not available" in capsys.readouterr().err
