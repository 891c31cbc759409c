"""Planning a batch: from normalized events to the rows it will write, in plain Python.

Nothing here touches the database; ``persist`` writes the plan. Rows refer to each other by
object (an item to its event, an event to its lead) and get their ids when written.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from app.pipeline import checks, routing
from app.pipeline.consent import ConsentChange
from app.pipeline.context import BatchContext, ClientInfo, LeadRecord
from app.pipeline.drafting import Drafter, DraftRequest, DraftResult, Template
from app.pipeline.flag_rules import Finding, find_pii, find_review_edge, merge_findings
from app.pipeline.model import NormalizedEvent, Quarantined
from app.pipeline.routing import TaskPlan
from app.response_window import ResponseRules
from db.vocab import (
    Consent,
    ConsentMethod,
    ConsentState,
    EventType,
    FlagCode,
    ItemKind,
    ItemStatus,
    Severity,
    Urgency,
    WebhookStatus,
    Workflow,
)

PRIORITY = {Urgency.EMERGENCY: 1, Urgency.HIGH: 2, Urgency.NORMAL: 3, Urgency.LOW: 4}
SLA = {1: timedelta(minutes=15), 2: timedelta(hours=1), 3: timedelta(hours=4), 4: timedelta(days=1)}
NURTURE = {Workflow.NEW_LEAD_FOLLOW_UP, Workflow.QUOTE_FOLLOW_UP}
# The message each event type may draft, and whether it is nurture (held back for owner tasks).
MESSAGE_WORKFLOW = {
    EventType.CALL_MISSED: Workflow.MISSED_CALL_TEXTBACK,
    EventType.LEAD_CREATED: Workflow.NEW_LEAD_FOLLOW_UP,
    EventType.QUOTE_REQUESTED: Workflow.QUOTE_FOLLOW_UP,
}
LEAD_EVENTS = (
    EventType.LEAD_CREATED,
    EventType.CALL_MISSED,
    EventType.QUOTE_REQUESTED,
    EventType.CONSENT_CHANGED,
    EventType.FEEDBACK_RATING,
)
# About the contact rather than a new enquiry: the lead it matches, of any age, or none.
CONTACT_EVENTS = (EventType.CONSENT_CHANGED, EventType.FEEDBACK_RATING)


@dataclass
class PlannedEvent:
    normalized: NormalizedEvent
    webhook_id: int | None  # None: an event the cycle made itself (``plan_lifecycle_message``)
    client_id: int
    lead: LeadRecord | None
    id: int | None = None


@dataclass
class PlannedTask:
    event: PlannedEvent
    plan: TaskPlan
    arrived_at: datetime  # when the delivery came: the lead has waited since then
    id: int | None = None

    def due_at(self, rules: ResponseRules) -> datetime:
        """By the client's rules, else routing's default; the workflow is its lead's message's.
        Counted from the delivery's arrival, as an item's SLA is: a missed call polled an hour
        late (the desks were closed) is already past its 15 minutes, and says so."""
        event = self.event.normalized
        return self.arrived_at + rules.window(
            self.event.client_id, event.provider, MESSAGE_WORKFLOW.get(event.type), self.plan.due_in
        )


@dataclass
class PlannedItem:
    event: PlannedEvent | None
    client_id: int
    lead: LeadRecord | None
    provider: str
    kind: ItemKind
    workflow: Workflow
    priority: int
    arrived_at: datetime
    lead_label: str
    draft: DraftResult
    findings: list[Finding]
    status: ItemStatus = ItemStatus.PENDING
    id: int | None = None

    def sla_due_at(self, rules: ResponseRules) -> datetime:
        """By the client's rules, else the default for its priority (``SLA``)."""
        return self.arrived_at + rules.window(self.client_id, self.provider, self.workflow, SLA[self.priority])


@dataclass
class PlannedSync:
    """A provider sync: fresh data source, an import batch and its metric snapshots."""

    event: PlannedEvent
    client_id: int
    provider: str
    data: dict[str, Any]


