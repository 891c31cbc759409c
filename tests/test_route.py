"""The thin route through the services, on every backend: raw delivery -> approved note."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.demo import write_demo_events
from app.pipeline.flag_rules import find_pii
from app.pipeline.poller import PollConfig, drain
from app.services.approval_rules import Acknowledgement
from app.services.errors import ActionRefused
from app.services.review import approve
from db.engine import Database
from db.models import (
    AuditEntry,
    ClientService,
    Draft,
    Event,
    PortalNote,
    ReviewItem,
    RiskFlag,
    WebhookEvent,
)
from db.queries.queue import QueueFilter, QueueSort, count_items, fetch_page
from db.vocab import OPEN_ITEM_STATUSES, FlagCode, ItemKind, ItemStatus, Role, WebhookStatus
from tests.helpers import actor_with, make_actor
from tests.raw_values import raw_values_in

NOTES = QueueFilter(kind=ItemKind.PORTAL_NOTE)


def _load(database: Database, poll_config: PollConfig, events: int = 40) -> None:
    with database.write() as session:
        write_demo_events(session, events, seed=7)
    result = drain(database, poll_config)
    assert result.processed == events
    assert result.quarantined == 0


def test_demo_deliveries_become_pending_review_items(database: Database, poll_config: PollConfig) -> None:
    _load(database, poll_config)
    with database.read() as session:
        statuses = set(session.scalars(select(WebhookEvent.status)))
        assert statuses == {WebhookStatus.PROCESSED}
        items = session.scalars(select(ReviewItem)).all()
        assert items and {i.status for i in items} == {ItemStatus.PENDING}
        for item in items:
            draft = session.scalar(select(Draft).where(Draft.review_item_id == item.id))
            assert draft is not None and draft.client_text and draft.drafter == "offline-rules"
            assert item.sla_due_at > item.arrived_at
        audited = set(session.scalars(select(AuditEntry.review_item_id).where(AuditEntry.action == "event.ingested")))
        assert {item.id for item in items} <= audited, "every item names the audit row that made it"
        assert session.scalar(select(func.count()).select_from(RiskFlag)) > 0
        assert count_items(session, QueueFilter()) == len(items)


def test_a_second_poll_finds_nothing_and_duplicates_nothing(database: Database, poll_config: PollConfig) -> None:
    _load(database, poll_config)
    with database.read() as session:
        before = session.scalar(select(func.count()).select_from(Event))
    again = drain(database, poll_config)
    assert again.claimed == 0
    with database.read() as session:
        assert session.scalar(select(func.count()).select_from(Event)) == before


def test_approving_publishes_a_client_safe_portal_note_with_its_audit_row(
    database: Database, poll_config: PollConfig
) -> None:
    _load(database, poll_config)
    actor = make_actor(database)
    with database.read() as session:
        first = fetch_page(session, NOTES, QueueSort(), 0, 1)[0]
    outcome = approve(database, actor, first.id, first.version)
    assert outcome.status == ItemStatus.PUBLISHED
    with database.read() as session:
        note = session.scalar(select(PortalNote).where(PortalNote.review_item_id == first.id))
        assert note is not None and note.status == "published"
        actions = set(session.scalars(select(AuditEntry.action).where(AuditEntry.review_item_id == first.id)))
        assert {"review_item.approved", "portal_note.published"} <= actions
        item = session.get(ReviewItem, first.id)
        assert item.decided_by_id == actor.user_id and item.version == first.version + 1


def published_with_raw(session: Session) -> list[tuple[str, bytes]]:
    """Each published portal note's body, with the raw delivery it came from."""
    return [
        (note, raw)
        for note, raw in session.execute(
            select(PortalNote.body, WebhookEvent.body)
            .join(ReviewItem, ReviewItem.id == PortalNote.review_item_id)
            .join(Event, Event.id == ReviewItem.event_id)
            .join(WebhookEvent, WebhookEvent.id == Event.webhook_event_id)
        )
    ]


