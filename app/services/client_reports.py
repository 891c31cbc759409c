"""Periodic client report notes: a step of the shared cycle, and the report text for the CLI.

Each client with a report period ("weekly", "monthly") gets one report note per period once
the period has ended (``app.reports.periods``), drafted from the period's snapshots and lead
outcomes (``app.reports.note``) and reviewed like any note; publishing it marks its snapshots
reviewed proof (``app.reports.proof``, from ``app.services.outbound``).

Once per period per client, whichever desk or worker runs the cycle: each report is written in
its own transaction with its ``client_reports`` row, whose unique (client, period) key decides.
A cycle that loses the race gets the duplicate key (or, on a server, waits for the winner and
then gets it), rolls back everything it wrote and counts nothing; the next cycle sees the row.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from app import audit, words
from app.pipeline.context import load_context
from app.pipeline.persist import persist
from app.pipeline.planner import BatchPlan, PlannedItem, draft_flags, locate
from app.reports.gather import report_inputs
from app.reports.note import ReportNote, build
from app.reports.periods import Period, due, parse
from app.reports.proof import record_proofs
from db.engine import Database
from db.errors import is_transient_conflict
from db.models import Client, ClientReport, ReviewItem
from db.queries.drafts import current_draft
from db.types import utcnow
from db.vocab import ItemKind, ItemStatus, Workflow

PROVIDER = "client_report"  # review_items.provider of a periodic report note: the desk's own cycle
REPORT_BATCH = 20  # reports drafted per cycle at most; the rest come next cycle
APPROVED = (ItemStatus.APPROVED, ItemStatus.EDITED, ItemStatus.PUBLISHED)


class ReportUnavailable(ValueError):
    """No report can be given for what was asked; ``str(exc)`` says why in plain words."""


def create_due_reports(
    database: Database,
    now: datetime | None = None,
    actor: str = "pipeline",
    source: str = "pipeline",
    batch: int = REPORT_BATCH,
) -> int:
    """Draft the report notes that came due (at most ``batch``); returns how many this call
    drafted. Bounded and resumable: what is left, or lost to a crash, is due next cycle."""
    now = now or utcnow()
    return sum(
        _create(database, client_id, period, now, actor, source) for client_id, period in _due(database, now, batch)
    )


def _due(database: Database, now: datetime, batch: int) -> list[tuple[int, Period]]:
    with database.read() as session:
        clients = session.execute(
            select(Client.id, Client.report_period, Client.timezone, Client.created_at).where(
                Client.active.is_(True), Client.report_period != ""
            )
        ).all()
        wanted = [
            (client_id, period)
            for client_id, kind, timezone, joined in clients
            if (period := due(kind, timezone, joined, now)) is not None
        ]
        if not wanted:
            return []
        made = {
            tuple(row)
            for row in session.execute(
                select(ClientReport.client_id, ClientReport.period_start, ClientReport.period_end).where(
                    ClientReport.client_id.in_([client_id for client_id, _ in wanted]),
                    ClientReport.period_end >= min(period.end for _, period in wanted),
                )
            )
        }
    return [(c, p) for c, p in wanted if (c, p.start, p.end) not in made][:batch]


def _create(database: Database, client_id: int, period: Period, now: datetime, actor: str, source: str) -> bool:
    try:
        with database.write() as session:
            if _report(session, client_id, period) is not None:
                return False
            _write(session, client_id, period, now, actor, source)
        return True
    except DBAPIError as exc:  # the duplicate key is an IntegrityError, one of these
        # Another desk or the worker drafted this period's report first (or the database broke
        # a deadlock between the two): not an error, there is one report and it is theirs.
        if is_transient_conflict(exc) or _drafted(database, client_id, period):
            return False
        raise


def _write(session: Session, client_id: int, period: Period, now: datetime, actor: str, source: str) -> None:
    client = session.get(Client, client_id)
    assert client is not None
    context = load_context(session, now, [])
    note = build(report_inputs(session, client, period, context.stale.get(client_id, {}), now))
    item = _planned(client, period, note, now)
    persist(session, BatchPlan(items=[item]), context, actor, source)
    assert item.id is not None
    report = ClientReport(
        client_id=client_id, period_start=period.start, period_end=period.end, review_item_id=item.id, created_at=now
    )
    session.add(report)
    session.flush()  # the unique key decides here
    record_proofs(session, item.id, note.snapshot_ids)
    audit.record(
        session,
        actor=actor,
        source=source,
        action="client_report.drafted",
        entity="client_report",
        entity_id=report.id,
        review_item_id=item.id,
        client_id=client_id,
        recovery="reject the report note in the desk; the period is not drafted again",
        detail={"period": period.label, "snapshot_ids": list(note.snapshot_ids), "flags": len(note.findings)},
    )


def _planned(client: Client, period: Period, note: ReportNote, now: datetime) -> PlannedItem:
    draft = note.draft
    # Money figures in a report note are provider metrics (proof), not pricing promises.
    findings = locate(draft_flags(draft, figures_are_proof=True) + list(note.findings), draft.internal_summary)
    return PlannedItem(
        event=None,
        client_id=client.id,
        lead=None,
        provider=PROVIDER,
        kind=ItemKind.REPORT_NOTE,
        workflow=Workflow.CLIENT_REPORT_NOTE,
        priority=4,
        arrived_at=now,
        lead_label=f"{client.name}: report for {period.words}"[:200],
        draft=draft,
        findings=findings,
    )


def _report(session: Session, client_id: int, period: Period) -> ClientReport | None:
    return session.scalar(
        select(ClientReport).where(
            ClientReport.client_id == client_id,
            ClientReport.period_start == period.start,
            ClientReport.period_end == period.end,
        )
    )


def _drafted(database: Database, client_id: int, period: Period) -> bool:
    with database.read() as session:
        return _report(session, client_id, period) is not None


def report_for(database: Database, client_name: str, period: str) -> str:
    """The report of ``client_name`` (its name or slug) for ``period`` ("2026-11" monthly,
    "2026-W47" weekly), headed by its review state: the approved text once approved, else the
    draft waiting for review, else (no report note yet) built now from the records, unreviewed."""
    with database.read() as session:
        wanted = client_name.strip().lower()
        client = session.scalar(
            select(Client)
            .where(or_(func.lower(Client.name) == wanted, func.lower(Client.slug) == wanted))
            .order_by(Client.id)
            .limit(1)
        )
        if client is None:
            raise ReportUnavailable(f"No client is named “{client_name}”.")
        try:
            chosen = parse(period, client.timezone)
        except ValueError as exc:
            raise ReportUnavailable(str(exc)) from None
        report = _report(session, client.id, chosen)
        if report is None:
            now = utcnow()
            stale = load_context(session, now, []).stale.get(client.id, {})
            text = build(report_inputs(session, client, chosen, stale, now)).draft.client_text
            state = "no report note yet; built now from the records, not reviewed"
            return f"{client.name}, {chosen.label}: {state}.\n\n{text}"
        item = session.get(ReviewItem, report.review_item_id)
        assert item is not None
        if item.status in APPROVED:
            state = f"{words.status(item.status).lower()}, approved by {item.owner}"
            return f"{client.name}, {chosen.label}: report note #{item.id}, {state}.\n\n{item.final_text or ''}"
        draft = current_draft(session, item.id)
        state = words.status(item.status).lower()
        return f"{client.name}, {chosen.label}: report note #{item.id}, {state}, not approved.\n\n" + (
            draft.client_text if draft else ""
        )
