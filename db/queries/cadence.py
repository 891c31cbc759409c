"""What the cadence sweep reads: each client's timing rules, the leads whose cadence check has
come (off the ``(follow_up_check_at, last_event_at)`` index), the last activity of a batch of
leads (each a grouped query over an index on ``lead_id``), and for review requests when a lead
was won, its complaints and low ratings, and the review-request templates."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from db.models import (
    AuditEntry,
    ClientCadence,
    Event,
    Lead,
    LeadRating,
    Message,
    MessageTemplate,
    OwnerTask,
    ReviewItem,
    ReviewRequest,
    RiskFlag,
)
from db.vocab import FlagCode, LeadStage, Workflow

FOLLOW_UP_AFTER = timedelta(days=30)
REVIEW_REQUEST_AFTER = timedelta(hours=48)
STAGE_CHANGED = "lead.stage_changed"  # the audit action of a person's stage change


@dataclass(frozen=True)
class CadenceRules:
    """Each client's windows (``client_cadences``); a client with no row has the defaults."""

    follow_up: dict[int, timedelta] = field(default_factory=dict)
    review_request: dict[int, timedelta] = field(default_factory=dict)

    def follow_up_after(self, client_id: int) -> timedelta:
        return self.follow_up.get(client_id, FOLLOW_UP_AFTER)

    def review_request_after(self, client_id: int) -> timedelta:
        return self.review_request.get(client_id, REVIEW_REQUEST_AFTER)

    @property
    def shortest_follow_up(self) -> timedelta:
        return min((FOLLOW_UP_AFTER, *self.follow_up.values()))

    @property
    def shortest_review_request(self) -> timedelta:
        return min((REVIEW_REQUEST_AFTER, *self.review_request.values()))


def cadence_rules(session: Session) -> CadenceRules:
    rows = session.execute(
        select(ClientCadence.client_id, ClientCadence.follow_up_after_days, ClientCadence.review_request_after_hours)
    ).all()
    return CadenceRules(
        {client_id: timedelta(days=days) for client_id, days, _ in rows},
        {client_id: timedelta(hours=hours) for client_id, _, hours in rows},
    )


