"""The queue's behaviour: which view, filter and sort; fetching pages and counts off the GUI
thread; keeping the selection and scroll position through refreshes; advancing after an action.

Rows and counts come from ``app.desk.queue``, awaited through the TaskRunner (on its read
pools); the model and the selection are touched only here, on the GUI thread.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable
from dataclasses import replace

from PySide6.QtCore import QObject, QTimer, Signal

from app.desk import queue as rows_of
from app.desk.types import Database, QueueCounts, QueueFilter, QueueRow, QueueSort
from db.types import utcnow
from db.vocab import OPEN_ITEM_STATUSES, ItemStatus
from ui.queue.filters import SAVED_VIEWS
from ui.queue.model import PAGE_SIZE, QueueTableModel
from ui.tasks import TaskRunner

COUNTS_EVERY_S = 10.0
AGE_REFRESH_MS = 30_000


class QueueController(QObject):
    select_row = Signal(int)  # ask the view to make this row current
    current_item = Signal(object)  # QueueRow | None: the reviewer moved to another item
    counts_changed = Signal(object)  # QueueCounts
    reloaded = Signal()  # a new result set is on screen (its first page)

    def __init__(
        self,
        runner: TaskRunner,
        model: QueueTableModel,
        database: Database,
        user_id: int,
        parent: QObject | None = None,
        *,
        login: str = "",
        supervises: bool = False,
    ) -> None:
        """``login`` and ``supervises``: whose queue it is, to open first an item they may act on."""
        super().__init__(parent)
        self.runner = runner
        self.model = model
        self.database = database
        self.user_id = user_id
        self.login = login
        self.supervises = supervises
        self.view_index = 0
        self.sort = SAVED_VIEWS[0].sort
        self.extra: dict[str, object] = {}  # search, client_id, provider, workflow
        self.filter = self._build_filter()
        self.total_known = False
        self.selected: QueueRow | None = None
        self._current_row: int | None = None
        # The current row whose page was not loaded when the reviewer moved there. Only that
        # row opens when a page arrives: a page re-read after a poll may hold other items at
        # the current row, and the open item must not change under the reviewer.
        self._awaiting_row: int | None = None
        self._token = 0
        self._loading: asyncio.Task[None] | None = None  # the reload in flight, if any
        self._counting = False
        self._counted_at = -COUNTS_EVERY_S
        self._recount = QTimer(self)  # the trailing recount of a debounced request
        self._recount.setObjectName("recountTimer")
        self._recount.setSingleShot(True)
        self._recount.timeout.connect(lambda: self.refresh_counts(force=True))
        self._removing = False
        self._clock = QTimer(self)
        self._clock.setObjectName("ageClock")
        self._clock.setInterval(AGE_REFRESH_MS)
        self._clock.timeout.connect(model.tick)
        self._clock.start()
        model.page_needed.connect(self._on_page_needed)

    # --- what is shown ------------------------------------------------------------------

    def _build_filter(self) -> QueueFilter:
        base = SAVED_VIEWS[self.view_index].build(self.user_id, utcnow())
        return replace(base, **self.extra)  # type: ignore[arg-type]

    def show_view(self, index: int, keep_id: int | None = None) -> asyncio.Task[None] | None:
        """The saved view ``index``, with the item ``keep_id`` current if it is in it."""
        if not 0 <= index < len(SAVED_VIEWS):
            return None
        self.view_index = index
        self.sort = SAVED_VIEWS[index].sort
        return self.reload(keep_id=keep_id)

    def set_extra(self, **values: object) -> asyncio.Task[None] | None:
        """Search text, client, provider or workflow (None or "" clears one)."""
        for key, value in values.items():
            if value in (None, ""):
                self.extra.pop(key, None)
            else:
                self.extra[key] = value
        return self.reload()

    def set_sort(self, sort: QueueSort) -> asyncio.Task[None] | None:
        self.sort = sort
        return self.reload(keep_id=self.selected.id if self.selected else None)

    # --- loading --------------------------------------------------------------------------

    def reload(
        self, keep_id: int | None = None, before_showing: Awaitable[object] | None = None
    ) -> asyncio.Task[None] | None:
        """A new result set: first page at once, exact count right after. ``before_showing``:
        what must be done before the page is shown (read while the page is read)."""
        self.filter = self._build_filter()
        self._token += 1
        self._loading = self.runner.spawn(self._reload(self._token, keep_id, before_showing), "loading the queue")
        return self._loading

    async def _reload(self, token: int, keep_id: int | None, before_showing: Awaitable[object] | None) -> None:
        filt, sort = self.filter, self.sort
        now = utcnow()
        first = await self.runner.read(rows_of.page, self.database, filt, sort, 0, PAGE_SIZE, None, now)
        if before_showing is not None:
            await asyncio.gather(before_showing, return_exceptions=True)  # its failure is its own to report
        if token != self._token:
            return
        exact = len(first) < PAGE_SIZE
        self.total_known = exact
        self.model.reset(len(first), first)
        self.reloaded.emit()
        keep_row = self.model.row_of(keep_id) if keep_id is not None else None
        self._select(keep_row if keep_row is not None else self.first_to_open())
        if not exact:
            total = await self.runner.read(rows_of.total, self.database, filt)
            if token != self._token:
                return
            self.model.set_total(total, self.model.generation)
            self.total_known = True
            if keep_id is not None and keep_row is None:
                await self._reselect(keep_id, token)

    def refresh(self) -> asyncio.Task[None] | None:
        """New data may be there (a poll, another desk): same view, selection and scroll."""
        return self.runner.spawn(self._refresh(self._token), "refreshing the queue")

    async def _refresh(self, token: int) -> None:
        loading = self._loading
        if loading is not None and not loading.done():
            # A page read before this refresh must not be shown over it: the load first.
            await asyncio.gather(loading, return_exceptions=True)
            if token != self._token:
                return
        filt = self.filter = self._build_filter()
        generation = self.model.begin_refresh()
        total = await self.runner.read(rows_of.total, self.database, filt)
        if token != self._token:
            return
        self.total_known = True
        self.model.set_total(total, generation)
        self.model.layoutChanged.emit()  # ask the view to look at its rows again
        if self.selected is not None and total:
            await self._reselect(self.selected.id, token)
        elif self.selected is None and total:
            self._select(self.first_to_open())  # the queue was empty: open the first that arrived

    async def _reselect(self, item_id: int, token: int) -> None:
        """Put the selection back on ``item_id`` wherever it now sits."""
        row = await self.runner.background(rows_of.position, self.database, self.filter, self.sort, item_id)
        if token != self._token or row is None:
            return
        entry = self.model.row_at(row)
        if entry is None or entry.id != item_id:  # not loaded, or the row still shows the old page
            await self._load_page(row // PAGE_SIZE, self.model.generation)
            entry = self.model.row_at(row)
        if entry is not None and entry.id == item_id:  # never move the reviewer to another item
            self._select(row, reopen=False)

    def _on_page_needed(self, page: int, generation: int) -> None:
        self.runner.spawn(self._load_page(page, generation), "loading queue rows")

    async def _load_page(self, page: int, generation: int) -> None:
        total = self.model.rowCount() if self.total_known else None
        rows = await self.runner.read(
            rows_of.page, self.database, self.filter, self.sort, page * PAGE_SIZE, PAGE_SIZE, total, utcnow()
        )
        self.model.set_page(page, generation, rows)
        waiting = self._awaiting_row
        if waiting is not None and waiting == self._current_row and waiting // PAGE_SIZE == page:
            self.on_current_row(waiting)  # the row the reviewer moved to has arrived: open it

    def refresh_counts(self, force: bool = False) -> asyncio.Task[None] | None:
        """Recount the sidebar, at most every ``COUNTS_EVERY_S`` unless forced: on a large
        queue the counts take a moment, and they are a summary, not the work itself. A request
        inside that window is not dropped: one recount follows when the window ends, so the
        counts are never more than ``COUNTS_EVERY_S`` behind the queue."""
        wait = COUNTS_EVERY_S - (time.monotonic() - self._counted_at)
        if self._counting or (not force and wait > 0):
            # Forced while a count runs: once it is done (that count may predate the change).
            delay = 0.2 if force else max(wait, 0.2)
            if not self._recount.isActive() or (force and self._recount.remainingTime() > delay * 1000):
                self._recount.start(int(delay * 1000))
            return None
        self._recount.stop()
        self._counting = True
        return self.runner.spawn(self._refresh_counts(), "counting the queue")

    async def _refresh_counts(self) -> None:
        try:
            counts: QueueCounts = await self.runner.background(rows_of.counts, self.database, self.user_id)
        finally:
            self._counting = False
        self._counted_at = time.monotonic()
        self.counts_changed.emit(counts)

    def stop_timers(self) -> None:
        """The desk is closing: no more recounts or age ticks."""
        self._recount.stop()
        self._clock.stop()

    # --- the selection -------------------------------------------------------------------

    def _select(self, row: int, reopen: bool = True) -> None:
        if self.model.rowCount() == 0:
            self._current_row = None
            if self.selected is not None or reopen:
                self.selected = None
                self.current_item.emit(None)
            return
        row = max(0, min(row, self.model.rowCount() - 1))
        if not reopen:
            self._current_row = row
        self.select_row.emit(row)

    def on_current_row(self, row: int | None) -> None:
        """The view's current row changed (keyboard, mouse, or ``select_row``)."""
        if self._removing:
            return
        self._current_row = row
        entry = self.model.row_at(row) if row is not None else None
        self._awaiting_row = row if entry is None else None
        if entry is None:
            return  # its page is on the way; ``_load_page`` calls back
        if self.selected is not None and entry.id == self.selected.id:
            self.selected = entry
            return
        self.selected = entry
        self.current_item.emit(entry)

    def may_act_on(self, entry: QueueRow) -> bool:
        """Whether this reviewer can decide the row now: open, not held at another desk, and
        not escalated unless they supervise."""
        if entry.status not in OPEN_ITEM_STATUSES or entry.holder not in (None, self.login):
            return False
        return entry.status != ItemStatus.ESCALATED or self.supervises

    def first_to_open(self) -> int:
        """The most urgent loaded row the reviewer may act on (rows are in the view's order), one
        held by a pause only when nothing else is; the first row when none is theirs to act on."""
        held_by_a_pause: int | None = None
        for row in range(min(self.model.rowCount(), PAGE_SIZE)):
            entry = self.model.row_at(row)
            if entry is None or not self.may_act_on(entry):
                continue
            if self.model.pause_of(row) is None:
                return row
            if held_by_a_pause is None:
                held_by_a_pause = row
        return held_by_a_pause if held_by_a_pause is not None else 0

    def next_item_id(self) -> int | None:
        """The item after the current one: the one an action will open next."""
        if self._current_row is None:
            return None
        entry = self.model.row_at(self._current_row + 1)
        return entry.id if entry is not None else None

    def move(self, step: int) -> None:
        if self._current_row is not None:
            self._select(self._current_row + step)

    def go_to_end(self, last: bool) -> None:
        if last and not self.total_known:
            return  # the count is on its way; End works a moment later
        self._select(self.model.rowCount() - 1 if last else 0)

    def items_left(self, item_ids: list[int]) -> None:
        """Items left this view (decided, skipped): remove them, then open the one that takes
        the place of the first (never a burst of openings through items already decided).
        While a row goes, Qt moves the current row wherever it likes (often the one above):
        that is ignored."""
        rows = sorted((r for r in map(self.model.row_of, item_ids) if r is not None), reverse=True)
        if not rows:
            self.refresh()
            return
        self.selected = None
        self._removing = True
        try:
            for row in rows:
                self.model.remove_row(row)
        finally:
            self._removing = False
        self._select(rows[-1])
