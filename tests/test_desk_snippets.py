"""The snippets editor in the running desk: a supervisor writes, changes and retires the
material AI drafts may use, from the keyboard; a reviewer can read it but not change it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from sqlalchemy import select

from app.identity import ensure_user
from db.engine import Database
from db.models import ApprovedSnippet
from db.vocab import Role
from tests.desk_fixtures import DeskFactory
from tests.helpers import make_admin
from ui.desktop import Desk
from ui.dialogs.snippets import SnippetsDialog


def open_snippets(qtbot, desk: Desk) -> SnippetsDialog:
    desk.window.queue.setFocus()
    qtbot.keyClick(
        desk.window.queue, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    qtbot.waitUntil(lambda: any(d.isVisible() for d in desk.window.findChildren(SnippetsDialog)))
    dialog = next(d for d in desk.window.findChildren(SnippetsDialog) if d.isVisible())
    qtbot.waitUntil(lambda: dialog.client.count() > 1)  # the clients have been read
    return dialog


def stored(database: Database) -> list[tuple[str, str, int, bool]]:
    with database.read() as session:
        return [
            (s.title, s.body, s.version, s.active)
            for s in session.scalars(select(ApprovedSnippet).order_by(ApprovedSnippet.id))
        ]


def test_a_supervisor_writes_edits_and_retires_a_snippet(
    qtbot, make_desk: DeskFactory, sqlite_database: Database
) -> None:
    boss = make_admin(sqlite_database)
    desk = make_desk(sqlite_database, actor=boss, events=8)
    dialog = open_snippets(qtbot, desk)
    dialog.client.setCurrentIndex(1)
    client_name = dialog.client.currentText()
    qtbot.keyClicks(dialog.title, "Weekend visits")
    qtbot.keyClicks(dialog.body, "Technicians visit on Saturdays.")
    qtbot.keyClick(dialog.body, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1 and dialog.status.text() == "Saved.")
    assert dialog.model.rows[0].client == client_name
    assert stored(sqlite_database) == [("Weekend visits", "Technicians visit on Saturdays.", 1, True)]

    dialog.table.selectRow(0)
    dialog.body.setPlainText("Technicians visit on Saturdays and Sundays.")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1 and dialog.model.rows[0].version == 2)
    assert dialog.table.currentIndex().row() == 0  # the saved snippet stays selected
    dialog.retire_button.click()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 0)
    assert dialog.status.text().startswith("Retired")
    assert stored(sqlite_database) == [("Weekend visits", "Technicians visit on Saturdays and Sundays.", 2, False)]
    dialog.reject()


def test_a_reviewer_reads_snippets_but_cannot_change_them(
    qtbot, make_desk: DeskFactory, sqlite_database: Database
) -> None:
    with sqlite_database.write() as session:
        ensure_user(session, "sam", role=Role.ADMIN)  # the desk has its admin; newcomers review
        session.add(ApprovedSnippet(client_id=None, service="", title="Callback", body="We call back in a day."))
    desk = make_desk(sqlite_database, login="rae", events=8)
    assert desk.context.actor.role == Role.REVIEWER
    dialog = open_snippets(qtbot, desk)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1)
    assert dialog.model.rows[0].client == "All clients"
    assert not dialog.save_button.isEnabled() and not dialog.retire_button.isEnabled()
    assert "Only supervisors and admins" in dialog.status.text()
    dialog.reject()
