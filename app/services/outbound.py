"""What an approval becomes once it leaves the desk: a published portal note, a queued message
or a CRM handoff in the outbox.

``release_item`` runs in the approval's own transaction when there is no undo window, and
otherwise from ``release_due`` once the window has passed. The internal audit entry is written
in the same transaction, before anything can be sent.

Both first take the pause gate (shared) and read the active pauses: an item a pause covers
stays approved, marked held, and leaves in its turn after the resume. A pause that commits
while a release is under way waits for it; a release that starts after sees the pause.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit
from app.lead_events import add_message_queued, qualify_lead, track_approval_state
from app.reports.proof import mark_reviewed
from app.services.approval_rules import (
    bad_experience_problem,
    consent_problem,
    message_template,
    opt_out_wording_problem,
)
from app.services.lead_stage import record_first_response
from app.services.stage_handoffs import stage_update
from app.states import HANDOFFS, ITEMS
from db.engine import Database
from db.models import Client, CrmHandoff, Lead, Message, PortalNote, ReviewItem
from db.queries.drafts import current_draft
from db.queries.pauses import Pause, active_pauses, lock_gate, not_held, pause_covering
from db.types import utcnow
from db.vocab import HandoffStatus, ItemKind, ItemStatus, MessageStatus

RELEASE_BATCH = 200


def quiet_hours_end(quiet_hours: str | None, timezone: str, now: datetime) -> tuple[datetime, str] | None:
    """When the client's quiet hours ("21:00-08:00" in its time zone) end, with the reason to
    show, if ``now`` is inside them; None otherwise (or when it has none, or they are
    unreadable: a typo must not stop every message)."""
    if not quiet_hours:
        return None
    try:
        start, end = (time.fromisoformat(part.strip()) for part in quiet_hours.split("-"))
        zone = ZoneInfo(timezone)
    except (ValueError, ZoneInfoNotFoundError):
        return None
    local = now.astimezone(zone)
    overnight = start > end
    inside = (local.time() >= start or local.time() < end) if overnight else start <= local.time() < end
    if not inside:
        return None
    day = local.date() + timedelta(days=1) if overnight and local.time() >= start else local.date()
    opens = datetime.combine(day, end, zone).astimezone(UTC)
    return opens, f"quiet hours ({quiet_hours} {timezone}): queued at {end:%H:%M}"


def release_item(
    session: Session,
    item: ReviewItem,
    actor: str,
    source: str,
    now: datetime,
    pauses: list[Pause] | None = None,
) -> bool:
    """Let an approved item leave, unless a pause holds it. ``pauses``: the active pauses,
    read under the gate in this transaction (read here when not given). True if it left."""
    if pauses is None:
        lock_gate(session, exclusive=False)
        pauses = active_pauses(session)
    holding = pause_covering(pauses, item.workflow, item.client_id, item.provider)
    if holding is not None:
        _hold(session, item, holding, actor, source)
        return False
    if item.kind == ItemKind.MESSAGE:
        client = session.get(Client, item.client_id)
        quiet = quiet_hours_end(client.quiet_hours, client.timezone, now) if client else None
        if quiet is not None:  # it waits, approved and undoable, until they end
            item.release_at, item.hold_reason = quiet
            return False
    item.hold_reason = None
    if item.kind in (ItemKind.PORTAL_NOTE, ItemKind.REPORT_NOTE):
        _publish(session, item, actor, source, now)
    elif item.kind == ItemKind.MESSAGE:
        _queue_message(session, item, actor, source, now)
    elif item.kind == ItemKind.CRM_HANDOFF:
        _hand_off(session, item, actor, source, now)
    item.release_at = now
    return True


def _hold(session: Session, item: ReviewItem, holding: Pause, actor: str, source: str) -> None:
    """Mark the item held by the pause (audited the first time, not on every poll)."""
    reason = f"held: {holding.label} is paused ({holding.reason})"[:255]
    if item.hold_reason == reason:
        return
    item.hold_reason = reason
    audit.record(
        session,
        actor=actor,
        source=source,
        action="review_item.held",
        entity="review_item",
        entity_id=item.id,
        review_item_id=item.id,
        lead_id=item.lead_id,
        client_id=item.client_id,
        recovery="leaves by itself when the pause is resumed",
        detail={"pause_id": holding.id},
    )


def release_due(database: Database, actor: str = "desk", source: str = "desk") -> int:
    """Release approvals whose undo window has passed and no pause holds, oldest due first.
    Returns how many left the desk."""
    with database.write() as session:
        lock_gate(session, exclusive=False)
        pauses = active_pauses(session)
        now = utcnow()
        due = session.scalars(
            select(ReviewItem)
            .where(
                ReviewItem.status.in_((ItemStatus.APPROVED, ItemStatus.EDITED)),
                ReviewItem.release_at <= now,
                not_held(pauses),
            )
            .order_by(ReviewItem.release_at, ReviewItem.id)
            .limit(RELEASE_BATCH)
            .with_for_update(skip_locked=True)
        ).all()
        return sum(release_item(session, item, actor, source, now, pauses) for item in due)


def _publish(session: Session, item: ReviewItem, actor: str, source: str, now: datetime) -> None:
    note = PortalNote(
        client_id=item.client_id,
        lead_id=item.lead_id,
        review_item_id=item.id,
        title="Report" if item.kind == ItemKind.REPORT_NOTE else "Lead update",
        body=item.final_text or "",
        published_at=now,
        owner=actor,
        source="review_desk",
        status="published",
        recovery="unpublish from the desk; the approval stays in the audit log",
    )
    _leave(session, item, note, ItemStatus.PUBLISHED, "portal_note.published", actor, source)
    if item.kind == ItemKind.REPORT_NOTE:
        mark_reviewed(session, item, actor, source)


def _queue_message(session: Session, item: ReviewItem, actor: str, source: str, now: datetime) -> None:
    """Queue the approved text, after checking again what approval checked: the contact has
    not opted out since (a STOP can arrive inside the undo window), a review request's customer
    has not rated the job low nor complained since, and the template's opt-out wording is in it.
    The compliance note says what was verified."""
    lead = session.get(Lead, item.lead_id) if item.lead_id else None
    recipient = (lead.phone or lead.email) if lead else None
    draft = current_draft(session, item.id)
    template = message_template(session, draft)
    opt_out_text = template.opt_out_text.strip() if template is not None else ""
    reason = (
        "no recipient"
        if lead is None or recipient is None
        else consent_problem(session, item)
        or bad_experience_problem(session, item)
        or opt_out_wording_problem(item.final_text or "", opt_out_text)
    )
    if reason:
        ITEMS.move(item, ItemStatus.FAILED)
        item.hold_reason = f"not sent: {reason}"[:255]
        audit.record(
            session,
            actor=actor,
            source=source,
            action="message.blocked",
            entity="review_item",
            entity_id=item.id,
            review_item_id=item.id,
            lead_id=item.lead_id,
            client_id=item.client_id,
            outcome="refused",
            detail={"reason": reason[:300]},
        )
        track_approval_state(session, item)
        return
    assert lead is not None and recipient is not None
    wording = f"opt-out wording “{opt_out_text}” present" if opt_out_text else "template needs no opt-out wording"
    verified = (
        f"template #{template.id} v{template.version}; {wording}" if template is not None else "no template recorded"
    )
    message = Message(
        review_item_id=item.id,
        lead_id=lead.id,
        client_id=item.client_id,
        template_id=template.id if template is not None else None,
        template_version=template.version if template is not None else None,
        idempotency_key=f"review_item:{item.id}",
        channel="sms" if lead.phone else "email",
        recipient=recipient,
        body=item.final_text or "",
        compliance_note=f"verified at approval and at queueing: {verified}; contact not opted out"[:255],
        queued_at=now,
        owner=actor,
        source="review_desk",
        status=MessageStatus.QUEUED,
        recovery="cancel from the desk before the automation layer sends it",
    )
    _leave(session, item, message, ItemStatus.QUEUED, "message.queued", actor, source)
    add_message_queued(session, message, now)
    record_first_response(session, lead.id, now)


def _hand_off(session: Session, item: ReviewItem, actor: str, source: str, now: datetime) -> None:
    key = f"review_item:{item.id}"
    handoff = session.scalar(select(CrmHandoff).where(CrmHandoff.idempotency_key == key))
    if handoff is None:
        handoff = CrmHandoff(
            review_item_id=item.id,
            lead_id=item.lead_id,
            client_id=item.client_id,
            adapter="outbox",
            idempotency_key=key,
            source="review_desk",
            status=HandoffStatus.PENDING,
            recovery="retry from the desk; the idempotency key makes a repeat harmless",
        )
    else:
        # An approval undone before it was sent left its row cancelled: the new approval reuses
        # it (same key, so the CRM still sees one record).
        HANDOFFS.move(handoff, HandoffStatus.PENDING)
    handoff.payload, handoff.owner = handoff_payload(session, item), actor
    handoff.attempts, handoff.next_attempt_at, handoff.retry_from, handoff.last_error = 0, now, now, None
    _leave(session, item, handoff, ItemStatus.QUEUED, "crm_handoff.queued", actor, source)
    # A person approved handing the lead to the CRM: qualified (a stage change says its own stage).
    if item.lead_id is not None and "stage" not in handoff.payload:
        qualify_lead(
            session,
            item.lead_id,
            by=item.owner,
            score=100,
            reasons=["CRM handoff approved"],
            next_action="follow up from the CRM",
            crm_target=f"crm handoff #{handoff.id}",
            now=now,
        )


def handoff_payload(session: Session, item: ReviewItem) -> dict[str, object]:
    """What the CRM receives: the lead's normalized contact fields and the approved note, and
    for a stage change the deal stage to move to. Built from the lead record, never from the
    raw delivery."""
    lead = session.get(Lead, item.lead_id) if item.lead_id else None
    client = session.get(Client, item.client_id)
    stage = stage_update(session, item)
    return {
        "review_desk_id": f"review_item:{item.id}",
        "client": client.name if client else "",
        "contact": {
            "name": lead.name if lead else "",
            "email": lead.email if lead else None,
            "phone": lead.phone if lead else None,
        },
        "deal": {
            "name": f"{lead.service or 'Inquiry'} – {lead.name or 'new lead'}" if lead else "Inquiry",
            "service": lead.service if lead else "",
            "source": item.provider,
            "workflow": item.workflow,
        },
        "note": item.final_text or "",
        **({"stage": stage} if stage is not None else {}),
    }


def _leave(
    session: Session,
    item: ReviewItem,
    row: PortalNote | Message | CrmHandoff,
    status: ItemStatus,
    action: str,
    actor: str,
    source: str,
) -> None:
    """Store what leaves the desk, move the item on, and audit it in the same transaction."""
    session.add(row)
    session.flush()
    ITEMS.move(item, status)
    track_approval_state(session, item)
    audit.record(
        session,
        actor=actor,
        source=source,
        action=action,
        entity=row.__tablename__.rstrip("s"),
        entity_id=row.id,
        review_item_id=item.id,
        lead_id=item.lead_id,
        client_id=item.client_id,
    )
