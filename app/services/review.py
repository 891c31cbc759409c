"""Reviewer actions on review items: approve (as drafted or edited), reject, escalate, undo,
bulk approve. (Claims are in ``app.services.claims``.)

Each action is one transaction that checks role, state, version and claim, changes the row and
writes its audit entry. A refused action changes nothing; the refusal is audited in its own
transaction and raised as ``ActionRefused`` with a sentence for the reviewer.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit
from app.identity import Actor
from app.lead_events import track_approval_state
from app.pipeline.drafting import DraftResult
from app.services.approval_rules import Acknowledgement, approval_problem
from app.services.drafts import write_version
from app.services.outbound import release_item
from app.services.refusals import refuse
from app.states import HANDOFFS, ITEMS
from db.engine import Database
from db.models import CrmHandoff, ReviewItem
from db.queries.drafts import current_draft
from db.types import utcnow
from db.vocab import OPEN_ITEM_STATUSES, EditClass, HandoffStatus, ItemKind, ItemStatus, Severity

LIGHT_EDIT_RATIO = 0.8
# Why a reviewer rejects; the free-text note is required with every one of them.
REJECT_REASONS = {
    "inaccurate": "Facts are wrong or unsupported",
    "not_client_safe": "Not safe to show the client",
    "tone": "Wrong tone or wording",
    "duplicate": "Duplicate of another item",
    "spam": "Spam or not a real lead",
    "wrong_client": "Belongs to another client",
    "other": "Other",
}
DECIDED = (ItemStatus.APPROVED, ItemStatus.EDITED, ItemStatus.REJECTED, ItemStatus.ESCALATED)


@dataclass(frozen=True)
class ActionOutcome:
    item_id: int
    status: ItemStatus
    version: int
    edit_class: EditClass | None = None
    release_at: datetime | None = None


@dataclass
class BulkOutcome:
    approved: list[int] = field(default_factory=list)
    skipped: dict[int, str] = field(default_factory=dict)


def edit_class(draft_text: str, final_text: str) -> EditClass:
    """Unchanged, a light edit (mostly the same words) or a rewrite."""
    a, b = " ".join(draft_text.split()), " ".join(final_text.split())
    if a == b:
        return EditClass.UNCHANGED
    ratio = difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
    return EditClass.LIGHT_EDIT if ratio >= LIGHT_EDIT_RATIO else EditClass.REWRITE


# --- checks shared by every action --------------------------------------------------------


def _check_open(item: ReviewItem | None, actor: Actor, expected_version: int, now: datetime) -> str | None:
    if item is None:
        return "This item no longer exists."
    if item.version != expected_version:
        return (
            "This item changed since you opened it (someone else acted on it, or the draft "
            "was replaced). It has been reloaded: check it and act again."
        )
    if item.status not in OPEN_ITEM_STATUSES:
        return f"This item is already {item.status.replace('_', ' ')}."
    lease_live = item.lease_expires_at is not None and item.lease_expires_at > now
    if item.claimed_by_id not in (None, actor.user_id) and lease_live:
        return "Another reviewer has this item open right now."
    if item.status == ItemStatus.ESCALATED and not actor.can_supervise:
        return "This item was escalated: only a supervisor can decide it."
    return None


Decide = Callable[[Session, ReviewItem, datetime], ActionOutcome | str]


def _act(
    database: Database,
    actor: Actor,
    item_id: int,
    expected_version: int,
    action: str,
    source: str,
    decide: Decide,
) -> ActionOutcome:
    """Lock the item, run the common checks, then ``decide`` (which returns the outcome, or a
    refusal sentence). Refusals are audited and raised."""
    with database.write() as session:
        now = utcnow()
        item = session.get(ReviewItem, item_id, with_for_update=True)
        result = _check_open(item, actor, expected_version, now)
        if result is None:
            assert item is not None
            result = decide(session, item, now)
        if isinstance(result, ActionOutcome):
            assert item is not None
            track_approval_state(session, item)
            return result
    raise refuse(database, actor, item_id, action, result, source)


def _decided(item: ReviewItem, actor: Actor, status: ItemStatus, now: datetime) -> None:
    ITEMS.move(item, status)
    item.decided_by_id = actor.user_id
    item.decided_at = now
    item.claimed_by_id = None
    item.lease_expires_at = None
    item.owner = actor.login
    item.version += 1


# --- the actions --------------------------------------------------------------------------


def approve(
    database: Database,
    actor: Actor,
    item_id: int,
    expected_version: int,
    text: str | None = None,
    undo_window: timedelta = timedelta(0),
    source: str = "desk",
    acknowledged: Acknowledgement | None = None,
) -> ActionOutcome:
    """Approve as drafted (``text`` None) or with the reviewer's edited text.

    The outbound effect (publish, queue, hand off) waits ``undo_window``; with no window it
    happens in this same transaction. What ``approval_rules`` refuses is refused, with its
    reason; high-risk flags need ``acknowledged``, which the audit entry records.
    """

    def decide(session: Session, item: ReviewItem, now: datetime) -> ActionOutcome | str:
        draft = current_draft(session, item.id)
        drafted = draft.client_text if draft else ""
        final = drafted if text is None else text.strip()
        problem = approval_problem(session, item, draft, final, acknowledged)
        if problem:
            return problem
        kind = edit_class(drafted, final)
        _record_approval(
            session, item, actor, final, kind, undo_window, now, source, _acknowledged_detail(acknowledged)
        )
        return ActionOutcome(item.id, ItemStatus(item.status), item.version, kind, item.release_at)

    return _act(database, actor, item_id, expected_version, "review_item.approve", source, decide)


def _record_approval(
    session: Session,
    item: ReviewItem,
    actor: Actor,
    final: str,
    kind: EditClass,
    undo_window: timedelta,
    now: datetime,
    source: str,
    detail: dict[str, object],
) -> None:
    """The one approval body: the decision, its audit entry, and the release when there is no
    undo window (otherwise ``release_due`` releases it once the window has passed)."""
    _decided(item, actor, ItemStatus.APPROVED if kind == EditClass.UNCHANGED else ItemStatus.EDITED, now)
    item.final_text = final
    item.edit_class = kind
    item.release_at = now + undo_window
    audit.record(
        session,
        actor=actor.login,
        source=source,
        action="review_item.approved",
        entity="review_item",
        entity_id=item.id,
        review_item_id=item.id,
        lead_id=item.lead_id,
        client_id=item.client_id,
        recovery="undo until it leaves the desk" if undo_window else "",
        detail={"edit_class": kind, "version": item.version, "undo_window_s": undo_window.total_seconds(), **detail},
    )
    if undo_window <= timedelta(0):
        release_item(session, item, actor.login, source, now)


def _acknowledged_detail(acknowledged: Acknowledgement | None) -> dict[str, object]:
    if acknowledged is None or not acknowledged.codes:
        return {}
    return {"acknowledged_flags": sorted(acknowledged.codes), "acknowledgement": acknowledged.note.strip()[:500]}


def store_regenerated(
    database: Database,
    actor: Actor,
    item_id: int,
    expected_version: int,
    result: DraftResult,
    instruction: str,
    source: str = "desk",
) -> ActionOutcome:
    """A draft the reviewer asked for ("shorter", "mention the Tuesday slot") becomes the
    item's newest version; the earlier ones are kept. Refused like any action when the item
    changed or is held elsewhere since the reviewer asked."""

    def decide(session: Session, item: ReviewItem, now: datetime) -> ActionOutcome | str:
        write_version(session, item, result, actor=actor.login, source=source, now=now, instruction=instruction)
        return ActionOutcome(item.id, ItemStatus(item.status), item.version)

    return _act(database, actor, item_id, expected_version, "draft.regenerate", source, decide)


def reject(
    database: Database,
    actor: Actor,
    item_id: int,
    expected_version: int,
    reason: str,
    note: str,
    source: str = "desk",
) -> ActionOutcome:
    """Reject with a reason from ``REJECT_REASONS`` and a note saying why (both required)."""

    def decide(session: Session, item: ReviewItem, now: datetime) -> ActionOutcome | str:
        if reason not in REJECT_REASONS:
            return "Choose a reason for rejecting."
        if not note.strip():
            return "Say in a few words why it is rejected: the note is required."
        _decided(item, actor, ItemStatus.REJECTED, now)
        item.reject_reason = reason
        item.reject_note = note.strip()[:1000]
        audit.record(
            session,
            actor=actor.login,
            source=source,
            action="review_item.rejected",
            entity="review_item",
            entity_id=item.id,
            review_item_id=item.id,
            lead_id=item.lead_id,
            client_id=item.client_id,
            recovery="undo from the desk",
            detail={"reason": reason, "note": item.reject_note[:300], "version": item.version},
        )
        return ActionOutcome(item.id, ItemStatus.REJECTED, item.version)

    return _act(database, actor, item_id, expected_version, "review_item.reject", source, decide)


def escalate(
    database: Database,
    actor: Actor,
    item_id: int,
    expected_version: int,
    note: str,
    source: str = "desk",
) -> ActionOutcome:
    """Hand the item to a supervisor with a note saying what to look at (shown to them): it
    leaves reviewers' hands until a supervisor decides."""

    def decide(session: Session, item: ReviewItem, now: datetime) -> ActionOutcome | str:
        if item.status == ItemStatus.ESCALATED:
            return "This item is already escalated."
        if not note.strip():
            return "Say what the supervisor should look at: the note is required to escalate."
        ITEMS.move(item, ItemStatus.ESCALATED)
        item.claimed_by_id = None
        item.lease_expires_at = None
        item.version += 1
        item.reject_note = note.strip()[:1000] or None
        audit.record(
            session,
            actor=actor.login,
            source=source,
            action="review_item.escalated",
            entity="review_item",
            entity_id=item.id,
            review_item_id=item.id,
            lead_id=item.lead_id,
            client_id=item.client_id,
            recovery="undo from the desk",
            detail={"note": note.strip()[:300], "version": item.version},
        )
        return ActionOutcome(item.id, ItemStatus.ESCALATED, item.version)

    return _act(database, actor, item_id, expected_version, "review_item.escalate", source, decide)


