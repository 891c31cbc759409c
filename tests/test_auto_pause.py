"""Each auto-pause rule on every backend: it pauses the matching scope on its condition, with
the reason and an owner task for the supervisor on duty, and not otherwise; evidence that
caused a pause does not pause again after a resume, new evidence does."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.demo import ensure_demo_catalog
from app.identity import Actor
from app.services import auto_pause
from app.services.pauses import record_verification, resume
from db.engine import Database
from db.models import (
    AutomationPause,
    CrmHandoff,
    DataSource,
    IntegrationAccount,
    IntegrationSyncRun,
    Lead,
    Message,
    OwnerTask,
    ReviewItem,
    RiskFlag,
    User,
    WebhookEvent,
)
from db.types import utcnow
from db.vocab import FlagCode, ItemKind, PauseScope, Role, WebhookStatus, Workflow

Seed = Callable[[Database, "Catalog", int], None]  # (database, its catalog, how many pieces of evidence)
Catalog = tuple[int, int]  # the first demo client and its CallRail account


@pytest.fixture
def ids(database: Database) -> Catalog:
    """The demo clients and a supervisor on duty; the first client and its CallRail account."""
    with database.write() as session:
        ids = ensure_demo_catalog(session)
        client = min(ids.values())
        account = session.scalar(select(IntegrationAccount.id).where(IntegrationAccount.client_id == client))
        session.add(User(login="sam", display_name="Sam", role=Role.SUPERVISOR))
        return client, account


def new_lead(session: Session, client: int) -> Lead:
    lead = Lead(client_id=client, name="Pat", source="test", status="new")
    session.add(lead)
    session.flush()
    return lead


def sync_failures(error: str) -> Seed:
    def seed(database: Database, ids: Catalog, count: int) -> None:
        _, account = ids
        with database.write() as session:
            session.add_all(
                IntegrationSyncRun(
                    integration_account_id=account, kind="calls", error=error, source="callrail", status="failed"
                )
                for _ in range(count)
            )

    return seed


def crm_failures(error: str) -> Seed:
    def seed(database: Database, ids: Catalog, count: int) -> None:
        client, _ = ids
        with database.write() as session:
            for _ in range(count):
                lead = new_lead(session, client)
                session.add(
                    CrmHandoff(
                        lead_id=lead.id,
                        client_id=client,
                        adapter="hubspot",
                        last_error=error,
                        idempotency_key=f"k{lead.id}",
                        source="test",
                        status="retrying",
                    )
                )

    return seed


def deliveries(quarantined_share: float, total: int = 20) -> Seed:
    def seed(database: Database, ids: Catalog, count: int) -> None:
        bad = round(total * quarantined_share) if count else 0
        with database.write() as session:
            session.add_all(
                WebhookEvent(
                    provider="thumbtack",
                    body=b"{}",
                    source="test",
                    status=WebhookStatus.QUARANTINED if n < bad else WebhookStatus.PROCESSED,
                )
                for n in range(total if count else 0)
            )

    return seed


def stale_source(hours_ago: int) -> Seed:
    def seed(database: Database, ids: Catalog, count: int) -> None:
        client, account = ids
        with database.write() as session:
            session.add(
                DataSource(
                    client_id=client,
                    integration_account_id=account,
                    provider="callrail",
                    kind="calls",
                    label="CallRail calls (linked)",
                    freshness_hours=24,
                    last_synced_at=utcnow() - timedelta(hours=hours_ago if count else 1),
                )
            )

    return seed


def failed_messages(database: Database, ids: Catalog, count: int, internal: bool = False) -> None:
    client, _ = ids
    with database.write() as session:
        for n in range(count):
            lead = new_lead(session, client)
            session.add(
                Message(
                    lead_id=lead.id,
                    client_id=client,
                    idempotency_key=f"m{lead.id}-{n}",
                    channel="sms",
                    recipient="+12025550123",
                    body="Hi",
                    source="test",
                    status="failed",
                    internal=internal,
                )
            )


def complaints(leads: int) -> Seed:
    def seed(database: Database, ids: Catalog, count: int) -> None:
        client, _ = ids
        now = utcnow()
        with database.write() as session:
            for n in range(leads):
                lead = new_lead(session, client)
                item = ReviewItem(
                    kind=ItemKind.PORTAL_NOTE,
                    client_id=client,
                    lead_id=lead.id,
                    workflow="new_lead_follow_up",
                    provider="web_form",
                    arrived_at=now,
                    sla_due_at=now,
                    source="test",
                    status="pending",
                )
                session.add(item)
                session.flush()
                if n < count:
                    session.add(
                        RiskFlag(
                            review_item_id=item.id,
                            code=FlagCode.COMPLAINT,
                            severity=3,
                            reason="complaint",
                            source="rule",
                            status="open",
                        )
                    )

    return seed


# (rule, seed, evidence that trips it, evidence that does not, the scope it pauses)
CASES = [
    ("auth_failures", sync_failures("401 Unauthorized"), 3, 2, PauseScope.INTEGRATION),
    ("crm_auth_failures", crm_failures("HubSpot HTTP 403: token revoked"), 3, 2, PauseScope.WORKFLOW),
    ("quarantine_rate", deliveries(0.25), 1, 0, PauseScope.PROVIDER),
    ("stale_data", stale_source(30), 1, 0, PauseScope.INTEGRATION),
    ("delivery_failures", failed_messages, 3, 2, PauseScope.CLIENT),
    ("complaint", complaints(10), 3, 1, PauseScope.CLIENT),
]


@pytest.mark.parametrize(("rule", "seed", "trips", "does_not", "scope"), CASES, ids=[c[0] for c in CASES])
def test_each_rule_pauses_its_scope_on_its_condition_and_not_otherwise(
    database: Database, ids: Catalog, rule: str, seed: Seed, trips: int, does_not: int, scope: PauseScope
) -> None:
    seed(database, ids, does_not)
    assert auto_pause.check(database) == []
    seed(database, ids, trips)
    made = auto_pause.check(database, on_duty="sam")
    assert len(made) == 1
    assert auto_pause.check(database) == []  # already paused: not again, no second task
    with database.read() as session:
        row = session.get(AutomationPause, made[0])
        task = session.scalar(select(OwnerTask).where(OwnerTask.source == "auto_pause"))
        sam = session.scalar(select(User).where(User.login == "sam"))
        assert (row.scope, row.trigger, row.status, row.owner) == (scope, rule, "active", f"rule:{rule}")
        assert row.reason and row.rollback and row.verification
        assert task.assignee_id == sam.id and str(row.scope) in task.title and task.reason == row.reason[:255]


def test_the_evidence_behind_a_resumed_pause_does_not_pause_again_but_new_evidence_does(
    database: Database, ids: Catalog
) -> None:
    failed_messages(database, ids, 3)
    [first] = auto_pause.check(database)
    with database.read() as session:
        sam = session.scalar(select(User).where(User.login == "sam"))
    boss = Actor(sam.id, sam.login, Role.SUPERVISOR)
    record_verification(database, boss, first, "sent a test message: delivered")
    resume(database, boss, first)
    assert auto_pause.check(database) == []
    failed_messages(database, ids, 3)
    assert len(auto_pause.check(database)) == 1


def test_a_workflow_pause_by_a_rule_is_named_for_the_crm_handoffs(database: Database, ids: Catalog) -> None:
    crm_failures("HTTP 401: Unauthorized")(database, ids, 3)
    [made] = auto_pause.check(database)
    with database.read() as session:
        assert session.get(AutomationPause, made).scope_key == Workflow.CRM_HANDOFF


def test_failed_owner_alerts_to_staff_never_pause_the_clients_sending(database: Database, ids: Catalog) -> None:
    failed_messages(database, ids, 10, internal=True)
    assert auto_pause.check(database, on_duty="sam") == []
    failed_messages(database, ids, 3)
    assert len(auto_pause.check(database, on_duty="sam")) == 1  # to leads: the rule still holds
