"""Every item model passes Qt's model tester."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt

from db.queries.detail import DraftVersion, FlagView
from db.queries.pauses import Pause
from db.queries.queue import QueueRow
from db.queries.snippets import SnippetRow
from db.queries.tasks import TaskRow
from db.vocab import PauseScope
from ui.detail.flags_model import FlagsModel
from ui.detail.versions_model import VersionsModel
from ui.dialogs.snippets import SnippetsModel
from ui.inbox.model import TaskTableModel
from ui.inbox.views import TaskViewsModel
from ui.pauses.board import PausesModel
from ui.queue.model import COLUMNS, PAGE_SIZE, QueueTableModel

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def _rows(n: int) -> list[QueueRow]:
    return [
        QueueRow(
            id=i + 1,
            priority=1 + i % 4,
            arrived_at=NOW - timedelta(minutes=i),
            sla_due_at=NOW + timedelta(minutes=30 - i),
            client_name=f"Client {i % 3}",
            kind="portal_note",
            provider="web_form",
            lead_label=f"Lead {i}",
            flag_codes="pricing_promise" if i % 5 == 0 else "",
            top_severity=2 if i % 5 == 0 else 0,
            status="pending",
            holder=None,
            version=1,
            workflow="client_report_note",
            client_id=1 + i % 3,
        )
        for i in range(n)
    ]


def test_queue_model_with_every_page_loaded(qtmodeltester) -> None:
    rows = _rows(PAGE_SIZE * 2 + 17)
    model = QueueTableModel()
    model.reset(len(rows), rows[:PAGE_SIZE])
    for page in (1, 2):
        model.set_page(page, model.generation, rows[page * PAGE_SIZE : (page + 1) * PAGE_SIZE])
    qtmodeltester.check(model, force_py=False)
    assert model.rowCount() == len(rows) and model.columnCount() == len(COLUMNS)
    assert model.row_of(rows[-1].id) == len(rows) - 1


def test_queue_model_asks_once_for_a_missing_page_and_ignores_stale_ones(qtmodeltester, qtbot) -> None:
    rows = _rows(PAGE_SIZE * 3)
    model = QueueTableModel()
    asked: list[tuple[int, int]] = []
    model.page_needed.connect(lambda page, gen: asked.append((page, gen)))
    model.reset(len(rows), rows[:PAGE_SIZE])
    qtmodeltester.check(model, force_py=False)
    for row in range(model.rowCount()):  # what a view does while scrolling to the end
        model.data(model.index(row, 0))
        model.data(model.index(row, 3))
    assert sorted(set(asked)) == [(1, model.generation), (2, model.generation)]
    assert len(asked) == 2, "each missing page is requested once"
    assert model.data(model.index(PAGE_SIZE + 1, 0)) == "…"
    stale = model.generation
    model.reset(len(rows), rows[:PAGE_SIZE])
    model.set_page(1, stale, rows[PAGE_SIZE : 2 * PAGE_SIZE])  # fetched for the old result set
    assert model.row_at(PAGE_SIZE + 1) is None
    with qtbot.waitSignal(model.dataChanged):
        model.set_page(1, model.generation, rows[PAGE_SIZE : 2 * PAGE_SIZE])
    assert model.data(model.index(PAGE_SIZE + 1, 5)) == rows[PAGE_SIZE + 1].lead_label


def test_flags_model(qtmodeltester) -> None:
    model = FlagsModel()
    model.set_flags(
        (
            FlagView("pii_phone", 3, "phone number in client-facing text", "555-0142", "client_text", 3, 11, "rule"),
            FlagView("pricing_promise", 2, "pricing or promise language", "$2,400", "internal_summary", 0, 6, "rule"),
        )
    )
    qtmodeltester.check(model, force_py=False)
    assert model.data(model.index(0, 1)) == "Phone number (PII)"
    assert (model.data(model.index(1, 0)), model.data(model.index(1, 4))) == ("Medium", "Rule")


def test_queue_model_removing_a_row_moves_later_rows_up(qtmodeltester) -> None:
    rows = _rows(10)
    model = QueueTableModel()
    model.reset(10, rows)
    model.remove_row(3)
    qtmodeltester.check(model, force_py=False)
    assert model.rowCount() == 9
    assert model.row_at(3).id == rows[4].id and model.row_of(rows[9].id) == 8


def test_queue_model_grows_when_the_count_arrives(qtmodeltester) -> None:
    rows = _rows(PAGE_SIZE)
    model = QueueTableModel()
    model.reset(PAGE_SIZE, rows)  # the first page, before the count
    model.set_total(5000, model.generation)
    qtmodeltester.check(model, force_py=False)
    assert model.rowCount() == 5000 and model.row_at(4999) is None


def test_saved_views_model(qtmodeltester) -> None:
    from db.queries.queue import QueueCounts
    from ui.queue.filters import SAVED_VIEWS, SavedViewsModel

    model = SavedViewsModel()
    model.set_counts(QueueCounts(12, 2, 3, 4, 1, 5, 6, 0, 1))
    qtmodeltester.check(model, force_py=False)
    assert model.rowCount() == len(SAVED_VIEWS)
    assert model.data(model.index(0)) == "Open  (12)"
    assert model.data(model.index(len(SAVED_VIEWS) - 1)) == "Everything"


def test_timeline_model(qtmodeltester) -> None:
    from db.queries.timeline import TimelineEntry
    from ui.detail.timeline_model import TimelineModel

    model = TimelineModel()
    model.set_entries(
        [
            TimelineEntry(NOW, "event", "lead.created", "web_form", {"provider": "web_form"}),
            TimelineEntry(NOW, "audit", "review_item.approved", "riley", {"edit_class": "light_edit"}),
        ]
    )
    qtmodeltester.check(model, force_py=False)
    assert model.data(model.index(0, 1)) == "New lead from Web form"
    assert model.data(model.index(0, 2)) == "Web form"
    assert model.data(model.index(1, 1)) == "Approved by riley (light edit)"
    assert model.data(model.index(1, 2)) == "riley"


def test_versions_model(qtmodeltester) -> None:
    model = VersionsModel()
    model.set_versions(
        tuple(
            DraftVersion(
                n,
                "ai" if n % 2 else "offline-rules",
                "gpt-4o-mini" if n % 2 else None,
                "draft-v2",
                900,
                800,
                90,
                "shorter" if n == 3 else None,
                NOW - timedelta(minutes=n),
                f"Text {n}",
                ("template: follow up",),
            )
            for n in (3, 2, 1)
        )
    )
    assert model.rowCount() == 3
    qtmodeltester.check(model, force_py=False)


def test_pauses_model(qtmodeltester) -> None:
    model = PausesModel()
    model.set_pauses(
        [
            Pause(
                n,
                PauseScope.WORKFLOW,
                "missed_call_textback",
                "workflow missed_call_textback",
                "texts bounce",
                "manual",
                "sam",
                "nothing went out",
                "a test text arrives",
                NOW - timedelta(hours=n),
                None,
                NOW if n == 2 else None,
                "sam" if n == 2 else None,
                None,
                None,
            )
            for n in (1, 2)
        ]
    )
    assert model.rowCount() == 2
    qtmodeltester.check(model, force_py=False)


def test_snippets_model(qtmodeltester) -> None:
    model = SnippetsModel()
    model.set_rows(
        [
            SnippetRow(
                n,
                None if n == 1 else 2,
                "All clients" if n == 1 else "Northside Plumbing",
                "Drain cleaning",
                f"Snippet {n}",
                "We call back within the hour.",
                n,
                True,
                "sam",
                NOW,
            )
            for n in (1, 2)
        ]
    )
    assert model.rowCount() == 2
    qtmodeltester.check(model, force_py=False)


def test_queue_model_shows_words_not_codes_and_the_whole_value_as_tooltip() -> None:
    rows = _rows(6)
    model = QueueTableModel()
    model.reset(len(rows), rows)
    column = {name: COLUMNS.index(name) for name in COLUMNS}
    flagged = model.index(0, column["Flags"])
    assert model.data(model.index(0, column["Kind"])) == "Portal note"
    assert model.data(model.index(0, column["Source"])) == "Web form"
    assert model.data(model.index(0, column["State"])) == "Pending"
    assert model.data(flagged) == "Pricing promise"
    assert model.data(flagged, Qt.ItemDataRole.ToolTipRole) == "Medium risk: Pricing promise"
    lead = model.index(3, column["Lead"])
    assert model.data(lead, Qt.ItemDataRole.ToolTipRole) == model.data(lead) == "Lead 3"
    assert model.data(model.index(0, column["Age"]), Qt.ItemDataRole.ToolTipRole).startswith("Arrived ")
    assert model.data(model.index(0, column["Priority"]), Qt.ItemDataRole.ToolTipRole).startswith("Priority 1")


def test_the_decided_view_shows_and_sorts_by_when_each_item_was_decided(qtmodeltester) -> None:
    from dataclasses import replace

    decided_at = datetime.now(UTC) - timedelta(minutes=3)
    row = replace(_rows(1)[0], status="rejected", decided_at=decided_at, decided_by="ana")
    model = QueueTableModel()
    model.reset(1, [row])
    age = model.index(0, 1)
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Age"
    assert model.sort_key(1) == "age"
    arrived = model.data(age)  # elsewhere: how long ago it arrived
    assert ":" not in arrived
    model.set_decided_view(True)
    qtmodeltester.check(model)
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Decided"
    assert model.sort_key(1) == "decided"
    shown = model.data(age)
    assert shown != arrived and ":" in shown  # the time of the decision
    assert model.data(age, Qt.ItemDataRole.ToolTipRole).startswith("Decided ")
    assert "by ana" in model.data(age, Qt.ItemDataRole.ToolTipRole)


def _tasks(n: int) -> list[TaskRow]:
    return [
        TaskRow(
            id=i + 1,
            lead_id=i + 10 if i % 4 else None,
            lead_label=f"Lead {i}" if i % 4 else "",
            client_name=f"Client {i % 3}",
            title=f"Call back Lead {i}",
            reason="missed call from a new caller",
            priority=1 + i % 3,
            due_at=NOW + timedelta(minutes=10 * i - 20),
            created_at=NOW - timedelta(minutes=15),
            assignee_login="ana" if i % 2 else "",
            assignee_name="Ana" if i % 2 else "",
            assigned_reason="client owner on duty" if i % 2 else "nobody on duty",
            attempts=i % 3,
            escalated_at=None,
            status="open",
        )
        for i in range(n)
    ]


def test_task_model_with_a_task_taken_out(qtmodeltester) -> None:
    model = TaskTableModel()
    model.set_rows(_tasks(8), NOW)
    qtmodeltester.check(model, force_py=False)
    assert model.data(model.index(0, 0)) == "20 min overdue"
    assert model.data(model.index(1, 5)) == "Ana" and model.data(model.index(0, 5)) == "Nobody"
    assert model.data(model.index(1, 6)) == "1" and model.data(model.index(0, 6)) == ""
    assert model.data(model.index(0, 2)) == "—"  # a task about no one lead
    assert model.remove(3) == 2 and model.rowCount() == 7 and model.row_of(4) == 2
    model.tick(NOW + timedelta(minutes=30))
    qtmodeltester.check(model, force_py=False)


def test_task_views_model_with_counts(qtmodeltester) -> None:
    model = TaskViewsModel()
    qtmodeltester.check(model, force_py=False)
    model.set_counts({"tasks": 1200, "my_tasks": 3, "overdue_tasks": 0})
    qtmodeltester.check(model, force_py=False)
    assert model.data(model.index(0)) == "Tasks  (1,200)"
    assert model.data(model.index(1), Qt.ItemDataRole.AccessibleTextRole) == "My tasks, 3 tasks"
