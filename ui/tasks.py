"""Running blocking work off the GUI thread and awaiting it through qasync.

Two lanes, and read pools beside them:

* the **database lane**, one serial thread: every write goes through it (the reviewer's
  actions, the poll's cycle, the AI stage's results, the CRM sender's records), so SQLite sees
  one writer from this process and results come back in the order they were asked for;
* the **I/O lane**: HTTP (the CRM, a connection test), the keyring and files (settings, the
  text being edited), so none of them ever runs on the GUI thread or holds up the database.

Reads the reviewer is waiting for (queue pages, the item) run on a read pool, and slow
bookkeeping (sidebar counts, the timeline) on another, so neither queues behind a write; WAL
lets them all read while the writer writes. Every task is kept until it ends (no "Task was
destroyed but it is pending"); ``shutdown`` cancels and awaits them.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from functools import partial
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

from app.priority import background_pool

T = TypeVar("T")
log = logging.getLogger(__name__)
IO_THREADS = 4  # a slow CRM, a keyring prompt and a file write never wait for one another


class TaskRunner(QObject):
    """Owns the worker thread and the asyncio tasks the desk starts."""

    failed = Signal(str, object)  # what was being done, the exception

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db = background_pool(1, "review-desk-db")
        self._reads = background_pool(2, "review-desk-read")
        self._background = background_pool(1, "review-desk-bg")
        self._io = background_pool(IO_THREADS, "review-desk-io")
        self._tasks: set[asyncio.Task[Any]] = set()
        self._closing = False

    async def db(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run ``fn`` on the database thread and await its result on the GUI thread."""
        return await self.submit_db(fn, *args, **kwargs)

    def submit_db(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> asyncio.Future[T]:
        """Start ``fn`` on the database thread now (not when a task gets its turn), so the
        database works while the GUI thread repaints; await the future for the result."""
        loop = asyncio.get_event_loop()
        return loop.run_in_executor(self._db, partial(fn, *args, **kwargs))

    def on_db_lane(self, work: Callable[[], T]) -> T:
        """From another thread (an AI or CRM worker): run ``work`` on the database lane and
        wait for it. Never call it from the database lane itself."""
        return self._db.submit(work).result()

    async def io(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run HTTP, keyring or file work on the I/O lane."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._io, partial(fn, *args, **kwargs))

    async def read(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a heavy read on the read pool (never holds up the serial database thread)."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._reads, partial(fn, *args, **kwargs))

    async def background(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run slow bookkeeping (counts, timelines) where it never delays what the reviewer
        is waiting for."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._background, partial(fn, *args, **kwargs))

    def spawn(self, coro: Coroutine[Any, Any, T], what: str) -> asyncio.Task[T] | None:
        """Start ``coro`` as a task; an exception it raises is reported through ``failed``."""
        if self._closing:
            coro.close()
            return None
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(partial(self._finished, what))
        return task

    def _finished(self, what: str, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            return
        exc = task.exception()
        if exc is not None:
            log.error("%s failed", what, exc_info=exc)
            self.failed.emit(what, exc)

    @property
    def busy(self) -> bool:
        return bool(self._tasks)

    async def idle(self) -> None:
        """Wait until every task started so far (and any they start) has ended."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def shutdown(self) -> None:
        self._closing = True
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*list(self._tasks), return_exceptions=True)
        # The worker is serial: once this no-op has run, a call that was mid-flight has
        # finished (it is never cut off) and the thread can go.
        await self.db(lambda: None)
        await asyncio.gather(*(self.read(lambda: None) for _ in range(2)), self.background(lambda: None))
        self._io.shutdown(wait=True)  # a keyring or file write under way finishes
        self._db.shutdown(wait=False)
        self._reads.shutdown(wait=False)
        self._background.shutdown(wait=False)