@dataclass
class PlannedDealStage:
    """A deal stage the client's CRM reports. Which lead has the deal is the database's to say,
    so it is applied as the plan is written (``app.pipeline.crm_stages``), which also holds the
    row (``outcome``) when no lead has the deal."""

    normalized: NormalizedEvent
    webhook_id: int
    client_id: int | None  # the row's or the CRM account's client, when known
    outcome: RowOutcome


@dataclass
class PlannedAudit:
    action: str
    entity: str
    target: Any  # a planned row (its ``id`` once written) or an int id
    client_id: int | None
    lead: LeadRecord | None = None
    item: PlannedItem | None = None
    recovery: str = ""
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass
class RowOutcome:
    row_id: int
    status: WebhookStatus
    error: str | None = None
    events: int = 0
    duplicates: int = 0


@dataclass
class BatchPlan:
    new_leads: list[LeadRecord] = field(default_factory=list)
    events: list[PlannedEvent] = field(default_factory=list)
    tasks: list[PlannedTask] = field(default_factory=list)
    items: list[PlannedItem] = field(default_factory=list)
    syncs: list[PlannedSync] = field(default_factory=list)
    consents: list[tuple[ConsentChange, LeadRecord | None]] = field(default_factory=list)
    ratings: list[PlannedEvent] = field(default_factory=list)  # ``app.pipeline.review_pause`` takes them
    deal_stages: list[PlannedDealStage] = field(default_factory=list)
    audits: list[PlannedAudit] = field(default_factory=list)
    outcomes: list[RowOutcome] = field(default_factory=list)

    touched: list[LeadRecord] = field(default_factory=list)  # leads events landed on

    def changed_leads(self) -> list[LeadRecord]:
        """Existing leads this batch changed, once each."""
        unique = {id(lead): lead for lead in self.touched}
        return [lead for lead in unique.values() if lead.id is not None and lead.changed]


