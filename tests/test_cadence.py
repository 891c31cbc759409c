"""The old-lead follow-up cadence sweep: who gets a follow-up, once per lead and period however
many cycles and workers run it, as a flagged message in the queue. On SQLite, PostgreSQL and
MariaDB, with the clock passed in (the cycle test uses the real one)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import select

from app.cycle import run_cycle
from app.pipeline.poller import PollConfig
from app.services.cadence import sweep_old_leads
from app.services.review import approve
from db.engine import Database
from db.models import ContactConsent, Draft, Event, Lead, Message, OwnerTask, ReviewItem, RiskFlag
from db.types import utcnow
from db.vocab import ItemStatus, LeadStage, TaskStatus, Workflow
from tests.helpers import make_actor
from tests.lifecycle import DAY, client, follow_up_item, items_of, lead, template
from tests.roster import NOW

OLD = NOW - 40 * DAY
WORKFLOW = Workflow.OLD_LEAD_FOLLOW_UP


# Builds one case's lead, given the database and the two clients; returns its id.
Case = Callable[[Database, int, int], int]


def _event(db: Database, client_id: int, lead_id: int, days_ago: int) -> None:
    with db.write() as session:
        session.add(
            Event(
                type="call.missed",
                idempotency_key=f"test:{lead_id}",
                client_id=client_id,
                lead_id=lead_id,
                provider="twilio",
                occurred_at=NOW - days_ago * DAY,
            )
        )


def _message(db: Database, client_id: int, lead_id: int, days_ago: int) -> None:
    with db.write() as session:
        session.add(
            Message(
                lead_id=lead_id,
                client_id=client_id,
                idempotency_key=f"test:message:{lead_id}",
                channel="sms",
                recipient="+14155550100",
                body="Hi",
                created_at=NOW - days_ago * DAY,
                queued_at=NOW - days_ago * DAY,
                source="desk",
                status="queued",
            )
        )


def _task_done(db: Database, client_id: int, lead_id: int, days_ago: int) -> None:
    with db.write() as session:
        session.add(
            OwnerTask(
                client_id=client_id,
                lead_id=lead_id,
                title="Call back",
                reason="test",
                due_at=OLD,
                created_at=OLD,
                done_at=NOW - days_ago * DAY,
                source="test",
                status=TaskStatus.DONE,
            )
        )


def _consent(db: Database, client_id: int, phone: str, *states: str) -> None:
    with db.write() as session:
        for n, state in enumerate(states):
            session.add(
                ContactConsent(
                    client_id=client_id,
                    contact_kind="phone",
                    contact=phone,
                    method="sms_keyword",
                    occurred_at=OLD + n * DAY,
                    source="twilio",
                    status=state,
                )
            )


def _newer_lead_of_the_same_contact(db: Database, acme: int) -> int:
    older = lead(db, acme, NOW - 200 * DAY, phone="+14155550111")
    lead(db, acme, NOW - 2 * DAY, phone="+14155550111", duplicate_of_id=older)
    return older


def _quiet_but(add: Callable[[Database, int, int, int], None], days_ago: int) -> Case:
    """A lead quiet for 40 days by its last event, with something else on it ``days_ago``."""

    def build(db: Database, acme: int, weekly: int) -> int:
        lead_id = lead(db, acme, OLD)
        add(db, acme, lead_id, days_ago)
        return lead_id

    return build


def _consented(*states: str) -> Case:
    """A quiet lead whose phone has these consent rows, oldest first (the lead's flag unset)."""

    def build(db: Database, acme: int, weekly: int) -> int:
        phone = f"+1415555{len(states):04d}"
        lead_id = lead(db, acme, OLD, phone=phone)
        _consent(db, acme, phone, *states)
        return lead_id

    return build


def _followed_up(db: Database, acme: int, lead_id: int, days_ago: int) -> None:
    follow_up_item(db, acme, lead_id, NOW - days_ago * DAY)


# name -> builds the case's lead (given the database and the two clients), and whether it is due.
CASES: dict[str, tuple[Case, bool]] = {
    "quiet 40 days, window 30": (lambda db, acme, weekly: lead(db, acme, OLD), True),
    "quiet, email only": (lambda db, acme, weekly: lead(db, acme, OLD, phone=None, email="ann@example.com"), True),
    "quiet 20 days, window 30": (lambda db, acme, weekly: lead(db, acme, NOW - 20 * DAY), False),
    "quiet 10 days, the client's window 7": (lambda db, acme, weekly: lead(db, weekly, NOW - 10 * DAY), True),
    "quiet 5 days, the client's window 7": (lambda db, acme, weekly: lead(db, weekly, NOW - 5 * DAY), False),
    "an event 5 days ago": (_quiet_but(_event, 5), False),
    "a message queued 3 days ago": (_quiet_but(_message, 3), False),
    "a call-back completed 2 days ago": (_quiet_but(_task_done, 2), False),
    "followed up 10 days ago": (_quiet_but(_followed_up, 10), False),
    "won": (lambda db, acme, weekly: lead(db, acme, OLD, stage=LeadStage.WON), False),
    "lost": (lambda db, acme, weekly: lead(db, acme, OLD, stage=LeadStage.LOST), False),
    "archived": (lambda db, acme, weekly: lead(db, acme, OLD, stage=LeadStage.ARCHIVED), False),
    "opted out in the consent table only": (_consented("opted_out"), False),
    "opted out, then back in": (_consented("opted_out", "opted_in"), True),
    "the lead's own opt-out": (lambda db, acme, weekly: lead(db, acme, OLD, opted_out=True), False),
    "no phone, no email": (lambda db, acme, weekly: lead(db, acme, OLD, phone=None), False),
    "a newer lead of the same contact": (lambda db, acme, weekly: _newer_lead_of_the_same_contact(db, acme), False),
}


def test_which_leads_get_a_follow_up(database: Database) -> None:
    acme, weekly = client(database), client(database, "weekly", follow_up_days=7)
    for channel in ("sms", "email"):
        template(database, WORKFLOW, channel)
    leads = {name: build(database, acme, weekly) for name, (build, _) in CASES.items()}
    expected = {name for name, (_, due) in CASES.items() if due}
    before = items_of(database, WORKFLOW)
    assert sweep_old_leads(database, NOW) == len(expected)
    after = items_of(database, WORKFLOW)
    assert {name for name, n in leads.items() if after.get(n, 0) > before.get(n, 0)} == expected
    assert sweep_old_leads(database, NOW) == 0, "the same cycle again drafts nothing"
    assert sweep_old_leads(database, NOW + DAY) == 0, "nor the next day: nothing else came due"
    with database.read() as session:
        unchecked = session.scalar(select(Lead.id).where(Lead.follow_up_check_at.is_(None), Lead.last_event_at < OLD))
    assert unchecked is None, "every quiet lead was looked at and given its next check"


def test_one_follow_up_per_lead_and_period(database: Database) -> None:
    acme = client(database)
    template(database, WORKFLOW)
    quiet = lead(database, acme, OLD)
    assert sweep_old_leads(database, NOW) == 1
    assert sweep_old_leads(database, NOW + 10 * DAY) == 0
    assert sweep_old_leads(database, NOW + 31 * DAY) == 1, "still quiet a window after the follow-up"
    assert items_of(database, WORKFLOW) == {quiet: 2}
    with database.read() as session:
        keys = session.scalars(select(Event.idempotency_key).where(Event.type == "lead.follow_up_due")).all()
    assert sorted(keys) == [
        f"cadence:old_lead:{quiet}:{OLD:%Y%m%dT%H%M%S}",
        f"cadence:old_lead:{quiet}:{NOW:%Y%m%dT%H%M%S}",
    ]


def test_the_follow_up_is_a_flagged_message_in_the_queue_and_goes_through_review(database: Database) -> None:
    acme, plain = client(database), client(database, "plain")
    own = template(database, WORKFLOW, body="Hi {first_name}, {service} is $49 this week only.", client_id=acme)
    template(database, WORKFLOW)
    priced, quiet = lead(database, acme, OLD), lead(database, plain, OLD, name="Bo Chen", phone="+14155550144")
    assert sweep_old_leads(database, NOW, actor="worker", source="worker") == 2
    with database.read() as session:
        item = session.scalar(select(ReviewItem).where(ReviewItem.lead_id == priced))
        draft = session.scalar(select(Draft).where(Draft.review_item_id == item.id))
        codes = set(session.scalars(select(RiskFlag.code).where(RiskFlag.review_item_id == item.id)))
        other = session.scalar(select(ReviewItem).where(ReviewItem.lead_id == quiet))
    assert (item.kind, item.workflow, item.status, item.is_open) == ("message", WORKFLOW, ItemStatus.PENDING, 1)
    assert draft.grounding["template_id"] == own, "the client's own approved template comes first"
    catalog_only = "the service named only from the client's catalog (this one has none)"
    assert draft.client_text == "Hi Ann, your request is $49 this week only. Reply STOP to opt out.", catalog_only
    assert {"pricing_promise", "missing_consent"} <= codes, "the rules every message passes"
    assert set(item.flag_codes.split(",")) == codes and item.top_severity > 0
    assert "quiet since" in draft.internal_summary
    approved = approve(database, make_actor(database, "riley"), other.id, other.version)
    assert approved.status == ItemStatus.QUEUED
    with database.read() as session:
        message = session.scalar(select(Message).where(Message.review_item_id == other.id))
    assert (message.lead_id, message.recipient) == (quiet, "+14155550144")
    assert message.body.endswith("Reply STOP to opt out.")


def test_repeated_cycles_draft_each_follow_up_once(database: Database, poll_config: PollConfig) -> None:
    acme = client(database)
    template(database, WORKFLOW)
    quiet = [lead(database, acme, utcnow() - 40 * DAY, phone=f"+1415555{n:04d}") for n in range(5)]
    first = run_cycle(database, poll_config, actor="worker", source="worker", rules=False)
    again = run_cycle(database, poll_config, actor="worker", source="worker", rules=False)
    assert (first.followed_up, again.followed_up) == (5, 0)
    assert "5 old-lead follow-ups drafted" in first.summary()
    assert items_of(database, WORKFLOW) == dict.fromkeys(quiet, 1)


def test_two_sweeps_at_once_draft_one_follow_up_per_lead(database: Database) -> None:
    acme = client(database)
    template(database, WORKFLOW)
    with database.write() as session:
        session.add_all(
            Lead(
                client_id=acme,
                name=f"Lead {n}",
                phone=f"+1415556{n:04d}",
                first_seen_at=OLD,
                last_event_at=OLD - n * timedelta(minutes=1),
                source="web_form",
                status="new",
            )
            for n in range(120)
        )
    start = threading.Barrier(2)
    drafted: list[int] = []
    failures: list[BaseException] = []

    def worker() -> None:
        try:
            start.wait()
            while count := sweep_old_leads(database, NOW, batch=25):
                drafted.append(count)
        except BaseException as exc:  # reported by the assertion below
            failures.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert sum(drafted) == 120
    counts = items_of(database, WORKFLOW)
    assert len(counts) == 120 and set(counts.values()) == {1}
    assert sweep_old_leads(database, NOW) == 0
