"""The route end to end in the desktop: demo events -> poll -> queue -> approve by keyboard."""

from __future__ import annotations

from PySide6.QtCore import Qt
from sqlalchemy import func, select

from app.demo import write_demo_events
from db.engine import Database
from db.models import AuditEntry, ClientService, Event, PortalNote, ReviewItem, WebhookEvent
from db.vocab import ItemStatus
from tests.desk_fixtures import DeskFactory
from tests.raw_values import raw_values_in
from ui.desktop import Desk


def open_first(qtbot, desk: Desk, kind: str = "portal_note") -> int:
    """Open the first item of ``kind`` in the queue; returns its id."""
    row = next(
        r
        for r in range(desk.model.rowCount())
        if desk.model.row_at(r) is not None and desk.model.row_at(r).kind == kind
    )
    target = desk.model.row_at(row).id
    desk.window.select_row(row)
    qtbot.waitUntil(
        lambda: (
            desk.session.current is not None
            and desk.session.current.id == target
            and desk.session.claimed
            and not desk.runner.busy
        )
    )
    desk.window.queue.setFocus()
    return target


def note_for(database: Database, item_id: int) -> PortalNote | None:
    with database.read() as session:
        return session.scalar(select(PortalNote).where(PortalNote.review_item_id == item_id))


def test_the_queue_opens_its_first_item_beside_its_flags(make_desk: DeskFactory, sqlite_database: Database) -> None:
    desk = make_desk(sqlite_database)
    detail = desk.session.current
    panel = desk.window.detail
    assert panel.editor.toPlainText() == detail.client_text
    assert panel.flags_model.rowCount() == len(detail.flags)
    assert detail.raw_body.strip().startswith("{")
    assert desk.window.sidebar.model().count_of(0) == desk.model.rowCount()


def test_a_flagged_item_highlights_its_evidence(qtbot, make_desk: DeskFactory, sqlite_database: Database) -> None:
    desk = make_desk(sqlite_database)
    row = next(
        r
        for r in range(desk.model.rowCount())
        if desk.model.row_at(r) is not None and desk.model.row_at(r).top_severity > 0
    )
    target = desk.model.row_at(row).id
    desk.window.select_row(row)
    qtbot.waitUntil(lambda: desk.session.current is not None and desk.session.current.id == target)
    panel = desk.window.detail
    assert panel.flags_model.rowCount() >= 1
    assert panel.internal_summary.extraSelections() or panel.editor.extraSelections()


def test_pressing_a_approves_publishes_and_opens_the_next_item(
    qtbot, make_desk: DeskFactory, sqlite_database: Database
) -> None:
    desk = make_desk(sqlite_database, undo_window_s=0)
    first = open_first(qtbot, desk)
    open_before = desk.model.rowCount()
    qtbot.keyClick(desk.window.queue, Qt.Key.Key_A)
    qtbot.waitUntil(lambda: note_for(sqlite_database, first) is not None)
    qtbot.waitUntil(
        lambda: (
            desk.model.rowCount() == open_before - 1
            and desk.session.current is not None
            and desk.session.current.id != first
        )
    )
    note = note_for(sqlite_database, first)
    with sqlite_database.read() as session:
        item = session.get(ReviewItem, first)
        assert item.status == ItemStatus.PUBLISHED and note.body == item.final_text
        assert (
            session.scalar(
                select(func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.review_item_id == first, AuditEntry.action == "review_item.approved")
            )
            == 1
        )
        raw = session.scalar(
            select(WebhookEvent.body)
            .join(Event, Event.webhook_event_id == WebhookEvent.id)
            .where(Event.id == item.event_id)
        )
        catalog = {n.lower() for n in session.scalars(select(ClientService.name))}
    assert raw_values_in(note.body, raw, catalog) == []


def test_j_and_k_move_through_the_queue(qtbot, make_desk: DeskFactory, sqlite_database: Database) -> None:
    desk = make_desk(sqlite_database)
    desk.window.queue.setFocus()
    first = desk.session.current.id
    qtbot.keyClick(desk.window.queue, Qt.Key.Key_J)
    qtbot.waitUntil(lambda: desk.session.current is not None and desk.session.current.id != first)
    qtbot.keyClick(desk.window.queue, Qt.Key.Key_K)
    qtbot.waitUntil(lambda: desk.session.current is not None and desk.session.current.id == first)


def test_sorting_by_age_reorders_in_sql(qtbot, make_desk: DeskFactory, sqlite_database: Database) -> None:
    desk = make_desk(sqlite_database)
    desk.window.queue.horizontalHeader().setSortIndicator(1, Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: desk.controller.sort.column == "age" and not desk.runner.busy)
    arrivals = [desk.model.row_at(r).arrived_at for r in range(min(20, desk.model.rowCount()))]
    assert arrivals == sorted(arrivals)


def test_new_deliveries_appear_on_the_next_poll_without_losing_the_open_item(
    qtbot, make_desk: DeskFactory, sqlite_database: Database, monkeypatch
) -> None:
    monkeypatch.setattr("ui.queue.controller.COUNTS_EVERY_S", 0.5)
    desk = make_desk(sqlite_database, events=20)
    opened = desk.session.current.id
    before = desk.model.rowCount()
    with sqlite_database.write() as session:
        write_demo_events(session, 25, seed=99)
    desk.poll()
    qtbot.waitUntil(lambda: desk.model.rowCount() > before and not desk.runner.busy)
    assert desk.session.current.id == opened and desk.controller.selected.id == opened

    def highlighted() -> int | None:
        entry = desk.model.row_at(desk.window.queue.currentIndex().row())
        return entry.id if entry is not None else None

    qtbot.waitUntil(lambda: highlighted() == opened)  # the highlight followed it to its new row
    assert desk.session.current.id == opened
    with sqlite_database.read() as session:
        open_now = session.scalar(select(func.count()).select_from(ReviewItem).where(ReviewItem.is_open))
    assert desk.model.rowCount() == open_now
    # The sidebar was counted moments ago; its debounced recount still catches up by itself.
    qtbot.waitUntil(lambda: desk.window.sidebar.model().count_of(0) == open_now)
