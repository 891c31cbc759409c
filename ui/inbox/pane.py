"""The open task beside the inbox: what it is about, when it is due and who has it, the
commands that work it, and its history and its lead's timeline one tab away."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QGroupBox, QHeaderView, QTabWidget, QVBoxLayout, QWidget

from app.desk.tasks import TaskEvent, TaskRow
from app.desk.types import TimelineEntry
from ui.dates import short_datetime
from ui.detail.panel import button_grid, compact_rows, plain_label, table
from ui.detail.timeline_model import TimelineModel
from ui.inbox.model import countdown, priority_text
from ui.style import accent

if TYPE_CHECKING:
    from ui.detail.lead_panel import LeadPanel

BUTTONS_PER_ROW = 2


class TaskPane(QWidget):
    def __init__(self, actions: list[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        accent(self)
        self.task: TaskRow | None = None
        self.lead_panel: LeadPanel | None = None  # ``add_lead_panel``
        self.title = plain_label("", "Task")
        self.title.setObjectName("detailHeader")
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.about = plain_label("", "Lead and client")
        self.reason = plain_label("", "Why the task exists")
        self.due = plain_label("", "When it is due")
        self.assignee = plain_label("", "Who has it")
        self.calls = plain_label("", "Call backs")
        facts = QGroupBox("Task")
        facts_layout = QVBoxLayout(facts)
        facts_layout.setContentsMargins(6, 4, 6, 4)
        for label in (self.title, self.about, self.reason, self.due, self.assignee, self.calls):
            facts_layout.addWidget(label)
        facts_layout.addLayout(button_grid(actions, BUTTONS_PER_ROW))
        self.history_model = TimelineModel(self)
        self.timeline_model = TimelineModel(self)
        self.history_view = table(self.history_model, "Task history")
        self.timeline_view = table(self.timeline_model, "Lead timeline")
        self.tabs = QTabWidget()
        for view, name in ((self.history_view, "Task history"), (self.timeline_view, "Lead timeline")):
            compact_rows(view)
            view.horizontalHeader().setStretchLastSection(False)
            view.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
            self.tabs.addTab(view, name)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(facts)
        layout.addWidget(self.tabs, 1)
        self.show_task(None, datetime.now().astimezone())

    def add_lead_panel(self, panel: LeadPanel) -> None:
        """The lead panel (the desk builds it: it reads and moves the lead) beside the timeline."""
        self.lead_panel = panel
        self.tabs.addTab(panel, "Lead")

    def show_lead_tab(self) -> None:
        if self.lead_panel is not None:
            self.tabs.setCurrentWidget(self.lead_panel)

    def show_task(self, task: TaskRow | None, now: datetime) -> None:
        """``task`` (None: nothing selected); its history and timeline arrive after."""
        changed = task is None or self.task is None or task.id != self.task.id
        self.task = task
        if changed:
            self.history_model.set_rows([])
            self.timeline_model.set_rows([])
        if task is None:
            self.title.setText("Select a task in the list.")
            for label in (self.about, self.reason, self.due, self.assignee, self.calls):
                label.setText("")
            return
        self.title.setText(task.title)
        about = " · ".join(part for part in (task.lead_label, task.client_name) if part)
        self.about.setText(about or "Not about one lead")
        self.reason.setText(f"Why: {task.reason}" if task.reason else "")
        self.show_clock(now)
        who = task.assignee_name or "Nobody"
        self.assignee.setText(f"Assigned to {who}" + (f" ({task.assigned_reason})" if task.assigned_reason else ""))
        tries = f"{task.attempts} call back{'s' if task.attempts != 1 else ''} logged" if task.attempts else ""
        self.calls.setText(tries or "No call back logged yet")

    def show_clock(self, now: datetime) -> None:
        task = self.task
        if task is None:
            return
        escalated = f" · escalated {short_datetime(task.escalated_at)}" if task.escalated_at else ""
        self.due.setText(
            f"{priority_text(task.priority)} · due {short_datetime(task.due_at)} "
            f"({countdown(task.due_at, now)}){escalated}"
        )

    def show_history(self, task_id: int, events: list[TaskEvent]) -> None:
        if self.task is not None and self.task.id == task_id:
            self.history_model.set_rows([(short_datetime(e.at), e.what, e.who) for e in events])

    def show_timeline(self, task_id: int, entries: list[TimelineEntry]) -> None:
        if self.task is not None and self.task.id == task_id:
            self.timeline_model.set_entries(entries)
