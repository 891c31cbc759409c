"""Waiting on evidence, never on the clock.

A test waits for what the database, a log or a widget shows. The deadline is only a safety
net, generous enough for a machine several times slower than the development VM while two
other CPU-bound processes share its two cores: a wait that reaches it means the condition
never came, not that the machine was slow.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

PATIENCE_S = 240.0
PATIENCE_MS = int(PATIENCE_S * 1000)


def wait_until(condition: Callable[[], T], what: str, timeout_s: float = PATIENCE_S, interval_s: float = 0.02) -> T:
    """Poll ``condition`` until it returns something truthy, and return that."""
    deadline = time.monotonic() + timeout_s
    while True:
        found = condition()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what} after {timeout_s:.0f} s")
        time.sleep(interval_s)
