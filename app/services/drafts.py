"""New draft versions: an AI draft replacing the offline one, a regenerated draft, and the
offline draft released when the AI could not help.

A new version never rewrites an old one: earlier drafts stay (status ``superseded``) and the
desk lists them. Flags about the wording are computed for the new text; flags about the
signal (duplicate, spam, consent...) carry over. The item's version goes up, so an action
prepared against the old draft is refused as stale.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit
from app.lead_events import add_summary, track_approval_state
from app.pipeline import checks
from app.pipeline.drafting import DraftResult
from app.pipeline.flag_rules import Finding
from app.pipeline.planner import draft_flags, highest, locate, top_flag_codes
from app.states import ITEMS
from db.engine import Database
from db.models import Draft, ReviewItem, RiskFlag
from db.queries.drafting import waiting_since
from db.types import utcnow
from db.vocab import SIGNAL_FLAG_CODES, FlagSource, ItemKind, ItemStatus, Severity

DRAFTER_ACTOR = "drafter"


def write_version(
    session: Session,
    item: ReviewItem,
    result: DraftResult,
    *,
    actor: str,
    source: str,
    now: datetime,
    instruction: str | None = None,
) -> Draft:
    """Add ``result`` as the item's newest draft with its flags (inside the caller's
    transaction); bumps the item's version and its queue columns."""
    previous = session.scalar(
        select(Draft)
        .where(Draft.review_item_id == item.id)
        .order_by(Draft.version_no.desc())
        .limit(1)
        .with_for_update()
    )
    carried = _signal_flags(session, item.id, previous.id) if previous else []
    if previous is not None:
        previous.status = "superseded"
    draft = Draft(
        review_item_id=item.id,
        version_no=(previous.version_no if previous else 0) + 1,
        drafter=result.drafter[:32],
        internal_summary=result.internal_summary,
        client_text=result.client_text,
        next_action=result.next_action[:255],
        confidence=result.confidence,
        model=result.model,
        prompt_version=result.prompt_version,
        latency_ms=result.latency_ms,
        tokens_in=result.tokens_in,
        tokens_out=result.tokens_out,
        input_hash=result.input_hash,
        instruction=(instruction or None) and instruction[:500],
        grounding=result.grounding,
        owner=actor,
        source=result.drafter[:64],
        status="current",
        recovery="regenerate, or edit the text, in the desk",
    )
    session.add(draft)
    session.flush()
    findings = (
        locate(draft_flags(result, figures_are_proof=item.kind == ItemKind.REPORT_NOTE), result.internal_summary)
        + carried
    )
    _add_flags(session, item.id, draft.id, findings, actor)
    _refresh_queue_columns(session, item, draft.id)
    item.version += 1
    item.updated_at = now
    add_summary(session, item, draft, list(dict.fromkeys(str(f.code) for f in findings)), now)
    audit.record(
        session,
        actor=actor,
        source=source,
        action="draft.written",
        entity="draft",
        entity_id=draft.id,
        review_item_id=item.id,
        lead_id=item.lead_id,
        client_id=item.client_id,
        recovery="earlier versions are kept",
        detail={
            "version": draft.version_no,
            "drafter": draft.drafter,
            "model": draft.model,
            "prompt_version": draft.prompt_version,
            "instruction": bool(instruction),
        },
    )
    return draft


def record_ai_draft(database: Database, item_id: int, result: DraftResult, source: str) -> bool:
    """The drafting stage's AI answer: the new version, and the item joins the queue.
    False when the item no longer waits for it (another worker finished it first)."""
    with database.write() as session:
        item = _waiting(session, item_id)
        if item is None:
            return False
        now = utcnow()
        write_version(session, item, result, actor=DRAFTER_ACTOR, source=source, now=now)
        _release(session, item, now)
        return True


def record_fallback(database: Database, item_id: int, findings: list[Finding], source: str) -> bool:
    """No AI draft: the offline draft stays, with ``findings`` (``ai_unavailable`` and why)."""
    with database.write() as session:
        item = _waiting(session, item_id)
        if item is None:
            return False
        now = utcnow()
        draft_id = session.scalar(
            select(Draft.id).where(Draft.review_item_id == item.id).order_by(Draft.version_no.desc()).limit(1)
        )
        _add_flags(session, item.id, draft_id, findings, DRAFTER_ACTOR)
        _refresh_queue_columns(session, item, draft_id)
        item.version += 1
        _release(session, item, now)
        audit.record(
            session,
            actor=DRAFTER_ACTOR,
            source=source,
            action="draft.ai_unavailable",
            entity="review_item",
            entity_id=item.id,
            review_item_id=item.id,
            lead_id=item.lead_id,
            client_id=item.client_id,
            outcome="fallback",
            recovery="regenerate in the desk",
            detail={"reasons": [f.reason for f in findings]},
        )
        return True


def _waiting(session: Session, item_id: int) -> ReviewItem | None:
    item = session.get(ReviewItem, item_id, with_for_update=True)
    return item if item is not None and item.status == ItemStatus.DRAFTING else None


def _release(session: Session, item: ReviewItem, now: datetime) -> None:
    ITEMS.move(item, ItemStatus.PENDING)
    item.lease_expires_at = None
    item.updated_at = now
    track_approval_state(session, item)


def _signal_flags(session: Session, item_id: int, draft_id: int) -> list[Finding]:
    rows = session.scalars(
        select(RiskFlag).where(
            RiskFlag.review_item_id == item_id,
            RiskFlag.draft_id == draft_id,
            RiskFlag.code.in_([str(c) for c in SIGNAL_FLAG_CODES]),
        )
    )
    return [Finding(f.code, Severity(f.severity), f.reason, f.evidence, None, None, FlagSource(f.source)) for f in rows]


def _add_flags(session: Session, item_id: int, draft_id: int | None, findings: list[Finding], actor: str) -> None:
    for f in findings:
        session.add(
            RiskFlag(
                review_item_id=item_id,
                draft_id=draft_id,
                code=str(f.code)[:48],
                severity=int(f.severity),
                reason=f.reason[:255],
                evidence=f.evidence[:1000],
                field=f.field,
                span_start=f.span[0] if f.span else None,
                span_end=f.span[1] if f.span else None,
                owner=actor,
                source=str(f.source),
                status="open",
                recovery="reviewer decides",
            )
        )
    session.flush()


def _refresh_queue_columns(session: Session, item: ReviewItem, draft_id: int | None) -> None:
    """The queue's top flags and severity, from the flags that now apply to the item."""
    rows = session.execute(
        select(RiskFlag.code, RiskFlag.severity).where(
            RiskFlag.review_item_id == item.id, (RiskFlag.draft_id == draft_id) | RiskFlag.draft_id.is_(None)
        )
    ).all()
    findings = [Finding(code, Severity(severity), "") for code, severity in rows]
    item.top_severity = highest(findings)
    item.flag_codes = top_flag_codes(findings)


def release_waiting(database: Database, item_ids: list[int], reason: str, source: str) -> int:
    """Items that waited too long (or wait for an AI that is no longer configured) join the
    queue with their offline draft and the reason."""
    flags = checks.ai_unavailable(reason)
    return sum(record_fallback(database, item_id, flags, source) for item_id in item_ids)


def release_without_ai(database: Database, source: str) -> int:
    """No AI server is configured (any more): whatever waits for one joins the queue now."""
    with database.read() as session:
        waiting = waiting_since(session, utcnow())
    if not waiting:
        return 0
    return release_waiting(database, waiting, "no AI server is configured", source)
