"""The headless command line: demo, worker, db."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.cli import main
from app.database_address import split_password
from app.paths import HOME_ENV, AppPaths
from app.secrets import DATABASE_PASSWORD, delete_secret, set_secret
from app.services.approval_rules import BLOCKING_CODES, Acknowledgement
from app.services.review import approve
from app.settings import Settings, save_settings
from db.engine import Database
from db.migrate import head_revision
from db.models import ReviewItem, RiskFlag, WebhookEvent
from db.types import utcnow
from db.vocab import FlagCode, ItemKind, ItemStatus
from tests.databases import fresh_database, require_server
from tests.helpers import make_actor


def test_demo_then_worker_once_processes_everything(empty_db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--events", "25", "--seed", "3", "--db", empty_db_url]) == 0
    assert "wrote 25 demo webhook events" in capsys.readouterr().out
    assert main(["worker", "--once", "--db", empty_db_url]) == 0
    out = capsys.readouterr().out
    assert "processed 25 webhook events (0 quarantined)" in out
    database = Database(empty_db_url)
    try:
        with database.read() as session:
            # The demo's weeks of history include a few deliveries quarantined long ago; of
            # today's 25 none was quarantined (the line above), so none may be left waiting.
            assert (
                session.scalar(
                    select(func.count())
                    .select_from(WebhookEvent)
                    .where(WebhookEvent.status.not_in(("processed", "quarantined")))
                )
                == 0
            )
            assert session.scalar(select(func.count()).select_from(ReviewItem)) > 0
    finally:
        database.dispose()


def test_the_worker_releases_approvals_whose_undo_window_has_passed_with_no_desk_open(
    empty_db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Approved at 17:59 with the desks closed at 18:00: the worker sends it."""
    assert main(["demo", "--events", "40", "--seed", "3", "--db", empty_db_url]) == 0
    assert main(["worker", "--once", "--db", empty_db_url]) == 0
    database = Database(empty_db_url)
    try:
        reviewer = make_actor(database, "riley")
        with database.read() as session:
            note = session.scalars(
                select(ReviewItem)
                .where(
                    ReviewItem.kind.in_((ItemKind.PORTAL_NOTE, ItemKind.REPORT_NOTE)),
                    ReviewItem.id.not_in(
                        select(RiskFlag.review_item_id).where(RiskFlag.code.in_(list(BLOCKING_CODES)))
                    ),
                )
                .order_by(ReviewItem.id)
            ).first()
        approve(
            database,
            reviewer,
            note.id,
            note.version,
            undo_window=timedelta(minutes=10),
            acknowledged=Acknowledgement(frozenset(FlagCode), "checked"),
        )
        with database.write() as session:  # the ten minutes pass
            session.get(ReviewItem, note.id).release_at = utcnow() - timedelta(seconds=1)
        capsys.readouterr()
        assert main(["worker", "--once", "--db", empty_db_url]) == 0
        assert "1 approvals released" in capsys.readouterr().out
        with database.read() as session:
            assert session.get(ReviewItem, note.id).status == ItemStatus.PUBLISHED
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


def test_the_headless_commands_use_the_settings_address_with_its_password_from_the_keyring(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    require_server("postgresql")
    with fresh_database("postgresql", str(tmp_path)) as url:
        bare, password = split_password(url)
        assert password, "the test account signs in with a password"
        monkeypatch.setenv(HOME_ENV, str(tmp_path / "home"))
        settings_file = AppPaths.from_environment().settings_file
        save_settings(Settings(database_url=bare, database_password_in_keyring=True), settings_file)
        try:
            set_secret(DATABASE_PASSWORD, password)
            assert main(["db", "upgrade"]) == 0
            assert f"schema {head_revision()} (newest)" in capsys.readouterr().out
            assert main(["worker", "--once"]) == 0
            assert "processed 0 webhook events" in capsys.readouterr().out
            set_secret(DATABASE_PASSWORD, "not-the-password")
            assert main(["db", "upgrade"]) == 1
            err = capsys.readouterr().err
            assert "wrong user name or password" in err and "not-the-password" not in err
        finally:
            delete_secret(DATABASE_PASSWORD)
        assert f":{password}@" not in settings_file.read_text()