@dataclass(frozen=True)
class Planner:
    drafter: Drafter
    actor: str = "pipeline"
    # With an AI server configured, items wait in ``drafting`` for the AI stage; the offline
    # draft written now is what they fall back to.
    await_ai: bool = False

    def plan_row(
        self,
        plan: BatchPlan,
        context: BatchContext,
        row_id: int,
        row_client_id: int | None,
        received_at: datetime | None,
        events: list[NormalizedEvent],
    ) -> None:
        """Plan one webhook row.

        A row that cannot be placed raises ``Quarantined`` (held) before anything changes, so
        the plan and the context stay as they were.
        """
        clients = [context.client_for(row_client_id, e) for e in events]
        for event, client in zip(events, clients, strict=True):
            if client is None and event.type != EventType.CRM_DEAL_STAGE:  # its deal finds its lead
                where = f" for account {event.account_ref[:60]}" if event.account_ref else ""
                raise _Held(f"no client is mapped{where}; map the account, then replay")
        staged = BatchPlan()
        outcome = RowOutcome(row_id, WebhookStatus.PROCESSED)
        arrived = min(received_at or context.now, context.now)
        makes_quote = any(e.type == EventType.QUOTE_REQUESTED for e in events)
        for event, client in zip(events, clients, strict=True):
            if event.idempotency_key in context.known_keys:
                outcome.duplicates += 1
                continue
            context.known_keys.add(event.idempotency_key)
            outcome.events += 1
            if event.type == EventType.CRM_DEAL_STAGE:
                staged.deal_stages.append(PlannedDealStage(event, row_id, client.id if client else None, outcome))
                continue
            assert client is not None
            self._plan_event(staged, context, client, row_id, arrived, event, makes_quote)
        _merge(plan, staged)
        plan.outcomes.append(outcome)

    def plan_lifecycle_message(
        self,
        plan: BatchPlan,
        client: ClientInfo,
        planned: PlannedEvent,
        workflow: Workflow,
        template: Template,
    ) -> PlannedItem:
        """A message the cycle starts by itself (an old-lead follow-up, a review request): its
        event and ONE item, drafted, flagged and persisted like the messages of deliveries."""
        return self._plan_lifecycle(plan, client, planned, ItemKind.MESSAGE, workflow, template, Urgency.LOW)

    def plan_lifecycle_handoff(self, plan: BatchPlan, client: ClientInfo, planned: PlannedEvent) -> PlannedItem:
        """A CRM handoff the desk starts by itself (a lead's stage change): its event and ONE
        item, drafted, flagged and persisted like a quote request's handoff."""
        return self._plan_lifecycle(
            plan, client, planned, ItemKind.CRM_HANDOFF, Workflow.CRM_HANDOFF, None, Urgency.NORMAL
        )

    def _plan_lifecycle(
        self,
        plan: BatchPlan,
        client: ClientInfo,
        planned: PlannedEvent,
        kind: ItemKind,
        workflow: Workflow,
        template: Template | None,
        level: Urgency,
    ) -> PlannedItem:
        assert planned.lead is not None
        plan.events.append(planned)
        return self._plan_item(
            plan,
            kind,
            workflow,
            [],
            template=template,
            client=client,
            planned=planned,
            lead=planned.lead,
            arrived=planned.normalized.occurred_at,
            priority=PRIORITY[level],
            label=lead_label(planned.normalized),
            level=level,
            returning=True,
        )

    # --- one event ------------------------------------------------------------------------

    def _plan_event(
        self,
        plan: BatchPlan,
        context: BatchContext,
        client: ClientInfo,
        row_id: int,
        arrived: datetime,
        event: NormalizedEvent,
        makes_quote: bool,
    ) -> None:
        """One event: its lead, an owner task when urgent, and ONE review item (DESIGN: one
        signal in, one grounded draft, one visible review edge)."""
        if event.type == EventType.FEEDBACK_RATING and context.leads.find(client.id, event.contact) is None:
            event = replace(event, type=EventType.LEAD_CREATED)  # from no known customer: a text like any
        level, _ = routing.urgency(event)
        lead, matched, dup_findings = self._lead_for(plan, context, client, event, level)
        planned = PlannedEvent(event, row_id, client.id, lead)
        plan.events.append(planned)
        audit = PlannedAudit(
            "event.ingested",
            "event",
            planned,
            client.id,
            lead,
            recovery=f"re-run from webhook_events #{row_id}",
            detail={"type": event.type, "lead": "matched" if matched else "created" if lead else "none"},
        )
        plan.audits.append(audit)
        if event.type == EventType.CONSENT_CHANGED:
            self._apply_consent(plan, context, client, row_id, event, lead)
            return
        if event.type == EventType.FEEDBACK_RATING:
            plan.ratings.append(planned)
            return
        if event.data.get("opt_out") is True:  # a provider's own opt-out field
            self._apply_consent(plan, context, client, row_id, event, lead, ConsentMethod.PROVIDER_FLAG)
        if event.type == EventType.PROVIDER_ENRICHED:
            audit.item = self._plan_sync(plan, context, client, planned, arrived)
            return
        if lead is None or event.type not in MESSAGE_WORKFLOW:
            return
        if event.type == EventType.LEAD_CREATED and (makes_quote or (matched and event.source == "sms")):
            return  # the quote carries the review; an SMS reply goes on the lead's timeline
        label = lead_label(event)
        new_caller = routing.new_caller(event, matched)
        task_plan = routing.owner_task(event, level, new_caller, label, client.high_value_threshold)
        if task_plan is not None:
            task = PlannedTask(planned, task_plan, arrived)
            plan.tasks.append(task)
            audit.detail["owner_task"] = task_plan.reason
        shared = (
            dup_findings + checks.spam(event) + checks.stale_sources(context.stale.get(client.id, {}), event.provider)
        )
        spam = any(f.code == FlagCode.SPAM for f in shared)
        kind, workflow, template, skipped = self._choose_item(context, client, event, lead, task_plan, spam)
        if skipped:
            audit.detail["message_skipped"] = skipped
        audit.item = self._plan_item(
            plan,
            kind,
            workflow,
            shared,
            template=template,
            client=client,
            planned=planned,
            lead=lead,
            arrived=arrived,
            priority=4 if spam else PRIORITY[level],
            label=label,
            level=level,
            returning=not new_caller,
        )

    @staticmethod
    def _choose_item(
        context: BatchContext,
        client: ClientInfo,
        event: NormalizedEvent,
        lead: LeadRecord,
        task_plan: TaskPlan | None,
        spam: bool,
    ) -> tuple[ItemKind, Workflow, Template | None, str]:
        """A CRM handoff for a quote request when the client has a CRM; else a message when
        one may be sent; otherwise a portal note for the client.

        Nurture (follow-ups) waits when an owner task was created: the person calls first, and
        the client is told through the note. A missed-call text-back is not nurture. Returns
        the kind, workflow, template, and why a message was not drafted (or "").
        """
        workflow = MESSAGE_WORKFLOW[event.type]
        note = (ItemKind.PORTAL_NOTE, Workflow.CLIENT_REPORT_NOTE, None)
        if event.type == EventType.QUOTE_REQUESTED and client.has_crm and not spam and not event.contact.is_empty:
            return ItemKind.CRM_HANDOFF, Workflow.CRM_HANDOFF, None, "the quote goes to the client's CRM"
        if workflow in NURTURE and task_plan is not None:
            return (*note, "an owner task comes first")
        if spam or event.contact.is_empty or lead.opted_out or lead.consent == Consent.DENIED:
            return (*note, "no message may be sent to this lead")
        channel = "sms" if event.contact.phone else "email"
        template = context.template_for(client.id, workflow, channel)
        if template is None:
            return (*note, f"no approved {channel} template for {workflow}")
        return ItemKind.MESSAGE, workflow, template, ""

    def _lead_for(
        self,
        plan: BatchPlan,
        context: BatchContext,
        client: ClientInfo,
        event: NormalizedEvent,
        level: Urgency,
    ) -> tuple[LeadRecord | None, bool, list[Finding]]:
        """The lead this event is about: matched by phone or email, else new."""
        if event.type not in LEAD_EVENTS:
            return None, False, []
        match = context.leads.find(client.id, event.contact)
        if event.type in CONTACT_EVENTS:
            return match, match is not None, []
        opt_out = context.consents.opt_out_of(client.id, event.contact)
        if match is not None and opt_out is not None and not match.opted_out:
            match.opted_out, match.opted_out_at, match.consent = True, opt_out.occurred_at, Consent.DENIED
            match.changed = True
        if match is not None and (
            match.id is None or event.occurred_at - match.last_event_at <= checks.DUPLICATE_WINDOW
        ):
            findings = (
                checks.duplicate(match.name or "an earlier lead", match.last_event_at, event.occurred_at)
                if event.type == EventType.LEAD_CREATED
                else []
            )
            if event.occurred_at > match.last_event_at:
                match.last_event_at = event.occurred_at
                match.changed = True
            self._fill_missing(context, match, event)
            plan.touched.append(match)
            return match, True, findings
        if event.contact.is_empty and event.type != EventType.LEAD_CREATED:
            return None, False, []
        lead = LeadRecord(
            client_id=client.id,
            name=event.contact.name[:200],
            phone=event.contact.phone,
            email=event.contact.email,
            service=event.service[:200],
            urgency=level,
            consent=event.consent,
            attribution=dict(event.attribution),
            first_seen_at=event.occurred_at,
            last_event_at=event.occurred_at,
            source=event.provider[:64],
            duplicate_of_id=match.id if match else None,
        )
        if opt_out is not None:  # the contact opted out before (however long ago)
            lead.opted_out, lead.opted_out_at, lead.consent = True, opt_out.occurred_at, Consent.DENIED
        plan.new_leads.append(lead)
        context.leads.add(lead)
        return lead, match is not None, []

    @staticmethod
    def _fill_missing(context: BatchContext, lead: LeadRecord, event: NormalizedEvent) -> None:
        """A later delivery about the same person completes what the lead lacked (a call with
        no name, then a form with the name and email); it never overwrites what is there."""
        filled = False
        for attribute, value in (
            ("name", event.contact.name[:200]),
            ("phone", event.contact.phone),
            ("email", event.contact.email),
        ):
            if value and not getattr(lead, attribute):
                setattr(lead, attribute, value)
                filled = True
        if filled:
            lead.changed = True
            context.leads.add(lead)  # findable by the new phone or email too

    def _apply_consent(
        self,
        plan: BatchPlan,
        context: BatchContext,
        client: ClientInfo,
        row_id: int,
        event: NormalizedEvent,
        lead: LeadRecord | None,
        method: ConsentMethod = ConsentMethod.SMS_KEYWORD,
    ) -> None:
        """An opt-out or opt-in of the event's contact: recorded for the contact (every lead of
        it, past and future), and on the lead the event matched, if any."""
        if event.contact.is_empty:
            return
        denied = method == ConsentMethod.PROVIDER_FLAG or event.data.get("consent") == Consent.DENIED
        keyword = str(event.data.get("keyword") or "")
        evidence = (
            f"{event.provider} marked the lead as opted out"
            if method == ConsentMethod.PROVIDER_FLAG
            else f"{event.data.get('channel') or 'sms'} keyword {keyword or ('STOP' if denied else 'START')}"
        )
        change = ConsentChange(
            client.id,
            event.contact.phone,
            event.contact.email,
            ConsentState.OPTED_OUT if denied else ConsentState.OPTED_IN,
            method,
            evidence[:500],
            event.occurred_at,
            webhook_event_id=row_id,
        )
        plan.consents.append((change, lead))
        context.consents.record(client.id, event.contact, change.as_opt_out() if denied else None)
        if lead is not None:
            lead.opted_out = denied
            lead.opted_out_at = event.occurred_at if denied else None
            lead.consent = Consent.DENIED if denied else Consent.GRANTED
            lead.changed = True
            plan.touched.append(lead)
        plan.audits.append(
            PlannedAudit(
                "contact.opted_out" if denied else "contact.opted_in",
                "lead" if lead else "webhook_event",
                lead if lead else row_id,
                client.id,
                lead,
                recovery="an explicit opt-in from the same contact lifts an opt-out",
                detail={
                    "method": method,
                    "channel": str(event.data.get("channel", "")),
                    "contact": "phone" if event.contact.phone else "email",
                },
            )
        )

    def _plan_sync(
        self,
        plan: BatchPlan,
        context: BatchContext,
        client: ClientInfo,
        planned: PlannedEvent,
        arrived: datetime,
    ) -> PlannedItem | None:
        event = planned.normalized
        # A marketplace import is the marketplace's data (Thumbtack, Angi), not one shared source.
        source = str(event.data.get("marketplace") or event.provider)[:64]
        plan.syncs.append(PlannedSync(planned, client.id, source, dict(event.data)))
        context.stale.get(client.id, {}).pop(source, None)  # fresh from now on
        metrics = event.data.get("metrics")
        if not (isinstance(metrics, list) and metrics):
            return None
        return self._plan_item(
            plan,
            ItemKind.REPORT_NOTE,
            Workflow.CLIENT_REPORT_NOTE,
            [],
            template=None,
            client=client,
            planned=planned,
            lead=None,
            arrived=arrived,
            priority=4,
            label=event.source or event.provider,
            level=Urgency.LOW,
            returning=False,
        )

    def _plan_item(
        self,
        plan: BatchPlan,
        kind: ItemKind,
        workflow: Workflow,
        shared: list[Finding],
        *,
        template: Template | None,
        client: ClientInfo,
        planned: PlannedEvent,
        lead: LeadRecord | None,
        arrived: datetime,
        priority: int,
        label: str,
        level: Urgency,
        returning: bool,
    ) -> PlannedItem:
        event = planned.normalized
        drafted = self.drafter.draft(
            DraftRequest(
                event=event,
                kind=kind,
                client_name=client.name,
                services=client.services,
                returning_lead=returning,
                client_timezone=client.timezone,
                urgency=level,
                template=template,
            )
        )
        findings = (
            draft_flags(drafted, figures_are_proof=kind == ItemKind.REPORT_NOTE)
            + shared
            + checks.data_quality(event, kind)
            + (checks.opted_out(kind, lead.opted_out_at) if lead is not None and lead.opted_out else [])
        )
        if kind == ItemKind.REPORT_NOTE:
            findings = [f for f in findings if f.code != FlagCode.MISSING_CONTACT]
        item = PlannedItem(
            event=planned,
            client_id=client.id,
            lead=lead,
            provider=event.provider,
            kind=kind,
            workflow=workflow,
            priority=priority,
            arrived_at=arrived,
            lead_label=label,
            draft=drafted,
            findings=locate(findings, drafted.internal_summary),
            status=ItemStatus.DRAFTING if self.await_ai else ItemStatus.PENDING,
        )
        plan.items.append(item)
        return item


