"""Notices nothing overwrites, an item note that belongs to the open item, and a layout that
never moves: the notice log and bar on their own, then through the real desk."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QEvent, QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QWidget
from sqlalchemy import update

from app.crm.sender import SendRun
from app.desk import pauses as pause_ops
from app.desk.changes import Changes, Notice
from app.services.pauses import PauseRequest
from db.engine import Database
from db.models import ReviewItem
from db.types import utcnow
from db.vocab import PauseScope, Role
from tests.desk_fixtures import DeskFactory
from tests.helpers import actor_with, run_async
from tests.test_desk_actions import moved_on, type_into_editor, wait_idle
from tests.test_desk_route import open_first
from ui.desktop import Desk
from ui.notices import LOG_CAP, PLACEHOLDER, NoticeBar, NoticeEntry, NoticeLog

T0 = datetime(2026, 12, 2, 9, 30, tzinfo=UTC)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


# --- the log and the bar on their own ---------------------------------------------------


def test_the_log_is_newest_first_capped_and_passes_the_model_tester(qtmodeltester) -> None:
    log = NoticeLog(Clock())
    for n in range(LOG_CAP + 5):
        log.add(NoticeEntry(T0, f"notice {n}", lead="Priya Okafor"))
    log.add(NoticeEntry(T0, "Approved Priya Okafor", until=T0 + timedelta(seconds=8), item_id=7))
    qtmodeltester.check(log, force_py=False)
    assert log.rowCount() == LOG_CAP
    assert log.texts()[:2] == ["Approved Priya Okafor — U to undo, 8 s", f"notice {LOG_CAP + 4}"]
    line = log.data(log.index(1))
    assert line.endswith(f"Priya Okafor — notice {LOG_CAP + 4}") and re.match(r"\d\d:\d\d:\d\d  ", line)


def test_an_approval_counts_down_each_second_and_keeps_its_final_wording(qtbot) -> None:
    clock = Clock()
    bar = NoticeBar(clock)
    qtbot.addWidget(bar)
    bar.add(NoticeEntry(T0, "Approved Priya Okafor", "info", "Priya Okafor", until=T0 + timedelta(seconds=8)))
    assert bar.shown() == "Approved Priya Okafor — U to undo, 8 s"
    assert bar.text.full_text() == bar.shown() and bar._ticker.isActive()
    clock.now = T0 + timedelta(seconds=3)
    bar.tick()
    assert bar.shown() == "Approved Priya Okafor — U to undo, 5 s"
    assert bar.log.texts() == ["Approved Priya Okafor — U to undo, 5 s"]
    clock.now = T0 + timedelta(seconds=9)
    bar.tick()
    assert bar.shown() == "Approved Priya Okafor — undo time over"
    assert bar.log.texts() == ["Approved Priya Okafor — undo time over"]
    assert not bar._ticker.isActive()  # nothing counts: no ticking


def test_an_undone_approval_stops_counting_and_says_so(qtbot) -> None:
    clock = Clock()
    bar = NoticeBar(clock)
    qtbot.addWidget(bar)
    until = T0 + timedelta(seconds=8)
    bar.add(NoticeEntry(T0, "Approved Mei Lopez", until=until, item_id=4, held_by="Missed-call text-back workflow"))
    assert bar.shown() == "Approved Mei Lopez — U to undo, 8 s; held until Missed-call text-back workflow is resumed"
    bar.mark_undone(4)
    clock.now = T0 + timedelta(seconds=2)
    bar.tick()
    assert bar.log.texts() == ["Approved Mei Lopez — undone"]


def test_the_desks_own_news_never_takes_the_place_of_an_actions_outcome(qtbot) -> None:
    bar = NoticeBar(Clock())
    qtbot.addWidget(bar)
    bar.resize(900, bar.height())
    bar.show()
    qtbot.waitExposed(bar)
    bar.add(NoticeEntry(T0, "Reconnected to the database.", background=True))
    assert bar.shown() == "Reconnected to the database."  # nothing else to show: it is shown
    bar.add(NoticeEntry(T0, "The client-safe text still contains phone number; remove it first.", "warning"))
    bar.add(NoticeEntry(T0, "2 approval(s) left the desk (their undo time was over).", background=True))
    assert bar.shown() == "The client-safe text still contains phone number; remove it first."
    assert bar.log_button.text() == "Notices · 1 new" and bar.log.rowCount() == 3
    bar.open_log()
    qtbot.waitUntil(bar.popup.isVisible)
    assert bar.log_button.text() == "Notices" and bar.popup.view.model() is bar.log
    assert "Ctrl+Shift+N" in bar.log_button.toolTip()
    bar.popup.hide()
    bar.action_started()
    assert bar.shown() == "" and bar.text.full_text() == PLACEHOLDER and bar.property("level") == ""


# --- through the desk ----------------------------------------------------------------------


def _place(widget: QWidget, window: QWidget) -> QRect:
    """Where a widget sits in the window, after any layout change has been applied."""
    QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def test_no_notice_state_or_item_note_moves_the_queue_or_the_detail_pane(
    qtbot, make_desk: DeskFactory, sqlite_database: Database
) -> None:
    desk = make_desk(sqlite_database, undo_window_s=30)
    window = desk.window
    wait_idle(qtbot, desk)
    window.notices.action_started()
    window.item_note.show_facts([])
    before = (_place(window.queue, window), _place(window.detail, window), _place(window.notices, window))
    long_text = "This item changed since you opened it and was reloaded; check it and act again. " * 6
    changes = [
        lambda: desk.apply(Changes(notices=(Notice("Rejected Priya Okafor.", "info", "Priya Okafor"),))),
        lambda: desk.apply(Changes(notices=(Notice(long_text, "warning", "A very long lead name " * 5),))),
        lambda: desk.apply(Changes(notices=(Notice("3 CRM handoff(s) failed.", "error"),), background=True)),
        lambda: desk.apply(
            Changes(notices=(Notice("Approved X", "info", "Priya Okafor"),), left=(), release_at=utcnow())
        ),
        lambda: window.show_connection(False, "postgresql://desk"),
        lambda: window.show_connection(True, "postgresql://desk"),
        lambda: window.show_failure("polling for new work", RuntimeError("boom")),
        lambda: window.item_note.show_facts(["Read only: Another reviewer has this item open right now."]),
        lambda: window.item_note.show_facts([long_text, long_text, "Restored the text you were typing."], "warning"),
        lambda: window.item_note.show_facts([]),
        window.notices.action_started,
    ]
    for change in changes:
        change()
        after = (_place(window.queue, window), _place(window.detail, window), _place(window.notices, window))
        assert after == before


def test_a_refusal_stays_on_show_when_the_item_shows_again_with_the_kept_text(
    qtbot, make_desk: DeskFactory, sqlite_database: Database
) -> None:
    desk = make_desk(sqlite_database)
    item = open_first(qtbot, desk)
    type_into_editor(qtbot, desk, "Call me back on 415-555-0123 today.")
    qtbot.keyClick(desk.window.detail.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "still contains phone number" in desk.window.notices.shown())
    wait_idle(qtbot, desk)
    assert desk.session.current.id == item
    assert "still contains phone number" in desk.window.notices.shown()
    assert desk.window.notices.lead.full_text() == desk.session.current.lead_label
    assert "Restored the text you were typing" in desk.window.item_note.full_text()
    assert "Restored" not in " ".join(desk.window.notices.log.texts())  # item state, not a notice


def test_an_approval_counts_down_undo_clears_it_and_skip_leaves_nothing_stale(
    qtbot, make_desk: DeskFactory, sqlite_database: Database
) -> None:
    desk = make_desk(sqlite_database, undo_window_s=60)
    item = open_first(qtbot, desk)
    lead = desk.session.current.lead_label
    qtbot.keyClick(desk.window.queue, Qt.Key.Key_A)
    qtbot.waitUntil(lambda: moved_on(desk, item))
    assert re.fullmatch(rf"Approved {re.escape(lead)} — U to undo, \d+ s", desk.window.notices.shown())
    wait_idle(qtbot, desk)
    qtbot.keyClick(desk.window.queue, Qt.Key.Key_U)
    qtbot.waitUntil(lambda: desk.session.current is not None and desk.session.current.id == item)
    wait_idle(qtbot, desk)
    assert desk.window.notices.shown() == f"Undone: {lead} is back in the queue."
    assert desk.window.notices.log.texts()[1] == f"Approved {lead} — undone"
    qtbot.keyClick(desk.window.queue, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: moved_on(desk, item))
    assert desk.window.notices.shown() == "" and desk.window.notices.text.full_text() == PLACEHOLDER
    assert "Undone" not in desk.window.item_note.full_text()
    assert desk.window.notices.log.texts()[0] == f"Undone: {lead} is back in the queue."  # still in the log


def test_a_poll_that_releases_approvals_logs_it_without_hiding_the_outcome(
    qtbot, make_desk: DeskFactory, sqlite_database: Database
) -> None:
    desk = make_desk(sqlite_database, undo_window_s=60)
    item = open_first(qtbot, desk)
    qtbot.keyClick(desk.window.queue, Qt.Key.Key_A)
    qtbot.waitUntil(lambda: moved_on(desk, item))
    wait_idle(qtbot, desk)
    shown = desk.window.notices.prominent
    with sqlite_database.write() as session:  # its undo time is over
        session.execute(
            update(ReviewItem).where(ReviewItem.id == item).values(release_at=utcnow() - timedelta(seconds=1))
        )
    run_async(qtbot, desk.poll())
    wait_idle(qtbot, desk)
    assert "1 approval(s) left the desk (their undo time was over)." in desk.window.notices.log.texts()
    assert desk.window.notices.prominent is shown and desk.window.notices.log_button.text() == "Notices · 1 new"


def test_crm_pushes_and_failures_land_in_the_log(
    qtbot, make_desk: DeskFactory, sqlite_database: Database, monkeypatch
) -> None:
    desk = make_desk(sqlite_database, events=4)
    monkeypatch.setattr("ui.crm_push.push_due", lambda *_args, **_kw: SendRun(claimed=3, delivered=2, failed=1))
    run_async(qtbot, desk.crm.push(object()))  # type: ignore[arg-type]
    texts = desk.window.notices.log.texts()
    assert texts[:2] == [
        "1 CRM handoff(s) failed: open them in the Decided view to read the error and retry (Ctrl+Shift+R).",
        "2 CRM handoff(s) pushed to the CRM.",
    ]


def _pause_workflow(database: Database, desk: Desk, workflow: str, reason: str) -> None:
    boss = actor_with(database, "sam", Role.SUPERVISOR)
    request = PauseRequest(PauseScope.WORKFLOW, workflow, reason, "nothing went out", "a test text arrives")
    desk.apply(pause_ops.start_pause(database, boss, request))


def test_the_item_note_names_the_pause_on_every_held_item_and_on_no_other(
    qtbot, make_desk: DeskFactory, sqlite_database: Database
) -> None:
    desk = make_desk(sqlite_database, events=20)
    wait_idle(qtbot, desk)
    workflow = desk.session.current.workflow
    _pause_workflow(sqlite_database, desk, workflow, "Texts bouncing since 9:40")
    qtbot.waitUntil(lambda: "Held:" in desk.window.item_note.full_text())  # the open item at once
    wait_idle(qtbot, desk)
    seen = {True: 0, False: 0}
    for row in range(min(desk.model.rowCount(), 12)):
        target = desk.model.row_at(row).id
        desk.window.select_row(row)
        qtbot.waitUntil(lambda t=target: desk.session.current is not None and desk.session.current.id == t)
        wait_idle(qtbot, desk)
        held = desk.session.current.workflow == workflow
        seen[held] += 1
        note = desk.window.item_note.full_text()
        assert ("Texts bouncing since 9:40" in note) == held, (row, note)
        assert desk.window.item_note.property("level") == ("info" if held else "")
    assert seen[True] and seen[False]


def test_asking_a_new_draft_of_a_decided_item_says_why_nothing_happens(
    qtbot, make_desk: DeskFactory, sqlite_database: Database
) -> None:
    desk = make_desk(sqlite_database, events=4)
    wait_idle(qtbot, desk)
    desk.session.current = replace(desk.session.current, status="published")  # decided meanwhile
    assert desk.session.regenerate(desk.drafting, "shorter", "text") is None
    assert desk.window.notices.shown() == "This item is already published."
