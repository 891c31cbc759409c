"""The events the desk itself adds to a lead's story, beside the providers' own: a draft made
(``summary.created``, its approval state kept current), a message queued (``message.queued``)
and a lead qualified (``lead.qualified``, by a rule or by a person). Each has an idempotency
key, so the events table tells the whole story of a lead, once."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Draft, Event, Lead, Message, ReviewItem
from db.vocab import EventType

DESK = "review_desk"


def summary_key(draft_id: int) -> str:
    return f"summary.created:draft:{draft_id}"


def summary_data(
    item_id: int,
    draft_version: int,
    drafter: str,
    summary: str,
    codes: list[str],
    next_action: str,
    approval_state: str,
) -> dict[str, Any]:
    return {
        "review_item_id": item_id,
        "draft_version": draft_version,
        "drafter": drafter,
        "summary": summary[:4000],
        "flags": codes,
        "next_action": next_action,
        "approval_state": approval_state,
    }


def summary_row(item: Any, draft_id: int, codes: list[str], now: datetime) -> dict[str, Any]:
    """For the pipeline's bulk insert: ``item`` is a planned item with its id and draft."""
    return {
        "type": EventType.SUMMARY_CREATED,
        "idempotency_key": summary_key(draft_id),
        "webhook_event_id": None,
        "client_id": item.client_id,
        "lead_id": item.lead.id if item.lead else None,
        "provider": DESK,
        "occurred_at": now,
        "created_at": now,
        "data": summary_data(
            item.id, 1, item.draft.drafter, item.draft.internal_summary, codes, item.draft.next_action, str(item.status)
        ),
    }


def add_summary(session: Session, item: ReviewItem, draft: Draft, codes: list[str], now: datetime) -> None:
    session.add(
        Event(
            type=EventType.SUMMARY_CREATED,
            idempotency_key=summary_key(draft.id),
            client_id=item.client_id,
            lead_id=item.lead_id,
            provider=DESK,
            occurred_at=now,
            created_at=now,
            data=summary_data(
                item.id,
                draft.version_no,
                draft.drafter,
                draft.internal_summary,
                codes,
                draft.next_action,
                str(item.status),
            ),
        )
    )


def track_approval_state(session: Session, item: ReviewItem) -> None:
    """Keep the current draft's ``summary.created`` event saying where the item stands."""
    draft_id = session.scalar(
        select(Draft.id).where(Draft.review_item_id == item.id).order_by(Draft.version_no.desc()).limit(1)
    )
    event = session.scalar(select(Event).where(Event.idempotency_key == summary_key(draft_id))) if draft_id else None
    if event is not None and event.data.get("approval_state") != item.status:
        event.data = {**event.data, "approval_state": str(item.status)}


def add_message_queued(session: Session, message: Message, now: datetime) -> None:
    session.add(
        Event(
            type=EventType.MESSAGE_QUEUED,
            idempotency_key=f"message.queued:message:{message.id}",
            client_id=message.client_id,
            lead_id=message.lead_id,
            provider=DESK,
            occurred_at=now,
            created_at=now,
            data={
                "message_id": message.id,
                "review_item_id": message.review_item_id,
                "template_id": message.template_id,
                "template_version": message.template_version,
                "channel": message.channel,
                "recipient": message.recipient,
                "compliance_note": message.compliance_note,
                "send_state": message.status,
            },
        )
    )


def qualify_lead(
    session: Session,
    lead_id: int,
    *,
    by: str,
    score: int,
    reasons: list[str],
    next_action: str,
    crm_target: str,
    now: datetime,
) -> bool:
    """The lead is qualified (once): its status, next action and the ``lead.qualified``
    event. ``by``: the rule's name or the person. False if it already was."""
    key = f"lead.qualified:lead:{lead_id}"
    if session.scalar(select(Event.id).where(Event.idempotency_key == key)) is not None:
        return False
    lead = session.get(Lead, lead_id)
    if lead is None:
        return False
    lead.status = "qualified"
    lead.next_action = next_action[:255]
    session.add(
        Event(
            type=EventType.LEAD_QUALIFIED,
            idempotency_key=key,
            client_id=lead.client_id,
            lead_id=lead.id,
            provider=DESK,
            occurred_at=now,
            created_at=now,
            data={
                "qualified_by": by,
                "score": score,
                "reasons": reasons,
                "owner": lead.owner,
                "next_action": next_action,
                "crm_target": crm_target,
            },
        )
    )
    return True
