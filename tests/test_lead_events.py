"""The events table tells a lead's whole story: summary.created for every draft (with its
approval state kept current), message.queued, and lead.qualified by a rule or a person. On
SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select

from app.demo import ensure_demo_catalog
from app.pipeline.poller import PollConfig, drain
from app.services.review import approve, reject
from db.engine import Database
from db.models import Event, Lead, Message, ReviewItem, WebhookEvent
from db.types import utcnow
from db.vocab import EventType, ItemKind, Role, WebhookStatus
from tests.helpers import actor_with

_serial = iter(range(1, 10**6))


@pytest.fixture
def catalog(database: Database) -> dict[str, int]:
    with database.write() as session:
        return ensure_demo_catalog(session)


def deliver(db: Database, config: PollConfig, client_id: int, form_type: str = "contact", **fields: Any) -> ReviewItem:
    body = {
        "form_type": form_type,
        "submission_id": f"sub_events_{next(_serial)}",
        "submitted_at": utcnow().isoformat(),
        "consent": {"sms": True},
        "fields": {
            "name": "Maria Lopez",
            "phone": f"(312) 555-01{next(_serial) % 90 + 10}",
            "message": "Kitchen drain is slow.",
            **fields,
        },
    }
    with db.write() as session:
        session.add(
            WebhookEvent(
                provider="web_form",
                client_id=client_id,
                body=json.dumps(body).encode(),
                owner="intake",
                source="web_form",
                status=WebhookStatus.NEW,
                recovery="replay",
            )
        )
    drain(db, config)
    with db.read() as session:
        return session.scalars(select(ReviewItem).order_by(ReviewItem.id.desc()).limit(1)).one()


def events_of(db: Database, kind: EventType) -> list[Event]:
    with db.read() as session:
        return list(session.scalars(select(Event).where(Event.type == kind).order_by(Event.id)))


def test_a_draft_writes_summary_created_and_its_approval_state_follows_the_item(
    database: Database, poll_config: PollConfig, catalog: dict[str, int]
) -> None:
    riley = actor_with(database, "riley", Role.REVIEWER)
    message = deliver(database, poll_config, catalog["northside-plumbing"], service="Drain cleaning")
    assert message.kind == ItemKind.MESSAGE
    note = deliver(database, poll_config, catalog["northside-plumbing"], service="Drain cleaning")
    summaries = {e.data["review_item_id"]: e for e in events_of(database, EventType.SUMMARY_CREATED)}
    assert set(summaries) == {message.id, note.id}
    first = summaries[message.id]
    assert first.idempotency_key.startswith("summary.created:draft:") and first.lead_id == message.lead_id
    assert first.data["approval_state"] == "pending" and first.data["summary"] and "flags" in first.data

    approve(database, riley, message.id, message.version)  # no undo window: queued at once
    reject(database, riley, note.id, note.version, "duplicate", "Same lead as before.")
    states = {
        e.data["review_item_id"]: e.data["approval_state"] for e in events_of(database, EventType.SUMMARY_CREATED)
    }
    assert states[note.id] == "rejected" and states[message.id] == "queued"
    (queued,) = events_of(database, EventType.MESSAGE_QUEUED)
    with database.read() as session:
        row = session.scalars(select(Message)).one()
    assert queued.idempotency_key == f"message.queued:message:{row.id}"
    assert queued.data["template_id"] == row.template_id and queued.data["channel"] == "sms"
    assert queued.data["compliance_note"] == row.compliance_note and queued.data["send_state"] == "queued"


def test_a_quote_saying_who_what_and_when_is_qualified_by_the_rule(
    database: Database, poll_config: PollConfig, catalog: dict[str, int]
) -> None:
    item = deliver(
        database,
        poll_config,
        catalog["northside-plumbing"],
        "quote",
        service="Repiping",
        budget="$4,000",
        timeline="this month",
    )
    (qualified,) = events_of(database, EventType.LEAD_QUALIFIED)
    assert qualified.lead_id == item.lead_id and qualified.data["qualified_by"] == "quote_rule"
    assert qualified.data["score"] == 100 and qualified.data["next_action"]
    with database.read() as session:
        assert session.get(Lead, item.lead_id).status == "qualified"
    deliver(database, poll_config, catalog["northside-plumbing"], "quote")  # who, but not what: not qualified
    assert len(events_of(database, EventType.LEAD_QUALIFIED)) == 1


def test_a_person_qualifies_a_lead_by_approving_its_crm_handoff(
    database: Database, poll_config: PollConfig, catalog: dict[str, int]
) -> None:
    boss = actor_with(database, "sam", Role.SUPERVISOR)
    handoff = deliver(database, poll_config, catalog["brightline-hvac"], "quote")  # too little for the rule
    assert handoff.kind == ItemKind.CRM_HANDOFF and events_of(database, EventType.LEAD_QUALIFIED) == []
    approve(database, boss, handoff.id, handoff.version)
    (qualified,) = events_of(database, EventType.LEAD_QUALIFIED)
    assert qualified.data["qualified_by"] == "sam" and qualified.lead_id == handoff.lead_id
