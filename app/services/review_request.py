"""Review requests: a step of the shared cycle, after the old-lead cadence.

A lead a person moved to won gets one review request (``review_requests``, unique per lead).
The sweep registers it: ``leads.won_at`` is the moment of the stage change (its audit entry)
and the request is due the client's delay later (``client_cadences.review_request_after_hours``,
48 hours without a row). When it is due, the sweep drafts one message from the approved
review-request template, through the pipeline's path like every message, unless:

* a complaint flag is on any item of the lead, or the customer rated the job 3 of 5 or lower
  (the guides' bad-experience pause, ``app.pipeline.review_pause``, which also pauses a request
  already drafted when the rating or complaint comes later): the request is paused, its reason
  kept on the row and in an audit entry on the lead's timeline;
* no message may go to the lead (opted out, no address): skipped, with the reason, the same way;
* the template is missing, or breaks the compliance rule (it must state its compliance wording,
  and may offer no incentive nor ask only happy customers): the request waits a day and looks
  again, the reason on the row.

The registering range is ``stage = 'won' AND won_at IS NULL`` and the drafting range is
``(status = 'waiting', due_at <= now)``, each read off an index, bounded and locked like the
cadence's, so repeated and concurrent cycles draft each request once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from app.pipeline.context import BatchContext, load_context
from app.pipeline.drafting import OfflineSummarizer, Template, has_opt_out_wording
from app.pipeline.persist import persist
from app.pipeline.planner import BatchPlan, PlannedItem, Planner
from app.pipeline.review_pause import ACTION, RequestStatus, close_request, pause_reasons
from app.services.cadence import (
    PROVIDER,
    LifecycleEvent,
    channel_of,
    load_leads,
    message_problem,
    opted_out_contacts,
    plan_message,
)
from db.engine import Database
from db.models import Lead, MessageTemplate, ReviewRequest
from db.queries.cadence import CadenceRules, cadence_rules, review_templates, won_moments
from db.types import utcnow
from db.vocab import LeadStage, Workflow

REVIEW_BATCH = 100
REVIEW_REQUEST_DUE = "lead.review_request_due"
RETRY = timedelta(days=1)  # a request waiting for a usable template looks again after this
LEADS: Table = Lead.__table__  # type: ignore[assignment]
REQUESTS: Table = ReviewRequest.__table__  # type: ignore[assignment]

# What a review request may not say (the template is checked, before any draft): an incentive
# for the review, or gating (asking only happy customers, steering towards a rating).
INCENTIVE = re.compile(
    r"\b(discounts?|coupons?|gift ?cards?|vouchers?|rewards?|free|prizes?|raffle|giveaway|cash|"
    r"\d+ ?% off|percent off|in exchange|refund|credit towards)\b",
    re.IGNORECASE,
)
GATING = re.compile(
    r"\b(if you (were|are|'re) (happy|satisfied|pleased)|if you (enjoyed|liked|loved)|happy customers|"
    r"satisfied customers|(5|five)[- ]stars?|positive review|good review|great review|glowing|"
    r"(tell|let|contact) us first|before (you )?(post|leave|write))\b",
    re.IGNORECASE,
)


@dataclass
class ReviewRequestRun:
    registered: int = 0
    drafted: int = 0
    paused: int = 0


def compliance_problem(template: MessageTemplate) -> str | None:
    """Why the template may not be used for a review request, or None."""
    if not template.compliance_text.strip():
        return f"template #{template.id} states no compliance wording (no incentive, no gating)"
    for pattern, what in ((INCENTIVE, "offers an incentive"), (GATING, "asks only for good reviews")):
        found = pattern.search(template.body)
        if found:
            return f"template #{template.id} {what}: “{found.group(0)}”"
    return None


def sweep_review_requests(
    database: Database,
    now: datetime | None = None,
    *,
    actor: str = "worker",
    source: str = "worker",
    batch: int = REVIEW_BATCH,
) -> ReviewRequestRun:
    """Register newly won leads, then draft (or pause, or skip) the requests that came due."""
    with database.write() as session:
        now = now or utcnow()
        rules = cadence_rules(session)
        run = ReviewRequestRun(registered=_register(session, rules, now, actor, source, batch))
        due = session.scalars(
            select(ReviewRequest)
            .where(ReviewRequest.status == RequestStatus.WAITING, ReviewRequest.due_at <= now)
            .order_by(ReviewRequest.due_at)
            .limit(batch)
            .with_for_update(skip_locked=True)
        ).all()
        if due:
            _draft_due(session, list(due), rules, run, now, actor, source)
        return run


def _register(session: Session, rules: CadenceRules, now: datetime, actor: str, source: str, batch: int) -> int:
    won = session.execute(
        select(Lead.id, Lead.client_id)
        .where(Lead.stage == LeadStage.WON, Lead.won_at.is_(None))
        .order_by(Lead.id)
        .limit(batch)
        .with_for_update(skip_locked=True)
    ).all()
    if not won:
        return 0
    moments = won_moments(session, [lead_id for lead_id, _ in won])
    rows = [(lead_id, client_id, min(moments.get(lead_id, now), now)) for lead_id, client_id in won]
    session.execute(
        update(LEADS)
        .where(LEADS.c.id == bindparam("lead"))
        .values(won_at=bindparam("at"), updated_at=LEADS.c.updated_at),
        [{"lead": lead_id, "at": at} for lead_id, _, at in rows],
    )
    session.execute(
        insert(REQUESTS),
        [
            {
                "lead_id": lead_id,
                "client_id": client_id,
                "won_at": at,
                "due_at": at + rules.review_request_after(client_id),
                "reason": "",
                "created_at": now,
                "updated_at": now,
                "owner": actor,
                "source": source,
                "status": RequestStatus.WAITING,
                "recovery": "a complaint pauses it; a reviewer rejects its draft",
            }
            for lead_id, client_id, at in rows
        ],
    )
    return len(rows)


def _draft_due(
    session: Session,
    due: list[ReviewRequest],
    rules: CadenceRules,
    run: ReviewRequestRun,
    now: datetime,
    actor: str,
    source: str,
) -> None:
    lead_ids = [request.lead_id for request in due]
    leads = {lead.id: lead for lead in load_leads(session, lead_ids)}
    paused = pause_reasons(session, lead_ids)
    opted_out = opted_out_contacts(session, list(leads.values()))
    templates = review_templates(session)
    context = load_context(session, now, [])
    planner = Planner(OfflineSummarizer(), actor=actor)
    plan = BatchPlan()
    drafted: list[tuple[ReviewRequest, PlannedItem]] = []
    for request in due:
        lead = leads[request.lead_id]
        if request.lead_id in paused:
            close_request(session, request, RequestStatus.PAUSED, paused[request.lead_id], now, actor, source)
            run.paused += 1
            continue
        problem = message_problem(lead, opted_out)
        if problem is not None:
            close_request(session, request, RequestStatus.SKIPPED, problem, now, actor, source)
            continue
        template, wait = _template(context, templates, lead.client_id, channel_of(lead))
        if template is None:
            request.due_at, request.reason = now + RETRY, wait
            continue
        after = rules.review_request_after(lead.client_id)
        item = plan_message(
            planner,
            plan,
            context,
            lead,
            template,
            Workflow.REVIEW_REQUEST,
            LifecycleEvent(
                REVIEW_REQUEST_DUE,
                f"{PROVIDER}:review_request:{lead.id}",
                f"won on {request.won_at:%Y-%m-%d}, review request {after.total_seconds() / 3600:g} h after",
                {"won_at": request.won_at.isoformat(), "after_hours": after.total_seconds() / 3600},
                ACTION,
                "reject its draft in the desk",
            ),
            now,
        )
        drafted.append((request, item))
    persist(session, plan, context, actor, source)
    for request, item in drafted:
        request.status, request.reason, request.review_item_id = RequestStatus.DRAFTED, "", item.id
    run.drafted += len(drafted)


def _template(
    context: BatchContext,
    templates: dict[tuple[int | None, str], MessageTemplate],
    client_id: int,
    channel: str,
) -> tuple[Template | None, str]:
    """The client's approved review-request template for ``channel`` (else the agency-wide one)
    with its compliance wording in the text; or None and why the request waits."""
    row = templates.get((client_id, channel)) or templates.get((None, channel))
    if row is None or client_id not in context.clients:
        return None, f"waiting for an approved review-request template ({channel})"
    problem = compliance_problem(row)
    if problem is not None:
        return None, f"waiting: {problem}"
    wording = row.compliance_text.strip()  # carried like the opt-out wording: added when missing
    body = row.body if has_opt_out_wording(row.body, wording) else f"{row.body.rstrip()} {wording}"
    return Template(row.id, row.channel, body, row.opt_out_text), ""
