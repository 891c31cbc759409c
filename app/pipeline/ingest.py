"""Persisting one webhook row's events: lead, event, draft, risk flags, review item, audit.

Runs inside the poller's transaction; everything for one row happens in one savepoint, so a row
either lands whole or is quarantined whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app import audit
from app.pipeline.drafting import Drafter, DraftRequest, DraftResult
from app.pipeline.flag_rules import Finding, find_pii, find_review_edge, top_severity
from app.pipeline.model import NormalizedEvent, Quarantined
from db.models import (
    Client,
    ClientService,
    Draft,
    Event,
    Lead,
    ReviewItem,
    RiskFlag,
    WebhookEvent,
)
from db.vocab import EventType, ItemKind, ItemStatus, Urgency

PRIORITY = {Urgency.EMERGENCY: 1, Urgency.HIGH: 2, Urgency.NORMAL: 3, Urgency.LOW: 4}
SLA = {1: timedelta(minutes=15), 2: timedelta(hours=1), 3: timedelta(hours=4), 4: timedelta(days=1)}

# What the desk must review for each event type: (kind, workflow).
REVIEWS = {
    EventType.LEAD_CREATED: (ItemKind.PORTAL_NOTE, "client_report_note"),
    EventType.CALL_MISSED: (ItemKind.PORTAL_NOTE, "client_report_note"),
    EventType.QUOTE_REQUESTED: (ItemKind.PORTAL_NOTE, "quote_follow_up"),
}


@dataclass(frozen=True)
class IngestConfig:
    drafter: Drafter
    actor: str = "pipeline"
    source: str = "worker"


@dataclass
class IngestResult:
    events: int = 0
    duplicates: int = 0
    items: int = 0


def lead_label(event: NormalizedEvent) -> str:
    contact = event.contact
    if contact.name:
        return contact.name[:200]
    if contact.phone:
        return f"caller …{contact.phone[-4:]}"
    return contact.email or "unknown contact"


def ingest_events(
    session: Session,
    row: WebhookEvent,
    events: list[NormalizedEvent],
    config: IngestConfig,
    now: datetime,
) -> IngestResult:
    if row.client_id is None:
        raise Quarantined("no client is assigned to this delivery")
    client = session.get(Client, row.client_id)
    if client is None:
        raise Quarantined(f"client #{row.client_id} does not exist")
    result = IngestResult()
    for event in events:
        existing = session.scalar(
            select(Event.id).where(Event.idempotency_key == event.idempotency_key)
        )
        if existing is not None:
            result.duplicates += 1
            continue
        lead, returning = _lead_for(session, client, event, now, config)
        stored = Event(
            type=event.type,
            idempotency_key=event.idempotency_key,
            webhook_event_id=row.id,
            client_id=client.id,
            lead_id=lead.id if lead else None,
            provider=event.provider,
            occurred_at=event.occurred_at,
            data=dict(event.data),
        )
        session.add(stored)
        session.flush()
        result.events += 1
        audit.record(
            session, actor=config.actor, source=config.source, action="event.created",
            entity="event", entity_id=stored.id, lead_id=stored.lead_id, client_id=client.id,
            recovery=f"re-run from webhook_events #{row.id}",
            detail={"type": event.type, "webhook_event_id": row.id},
        )
        review = REVIEWS.get(event.type)
        if event.type == EventType.LEAD_CREATED and any(
            e.type == EventType.QUOTE_REQUESTED for e in events
        ):
            review = None  # a quote form's one note is about the quote, not a second "new lead"
        if review and lead is not None:
            _create_review_item(
                session, client, lead, stored, event, review, returning, config, now,
                row.received_at,
            )
            result.items += 1
    return result


def _lead_for(
    session: Session, client: Client, event: NormalizedEvent, now: datetime, config: IngestConfig
) -> tuple[Lead | None, bool]:
    """The lead this event is about (matched by phone or email), created when new."""
    if event.type == EventType.PROVIDER_ENRICHED:
        return None, False
    contact = event.contact
    matches = []
    if contact.phone:
        matches.append(Lead.phone == contact.phone)
    if contact.email:
        matches.append(Lead.email == contact.email)
    if matches:
        lead = session.scalar(
            select(Lead)
            .where(Lead.client_id == client.id, or_(*matches))
            .order_by(Lead.id)
            .limit(1)
        )
        if lead is not None:
            lead.last_event_at = max(lead.last_event_at, event.occurred_at)
            return lead, True
    lead = Lead(
        client_id=client.id,
        name=contact.name,
        phone=contact.phone,
        email=contact.email,
        service=event.service[:200],
        urgency=event.urgency,
        consent=event.consent,
        attribution=dict(event.attribution),
        first_seen_at=event.occurred_at,
        last_event_at=event.occurred_at,
        owner=config.actor,
        source=event.provider,
        status="new",
        recovery="merge or correct from the desk; source event kept",
    )
    session.add(lead)
    session.flush()
    audit.record(
        session, actor=config.actor, source=config.source, action="lead.created",
        entity="lead", entity_id=lead.id, lead_id=lead.id, client_id=client.id,
    )
    return lead, False


def _create_review_item(
    session: Session,
    client: Client,
    lead: Lead,
    stored: Event,
    event: NormalizedEvent,
    review: tuple[ItemKind, str],
    returning: bool,
    config: IngestConfig,
    now: datetime,
    arrived_at: datetime | None,
) -> ReviewItem:
    kind, workflow = review
    services = tuple(
        session.scalars(
            select(ClientService.name).where(
                ClientService.client_id == client.id, ClientService.status == "active"
            )
        )
    )
    request = DraftRequest(
        event=event, kind=kind, client_name=client.name, services=services,
        returning_lead=returning, client_timezone=client.timezone,
    )
    drafted = config.drafter.draft(request)
    findings = list(drafted.findings) + rule_findings(drafted)
    priority = PRIORITY[event.urgency]
    arrived = min(arrived_at or now, now)
    ranked = sorted(findings, key=lambda f: -f.severity)
    item = ReviewItem(
        kind=kind,
        client_id=client.id,
        lead_id=lead.id,
        event_id=stored.id,
        workflow=workflow,
        provider=event.provider,
        priority=priority,
        arrived_at=arrived,
        sla_due_at=arrived + SLA[priority],
        lead_label=lead_label(event),
        top_severity=int(top_severity(findings)),
        flag_codes=",".join(dict.fromkeys(f.code for f in ranked))[:255],
        owner=config.actor,
        source=event.provider,
        status=ItemStatus.PENDING,
        recovery="reject, or edit and approve, in the desk",
    )
    session.add(item)
    session.flush()
    draft = _store_draft(session, item, drafted, config)
    for finding in findings:
        session.add(
            RiskFlag(
                review_item_id=item.id, draft_id=draft.id, code=finding.code,
                severity=int(finding.severity), reason=finding.reason,
                evidence=finding.evidence[:1000], field=finding.field,
                span_start=finding.span[0] if finding.span else None,
                span_end=finding.span[1] if finding.span else None,
                owner=config.actor, source=finding.source, status="open",
                recovery="reviewer decides",
            )
        )
    audit.record(
        session, actor=config.actor, source=config.source, action="review_item.created",
        entity="review_item", entity_id=item.id, review_item_id=item.id, lead_id=lead.id,
        client_id=client.id, detail={"kind": kind, "flags": len(findings)},
    )
    return item


def rule_findings(drafted: DraftResult) -> list[Finding]:
    """The rule-based flags every draft gets, whichever drafter wrote it."""
    return (
        find_pii(drafted.client_text, "client_text")
        + find_review_edge(drafted.client_text, "client_text")
        + find_review_edge(drafted.internal_summary, "internal_summary")
    )


def _store_draft(
    session: Session, item: ReviewItem, drafted: DraftResult, config: IngestConfig
) -> Draft:
    draft = Draft(
        review_item_id=item.id,
        version_no=1,
        drafter=drafted.drafter,
        internal_summary=drafted.internal_summary,
        client_text=drafted.client_text,
        next_action=drafted.next_action,
        confidence=drafted.confidence,
        model=drafted.model,
        prompt_version=drafted.prompt_version,
        latency_ms=drafted.latency_ms,
        tokens_in=drafted.tokens_in,
        tokens_out=drafted.tokens_out,
        input_hash=drafted.input_hash,
        owner=config.actor,
        source=drafted.drafter,
        status="current",
        recovery="regenerate from the desk",
    )
    session.add(draft)
    session.flush()
    return draft
