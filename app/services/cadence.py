"""The old-lead follow-up cadence: a step of the cycle the desk and the worker share.

A lead is due an old-lead follow-up when it has been inactive for its client's window
(``client_cadences.follow_up_after_days``, 30 days without a row) and may still be followed
up: not won, lost or archived; not opted out (the contact's newest ``contact_consents`` row,
the lead's own flag, or consent denied); reachable by phone or email; not superseded by a newer
lead of the same contact (that one carries the person's cadence); its client active with an
approved old-lead follow-up template for the channel.

Inactive since T: nothing on the lead after T. No event of any type (a delivery, the desk's
summaries, a qualification, a consent change, a follow-up's own ``lead.follow_up_due``), no
message in the queue, no old-lead follow-up item, no owner task created or completed. T is the
newest of those and of ``leads.last_event_at``; the lead is due at T + window.

The follow-up is one review item with one offline draft from the approved template, planned
and written by the pipeline's own path (``Planner.plan_lifecycle_message``, ``persist``): it
gets the flags every message gets and waits in the queue for a person like every message.

Fast on a million leads: ``leads.follow_up_check_at`` is the earliest the lead can be due, and
a sweep reads two index ranges only, leads whose check has come and leads never checked whose
last event is older than the shortest window. Every lead it reads leaves both ranges (its next
check is its due time, or one window from now when it may not be followed up now), so each
cycle's batch is new work and a cycle killed half-way leaves nothing to repair. No lead comes
due before its check: activity only moves its due time later. A client's window changed later
applies from each lead's next check; to apply a shorter one at once, set its leads'
``follow_up_check_at`` to NULL (they are then read as never checked).

One item per lead and period, whatever the number of desks and workers sweeping at once: the
batch's leads are locked (``FOR UPDATE SKIP LOCKED`` on PostgreSQL and MariaDB, the single
writer on SQLite), and the follow-up's event carries ``cadence:old_lead:<lead>:<T>`` as its
unique idempotency key.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, Table, bindparam, select, update
from sqlalchemy.orm import Session

from app.pipeline.context import BatchContext, load_context
from app.pipeline.drafting import OfflineSummarizer, Template
from app.pipeline.lifecycle import lifecycle_event
from app.pipeline.persist import persist
from app.pipeline.planner import BatchPlan, PlannedAudit, PlannedItem, Planner
from db.engine import Database
from db.models import Lead
from db.queries.cadence import cadence_rules, last_activity, leads_to_check, superseded
from db.queries.consent import ContactKey, OptOut, contact_keys, opt_outs
from db.types import utcnow
from db.vocab import Consent, LeadStage, Workflow

FOLLOW_UP_BATCH = 200
FOLLOW_UP_DUE = "lead.follow_up_due"  # the event a follow-up is planned from (its unique key)
PROVIDER = "cadence"
CLOSED = frozenset({LeadStage.WON, LeadStage.LOST, LeadStage.ARCHIVED})
LEADS: Table = Lead.__table__  # type: ignore[assignment]
_COLUMNS = (
    Lead.id,
    Lead.client_id,
    Lead.name,
    Lead.phone,
    Lead.email,
    Lead.service,
    Lead.urgency,
    Lead.consent,
    Lead.opted_out,
    Lead.opted_out_at,
    Lead.stage,
    Lead.first_seen_at,
    Lead.last_event_at,
    Lead.source,
)


def sweep_old_leads(
    database: Database,
    now: datetime | None = None,
    *,
    actor: str = "worker",
    source: str = "worker",
    batch: int = FOLLOW_UP_BATCH,
) -> int:
    """Look at up to ``batch`` leads whose cadence check has come; returns how many old-lead
    follow-ups were drafted."""
    with database.write() as session:
        now = now or utcnow()
        rules = cadence_rules(session)
        ids = leads_to_check(session, now, now - rules.shortest_follow_up, batch)
        if not ids:
            return 0
        leads = load_leads(session, ids)
        activity = last_activity(session, ids)
        newer = superseded(session, ids)
        opted_out = opted_out_contacts(session, leads)
        context = load_context(session, now, [])
        planner = Planner(OfflineSummarizer(), actor=actor)
        plan = BatchPlan()
        checks = []
        for lead in leads:
            window = rules.follow_up_after(lead.client_id)
            quiet_since = max(lead.last_event_at, activity.get(lead.id, lead.last_event_at))
            if quiet_since > now - window:
                checks.append({"lead": lead.id, "check": quiet_since + window})
                continue
            checks.append({"lead": lead.id, "check": now + window})
            template = _template(context, lead)
            if template is None or lead.stage in CLOSED or lead.id in newer or message_problem(lead, opted_out):
                continue
            plan_message(
                planner,
                plan,
                context,
                lead,
                template,
                Workflow.OLD_LEAD_FOLLOW_UP,
                LifecycleEvent(
                    FOLLOW_UP_DUE,
                    f"{PROVIDER}:old_lead:{lead.id}:{quiet_since:%Y%m%dT%H%M%S}",
                    f"quiet since {quiet_since:%Y-%m-%d}, {window.days}-day cadence",
                    {"inactive_since": quiet_since.isoformat(), "window_days": window.days},
                    "lead.follow_up_drafted",
                    "reject it in the desk; the next follow-up comes one window after",
                ),
                now,
            )
        persist(session, plan, context, actor, source)
        session.execute(
            update(LEADS)
            .where(LEADS.c.id == bindparam("lead"))
            .values(follow_up_check_at=bindparam("check"), updated_at=LEADS.c.updated_at),
            checks,
        )
        return len(plan.items)


def load_leads(session: Session, ids: Sequence[int]) -> list[Row[Any]]:
    return list(session.execute(select(*_COLUMNS).where(Lead.id.in_(ids))).all())


def _keys(lead: Row[Any]) -> list[ContactKey]:
    return contact_keys(lead.client_id, lead.phone, lead.email)


def opted_out_contacts(session: Session, leads: Sequence[Row[Any]]) -> dict[ContactKey, OptOut]:
    return opt_outs(session, [key for lead in leads for key in _keys(lead)])


def message_problem(lead: Row[Any], opted_out: dict[ContactKey, OptOut]) -> str | None:
    """Why no message may go to the lead now (its contact's newest consent row, its own flag,
    no address), or None."""
    found = next((opted_out[key] for key in _keys(lead) if key in opted_out), None)
    if found is not None:
        return f"no message may be sent: {found.describe()}"
    if lead.opted_out or lead.consent == Consent.DENIED:
        return "no message may be sent: the lead opted out"
    if not (lead.phone or lead.email):
        return "no phone number or email to write to"
    return None


def channel_of(lead: Row[Any]) -> str:
    """A text when the lead has a phone, else an email (as the pipeline chooses)."""
    return "sms" if lead.phone else "email"


def _template(context: BatchContext, lead: Row[Any]) -> Template | None:
    if lead.client_id not in context.clients:  # an inactive client
        return None
    return context.template_for(lead.client_id, Workflow.OLD_LEAD_FOLLOW_UP, channel_of(lead))


@dataclass(frozen=True)
class LifecycleEvent:
    """What a message the cycle starts is planned from, and how its audit entry reads."""

    type: str
    key: str  # unique: one message per lead and period
    why: str  # said in the internal summary (where a delivery's source would be)
    detail: dict[str, Any]
    action: str
    recovery: str


def plan_message(
    planner: Planner,
    plan: BatchPlan,
    context: BatchContext,
    lead: Row[Any],
    template: Template,
    workflow: Workflow,
    lifecycle: LifecycleEvent,
    now: datetime,
) -> PlannedItem:
    """One message item for ``lead``, planned as the pipeline plans a delivery's, and its audit."""
    planned = lifecycle_event(lead, lifecycle.type, PROVIDER, lifecycle.key, lifecycle.why, lifecycle.detail, now)
    record = planned.lead
    item = planner.plan_lifecycle_message(plan, context.clients[lead.client_id], planned, workflow, template)
    plan.audits.append(
        PlannedAudit(
            lifecycle.action,
            "event",
            planned,
            lead.client_id,
            record,
            item=item,
            recovery=lifecycle.recovery,
            detail={**lifecycle.detail, "workflow": workflow},
        )
    )
    return item
