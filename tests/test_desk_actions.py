"""Every reviewer action, driven by the keyboard through the real desk window."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import func, select, update

from app.services.claims import claim
from db.engine import Database
from db.models import AuditEntry, ReviewItem
from db.vocab import EditClass, ItemStatus, Role
from tests.desk_fixtures import DeskFactory
from tests.helpers import make_actor
from tests.test_desk_route import open_first
from ui.desktop import Desk
from ui.dialogs.cheat_sheet import CheatSheet
from ui.dialogs.note import EscalateDialog, RejectDialog


def status_of(database: Database, item_id: int) -> ReviewItem:
    with database.read() as session:
        return session.get(ReviewItem, item_id)


def wait_idle(qtbot, desk: Desk) -> None:
    qtbot.waitUntil(lambda: not desk.runner.busy)


def moved_on(desk: Desk, item_id: int) -> bool:
    return desk.session.current is not None and desk.session.current.id != item_id


def type_into_editor(qtbot, desk: Desk, text: str) -> None:
    editor = desk.window.detail.editor
    qtbot.keyClick(desk.window.queue, Qt.Key.Key_I)  # I: edit the text
    qtbot.waitUntil(editor.hasFocus)
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    # Letters that are shortcuts in the queue (a, r, e, s, u, j, k, i) are text in the editor.
    assert editor.toPlainText() == text


def escalate_with_note(qtbot, desk: Desk, note: str) -> None:
    """E asks what the supervisor should look at; the note is required."""
    qtbot.keyClick(desk.window.queue, Qt.Key.Key_E)
    qtbot.waitUntil(lambda: any(d.isVisible() for d in desk.window.findChildren(EscalateDialog)))
    dialog = next(d for d in desk.window.findChildren(EscalateDialog) if d.isVisible())
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
    qtbot.keyClicks(dialog.note, note)
    qtbot.keyClick(dialog.note, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def test_ctrl_enter_approves_the_edited_text_and_records_the_edit(
    qtbot, make_desk: DeskFactory, sqlite_database: Database
) -> None:
    desk = make_desk(sqlite_database, undo_window_s=0)
    item = open_first(qtbot, desk)
    type_into_editor(qtbot, desk, "Thanks for reaching out: just ask, we will call you today.")
    assert "rewrite" in desk.window.detail.edit_state.text()
    qtbot.keyClick(desk.window.detail.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: moved_on(desk, item))
    stored = status_of(sqlite_database, item)
    assert stored.status == ItemStatus.PUBLISHED and stored.edit_class == EditClass.REWRITE
    assert stored.final_text == "Thanks for reaching out: just ask, we will call you today."


def test_a_with_an_edit_pending_explains_instead_of_dropping_the_edit(
    qtbot, make_desk: DeskFactory, sqlite_database: Database
) -> None:
    desk = make_desk(sqlite_database)
    item = open_first(qtbot, desk)
    type_into_editor(qtbot, desk, "My edit.")
    qtbot.keyClick(desk.window.queue, Qt.Key.Key_A)
    qtbot.waitUntil(lambda: "Ctrl+Enter approves your edit" in desk.window.notices.shown())
    assert status_of(sqlite_database, item).status == ItemStatus.IN_REVIEW


def test_r_rejects_with_a_reason_and_a_note(qtbot, make_desk: DeskFactory, sqlite_database: Database) -> None:
    desk = make_desk(sqlite_database)
    item = open_first(qtbot, desk)
    qtbot.keyClick(desk.window.queue, Qt.Key.Key_R)
    qtbot.waitUntil(lambda: any(d.isVisible() for d in desk.window.findChildren(RejectDialog)))
    dialog = next(d for d in desk.window.findChildren(RejectDialog) if d.isVisible())
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled(), "a note is required"
    dialog.reason.setCurrentIndex(dialog.reason.findData("spam"))
    qtbot.keyClicks(dialog.note, "Selling SEO, not a lead.")
    qtbot.keyClick(dialog.note, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: moved_on(desk, item))
    stored = status_of(sqlite_database, item)
    assert (stored.status, stored.reject_reason, stored.reject_note) == (
        ItemStatus.REJECTED,
        "spam",
        "Selling SEO, not a lead.",
    )


def test_e_escalates_and_s_skips(qtbot, make_desk: DeskFactory, sqlite_database: Database) -> None:
    desk = make_desk(sqlite_database)
    first = open_first(qtbot, desk)
    escalate_with_note(qtbot, desk, "Asks for a discount we never offered.")
    qtbot.waitUntil(lambda: moved_on(desk, first))
    stored = status_of(sqlite_database, first)
    assert (stored.status, stored.reject_note) == (ItemStatus.ESCALATED, "Asks for a discount we never offered.")
    second = desk.session.current.id
    wait_idle(qtbot, desk)
    qtbot.keyClick(desk.window.queue, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: moved_on(desk, second) and desk.session.claimed)
    wait_idle(qtbot, desk)
    skipped = status_of(sqlite_database, second)
    assert skipped.status == ItemStatus.PENDING and skipped.claimed_by_id is None


def test_u_undoes_the_last_decision_while_it_is_still_on_the_desk(
    qtbot, make_desk: DeskFactory, sqlite_database: Database
) -> None:
    desk = make_desk(sqlite_database, undo_window_s=60)
    item = open_first(qtbot, desk)
    qtbot.keyClick(desk.window.queue, Qt.Key.Key_A)
    qtbot.waitUntil(lambda: moved_on(desk, item))
    assert status_of(sqlite_database, item).status == ItemStatus.APPROVED  # not yet left
    wait_idle(qtbot, desk)
    qtbot.keyClick(desk.window.queue, Qt.Key.Key_U)
    qtbot.waitUntil(lambda: desk.session.current is not None and desk.session.current.id == item)
    assert status_of(sqlite_database, item).status in (ItemStatus.PENDING, ItemStatus.IN_REVIEW)
    assert "Undone" in desk.window.notices.shown()


def test_bulk_approve_takes_the_low_risk_selection_and_leaves_high_risk_items(
    qtbot, make_desk: DeskFactory, sqlite_database: Database
) -> None:
    desk = make_desk(sqlite_database, undo_window_s=0, events=40)
    view = desk.window.queue
    rows = range(min(12, desk.model.rowCount()))
    entries = [desk.model.row_at(r) for r in rows]
    high = [e.id for e in entries if e.top_severity >= 3]
    assert high, "the demo's first rows include a high-severity item"
    view.setFocus()
    view.selectRow(0)
    for _ in rows[1:]:
        qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert len(view.selected_rows()) == len(entries)
    qtbot.keyClick(view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: any(b.isVisible() for b in desk.window.findChildren(QMessageBox)))
    box = next(b for b in desk.window.findChildren(QMessageBox) if b.isVisible())
    low = [e for e in entries if e.id not in high]
    assert f"Approve {len(low)} item(s) as drafted" in box.text() and low[0].lead_label in box.text()
    assert "Left out (high-risk" in box.text() and "#" not in box.text()  # leads by name, never an id
    box.button(QMessageBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: "Approved" in desk.window.notices.shown())
    for entry in entries:
        stored = status_of(sqlite_database, entry.id)
        if entry.id in high:
            assert stored.status in (ItemStatus.PENDING, ItemStatus.IN_REVIEW)
        else:
            assert stored.status in (ItemStatus.PUBLISHED, ItemStatus.QUEUED, ItemStatus.FAILED), entry


def test_an_action_on_an_item_that_changed_meanwhile_is_refused_and_the_text_kept(
    qtbot, make_desk: DeskFactory, sqlite_database: Database
) -> None:
    desk = make_desk(sqlite_database)
    item = open_first(qtbot, desk)
    type_into_editor(qtbot, desk, "My careful edit.")
    with sqlite_database.write() as session:  # a STOP arrived, say: the item has a new version
        session.execute(update(ReviewItem).where(ReviewItem.id == item).values(version=ReviewItem.version + 1))
    qtbot.keyClick(desk.window.detail.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "changed since you opened it" in desk.window.notices.shown())
    wait_idle(qtbot, desk)
    # The item shown again keeps the refusal on show; the kept text is the item's own note.
    assert "changed since you opened it" in desk.window.notices.shown()
    assert "Restored the text you were typing" in desk.window.item_note.full_text()
    assert status_of(sqlite_database, item).status == ItemStatus.IN_REVIEW
    assert desk.session.current.id == item
    assert desk.session.current.version == status_of(sqlite_database, item).version
    assert desk.window.detail.editor.toPlainText() == "My careful edit."


def test_an_item_open_at_another_desk_is_read_only_here(
    qtbot, make_desk: DeskFactory, sqlite_database: Database
) -> None:
    desk = make_desk(sqlite_database)
    other = make_actor(sqlite_database, "elsewhere")
    row = 3
    target = desk.model.row_at(row).id
    claim(sqlite_database, other, target)
    desk.window.select_row(row)
    qtbot.waitUntil(lambda: desk.session.current is not None and desk.session.current.id == target)
    wait_idle(qtbot, desk)
    assert not desk.session.claimed
    assert "Another reviewer has this item open" in desk.window.item_note.full_text()
    assert not desk.window.actions_.approve.isEnabled()


def test_a_reviewer_cannot_decide_an_escalated_item_and_the_attempt_is_audited(
    qtbot, make_desk: DeskFactory, sqlite_database: Database
) -> None:
    supervisor = make_actor(sqlite_database, "boss")  # first user: the desk's admin
    desk = make_desk(sqlite_database, login="riley")
    assert desk.context.actor.role == Role.REVIEWER and supervisor.role == Role.ADMIN
    item = open_first(qtbot, desk)
    escalate_with_note(qtbot, desk, "Not sure this is a real lead.")
    qtbot.waitUntil(lambda: moved_on(desk, item))
    wait_idle(qtbot, desk)
    desk.window.sidebar.setCurrentIndex(desk.window.views_model.index(4))  # Escalated
    qtbot.waitUntil(lambda: desk.session.current is not None and desk.session.current.id == item)
    wait_idle(qtbot, desk)
    desk.window.queue.setFocus()
    qtbot.keyClick(desk.window.queue, Qt.Key.Key_A)
    qtbot.waitUntil(lambda: "only a supervisor can decide it" in desk.window.notices.shown())
    with sqlite_database.read() as session:
        refused = session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.review_item_id == item, AuditEntry.outcome == "refused")
        )
    assert refused == 1 and status_of(sqlite_database, item).status == ItemStatus.ESCALATED


def test_text_being_edited_survives_a_crash_of_the_desk(
    qtbot, make_desk: DeskFactory, sqlite_database: Database, tmp_path
) -> None:
    first = make_desk(sqlite_database)
    item = open_first(qtbot, first)
    type_into_editor(qtbot, first, "Half-written note, not saved anywhere yet.")
    unsaved = first.context.unsaved
    qtbot.waitUntil(lambda: unsaved.load(item) is not None)
    # The desk "crashes": a second desk on the same computer opens the same item.
    second = make_desk(sqlite_database, events=0, actor=first.context.actor)
    row = next(r for r in range(second.model.rowCount()) if second.model.row_at(r).id == item)
    second.window.select_row(row)
    qtbot.waitUntil(lambda: second.session.current is not None and second.session.current.id == item)
    qtbot.waitUntil(lambda: second.window.detail.editor.toPlainText() == "Half-written note, not saved anywhere yet.")
    assert "Restored the text you were typing" in second.window.item_note.full_text()


def test_the_cheat_sheet_lists_every_shortcut(qtbot, make_desk: DeskFactory, sqlite_database: Database) -> None:
    desk = make_desk(sqlite_database)
    qtbot.keyClick(desk.window.queue, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: any(d.isVisible() for d in desk.window.findChildren(CheatSheet)))
    sheet = next(d for d in desk.window.findChildren(CheatSheet) if d.isVisible())
    keys = {keys for keys, _ in sheet.rows}
    for expected in ("A", "R", "E", "S", "J", "K", "F5", "Ctrl+Shift+A"):
        assert any(expected in k for k in keys), expected
    sheet.reject()


def test_views_and_search_filter_in_sql(qtbot, make_desk: DeskFactory, sqlite_database: Database) -> None:
    desk = make_desk(sqlite_database)
    qtbot.keyClick(desk.window.queue, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)  # Messages
    qtbot.waitUntil(lambda: desk.controller.view_index == 5 and not desk.runner.busy)
    kinds = {desk.model.row_at(r).kind for r in range(desk.model.rowCount())}
    assert kinds == {"message"}
    name = desk.model.row_at(0).lead_label.split()[0]
    qtbot.keyClick(desk.window.queue, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(desk.window.filters.search, name)
    qtbot.waitUntil(lambda: desk.controller.filter.search == name and not desk.runner.busy)
    labels = [desk.model.row_at(r).lead_label for r in range(desk.model.rowCount())]
    assert labels and all(name.lower() in label.lower() for label in labels)
    QApplication.processEvents()
