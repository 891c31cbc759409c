"""A lead's stage change handed to the client's CRM: the guides' CRM handoff workflow.

When a person moves a lead of a client with an active CRM account to qualified, quoted
(proposal sent), won, lost or archived, the move's own transaction plans ONE CRM handoff item,
through the pipeline's path (``Planner.plan_lifecycle_handoff``, ``persist``) like a quote
request's handoff: an event (``lead.crm_stage_due``, unique key ``stage:<lead>:<stage>``; a
lead reaches each stage once, and a repeat finds the key and plans nothing), a draft, its
flags, and a pending item in the queue.

* The internal record (the event's data and the internal summary) names the move and the deal
  stage it maps to (``STAGE_MAP``), and the lost reason.
* The client-safe text is a short deal-update note in our own words: the stage, the client's
  catalog name for the service, the lost reason from our list; nothing the lead or a provider
  wrote.
* Approved, the handoff's payload carries ``stage`` (``stage_update``): the lead stage, the
  deal stage and pipeline, the lost reason, and the deal to move: the key of the lead's first
  pushed handoff, or None when the CRM has no deal of the lead yet (the adapter then creates
  one at the mapped stage). The key is read at approval, as the whole payload is: a lead whose
  first handoff is still waiting to be pushed then gets a second deal, at the new stage.

The stage mapping (``STAGE_MAP``, HubSpot's default pipeline) and the lost reasons' CRM words
are ``app.deal_stages``: the deal changes the CRM reports come back through the same tables.
The archive handoff states again the closed stage the lead reached; the deal is not deleted in
the CRM, its history is the client's record.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.deal_stages import LOST_WORDS, PIPELINE, STAGE_MAP
from app.pipeline.context import load_context
from app.pipeline.drafting import (
    OFFLINE_DRAFTER,
    DraftRequest,
    DraftResult,
    catalog_service,
    in_sentence,
    internal_summary,
    request_hash,
)
from app.pipeline.lifecycle import lifecycle_event
from app.pipeline.persist import persist
from app.pipeline.planner import BatchPlan, PlannedAudit, Planner
from db.models import Event, Lead, ReviewItem
from db.queries.handoffs import first_pushed_key
from db.vocab import LeadStage

STAGE_DUE = "lead.crm_stage_due"  # the event a stage handoff is planned from
PROVIDER = "lead_stage"
NOTES = {
    LeadStage.QUALIFIED: "Deal update: the {what} inquiry is qualified and the team is following up.",
    LeadStage.QUOTED: "Deal update: the {what} proposal has gone to the customer.",
    LeadStage.WON: "Deal update: the {what} job is won.",
    LeadStage.LOST: "Deal update: the {what} inquiry is closed as lost ({lost}).",
    LeadStage.ARCHIVED: "Deal update: the {what} inquiry is closed and archived.",
}


def crm_stage(stage: LeadStage, previous: str) -> str | None:
    """The deal stage a move from ``previous`` to ``stage`` maps to; None when it is not handed off."""
    return STAGE_MAP.get(previous if stage == LeadStage.ARCHIVED else stage)  # type: ignore[call-overload]


def plan_stage_handoff(
    session: Session, actor: str, lead: Lead, previous: str, stage: LeadStage, source: str, now: datetime
) -> int | None:
    """In the stage change's transaction: the handoff item of ``lead``'s move from ``previous``
    to ``stage`` when it is handed off and its client has a CRM; its id, or None."""
    mapped = crm_stage(stage, previous)
    key = f"stage:{lead.id}:{stage}"
    if mapped is None or session.scalar(select(Event.id).where(Event.idempotency_key == key)) is not None:
        return None
    context = load_context(session, now, [])
    client = context.clients.get(lead.client_id)
    if client is None or not client.has_crm:
        return None
    detail = {
        "from": previous,
        "to": str(stage),
        "crm_stage": mapped,
        "pipeline": PIPELINE,
        "lost_reason": lead.lost_reason if mapped == STAGE_MAP[LeadStage.LOST] else None,
        "by": actor,
    }
    planned = lifecycle_event(lead, STAGE_DUE, PROVIDER, key, f"moved by {actor}", detail, now)
    record = planned.lead
    plan = BatchPlan()
    item = Planner(StageNote(), actor=actor).plan_lifecycle_handoff(plan, client, planned)
    plan.audits.append(
        PlannedAudit(
            "lead.crm_stage_drafted",
            "event",
            planned,
            lead.client_id,
            record,
            item=item,
            recovery="reject it in the desk; the CRM keeps the deal's stage",
            detail=detail,
        )
    )
    persist(session, plan, context, actor, source)
    return item.id


class StageNote:
    """The deal-update draft of a stage handoff, from the event's own fields (offline rules)."""

    name = OFFLINE_DRAFTER

    def draft(self, request: DraftRequest) -> DraftResult:
        data = request.event.data
        service = catalog_service(request.event.service, request.services)
        lost = LOST_WORDS.get(str(data.get("lost_reason")), "")
        text = NOTES[LeadStage(data["to"])].format(what=in_sentence(service) if service else "service", lost=lost)
        move = f"Stage {data['from']} → {data['to']}: CRM deal stage {data['crm_stage']} ({data['pipeline']} pipeline)"
        return DraftResult(
            drafter=self.name,
            internal_summary=f"{internal_summary(request)} {move}{f'; lost: {lost}' if lost else ''}.",
            client_text=text,
            next_action=f"Approve to move the CRM deal to {data['crm_stage']}.",
            confidence=0.9 if service else 0.7,
            input_hash=request_hash(request),
        )


def stage_update(session: Session, item: ReviewItem) -> dict[str, object] | None:
    """The ``stage`` part of an approved stage handoff's CRM payload; None for other handoffs."""
    event = session.get(Event, item.event_id) if item.event_id is not None else None
    if event is None or event.type != STAGE_DUE or item.lead_id is None:
        return None
    data = event.data
    return {
        "lead_stage": data["to"],
        "crm_stage": data["crm_stage"],
        "pipeline": data["pipeline"],
        "lost_reason": LOST_WORDS.get(str(data.get("lost_reason"))),
        "deal": first_pushed_key(session, item.lead_id),
    }
