"""Reading the queue: pages of rows, the total, where an item sits, the sidebar counts."""

from __future__ import annotations

from datetime import datetime

from db.engine import Database
from db.queries.drafting import count_drafting
from db.queries.queue import (
    QueueCounts,
    QueueFilter,
    QueueRow,
    QueueSort,
    count_items,
    fetch_page,
    position_of,
    queue_counts,
)
from db.types import utcnow


def page(
    database: Database,
    filt: QueueFilter,
    sort: QueueSort,
    offset: int,
    limit: int,
    total: int | None,
    now: datetime | None = None,
) -> list[QueueRow]:
    with database.read() as session:
        return fetch_page(session, filt, sort, offset, limit, total, now or utcnow())


def total(database: Database, filt: QueueFilter) -> int:
    with database.read() as session:
        return count_items(session, filt)


def position(database: Database, filt: QueueFilter, sort: QueueSort, item_id: int) -> int | None:
    with database.read() as session:
        return position_of(session, filt, sort, item_id)


def counts(database: Database, user_id: int) -> QueueCounts:
    with database.read() as session:
        return queue_counts(session, user_id, utcnow())


def drafting_count(database: Database) -> int:
    """Items waiting for their AI draft (not in the queue yet)."""
    with database.read() as session:
        return count_drafting(session)
