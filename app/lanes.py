"""Where a step's database work runs.

The headless worker runs it inline. The desk hands it to its one serial database lane (a
single thread): HTTP calls (the AI, the CRM) run on I/O threads and give their writes to
that lane, so nothing writes the database from another pool and SQLite sees one writer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")
# Runs the callable on the database lane and returns its result (blocking the caller).
DbLane = Callable[[Callable[[], Any]], Any]


def inline(work: Callable[[], T]) -> T:
    return work()
