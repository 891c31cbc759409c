"""Background threads yield the CPU to the window.

On a 2-core laptop eight drafting threads, the database lane and the read pool all want a
core; the GUI thread then waited its turn for 30-90 ms at a time (``bench/ai_drafts.py``).
Each background thread lowers its own OS scheduling priority when it starts, so the window
gets a core first and the background work takes what is left. Linux schedules threads as
tasks, so ``setpriority`` on the thread's native id applies to that thread alone; elsewhere
the call is not available per thread and is skipped. The headless worker's AI pool is lowered
too: there it yields to the worker's own database writes and to whatever else the machine runs.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

BACKGROUND_NICENESS = 10  # added to the thread's own niceness, never set absolutely
MOST_NICE = 19


def lower_this_thread() -> None:
    """Run as a thread pool's initializer: this thread runs at a lower priority than the one
    that started the pool. Relative, so a desk or worker already started with ``nice`` never
    has its background raised above its GUI (as root an absolute value could do that)."""
    if not sys.platform.startswith("linux"):
        return
    thread = threading.get_native_id()
    with contextlib.suppress(OSError):  # a sandbox may forbid it: the desk works, less smoothly
        current = os.getpriority(os.PRIO_PROCESS, thread)
        os.setpriority(os.PRIO_PROCESS, thread, min(current + BACKGROUND_NICENESS, MOST_NICE))


def background_pool(workers: int, name: str) -> ThreadPoolExecutor:
    """A thread pool whose threads run below the GUI thread's priority."""
    return ThreadPoolExecutor(workers, thread_name_prefix=name, initializer=lower_this_thread)
