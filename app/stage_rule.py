"""The rule a lead's stage moves by, whoever moves it: a person at the desk
(``app.services.lead_stage``) or the client's CRM (``app.pipeline.crm_stages``).

``TRANSITIONS`` is the one table of allowed moves. Any other move is refused with the reason
and the refusal audited; an allowed one writes the stage, the next action and when it is due,
the outcome (booked, won, lost and why) and its audit entry, in the caller's transaction.
Qualifying writes the lead's ``lead.qualified`` event unless a rule already did
(``qualify_lead``).

It sits beside the services and the pipeline rather than in either because both apply it: the
pipeline, below the services, moves a lead when its CRM reports a deal stage.

``first_response_at`` is set once, by a conditional UPDATE, so two workers queueing the lead's
first two messages at the same moment still record one time: the first message queued to the
lead, or a person moving the lead to contacted or beyond, whichever comes first.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app import audit
from app.lead_events import qualify_lead
from db.models import IntegrationAccount, Lead
from db.vocab import CRM_ACCOUNT_KIND, LOST_REASON_WORDS, LeadStage, LostReason

_S = LeadStage
# The open stages in order. A lead moves forward to any later one (a first call can book the
# job at once), never back; any open stage may go to lost (with a reason from ``LostReason``);
# a closed lead (won or lost) only to archived.
FORWARD = (_S.NEW, _S.CONTACTED, _S.QUALIFIED, _S.QUOTED, _S.BOOKED, _S.WON)
TRANSITIONS: dict[LeadStage, frozenset[LeadStage]] = {
    **{stage: frozenset({*FORWARD[n + 1 :], _S.LOST}) for n, stage in enumerate(FORWARD[:-1])},
    _S.WON: frozenset({_S.ARCHIVED}),
    _S.LOST: frozenset({_S.ARCHIVED}),
    _S.ARCHIVED: frozenset(),
}
# A lead at or past this stage has heard from someone (its first response).
RESPONDED = frozenset(FORWARD[1:])
OUTCOMES = {_S.BOOKED: "booked", _S.WON: "won", _S.LOST: "lost"}
CRM_SOURCE = "crm"  # the audit source of a stage the client's CRM reported


def refusal(lead: Lead | None, stage: LeadStage, reason: str | None) -> str | None:
    """Why moving ``lead`` to ``stage`` (with ``reason``) is not allowed, or None."""
    if lead is None:
        return "That lead no longer exists."
    exits = TRANSITIONS.get(lead.stage, frozenset())  # type: ignore[call-overload]
    if stage not in exits:
        to = f"it can go to {', '.join(sorted(exits))}" if exits else "it cannot move any more"
        return f"A lead at stage {lead.stage} cannot move to {stage}: {to}."
    if stage == _S.LOST and reason not in set(LostReason):
        return f"Say why the lead was lost: one of {', '.join(f'“{w}”' for w in LOST_REASON_WORDS.values())}."
    if stage != _S.LOST and reason is not None:
        return "A reason is given only when a lead is lost."
    return None


def audit_refusal(
    session: Session,
    by: str,
    source: str,
    lead_id: int,
    exists: bool,
    stage: LeadStage,
    problem: str | None,
    reason: str | None,
    crm: dict[str, object] | None = None,
) -> None:
    """The refused move's audit entry; ``crm``: the CRM's change it came from."""
    audit.record(
        session,
        actor=by,
        source=source,
        action="lead.stage_change",
        outcome="refused",
        entity="lead",
        entity_id=lead_id,
        lead_id=lead_id if exists else None,
        detail={"to": str(stage), "reason": problem, "lost_reason": reason, **({"crm": crm} if crm else {})},
    )


def move(
    session: Session,
    by: str,
    lead: Lead,
    stage: LeadStage,
    reason: str | None,
    next_action: str | None,
    due: datetime | None,
    source: str,
    now: datetime,
    crm: dict[str, object] | None = None,
) -> str:
    """Move ``lead`` (allowed by ``refusal``, locked by the caller); the stage it left. ``crm``:
    the CRM's change that moved it (the deal and its stage), kept in the audit entry."""
    previous, lead.stage = lead.stage, stage
    if next_action is not None:
        lead.next_action = next_action[:255]
    if due is not None or next_action is not None:
        lead.next_action_due_at = due
    if stage in OUTCOMES:
        lead.outcome = OUTCOMES[stage]
    if stage == _S.LOST:
        lead.lost_reason = reason
    if stage in RESPONDED:
        record_first_response(session, lead.id, now)
    if stage in RESPONDED and FORWARD.index(stage) >= FORWARD.index(_S.QUALIFIED):
        has_crm = session.scalar(
            select(IntegrationAccount.id).where(
                IntegrationAccount.client_id == lead.client_id,
                IntegrationAccount.kind == CRM_ACCOUNT_KIND,
                IntegrationAccount.status == "active",
            )
        )
        qualify_lead(
            session,
            lead.id,
            by=by,
            score=100,
            reasons=["qualified in the client's CRM" if crm else "qualified by a person"],
            next_action=next_action if next_action is not None else lead.next_action,
            crm_target="the client's CRM" if has_crm is not None else "none",
            now=now,
        )
    audit.record(
        session,
        actor=by,
        source=source,
        action="lead.stage_changed",
        entity="lead",
        entity_id=lead.id,
        lead_id=lead.id,
        client_id=lead.client_id,
        recovery="a person moves it on, or to lost with a reason",
        detail={
            "from": previous,
            "to": str(stage),
            "lost_reason": reason,
            "next_action": lead.next_action,
            "next_action_due_at": due.isoformat() if due is not None else None,
            **({"crm": crm} if crm else {}),
        },
    )
    return previous


def record_first_response(session: Session, lead_id: int, at: datetime) -> bool:
    """The lead's first response is ``at`` unless one is recorded already; True if this was it."""
    changed = session.execute(
        update(Lead)
        .where(Lead.id == lead_id, Lead.first_response_at.is_(None))
        .values(first_response_at=at)
        .execution_options(synchronize_session=False)
    ).rowcount
    return changed == 1
