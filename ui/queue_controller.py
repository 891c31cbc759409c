"""Wires the queue model, the selection and reviewer actions to the services.

Everything that touches the database is awaited through the TaskRunner; the model and the
widgets are only touched here, on the GUI thread.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace
from datetime import datetime

from PySide6.QtCore import QObject, Signal

from app.identity import Actor
from app.pipeline.poller import PollConfig, PollResult, poll_once
from app.services.errors import ActionRefused
from app.services.review import approve
from db.engine import Database
from db.queries.detail import ItemDetail, load_item_detail
from db.queries.queue import QueueFilter, QueueRow, QueueSort, count_items, fetch_page
from db.types import utcnow
from ui.queue_model import PAGE_SIZE, SORT_KEYS, QueueTableModel
from ui.tasks import TaskRunner


@dataclass(frozen=True)
class DeskContext:
    """What the desk works against: one database, one reviewer, one pipeline configuration."""

    database: Database
    actor: Actor
    poll_config: PollConfig


class QueueController(QObject):
    detail_changed = Signal(object)  # ItemDetail | None
    select_row = Signal(int)  # ask the view to select this row
    refused = Signal(str)  # an action the services would not perform, in words
    counts_changed = Signal(int)  # open items matching the filter
    polled = Signal(object, object)  # PollResult, when (datetime)
    busy_changed = Signal(bool)

    def __init__(
        self, runner: TaskRunner, model: QueueTableModel, context: DeskContext,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.model = model
        self.context = context
        self.filter = QueueFilter()
        self.sort = QueueSort()
        self.current: ItemDetail | None = None
        self._polling = False
        self._acting = False
        self._detail_request = 0
        model.page_needed.connect(self._on_page_needed)

    # --- queue contents ------------------------------------------------------------------

    def refresh(self, keep_row: int | None = None) -> asyncio.Task[None] | None:
        return self.runner.spawn(self._refresh(keep_row), "refreshing the queue")

    def show_statuses(self, statuses: tuple[str, ...]) -> None:
        """Which states the queue lists (open work, decided items, or everything)."""
        self.filter = replace(self.filter, statuses=statuses)
        self.refresh(keep_row=0)

    def sort_by_column(self, column: int, descending: bool) -> None:
        key = SORT_KEYS[column] if 0 <= column < len(SORT_KEYS) else None
        if key is None:
            return
        self.sort = QueueSort(key, descending)
        self.refresh(keep_row=0)

    def _first_page(self) -> tuple[int, list[QueueRow]]:
        with self.context.database.read() as session:
            total = count_items(session, self.filter)
            return total, fetch_page(session, self.filter, self.sort, 0, PAGE_SIZE)

    async def _refresh(self, keep_row: int | None) -> None:
        keep_id = self.current.id if self.current else None
        total, first = await self.runner.db(self._first_page)
        self.model.reset(total, first)
        self.counts_changed.emit(total)
        if total == 0:
            self.show_row(None)
            return
        row = self.model.row_of(keep_id) if keep_id is not None and keep_row is None else None
        if row is None:
            row = min(keep_row if keep_row is not None else 0, total - 1)
        self.select_row.emit(row)

    def _on_page_needed(self, page: int, generation: int) -> None:
        self.runner.spawn(self._load_page(page, generation), "loading queue rows")

    async def _load_page(self, page: int, generation: int) -> None:
        filt, sort = self.filter, self.sort

        def fetch() -> list[QueueRow]:
            with self.context.database.read() as session:
                return fetch_page(session, filt, sort, page * PAGE_SIZE, PAGE_SIZE)

        self.model.set_page(page, generation, await self.runner.db(fetch))

    # --- the selected item ---------------------------------------------------------------

    def show_row(self, row: int | None) -> None:
        entry = self.model.row_at(row) if row is not None and row >= 0 else None
        self._detail_request += 1
        if entry is None:
            self.current = None
            self.detail_changed.emit(None)
            return
        self.runner.spawn(self._load_detail(entry.id, self._detail_request), "opening the item")

    async def _load_detail(self, item_id: int, request: int) -> None:
        def load() -> ItemDetail | None:
            with self.context.database.read() as session:
                return load_item_detail(session, item_id)

        detail = await self.runner.db(load)
        if request != self._detail_request:
            return  # the reviewer moved on while it loaded
        self.current = detail
        self.detail_changed.emit(detail)

    # --- actions -------------------------------------------------------------------------

    def approve_current(self) -> asyncio.Task[None] | None:
        if self.current is None or self._acting:
            return None
        return self.runner.spawn(self._approve(self.current), "approving the item")

    async def _approve(self, detail: ItemDetail) -> None:
        row = self.model.row_of(detail.id)
        self._set_acting(True)
        try:
            await self.runner.db(
                approve, self.context.database, self.context.actor, detail.id, detail.version
            )
        except ActionRefused as refusal:
            self.refused.emit(str(refusal))
            self.current = None
            await self._refresh(keep_row=row)
            return
        finally:
            self._set_acting(False)
        self.current = None
        await self._refresh(keep_row=row if row is not None else 0)

    def _set_acting(self, acting: bool) -> None:
        self._acting = acting
        self.busy_changed.emit(acting)

    # --- polling -------------------------------------------------------------------------

    def poll(self) -> asyncio.Task[None] | None:
        if self._polling:
            return None
        self._polling = True
        return self.runner.spawn(self._poll(), "polling for new work")

    async def _poll(self) -> None:
        try:
            result: PollResult = await self.runner.db(
                poll_once, self.context.database, self.context.poll_config
            )
        finally:
            self._polling = False
        when: datetime = utcnow()
        self.polled.emit(result, when)
        if result.items or self.model.rowCount() == 0:
            await self._refresh(keep_row=None)
