"""A calm first start: counts and status right from the first paint, held rows greyed at once,
the first item opened one the reviewer may act on, and an identity dialog that offers the
computer's login only for someone new."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.demo import write_demo_events
from app.desk import pauses as pause_ops
from app.desk.types import Pause, QueueRow, UserRow
from app.pipeline.poller import PollConfig, drain
from app.services.claims import claim
from app.services.pauses import PauseRequest
from db.engine import Database
from db.models import ReviewItem
from db.vocab import ItemStatus, PauseScope, Role
from tests.desk_fixtures import DeskFactory, build_desk
from tests.helpers import actor_with, make_actor, run_async
from ui.desktop import Desk
from ui.dialogs.identity import IdentityDialog
from ui.queue.controller import QueueController
from ui.queue.model import QueueTableModel
from ui.tasks import TaskRunner

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def unstarted(qtbot, qloop, tmp_path: Path, poll_config: PollConfig) -> Iterator[list[Desk]]:
    """Desks a test builds and starts itself (to watch what the first paint shows)."""
    desks: list[Desk] = []
    yield desks
    for desk in desks:
        run_async(qtbot, desk.stop())
        desk.window.close()
        desk.window.deleteLater()


def open_count(database: Database) -> int:
    with database.read() as session:
        return session.query(ReviewItem).filter(ReviewItem.is_open == 1).count()


def test_before_the_first_count_the_status_bar_says_counting_not_zero(
    qtbot, unstarted: list[Desk], sqlite_database: Database, poll_config: PollConfig, tmp_path: Path, monkeypatch
) -> None:
    """The first start: the deliveries are there, the items not yet (the desk's first poll
    makes them). The counts follow that poll at once, not after the recount interval."""
    monkeypatch.setattr("ui.queue.controller.COUNTS_EVERY_S", 3600.0)  # only a forced recount can come
    with sqlite_database.write() as session:
        write_demo_events(session, 20, seed=3)
    desk = build_desk(sqlite_database, make_actor(sqlite_database), poll_config, tmp_path)
    unstarted.append(desk)
    assert desk.window.count_label.text() == "Counting…"
    assert desk.window.pause_label.text() == "Checking pauses…"
    desk.start()
    qtbot.waitUntil(lambda: desk.last_poll is not None and desk.model.rowCount() > 0)
    expected = open_count(sqlite_database)
    assert expected > 0
    qtbot.waitUntil(lambda: desk.window.count_label.text().startswith(f"{expected:,} open"))
    assert desk.window.views_model.count_of(0) == expected


def test_held_rows_are_greyed_on_the_first_page_already(
    qtbot, unstarted: list[Desk], sqlite_database: Database, poll_config: PollConfig, tmp_path: Path
) -> None:
    with sqlite_database.write() as session:
        write_demo_events(session, 24, seed=7)
    drain(sqlite_database, poll_config)
    with sqlite_database.read() as session:
        workflow = session.query(ReviewItem.workflow).filter(ReviewItem.is_open == 1).first()[0]
    boss = actor_with(sqlite_database, "sam", Role.SUPERVISOR)
    request = PauseRequest(PauseScope.WORKFLOW, workflow, "Texts bouncing", "nothing went out", "a test arrives")
    pause_ops.start_pause(sqlite_database, boss, request)
    desk = build_desk(sqlite_database, make_actor(sqlite_database, "riley"), poll_config, tmp_path)
    unstarted.append(desk)
    first_paint: list[set[bool]] = []

    def on_first_page() -> None:
        model = desk.model
        rows = [model.row_at(r) for r in range(model.rowCount())]
        greyed = {
            rows[r].workflow == workflow
            for r in range(len(rows))
            if model.data(model.index(r, 2), Qt.ItemDataRole.ForegroundRole) is not None
        }
        first_paint.append(greyed)

    desk.controller.reloaded.connect(on_first_page)
    desk.start()
    qtbot.waitUntil(lambda: bool(first_paint) and not desk.runner.busy)
    assert first_paint[0] == {True}  # exactly the held rows, on the very first page
    assert desk.window.pause_label.text().lower() == "1 paused"


def test_the_first_item_opened_is_not_one_held_at_another_desk(
    qtbot, make_desk: DeskFactory, sqlite_database: Database, poll_config: PollConfig
) -> None:
    with sqlite_database.write() as session:
        write_demo_events(session, 20, seed=11)
    drain(sqlite_database, replace(poll_config))
    with sqlite_database.read() as session:
        top = (
            session.query(ReviewItem.id)
            .filter(ReviewItem.is_open == 1)
            .order_by(ReviewItem.priority, ReviewItem.sla_due_at, ReviewItem.id)
            .first()[0]
        )
    claim(sqlite_database, make_actor(sqlite_database, "elsewhere"), top, timedelta(minutes=10))
    desk = make_desk(sqlite_database, login="riley", events=0)
    assert desk.model.row_at(0).id == top and desk.model.row_at(0).holder == "elsewhere"
    assert desk.session.current.id == desk.model.row_at(1).id
    assert desk.session.claimed


def _row(item_id: int, status: str = ItemStatus.PENDING, holder: str | None = None, workflow: str = "w") -> QueueRow:
    return QueueRow(
        id=item_id,
        priority=1,
        arrived_at=NOW,
        sla_due_at=NOW,
        client_name="Client",
        kind="message",
        provider="web_form",
        lead_label=f"Lead {item_id}",
        flag_codes="",
        top_severity=0,
        status=status,
        holder=holder,
        version=1,
        workflow=workflow,
        client_id=1,
    )


def _controller(rows: list[QueueRow], supervises: bool) -> QueueController:
    model = QueueTableModel()
    model.reset(len(rows), rows)
    nothing = (None,) * 5  # planned, verified at and by, resumed at and by
    pause = Pause(1, PauseScope.WORKFLOW, "paused", "workflow paused", "why", "manual", "sam", "", "", NOW, *nothing)
    model.set_pauses([pause])
    return QueueController(TaskRunner(), model, None, 1, login="riley", supervises=supervises)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("statuses", "supervises", "expected"),
    [
        # held at another desk, escalated, held by a pause, free: the free one
        ((("in_review", "elsewhere", "w"), ("escalated", None, "w"), ("pending", None, "paused"), None), False, 3),
        # a supervisor may decide the escalated one
        ((("in_review", "elsewhere", "w"), ("escalated", None, "w"), ("pending", None, "paused"), None), True, 1),
        # nothing else: the one a pause holds
        ((("in_review", "elsewhere", "w"), ("pending", None, "paused")), False, 1),
        # this reviewer's own claim counts as theirs
        ((("in_review", "riley", "w"), None), False, 0),
        # nothing to act on: the first row, to read
        ((("in_review", "elsewhere", "w"), ("escalated", None, "w")), False, 0),
    ],
)
def test_the_first_row_to_open_is_the_most_urgent_the_reviewer_may_act_on(
    qtbot, qloop, statuses: tuple, supervises: bool, expected: int
) -> None:
    rows = [_row(n + 1) if spec is None else _row(n + 1, spec[0], spec[1], spec[2]) for n, spec in enumerate(statuses)]
    controller = _controller(rows, supervises)
    assert controller.first_to_open() == expected


def test_the_identity_dialog_offers_the_computers_login_only_for_someone_new(qtbot) -> None:
    users = [UserRow(1, "sam", "Sam Reyes", "admin", True), UserRow(2, "riley", "Riley Chen", "reviewer", True)]
    dialog = IdentityDialog(users, "oslogin")
    qtbot.addWidget(dialog)
    assert dialog.who.currentData() == "__new__" and dialog.login.text() == "oslogin"
    dialog.who.setCurrentIndex(1)  # Riley, an existing person
    assert dialog.login.text() == "" and not dialog.login.isEnabled()
    assert dialog.choice() == ("riley", None)
    dialog.who.setCurrentIndex(dialog.who.count() - 1)  # someone new again
    assert dialog.login.text() == "oslogin" and dialog.login.isEnabled()
    dialog.login.setText("jordan")
    dialog.who.setCurrentIndex(0)
    assert dialog.login.text() == ""
    dialog.who.setCurrentIndex(dialog.who.count() - 1)
    assert dialog.login.text() == "jordan" and dialog.choice() == ("jordan", Role.REVIEWER)
