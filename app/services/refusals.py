"""Refusing an action: audited in its own committed transaction (the refused action changes
nothing), then raised as ``ActionRefused`` with a sentence for the person who asked."""

from __future__ import annotations

from app import audit
from app.identity import Actor
from app.services.errors import ActionRefused
from db.engine import Database
from db.models import ReviewItem
from db.vocab import Role

# Who may pause, write snippets, retry pushes and decide escalated items.
SUPERVISING = (Role.SUPERVISOR, Role.ADMIN)


def refuse(database: Database, actor: Actor, item_id: int, action: str, message: str, source: str) -> ActionRefused:
    """Audit the refusal of an action on a review item, then hand back the error to raise."""
    with database.read() as session:
        exists = session.get(ReviewItem, item_id) is not None
    return refused(
        database, actor, action, message, source, "review_item", item_id, review_item_id=item_id if exists else None
    )


def refused(
    database: Database,
    actor: Actor,
    action: str,
    message: str,
    source: str,
    entity: str,
    entity_id: int,
    review_item_id: int | None = None,
) -> ActionRefused:
    """Audit the refusal of an action on ``entity`` in its own committed transaction, then
    hand back the error to raise."""
    with database.write() as session:
        audit.record(
            session,
            actor=actor.login,
            source=source,
            action=action,
            outcome="refused",
            entity=entity,
            entity_id=entity_id,
            review_item_id=review_item_id,
            detail={"reason": message, "role": actor.role},
        )
    return ActionRefused(message)


def require_role(database: Database, actor: Actor, roles: tuple[Role, ...], action: str, source: str = "desk") -> None:
    """Refuse (and audit) an action reserved for ``roles``."""
    if actor.role in roles:
        return
    with database.write() as session:
        audit.record(
            session,
            actor=actor.login,
            source=source,
            action=action,
            outcome="refused",
            entity="user",
            entity_id=actor.user_id,
            detail={"reason": "role", "role": actor.role, "needs": [str(r) for r in roles]},
        )
    raise ActionRefused(
        f"Only {' or '.join(str(r) + 's' for r in roles)} can do that; you are signed in as a {actor.role}."
    )