def test_no_raw_payload_value_reaches_a_portal_note(database: Database, poll_config: PollConfig) -> None:
    _load(database, poll_config, events=60)
    actor = make_actor(database)
    with database.read() as session:
        rows = fetch_page(session, NOTES, QueueSort(), 0, 500)
        catalog = {name.lower() for name in session.scalars(select(ClientService.name))}
    published = 0
    for row in rows:
        if row.top_severity >= 3:
            continue
        approve(database, actor, row.id, row.version)
        published += 1
    assert published >= 5
    with database.read() as session:
        pairs = published_with_raw(session)
    assert len(pairs) == published
    leaks = {body: raw_values_in(body, raw, catalog) for body, raw in pairs}
    assert {body: found for body, found in leaks.items() if found} == {}


def test_the_whole_demo_corpus_puts_no_raw_value_phone_or_email_in_a_portal_note(
    sqlite_database: Database, poll_config: PollConfig
) -> None:
    """Every portal and report note of a large demo corpus approved as drafted, high-risk ones
    included (by a supervisor): what reaches ``portal_notes`` carries nothing raw."""
    _load(sqlite_database, poll_config, events=600)
    boss = actor_with(sqlite_database, "sam", Role.SUPERVISOR)
    with sqlite_database.read() as session:
        notes = list(
            session.execute(
                select(ReviewItem.id, ReviewItem.version).where(
                    ReviewItem.kind.in_((ItemKind.PORTAL_NOTE, ItemKind.REPORT_NOTE)),
                    ReviewItem.status.in_(OPEN_ITEM_STATUSES),
                )
            )
        )
        catalog = {name.lower() for name in session.scalars(select(ClientService.name))}
    every_flag = Acknowledgement(frozenset(FlagCode), "corpus sweep: each flag read")
    blocked = []
    for item_id, version in notes:
        try:
            approve(sqlite_database, boss, item_id, version, acknowledged=every_flag)
        except ActionRefused as refused:  # money movement is never approved from the desk
            assert "moving money" in str(refused)
            blocked.append(item_id)
    with sqlite_database.read() as session:
        pairs = published_with_raw(session)
    assert len(pairs) >= 50 and len(pairs) + len(blocked) == len(notes)
    assert [body for body, raw in pairs if raw_values_in(body, raw, catalog)] == []
    assert [body for body, _ in pairs if find_pii(body, "portal_note")] == []


def test_a_stale_approval_is_refused_and_audited(database: Database, poll_config: PollConfig) -> None:
    _load(database, poll_config, events=5)
    actor = make_actor(database)
    with database.read() as session:
        row = fetch_page(session, NOTES, QueueSort(), 0, 1)[0]
    approve(database, actor, row.id, row.version)
    with pytest.raises(ActionRefused, match="already published|changed since you opened it"):
        approve(database, actor, row.id, row.version)
    with database.read() as session:
        refused = session.scalars(
            select(AuditEntry).where(AuditEntry.review_item_id == row.id, AuditEntry.outcome == "refused")
        ).all()
        assert len(refused) == 1 and refused[0].actor == actor.login
        assert session.scalar(select(func.count()).select_from(PortalNote)) == 1


def test_approval_with_a_phone_number_left_in_the_text_is_refused(database: Database, poll_config: PollConfig) -> None:
    _load(database, poll_config, events=5)
    actor = make_actor(database)
    with database.read() as session:
        row = fetch_page(session, NOTES, QueueSort(), 0, 1)[0]
    with pytest.raises(ActionRefused, match="phone number"):
        approve(database, actor, row.id, row.version, text="Call them back on (312) 555-0142.")
    with pytest.raises(ActionRefused, match="email address"):
        approve(database, actor, row.id, row.version, text="Write to maria.lopez@example.com.")
    with database.read() as session:
        assert session.get(ReviewItem, row.id).status == ItemStatus.PENDING
        assert session.scalar(select(func.count()).select_from(PortalNote)) == 0
