"""The CRM outbox sender on every backend, against a real signing-checking receiver on
loopback: every approved handoff is delivered exactly once or visibly failed, whatever the
receiver does; retries follow Retry-After and backoff; a paused scope pushes nothing."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select, update

from app.crm import signing
from app.crm.adapters import OutboxFolder, PerClient, parse_client_adapters
from app.crm.sender import BASE_DELAY_S, backoff_s, push_due, retry_handoff
from app.crm.webhook import SignedWebhook
from app.services.approval_rules import BLOCKING_CODES, Acknowledgement
from app.services.errors import ActionRefused
from app.services.pauses import PauseRequest, pause
from app.services.review import approve, undo
from db.engine import Database
from db.models import CrmHandoff, IntegrationSyncRun, ReviewItem, RiskFlag
from db.types import utcnow
from db.vocab import FlagCode, ItemKind, ItemStatus, PauseScope, Role, Workflow
from tests.desk_fixtures import DeskFactory
from tests.fake_webhook import SECRET, FakeReceiver, fake_receiver
from tests.helpers import actor_with
from ui.detail.panel import CRM_TAB

NOTE = "Qualified lead for a water heater install; the team calls back today."


@pytest.fixture
def receiver() -> FakeReceiver:
    with fake_receiver() as fake:
        yield fake


EVERY_FLAG = Acknowledgement(frozenset(FlagCode), "checked for the test")


def approved_handoffs(database: Database, count: int) -> list[CrmHandoff]:
    """``count`` open items with a lead, turned into CRM handoffs and approved (released at once;
    their high-risk flags acknowledged, and none that may never be approved)."""
    boss = actor_with(database, "sam", Role.SUPERVISOR)
    blocked = select(RiskFlag.review_item_id).where(RiskFlag.code.in_(list(BLOCKING_CODES)))
    with database.write() as session:
        ids = list(
            session.scalars(
                select(ReviewItem.id)
                .where(
                    ReviewItem.lead_id.is_not(None),
                    ReviewItem.status == ItemStatus.PENDING,
                    ReviewItem.id.not_in(blocked),
                )
                .order_by(ReviewItem.id)
                .limit(count)
            )
        )
        session.execute(
            update(ReviewItem)
            .where(ReviewItem.id.in_(ids))
            .values(kind=ItemKind.CRM_HANDOFF, workflow=Workflow.CRM_HANDOFF)
        )
    for item_id in ids:
        with database.read() as session:
            version = session.get(ReviewItem, item_id).version
        approve(database, boss, item_id, version, NOTE, acknowledged=EVERY_FLAG)
    return handoffs(database)


def handoffs(database: Database) -> list[CrmHandoff]:
    with database.read() as session:
        return list(session.scalars(select(CrmHandoff).order_by(CrmHandoff.id)))


def drive(database: Database, adapter: object, rounds: int = 10) -> None:
    """Push until nothing is left to push, letting every retry come due at once."""
    for _ in range(rounds):
        push_due(database, adapter)  # type: ignore[arg-type]
        with database.write() as session:
            waiting = session.execute(
                update(CrmHandoff)
                .where(CrmHandoff.status.in_(("retrying", "sending")))
                .values(next_attempt_at=utcnow())
            ).rowcount
        if not waiting:
            return
    pytest.fail("handoffs still waiting after every round")


def test_signatures_match_the_standard_webhooks_reference_vector() -> None:
    body = b'{"test": 2432232314}'
    assert (
        signing.sign(SECRET, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body)
        == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    )
    sent = signing.headers(SECRET, "msg_1", body, now=1614265330)
    signing.verify(SECRET, sent, body, now=1614265330 + 60)
    for tampered, now in ((body + b" ", 1614265330), (body, 1614265330 + 3600)):
        with pytest.raises(signing.BadSignature):
            signing.verify(SECRET, sent, tampered, now=now)
    with pytest.raises(signing.BadSignature):
        signing.verify("whsec_" + "QUJD" * 8, sent, body, now=1614265330)


def test_every_handoff_is_delivered_once_or_visibly_failed_whatever_the_receiver_does(
    loaded: Database, receiver: FakeReceiver
) -> None:
    made = approved_handoffs(loaded, 8)
    assert len(made) == 8 and all(h.payload["note"] == NOTE and h.status == "pending" for h in made)
    receiver.misbehave("429", "503", "hang", "drop", "422")
    drive(loaded, SignedWebhook(receiver.url, SECRET, timeout_s=0.5))
    done = handoffs(loaded)
    pushed = {h.idempotency_key for h in done if h.status == "pushed"}
    failed = [h for h in done if h.status == "failed"]
    assert len(pushed) == 7 and len(failed) == 1 and "HTTP 422" in failed[0].last_error
    assert set(receiver.records) == pushed  # exactly once at the receiver: no duplicate, none missing
    assert receiver.attempts > len(receiver.records) and receiver.bad_signatures == 0
    with loaded.read() as session:
        items = {h.review_item_id: session.get(ReviewItem, h.review_item_id).status for h in done}
        runs = list(session.scalars(select(IntegrationSyncRun).where(IntegrationSyncRun.kind == "crm_push")))
    assert sorted(items.values()) == sorted([ItemStatus.FAILED] + [ItemStatus.PUSHED] * 7)
    assert runs and sum(r.items_ok for r in runs) == 7 and sum(r.items_failed for r in runs) == 1
    assert all(r.source == "desk:webhook" for r in runs)


def test_retry_after_is_honoured_and_backoff_is_jittered_within_its_ceiling(
    loaded: Database, receiver: FakeReceiver
) -> None:
    approved_handoffs(loaded, 1)
    receiver.misbehave("429")
    receiver_429 = SignedWebhook(receiver.url, SECRET, timeout_s=2)
    before = utcnow()
    assert push_due(loaded, receiver_429).retrying == 1
    [row] = handoffs(loaded)
    assert row.status == "retrying" and row.next_attempt_at - before < timedelta(seconds=5)  # Retry-After: 0
    rng = random.Random(3)
    delays = [backoff_s(attempt, rng) for attempt in (1, 2, 3, 20)]
    assert all(0 <= d <= min(3600, BASE_DELAY_S * 2 ** (n - 1)) for d, n in zip(delays, (1, 2, 3, 20), strict=True))


def test_a_handoff_past_its_retry_window_fails_and_only_a_supervisor_retries_it(
    loaded: Database, receiver: FakeReceiver
) -> None:
    [made] = approved_handoffs(loaded, 1)
    with loaded.write() as session:
        session.get(CrmHandoff, made.id).retry_from = utcnow() - timedelta(hours=25)
    receiver.misbehave("503")
    adapter = SignedWebhook(receiver.url, SECRET, timeout_s=2)
    assert push_due(loaded, adapter).failed == 1
    [row] = handoffs(loaded)
    assert row.status == "failed" and "HTTP 503" in row.last_error
    with pytest.raises(ActionRefused):
        retry_handoff(loaded, actor_with(loaded, "rae", Role.REVIEWER), row.review_item_id)
    retry_handoff(loaded, actor_with(loaded, "sam", Role.SUPERVISOR), row.review_item_id)
    assert push_due(loaded, adapter).delivered == 1
    assert list(receiver.records) == [row.idempotency_key]


def test_the_outbox_folder_holds_one_file_per_handoff_with_client_safe_fields(loaded: Database, tmp_path: Path) -> None:
    made = approved_handoffs(loaded, 3)
    folder = OutboxFolder(tmp_path / "outbox")
    assert push_due(loaded, folder).delivered == 3
    files = sorted((tmp_path / "outbox").glob("*.json"))
    assert [f.name for f in files] == sorted(f"review_item-{h.review_item_id}.json" for h in made)
    written = json.loads(files[0].read_text())
    assert set(written) == {"idempotency_key", "review_desk_id", "client", "contact", "deal", "note"}
    folder.push([])  # nothing to do is fine
    assert not list((tmp_path / "outbox").glob(".writing-*"))


def test_a_paused_scope_pushes_nothing_until_resumed(loaded: Database, receiver: FakeReceiver) -> None:
    approved_handoffs(loaded, 2)
    boss = actor_with(loaded, "sam", Role.SUPERVISOR)
    pause(
        loaded,
        boss,
        PauseRequest(
            PauseScope.WORKFLOW,
            Workflow.CRM_HANDOFF,
            "HubSpot token in doubt",
            "nothing went out",
            "a test push succeeds",
        ),
    )
    assert push_due(loaded, SignedWebhook(receiver.url, SECRET)).claimed == 0
    assert receiver.attempts == 0 and {h.status for h in handoffs(loaded)} == {"pending"}


class DiesAfterPushing:
    """Pushes the batch, then the process 'dies' before the outcome is recorded."""

    name = "webhook"

    def __init__(self, inner: SignedWebhook) -> None:
        self.inner = inner

    def push(self, batch: list) -> list:  # noqa: ANN001 (the adapter protocol's types)
        self.inner.push(batch)
        raise KeyboardInterrupt  # not an Exception: nothing is recorded, as in a killed process


def test_a_sender_that_died_after_pushing_leaves_its_claim_and_nothing_is_doubled(
    loaded: Database, receiver: FakeReceiver
) -> None:
    made = approved_handoffs(loaded, 3)
    adapter = SignedWebhook(receiver.url, SECRET)
    with pytest.raises(KeyboardInterrupt):
        push_due(loaded, DiesAfterPushing(adapter))
    assert {h.status for h in handoffs(loaded)} == {"sending"}
    assert push_due(loaded, adapter).claimed == 0  # the dead sender's lease still holds them
    with loaded.write() as session:  # ...until it runs out
        session.execute(update(CrmHandoff).values(next_attempt_at=utcnow()))
    assert push_due(loaded, adapter).delivered == 3
    assert receiver.attempts == 6 and sorted(receiver.records) == sorted(h.idempotency_key for h in made)


def test_the_running_desk_pushes_approved_handoffs_after_its_polls(
    qtbot, make_desk: DeskFactory, sqlite_database: Database, tmp_path: Path
) -> None:
    desk = make_desk(sqlite_database, events=8, undo_window_s=0)
    approved_handoffs(sqlite_database, 2)
    desk.context = replace(desk.context, crm=OutboxFolder(tmp_path / "crm"))
    desk.poll()
    qtbot.waitUntil(lambda: len(list((tmp_path / "crm").glob("*.json"))) == 2)
    qtbot.waitUntil(lambda: {h.status for h in handoffs(sqlite_database)} == {"pushed"})


def test_a_crm_handoff_opened_in_the_desk_shows_what_it_will_send(
    qtbot, make_desk: DeskFactory, sqlite_database: Database, tmp_path: Path
) -> None:
    desk = make_desk(sqlite_database, events=60)  # the demo's Brightline HVAC has a CRM
    desk.context = replace(desk.context, crm=OutboxFolder(tmp_path / "crm"))
    qtbot.keyClick(desk.window.queue, Qt.Key.Key_9, Qt.KeyboardModifier.ControlModifier)  # the CRM handoffs view
    qtbot.waitUntil(lambda: desk.session.current is not None and desk.session.current.kind == ItemKind.CRM_HANDOFF)
    panel = desk.window.detail
    qtbot.waitUntil(lambda: panel.crm_preview.toPlainText().startswith("Goes to: the local outbox folder"))
    assert panel.tabs.isTabVisible(CRM_TAB) and "Contact: " in panel.crm_preview.toPlainText()


def test_an_approved_handoff_can_be_undone_until_a_sender_takes_it(loaded: Database, tmp_path: Path) -> None:
    first, second = approved_handoffs(loaded, 2)
    sam = actor_with(loaded, "sam", Role.SUPERVISOR)
    assert undo(loaded, sam, first.review_item_id).status == ItemStatus.PENDING  # not sent yet: cancelled
    with loaded.read() as session:
        assert session.get(CrmHandoff, first.id).status == "cancelled"
        version = session.get(ReviewItem, first.review_item_id).version
    approve(loaded, sam, first.review_item_id, version, NOTE + " Tuesday works.", acknowledged=EVERY_FLAG)  # again
    assert push_due(loaded, OutboxFolder(tmp_path)).delivered == 2
    with pytest.raises(ActionRefused, match="Too late"):
        undo(loaded, sam, second.review_item_id)
    assert {h.idempotency_key: h.payload["note"] for h in handoffs(loaded)}[first.idempotency_key].endswith("works.")


def test_each_client_goes_to_its_own_adapter(loaded: Database, tmp_path: Path) -> None:
    made = approved_handoffs(loaded, 6)
    clients = sorted({h.payload["client"] for h in made})
    assert len(clients) >= 2
    mine, theirs = clients[0], clients[1]
    adapter = PerClient({mine: OutboxFolder(tmp_path / "mine"), theirs: None}, OutboxFolder(tmp_path / "rest"))
    run = push_due(loaded, adapter)
    by_client = {c: [h for h in made if h.payload["client"] == c] for c in clients}
    assert len(list((tmp_path / "mine").glob("*.json"))) == len(by_client[mine])
    assert len(list((tmp_path / "rest").glob("*.json"))) == sum(len(by_client[c]) for c in clients[2:])
    assert run.retrying == len(by_client[theirs])
    waiting = [h for h in handoffs(loaded) if h.payload["client"] == theirs]
    assert all(h.status == "retrying" and "no usable CRM adapter" in h.last_error for h in waiting)


def test_client_adapters_are_read_from_the_settings_text() -> None:
    assert parse_client_adapters("Brightline HVAC = hubspot; Cedar Roofing Co = outbox") == {
        "Brightline HVAC": "hubspot",
        "Cedar Roofing Co": "outbox",
    }
    with pytest.raises(ValueError, match="salesforce"):
        parse_client_adapters("Northside Plumbing = salesforce")


def test_a_supervisor_retries_a_failed_push_from_the_desk(
    qtbot, make_desk: DeskFactory, sqlite_database: Database, tmp_path: Path
) -> None:
    desk = make_desk(sqlite_database, events=8, actor=actor_with(sqlite_database, "sam", Role.SUPERVISOR))
    [made] = approved_handoffs(sqlite_database, 1)
    with fake_receiver() as receiver:
        receiver.misbehave("422")
        push_due(sqlite_database, SignedWebhook(receiver.url, SECRET))
    with sqlite_database.read() as session:
        assert session.get(ReviewItem, made.review_item_id).status == ItemStatus.FAILED
    desk.context = replace(desk.context, crm=OutboxFolder(tmp_path / "crm"))
    desk.session.open(made.review_item_id)
    qtbot.waitUntil(lambda: desk.session.current is not None and desk.session.current.id == made.review_item_id)
    assert "CRM push failed: HTTP 422" in desk.window.detail.header.text()
    qtbot.waitUntil(desk.window.actions_.retry_push.isEnabled)
    desk.window.actions_.retry_push.trigger()
    qtbot.waitUntil(lambda: [h.status for h in handoffs(sqlite_database)] == ["pushed"])
    assert len(list((tmp_path / "crm").glob("*.json"))) == 1
