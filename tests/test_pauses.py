"""Pauses on every backend: nothing a pause covers leaves while other scopes flow, resuming
releases what was held once and in order, a pause racing a release never lets an item out
after it committed, and only supervisors pause or resume."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.demo import write_demo_events
from app.identity import Actor
from app.pipeline.poller import PollConfig, drain
from app.services.errors import ActionRefused
from app.services.outbound import release_due
from app.services.pauses import PauseRequest, pause, record_verification, resume
from app.services.review import approve
from db.engine import Database
from db.models import (
    AuditEntry,
    AutomationPause,
    CrmHandoff,
    Event,
    IntegrationAccount,
    Message,
    PortalNote,
    ReviewItem,
)
from db.queries.pauses import active_pauses, lock_gate, not_held, pause_covering
from db.vocab import OPEN_ITEM_STATUSES, EventType, PauseScope, Role
from tests.helpers import actor_with
from tests.lock_waits import watching_lock_waits
from tests.waiting import PATIENCE_S, wait_until

LATER = timedelta(milliseconds=1)  # an undo window that has passed by the next release


def request(scope: PauseScope, key: str) -> PauseRequest:
    return PauseRequest(scope, key, "token rejected since 09:40", "nothing went out", "a test push succeeds")


def open_items(database: Database) -> list[ReviewItem]:
    with database.read() as session:
        return list(
            session.scalars(select(ReviewItem).where(ReviewItem.status.in_(OPEN_ITEM_STATUSES)).order_by(ReviewItem.id))
        )


def approve_all(database: Database, actor: Actor, items: list[ReviewItem]) -> list[int]:
    """Approve what can be approved: half releasing at once, half after an undo window."""
    approved = []
    for number, item in enumerate(items):
        try:
            approve(database, actor, item.id, item.version, undo_window=LATER if number % 2 else timedelta(0))
        except ActionRefused:  # a draft the rules refuse as it is (a phone number in it)
            continue
        approved.append(item.id)
    release_due(database)
    return approved


def left(database: Database) -> dict[int, int]:
    """How many outbound rows each item has: portal notes, messages, CRM handoffs."""
    counts: dict[int, int] = {}
    with database.read() as session:
        for model in (PortalNote, Message, CrmHandoff):
            for item_id in session.scalars(select(model.review_item_id)):
                counts[item_id] = counts.get(item_id, 0) + 1
    return counts


def scope_key(database: Database, scope: PauseScope, item: ReviewItem) -> str:
    if scope == PauseScope.WORKFLOW:
        return item.workflow
    if scope == PauseScope.CLIENT:
        return str(item.client_id)
    if scope == PauseScope.PROVIDER:
        return item.provider
    if scope == PauseScope.INTEGRATION:
        with database.read() as session:
            return str(
                session.scalar(
                    select(IntegrationAccount.id).where(
                        IntegrationAccount.client_id == item.client_id, IntegrationAccount.provider == item.provider
                    )
                )
            )
    return ""


@pytest.mark.parametrize("scope", list(PauseScope))
def test_a_paused_scope_sends_nothing_while_the_others_flow_and_resuming_releases_it_once_in_order(
    loaded: Database, poll_config: PollConfig, scope: PauseScope
) -> None:
    boss = actor_with(loaded, "sam", Role.SUPERVISOR)
    items = open_items(loaded)
    target = next(i for i in items if i.provider == "callrail")  # callrail items have an account
    pause_id = pause(loaded, boss, request(scope, scope_key(loaded, scope, target)))
    with loaded.read() as session:
        pauses = active_pauses(session)
        held = {i.id for i in items if pause_covering(pauses, i.workflow, i.client_id, i.provider)}
        # The SQL form of the rule agrees with the Python one, item by item.
        free = set(
            session.scalars(select(ReviewItem.id).where(ReviewItem.id.in_([i.id for i in items]), not_held(pauses)))
        )
        paused_event = session.scalar(select(Event).where(Event.type == EventType.AUTOMATION_PAUSED))
    assert target.id in held and free == {i.id for i in items} - held
    assert paused_event.data["pause_id"] == pause_id
    assert scope == PauseScope.ALL or free, "the other scopes must have items to flow"

    approved = approve_all(loaded, boss, items)
    out = left(loaded)
    assert not held & set(out)  # nothing it covers left: no note, no message, no handoff
    assert set(out) == set(approved) - held and all(n == 1 for n in out.values())

    with loaded.write() as session:  # ingestion goes on while paused
        write_demo_events(session, 10, seed=6)
    assert drain(loaded, poll_config).processed == 10
    release_due(loaded)
    assert not held & set(left(loaded))

    with pytest.raises(ActionRefused, match="Verify first"):
        resume(loaded, boss, pause_id)
    with loaded.read() as session:  # the order they were due in
        due_order = list(
            session.scalars(
                select(ReviewItem.id)
                .where(ReviewItem.id.in_(held & set(approved)))
                .order_by(ReviewItem.release_at, ReviewItem.id)
            )
        )
    record_verification(loaded, boss, pause_id, "pushed a test contact; it arrived")
    resume(loaded, boss, pause_id)
    assert release_due(loaded) == len(held & set(approved))
    assert release_due(loaded) == 0
    out = left(loaded)
    assert set(out) == set(approved) and all(n == 1 for n in out.values())
    with loaded.read() as session:
        left_in_order = list(
            session.scalars(
                select(AuditEntry.review_item_id)
                .where(
                    AuditEntry.review_item_id.in_(due_order),
                    AuditEntry.action.in_(
                        ("portal_note.published", "message.queued", "crm_handoff.queued", "message.blocked")
                    ),
                )
                .order_by(AuditEntry.id)
            )
        )
    assert left_in_order == due_order  # held approvals left in the order they were due


def test_a_reviewer_cannot_pause_verify_or_resume_and_each_attempt_is_audited(loaded: Database) -> None:
    boss = actor_with(loaded, "sam", Role.SUPERVISOR)
    riley = actor_with(loaded, "riley", Role.REVIEWER)
    with pytest.raises(ActionRefused, match="Only supervisors or admins"):
        pause(loaded, riley, request(PauseScope.ALL, ""))
    pause_id = pause(loaded, boss, request(PauseScope.ALL, ""))
    for attempt in (
        lambda: record_verification(loaded, riley, pause_id, "looked"),
        lambda: resume(loaded, riley, pause_id),
    ):
        with pytest.raises(ActionRefused):
            attempt()
    with loaded.read() as session:
        refused = list(
            session.scalars(select(AuditEntry.action).where(AuditEntry.outcome == "refused").order_by(AuditEntry.id))
        )
        assert session.get(AutomationPause, pause_id).status == "active"
    assert refused == ["automation.pause", "automation.verify", "automation.resume"]


def test_a_pause_without_its_explanation_or_for_an_unknown_scope_is_refused(loaded: Database) -> None:
    boss = actor_with(loaded, "sam", Role.ADMIN)
    with pytest.raises(ActionRefused, match="verification step"):
        pause(loaded, boss, PauseRequest(PauseScope.ALL, "", "why", "rollback", "  "))
    with pytest.raises(ActionRefused, match="no client"):
        pause(loaded, boss, request(PauseScope.CLIENT, "999999"))
    with pytest.raises(ActionRefused, match="no workflow"):
        pause(loaded, boss, request(PauseScope.WORKFLOW, "teleport"))
    first = pause(loaded, boss, request(PauseScope.PROVIDER, "callrail"))
    assert pause(loaded, boss, request(PauseScope.PROVIDER, "callrail")) == first  # not doubled


def test_a_release_under_way_finishes_before_a_pause_and_one_after_it_sees_the_pause(
    loaded: Database,
) -> None:
    boss = actor_with(loaded, "sam", Role.SUPERVISOR)
    items = open_items(loaded)
    for item in items[:6]:
        try:
            approve(loaded, boss, item.id, item.version, undo_window=LATER)
        except ActionRefused:
            continue

    # 1. A pause committed while the release's transaction holds the gate: it waits for it.
    paused = threading.Event()
    with watching_lock_waits(loaded) as someone_waits, loaded.write() as session:
        lock_gate(session, exclusive=False)  # a release has started...
        worker = threading.Thread(target=lambda: (pause(loaded, boss, request(PauseScope.ALL, "")), paused.set()))
        worker.start()
        wait_until(someone_waits, "the pause to wait for the gate")
        assert not paused.is_set()  # ...so the pause waits for it to commit
    worker.join(PATIENCE_S)
    assert paused.is_set()

    # 2. A release that starts while a pause is being written waits, then sees it.
    record_verification(loaded, boss, active_id(loaded), "checked")
    resume(loaded, boss, active_id(loaded))
    released: list[int] = []
    with loaded.write() as session:
        lock_gate(session, exclusive=True)  # a pause is being written...
        session.add(
            AutomationPause(
                scope=PauseScope.ALL,
                scope_key="",
                reason="r",
                rollback="r",
                verification="v",
                trigger="manual",
                owner="sam",
                source="test",
                status="active",
            )
        )
        session.flush()
        with watching_lock_waits(loaded) as someone_waits:
            releaser = threading.Thread(target=lambda: released.append(release_due(loaded)))
            releaser.start()
            wait_until(someone_waits, "the release to wait for the gate")
        assert not released  # ...so the release waits for it
    releaser.join(PATIENCE_S)
    assert released == [0]  # and then holds everything
    assert not left(loaded)


def active_id(database: Database) -> int:
    with database.read() as session:
        return session.scalar(select(AutomationPause.id).where(AutomationPause.status == "active"))
