"""A decision keeps its reasons: who decided, when, why, with which note, edit class and
acknowledgements, in the detail pane, the lead's timeline and the Decided view."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from app.desk import items
from app.services.approval_rules import Acknowledgement
from app.services.review import approve, escalate, reject, undo
from db.engine import Database
from db.models import Draft, ReviewItem, RiskFlag
from db.queries.detail import Acknowledged
from db.queries.queue import QueueFilter, QueueSort, fetch_page
from db.types import utcnow
from db.vocab import FlagCode, ItemKind, ItemStatus, Role, Severity
from tests.desk_fixtures import DeskFactory
from tests.helpers import actor_with, make_actor
from tests.test_desk_actions import wait_idle
from ui.detail.sentences import sentence

DECIDED_VIEW = 9


def pending(database: Database, count: int, kind: str = ItemKind.PORTAL_NOTE) -> list[ReviewItem]:
    with database.read() as session:
        return list(
            session.scalars(
                select(ReviewItem)
                .where(ReviewItem.kind == kind, ReviewItem.status == ItemStatus.PENDING, ReviewItem.top_severity < 3)
                .order_by(ReviewItem.id)
                .limit(count)
            )
        )


def test_a_rejection_carries_who_when_reason_and_note(loaded: Database) -> None:
    ana = make_actor(loaded, "ana")
    (item,) = pending(loaded, 1)
    reject(loaded, ana, item.id, item.version, "wrong_client", "Northside's lead, not ours.")
    detail = items.load(loaded, item.id)
    assert detail is not None
    assert (detail.decided_by, detail.reject_reason, detail.note) == (
        "ana",
        "wrong_client",
        "Northside's lead, not ours.",
    )
    assert detail.decided_at is not None and abs(detail.decided_at - utcnow()) < timedelta(minutes=1)
    assert detail.acknowledged == () and detail.escalation is None


def flagged(database: Database, item: ReviewItem, *codes: FlagCode) -> None:
    """High-risk flags on the item's current draft, as the rules would raise them."""
    with database.write() as session:
        draft = session.scalars(
            select(Draft).where(Draft.review_item_id == item.id).order_by(Draft.version_no.desc())
        ).first()
        for code in codes:
            session.add(
                RiskFlag(
                    review_item_id=item.id,
                    draft_id=draft.id,
                    code=code,
                    severity=int(Severity.HIGH),
                    reason="needs a human judgment",
                    evidence=f"evidence of {code}",
                    owner="test",
                    source="rule",
                    status="open",
                )
            )


def test_an_approval_carries_its_edit_class_and_each_acknowledged_flag(loaded: Database) -> None:
    ana = make_actor(loaded, "ana")
    (item,) = pending(loaded, 1)
    flagged(loaded, item, FlagCode.PRICING_PROMISE, FlagCode.COMPLAINT)
    before = items.load(loaded, item.id)
    assert before is not None
    approve(
        loaded,
        ana,
        item.id,
        before.version,
        before.client_text + " See you Tuesday.",
        undo_window=timedelta(minutes=5),
        acknowledged=Acknowledgement(frozenset({"pricing_promise", "complaint"}), "quoted from the catalog"),
    )
    detail = items.load(loaded, item.id)
    assert detail is not None and detail.decided_by == "ana" and detail.edit_class == "light_edit"
    assert detail.acknowledged == (
        Acknowledged("complaint", "quoted from the catalog"),
        Acknowledged("pricing_promise", "quoted from the catalog"),
    )
    said = [sentence(e) for e in items.timeline(loaded, item.lead_id or 0)]
    assert (
        "Approved by ana (light edit), acknowledged: Complaint, Pricing promise — “quoted from the catalog”" in said
    ), said
    undo(loaded, ana, item.id)
    again = items.load(loaded, item.id)
    assert again is not None and again.acknowledged == () and again.decided_by is None, "an undo takes it all back"


