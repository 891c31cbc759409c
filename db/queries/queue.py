"""The review queue as SQL: filters, sorting, counting and fetching one page of rows.

The desk never loads the whole queue: it counts the matching rows, then fetches pages by
offset. Sorting always ends with the id, so the order is total and pages never overlap.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, aliased

from db.models import Client, ReviewItem, User
from db.vocab import OPEN_ITEM_STATUSES


@dataclass(frozen=True)
class QueueFilter:
    statuses: tuple[str, ...] = tuple(OPEN_ITEM_STATUSES)
    kind: str | None = None
    client_id: int | None = None
    min_severity: int | None = None


SORT_COLUMNS = {
    "priority": (ReviewItem.priority, ReviewItem.sla_due_at),
    "age": (ReviewItem.arrived_at,),
    "due": (ReviewItem.sla_due_at,),
    "severity": (ReviewItem.top_severity,),
    "client": (ReviewItem.client_id,),
    "kind": (ReviewItem.kind,),
    "status": (ReviewItem.status,),
}


@dataclass(frozen=True)
class QueueSort:
    column: str = "priority"
    descending: bool = False


@dataclass(frozen=True)
class QueueRow:
    id: int
    priority: int
    arrived_at: datetime
    sla_due_at: datetime
    client_name: str
    kind: str
    provider: str
    lead_label: str
    flag_codes: str
    top_severity: int
    status: str
    holder: str | None
    version: int


def _conditions(filt: QueueFilter) -> list:
    conditions = [ReviewItem.status.in_(filt.statuses)]
    if filt.kind:
        conditions.append(ReviewItem.kind == filt.kind)
    if filt.client_id is not None:
        conditions.append(ReviewItem.client_id == filt.client_id)
    if filt.min_severity is not None:
        conditions.append(ReviewItem.top_severity >= filt.min_severity)
    return conditions


def count_items(session: Session, filt: QueueFilter) -> int:
    return session.scalar(select(func.count(ReviewItem.id)).where(*_conditions(filt))) or 0


def _ordered(statement: Select, sort: QueueSort) -> Select:
    columns = SORT_COLUMNS.get(sort.column, SORT_COLUMNS["priority"])
    order = [c.desc() if sort.descending else c.asc() for c in columns]
    order.append(ReviewItem.id.desc() if sort.descending else ReviewItem.id.asc())
    return statement.order_by(*order)


def fetch_page(
    session: Session, filt: QueueFilter, sort: QueueSort, offset: int, limit: int
) -> list[QueueRow]:
    holder = aliased(User)
    statement = (
        select(
            ReviewItem.id, ReviewItem.priority, ReviewItem.arrived_at, ReviewItem.sla_due_at,
            Client.name, ReviewItem.kind, ReviewItem.provider, ReviewItem.lead_label,
            ReviewItem.flag_codes, ReviewItem.top_severity, ReviewItem.status, holder.login,
            ReviewItem.version,
        )
        .join(Client, Client.id == ReviewItem.client_id)
        .outerjoin(holder, holder.id == ReviewItem.claimed_by_id)
        .where(*_conditions(filt))
    )
    statement = _ordered(statement, sort).offset(offset).limit(limit)
    return [QueueRow(*row) for row in session.execute(statement)]
