"""A lost database connection: a standing notice, retries, and nothing typed is lost (real PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from db.engine import Database
from db.migrate import upgrade
from db.models import ReviewItem
from db.vocab import ItemStatus
from tests.databases import PG_ADMIN_URL, fresh_database
from tests.desk_fixtures import DeskFactory
from tests.helpers import run_async
from tests.test_desk_actions import type_into_editor
from tests.test_desk_route import open_first


def _cut_off(url: str, allow: bool) -> None:
    """Refuse (or allow again) connections to the test database, dropping the ones it has."""
    name = make_url(url).database
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"ALTER DATABASE {name} ALLOW_CONNECTIONS {'true' if allow else 'false'}"))
        if not allow:
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :n AND pid <> pg_backend_pid()"
                ),
                {"n": name},
            )
    admin.dispose()


def test_losing_the_database_shows_it_keeps_the_text_and_recovers(
    qtbot, make_desk: DeskFactory, tmp_path: Path
) -> None:
    with fresh_database("postgresql", str(tmp_path)) as url:
        database = Database(url)
        upgrade(database.engine)
        desk = make_desk(database, undo_window_s=0)
        item = open_first(qtbot, desk)
        type_into_editor(qtbot, desk, "Typed while the server went away.")
        _cut_off(url, allow=False)
        try:
            qtbot.keyClick(desk.window.detail.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
            qtbot.waitUntil(lambda: desk.window.notices.standing.isVisibleTo(desk.window))
            assert any("Lost the connection" in text for text in desk.window.notices.log.texts())
            assert "nothing was changed" in desk.window.notices.shown()  # the action's outcome stays on show
            assert "reconnecting" in desk.window.db_label.text()
            assert desk.context.unsaved.load(item).text == "Typed while the server went away."
            assert desk.window.detail.editor.toPlainText() == "Typed while the server went away."
        finally:
            _cut_off(url, allow=True)
        qtbot.waitUntil(lambda: not desk.window.notices.standing.isVisibleTo(desk.window))
        assert desk.window.notices.log.texts()[0] == "Reconnected to the database."
        qtbot.waitUntil(
            lambda: not desk.runner.busy and desk.session.current is not None and desk.session.current.id == item
        )
        if not desk.session.claimed:  # the old claim may have lapsed while cut off: reopen
            desk.session.open(item)
            qtbot.waitUntil(lambda: desk.session.claimed and not desk.runner.busy)
        qtbot.keyClick(desk.window.detail.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: desk.session.current is None or desk.session.current.id != item)
        with database.read() as session:
            stored = session.get(ReviewItem, item)
        assert stored.status == ItemStatus.PUBLISHED
        assert stored.final_text == "Typed while the server went away."
        assert desk.context.unsaved.load(item) is None, "the kept text is dropped once saved"
        run_async(qtbot, desk.stop())  # before the test database is dropped
