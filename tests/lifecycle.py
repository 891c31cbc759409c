"""Building clients, approved templates and leads of any age for the cadence and review-request
tests."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from db.engine import Database
from db.models import Client, ClientCadence, Lead, MessageTemplate, ReviewItem
from db.types import utcnow
from db.vocab import ItemStatus, LeadStage, Workflow

DAY = timedelta(days=1)
FOLLOW_UP_BODY = "Hi {first_name}, {client_name} here. Are you still looking for help with {service}?"


def client(
    db: Database, slug: str = "acme", *, follow_up_days: int | None = None, review_hours: int | None = None
) -> int:
    """A client; with ``follow_up_days`` or ``review_hours``, its own cadence row."""
    with db.write() as session:
        row = Client(slug=slug, name=slug.title())
        session.add(row)
        session.flush()
        if follow_up_days is not None or review_hours is not None:
            session.add(
                ClientCadence(
                    client_id=row.id,
                    follow_up_after_days=follow_up_days or 30,
                    review_request_after_hours=review_hours or 48,
                )
            )
        return row.id


def template(
    db: Database,
    workflow: Workflow,
    channel: str = "sms",
    body: str = FOLLOW_UP_BODY,
    *,
    client_id: int | None = None,
    opt_out: str = "Reply STOP to opt out.",
    compliance: str = "",
) -> int:
    """An approved, active template (agency-wide unless ``client_id``)."""
    with db.write() as session:
        row = MessageTemplate(
            client_id=client_id,
            name=f"{workflow} ({channel})",
            workflow=workflow,
            channel=channel,
            body=body,
            opt_out_text=opt_out,
            compliance_text=compliance,
            approved=True,
            approved_at=utcnow(),
        )
        session.add(row)
        session.flush()
        return row.id


def lead(
    db: Database,
    client_id: int,
    last_event_at: datetime,
    *,
    name: str = "Ann Lee",
    phone: str | None = "+14155550100",
    email: str | None = None,
    stage: LeadStage = LeadStage.NEW,
    **columns: Any,
) -> int:
    with db.write() as session:
        row = Lead(
            client_id=client_id,
            name=name,
            phone=phone,
            email=email,
            service="Drain cleaning",
            stage=stage,
            first_seen_at=last_event_at,
            last_event_at=last_event_at,
            source="web_form",
            status="new",
            **columns,
        )
        session.add(row)
        session.flush()
        return row.id


def items_of(db: Database, workflow: Workflow) -> dict[int, int]:
    """Lead id -> how many items of ``workflow`` it has."""
    with db.read() as session:
        return dict(
            session.execute(
                select(ReviewItem.lead_id, func.count())
                .where(ReviewItem.workflow == workflow)
                .group_by(ReviewItem.lead_id)
            ).all()
        )


def follow_up_item(db: Database, client_id: int, lead_id: int, arrived_at: datetime) -> None:
    """An old-lead follow-up item already on the lead (a reviewer may have rejected it)."""
    with db.write() as session:
        session.add(
            ReviewItem(
                kind="message",
                client_id=client_id,
                lead_id=lead_id,
                workflow=Workflow.OLD_LEAD_FOLLOW_UP,
                provider="cadence",
                arrived_at=arrived_at,
                sla_due_at=arrived_at + DAY,
                source="cadence",
                status=ItemStatus.REJECTED,
            )
        )
