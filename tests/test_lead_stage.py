"""A lead's stage moves by the one table of transitions, audited, refused with a reason
otherwise; its first response is recorded exactly once. On SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

import itertools
import json
from datetime import timedelta

import pytest
from sqlalchemy import select, text

from app.demo import ensure_demo_catalog
from app.identity import Actor
from app.pipeline.poller import PollConfig, drain
from app.services.errors import ActionRefused
from app.services.lead_stage import TRANSITIONS, record_first_response, set_stage
from app.services.review import approve
from db.engine import Database
from db.migrate import upgrade
from db.models import AuditEntry, Event, Lead, Message, ReviewItem, User, WebhookEvent
from db.types import utcnow
from db.vocab import EventType, ItemKind, LeadStage, LostReason, Role, WebhookStatus
from tests.roster import NOW, client

S = LeadStage
_serial = itertools.count()
# (from, to, lost reason, refused because ...) — None: allowed.
OPEN = (S.NEW, S.CONTACTED, S.QUALIFIED, S.QUOTED, S.BOOKED, S.WON)
CHANGES = [
    *[(start, to, None, None) for n, start in enumerate(OPEN) for to in OPEN[n + 1 :]],  # forward, skipping too
    (S.WON, S.ARCHIVED, None, None),
    (S.LOST, S.ARCHIVED, None, None),
    *[(stage, S.LOST, LostReason.PRICE, None) for stage in (S.NEW, S.CONTACTED, S.QUALIFIED, S.QUOTED, S.BOOKED)],
    (S.CONTACTED, S.NEW, None, "cannot move to new"),
    (S.BOOKED, S.QUALIFIED, None, "cannot move to qualified: it can go to lost, won"),
    (S.BOOKED, S.ARCHIVED, None, "cannot move to archived"),
    (S.WON, S.LOST, LostReason.PRICE, "cannot move to lost: it can go to archived"),
    (S.ARCHIVED, S.NEW, None, "it cannot move any more"),
    (S.QUOTED, S.LOST, None, "Say why the lead was lost"),
    (S.QUOTED, S.LOST, "too expensive", "Say why the lead was lost"),
    (S.NEW, S.CONTACTED, LostReason.PRICE, "only when a lead is lost"),
]


def a_lead(db: Database, stage: LeadStage = S.NEW) -> int:
    client_id = client(db, f"client-{next(_serial)}")
    with db.write() as session:
        lead = Lead(
            client_id=client_id, name="Maria Lopez", phone="+13125550142", stage=stage, source="test", status="new"
        )
        session.add(lead)
        session.flush()
        return lead.id


@pytest.fixture
def lee(database: Database) -> Actor:
    with database.write() as session:
        user = User(login="lee", display_name="Lee", role=Role.REVIEWER)
        session.add(user)
        session.flush()
        return Actor(user.id, "lee", Role.REVIEWER)


def test_the_table_of_allowed_and_refused_stage_changes(database: Database, lee: Actor) -> None:
    for start, stage, reason, refused in CHANGES:
        lead_id = a_lead(database, start)
        if refused is None:
            set_stage(database, lee, lead_id, stage, reason=reason)
        else:
            with pytest.raises(ActionRefused, match=refused):
                set_stage(database, lee, lead_id, stage, reason=reason)
        with database.read() as session:
            assert session.get(Lead, lead_id).stage == (start if refused else stage), (start, stage)
            action, outcome = session.execute(
                select(AuditEntry.action, AuditEntry.outcome).where(AuditEntry.lead_id == lead_id)
            ).one()
        assert (action, outcome) == (("lead.stage_change", "refused") if refused else ("lead.stage_changed", "ok"))
    every = {(start, stage) for start, stage, _, refused in CHANGES if refused is None}
    assert every == {(start, to) for start, exits in TRANSITIONS.items() for to in exits}, "the table is tested whole"


def test_lost_records_its_reason_and_next_actions_are_kept(database: Database, lee: Actor) -> None:
    lead_id = a_lead(database)
    due = NOW + timedelta(days=1)
    set_stage(database, lee, lead_id, S.CONTACTED, next_action="send the quote", due=due)
    with database.read() as session:
        lead = session.get(Lead, lead_id)
        assert (lead.next_action, lead.next_action_due_at, lead.outcome) == ("send the quote", due, None)
    set_stage(database, lee, lead_id, S.LOST, reason=LostReason.CHOSE_COMPETITOR)
    with database.read() as session:
        lead = session.get(Lead, lead_id)
        assert (lead.stage, lead.outcome, lead.lost_reason) == ("lost", "lost", "chose_competitor")
        assert lead.next_action == "send the quote", "kept unless a new one is given"


def qualified_events(db: Database, lead_id: int) -> list[dict]:
    with db.read() as session:
        return list(
            session.scalars(select(Event.data).where(Event.lead_id == lead_id, Event.type == EventType.LEAD_QUALIFIED))
        )


def test_qualifying_writes_lead_qualified_once(database: Database, lee: Actor) -> None:
    lead_id = a_lead(database, S.CONTACTED)
    set_stage(database, lee, lead_id, S.QUALIFIED, next_action="book a visit")
    (event,) = qualified_events(database, lead_id)
    assert (event["qualified_by"], event["next_action"], event["crm_target"]) == ("lee", "book a visit", "none")
    with database.write() as session:  # qualified again after a correction: no second event
        session.get(Lead, lead_id).stage = S.CONTACTED
    set_stage(database, lee, lead_id, S.QUALIFIED)
    assert len(qualified_events(database, lead_id)) == 1


def test_first_response_is_recorded_once(database: Database, lee: Actor) -> None:
    lead_id = a_lead(database)
    with database.write() as session:
        assert record_first_response(session, lead_id, NOW)
        assert not record_first_response(session, lead_id, NOW + timedelta(minutes=5))
    set_stage(database, lee, lead_id, S.CONTACTED)
    with database.read() as session:
        assert session.get(Lead, lead_id).first_response_at == NOW


def _form(client_id: int, n: int) -> WebhookEvent:
    body = {
        "form_type": "contact",
        "submission_id": f"sub_stage_{n}",
        "submitted_at": utcnow().isoformat(),
        "fields": {"name": "Maria Lopez", "phone": "(312) 555-0142", "service": "Drain cleaning", "message": "Slow."},
        "consent": {"sms": True},
    }
    raw = json.dumps(body).encode()
    return WebhookEvent(
        provider="web_form",
        client_id=client_id,
        body=raw,
        owner="intake",
        source="web_form",
        status=WebhookStatus.NEW,
        recovery="replay",
        received_at=utcnow(),
    )


def test_the_first_message_queued_to_a_lead_is_its_first_response(database: Database, poll_config: PollConfig) -> None:
    with database.write() as session:
        northside = ensure_demo_catalog(session)["northside-plumbing"]
        boss = session.scalar(select(User).where(User.login == "demo.supervisor"))
        actor = Actor(boss.id, boss.login, Role.SUPERVISOR)
    for n in range(2):  # a new lead's follow-up, then a second follow-up a day later
        with database.write() as session:
            session.add(_form(northside, n))
        drain(database, poll_config)
        with database.read() as session:
            item = session.scalars(select(ReviewItem).order_by(ReviewItem.id.desc()).limit(1)).one()
        assert item.kind == ItemKind.MESSAGE
        approve(database, actor, item.id, item.version)
    with database.read() as session:
        queued = session.scalars(select(Message.queued_at).order_by(Message.id)).all()
        (lead,) = session.scalars(select(Lead)).all()
    assert len(queued) == 2 and queued[0] < queued[1]
    assert lead.first_response_at == queued[0]


def test_a_lead_from_before_stages_is_new(empty_db_url: str) -> None:
    db = Database(empty_db_url)
    try:
        upgrade(db.engine, "0008")
        with db.engine.begin() as conn:  # rows from an older desk: a client, its lead
            conn.execute(
                text(
                    "INSERT INTO clients (slug, name, timezone, active, created_at)"
                    " VALUES ('old', 'Old', 'UTC', true, :t)"
                ),
                {"t": NOW.replace(tzinfo=None)},
            )
            conn.execute(
                text(
                    "INSERT INTO leads (client_id, name, service, urgency, consent, attribution, opted_out,"
                    " first_seen_at, last_event_at, next_action, created_at, updated_at, owner, source, status,"
                    " recovery)"
                    " SELECT id, 'Maria', '', 'normal', 'unknown', '{}', false, :t, :t, '', :t, :t, 'x', 'x', 'new', ''"
                    " FROM clients"
                ),
                {"t": NOW.replace(tzinfo=None)},
            )
        upgrade(db.engine)
        with db.read() as session:
            lead = session.scalars(select(Lead)).one()
        assert (lead.stage, lead.next_action_due_at, lead.first_response_at) == (S.NEW, None, None)
    finally:
        db.dispose()
