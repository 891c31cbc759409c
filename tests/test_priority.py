"""Background pools run below the GUI thread's scheduling priority (Linux: per thread)."""

from __future__ import annotations

import os
import sys
import threading

import pytest

from app.priority import BACKGROUND_NICENESS, MOST_NICE, background_pool


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread priority is a Linux feature")
def test_a_background_pool_thread_runs_at_a_lower_priority_than_the_caller() -> None:
    mine = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    with background_pool(1, "test-background") as pool:
        theirs = pool.submit(lambda: os.getpriority(os.PRIO_PROCESS, threading.get_native_id())).result()
    assert mine == os.getpriority(os.PRIO_PROCESS, threading.get_native_id())  # the caller is untouched
    assert theirs == min(mine + BACKGROUND_NICENESS, MOST_NICE)
    assert theirs > mine or mine == MOST_NICE
