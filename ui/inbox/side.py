"""The inbox's half of the desk: the inbox controller, its alerts and the task pane's lead
panel, built before the window (which shows the inbox) and wired to it after. What they
change goes to the desk's one dispatcher; ``apply`` is that dispatcher's inbox part."""

from __future__ import annotations

from collections.abc import Callable

from app.desk.changes import Changes
from app.desk.tasks import TaskRow
from app.desk.types import Database
from app.identity import Actor
from ui.detail.lead_panel import LeadPanel
from ui.inbox.alerts import Notifier, TaskAlerts, TrayNotifier
from ui.inbox.controller import TaskInbox
from ui.inbox.model import TaskTableModel
from ui.main_window import MainWindow
from ui.tasks import TaskRunner


class TaskSide:
    def __init__(self, runner: TaskRunner, database: Database, actor: Actor) -> None:
        self.runner, self.database, self.actor = runner, database, actor
        self.inbox = TaskInbox(runner, TaskTableModel(), database, actor)
        self.lead = LeadPanel(runner, database, actor)

    def attach(
        self,
        window: MainWindow,
        dispatch: Callable[[Changes], None],
        connection_lost: Callable[[], None],
        notifier: Notifier | None = None,
    ) -> None:
        """Wire to ``window``; alerts go to ``notifier`` (the system tray unless a test hands
        in its own; its ``opened`` signal is a click on an alert)."""
        self.notifier = notifier or TrayNotifier(parent=window)
        self.alerts = TaskAlerts(self.runner, self.database, self.actor, self.notifier)
        window.task_pane.add_lead_panel(self.lead)
        self.inbox.changed.connect(dispatch)
        self.inbox.connection_lost.connect(connection_lost)
        self.inbox.current_changed.connect(self._task_changed)
        self.notifier.opened.connect(window.open_alert)  # type: ignore[attr-defined]
        self.lead.changed.connect(dispatch)
        self.lead.moved.connect(self.inbox.reread_current)

    def apply(self, changes: Changes) -> None:
        if changes.tasks:
            self.inbox.reload()
        if changes.tasks or changes.counts:
            self.inbox.refresh_counts()
            self.alerts.check()

    def start(self) -> None:
        self.inbox.refresh_counts()

    def stop(self) -> None:
        self.inbox.stop_timers()

    def _task_changed(self, task: TaskRow | None) -> None:
        self.lead.show_lead(task.lead_id if task is not None else None)
