"""The route end to end in the desktop: demo events -> poll -> queue -> approve by keyboard."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from app.demo import write_demo_events
from app.pipeline.poller import PollConfig
from db.engine import Database
from db.models import AuditEntry, ClientService, Event, PortalNote, ReviewItem, WebhookEvent
from db.vocab import ItemStatus
from tests.conftest import make_actor, run_async
from tests.raw_values import raw_values_in
from ui.desktop import Desk
from ui.queue_controller import DeskContext
from ui.tasks import TaskRunner


@pytest.fixture
def desk(qtbot, qloop, sqlite_database: Database, poll_config: PollConfig):
    with sqlite_database.write() as session:
        write_demo_events(session, 30, seed=11)
    actor = make_actor(sqlite_database)
    desk = Desk(DeskContext(sqlite_database, actor, poll_config), 3600, TaskRunner())
    qtbot.addWidget(desk.window)
    desk.start()
    qtbot.waitExposed(desk.window)
    desk.window.activateWindow()
    qtbot.waitUntil(lambda: desk.model.rowCount() > 0 and desk.controller.current is not None,
                    timeout=20_000)
    yield desk
    run_async(qtbot, desk.stop())


def open_first_note(qtbot, desk: Desk) -> None:
    """Select the first portal note in the queue (messages leave the desk differently)."""
    row = next(r for r in range(desk.model.rowCount())
               if desk.model.row_at(r) is not None and desk.model.row_at(r).kind == "portal_note")
    target = desk.model.row_at(row).id
    desk.window.select_row(row)
    qtbot.waitUntil(lambda: desk.controller.current is not None and desk.controller.current.id == target)
    desk.window.queue.setFocus()


def _note_for(database: Database, item_id: int) -> PortalNote | None:
    with database.read() as session:
        return session.scalar(select(PortalNote).where(PortalNote.review_item_id == item_id))


def test_the_first_poll_fills_the_queue_and_opens_the_top_item(desk: Desk) -> None:
    detail = desk.controller.current
    panel = desk.window.detail
    assert panel.draft.toPlainText() == detail.client_text
    assert panel.flags_model.rowCount() == len(detail.flags)
    assert detail.raw_body and detail.raw_body.strip()[0] == "{"
    assert desk.window.count_label.text() == f"{desk.model.rowCount()} open items"
    assert "polled" in desk.window.poll_label.text()


def test_a_flagged_draft_shows_its_flags_and_highlighted_spans(qtbot, desk: Desk) -> None:
    flagged = next(
        row for row in range(desk.model.rowCount())
        if desk.model.row_at(row) is not None and desk.model.row_at(row).top_severity > 0
    )
    desk.window.queue.setFocus()
    desk.window.select_row(flagged)
    target = desk.model.row_at(flagged).id
    qtbot.waitUntil(lambda: desk.controller.current is not None and desk.controller.current.id == target)
    panel = desk.window.detail
    assert panel.flags_model.rowCount() >= 1
    spans = panel.draft.extraSelections() + panel.internal_summary.extraSelections()
    assert spans, "flagged evidence is highlighted in the draft or the internal summary"


def test_pressing_a_approves_publishes_and_opens_the_next_item(qtbot, desk: Desk) -> None:
    database = desk.context.database
    open_first_note(qtbot, desk)
    first = desk.controller.current
    open_before = desk.model.rowCount()
    desk.window.queue.setFocus()
    qtbot.keyClick(desk.window.queue, Qt.Key.Key_A)
    qtbot.waitUntil(lambda: _note_for(database, first.id) is not None, timeout=10_000)
    qtbot.waitUntil(lambda: desk.model.rowCount() == open_before - 1
                    and desk.controller.current is not None
                    and desk.controller.current.id != first.id, timeout=10_000)
    note = _note_for(database, first.id)
    assert note.body == first.client_text
    with database.read() as session:
        item = session.get(ReviewItem, first.id)
        assert item.status == ItemStatus.PUBLISHED
        approved = session.scalar(
            select(func.count()).select_from(AuditEntry)
            .where(AuditEntry.review_item_id == first.id, AuditEntry.action == "review_item.approved")
        )
        assert approved == 1
        raw = session.scalar(
            select(WebhookEvent.body).join(Event, Event.webhook_event_id == WebhookEvent.id)
            .where(Event.id == item.event_id)
        )
        catalog = {n.lower() for n in session.scalars(select(ClientService.name))}
    assert raw_values_in(note.body, raw, catalog) == []


def test_j_and_k_move_through_the_queue(qtbot, desk: Desk) -> None:
    desk.window.queue.setFocus()
    first = desk.controller.current.id
    qtbot.keyClick(desk.window.queue, Qt.Key.Key_J)
    qtbot.waitUntil(lambda: desk.controller.current is not None and desk.controller.current.id != first)
    qtbot.keyClick(desk.window.queue, Qt.Key.Key_K)
    qtbot.waitUntil(lambda: desk.controller.current is not None and desk.controller.current.id == first)


def test_sorting_by_a_column_reorders_in_sql(qtbot, desk: Desk) -> None:
    header = desk.window.queue.horizontalHeader()
    header.setSortIndicator(1, Qt.SortOrder.AscendingOrder)  # Age, oldest arrival first
    qtbot.waitUntil(lambda: desk.controller.sort.column == "age")
    qtbot.waitUntil(lambda: desk.model.row_at(0) is not None and not desk.runner.busy)
    arrivals = [desk.model.row_at(r).arrived_at for r in range(min(20, desk.model.rowCount()))]
    assert arrivals == sorted(arrivals)


def test_an_approved_item_is_listed_under_decided(qtbot, desk: Desk) -> None:
    open_first_note(qtbot, desk)
    first = desk.controller.current
    desk.window.queue.setFocus()
    qtbot.keyClick(desk.window.queue, Qt.Key.Key_A)
    qtbot.waitUntil(lambda: _note_for(desk.context.database, first.id) is not None)
    qtbot.waitUntil(lambda: not desk.runner.busy)
    desk.window.view_choice.setCurrentIndex(1)  # Decided
    qtbot.waitUntil(lambda: desk.model.rowCount() == 1 and desk.controller.current is not None
                    and desk.controller.current.id == first.id)
    assert desk.controller.current.status == "published"
    assert not desk.window.approve_action.isEnabled()
    assert desk.window.count_label.text() == "1 decided"
