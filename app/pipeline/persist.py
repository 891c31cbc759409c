"""Writing a batch plan with a handful of bulk statements.

Each planned row learns its id on insert, so the rows that point at it can be written next.
PostgreSQL and MariaDB return ids in parameter order from a multi-row ``INSERT ... RETURNING``.
SQLite does not promise that order, and SQLAlchemy then falls back to one statement per row;
but a SQLite write transaction holds the database's only write lock (``BEGIN IMMEDIATE``), so
nobody else can insert meanwhile and the ids are allocated up front as ``max(id) + 1...``, as
SQLite itself would, and written with one ``executemany``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Table, bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from app.duty import assign_new
from app.item_assignment import assign_new_items
from app.lead_events import qualify_lead, summary_row
from app.pipeline.consent import apply_consent
from app.pipeline.context import BatchContext, LeadRecord
from app.pipeline.crm_stages import apply_deal_stages
from app.pipeline.fields import iso_moment
from app.pipeline.flag_rows import flag_row
from app.pipeline.planner import (
    BatchPlan,
    PlannedAudit,
    PlannedItem,
    PlannedSync,
    RowOutcome,
    highest,
    top_flag_codes,
)
from app.pipeline.review_pause import apply_batch
from app.reports.proof import record_proofs
from app.response_window import ResponseRules, load_rules
from db.models import (
    AuditEntry,
    DataSource,
    Draft,
    Event,
    Lead,
    MetricSnapshot,
    OwnerTask,
    ProviderImportBatch,
    ReviewItem,
    RiskFlag,
    WebhookEvent,
)
from db.vocab import EventType, ItemKind, TaskStatus

LEADS: Table = Lead.__table__  # type: ignore[assignment]
EVENTS: Table = Event.__table__  # type: ignore[assignment]
TASKS: Table = OwnerTask.__table__  # type: ignore[assignment]
ITEMS: Table = ReviewItem.__table__  # type: ignore[assignment]
DRAFTS: Table = Draft.__table__  # type: ignore[assignment]
FLAGS: Table = RiskFlag.__table__  # type: ignore[assignment]
AUDIT: Table = AuditEntry.__table__  # type: ignore[assignment]
WEBHOOKS: Table = WebhookEvent.__table__  # type: ignore[assignment]
SOURCES: Table = DataSource.__table__  # type: ignore[assignment]
IMPORTS: Table = ProviderImportBatch.__table__  # type: ignore[assignment]
SNAPSHOTS: Table = MetricSnapshot.__table__  # type: ignore[assignment]


def _insert(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> list[int]:
    if not rows:
        return []
    if session.get_bind().dialect.name == "sqlite":
        first = (session.scalar(select(func.max(table.c.id))) or 0) + 1
        ids = list(range(first, first + len(rows)))
        session.execute(insert(table), [dict(row, id=new_id) for row, new_id in zip(rows, ids, strict=True)])
        return ids
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return list(session.execute(statement, list(rows)).scalars())


def _assign(objects: Sequence[Any], ids: list[int]) -> None:
    for obj, new_id in zip(objects, ids, strict=True):
        obj.id = new_id


def persist(session: Session, plan: BatchPlan, context: BatchContext, actor: str, source: str) -> None:
    now = context.now
    rules = load_rules(session, [t.event.client_id for t in plan.tasks] + [i.client_id for i in plan.items])
    _assign(plan.new_leads, _insert(session, LEADS, [_lead_row(lead, actor, now) for lead in plan.new_leads]))
    _update_leads(session, plan.changed_leads(), now)
    _assign(
        plan.events,
        _insert(
            session,
            EVENTS,
            [
                {
                    "type": e.normalized.type,
                    "idempotency_key": e.normalized.idempotency_key,
                    "webhook_event_id": e.webhook_id,
                    "client_id": e.client_id,
                    "lead_id": e.lead.id if e.lead else None,
                    "provider": e.normalized.provider[:64],
                    "occurred_at": e.normalized.occurred_at,
                    "created_at": now,
                    "data": dict(e.normalized.data),
                }
                for e in plan.events
            ],
        ),
    )
    _assign(
        plan.tasks,
        _insert(
            session,
            TASKS,
            [
                {
                    "client_id": t.event.client_id,
                    "lead_id": t.event.lead.id if t.event.lead else None,
                    "event_id": t.event.id,
                    "title": t.plan.title[:200],
                    "reason": t.plan.reason[:255],
                    "priority": t.plan.priority,
                    "due_at": t.due_at(rules),
                    "attempts": 0,
                    "created_at": now,
                    "updated_at": now,
                    "owner": "unassigned",
                    "source": "routing",
                    "status": TaskStatus.OPEN,
                    "recovery": "reassign or close from the desk",
                }
                for t in plan.tasks
            ],
        ),
    )
    _assign_tasks(session, [t.id for t in plan.tasks if t.id is not None], actor, source, now)
    _write_items(session, plan.items, rules, actor, now)
    assign_new_items(
        session,
        [(i.id, i.client_id, i.lead.id if i.lead else None) for i in plan.items if i.id is not None],
        actor=actor,
        source=source,
        now=now,
    )
    _qualify_quotes(session, plan, context, now)
    for change, lead in plan.consents:
        change.lead_id = lead.id if lead else None
        apply_consent(session, change, actor, source, now)
    apply_batch(session, plan.ratings, plan.items, actor, source, now)  # ratings; complaints pause review requests
    reports = {id(i.event): i.id for i in plan.items if i.kind == ItemKind.REPORT_NOTE and i.event is not None}
    for sync in plan.syncs:
        _write_sync(session, sync, context, actor, now, reports.get(id(sync.event)))
    apply_deal_stages(session, plan.deal_stages, now)  # may hold a row: before its outcome is written
    _write_audits(session, plan.audits, actor, source, now)
    record_outcomes(session, plan.outcomes, now)


QUALIFIED_AT = 70  # of 100: a contact (40), a service (30), a budget (15), a timeline (15)


def _qualify_quotes(session: Session, plan: BatchPlan, context: BatchContext, now: datetime) -> None:
    """The quote rule: a quote request that says who, what, and how much or when is a
    qualified lead (``lead.qualified`` by ``quote_rule``); the person confirms it later."""
    for planned in plan.events:
        event, lead = planned.normalized, planned.lead
        if event.type != EventType.QUOTE_REQUESTED or lead is None or lead.id is None:
            continue
        reasons = [
            reason
            for reason, present in (
                ("contact", not event.contact.is_empty),
                ("service", bool(event.service)),
                ("budget", event.data.get("budget") is not None),
                ("timeline", bool(event.data.get("timeline"))),
            )
            if present
        ]
        score = sum({"contact": 40, "service": 30, "budget": 15, "timeline": 15}[r] for r in reasons)
        if score >= QUALIFIED_AT:
            client = context.clients.get(planned.client_id)
            qualify_lead(
                session,
                lead.id,
                by="quote_rule",
                score=score,
                reasons=reasons,
                next_action="call back with a quote",
                now=now,
                crm_target="the client's CRM" if client is not None and client.has_crm else "none",
            )


def _lead_row(lead: LeadRecord, actor: str, now: datetime) -> dict[str, Any]:
    return {
        "client_id": lead.client_id,
        "name": lead.name,
        "phone": lead.phone,
        "email": lead.email,
        "service": lead.service,
        "urgency": lead.urgency,
        "consent": lead.consent,
        "attribution": lead.attribution,
        "opted_out": lead.opted_out,
        "opted_out_at": lead.opted_out_at,
        "duplicate_of_id": lead.duplicate_of_id,
        "first_seen_at": lead.first_seen_at,
        "last_event_at": lead.last_event_at,
        "next_action": "",
        "created_at": now,
        "updated_at": now,
        "owner": actor,
        "source": lead.source,
        "status": "opted_out" if lead.opted_out else "new",
        "recovery": "merge or correct from the desk; source events kept",
    }


def _update_leads(session: Session, leads: list[LeadRecord], now: datetime) -> None:
    if not leads:
        return
    statement = (
        update(LEADS)
        .where(LEADS.c.id == bindparam("lead_id"))
        .values(
            last_event_at=bindparam("last"),
            opted_out=bindparam("out"),
            opted_out_at=bindparam("out_at"),
            consent=bindparam("consent_now"),
            name=bindparam("name_now"),
            phone=bindparam("phone_now"),
            email=bindparam("email_now"),
            updated_at=now,
        )
    )
    session.execute(
        statement,
        [
            {
                "lead_id": lead.id,
                "last": lead.last_event_at,
                "out": lead.opted_out,
                "out_at": lead.opted_out_at,
                "consent_now": lead.consent,
                "name_now": lead.name,
                "phone_now": lead.phone,
                "email_now": lead.email,
            }
            for lead in leads
        ],
    )


def _assign_tasks(session: Session, task_ids: list[int], actor: str, source: str, now: datetime) -> None:
    """Every new task goes to a person (or says why nobody) in this same transaction."""
    tasks = [
        task
        for start in range(0, len(task_ids), 500)
        for task in session.scalars(
            select(OwnerTask).where(OwnerTask.id.in_(task_ids[start : start + 500])).order_by(OwnerTask.id)
        )
    ]
    assign_new(session, tasks, actor=actor, source=source, now=now)


def _write_items(session: Session, items: list[PlannedItem], rules: ResponseRules, actor: str, now: datetime) -> None:
    _assign(
        items,
        _insert(
            session,
            ITEMS,
            [
                {
                    "kind": i.kind,
                    "client_id": i.client_id,
                    "lead_id": i.lead.id if i.lead else None,
                    "event_id": i.event.id if i.event else None,
                    "workflow": i.workflow,
                    "provider": i.provider[:64],
                    "priority": i.priority,
                    "arrived_at": i.arrived_at,
                    "sla_due_at": i.sla_due_at(rules),
                    "lead_label": i.lead_label[:200],
                    "top_severity": highest(i.findings),
                    "flag_codes": top_flag_codes(i.findings),
                    "version": 1,
                    "created_at": now,
                    "updated_at": now,
                    "owner": actor,
                    "source": i.provider[:64],
                    "status": i.status,
                    "recovery": "reject, or edit and approve, in the desk",
                }
                for i in items
            ],
        ),
    )
    draft_ids = _insert(
        session,
        DRAFTS,
        [
            {
                "review_item_id": i.id,
                "version_no": 1,
                "drafter": i.draft.drafter[:32],
                "internal_summary": i.draft.internal_summary,
                "client_text": i.draft.client_text,
                "next_action": i.draft.next_action[:255],
                "confidence": i.draft.confidence,
                "model": i.draft.model,
                "prompt_version": i.draft.prompt_version,
                "latency_ms": i.draft.latency_ms,
                "tokens_in": i.draft.tokens_in,
                "tokens_out": i.draft.tokens_out,
                "input_hash": i.draft.input_hash,
                "grounding": i.draft.grounding,
                "created_at": now,
                "updated_at": now,
                "owner": actor,
                "source": i.draft.drafter[:64],
                "status": "current",
                "recovery": "regenerate from the desk",
            }
            for i in items
        ],
    )
    flags = [
        flag_row(
            item.id, draft_id, f.code, int(f.severity), f.reason, f.evidence, f.field, f.span, str(f.source), actor, now
        )
        for item, draft_id in zip(items, draft_ids, strict=True)
        for f in item.findings
    ]
    if flags:
        session.execute(insert(FLAGS), flags)
    summaries = [
        summary_row(item, draft_id, list(dict.fromkeys(str(f.code) for f in item.findings)), now)
        for item, draft_id in zip(items, draft_ids, strict=True)
    ]
    if summaries:
        session.execute(insert(EVENTS), summaries)


def _synced_at(sync: PlannedSync) -> datetime:
    raw = sync.data.get("synced_at")
    parsed = iso_moment(raw) if isinstance(raw, str) else None
    return parsed or sync.event.normalized.occurred_at


def _write_sync(
    session: Session, sync: PlannedSync, context: BatchContext, actor: str, now: datetime, report_id: int | None
) -> None:
    """The sync's data source, import batch and snapshots; ``report_id``: the report note
    drafted from it, whose proof the snapshots are."""
    synced = min(_synced_at(sync), now)
    key = (sync.client_id, sync.provider)
    source_id = context.sources.get(key)
    if source_id is None:
        source_id = _insert(
            session,
            SOURCES,
            [
                {
                    "client_id": sync.client_id,
                    "integration_account_id": None,
                    "provider": sync.provider,
                    "kind": str(sync.data.get("provider_kind", "sync"))[:32],
                    "label": sync.event.normalized.source[:200] or sync.provider,
                    "freshness_hours": 48,
                    "last_synced_at": synced,
                    "status": "active",
                    "created_at": now,
                }
            ],
        )[0]
        context.sources[key] = source_id
    else:
        session.execute(
            update(SOURCES)
            .where(
                SOURCES.c.id == source_id, (SOURCES.c.last_synced_at.is_(None)) | (SOURCES.c.last_synced_at < synced)
            )
            .values(last_synced_at=synced)
        )
    metrics = [m for m in sync.data.get("metrics") or [] if isinstance(m, dict) and "metric" in m]
    rows_total = _count(sync.data.get("rows_total", sync.data.get("row_count")))
    if not metrics and not rows_total:
        return  # a change notification: the source is fresh, there is nothing to import
    partial = sync.data.get("mapping_state") == "partial"
    batch_id = _insert(
        session,
        IMPORTS,
        [
            {
                "data_source_id": source_id,
                "provider": sync.provider,
                "external_batch_id": str(sync.data.get("import_batch", ""))[:160] or None,
                "rows_total": rows_total,
                "rows_imported": max(0, rows_total - _count(sync.data.get("rows_unmapped"))),
                "rows_quarantined": _count(sync.data.get("rows_unmapped")),
                "started_at": synced,
                "finished_at": now,
                "error": None,
                "created_at": now,
                "updated_at": now,
                "owner": actor,
                "source": sync.provider,
                "status": "partial" if partial else "imported",
                "recovery": f"re-run from webhook_events #{sync.event.webhook_id}",
            }
        ],
    )[0]
    snapshots = [
        {
            "client_id": sync.client_id,
            "data_source_id": source_id,
            "import_batch_id": batch_id,
            "metric": str(m["metric"])[:64],
            "value": value,
            "unit": str(m.get("unit", ""))[:16],
            "period_start": _when(sync.data.get("period_start")),
            "period_end": _when(sync.data.get("period_end")),
            "created_at": now,
            "updated_at": now,
            "owner": actor,
            "source": sync.provider,
            "status": "partial" if partial else "unreviewed",
            "recovery": "review as client-safe proof before use",
        }
        for m in metrics
        if (value := _decimal(m.get("value"))) is not None
    ]
    snapshot_ids = _insert(session, SNAPSHOTS, snapshots)
    if report_id is not None:
        record_proofs(session, report_id, snapshot_ids)


def _count(value: Any) -> int:
    return int(value) if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.0001"))
    except InvalidOperation:
        return None
    return number if abs(number) < Decimal("1e14") else None


def _when(value: Any) -> datetime | None:
    return iso_moment(value, naive_is_utc=True) if isinstance(value, str) else None


def _write_audits(session: Session, audits: list[PlannedAudit], actor: str, source: str, now: datetime) -> None:
    if not audits:
        return
    session.execute(
        insert(AUDIT),
        [
            {
                "at": now,
                "actor": actor,
                "source": source,
                "action": a.action,
                "outcome": "ok",
                "recovery": a.recovery[:255],
                "entity": a.entity,
                "entity_id": a.target if isinstance(a.target, int) else a.target.id,
                "review_item_id": a.item.id if a.item else None,
                "lead_id": a.lead.id if a.lead else None,
                "client_id": a.client_id,
                "detail": a.detail,
            }
            for a in audits
        ],
    )


def record_outcomes(session: Session, outcomes: list[RowOutcome], now: datetime) -> None:
    """Write each webhook row's outcome, and audit the rows that did not go through."""
    if not outcomes:
        return
    session.execute(
        update(WEBHOOKS)
        .where(WEBHOOKS.c.id == bindparam("row_id"))
        .values(
            status=bindparam("new_status"),
            processed_at=now,
            attempts=WEBHOOKS.c.attempts + 1,
            event_count=bindparam("events"),
            error=bindparam("reason"),
            updated_at=now,
        ),
        [
            {
                "row_id": o.row_id,
                "new_status": o.status,
                "events": o.events,
                "reason": o.error[:1000] if o.error else None,
            }
            for o in outcomes
        ],
    )