class _Held(Quarantined):
    """The row is fine but cannot be placed yet (no client mapping): held, not quarantined."""


def is_held(exc: Quarantined) -> bool:
    return isinstance(exc, _Held)


def _merge(plan: BatchPlan, staged: BatchPlan) -> None:
    names = (
        "new_leads",
        "events",
        "tasks",
        "items",
        "syncs",
        "consents",
        "ratings",
        "deal_stages",
        "audits",
        "touched",
    )
    for name in names:
        getattr(plan, name).extend(getattr(staged, name))


def lead_label(event: NormalizedEvent) -> str:
    contact = event.contact
    if contact.name:
        return contact.name[:200]
    if contact.phone:
        return f"caller …{contact.phone[-4:]}"
    return (contact.email or "unknown contact")[:200]


def draft_flags(drafted: DraftResult, *, figures_are_proof: bool = False) -> list[Finding]:
    """The flags about one draft's wording, whichever drafter wrote it: its own findings (the
    AI's), the PII and review-edge rules over its texts, and low confidence; the drafter's
    and the rules' findings about the same words are one flag. ``figures_are_proof``: a report
    note's money figures and counts are provider metrics, not pricing or scope. Flags about the signal
    (duplicate, spam, consent...) come from the checks and outlive any one version."""
    return merge_findings(
        locate(list(drafted.findings), drafted.internal_summary)
        + find_pii(drafted.client_text, "client_text")
        + find_review_edge(drafted.client_text, "client_text", figures_are_proof=figures_are_proof)
        + find_review_edge(drafted.internal_summary, "internal_summary", figures_are_proof=figures_are_proof)
        + checks.low_confidence(drafted.confidence)
    )


def locate(findings: list[Finding], internal_summary: str) -> list[Finding]:
    """Give span-less findings a span where their evidence appears in the internal summary."""
    located = []
    for finding in findings:
        if finding.span is None and finding.evidence:
            at = internal_summary.find(finding.evidence)
            if at >= 0:
                finding = Finding(
                    finding.code,
                    finding.severity,
                    finding.reason,
                    finding.evidence,
                    "internal_summary",
                    (at, at + len(finding.evidence)),
                    finding.source,
                )
        located.append(finding)
    return located


def top_flag_codes(findings: list[Finding]) -> str:
    ranked = sorted(findings, key=lambda f: -f.severity)
    return ",".join(dict.fromkeys(f.code for f in ranked))[:255]


def highest(findings: list[Finding]) -> int:
    return int(max((f.severity for f in findings), default=Severity.NONE))
