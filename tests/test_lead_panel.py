"""The lead panel beside the timeline, from the keyboard: the open lead's stage, first response
and next action, moved on (and to lost with a reason) through the lead-stage rules, in the
item's detail pane and in the task pane."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from sqlalchemy import select

from db.engine import Database
from db.models import AuditEntry, Lead
from db.vocab import Role
from tests.desk_fixtures import DeskFactory
from tests.helpers import actor_with
from tests.task_fixtures import RecordingNotifier, give_tasks, open_my_tasks
from ui.desktop import Desk


def lead_of(database: Database, lead_id: int) -> Lead:
    with database.read() as session:
        lead = session.get(Lead, lead_id)
        session.expunge(lead)
        return lead


def reviewer_desk(make_desk: DeskFactory, database: Database) -> Desk:
    return make_desk(database, actor=actor_with(database, "riley", Role.REVIEWER), notifier=RecordingNotifier())


def choose(panel, stage: str) -> None:
    panel.to.setCurrentIndex(panel.to.findData(stage))


def test_l_opens_the_lead_panel_and_a_move_records_the_stage_and_first_response(
    qtbot, make_desk: DeskFactory, sqlite_database: Database
) -> None:
    desk = reviewer_desk(make_desk, sqlite_database)
    lead_id = desk.session.current.lead_id
    panel = desk.item_lead
    qtbot.waitUntil(lambda: panel.card is not None and panel.card.id == lead_id)
    assert panel.stage.text() == "New" and panel.first_response.text() == "No response yet"
    assert [panel.to.itemData(i) for i in range(panel.to.count())] == [
        "contacted",
        "qualified",
        "quoted",
        "booked",
        "won",
        "lost",
    ]
    qtbot.keyClick(desk.window.queue, Qt.Key.Key_L)
    assert desk.window.detail.tabs.currentWidget() is panel and panel.to.hasFocus()
    choose(panel, "contacted")
    qtbot.keyClicks(panel.next_action, "Send the quote by Friday")
    panel.move_button.click()
    qtbot.waitUntil(lambda: panel.card is not None and panel.card.stage == "contacted" and not desk.runner.busy)
    lead = lead_of(sqlite_database, lead_id)
    assert lead.stage == "contacted" and lead.first_response_at is not None
    assert lead.next_action == "Send the quote by Friday"
    assert panel.stage.text() == "Contacted" and "after the lead came in" in panel.first_response.text()
    assert "contacted" not in [panel.to.itemData(i) for i in range(panel.to.count())]  # never back
    assert any("is contacted now" in text for text in desk.window.notices.log.texts())


def test_lost_asks_for_a_reason_and_records_it(qtbot, make_desk: DeskFactory, sqlite_database: Database) -> None:
    desk = reviewer_desk(make_desk, sqlite_database)
    lead_id = desk.session.current.lead_id
    panel = desk.item_lead
    qtbot.waitUntil(lambda: panel.card is not None and panel.card.id == lead_id)
    assert not panel.reason.isVisibleTo(panel)
    choose(panel, "lost")
    assert panel.reason.isVisibleTo(panel)
    panel.reason.setCurrentIndex(panel.reason.findData("chose_competitor"))
    panel.move_button.click()
    qtbot.waitUntil(lambda: panel.card is not None and panel.card.stage == "lost" and not desk.runner.busy)
    lead = lead_of(sqlite_database, lead_id)
    assert (lead.stage, lead.lost_reason, lead.outcome) == ("lost", "chose_competitor", "lost")
    assert [panel.to.itemData(i) for i in range(panel.to.count())] == ["archived"]
    with sqlite_database.read() as session:
        moves = session.scalars(
            select(AuditEntry.action).where(AuditEntry.lead_id == lead_id, AuditEntry.action == "lead.stage_changed")
        ).all()
    assert moves == ["lead.stage_changed"]


def test_the_task_pane_shows_the_tasks_lead(qtbot, make_desk: DeskFactory, sqlite_database: Database) -> None:
    desk = reviewer_desk(make_desk, sqlite_database)
    (task_id,) = give_tasks(sqlite_database, desk.context.actor, [("Ada Park", timedelta(minutes=5), 1)])
    open_my_tasks(qtbot, desk)
    lead_id = desk.tasks.inbox.current.lead_id
    qtbot.waitUntil(lambda: desk.tasks.lead.card is not None and desk.tasks.lead.card.id == lead_id)
    assert desk.tasks.lead.card.label == "Ada Park"
    qtbot.keyClick(desk.window.tasks_table, Qt.Key.Key_L)
    assert desk.window.task_pane.tabs.currentWidget() is desk.tasks.lead
    assert task_id == desk.tasks.inbox.current.id
