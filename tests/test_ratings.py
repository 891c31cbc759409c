"""Customers' ratings and the bad-experience pause: a rating entered at the desk or texted back
is kept and audited; a low one (3 of 5 or less), or a complaint arriving later, pauses the lead's
review request whether it is still waiting, drafted in the queue, or approved and not yet
released, with the reason shown. On SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select, update

from app.desk import leads
from app.pipeline.poller import PollConfig, drain
from app.pipeline.rating_text import TextRating, read_rating
from app.services.errors import ActionRefused
from app.services.lead_stage import set_stage
from app.services.outbound import release_due
from app.services.review import approve
from app.services.review_request import sweep_review_requests
from db.engine import Database
from db.models import (
    AuditEntry,
    Lead,
    LeadRating,
    ReviewItem,
    ReviewRequest,
    RiskFlag,
    WebhookEvent,
)
from db.queries.timeline import lead_timeline
from db.types import utcnow
from db.vocab import FlagCode, ItemStatus, LeadStage, Role, Severity, WebhookStatus, Workflow
from tests.deliveries import PHONE, add_delivery, northside, with_twilio_number
from tests.desk_fixtures import DeskFactory
from tests.helpers import actor_with, make_actor
from tests.lifecycle import lead, template
from tests.task_fixtures import RecordingNotifier
from ui.detail.sentences import sentence

HOUR = timedelta(hours=1)
BODY = "Hi {first_name}, thank you for choosing {client_name}. Would you share a review of your experience?"
WORDING = "Every honest review is welcome, good or bad."
_serial = iter(range(1, 10**6))


@pytest.fixture
def desk(database: Database) -> Database:
    """The demo catalog, a Twilio number for Northside Plumbing and a review-request template."""
    with_twilio_number(database)
    template(database, Workflow.REVIEW_REQUEST, body=BODY, compliance=WORDING)
    return database


def won_lead(db: Database, phone: str = PHONE) -> int:
    lead_id = lead(db, northside(db), utcnow() - 10 * 24 * HOUR, name="Maria Lopez", phone=phone)
    set_stage(db, make_actor(db, "riley"), lead_id, LeadStage.WON)
    return lead_id


def drafted(db: Database, lead_id: int) -> ReviewItem:
    """The lead's review request, drafted (the client's delay over) and in the queue."""
    assert sweep_review_requests(db, utcnow() + 49 * HOUR).drafted >= 1
    request = request_of(db, lead_id)
    assert request.status == "drafted"
    return item_of(db, request.review_item_id)


def request_of(db: Database, lead_id: int) -> ReviewRequest:
    with db.read() as session:
        return session.scalar(select(ReviewRequest).where(ReviewRequest.lead_id == lead_id))


def item_of(db: Database, item_id: int) -> ReviewItem:
    with db.read() as session:
        return session.get(ReviewItem, item_id)


def sms(body: str, sid: str | None = None, sender: str = "%2B13125550142") -> str:
    sid = sid or f"SM{next(_serial)}"
    return f"MessageSid={sid}&AccountSid=AC1&From={sender}&To=%2B13125550199&Body={body}"


def deliver(
    db: Database, config: PollConfig, provider: str, body: str | dict[str, Any], client: int | None = None
) -> int:
    """A delivery (Twilio's found by the number texted; others for ``client``), drained."""
    row_id = add_delivery(db, provider, body, client)
    drain(db, config)
    with db.read() as session:
        assert session.get(WebhookEvent, row_id).status == WebhookStatus.PROCESSED
    return row_id


def ratings_of(db: Database, lead_id: int) -> list[tuple[int, int, str, str]]:
    with db.read() as session:
        return [
            (r.rating, r.scale, r.source, r.evidence)
            for r in session.scalars(select(LeadRating).where(LeadRating.lead_id == lead_id).order_by(LeadRating.id))
        ]


def audits(db: Database, lead_id: int, action: str) -> list[tuple[str, dict[str, Any]]]:
    with db.read() as session:
        return [
            (e.outcome, e.detail)
            for e in session.scalars(
                select(AuditEntry)
                .where(AuditEntry.lead_id == lead_id, AuditEntry.action == action)
                .order_by(AuditEntry.id)
            )
        ]


def bad_experience_flags(db: Database, item_id: int) -> list[tuple[int, str]]:
    with db.read() as session:
        return list(
            session.execute(
                select(RiskFlag.severity, RiskFlag.evidence).where(
                    RiskFlag.review_item_id == item_id, RiskFlag.code == FlagCode.BAD_EXPERIENCE
                )
            ).all()
        )


def today() -> str:
    now = utcnow()
    return f"{now.day} {now:%b %Y}"


# --- the rule for a texted rating ----------------------------------------------------------

RATINGS = [
    ("4", TextRating(4, 5)),
    ("  5 ", TextRating(5, 5)),
    ("1.", TextRating(1, 5)),
    ("4/5", TextRating(4, 5)),
    ("4 / 5", TextRating(4, 5)),
    ("4 out of 5", TextRating(4, 5)),
    ("Four out of five!", TextRating(4, 5)),
    ("3 of 5", TextRating(3, 5)),
    ("0/5", TextRating(0, 5)),
    ("8/10", TextRating(8, 10)),
    ("7 out of 10", TextRating(7, 10)),
    ("5 stars", TextRating(5, 5)),
    ("5 STARS!!", TextRating(5, 5)),
    ("one star", TextRating(1, 5)),
    ("4*", TextRating(4, 5)),
    ("5⭐️", TextRating(5, 5)),
    ("★★★★", TextRating(4, 5)),
    ("⭐⭐⭐⭐⭐", TextRating(5, 5)),
    ("★★☆☆☆", TextRating(2, 5)),
]
NOT_RATINGS = [
    "",
    "0",
    "6",
    "10",
    "12",
    "4.5/5",
    "4/5/2026",
    "11/10",
    "6 stars",
    "★★★☆",  # four glyphs, one empty: out of four? Not a shape people use; not read
    "5pm",
    "be there at 5",
    "I'd give it a 4",
    "2 more questions",
    "5 stars, but the crew was late",
    "Call me at 312 555 0142",
    "Room 4",
    "STOP",
]


@pytest.mark.parametrize(("text", "expected"), RATINGS)
def test_a_message_that_is_a_rating_and_nothing_else_is_read_as_one(text: str, expected: TextRating) -> None:
    assert read_rating(text) == expected


@pytest.mark.parametrize("text", NOT_RATINGS)
def test_a_message_that_merely_holds_a_number_is_not_a_rating(text: str) -> None:
    assert read_rating(text) is None


# --- the desk -------------------------------------------------------------------------------


def test_a_rating_entered_at_the_desk_is_kept_and_audited_and_a_bad_one_refused(desk: Database) -> None:
    lead_id = lead(desk, northside(desk), utcnow(), name="Maria Lopez", phone=PHONE)
    riley = actor_with(desk, "riley", Role.REVIEWER)
    changes = leads.rate(desk, riley, lead_id, 4, "  said so on the phone ")
    assert [n.text for n in changes.notices] == ["Rating 4/5 recorded for Maria Lopez."]
    assert not changes.queue, "no review request was paused: the queue is as it was"
    assert ratings_of(desk, lead_id) == [(4, 5, "desk", "said so on the phone")]
    assert audits(desk, lead_id, "lead.rated") == [("ok", {"rating": 4, "scale": 5, "from": "desk", "low": False})]
    with desk.read() as session:
        shown = [e for e in lead_timeline(session, lead_id) if e.what == "lead.rated"]
    assert [e.actor for e in shown] == ["riley"] and [sentence(e) for e in shown] == ["Rated 4/5 by riley"]
    for wrong in (0, 6):
        with pytest.raises(ActionRefused, match="from 1 to 5"):
            leads.rate(desk, riley, lead_id, wrong, "")
    with pytest.raises(ActionRefused, match="no longer exists"):
        leads.rate(desk, riley, lead_id + 1000, 3, "")
    assert len(ratings_of(desk, lead_id)) == 1

    with desk.read() as session:
        refused = session.scalar(
            select(func.count()).where(AuditEntry.action == "lead.rated", AuditEntry.outcome == "refused")
        )
    assert refused == 3


# --- the pause ------------------------------------------------------------------------------


def test_a_low_rating_pauses_a_waiting_request_and_a_high_one_does_not(desk: Database) -> None:
    unhappy, happy = won_lead(desk), won_lead(desk, "+13125550143")
    assert sweep_review_requests(desk, utcnow()).registered == 2
    riley = actor_with(desk, "riley", Role.REVIEWER)
    changes = leads.rate(desk, riley, unhappy, 3, "called to say the crew was late")
    reason = f"rated 3/5 in the desk (entered by riley) on {today()}"
    assert changes.queue and changes.notices[0].level == "warning"
    assert reason in changes.notices[0].text
    assert leads.rate(desk, riley, happy, 4, "").notices[0].level == "info"
    paused = request_of(desk, unhappy)
    assert (paused.status, paused.reason) == ("paused", reason)
    assert request_of(desk, happy).status == "waiting"
    run = sweep_review_requests(desk, utcnow() + 49 * HOUR)
    assert (run.drafted, run.paused) == (1, 0), "the paused one stays paused, the happy one is drafted"
    assert request_of(desk, happy).status == "drafted" and request_of(desk, unhappy).review_item_id is None
    with desk.read() as session:
        shown = [e for e in lead_timeline(session, unhappy) if e.what == "lead.review_request"]
    assert [(e.outcome, e.facts.get("reason")) for e in shown] == [("paused", reason)]


def test_a_rating_recorded_before_the_request_is_due_pauses_it_when_the_sweep_comes(desk: Database) -> None:
    """However the rating arrived, the sweep reads it: a lead rated 2 before it was even won."""
    lead_id = lead(desk, northside(desk), utcnow() - 10 * 24 * HOUR, name="Maria Lopez", phone=PHONE)
    leads.rate(desk, actor_with(desk, "riley", Role.REVIEWER), lead_id, 2, "")
    set_stage(desk, make_actor(desk, "riley"), lead_id, LeadStage.WON)
    run = sweep_review_requests(desk, utcnow() + 49 * HOUR)
    assert (run.drafted, run.paused) == (0, 1)
    assert request_of(desk, lead_id).reason == f"rated 2/5 in the desk (entered by riley) on {today()}"


def test_a_low_rating_texted_back_blocks_the_drafted_request_with_the_reason(
    desk: Database, poll_config: PollConfig
) -> None:
    lead_id = won_lead(desk)
    item = drafted(desk, lead_id)
    deliver(desk, poll_config, "twilio", sms("2%2F5"))
    assert ratings_of(desk, lead_id) == [(2, 5, "twilio", "2/5")]
    reason = f"rated 2/5 by text on {today()}"
    request = request_of(desk, lead_id)
    assert (request.status, request.reason, request.review_item_id) == ("paused", reason, item.id)
    assert bad_experience_flags(desk, item.id) == [(int(Severity.HIGH), reason)]
    flagged = item_of(desk, item.id)
    assert flagged.version == item.version + 1 and flagged.status == ItemStatus.PENDING
    assert flagged.flag_codes.startswith(FlagCode.BAD_EXPERIENCE)
    boss = actor_with(desk, "sam", Role.SUPERVISOR)
    with pytest.raises(ActionRefused, match=f"the customer had a bad experience \\(“{reason}”\\)"):
        approve(desk, boss, item.id, flagged.version)
    assert item_of(desk, item.id).status == ItemStatus.PENDING
    with desk.read() as session:
        timeline = lead_timeline(session, lead_id)
    assert [e.facts.get("reason") for e in timeline if e.what == "lead.review_request" and e.outcome == "paused"] == [
        reason
    ]
    assert any(e.what == "feedback.rating" for e in timeline)
    assert [sentence(e) for e in timeline if e.what == "lead.rated"] == [
        "Rated 2/5 by text — low: the review request waits, a person follows up"
    ]


def test_a_high_rating_texted_back_leaves_the_drafted_request_alone(desk: Database, poll_config: PollConfig) -> None:
    lead_id = won_lead(desk)
    item = drafted(desk, lead_id)
    deliver(desk, poll_config, "twilio", sms("%E2%98%85%E2%98%85%E2%98%85%E2%98%85%E2%98%85"))  # ★★★★★
    assert ratings_of(desk, lead_id) == [(5, 5, "twilio", "★★★★★")]
    assert request_of(desk, lead_id).status == "drafted"
    assert bad_experience_flags(desk, item.id) == []
    assert item_of(desk, item.id).version == item.version


def test_a_rating_from_someone_not_asked_is_an_ordinary_answer(desk: Database, poll_config: PollConfig) -> None:
    open_lead = lead(desk, northside(desk), utcnow() - HOUR, name="Maria Lopez", phone=PHONE)
    deliver(desk, poll_config, "twilio", sms("2"))
    assert ratings_of(desk, open_lead) == []
    assert [outcome for outcome, _ in audits(desk, open_lead, "lead.rated")] == ["not_taken"]
    deliver(desk, poll_config, "twilio", sms("2", sender="%2B13125550177"))  # nobody the desk knows
    with desk.read() as session:
        stranger = session.scalar(select(Lead).where(Lead.phone == "+13125550177"))
        assert stranger is not None, "a new texter's digit is a new lead, as any text is"
        assert session.scalar(select(func.count()).select_from(LeadRating)) == 0


def test_the_same_delivery_processed_twice_records_one_rating(desk: Database, poll_config: PollConfig) -> None:
    lead_id = won_lead(desk)
    assert sweep_review_requests(desk, utcnow()).registered == 1
    row_id = deliver(desk, poll_config, "twilio", sms("1", sid="SMtwice"))
    deliver(desk, poll_config, "twilio", sms("1", sid="SMtwice"))  # Twilio retried the webhook
    with desk.write() as session:  # and someone replays the first row
        session.execute(update(WebhookEvent).where(WebhookEvent.id == row_id).values(status=WebhookStatus.NEW))
    drain(desk, poll_config)
    assert ratings_of(desk, lead_id) == [(1, 5, "twilio", "1")]
    assert [outcome for outcome, _ in audits(desk, lead_id, "lead.rated")] == ["ok"]
    assert [outcome for outcome, _ in audits(desk, lead_id, "lead.review_request")] == ["paused"]


def test_a_low_rating_after_approval_stops_the_release(desk: Database) -> None:
    lead_id = won_lead(desk)
    item = drafted(desk, lead_id)
    boss = actor_with(desk, "sam", Role.SUPERVISOR)
    approve(desk, boss, item.id, item.version, undo_window=HOUR)
    assert item_of(desk, item.id).status == ItemStatus.APPROVED
    leads.rate(desk, boss, lead_id, 1, "called, furious about the mess")
    reason = f"rated 1/5 in the desk (entered by sam) on {today()}"
    assert request_of(desk, lead_id).status == "paused"
    assert bad_experience_flags(desk, item.id) == [(int(Severity.HIGH), reason)]
    with desk.write() as session:  # the undo window has passed
        session.execute(update(ReviewItem).where(ReviewItem.id == item.id).values(release_at=utcnow() - HOUR))
    release_due(desk)
    stopped = item_of(desk, item.id)
    assert stopped.status == ItemStatus.FAILED and reason in (stopped.hold_reason or "")
    assert [o for o, _ in audits(desk, lead_id, "message.blocked")] == ["refused"]


def test_a_complaint_after_drafting_blocks_the_request(desk: Database, poll_config: PollConfig) -> None:
    lead_id = won_lead(desk)
    item = drafted(desk, lead_id)
    form = {
        "form_type": "contact",
        "submission_id": "sub_complaint_1",
        "submitted_at": utcnow().isoformat(),
        "fields": {
            "name": "Maria Lopez",
            "phone": "(312) 555-0142",
            "service": "Drain cleaning",
            "message": "Your crew left a mess in my kitchen and damaged the floor. I want to file a complaint.",
        },
    }
    deliver(desk, poll_config, "web_form", form, northside(desk))
    with desk.read() as session:
        later = session.scalar(
            select(ReviewItem).where(ReviewItem.lead_id == lead_id, ReviewItem.id != item.id).order_by(ReviewItem.id)
        )
        evidence = session.scalar(
            select(RiskFlag.evidence).where(RiskFlag.review_item_id == later.id, RiskFlag.code == FlagCode.COMPLAINT)
        )
    assert evidence, "the later delivery's item is flagged as a complaint"
    request = request_of(desk, lead_id)
    assert request.status == "paused" and request.reason.startswith(
        f"a complaint on this lead pauses it: item #{later.id}"
    )
    assert bad_experience_flags(desk, item.id) == [(int(Severity.HIGH), request.reason)]
    with pytest.raises(ActionRefused, match="bad experience"):
        approve(desk, actor_with(desk, "sam", Role.SUPERVISOR), item.id, item_of(desk, item.id).version)


def test_a_complaint_flagged_by_another_path_still_refuses_approval(desk: Database) -> None:
    """A complaint no hook saw (a flag written on another item, as the AI stage does) counts too."""
    lead_id = won_lead(desk)
    item = drafted(desk, lead_id)
    with desk.write() as session:
        now = utcnow()
        note = ReviewItem(
            kind="portal_note",
            client_id=item.client_id,
            lead_id=lead_id,
            workflow=Workflow.CLIENT_REPORT_NOTE,
            provider="twilio",
            arrived_at=now,
            sla_due_at=now + HOUR,
            source="twilio",
            status=ItemStatus.PENDING,
        )
        session.add(note)
        session.flush()
        session.add(
            RiskFlag(
                review_item_id=note.id,
                code=FlagCode.COMPLAINT,
                severity=int(Severity.HIGH),
                reason="the lead complains",
                evidence="left a mess",
                source="ai",
                status="open",
            )
        )
        note_id = note.id
    assert request_of(desk, lead_id).status == "drafted", "no hook ran"
    expected = f"This review request is paused: a complaint on this lead pauses it: item #{note_id} was flagged"
    with pytest.raises(ActionRefused, match=expected):
        approve(desk, actor_with(desk, "sam", Role.SUPERVISOR), item.id, item.version)


# --- the lead panel -------------------------------------------------------------------------


def test_the_lead_panel_records_a_rating_from_the_keyboard(
    qtbot, make_desk: DeskFactory, sqlite_database: Database
) -> None:
    desk = make_desk(
        sqlite_database, actor=actor_with(sqlite_database, "riley", Role.REVIEWER), notifier=RecordingNotifier()
    )
    lead_id = desk.session.current.lead_id
    panel = desk.item_lead
    qtbot.waitUntil(lambda: panel.card is not None and panel.card.id == lead_id)
    assert not panel.rate_button.isEnabled(), "no rating is chosen until the reviewer picks one"
    assert panel.rated.text() == "Not rated"
    qtbot.keyClick(desk.window.queue, Qt.Key.Key_L)
    qtbot.keyClick(panel.to, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    assert panel.rating.hasFocus()
    qtbot.keyClicks(panel.rating, "2")
    qtbot.keyClick(panel.rating, Qt.Key.Key_Tab)
    assert panel.rating_note.hasFocus()
    qtbot.keyClicks(panel.rating_note, "phoned in")
    qtbot.keyClick(panel.rating_note, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.rating.value() == 0 and not desk.runner.busy)
    assert ratings_of(sqlite_database, lead_id) == [(2, 5, "desk", "phoned in")]
    assert panel.rating_note.text() == "" and not panel.rate_button.isEnabled()
    assert any("Rating 2/5 recorded" in text for text in desk.window.notices.log.texts())
    qtbot.waitUntil(lambda: panel.rated.text().startswith("2 of 5, "))
    assert panel.rated.text().endswith("(entered at the desk)")
