"""What the GUI benchmarks share: waiting on the qasync loop, and measuring GUI stalls."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QTimer

T = TypeVar("T")


async def until(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            pending = [t.get_coro().__qualname__ for t in asyncio.all_tasks() if not t.done()]
            raise TimeoutError(f"benchmark step did not finish; pending: {pending}")
        await asyncio.sleep(0.0005)


class StallMeter:
    """The longest gap between ticks of a 5 ms timer: how long the GUI thread was busy."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._last = time.perf_counter()
        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self._last)
        self._last = now

    def start(self) -> None:
        self.longest, self._last = 0.0, time.perf_counter()
        self.timer.start()

    def stop(self) -> float:
        self.timer.stop()
        return self.longest


def run_on_desk_loop(url: str, measure: Callable[..., Awaitable[T]], folder: Path) -> T:
    """``measure(database, folder)`` on a qasync loop over the application the desk makes,
    against ``url`` opened as the desk opens it."""
    import qasync

    from app.runtime import DESK_SQLITE_CACHE_MIB
    from db.engine import Database
    from ui.application import make_application

    database = Database(url, DESK_SQLITE_CACHE_MIB)
    app = make_application()
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    try:
        return loop.run_until_complete(measure(database, folder))
    finally:
        loop.close()
        database.dispose()
