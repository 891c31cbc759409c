"""A customer's rating of the job, entered by a person at the desk (from a call, an email, a
review platform): 1 to 5, with an optional note of where it came from.

Any signed-in reviewer, supervisor or admin may enter one. It is kept and audited like a rating
texted back (``app.pipeline.review_pause``), in one transaction, and a low one (3 or less)
pauses the lead's review request the same way. A refusal (no such lead, a rating outside 1-5)
is audited and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.identity import Actor
from app.pipeline.review_pause import OF, RATED, is_low, record_rating
from app.services.refusals import refused
from db.engine import Database
from db.models import Lead
from db.types import utcnow

DESK = "desk"
NOTE_CHARS = 500


@dataclass(frozen=True)
class Rated:
    label: str  # the lead's name, as the notice names it
    low: bool
    paused: str | None  # the review request's pause reason, when this paused it


def rate_lead(database: Database, actor: Actor, lead_id: int, rating: int, note: str, source: str = DESK) -> Rated:
    """Record ``rating`` (of 5) for the lead, or raise ``ActionRefused`` (audited)."""
    problem = None if 1 <= rating <= OF else f"A rating is a whole number from 1 to {OF}."
    if problem is None:
        with database.write() as session:
            lead = session.scalar(select(Lead).where(Lead.id == lead_id).with_for_update())
            if lead is not None:
                now = utcnow()
                paused = record_rating(
                    session,
                    lead_id=lead.id,
                    client_id=lead.client_id,
                    rating=rating,
                    scale=OF,
                    source=DESK,
                    evidence=note.strip()[:NOTE_CHARS],
                    by=actor.login,
                    received_at=now,
                    now=now,
                    audit_source=source,
                )
                return Rated(lead.name or f"lead #{lead.id}", is_low(rating, OF), paused)
        problem = "That lead no longer exists."
    raise refused(database, actor, RATED, problem, source, "lead", lead_id)