def undo(database: Database, actor: Actor, item_id: int, source: str = "desk") -> ActionOutcome:
    """Take back a decision while the item is still on the desk (its release has not run), or,
    for a CRM handoff, while its outbox row has not been sent (the row is cancelled).

    The item returns to the queue with the reviewer's text kept. Only the person who decided,
    or a supervisor, may undo.
    """
    message: str
    with database.write() as session:
        item = session.get(ReviewItem, item_id, with_for_update=True)
        unsent = _unsent_handoff(session, item)
        if item is None:
            message = "This item no longer exists."
        elif item.status not in DECIDED and unsent is None:
            message = (
                "Too late to undo: it has already left the desk."
                if item.status in (ItemStatus.PUBLISHED, ItemStatus.QUEUED, ItemStatus.PUSHED)
                else "There is no decision on this item to undo."
            )
        elif item.decided_by_id not in (None, actor.user_id) and not actor.can_supervise:
            message = "Only the reviewer who decided this item, or a supervisor, can undo it."
        else:
            previous = item.status
            if unsent is not None:
                HANDOFFS.move(unsent, HandoffStatus.CANCELLED)
                unsent.next_attempt_at = None
            ITEMS.move(item, ItemStatus.PENDING)
            item.decided_by_id = None
            item.decided_at = None
            item.release_at = None
            item.edit_class = None
            item.reject_reason = None
            item.version += 1
            track_approval_state(session, item)
            audit.record(
                session,
                actor=actor.login,
                source=source,
                action="review_item.undone",
                entity="review_item",
                entity_id=item.id,
                review_item_id=item.id,
                lead_id=item.lead_id,
                client_id=item.client_id,
                detail={"undid": previous, "version": item.version},
            )
            return ActionOutcome(item.id, ItemStatus.PENDING, item.version)
    raise refuse(database, actor, item_id, "review_item.undo", message, source)


