"""Reviewer actions through the service layer, on every backend."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, update

from app.services.claims import claim, release_claim, release_expired_claims, renew
from app.services.errors import ActionRefused
from app.services.outbound import quiet_hours_end, release_due
from app.services.review import (
    approve,
    bulk_approve,
    escalate,
    reject,
    undo,
)
from db.engine import Database
from db.models import AuditEntry, Client, Lead, Message, PortalNote, ReviewItem
from db.types import utcnow
from db.vocab import EditClass, ItemKind, ItemStatus, Role
from tests.helpers import actor_with


def first(database: Database, kind: str = ItemKind.PORTAL_NOTE, max_severity: int = 3) -> ReviewItem:
    with database.read() as session:
        return session.scalar(
            select(ReviewItem)
            .where(
                ReviewItem.kind == kind,
                ReviewItem.status == ItemStatus.PENDING,
                ReviewItem.top_severity <= max_severity,
            )
            .order_by(ReviewItem.id)
            .limit(1)
        )


def refusals(database: Database, action: str) -> int:
    with database.read() as session:
        return (
            session.scalar(
                select(func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.action == action, AuditEntry.outcome == "refused")
            )
            or 0
        )


def test_a_claim_is_exclusive_and_expires(loaded: Database) -> None:
    riley = actor_with(loaded, "riley", Role.REVIEWER)
    sam = actor_with(loaded, "sam", Role.REVIEWER)
    item = first(loaded)
    held = claim(loaded, riley, item.id)
    with pytest.raises(ActionRefused, match="Another reviewer has this item open"):
        claim(loaded, sam, item.id)
    assert refusals(loaded, "review_item.claim") == 0, "looking at a held item is not an attempted action"
    assert renew(loaded, riley, item.id) is not None
    with loaded.write() as session:  # riley's desk died: the lease runs out
        session.execute(
            update(ReviewItem).where(ReviewItem.id == item.id).values(lease_expires_at=utcnow() - timedelta(seconds=1))
        )
    assert claim(loaded, sam, item.id).item_id == item.id
    assert renew(loaded, riley, item.id) is None, "the old holder learns it lost the claim"
    with pytest.raises(ActionRefused, match="Another reviewer"):
        approve(loaded, riley, item.id, held.version)  # the late action is refused


def test_an_expired_claim_returns_the_item_to_the_queue(loaded: Database) -> None:
    riley = actor_with(loaded, "riley", Role.REVIEWER)
    item = first(loaded)
    claim(loaded, riley, item.id, lease=timedelta(seconds=-1))
    assert release_expired_claims(loaded) >= 1
    with loaded.read() as session:
        back = session.get(ReviewItem, item.id)
        assert back.status == ItemStatus.PENDING and back.claimed_by_id is None


def test_releasing_a_claim_puts_it_back_pending(loaded: Database) -> None:
    riley = actor_with(loaded, "riley", Role.REVIEWER)
    item = first(loaded)
    claim(loaded, riley, item.id)
    release_claim(loaded, riley, item.id)
    with loaded.read() as session:
        assert session.get(ReviewItem, item.id).status == ItemStatus.PENDING


def test_approve_with_edits_records_the_edit_class(loaded: Database) -> None:
    riley = actor_with(loaded, "riley", Role.REVIEWER)
    item = first(loaded)
    with loaded.read() as session:
        from db.queries.drafts import current_draft

        drafted = current_draft(session, item.id).client_text
    light = approve(loaded, riley, item.id, item.version, drafted.replace("The team", "Our team"))
    assert light.edit_class == EditClass.LIGHT_EDIT and light.status == ItemStatus.PUBLISHED
    other = first(loaded)
    rewrite = approve(loaded, riley, other.id, other.version, "Thanks, we will call you today.")
    assert rewrite.edit_class == EditClass.REWRITE
    with loaded.read() as session:
        assert session.get(ReviewItem, other.id).status == ItemStatus.PUBLISHED
        assert (
            session.scalar(select(PortalNote.body).where(PortalNote.review_item_id == other.id))
            == "Thanks, we will call you today."
        )


def test_a_stale_version_is_refused_not_applied(loaded: Database) -> None:
    riley = actor_with(loaded, "riley", Role.REVIEWER)
    item = first(loaded)
    with loaded.write() as session:  # e.g. a STOP arrived and flagged the item meanwhile
        session.execute(update(ReviewItem).where(ReviewItem.id == item.id).values(version=ReviewItem.version + 1))
    with pytest.raises(ActionRefused, match="changed since you opened it"):
        approve(loaded, riley, item.id, item.version, "Edited by someone with an old copy.")
    with loaded.read() as session:
        assert session.get(ReviewItem, item.id).status == ItemStatus.PENDING


def test_reject_needs_a_reason_and_a_note(loaded: Database) -> None:
    riley = actor_with(loaded, "riley", Role.REVIEWER)
    item = first(loaded)
    with pytest.raises(ActionRefused, match="Choose a reason"):
        reject(loaded, riley, item.id, item.version, "", "because")
    with pytest.raises(ActionRefused, match="note is required"):
        reject(loaded, riley, item.id, item.version, "spam", "  ")
    done = reject(loaded, riley, item.id, item.version, "spam", "Selling SEO services.")
    assert done.status == ItemStatus.REJECTED
    assert refusals(loaded, "review_item.reject") == 2


def test_escalated_items_are_for_supervisors_and_a_reviewers_attempt_is_audited(loaded: Database) -> None:
    riley = actor_with(loaded, "riley", Role.REVIEWER)
    sam = actor_with(loaded, "sam", Role.SUPERVISOR)
    item = first(loaded)
    escalated = escalate(loaded, riley, item.id, item.version, "Pricing question")
    with pytest.raises(ActionRefused, match="only a supervisor can decide it"):
        approve(loaded, riley, item.id, escalated.version)
    assert refusals(loaded, "review_item.approve") == 1
    assert approve(loaded, sam, item.id, escalated.version).status == ItemStatus.PUBLISHED


def test_undo_works_until_the_item_leaves_the_desk(loaded: Database) -> None:
    riley = actor_with(loaded, "riley", Role.REVIEWER)
    sam = actor_with(loaded, "sam", Role.REVIEWER)
    item = first(loaded)
    held = approve(loaded, riley, item.id, item.version, undo_window=timedelta(minutes=5))
    assert held.status == ItemStatus.APPROVED
    with pytest.raises(ActionRefused, match="Only the reviewer who decided"):
        undo(loaded, sam, item.id)
    back = undo(loaded, riley, item.id)
    assert back.status == ItemStatus.PENDING
    approve(loaded, riley, item.id, back.version, undo_window=timedelta(minutes=5))
    with loaded.write() as session:  # five minutes later
        session.execute(
            update(ReviewItem).where(ReviewItem.id == item.id).values(release_at=utcnow() - timedelta(seconds=1))
        )
    assert release_due(loaded) == 1
    with pytest.raises(ActionRefused, match="already left the desk"):
        undo(loaded, riley, item.id)
    with loaded.read() as session:
        assert (
            session.scalar(select(func.count()).select_from(PortalNote).where(PortalNote.review_item_id == item.id))
            == 1
        )


def test_an_approved_message_is_queued_unless_the_lead_opted_out_meanwhile(loaded: Database) -> None:
    riley = actor_with(loaded, "riley", Role.REVIEWER)
    first_message = first(loaded, ItemKind.MESSAGE)
    assert approve(loaded, riley, first_message.id, first_message.version).status == ItemStatus.QUEUED
    with loaded.read() as session:
        queued = session.scalar(select(Message).where(Message.review_item_id == first_message.id))
        assert queued.status == "queued" and queued.body.endswith("Reply STOP to opt out.")
    second = first(loaded, ItemKind.MESSAGE)
    approve(loaded, riley, second.id, second.version, undo_window=timedelta(minutes=1))
    with loaded.write() as session:
        session.execute(update(Lead).where(Lead.id == second.lead_id).values(opted_out=True))
        session.execute(
            update(ReviewItem).where(ReviewItem.id == second.id).values(release_at=utcnow() - timedelta(seconds=1))
        )
    release_due(loaded)
    with loaded.read() as session:
        blocked = session.get(ReviewItem, second.id)
        assert blocked.status == ItemStatus.FAILED and "opted out" in blocked.hold_reason
        assert session.scalar(select(func.count()).select_from(Message).where(Message.review_item_id == second.id)) == 0


def test_a_message_approved_in_the_clients_quiet_hours_waits_for_their_end(loaded: Database) -> None:
    riley = actor_with(loaded, "riley", Role.REVIEWER)
    message = first(loaded, ItemKind.MESSAGE)
    now = utcnow()
    around_now = f"{now - timedelta(hours=1):%H:%M}-{now + timedelta(hours=1):%H:%M}"  # in UTC, may wrap midnight
    with loaded.write() as session:
        client = session.get(Client, message.client_id)
        client.quiet_hours, client.timezone = around_now, "UTC"
    assert approve(loaded, riley, message.id, message.version).status == ItemStatus.APPROVED
    with loaded.read() as session:
        waiting = session.get(ReviewItem, message.id)
        assert waiting.hold_reason.startswith(f"quiet hours ({around_now} UTC)")
        assert timedelta(minutes=55) < waiting.release_at - now <= timedelta(hours=1, minutes=1)
        assert (
            session.scalar(select(func.count()).select_from(Message).where(Message.review_item_id == message.id)) == 0
        )
    release_due(loaded)  # still quiet: nothing leaves
    with loaded.write() as session:  # the morning comes
        session.execute(
            update(ReviewItem).where(ReviewItem.id == message.id).values(release_at=utcnow() - timedelta(seconds=1))
        )
        session.get(Client, message.client_id).quiet_hours = None
    assert release_due(loaded) == 1
    with loaded.read() as session:
        assert session.get(ReviewItem, message.id).status == ItemStatus.QUEUED


@pytest.mark.parametrize(
    ("quiet", "zone", "local", "opens"),
    [
        ("21:00-08:00", "America/Chicago", "23:30", "08:00 next day"),
        ("21:00-08:00", "America/Chicago", "06:15", "08:00 same day"),
        ("21:00-08:00", "America/Chicago", "12:00", None),
        ("12:00-13:00", "Europe/Berlin", "12:30", "13:00 same day"),
        ("nonsense", "UTC", "12:00", None),
    ],
)
def test_quiet_hours_end_in_the_clients_time_zone(quiet: str, zone: str, local: str, opens: str | None) -> None:
    tz = ZoneInfo(zone)
    now = datetime.combine(date(2026, 12, 2), time.fromisoformat(local), tz)
    found = quiet_hours_end(quiet, zone, now.astimezone(UTC))
    if opens is None:
        assert found is None
        return
    hour, _, when = opens.partition(" ")
    day = now.date() + timedelta(days=1 if when == "next day" else 0)
    assert found[0] == datetime.combine(day, time.fromisoformat(hour), tz).astimezone(UTC)


def test_bulk_approve_never_takes_a_high_severity_item(loaded: Database) -> None:
    riley = actor_with(loaded, "riley", Role.REVIEWER)
    with loaded.read() as session:
        chosen = session.execute(
            select(ReviewItem.id, ReviewItem.version, ReviewItem.top_severity).where(
                ReviewItem.status == ItemStatus.PENDING
            )
        ).all()
    high = [i for i, _, s in chosen if s >= 3]
    assert high, "the demo data has high-severity items"
    result = bulk_approve(loaded, riley, [(i, v) for i, v, _ in chosen])
    assert set(high) <= set(result.skipped)
    assert all("high-severity" in result.skipped[i] for i in high)
    assert len(result.approved) == len(chosen) - len(result.skipped) > 0
