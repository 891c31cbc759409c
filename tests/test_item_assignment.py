"""Review items assigned by the roster for clients that ask for it, the queue's "Mine", and a
supervisor's bulk assignment, from the service and from the keyboard."""

from __future__ import annotations

from collections import Counter

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QLabel
from sqlalchemy import select

from app.demo import ensure_demo_catalog, write_demo_events
from app.demo_team import ensure_demo_operations, join_demo_roster
from app.identity import Actor
from app.item_assignment import assign_new_items
from app.pipeline.poller import PollConfig, drain
from app.services.assignment import assign_items
from app.services.errors import ActionRefused
from db.engine import Database
from db.models import AuditEntry, ClientOwner, DutyShift, ReviewItem, User
from db.queries.queue import QueueFilter, count_items
from db.types import utcnow
from db.vocab import ItemStatus, Role
from tests.desk_fixtures import DeskFactory
from tests.helpers import actor_with, make_actor
from tests.roster import HOUR, NOW, client, person
from tests.test_assignment import _emergency_form
from ui.dialogs.task import ReassignDialog


def _items(db: Database, client_id: int, count: int) -> list[int]:
    with db.write() as session:
        rows = [
            ReviewItem(
                kind="message",
                client_id=client_id,
                workflow="missed_call",
                provider="twilio",
                arrived_at=NOW,
                sla_due_at=NOW + HOUR,
                lead_label=f"Lead {n}",
                source="test",
                status=ItemStatus.PENDING,
            )
            for n in range(count)
        ]
        session.add_all(rows)
        session.flush()
        return [r.id for r in rows]


def _assigning(db: Database, client_id: int, owner: int | None = None) -> None:
    with db.write() as session:
        row = session.get(ClientOwner, client_id) or ClientOwner(client_id=client_id)
        row.assign_items, row.owner_id = True, owner
        session.add(row)


def _assignees(db: Database, ids: list[int]) -> list[int | None]:
    with db.read() as session:
        found = dict(session.execute(select(ReviewItem.id, ReviewItem.assignee_id).where(ReviewItem.id.in_(ids))).all())
    return [found[i] for i in ids]


def _assign_new(db: Database, client_id: int, ids: list[int]) -> int:
    with db.write() as session:
        return assign_new_items(session, [(i, client_id, None) for i in ids], actor="pipeline", source="test", now=NOW)


def test_items_of_an_assigning_client_spread_evenly_over_the_reviewers_on_duty(database: Database) -> None:
    people = [person(database, login) for login in ("ana", "ben", "cy")]
    person(database, "lee", Role.SUPERVISOR)
    acme = client(database)
    _assigning(database, acme)
    ids = _items(database, acme, 300)
    assert _assign_new(database, acme, ids[:150]) == 150
    assert _assign_new(database, acme, ids[150:]) == 150  # a second batch counts what the first gave
    assert Counter(_assignees(database, ids)) == {p: 100 for p in people}
    with database.read() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "review_item.assigned")).first()
    assert entry.detail["reason"] == "fewest open items among 3 reviewers on duty"


def test_the_clients_owner_on_duty_gets_them_and_other_clients_items_stay_shared(database: Database) -> None:
    owner = person(database, "ana")
    person(database, "ben")
    acme, other = client(database, "acme"), client(database, "other")
    _assigning(database, acme, owner)
    mine, shared = _items(database, acme, 3), _items(database, other, 3)
    with database.write() as session:
        given = assign_new_items(
            session,
            [(i, acme, None) for i in mine] + [(i, other, None) for i in shared],
            actor="pipeline",
            source="test",
            now=NOW,
        )
    assert given == 3
    assert _assignees(database, mine) == [owner] * 3 and _assignees(database, shared) == [None] * 3


def test_nobody_on_duty_leaves_the_item_shared_and_says_so(database: Database) -> None:
    person(database, "ana", on_duty=False)
    acme = client(database)
    _assigning(database, acme)
    ids = _items(database, acme, 1)
    assert _assign_new(database, acme, ids) == 0
    with database.read() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "review_item.assigned")).one()
    assert _assignees(database, ids) == [None] and entry.detail == {
        "to": None,
        "from_user_id": None,
        "reason": "nobody on duty",
    }


def test_the_pipeline_assigns_the_items_it_creates(database: Database, poll_config: PollConfig) -> None:
    with database.write() as session:
        northside = ensure_demo_catalog(session)["northside-plumbing"]
        riley = session.scalar(select(User.id).where(User.login == "demo.reviewer"))
        now = utcnow()
        session.add(DutyShift(user_id=riley, starts_at=now - HOUR, ends_at=now + HOUR))
        session.add(_emergency_form(northside))
    _assigning(database, northside)
    drain(database, poll_config)
    with database.read() as session:
        items = session.scalars(select(ReviewItem).where(ReviewItem.client_id == northside)).all()
    assert items and {i.assignee_id for i in items} == {riley}


