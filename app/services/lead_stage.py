"""A lead's stage in the sales loop, moved by a person at the desk.

The rule is ``app.stage_rule`` (``TRANSITIONS``, shared with the client's CRM, whose own deal
changes move the lead too): a refused move changes nothing and its refusal is audited; an
allowed one is written with its audit entry in one transaction. A move to qualified, quoted,
won, lost or archived of a client with a CRM also queues its CRM handoff item, in the same
transaction (``app.services.stage_handoffs``). A move the CRM reported queues none: the CRM
has that stage already.
"""

from __future__ import annotations

from datetime import datetime

from app.identity import Actor
from app.services.errors import ActionRefused
from app.services.stage_handoffs import plan_stage_handoff
from app.stage_rule import TRANSITIONS, audit_refusal, move, record_first_response, refusal
from db.engine import Database
from db.models import Lead
from db.types import utcnow
from db.vocab import LeadStage

# The rule's table and the first response, read by the desk and the services from here.
__all__ = ["TRANSITIONS", "record_first_response", "set_stage"]


def set_stage(
    database: Database,
    actor: Actor,
    lead_id: int,
    stage: LeadStage,
    reason: str | None = None,
    next_action: str | None = None,
    due: datetime | None = None,
    source: str = "desk",
) -> None:
    """Move the lead to ``stage``, or raise ``ActionRefused`` (audited) changing nothing."""
    with database.write() as session:
        lead = session.get(Lead, lead_id, with_for_update=True)
        problem = refusal(lead, stage, reason)
        if problem is None and lead is not None:
            now = utcnow()
            previous = move(session, actor.login, lead, stage, reason, next_action, due, source, now)
            plan_stage_handoff(session, actor.login, lead, previous, stage, source, now)
            return
    with database.write() as session:
        audit_refusal(session, actor.login, source, lead_id, lead is not None, stage, problem, reason)
    raise ActionRefused(problem)
