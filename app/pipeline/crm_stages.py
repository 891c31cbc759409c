"""The client's CRM moving a deal itself (``crm.deal_stage``, from a HubSpot webhook): the
deal's lead follows, by the desk's own rule, in the batch's transaction.

* The lead is the one whose CRM handoff the CRM answered with that deal
  (``crm_handoffs.external_id``, ``deal:<id>`` as the HubSpot adapter records it), of the
  delivery's client when the row or the portal's account mapping names one. No such lead: the
  delivery is held with the reason ("no lead has HubSpot deal 123"), nothing of that change
  is written, and a replay once the deal's handoff is pushed tries again. One deal on several
  leads (two clients' portals with the same deal id): the portal's account mapping, read then,
  decides; without one, held too, until the portal is mapped.
* The change is written as an event on the lead; its key makes the same delivery again a
  duplicate, so a lead moves once. Then:

  - a deal stage with no lead stage of ours (``FROM_CRM``) is recorded and ignored, saying so;
  - the lead at that stage already (the CRM telling back a move the desk pushed): ignored too;
  - else the lead moves by ``app.stage_rule``, forward only, as actor ``hubspot`` from source
    ``crm``; a move the rule refuses is audited with its reason, never forced. Lost takes
    HubSpot's ``closed_lost_reason`` when the delivery carried one of ours, else ``other``,
    and the audit entry says which.

* No CRM handoff item is planned for the move: the CRM has that stage already, and handing it
  back would echo the move between the two.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from app import audit
from app.deal_stages import FROM_CRM, lost_reason_from_crm
from app.pipeline.planner import PlannedDealStage
from app.stage_rule import CRM_SOURCE, audit_refusal, move, refusal
from db.models import Event, Lead
from db.queries.crm_deals import account_clients, deal_leads
from db.vocab import LeadStage, LostReason, WebhookStatus

ACTOR = "hubspot"
# A pushed handoff keeps the adapter name its outbox row was made with ("outbox"): the sender
# records the CRM's id, not which adapter took it. Both names are read; ``deal:<id>`` is the
# HubSpot adapter's own form of the id.
HANDOFF_ADAPTERS = ("hubspot", "outbox")
DEFAULT_LOST_REASON = LostReason.OTHER


def apply_deal_stages(session: Session, changes: list[PlannedDealStage], now: datetime) -> None:
    """Each change, in the delivery's order: its lead moved, ignored or refused, or its row held."""
    if not changes:
        return
    owners = deal_leads(session, HANDOFF_ADAPTERS, [_external_id(c) for c in changes])
    for change in changes:
        _apply(session, change, owners.get(_external_id(change), []), now)


def _external_id(change: PlannedDealStage) -> str:
    return f"deal:{change.normalized.data['deal']}"


def _apply(session: Session, change: PlannedDealStage, owners: list[tuple[int, int]], now: datetime) -> None:
    data = change.normalized.data
    deal, deal_stage = str(data["deal"]), str(data["crm_stage"])
    lead_id, why = _owner(session, change, owners)
    if lead_id is None:
        _hold(session, change, why)
        return
    lead = session.get(Lead, lead_id, with_for_update=True)
    assert lead is not None  # the handoff's lead: leads are never deleted
    _record(session, change, lead, now)
    crm: dict[str, object] = {"deal": deal, "crm_stage": deal_stage, "change_source": data.get("change_source")}
    stage = FROM_CRM.get(deal_stage)
    if stage is None:
        _ignore(session, lead, crm, f"HubSpot deal stage {deal_stage!r} has no lead stage of ours")
        return
    if lead.stage == stage:
        _ignore(session, lead, crm, f"the lead is at {stage} already")
        return
    reason = None
    if stage == LeadStage.LOST:
        said = lost_reason_from_crm(data.get("closed_lost_reason"))
        reason = said or DEFAULT_LOST_REASON
        crm["lost_reason_from"] = "HubSpot's closed_lost_reason" if said else "none of ours given: the default"
    problem = refusal(lead, stage, reason)
    if problem is None:
        move(session, ACTOR, lead, stage, reason, None, None, CRM_SOURCE, now, crm)
    else:
        audit_refusal(session, ACTOR, CRM_SOURCE, lead.id, True, stage, problem, reason, crm)


def _owner(session: Session, change: PlannedDealStage, owners: list[tuple[int, int]]) -> tuple[int | None, str]:
    """The deal's lead, or None and why the delivery waits."""
    data = change.normalized.data
    leads = [lead_id for lead_id, client_id in owners if change.client_id in (None, client_id)]
    if len(leads) > 1:  # the portal's mapping decides, read now: "map it, then replay" must not wait for a cache
        mapped = account_clients(session, change.normalized.provider, str(data["portal"]))
        leads = [lead_id for lead_id, client_id in owners if client_id in mapped] or leads
    if not leads:
        return None, f"no lead has HubSpot deal {data['deal']}"
    if len(leads) > 1:
        shown = ", ".join(f"#{lead_id}" for lead_id in leads)
        return (
            None,
            f"HubSpot deal {data['deal']} is on leads {shown}; map HubSpot portal {data['portal']} to its client",
        )
    return leads[0], ""


def _record(session: Session, change: PlannedDealStage, lead: Lead, now: datetime) -> None:
    """The change as an event on the lead's timeline; the lead was active then."""
    event = change.normalized
    session.add(
        Event(
            type=event.type,
            idempotency_key=event.idempotency_key,
            webhook_event_id=change.webhook_id,
            client_id=lead.client_id,
            lead_id=lead.id,
            provider=event.provider,
            occurred_at=event.occurred_at,
            created_at=now,
            data=dict(event.data),
        )
    )
    lead.last_event_at = max(lead.last_event_at, min(event.occurred_at, now))


def _ignore(session: Session, lead: Lead, crm: dict[str, object], why: str) -> None:
    audit.record(
        session,
        actor=ACTOR,
        source=CRM_SOURCE,
        action="crm.deal_stage_ignored",
        entity="lead",
        entity_id=lead.id,
        lead_id=lead.id,
        client_id=lead.client_id,
        recovery="a person moves the lead in the desk if it should follow",
        detail={"reason": why, "crm": crm},
    )


def _hold(session: Session, change: PlannedDealStage, why: str) -> None:
    """The delivery waits: this change is not written, so a replay applies it."""
    outcome = change.outcome
    outcome.status = WebhookStatus.HELD
    outcome.error = f"{outcome.error}; {why}" if outcome.error else why
    outcome.events -= 1
    audit.record(
        session,
        actor=ACTOR,
        source=CRM_SOURCE,
        action="webhook.held",
        entity="webhook_event",
        entity_id=change.webhook_id,
        client_id=change.client_id,
        recovery="push the deal's CRM handoff or map the portal, then `review-desk replay` the row",
        detail={"reason": why[:500], "provider": change.normalized.provider},
    )
