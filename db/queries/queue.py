"""The review queue as SQL: filters, sorting, counting, paging, and where an item sits.

The desk never loads the whole queue. It asks for the first page (fast, straight off an
index), then the count, then whichever pages the view scrolls to. The last pages are read in
reverse order, so jumping to the end of a million items costs the same as the first page.
Every order ends with the id, so it is total and pages never overlap.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select
from sqlalchemy.orm import Session, aliased

from db.models import Client, ReviewItem, User
from db.types import utcnow
from db.vocab import ItemStatus


@dataclass(frozen=True)
class QueueFilter:
    scope: str = "open"  # open (the queue, held items included), decided (by a person), or all
    status: str | None = None  # exactly this state
    kind: str | None = None
    client_id: int | None = None
    provider: str | None = None
    workflow: str | None = None
    severity: int | None = None  # exactly this top severity
    holder_id: int | None = None  # "mine": claimed by this user, or assigned to them
    overdue_at: datetime | None = None  # past its SLA at this moment
    search: str = ""


# Sort name -> columns, ascending. Each is backed by an (is_open, ...) index.
SORTS: dict[str, tuple[ColumnElement, ...]] = {
    "priority": (ReviewItem.priority, ReviewItem.sla_due_at),
    "age": (ReviewItem.arrived_at,),
    "due": (ReviewItem.sla_due_at,),
    "decided": (ReviewItem.decided_at,),
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
    workflow: str
    client_id: int
    decided_at: datetime | None = None
    decided_by: str | None = None
    assignee: str | None = None  # whom the roster or a supervisor gave it to


SCOPES = {"open": 1, "decided": 0}


def conditions(filt: QueueFilter) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = []
    if filt.scope in SCOPES:
        # "Mine" is an OR of two person indexes, (claimed_by_id, is_open, ...) and (assignee_id,
        # is_open, ...). Offered ``is_open`` as a bare column, SQLite walks the whole open queue
        # on its (is_open, priority, ...) index instead (1.6 s on a million items); ``+ 0``
        # takes that index out of the running on every backend, and a few rows get sorted.
        is_open = ReviewItem.is_open + 0 if filt.holder_id is not None else ReviewItem.is_open
        found.append(is_open == SCOPES[filt.scope])
    if filt.scope == "decided":  # not an item still waiting for its first draft
        found.append(ReviewItem.decided_at.is_not(None))
    for column, value in (
        (ReviewItem.status, filt.status),
        (ReviewItem.kind, filt.kind),
        (ReviewItem.client_id, filt.client_id),
        (ReviewItem.provider, filt.provider),
        (ReviewItem.workflow, filt.workflow),
        (ReviewItem.top_severity, filt.severity),
    ):
        if value is not None:
            found.append(column == value)
    if filt.holder_id is not None:
        found.append(or_(ReviewItem.claimed_by_id == filt.holder_id, ReviewItem.assignee_id == filt.holder_id))
    if filt.overdue_at is not None:
        found.append(ReviewItem.sla_due_at < filt.overdue_at)
    if filt.search.strip():
        term = filt.search.strip()
        found.append(
            or_(
                ReviewItem.lead_label.icontains(term, autoescape=True),
                ReviewItem.flag_codes.icontains(term, autoescape=True),
            )
        )
    return found


def count_items(session: Session, filt: QueueFilter) -> int:
    return session.scalar(select(func.count(ReviewItem.id)).where(*conditions(filt))) or 0


def _order(sort: QueueSort, reverse: bool = False) -> list[ColumnElement]:
    descending = sort.descending != reverse
    columns = [*SORTS.get(sort.column, SORTS["priority"]), ReviewItem.id]
    return [c.desc() if descending else c.asc() for c in columns]


def _rows(now: datetime) -> Select:
    holder, decider, assignee = aliased(User), aliased(User), aliased(User)
    return (
        select(
            ReviewItem.id,
            ReviewItem.priority,
            ReviewItem.arrived_at,
            ReviewItem.sla_due_at,
            Client.name,
            ReviewItem.kind,
            ReviewItem.provider,
            ReviewItem.lead_label,
            ReviewItem.flag_codes,
            ReviewItem.top_severity,
            ReviewItem.status,
            # The holder is only shown while the claim is alive.
            case((ReviewItem.lease_expires_at > now, holder.login), else_=None),
            ReviewItem.version,
            ReviewItem.workflow,
            ReviewItem.client_id,
            ReviewItem.decided_at,
            decider.login,
            assignee.login,
        )
        .join(Client, Client.id == ReviewItem.client_id)
        .outerjoin(holder, holder.id == ReviewItem.claimed_by_id)
        .outerjoin(decider, decider.id == ReviewItem.decided_by_id)
        .outerjoin(assignee, assignee.id == ReviewItem.assignee_id)
    )


def fetch_page(
    session: Session,
    filt: QueueFilter,
    sort: QueueSort,
    offset: int,
    limit: int,
    total: int | None = None,
    now: datetime | None = None,
) -> list[QueueRow]:
    """Rows ``offset .. offset+limit`` in ``sort`` order.

    Two steps: the page's ids from ``review_items`` alone (read in index order, never sorted),
    then their display columns. With ``total`` known and the page in the second half, the ids
    are read from the other end (a small offset in reverse), then put back in order.
    """
    ids_query = select(ReviewItem.id).where(*conditions(filt))
    if total is not None and offset > total // 2:
        count = min(limit, total - offset)
        from_end = max(0, total - offset - count)
        ids = list(session.scalars(ids_query.order_by(*_order(sort, reverse=True)).offset(from_end).limit(count)))
        ids.reverse()
    else:
        ids = list(session.scalars(ids_query.order_by(*_order(sort)).offset(offset).limit(limit)))
    if not ids:
        return []
    found = {row[0]: QueueRow(*row) for row in session.execute(_rows(now or utcnow()).where(ReviewItem.id.in_(ids)))}
    return [found[i] for i in ids if i in found]


def position_of(session: Session, filt: QueueFilter, sort: QueueSort, item_id: int) -> int | None:
    """Where an item sits in the queue now (its row), or None when it is no longer in it."""
    columns = [*SORTS.get(sort.column, SORTS["priority"]), ReviewItem.id]
    key = session.execute(select(*columns).where(ReviewItem.id == item_id, *conditions(filt))).first()
    if key is None:
        return None
    before = _before(columns, list(key), sort.descending)
    return session.scalar(select(func.count(ReviewItem.id)).where(*conditions(filt), before)) or 0


def _before(columns: list[ColumnElement], values: list[object], descending: bool) -> ColumnElement[bool]:
    """Rows ahead of (values) in a multi-column order: (a < x) or (a = x and b < y) or ..."""
    terms = []
    for index, column in enumerate(columns):
        ahead = column > values[index] if descending else column < values[index]
        equal = [columns[i] == values[i] for i in range(index)]
        terms.append(and_(*equal, ahead) if equal else ahead)
    return or_(*terms)


@dataclass(frozen=True)
class QueueCounts:
    open: int
    mine: int
    overdue: int
    high_risk: int
    escalated: int
    messages: int
    portal_notes: int
    report_notes: int
    crm_handoffs: int


def queue_counts(session: Session, user_id: int, now: datetime) -> QueueCounts:
    """Every sidebar count, each an index-only count (one pass with CASE sums would read every
    row of a large queue)."""
    views = (
        QueueFilter(),
        QueueFilter(holder_id=user_id),
        QueueFilter(overdue_at=now),
        QueueFilter(severity=3),
        QueueFilter(scope="all", status=ItemStatus.ESCALATED),
        QueueFilter(kind="message"),
        QueueFilter(kind="portal_note"),
        QueueFilter(kind="report_note"),
        QueueFilter(kind="crm_handoff"),
    )
    return QueueCounts(*(count_items(session, view) for view in views))


def items_due_between(session: Session, start: datetime, end: datetime, limit: int) -> list[tuple[int, str]]:
    """Open items whose SLA falls due in ``[start, end)``, soonest first: (id, lead label).
    Off the ``(is_open, sla_due_at)`` index."""
    return [
        (item_id, label)
        for item_id, label in session.execute(
            select(ReviewItem.id, ReviewItem.lead_label)
            .where(ReviewItem.is_open == SCOPES["open"], ReviewItem.sla_due_at >= start, ReviewItem.sla_due_at < end)
            .order_by(ReviewItem.sla_due_at, ReviewItem.id)
            .limit(limit)
        )
    ]
