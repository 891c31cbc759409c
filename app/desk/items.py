"""The open item: reading it, holding it, and every decision on it, each returning ``Changes``
with what to tell the reviewer."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from app.ai.request import LoadedRequest, load_request
from app.desk.changes import Changes, Notice
from app.identity import Actor
from app.pipeline.drafting import DraftResult
from app.services import assignment
from app.services.approval_rules import Acknowledgement
from app.services.claims import claim, release_claim, renew
from app.services.errors import ActionRefused
from app.services.review import (
    ActionOutcome,
    approve,
    bulk_approve,
    escalate,
    reject,
    store_regenerated,
    undo,
)
from app.unsaved import UnsavedEdits
from db.engine import Database
from db.queries.detail import ItemDetail, load_item_detail
from db.queries.tasks import active_users, user_id_of
from db.queries.timeline import TimelineEntry, lead_timeline
from db.types import utcnow
from db.vocab import OPEN_ITEM_STATUSES, ItemStatus

LEFT_THE_DESK = {
    ItemStatus.PUBLISHED: "published for the client",
    ItemStatus.QUEUED: "sent on its way",
    ItemStatus.PUSHED: "pushed to the CRM",
}


def load(database: Database, item_id: int) -> ItemDetail | None:
    with database.read() as session:
        return load_item_detail(session, item_id)


@dataclass(frozen=True)
class Opened:
    claimed: bool
    refusal: str  # why it could not be held ("" when it is, or when it is only there to read)
    detail: ItemDetail | None


def open_item(
    database: Database, actor: Actor, item_id: int, lease: timedelta, read_ahead: ItemDetail | None = None
) -> Opened:
    """Read the item and hold it. An item no longer open (decided, or gone from the desk) is
    only read: looking at it writes nothing. A read-ahead copy of an open item saves the read
    when the claim shows it has not changed since; otherwise the copy read just before the
    claim is kept, with the claim's state."""
    detail = read_ahead if read_ahead is not None and read_ahead.status in OPEN_ITEM_STATUSES else None
    detail = detail or load(database, item_id)
    if detail is None:
        return Opened(False, "This item no longer exists.", None)
    if detail.status not in OPEN_ITEM_STATUSES:
        return Opened(False, "", detail)
    try:
        held = claim(database, actor, item_id, lease)
    except ActionRefused as refused:
        return Opened(False, str(refused), load(database, item_id))
    if held.version != detail.version:
        return Opened(True, "", load(database, item_id))
    if detail is read_ahead:  # already on screen: the same copy, so it is not shown again
        return Opened(True, "", read_ahead)
    return Opened(True, "", replace(detail, status=held.status, holder=actor.login, lease_expires_at=held.expires_at))


def read_only_reason(detail: ItemDetail, viewer: str, now: datetime | None = None) -> str | None:
    """Why the viewer can only read this item, in the words the pane shows; None when it is
    theirs to act on (once their desk holds it)."""
    if detail.status == ItemStatus.DRAFTING:
        return "Waiting for its draft — read only"
    if detail.status not in OPEN_ITEM_STATUSES:
        return "Decided — read only"
    lease_live = detail.lease_expires_at is not None and detail.lease_expires_at > (now or utcnow())
    if detail.holder and detail.holder != viewer and lease_live:
        return f"Open at {detail.holder}'s desk — read only"
    return None


def keep_holding(database: Database, actor: Actor, item_id: int, lease: timedelta) -> bool:
    """Renew the claim; False when it was lost meanwhile."""
    return renew(database, actor, item_id, lease) is not None


def let_go(database: Database, actor: Actor, item_id: int) -> None:
    release_claim(database, actor, item_id)


def timeline(database: Database, lead_id: int) -> list[TimelineEntry]:
    with database.read() as session:
        return lead_timeline(session, lead_id)


def draft_request(database: Database, item_id: int) -> LoadedRequest:
    """What the AI is asked for a new draft of the item (read off the GUI thread)."""
    with database.read() as session:
        return load_request(session, item_id)