def test_mine_counts_what_i_hold_and_what_is_assigned_to_me(database: Database) -> None:
    ana, ben = person(database, "ana"), person(database, "ben")
    boss = Actor(person(database, "lee", Role.SUPERVISOR), "lee", Role.SUPERVISOR)
    acme = client(database)
    ids = _items(database, acme, 4)
    with database.read() as session:
        assert count_items(session, QueueFilter(holder_id=ana)) == 0
    assert assign_items(database, boss, ids[:3], ana, note="her client") == 3
    with database.write() as session:
        session.get(ReviewItem, ids[3]).claimed_by_id = ana
    with database.read() as session:
        assert count_items(session, QueueFilter(holder_id=ana)) == 4
        assert count_items(session, QueueFilter(holder_id=ben)) == 0
    assert assign_items(database, boss, ids[:2], None) == 2  # back to the shared queue
    assert assign_items(database, boss, ids[:2], None) == 0  # nothing left to change
    with database.read() as session:
        assert count_items(session, QueueFilter(holder_id=ana)) == 2
        reasons = session.scalars(
            select(AuditEntry.detail).where(AuditEntry.action == "review_item.assigned").order_by(AuditEntry.id)
        ).all()
    assert reasons[0] == {"to": "ana", "from_user_id": None, "reason": "assigned by lee: her client"}
    assert reasons[-1]["to"] is None and reasons[-1]["from_user_id"] == ana


def test_only_a_supervisor_assigns_items_and_a_refusal_is_audited(database: Database) -> None:
    ana = person(database, "ana")
    ids = _items(database, client(database), 2)
    with pytest.raises(ActionRefused, match="supervisor"):
        assign_items(database, Actor(ana, "ana", Role.REVIEWER), ids, ana)
    with database.read() as session:
        refused = session.scalars(select(AuditEntry).where(AuditEntry.outcome == "refused")).one()
    assert refused.action == "review_item.assign" and _assignees(database, ids) == [None, None]
    boss = Actor(person(database, "lee", Role.SUPERVISOR), "lee", Role.SUPERVISOR)
    with pytest.raises(ActionRefused, match="not an active user"):
        assign_items(database, boss, ids, 999_999)


def test_a_supervisor_assigns_the_selected_items_from_the_keyboard(
    qtbot, make_desk: DeskFactory, sqlite_database: Database
) -> None:
    desk = make_desk(sqlite_database, actor=actor_with(sqlite_database, "sam", Role.SUPERVISOR))
    riley = make_actor(sqlite_database, "riley")
    view = desk.window.queue
    view.setFocus()
    view.selectRow(0)
    for _ in range(2):
        qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    chosen = [desk.model.row_at(r).id for r in view.selected_rows()]
    assert len(chosen) == 3 and desk.window.actions_.assign.isEnabled()
    qtbot.keyClick(view, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), ReassignDialog))
    dialog = QApplication.activeModalWidget()
    assert dialog.choice_box.itemText(0) == "Nobody: the shared queue" and "3 selected items" in _texts(dialog)
    dialog.choice_box.setCurrentIndex(dialog.choice_box.findData("riley"))
    dialog.accept()
    qtbot.waitUntil(lambda: _assignees(sqlite_database, chosen) == [riley.user_id] * 3)
    qtbot.waitUntil(lambda: "Assigned 3 items to riley" in desk.window.notices.shown())


def test_a_reviewer_cannot_assign_and_the_tooltip_says_why(
    qtbot, make_desk: DeskFactory, sqlite_database: Database
) -> None:
    desk = make_desk(sqlite_database, actor=actor_with(sqlite_database, "riley", Role.REVIEWER))
    assign = desk.window.actions_.assign
    assert not assign.isEnabled() and "Only a supervisor" in assign.toolTip()


def _texts(dialog: QDialog) -> str:
    return " ".join(label.text() for label in dialog.findChildren(QLabel))


def test_whoever_opens_the_demo_desk_finds_their_clients_items_in_mine(
    sqlite_database: Database, poll_config: PollConfig
) -> None:
    with sqlite_database.write() as session:
        write_demo_events(session, 40, seed=11)
        ensure_demo_operations(session)
    drain(sqlite_database, poll_config)
    me = make_actor(sqlite_database, "newcomer")
    join_demo_roster(sqlite_database, me.user_id)
    with sqlite_database.read() as session:
        owned = session.scalar(select(ClientOwner).where(ClientOwner.owner_id == me.user_id))
        theirs = count_items(session, QueueFilter(client_id=owned.client_id))
        mine = count_items(session, QueueFilter(holder_id=me.user_id))
    assert owned.assign_items and theirs > 0 and mine == theirs
