"""The guardrails as a reviewer meets them in the real desk window: the acknowledgement of
high-risk flags, and the live check of a message's opt-out wording."""

from __future__ import annotations

from PySide6.QtCore import Qt
from sqlalchemy import select

from app.services.approval_rules import needs_acknowledgement
from db.engine import Database
from db.models import AuditEntry, Draft, ReviewItem, RiskFlag
from db.vocab import FlagCode, ItemKind, ItemStatus, Severity
from tests.desk_fixtures import DeskFactory
from tests.test_desk_actions import moved_on, type_into_editor
from tests.test_desk_route import open_first
from ui.dialogs.acknowledge import AcknowledgeDialog


def flag_a_message(database: Database, desk_item: int, *codes: FlagCode) -> int:
    """Give a message other than the open one high-risk flags, as the rules would (a new
    version of the item); returns its id."""
    with database.write() as session:
        item = session.scalars(
            select(ReviewItem)
            .where(ReviewItem.kind == ItemKind.MESSAGE, ReviewItem.id != desk_item)
            .order_by(ReviewItem.id)
        ).first()
        item.version += 1
        draft = session.scalars(select(Draft).where(Draft.review_item_id == item.id)).first()
        for code in codes:
            session.add(
                RiskFlag(
                    review_item_id=item.id,
                    draft_id=draft.id,
                    code=code,
                    severity=int(Severity.HIGH),
                    reason="needs a human judgment",
                    evidence=f"evidence of {code}",
                    owner="test",
                    source="rule",
                    status="open",
                )
            )
        return item.id


def test_a_on_a_high_risk_item_asks_for_each_flag_and_a_note_before_approving(
    qtbot, make_desk: DeskFactory, sqlite_database: Database
) -> None:
    desk = make_desk(sqlite_database, undo_window_s=0, events=40)
    item = flag_a_message(
        sqlite_database, desk.session.current.id, FlagCode.LEGAL_MEDICAL_COMPLIANCE, FlagCode.COMPLAINT
    )
    desk.controller.reload(keep_id=item)
    qtbot.waitUntil(lambda: desk.model.row_of(item) is not None and not desk.runner.busy)
    desk.window.select_row(desk.model.row_of(item))
    qtbot.waitUntil(
        lambda: (
            desk.session.current is not None
            and desk.session.current.id == item
            and desk.session.claimed
            and not desk.runner.busy
        )
    )
    desk.window.queue.setFocus()
    assert "acknowledge" in desk.window.detail.live_check.text()
    qtbot.keyClick(desk.window.queue, Qt.Key.Key_A)
    qtbot.waitUntil(lambda: any(d.isVisible() for d in desk.window.findChildren(AcknowledgeDialog)))
    dialog = next(d for d in desk.window.findChildren(AcknowledgeDialog) if d.isVisible())
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert {code for code, _ in dialog.boxes} >= {FlagCode.LEGAL_MEDICAL_COMPLIANCE, FlagCode.COMPLAINT}
    assert any("evidence of complaint" in box.accessibleDescription() for _, box in dialog.boxes)
    assert status_is(sqlite_database, item, ItemStatus.IN_REVIEW), "nothing approved by the key alone"
    qtbot.keyClicks(dialog.note, "Only confirms the visit.")
    for _, box in dialog.boxes[:-1]:
        box.setChecked(True)
    assert not ok.isEnabled(), "every flag must be ticked"
    dialog.boxes[-1][1].setChecked(True)
    assert ok.isEnabled()
    qtbot.keyClick(dialog.note, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: moved_on(desk, item))
    with sqlite_database.read() as session:
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.review_item_id == item, AuditEntry.action == "review_item.approved")
        ).one()
    assert {"complaint", "legal_medical_compliance"} <= set(entry.detail["acknowledged_flags"])


def test_the_live_check_says_the_opt_out_wording_is_missing_while_the_reviewer_types(
    qtbot, make_desk: DeskFactory, sqlite_database: Database
) -> None:
    desk = make_desk(sqlite_database, events=40)
    open_first(qtbot, desk, kind=ItemKind.MESSAGE)
    panel = desk.window.detail
    wording = desk.session.current.opt_out_wording
    assert wording and wording in panel.editor.toPlainText()
    type_into_editor(qtbot, desk, "Hi, thanks for your message, we will call you today.")
    qtbot.waitUntil(lambda: "opt-out wording" in panel.live_check.text())
    assert panel.live_check.text().startswith("Live check — Will be refused")
    panel.editor.moveCursor(panel.editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(panel.editor, " reply stop to opt out")
    qtbot.waitUntil(lambda: "opt-out wording" not in panel.live_check.text())


def approve_by_keyboard(qtbot, desk) -> None:  # type: ignore[no-untyped-def]
    """A on the open item, acknowledging its high-risk flags (each one, with a note) when it
    has some, as a reviewer must."""
    risky = [f for f in desk.session.current.flags if needs_acknowledgement(f.code, f.severity)]
    qtbot.keyClick(desk.window.queue, Qt.Key.Key_A)
    if not risky:
        return
    qtbot.waitUntil(lambda: any(d.isVisible() for d in desk.window.findChildren(AcknowledgeDialog)))
    dialog = next(d for d in desk.window.findChildren(AcknowledgeDialog) if d.isVisible())
    for _, box in dialog.boxes:
        box.setChecked(True)
    qtbot.keyClicks(dialog.note, "Checked with the owner.")
    qtbot.keyClick(dialog.note, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def status_is(database: Database, item_id: int, status: ItemStatus) -> bool:
    with database.read() as session:
        return session.get(ReviewItem, item_id).status == status