def _approved_notice(outcome: ActionOutcome, lead: str, now: datetime) -> Notice:
    left = LEFT_THE_DESK.get(outcome.status)
    if left:
        return Notice(f"Approved {lead}: {left}.", "info", lead)
    if outcome.status == ItemStatus.FAILED:
        return Notice(f"Approved {lead}, but it could not leave the desk: see the item in Decided.", "warning", lead)
    if outcome.release_at is not None and outcome.release_at > now:
        return Notice(f"Approved {lead}", "info", lead)  # the desk counts the undo window down
    return Notice(f"Approved {lead}: it leaves when its hold ends.", "info", lead)


def approve_item(
    database: Database,
    actor: Actor,
    detail: ItemDetail,
    text: str | None,
    undo_window: timedelta,
    acknowledged: Acknowledgement | None = None,
) -> Changes:
    outcome = approve(database, actor, detail.id, detail.version, text, undo_window, acknowledged=acknowledged)
    return Changes(
        left=(detail.id,),
        counts=True,
        release_at=outcome.release_at,
        notices=(_approved_notice(outcome, detail.lead_label, utcnow()),),
    )


def reject_item(database: Database, actor: Actor, detail: ItemDetail, reason: str, note: str) -> Changes:
    reject(database, actor, detail.id, detail.version, reason, note)
    return Changes(
        left=(detail.id,), counts=True, notices=(Notice(f"Rejected {detail.lead_label}.", "info", detail.lead_label),)
    )


def escalate_item(database: Database, actor: Actor, detail: ItemDetail, note: str) -> Changes:
    escalate(database, actor, detail.id, detail.version, note)
    return Changes(
        left=(detail.id,),
        counts=True,
        notices=(Notice(f"Escalated {detail.lead_label} to a supervisor.", "info", detail.lead_label),),
    )


def undo_decision(database: Database, actor: Actor, item_id: int, lead: str) -> Changes:
    undo(database, actor, item_id)
    return Changes(
        returned=(item_id,), counts=True, notices=(Notice(f"Undone: {lead} is back in the queue.", "info", lead),)
    )


def approve_many(
    database: Database, actor: Actor, items: list[tuple[int, int]], names: dict[int, str], undo_window: timedelta
) -> tuple[list[int], Changes]:
    """Bulk approval of low-risk items; returns the approved ids and the changes, naming the
    leads left out and why (never an id the queue does not show)."""
    result = bulk_approve(database, actor, items, undo_window)
    message = f"Approved {len(result.approved)} item(s)."
    if result.skipped:
        message += f" Skipped {len(result.skipped)}: " + "; ".join(
            f"{names.get(i, 'an item')}: {why}" for i, why in result.skipped.items()
        )
    notice = Notice(message, "warning" if result.skipped else "info")
    return result.approved, Changes(left=tuple(result.approved), counts=True, notices=(notice,))


def store_new_draft(
    database: Database, actor: Actor, detail: ItemDetail, result: DraftResult, instruction: str, unsaved: UnsavedEdits
) -> Changes:
    """The reviewer's requested draft becomes the newest version; the text it was made from
    (kept on this computer) is no longer needed."""
    store_regenerated(database, actor, detail.id, detail.version, result, instruction)
    unsaved.discard(detail.id)
    return Changes(updated=(detail.id,))


def assign_items(database: Database, actor: Actor, item_ids: list[int], to_login: str) -> Changes:
    """Give the selected items to ``to_login`` ("": back to the shared queue); supervisors
    only (``app.services.assignment.assign_items``). "Mine" is where they show."""
    with database.read() as session:
        # No user has id 0: an unknown login is refused by the service, after its role check.
        user_id = (user_id_of(session, to_login) or 0) if to_login else None
        name = dict(active_users(session)).get(to_login, to_login)
    moved = assignment.assign_items(database, actor, item_ids, user_id)
    whom = name if to_login else "the shared queue"
    plural = "s" if moved != 1 else ""
    said = f"Assigned {moved} item{plural} to {whom}." if moved else f"Nothing changed: already with {whom}."
    return Changes(queue=True, counts=True, notices=(Notice(said),))
