"""The lead panel's operations: a lead's card (stage, next action, first response), where it
may go from here, moving it (``app.services.lead_stage`` holds the rules), and recording the
customer's rating (``app.services.ratings``)."""

from __future__ import annotations

from datetime import datetime

from app import words
from app.desk.changes import Changes, Notice
from app.identity import Actor
from app.services import lead_stage, ratings
from db.engine import Database
from db.queries.lead_card import LeadCard
from db.queries.lead_card import lead_card as read_card
from db.vocab import LeadStage, LostReason

__all__ = ["LOST_REASONS", "LeadCard", "card", "exits", "move", "rate"]

LOST_REASONS: tuple[str, ...] = tuple(LostReason)


def card(database: Database, lead_id: int) -> LeadCard | None:
    with database.read() as session:
        return read_card(session, lead_id)


def exits(stage: str) -> tuple[str, ...]:
    """The stages a lead at ``stage`` may move to, in the loop's order."""
    allowed = lead_stage.TRANSITIONS.get(LeadStage(stage), frozenset())
    return tuple(s.value for s in LeadStage if s in allowed)


def move(
    database: Database,
    actor: Actor,
    lead_id: int,
    stage: str,
    reason: str | None,
    next_action: str | None,
    due: datetime | None,
) -> Changes:
    """Move the lead (``ActionRefused`` with the reason when the rules say no). A move of a
    client with a CRM drafts a handoff item (``app.services.stage_handoffs``): the queue and
    its counts are read again."""
    lead_stage.set_stage(database, actor, lead_id, LeadStage(stage), reason, next_action, due)
    found = card(database, lead_id)
    label = found.label if found else ""
    said = f"{label} is {words.other(stage).lower()} now" + (f" ({words.other(reason).lower()})" if reason else "")
    return Changes(queue=True, counts=True, notices=(Notice(said + ".", lead=label),))


def rate(database: Database, actor: Actor, lead_id: int, rating: int, note: str) -> Changes:
    """Record the customer's rating (``ActionRefused`` with the reason when it cannot be). A low
    one may pause the lead's review request and flag its item: the queue is read again."""
    rated = ratings.rate_lead(database, actor, lead_id, rating, note)
    said = f"Rating {rating}/5 recorded for {rated.label}"
    if rated.paused:
        said += f"; its review request is paused ({rated.paused})"
    return Changes(
        queue=rated.paused is not None,
        counts=rated.paused is not None,
        notices=(Notice(said + ".", "warning" if rated.low else "info", rated.label),),
    )
