"""The desk fits a laptop: at 1280×720 the main window and every dialog lie inside the screen,
and the queue shows its default columns without a horizontal scrollbar."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog, QWidget

from app.database_failure import DatabaseFailure, explain
from app.desk.tasks import CALL_RESULTS, OUTCOMES
from app.desk.types import FlagView
from db.engine import Database
from db.vocab import Severity
from tests.desk_fixtures import DeskFactory
from tests.fit import LAPTOP, assert_fits
from ui.desktop import Desk
from ui.dialogs.about import AboutDialog
from ui.dialogs.acknowledge import AcknowledgeDialog
from ui.dialogs.cheat_sheet import CheatSheet
from ui.dialogs.identity import IdentityDialog
from ui.dialogs.note import EscalateDialog, RejectDialog
from ui.dialogs.recovery import RecoveryDialog
from ui.dialogs.regenerate import RegenerateDialog
from ui.dialogs.settings import SettingsDialog
from ui.dialogs.snippets import SnippetsDialog
from ui.dialogs.task import OutcomeDialog, ReassignDialog, SnoozeDialog
from ui.dialogs.welcome import WelcomeDialog
from ui.pauses.board import PauseBoard
from ui.pauses.new_pause import NewPauseDialog, PauseChoices
from ui.queue.model import COLUMNS
from ui.queue.view import DEFAULT_COLUMNS

LONG = "Grace Achterberg-Montgomery of the Northside Plumbing & Heating Cooperative"


def laptop_desk(qtbot: Any, make_desk: DeskFactory, database: Database) -> Desk:
    desk = make_desk(database)
    minimum = desk.window.minimumSizeHint()
    assert minimum.width() <= LAPTOP[0] and minimum.height() <= LAPTOP[1], _widest(desk.window)
    fit_screen(qtbot, desk.window, *LAPTOP)
    return desk


def fit_screen(qtbot: Any, window: QWidget, width: int, height: int) -> None:
    """Size ``window`` so that with its frame it is exactly ``width``×``height``."""
    extra = window.frameGeometry().size() - window.geometry().size()
    window.resize(width - extra.width(), height - extra.height())
    qtbot.waitUntil(lambda: window.frameGeometry().size().toTuple() == (width, height))


def _widest(window: QWidget) -> str:
    """The controls asking for the most room, for the failure message."""
    asks = sorted(
        (
            (
                w.minimumSizeHint().width(),
                w.minimumSizeHint().height(),
                w.accessibleName() or w.objectName() or type(w).__name__,
            )
            for w in window.findChildren(QWidget)
            if w.isVisibleTo(window)
        ),
        reverse=True,
    )
    return f"window asks {window.minimumSizeHint().toTuple()}; " + "; ".join(f"{n} {w}×{h}" for w, h, n in asks[:25])


def test_the_main_window_fits_1280x720_with_the_default_columns(
    qtbot: Any, make_desk: DeskFactory, sqlite_database: Database
) -> None:
    desk = laptop_desk(qtbot, make_desk, sqlite_database)
    window, queue = desk.window, desk.window.queue
    assert_fits(window)
    assert not queue.horizontalScrollBar().isVisible()
    header = queue.horizontalHeader()
    for name in DEFAULT_COLUMNS:
        column = COLUMNS.index(name)
        assert not queue.isColumnHidden(column), name
        left = header.sectionViewportPosition(column)
        assert left >= 0 and left + header.sectionSize(column) <= queue.viewport().width(), name
        assert header.sectionSize(column) >= queue.fontMetrics().horizontalAdvance("M") * 3, name  # readable


def test_a_long_value_is_elided_with_the_whole_of_it_in_the_tooltip(
    qtbot: Any, make_desk: DeskFactory, sqlite_database: Database
) -> None:
    desk = laptop_desk(qtbot, make_desk, sqlite_database)
    model = desk.model
    for column in range(model.columnCount()):
        index = model.index(0, column)
        shown = model.data(index)
        assert model.data(index, 3) == shown or column in (0, 1, 6, 7), COLUMNS[column]  # 3: ToolTipRole
    assert model.data(model.index(0, 1), 3).startswith("Arrived ")
    assert not desk.window.queue.horizontalScrollBar().isVisible()


CLOSED = "postgresql://sam@127.0.0.1:9/reviews"


async def _never_tried(url: str) -> DatabaseFailure | None:  # the recovery dialog's Attempt
    return None


def _acknowledge(desk: Desk) -> QDialog:
    reason = "The text gives the lead's phone number to the client, which the portal must never show. " * 2
    flags = [FlagView("pii_phone", int(Severity.HIGH), reason, "312-555-0142", "text", 0, 12, "rule")] * 5
    return AcknowledgeDialog(LONG, flags, desk.window)


# Every dialog of the desk, built as the desk builds it (with long values where they matter).
DIALOGS: dict[str, Callable[[Desk], QDialog]] = {
    "about": lambda d: AboutDialog("sqlite:///" + "/very/long/folder" * 12 + "/review-desk.sqlite3", d.window),
    "acknowledge": _acknowledge,
    "reject": lambda d: RejectDialog(d.window),
    "escalate": lambda d: EscalateDialog(d.window),
    "regenerate": lambda d: RegenerateDialog(d.window),
    "cheat_sheet": lambda d: CheatSheet(d.window.actions_.all, d.window),
    "snippets": lambda d: SnippetsDialog(d.context.database, d.context.actor, d.runner, d.window),
    "pause_board": lambda d: PauseBoard(d.pauses, d.pause_commands.choices, d.window),
    "new_pause": lambda d: NewPauseDialog(PauseChoices(), parent=d.window),
    "settings": lambda d: SettingsDialog(
        d.context.settings, d.runner, d.context.outbox_dir, lambda _settings: None, d.window
    ),
    "task_done": lambda d: OutcomeDialog("Task done", "Done", OUTCOMES, f"Call back {LONG}", d.window),
    "task_call_back": lambda d: OutcomeDialog("Log a call back", "Log call", CALL_RESULTS, LONG, d.window),
    "task_snooze": lambda d: SnoozeDialog(timedelta(hours=24), "the longest a task may wait", LONG, d.window),
    "task_reassign": lambda d: ReassignDialog([(f"user{n}", f"{LONG} {n}") for n in range(30)], "", LONG, d.window),
    "welcome": lambda d: WelcomeDialog(d.window),
    "identity": lambda d: IdentityDialog([], "grace", d.window),
    "recovery": lambda d: RecoveryDialog(
        explain(ConnectionRefusedError("refused"), CLOSED),
        CLOSED,
        "sqlite:///x.db",
        d.context.outbox_dir / "desk.log",
        _never_tried,
        d.runner,
        d.window,
    ),
}


@pytest.mark.parametrize("name", DIALOGS)
def test_the_dialog_fits_1280x720(qtbot: Any, make_desk: DeskFactory, sqlite_database: Database, name: str) -> None:
    desk = laptop_desk(qtbot, make_desk, sqlite_database)
    dialog = DIALOGS[name](desk)
    dialog.show()
    qtbot.waitExposed(dialog)
    try:
        assert_fits(dialog)
    finally:
        dialog.close()
        dialog.deleteLater()


@pytest.mark.parametrize("width", [1280, 1920])
def test_the_queue_has_no_horizontal_scrollbar_when_resized(
    qtbot: Any, make_desk: DeskFactory, sqlite_database: Database, width: int
) -> None:
    desk = make_desk(sqlite_database)
    fit_screen(qtbot, desk.window, width, 720)
    assert not desk.window.queue.horizontalScrollBar().isVisible()


def test_the_task_inbox_fits_1280x720(qtbot: Any, make_desk: DeskFactory, sqlite_database: Database) -> None:
    desk = laptop_desk(qtbot, make_desk, sqlite_database)
    desk.window.task_views.select("tasks")
    qtbot.waitUntil(lambda: desk.window.middle.currentIndex() == 1 and not desk.runner.busy)
    assert_fits(desk.window)
    assert not desk.window.tasks_table.horizontalScrollBar().isVisible()
