"""Review items reach a person too, for the clients that ask for it (``client_owners.assign_items``).

The rule is the owner tasks' (``app.duty``): the client's owner if on duty, else the reviewer
on duty with the fewest open *items* assigned, else the supervisor on duty, else nobody. An
assignment is a hint, not a lock: it is what the queue's "Mine" shows, and anyone may still
claim the item, as a reviewer covering a colleague's queue would. Items of other clients stay
unassigned (the shared queue), which is the default: most agencies work one queue together.

Written in the transaction that creates the items, one audit entry each with the rule's
reason, so "why is this mine?" has an answer. A supervisor reassigns items in bulk with
``app.services.assignment.assign_items``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Table, bindparam, func, select, update
from sqlalchemy.orm import Session

from app import audit
from app.duty import Loads, OnDuty, Roster, Workload
from db.models import ClientOwner, ReviewItem, User

ITEMS: Table = ReviewItem.__table__  # type: ignore[assignment]
ACTION = "review_item.assigned"


def _open_items(session: Session, ids: list[int]) -> Loads:
    """Each person's open assigned items (off the ``(assignee_id, is_open, ...)`` index). Items
    keep no assignment time, so ties go by login; within a batch the roster's own count turns
    the order round."""
    counts = dict(
        session.execute(
            select(ReviewItem.assignee_id, func.count())
            .where(ReviewItem.assignee_id.in_(ids), ReviewItem.is_open == 1)
            .group_by(ReviewItem.assignee_id)
        ).all()
    )
    return counts, {}


ITEM_LOAD = Workload(_open_items, "open items")


def assigning_clients(session: Session, client_ids: set[int]) -> set[int]:
    if not client_ids:
        return set()
    return set(
        session.scalars(
            select(ClientOwner.client_id).where(
                ClientOwner.client_id.in_(sorted(client_ids)), ClientOwner.assign_items.is_(True)
            )
        )
    )


def record_assignment(
    session: Session,
    item_id: int,
    client_id: int,
    lead_id: int | None,
    person: OnDuty | User | None,
    reason: str,
    *,
    actor: str,
    source: str,
    previous: int | None = None,
) -> None:
    audit.record(
        session,
        actor=actor,
        source=source,
        action=ACTION,
        entity="review_item",
        entity_id=item_id,
        review_item_id=item_id,
        lead_id=lead_id,
        client_id=client_id,
        recovery="a supervisor can assign it to someone else",
        detail={"to": person.login if person is not None else None, "from_user_id": previous, "reason": reason},
    )


def assign_new_items(
    session: Session, items: Sequence[tuple[int, int, int | None]], *, actor: str, source: str, now: datetime
) -> int:
    """Assign new items ``(id, client_id, lead_id)`` of assigning clients by the roster, in the
    caller's transaction; returns how many got a person."""
    clients = assigning_clients(session, {client_id for _, client_id, _ in items})
    mine = [item for item in items if item[1] in clients]
    if not mine:
        return 0
    roster = Roster(session, now, ITEM_LOAD)
    given: list[dict[str, int]] = []
    for item_id, client_id, lead_id in mine:
        person, reason = roster.choose(client_id)
        record_assignment(session, item_id, client_id, lead_id, person, reason, actor=actor, source=source)
        if person is not None:
            given.append({"item_id": item_id, "user_id": person.id})
            roster.took(person)
    if given:
        session.execute(
            update(ITEMS).where(ITEMS.c.id == bindparam("item_id")).values(assignee_id=bindparam("user_id")),
            given,
        )
    return len(given)
