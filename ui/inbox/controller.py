"""The inbox's state and its round trips: which view is shown, which task is current, the
views' counts, and each action on a task sent through the database lane with its outcome
handed to the desk's dispatcher as ``Changes``.

A task that leaves the view (done, snoozed out of Overdue, given to someone else from My
tasks) is taken out of the list at once and the one that takes its place is current, before
the view is read again: completing a task opens the next one without waiting for a query.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta

from PySide6.QtCore import QObject, QTimer, Signal

from app.desk import items
from app.desk import tasks as ops
from app.desk.changes import Changes, Notice
from app.desk.connection import is_busy, is_connection_error
from app.desk.tasks import TaskRow
from app.desk.types import Database
from app.identity import Actor
from app.services.errors import ActionRefused
from db.types import utcnow
from ui.inbox.model import TaskTableModel
from ui.tasks import TaskRunner

CLOCK_MS = 20_000  # the countdowns move on in minutes; a third of one is soon enough
VIEW_LIMIT = 500  # the most urgent first; a person works the top of the list


class TaskInbox(QObject):
    select_row = Signal(int)  # ask the view to make this row current
    current_changed = Signal(object)  # TaskRow | None
    history_loaded = Signal(int, list)  # task id, [TaskEvent]
    timeline_loaded = Signal(int, list)  # task id, [TimelineEntry]
    counts_changed = Signal(dict)  # {view: count}
    changed = Signal(object)  # Changes, for the desk's dispatcher
    connection_lost = Signal()
    ticked = Signal(object)  # now

    def __init__(self, runner: TaskRunner, model: TaskTableModel, database: Database, actor: Actor) -> None:
        super().__init__()
        self.runner = runner
        self.model = model
        self.database = database
        self.actor = actor
        self.view = "my_tasks"
        self.current: TaskRow | None = None
        self.shown = False  # the inbox is on screen (reads are skipped while it is not)
        self._generation = 0
        self._busy = False
        self._quiet = False
        self._wanted: int | None = None  # a task to make current once the view is read
        self._clock = QTimer(self)
        self._clock.setInterval(CLOCK_MS)
        self._clock.timeout.connect(self._tick)

    # --- what the window calls ---------------------------------------------------------

    def show_view(self, view: str) -> asyncio.Task[None] | None:
        self.view, self.shown = view, True
        self.current = None
        self._clock.start()
        self.refresh_counts()  # what is seen in the list and in the sidebar agree
        return self.reload(at_row=0)

    def hide(self) -> None:
        self.shown = False
        self._clock.stop()

    def reload(self, at_row: int | None = None) -> asyncio.Task[None] | None:
        """Read the view again, keeping the current task current (or the row ``at_row``)."""
        if not self.shown:
            return None
        self._generation += 1
        return self.runner.spawn(self._load(self._generation, at_row), "reading the tasks")

    def want(self, task_id: int) -> None:
        """Make ``task_id`` current at the next read (an alert was clicked)."""
        self._wanted = task_id

    def refresh_counts(self) -> asyncio.Task[None] | None:
        return self.runner.spawn(self._count(), "counting the tasks")

    def on_current_row(self, row: int | None) -> None:
        """The view's current row changed (keyboard, mouse, or ``select_row``). While the
        list is replaced or a row taken out, Qt moves the current row where it likes: ignored."""
        if self._quiet:
            return
        task = self.model.row_at(row) if row is not None else None
        if task == self.current:
            return
        self.current = task
        self.current_changed.emit(task)
        if task is not None:  # a new task, or this one changed (a call back logged)
            self.runner.spawn(self._load_history(task), "reading the task's history")

    def reread_current(self, _lead_id: int = 0) -> None:
        """The current task's lead changed (moved on from the lead panel): its history and
        timeline again."""
        if self.current is not None:
            self.runner.spawn(self._load_history(self.current), "reading the task's history")

    def stop_timers(self) -> None:
        self._clock.stop()

    # --- the actions ---------------------------------------------------------------------

    def complete(self, outcome: str, note: str) -> asyncio.Task[None] | None:
        return self._act(
            "completing the task", True, lambda t: ops.complete(self.database, self.actor, t, outcome, note)
        )

    def call_back(self, result: str, note: str) -> asyncio.Task[None] | None:
        return self._act(
            "logging the call back", False, lambda t: ops.call_back(self.database, self.actor, t, result, note)
        )

    def snooze(self, span: timedelta, note: str) -> asyncio.Task[None] | None:
        # Out of Overdue once snoozed; elsewhere it moves down the list when read again.
        leaves = self.view == "overdue_tasks"
        return self._act(
            "snoozing the task", leaves, lambda t: ops.snooze(self.database, self.actor, t, utcnow() + span, note)
        )

    def reassign(self, login: str, task_ids: list[int]) -> asyncio.Task[None] | None:
        """Give ``task_ids`` (the selected tasks, the current one among them) to ``login``."""
        task = self.current
        if task is None or self._busy or not task_ids:
            return None
        self._busy = True
        leaves = task_ids if self.view == "my_tasks" and login != self.actor.login else []

        def call(_current: int) -> Changes:
            return ops.reassign(self.database, self.actor, task_ids, login)

        return self.runner.spawn(self._run(task, leaves, call), "reassigning the tasks")

    async def snooze_bound(self, task_id: int) -> tuple[timedelta, str]:
        return await self.runner.read(ops.snooze_bound, self.database, task_id, utcnow())

    async def assignable_users(self) -> list[tuple[str, str]]:
        return await self.runner.read(ops.assignable_users, self.database)

    def _act(self, what: str, leaves: bool, call: Callable[[int], Changes]) -> asyncio.Task[None] | None:
        task = self.current
        if task is None or self._busy:
            return None
        self._busy = True
        return self.runner.spawn(self._run(task, [task.id] if leaves else [], call), what)

    async def _run(self, task: TaskRow, leaving: list[int], call: Callable[[int], Changes]) -> None:
        """``call`` on the database lane; then the tasks ``leaving`` the view are taken out."""
        try:
            changes = await self.runner.db(call, task.id)
        except ActionRefused as refusal:
            self._tell(task, str(refusal), "warning")
            return
        except Exception as exc:
            if is_busy(exc):
                self._tell(
                    task, "The database is busy (another program holds its lock); nothing was changed.", "warning"
                )
                return
            if not is_connection_error(exc):
                raise
            self.connection_lost.emit()
            self._tell(task, "The database cannot be reached, so nothing was changed.", "error")
            return
        finally:
            self._busy = False
        if leaving:
            self._take_out(leaving)
        self.changed.emit(changes)

    def _take_out(self, task_ids: list[int]) -> None:
        """Tasks left the view: the one that takes the place of the first is current now."""
        self._quiet = True
        try:
            rows = [row for row in map(self.model.remove, task_ids) if row is not None]
        finally:
            self._quiet = False
        if not rows:
            return
        row = min(rows)
        following = min(row, self.model.rowCount() - 1)
        if following < 0:
            self.on_current_row(None)
        else:
            self.select_row.emit(following)

    def _tell(self, task: TaskRow, text: str, level: str) -> None:
        self.changed.emit(Changes(notices=(Notice(text, level, task.lead_label),)))

    # --- reading -------------------------------------------------------------------------

    async def _load(self, generation: int, at_row: int | None) -> None:
        now = utcnow()
        try:
            rows = await self.runner.read(ops.open_tasks, self.database, self.actor, self.view, now, VIEW_LIMIT)
        except Exception as exc:
            if not is_connection_error(exc):
                raise
            self.connection_lost.emit()
            return
        if generation != self._generation:
            return  # another view (or a newer read) was asked for meanwhile
        keep = self._wanted or (self.current.id if self.current is not None else None)
        self._wanted = None
        was_at = self.model.row_of(keep) if keep is not None else None
        self._quiet = True
        try:
            self.model.set_rows(rows, now)
        finally:
            self._quiet = False
        row = self.model.row_of(keep) if keep is not None else None
        if row is None and rows:
            row = min(at_row if at_row is not None else was_at or 0, len(rows) - 1)
        if row is None:
            self.on_current_row(None)
        else:
            self.select_row.emit(row)

    async def _count(self) -> None:
        try:
            counts = await self.runner.background(ops.task_counts, self.database, self.actor, utcnow())
        except Exception as exc:
            if not is_connection_error(exc):
                raise
            return
        self.counts_changed.emit(counts)

    async def _load_history(self, task: TaskRow) -> None:
        history = await self.runner.background(ops.task_history, self.database, task.id)
        self.history_loaded.emit(task.id, history)
        if task.lead_id is not None:
            timeline = await self.runner.background(items.timeline, self.database, task.lead_id)
            self.timeline_loaded.emit(task.id, timeline)

    def _tick(self) -> None:
        now: datetime = utcnow()
        self.model.tick(now)
        self.ticked.emit(now)