def leads_to_check(session: Session, now: datetime, quiet_since: datetime, limit: int) -> list[int]:
    """Up to ``limit`` leads to look at, locked for this sweep (others' locked ones skipped):
    first those whose check time has come, then those never checked whose last event is
    before ``quiet_since`` (the shortest window ago)."""
    scheduled = list(
        session.scalars(
            select(Lead.id)
            .where(Lead.follow_up_check_at <= now)
            .order_by(Lead.follow_up_check_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )
    if len(scheduled) >= limit:
        return scheduled
    unchecked = session.scalars(
        select(Lead.id)
        .where(Lead.follow_up_check_at.is_(None), Lead.last_event_at < quiet_since)
        .order_by(Lead.last_event_at)
        .limit(limit - len(scheduled))
        .with_for_update(skip_locked=True)
    )
    return scheduled + list(unchecked)


def last_activity(session: Session, lead_ids: Sequence[int]) -> dict[int, datetime]:
    """The newest activity of each lead that has any: an event of any type, a message in the
    queue (not an internal owner alert), an old-lead follow-up item, an owner task created or completed."""
    sources: list[tuple[ColumnElement[int | None], ColumnElement[datetime], ColumnElement[bool] | None]] = [
        (Event.lead_id, func.max(Event.occurred_at), None),
        (Message.lead_id, func.max(Message.created_at), Message.internal.is_(False)),  # not an alert to staff
        (ReviewItem.lead_id, func.max(ReviewItem.arrived_at), ReviewItem.workflow == Workflow.OLD_LEAD_FOLLOW_UP),
        (OwnerTask.lead_id, func.max(func.coalesce(OwnerTask.done_at, OwnerTask.created_at)), None),
    ]
    newest: dict[int, datetime] = {}
    for lead_id, moment, condition in sources:
        statement = select(lead_id, moment).where(lead_id.in_(lead_ids)).group_by(lead_id)
        if condition is not None:
            statement = statement.where(condition)
        for lead, at in session.execute(statement):
            if at is not None and (lead not in newest or at > newest[lead]):
                newest[lead] = at
    return newest


def superseded(session: Session, lead_ids: Sequence[int]) -> set[int]:
    """Of ``lead_ids``, those a newer lead of the same contact points at (``duplicate_of_id``):
    the newest lead of a person carries their cadence."""
    return set(session.scalars(select(Lead.duplicate_of_id).where(Lead.duplicate_of_id.in_(lead_ids)).distinct()))


def won_moments(session: Session, lead_ids: Sequence[int]) -> dict[int, datetime]:
    """When each lead was moved to won, as its stage change's audit entry says (the newest)."""
    moments: dict[int, datetime] = {}
    for lead_id, at, detail in session.execute(
        select(AuditEntry.lead_id, AuditEntry.at, AuditEntry.detail)
        .where(AuditEntry.lead_id.in_(lead_ids), AuditEntry.action == STAGE_CHANGED, AuditEntry.outcome == "ok")
        .order_by(AuditEntry.at)
    ):
        if isinstance(detail, dict) and detail.get("to") == LeadStage.WON:
            moments[lead_id] = at
    return moments


def complaints(session: Session, lead_ids: Sequence[int], besides: int | None = None) -> dict[int, tuple[int, str]]:
    """Leads with a complaint flag on any of their items (other than item ``besides``): the
    newest such item and the flag's evidence."""
    statement = (
        select(ReviewItem.lead_id, ReviewItem.id, RiskFlag.evidence)
        .join(RiskFlag, RiskFlag.review_item_id == ReviewItem.id)
        .where(ReviewItem.lead_id.in_(lead_ids), RiskFlag.code == FlagCode.COMPLAINT)
        .order_by(ReviewItem.id)
    )
    if besides is not None:
        statement = statement.where(ReviewItem.id != besides)
    return {lead_id: (item_id, evidence) for lead_id, item_id, evidence in session.execute(statement)}


@dataclass(frozen=True)
class Rating:
    rating: int
    scale: int
    source: str
    recorded_by: str
    received_at: datetime


def low_ratings(session: Session, lead_ids: Sequence[int], at_most: int, of: int) -> dict[int, Rating]:
    """Leads rated at most ``at_most`` out of ``of`` (whatever the rating's own scale): the
    newest such rating of each."""
    return {
        lead_id: Rating(rating, scale, source, by, at)
        for lead_id, rating, scale, source, by, at in session.execute(
            select(
                LeadRating.lead_id,
                LeadRating.rating,
                LeadRating.scale,
                LeadRating.source,
                LeadRating.recorded_by,
                LeadRating.received_at,
            )
            .where(LeadRating.lead_id.in_(lead_ids), LeadRating.rating * of <= at_most * LeadRating.scale)
            .order_by(LeadRating.received_at, LeadRating.id)
        )
    }


def rated_after_won(session: Session, lead_ids: Sequence[int]) -> set[int]:
    """Of ``lead_ids``, the leads whose customer may be answering a rating question: won (now
    or before it was archived), or with a review request."""
    won = select(Lead.id).where(Lead.id.in_(lead_ids), (Lead.stage == LeadStage.WON) | (Lead.outcome == "won"))
    asked = select(ReviewRequest.lead_id).where(ReviewRequest.lead_id.in_(lead_ids))
    return set(session.scalars(won)) | set(session.scalars(asked))


def review_templates(session: Session) -> dict[tuple[int | None, str], MessageTemplate]:
    """The approved, active review-request templates by (client or None for all, channel)."""
    return {
        (row.client_id, row.channel): row
        for row in session.scalars(
            select(MessageTemplate)
            .where(
                MessageTemplate.workflow == Workflow.REVIEW_REQUEST,
                MessageTemplate.approved.is_(True),
                MessageTemplate.active.is_(True),
            )
            .order_by(MessageTemplate.version)
        )
    }
