"""The owner-task inbox in the desk, worked from the keyboard: its views and countdowns, done
opening the next task, call backs, a snooze bounded by the client's rule, reassigning
(supervisors), tasks alerted through the notifier, and the tray itself offscreen."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QDialog
from sqlalchemy import update

from db.engine import Database
from db.models import ClientSlaPolicy, Lead, OwnerTask, ReviewItem
from db.types import utcnow
from db.vocab import Role, TaskStatus
from tests.desk_fixtures import DeskFactory
from tests.helpers import actor_with, make_actor
from tests.task_fixtures import RecordingNotifier, give_tasks, open_my_tasks
from ui.desktop import Desk
from ui.dialogs.task import OutcomeDialog, ReassignDialog, SnoozeDialog
from ui.inbox.alerts import TrayNotifier
from ui.inbox.model import countdown


def dialog_of(qtbot, kind: type[QDialog]) -> QDialog:
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), kind))
    return QApplication.activeModalWidget()


def task_row(database: Database, task_id: int) -> OwnerTask:
    with database.read() as session:
        task = session.get(OwnerTask, task_id)
        session.expunge(task)
        return task


def desk_with(make_desk: DeskFactory, database: Database, login: str = "tester", role: Role = Role.REVIEWER) -> Desk:
    return make_desk(database, actor=actor_with(database, login, role), notifier=RecordingNotifier())


def test_my_tasks_lists_mine_soonest_due_first_with_countdowns_coloured_against_their_window(
    qtbot, make_desk: DeskFactory, sqlite_database: Database
) -> None:
    desk = desk_with(make_desk, sqlite_database)
    give_tasks(
        sqlite_database,
        desk.context.actor,
        [
            ("Ada Park", timedelta(minutes=40), 2),
            ("Ben Ortiz", timedelta(minutes=-3), 1),
            ("Cy Lane", timedelta(seconds=20), 1),
        ],
    )
    open_my_tasks(qtbot, desk)
    window, model = desk.window, desk.tasks.inbox.model
    assert window.middle.currentIndex() == 1 and window.right.currentIndex() == 1
    assert [model.row_at(r).lead_label for r in range(model.rowCount())] == ["Ben Ortiz", "Cy Lane", "Ada Park"]
    due = [model.index(r, 0) for r in range(3)]
    assert model.data(due[0]).endswith("overdue") and model.data(due[2]).endswith("left")
    colours = [model.data(i, Qt.ItemDataRole.ForegroundRole) for i in due]
    assert colours[0] is not None and colours[1] is not None and colours[2] is None  # overdue, soon, plenty
    assert window.task_pane.title.text() == "Call back Ben Ortiz"
    assert "client owner on duty" in window.task_pane.assignee.text()
    qtbot.waitUntil(lambda: window.task_views_model.count_of("my_tasks") == 3)
    assert window.task_views_model.count_of("overdue_tasks") >= 1
    # The review actions are off while the inbox shows: no key approves or moves the queue.
    assert desk.session.current is None
    assert not window.actions_.approve.isEnabled() and not window.actions_.next.isEnabled()


def test_done_records_the_outcome_and_opens_the_next_task_at_once(
    qtbot, make_desk: DeskFactory, sqlite_database: Database
) -> None:
    desk = desk_with(make_desk, sqlite_database)
    first, second = give_tasks(
        sqlite_database,
        desk.context.actor,
        [("Ada Park", timedelta(minutes=5), 1), ("Ben Ortiz", timedelta(minutes=9), 1)],
    )
    open_my_tasks(qtbot, desk)
    assert desk.tasks.inbox.current.id == first
    qtbot.keyClick(desk.window.tasks_table, Qt.Key.Key_D)
    dialog = dialog_of(qtbot, OutcomeDialog)
    dialog.choice_box.setCurrentIndex(dialog.choice_box.findData("reached"))
    qtbot.keyClicks(dialog.note, "booked for Tuesday")
    qtbot.keyClick(dialog.note, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(
        lambda: desk.tasks.inbox.current is not None and desk.tasks.inbox.current.id == second and not desk.runner.busy
    )
    done = task_row(sqlite_database, first)
    assert done.status == TaskStatus.DONE and done.done_at is not None
    with sqlite_database.read() as session:
        assert session.get(Lead, done.lead_id).first_response_at is not None
    assert desk.tasks.inbox.model.row_of(first) is None
    assert desk.window.task_pane.title.text() == "Call back Ben Ortiz"
    assert any("Done: Call back Ada Park" in text for text in desk.window.notices.log.texts())


def test_other_needs_a_note_before_done_is_possible(qtbot, make_desk: DeskFactory, sqlite_database: Database) -> None:
    desk = desk_with(make_desk, sqlite_database)
    (task_id,) = give_tasks(sqlite_database, desk.context.actor, [("Ada Park", timedelta(minutes=5), 1)])
    open_my_tasks(qtbot, desk)
    qtbot.keyClick(desk.window.tasks_table, Qt.Key.Key_D)
    dialog = dialog_of(qtbot, OutcomeDialog)
    dialog.choice_box.setCurrentIndex(dialog.choice_box.findData("other"))
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert not ok.isEnabled()
    qtbot.keyClicks(dialog.note, "asked us to email instead")
    assert ok.isEnabled()
    dialog.reject()
    qtbot.waitUntil(lambda: not desk.runner.busy)
    assert task_row(sqlite_database, task_id).status == TaskStatus.OPEN  # closing the dialog changed nothing


def test_a_call_back_is_logged_and_the_task_stays_with_its_history(
    qtbot, make_desk: DeskFactory, sqlite_database: Database
) -> None:
    desk = desk_with(make_desk, sqlite_database)
    (task_id,) = give_tasks(sqlite_database, desk.context.actor, [("Ada Park", timedelta(minutes=5), 1)])
    open_my_tasks(qtbot, desk)
    qtbot.keyClick(desk.window.tasks_table, Qt.Key.Key_C)
    dialog = dialog_of(qtbot, OutcomeDialog)
    assert dialog.choice_box.findData("booked") == -1  # a call back does not book the job
    dialog.choice_box.setCurrentIndex(dialog.choice_box.findData("no_answer"))
    dialog.accept()
    pane = desk.window.task_pane
    qtbot.waitUntil(lambda: pane.calls.text() == "1 call back logged" and not desk.runner.busy)
    assert task_row(sqlite_database, task_id).attempts == 1 and desk.tasks.inbox.current.id == task_id
    qtbot.waitUntil(
        lambda: any(
            "Call back: no answer" in str(pane.history_model.data(pane.history_model.index(r, 1)))
            for r in range(pane.history_model.rowCount())
        )
    )


def test_a_snooze_offers_no_more_than_the_clients_window(
    qtbot, make_desk: DeskFactory, sqlite_database: Database
) -> None:
    desk = desk_with(make_desk, sqlite_database)
    (task_id,) = give_tasks(sqlite_database, desk.context.actor, [("Ada Park", timedelta(minutes=5), 1)])
    task = task_row(sqlite_database, task_id)
    with sqlite_database.write() as session:
        source = session.get(Lead, task.lead_id).source
        session.add(ClientSlaPolicy(client_id=task.client_id, source=source, response_minutes=30))
    open_my_tasks(qtbot, desk)
    qtbot.keyClick(desk.window.tasks_table, Qt.Key.Key_Z)
    dialog = dialog_of(qtbot, SnoozeDialog)
    spans = [dialog.choice_box.itemData(i) for i in range(dialog.choice_box.count())]
    assert max(spans) == timedelta(minutes=30)
    dialog.choice_box.setCurrentIndex(spans.index(timedelta(minutes=30)))
    before = utcnow()
    dialog.accept()
    qtbot.waitUntil(lambda: task_row(sqlite_database, task_id).due_at > before + timedelta(minutes=29))
    assert task_row(sqlite_database, task_id).status == TaskStatus.OPEN


def test_a_supervisor_reassigns_and_a_reviewer_cannot(qtbot, make_desk: DeskFactory, sqlite_database: Database) -> None:
    desk = desk_with(make_desk, sqlite_database, "sam", Role.SUPERVISOR)
    riley = make_actor(sqlite_database, "riley")
    (task_id,) = give_tasks(sqlite_database, desk.context.actor, [("Ada Park", timedelta(minutes=5), 1)])
    open_my_tasks(qtbot, desk)
    assert desk.window.task_actions.reassign.isEnabled()
    qtbot.keyClick(desk.window.tasks_table, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    dialog = dialog_of(qtbot, ReassignDialog)
    dialog.choice_box.setCurrentIndex(dialog.choice_box.findData("riley"))
    dialog.accept()
    qtbot.waitUntil(lambda: task_row(sqlite_database, task_id).assignee_id == riley.user_id)
    qtbot.waitUntil(lambda: desk.tasks.inbox.model.row_of(task_id) is None)  # not in My tasks any more


def test_a_supervisor_reassigns_the_selected_tasks_at_once(
    qtbot, make_desk: DeskFactory, sqlite_database: Database
) -> None:
    desk = desk_with(make_desk, sqlite_database, "sam", Role.SUPERVISOR)
    riley = make_actor(sqlite_database, "riley")
    ids = give_tasks(
        sqlite_database,
        desk.context.actor,
        [(name, timedelta(minutes=5 + n), 1) for n, name in enumerate(("Ada Park", "Ben Ortiz", "Cy Lane"))],
    )
    open_my_tasks(qtbot, desk)
    table = desk.window.tasks_table
    qtbot.keyClick(table, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)  # the first two
    assert desk.window.selected_task_ids() == ids[:2]
    qtbot.keyClick(table, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    dialog = dialog_of(qtbot, ReassignDialog)
    dialog.choice_box.setCurrentIndex(dialog.choice_box.findData("riley"))
    dialog.accept()
    qtbot.waitUntil(lambda: desk.tasks.inbox.model.rowCount() == 1 and not desk.runner.busy)
    assert [task_row(sqlite_database, i).assignee_id for i in ids] == [
        riley.user_id,
        riley.user_id,
        desk.context.actor.user_id,
    ]
    assert desk.tasks.inbox.current.id == ids[2]
    assert any("Reassigned 2 tasks to" in text for text in desk.window.notices.log.texts())


def test_a_reviewer_has_no_reassign(qtbot, make_desk: DeskFactory, sqlite_database: Database) -> None:
    desk = desk_with(make_desk, sqlite_database)
    give_tasks(sqlite_database, desk.context.actor, [("Ada Park", timedelta(minutes=5), 1)])
    open_my_tasks(qtbot, desk)
    assert desk.window.task_actions.done.isEnabled() and not desk.window.task_actions.reassign.isEnabled()


def items_due_in(database: Database, span: timedelta, item_id: int | None = None) -> None:
    """Every open item (or only ``item_id``) due ``span`` from now."""
    with database.write() as session:
        where = [ReviewItem.is_open == 1] + ([ReviewItem.id == item_id] if item_id is not None else [])
        session.execute(update(ReviewItem).where(*where).values(sla_due_at=utcnow() + span))


def test_urgent_and_due_soon_tasks_are_alerted_once_and_a_click_opens_the_task(
    qtbot, make_desk: DeskFactory, sqlite_database: Database
) -> None:
    desk = desk_with(make_desk, sqlite_database)
    items_due_in(sqlite_database, timedelta(days=1))  # no item near its SLA: tasks only
    urgent, later = give_tasks(
        sqlite_database,
        desk.context.actor,
        [("Ada Park", timedelta(minutes=14), 1), ("Ben Ortiz", timedelta(minutes=3), 2)],
    )
    notifier = desk.tasks.notifier
    desk.tasks.alerts.check()
    qtbot.waitUntil(lambda: len(notifier.said) == 2 and not desk.runner.busy)
    assert {(title, target) for title, _, target in notifier.said} == {
        ("New urgent task", ("task", urgent)),
        ("Task due soon", ("task", later)),
    }
    assert notifier.count == 2
    desk.tasks.alerts.check()
    qtbot.waitUntil(lambda: not desk.runner.busy)
    assert len(notifier.said) == 2  # told once each
    notifier.opened.emit("task", later)
    qtbot.waitUntil(lambda: desk.tasks.inbox.current is not None and desk.tasks.inbox.current.id == later)
    assert desk.window.middle.currentIndex() == 1


def test_an_item_about_to_pass_its_sla_is_alerted_and_a_click_opens_it(
    qtbot, make_desk: DeskFactory, sqlite_database: Database
) -> None:
    desk = desk_with(make_desk, sqlite_database)
    items_due_in(sqlite_database, timedelta(days=1))
    target = desk.model.row_at(desk.model.rowCount() - 1)
    items_due_in(sqlite_database, timedelta(minutes=2), target.id)
    notifier = desk.tasks.notifier
    desk.tasks.alerts.check()
    qtbot.waitUntil(lambda: bool(notifier.said) and not desk.runner.busy)
    assert notifier.said == [("A review item reaches its SLA within 5 min", target.lead_label, ("item", target.id))]
    assert notifier.count == 1
    desk.window.task_views.select("tasks")  # from the inbox, a click comes back to the queue
    qtbot.waitUntil(lambda: desk.window.middle.currentIndex() == 1 and not desk.runner.busy)
    notifier.opened.emit("item", target.id)
    qtbot.waitUntil(lambda: desk.session.current is not None and desk.session.current.id == target.id)
    assert desk.window.middle.currentIndex() == 0


def test_the_tray_shows_the_count_and_a_click_names_the_task(qtbot) -> None:
    notifier = TrayNotifier(QIcon())
    opened: list[tuple[str, int]] = []
    notifier.opened.connect(lambda kind, target: opened.append((kind, target)))
    notifier.set_count(3)
    assert "3 due soon" in notifier.tray.toolTip() and not notifier.tray.icon().isNull()
    notifier.notify("New urgent task", "Call back Ada Park", ("task", 42))
    notifier.tray.messageClicked.emit()
    assert opened == [("task", 42)]
    notifier.set_count(0)
    assert notifier.tray.toolTip() == "Review Desk"


def test_countdown_words() -> None:
    now = utcnow()
    assert countdown(now + timedelta(minutes=12, seconds=30), now) == "12 min left"
    assert countdown(now + timedelta(hours=1, minutes=5), now) == "1 h 05 left"
    assert countdown(now - timedelta(seconds=20), now) == "1 min overdue"
    assert countdown(now - timedelta(days=3), now) == "3 d overdue"
