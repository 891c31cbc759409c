"""Review requests: drafted the client's delay after a lead is won, never before, once however
many cycles and workers run; with the compliance wording the template must state; paused by a
complaint on the lead, with the reason on the lead's timeline. On the three databases."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from app.services.lead_stage import set_stage
from app.services.review_request import ReviewRequestRun, compliance_problem, sweep_review_requests
from db.engine import Database
from db.models import AuditEntry, Draft, Lead, MessageTemplate, ReviewItem, ReviewRequest, RiskFlag
from db.queries.timeline import lead_timeline
from db.types import utcnow
from db.vocab import FlagCode, ItemStatus, LeadStage, Severity, Workflow
from tests.helpers import make_actor
from tests.lifecycle import client, items_of, lead, template

HOUR = timedelta(hours=1)
WORKFLOW = Workflow.REVIEW_REQUEST
BODY = "Hi {first_name}, thank you for choosing {client_name}. Would you share a review of your experience?"
WORDING = "Every honest review is welcome, good or bad."


def won(db: Database, client_id: int, phone: str = "+14155550100") -> int:
    """A lead a person moved to won just now."""
    lead_id = lead(db, client_id, utcnow() - 10 * 24 * HOUR, phone=phone)
    set_stage(db, make_actor(db, "riley"), lead_id, LeadStage.WON)
    return lead_id


def request_of(db: Database, lead_id: int) -> ReviewRequest:
    with db.read() as session:
        return session.scalar(select(ReviewRequest).where(ReviewRequest.lead_id == lead_id))


def test_a_won_lead_gets_its_review_request_after_the_clients_delay_not_before(database: Database) -> None:
    daily, usual = client(database, "daily", review_hours=24), client(database, "usual")
    template(database, WORKFLOW, body=BODY, compliance=WORDING)
    fast, slow = won(database, daily), won(database, usual, "+14155550101")
    with database.read() as session:
        moved_at = session.scalar(
            select(AuditEntry.at).where(AuditEntry.lead_id == fast, AuditEntry.action == "lead.stage_changed")
        )
    early = sweep_review_requests(database, moved_at + 23 * HOUR)
    assert (early.registered, early.drafted) == (2, 0), "registered when won, not drafted before the delay"
    assert request_of(database, fast).due_at == moved_at + 24 * HOUR
    with database.read() as session:
        assert session.get(Lead, fast).won_at == moved_at, "when it was won, from the stage change"
    assert sweep_review_requests(database, moved_at + 25 * HOUR).drafted == 1
    assert items_of(database, WORKFLOW) == {fast: 1}, "the default delay (48 h) is not over for the other"
    assert sweep_review_requests(database, moved_at + 49 * HOUR).drafted == 1
    assert sweep_review_requests(database, moved_at + 100 * HOUR).drafted == 0, "once per lead"
    assert items_of(database, WORKFLOW) == {fast: 1, slow: 1}
    request = request_of(database, fast)
    with database.read() as session:
        item = session.get(ReviewItem, request.review_item_id)
        draft = session.scalar(select(Draft).where(Draft.review_item_id == item.id))
    assert (request.status, item.kind, item.status) == ("drafted", "message", ItemStatus.PENDING)
    assert draft.client_text == (
        "Hi Ann, thank you for choosing Daily. Would you share a review of your experience?"
        f" {WORDING} Reply STOP to opt out."
    )


def test_a_complaint_on_the_lead_pauses_its_request_with_the_reason_shown(database: Database) -> None:
    acme = client(database)
    template(database, WORKFLOW, body=BODY, compliance=WORDING)
    unhappy, happy = won(database, acme), won(database, acme, "+14155550101")
    with database.write() as session:
        now = utcnow()
        item = ReviewItem(
            kind="portal_note",
            client_id=acme,
            lead_id=unhappy,
            workflow=Workflow.CLIENT_REPORT_NOTE,
            provider="twilio",
            arrived_at=now,
            sla_due_at=now + HOUR,
            source="twilio",
            status=ItemStatus.PUBLISHED,
        )
        session.add(item)
        session.flush()
        session.add(
            RiskFlag(
                review_item_id=item.id,
                code=FlagCode.COMPLAINT,
                severity=int(Severity.HIGH),
                reason="the lead complains",
                evidence="left a mess",
                source="rule",
                status="open",
            )
        )
    run = sweep_review_requests(database, utcnow() + 49 * HOUR)
    assert (run.drafted, run.paused) == (1, 1)
    assert items_of(database, WORKFLOW) == {happy: 1}
    paused = request_of(database, unhappy)
    assert paused.status == "paused" and paused.review_item_id is None
    assert paused.reason == f"a complaint on this lead pauses it: item #{item.id} was flagged for “left a mess”"
    with database.read() as session:
        shown = [e for e in lead_timeline(session, unhappy) if e.what == "lead.review_request"]
    assert [(e.outcome, e.facts.get("reason")) for e in shown] == [("paused", paused.reason)]
    assert sweep_review_requests(database, utcnow() + 100 * HOUR).drafted == 0, "it stays paused"


def test_an_opted_out_lead_is_skipped_with_the_reason(database: Database) -> None:
    acme = client(database)
    template(database, WORKFLOW, body=BODY, compliance=WORDING)
    out = won(database, acme)
    with database.write() as session:
        session.get(Lead, out).opted_out = True
    assert sweep_review_requests(database, utcnow() + 49 * HOUR).drafted == 0
    request = request_of(database, out)
    assert (request.status, request.reason) == ("skipped", "no message may be sent: the lead opted out")


@pytest.mark.parametrize(
    ("body", "wording", "problem"),
    [
        (BODY, WORDING, None),
        (BODY, "", "states no compliance wording"),
        ("Leave us a review and get 10% off your next visit!", WORDING, "offers an incentive: “10% off”"),
        ("Reviews earn you a free filter change.", WORDING, "offers an incentive: “free”"),
        ("If you were happy with our work, please review us.", WORDING, "asks only for good reviews"),
        ("Would you leave us a 5-star review?", WORDING, "asks only for good reviews: “5-star”"),
        ("Not happy? Tell us first before you post anything.", WORDING, "asks only for good reviews"),
    ],
)
def test_a_review_request_template_states_its_wording_and_offers_no_incentive_nor_gating(
    body: str, wording: str, problem: str | None
) -> None:
    found = compliance_problem(MessageTemplate(id=7, body=body, compliance_text=wording))
    assert (found is None) if problem is None else (found is not None and problem in found)


def test_a_request_waits_for_a_compliant_template(database: Database) -> None:
    acme = client(database)
    template(database, WORKFLOW, body="Review us for a $20 gift card!", compliance=WORDING)
    lead_id = won(database, acme)
    later = utcnow() + 49 * HOUR
    assert sweep_review_requests(database, later).drafted == 0
    waiting = request_of(database, lead_id)
    assert waiting.status == "waiting" and "offers an incentive: “gift card”" in waiting.reason
    with database.write() as session:
        for row in session.scalars(select(MessageTemplate)):  # the supervisor retires it
            row.active = False
    template(database, WORKFLOW, body=BODY, compliance=WORDING)
    assert sweep_review_requests(database, later + 12 * HOUR).drafted == 0, "it looks again a day later"
    assert sweep_review_requests(database, later + 25 * HOUR).drafted == 1


def test_two_sweeps_at_once_draft_one_request_per_lead(database: Database) -> None:
    acme = client(database)
    template(database, WORKFLOW, body=BODY, compliance=WORDING)
    with database.write() as session:
        session.add_all(
            Lead(
                client_id=acme,
                name=f"Lead {n}",
                phone=f"+1415557{n:04d}",
                stage=LeadStage.WON,
                first_seen_at=utcnow(),
                last_event_at=utcnow(),
                source="web_form",
                status="new",
            )
            for n in range(60)
        )
    now = utcnow()
    registered = _two_at_once(database, now)
    assert (sum(r.registered for r in registered), sum(r.drafted for r in registered)) == (60, 0)
    assert sum(r.drafted for r in _two_at_once(database, now + 49 * HOUR)) == 60
    counts = items_of(database, WORKFLOW)
    assert len(counts) == 60 and set(counts.values()) == {1}
    with database.read() as session:
        statuses = session.scalars(select(ReviewRequest.status)).all()
    assert len(statuses) == 60 and set(statuses) == {"drafted"}


def _two_at_once(database: Database, now: datetime) -> list[ReviewRequestRun]:
    """Two workers sweeping in batches of 20 at ``now`` until there is nothing left to do."""
    start = threading.Barrier(2)
    runs: list[ReviewRequestRun] = []
    failures: list[BaseException] = []

    def worker() -> None:
        try:
            start.wait()
            while (run := sweep_review_requests(database, now, batch=20)).registered or run.drafted:
                runs.append(run)
        except BaseException as exc:  # reported by the assertion below
            failures.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    return runs
