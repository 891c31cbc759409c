"""Pausing from the running desk: a supervisor pauses the open item's workflow from the
keyboard, the queue marks what it holds, and the pause board records the verification and
resumes it; a reviewer sees the board but cannot pause or resume."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog
from sqlalchemy import select

from app import words
from db.engine import Database
from db.models import AutomationPause
from db.vocab import PauseScope
from tests.desk_fixtures import DeskFactory
from tests.helpers import make_admin
from ui.desktop import Desk
from ui.pauses.board import PauseBoard
from ui.pauses.new_pause import NewPauseDialog
from ui.queue.model import COLUMNS, HELD_TEXT


def visible(desk: Desk, kind: type):  # noqa: ANN201 (the dialog of that kind)
    return next((d for d in desk.window.findChildren(kind) if d.isVisible()), None)


def states(desk: Desk) -> list[str]:
    column = COLUMNS.index("State")
    return [desk.model.data(desk.model.index(row, column)) for row in range(desk.model.rowCount())]


def test_a_supervisor_pauses_the_open_items_workflow_then_verifies_and_resumes_it(
    qtbot, make_desk: DeskFactory, sqlite_database: Database
) -> None:
    boss = make_admin(sqlite_database)
    desk = make_desk(sqlite_database, actor=boss, events=16)
    workflow = desk.session.current.workflow
    desk.window.queue.setFocus()
    qtbot.keyClick(desk.window.queue, Qt.Key.Key_P, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: visible(desk, NewPauseDialog) is not None)
    dialog = visible(desk, NewPauseDialog)
    assert dialog.scope.currentData() == PauseScope.WORKFLOW and dialog.key.currentData() == workflow
    qtbot.keyClicks(dialog.reason, "Texts bouncing since 9:40")
    dialog._accept()
    assert "rollback path" in dialog.problem.text()  # nothing is paused without its explanation
    qtbot.keyClicks(dialog.rollback, "nothing went out")
    dialog.verification.setPlainText("a test text arrives")
    dialog._accept()
    qtbot.waitUntil(lambda: desk.window.pause_label.text() == "1 paused")
    rows = [desk.model.row_at(r) for r in range(desk.model.rowCount())]
    marks = {row.workflow == workflow: set() for row in rows}
    for row, state in zip(rows, states(desk), strict=True):
        marks[row.workflow == workflow].add(state == HELD_TEXT)
    assert marks[True] == {True} and marks.get(False, {False}) == {False}  # only its rows are held
    greyed = {
        rows[r].workflow == workflow
        for r in range(len(rows))
        if desk.model.data(desk.model.index(r, 2), Qt.ItemDataRole.ForegroundRole) is not None
    }
    assert greyed == {True}

    qtbot.keyClick(desk.window.queue, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: visible(desk, PauseBoard) is not None)
    board = visible(desk, PauseBoard)
    qtbot.waitUntil(lambda: board.active.rowCount() == 1)
    assert board.active.data(board.active.index(0, 0)) == f"{words.workflow(workflow)} workflow"
    board.resume_selected()  # not verified yet: refused, with the step to do
    qtbot.waitUntil(lambda: "Verify first: a test text arrives" in desk.window.notices.shown())
    board.verify_selected()
    qtbot.waitUntil(lambda: any(d.isVisible() for d in board.findChildren(QInputDialog)))
    asked = next(d for d in board.findChildren(QInputDialog) if d.isVisible())
    asked.setTextValue("sent one to my phone: it arrived")
    asked.accept()
    qtbot.waitUntil(lambda: board.active.pauses and board.active.pauses[0].verified_at is not None)
    board.resume_selected()
    qtbot.waitUntil(lambda: board.active.rowCount() == 0 and board.history.rowCount() == 1)
    qtbot.waitUntil(lambda: desk.window.pause_label.text() == "no pauses")
    assert not any(s.startswith("held") for s in states(desk))
    with sqlite_database.read() as session:
        row = session.scalar(select(AutomationPause))
    assert (row.status, row.owner, row.verified_by, row.resumed_by) == ("resumed", "sam", "sam", "sam")
    board.reject()


def test_a_reviewer_can_read_the_board_but_not_pause(qtbot, make_desk: DeskFactory, sqlite_database: Database) -> None:
    make_admin(sqlite_database)  # the desk has its admin; newcomers review
    desk = make_desk(sqlite_database, login="rae", events=8)
    assert not desk.window.pause_workflow_action.isEnabled() and not desk.window.pause_client_action.isEnabled()
    assert desk.window.pause_label.text() == "no pauses"
    desk.window.pauses_action.trigger()
    qtbot.waitUntil(lambda: visible(desk, PauseBoard) is not None)
    board = visible(desk, PauseBoard)
    assert not board.new_button.isEnabled() and not board.resume_button.isEnabled()
    board.reject()