def _unsent_handoff(session: Session, item: ReviewItem | None) -> CrmHandoff | None:
    """A released CRM handoff's outbox row that no sender has claimed yet (locked)."""
    if item is None or item.kind != ItemKind.CRM_HANDOFF or item.status != ItemStatus.QUEUED:
        return None
    return session.scalar(
        select(CrmHandoff)
        .where(CrmHandoff.review_item_id == item.id, CrmHandoff.status == HandoffStatus.PENDING)
        .with_for_update()
    )


def bulk_approve(
    database: Database,
    actor: Actor,
    items: list[tuple[int, int]],
    undo_window: timedelta = timedelta(0),
    source: str = "desk",
) -> BulkOutcome:
    """Approve several low-risk items as drafted, in one transaction.

    Never an item with a high-severity flag; items that fail a check are skipped with their
    reason rather than failing the rest.
    """
    result = BulkOutcome()
    with database.write() as session:
        now = utcnow()
        for item_id, version in items:
            item = session.get(ReviewItem, item_id, with_for_update=True)
            problem = _check_open(item, actor, version, now)
            if problem is None and item is not None and item.top_severity >= Severity.HIGH:
                problem = "It has a high-severity flag: review it on its own."
            draft = current_draft(session, item_id) if problem is None else None
            if problem is None and item is not None and draft is not None:
                problem = approval_problem(session, item, draft, draft.client_text, None)
            if problem is not None or item is None or draft is None:
                result.skipped[item_id] = problem or "It has no draft."
                continue
            _record_approval(
                session, item, actor, draft.client_text, EditClass.UNCHANGED, undo_window, now, source, {"bulk": True}
            )
            track_approval_state(session, item)
            result.approved.append(item_id)
        audit.record(
            session,
            actor=actor.login,
            source=source,
            action="review_item.bulk_approved",
            entity="review_item",
            entity_id=None,
            detail={"approved": result.approved, "skipped": {str(k): v for k, v in result.skipped.items()}},
        )
    return result