def test_an_escalation_keeps_its_note_after_a_supervisor_decides(loaded: Database) -> None:
    riley = actor_with(loaded, "riley", Role.REVIEWER)
    boss = actor_with(loaded, "boss", Role.SUPERVISOR)
    (item,) = pending(loaded, 1)
    escalate(loaded, riley, item.id, item.version, "Is this really their client?")
    escalated = items.load(loaded, item.id)
    assert escalated is not None and escalated.escalation is not None
    assert (escalated.escalation.by, escalated.escalation.note) == ("riley", "Is this really their client?")
    reject(loaded, boss, item.id, escalated.version, "wrong_client", "It is not.")
    decided = items.load(loaded, item.id)
    assert decided is not None and decided.decided_by == "boss" and decided.note == "It is not."
    assert decided.escalation is not None and decided.escalation.note == "Is this really their client?"


def test_the_lead_timeline_says_what_happened_in_sentences(sqlite_database: Database, poll_config) -> None:
    from app.demo import write_demo_events
    from app.pipeline.poller import drain

    with sqlite_database.write() as session:
        write_demo_events(session, 20, seed=5)
    drain(sqlite_database, poll_config)
    ana = make_actor(sqlite_database, "ana")
    first, second = pending(sqlite_database, 2)
    reject(sqlite_database, ana, first.id, first.version, "wrong_client", "Northside's lead, not ours.")
    escalate(sqlite_database, ana, second.id, second.version, "Check the address.")
    said = [sentence(e) for e in items.timeline(sqlite_database, first.lead_id or 0)]
    assert "Rejected by ana — reason: Belongs to another client; note: “Northside's lead, not ours.”" in said
    assert not [s for s in said if "review_item" in s or "_" in s], said
    escalated = [sentence(e) for e in items.timeline(sqlite_database, second.lead_id or 0)]
    assert "Escalated by ana: “Check the address.”" in escalated


def test_the_decided_view_is_newest_decision_first_and_carries_who_and_when(loaded: Database) -> None:
    ana = make_actor(loaded, "ana")
    decided = pending(loaded, 3)
    now = utcnow()
    for age, item in zip((30, 10, 20), decided, strict=True):
        reject(loaded, ana, item.id, item.version, "spam", "Not a real lead.")
        with loaded.write() as session:
            session.execute(
                update(ReviewItem).where(ReviewItem.id == item.id).values(decided_at=now - timedelta(minutes=age))
            )
    with loaded.read() as session:
        rows = fetch_page(session, QueueFilter(scope="decided"), QueueSort("decided", descending=True), 0, 10)
    assert [r.id for r in rows] == [decided[1].id, decided[2].id, decided[0].id]
    assert all(r.decided_by == "ana" and r.decided_at is not None for r in rows)
    assert rows[0].decided_at > rows[1].decided_at > rows[2].decided_at


def test_the_detail_pane_explains_a_rejected_item_in_the_decided_view(
    qtbot, make_desk: DeskFactory, sqlite_database: Database
) -> None:
    desk = make_desk(sqlite_database)
    ana = make_actor(sqlite_database, "ana")
    (item,) = pending(sqlite_database, 1)
    reject(sqlite_database, ana, item.id, item.version, "wrong_client", "Northside's lead, not ours.")
    desk.window.sidebar.setCurrentIndex(desk.window.views_model.index(DECIDED_VIEW))
    qtbot.waitUntil(lambda: desk.session.current is not None and desk.session.current.id == item.id)
    wait_idle(qtbot, desk)
    box = desk.window.detail.decision
    assert box.isVisibleTo(desk.window)
    assert box.values["Decided"].text().startswith("Rejected by ana, ")
    assert box.values["Reason"].text() == "Belongs to another client"
    assert box.values["Note"].text() == "Northside's lead, not ours."
    assert not box.values["Acknowledged"].isVisibleTo(desk.window)
    header = desk.window.detail.header.text()
    assert "Rejected" in header and "_" not in header, header
