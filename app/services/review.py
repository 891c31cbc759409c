"""Reviewer actions on review items."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit
from app.identity import Actor
from app.pipeline.flag_rules import find_pii
from app.services.errors import ActionRefused
from db.engine import Database
from db.models import Draft, PortalNote, ReviewItem
from db.types import utcnow
from db.vocab import OPEN_ITEM_STATUSES, EditClass, ItemKind, ItemStatus

LIGHT_EDIT_RATIO = 0.8


@dataclass(frozen=True)
class ActionOutcome:
    item_id: int
    status: ItemStatus
    version: int
    edit_class: EditClass | None = None


def edit_class(draft_text: str, final_text: str) -> EditClass:
    """Unchanged, a light edit (mostly the same words) or a rewrite."""
    a, b = " ".join(draft_text.split()), " ".join(final_text.split())
    if a == b:
        return EditClass.UNCHANGED
    ratio = difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
    return EditClass.LIGHT_EDIT if ratio >= LIGHT_EDIT_RATIO else EditClass.REWRITE


def current_draft(session: Session, item_id: int) -> Draft | None:
    return session.scalar(
        select(Draft).where(Draft.review_item_id == item_id).order_by(Draft.version_no.desc()).limit(1)
    )


def _refuse(
    database: Database, actor: Actor, item_id: int, action: str, message: str, source: str
) -> ActionRefused:
    """Audit the refusal in its own committed transaction, then hand back the error to raise."""
    with database.write() as session:
        audit.record(
            session, actor=actor.login, source=source, action=action, outcome="refused",
            entity="review_item", entity_id=item_id,
            review_item_id=item_id if session.get(ReviewItem, item_id) else None,
            detail={"reason": message},
        )
    return ActionRefused(message)


def _check_actionable(item: ReviewItem | None, actor: Actor, expected_version: int, now: datetime) -> str | None:
    if item is None:
        return "This item no longer exists."
    if item.version != expected_version:
        return (
            "This item changed since you opened it (someone else acted on it or the draft was "
            "replaced). It has been reloaded; check it and act again."
        )
    if item.status not in OPEN_ITEM_STATUSES:
        return f"This item is already {item.status.replace('_', ' ')}."
    lease_live = item.lease_expires_at is not None and item.lease_expires_at > now
    if item.claimed_by_id not in (None, actor.user_id) and lease_live:
        return "Another reviewer holds this item right now."
    return None


def approve(
    database: Database,
    actor: Actor,
    item_id: int,
    expected_version: int,
    text: str | None = None,
    source: str = "desk",
) -> ActionOutcome:
    """Approve an item as drafted, or with the reviewer's edited ``text``.

    A portal note is published in the same transaction, with client-safe text only: the
    approval is refused while the text still holds a phone number or email address.
    """
    refusal: str | None = None
    with database.write() as session:
        now = utcnow()
        item = session.get(ReviewItem, item_id, with_for_update=True)
        refusal = _check_actionable(item, actor, expected_version, now)
        if refusal is None:
            assert item is not None
            draft = current_draft(session, item_id)
            drafted = draft.client_text if draft else ""
            final = drafted if text is None else text.strip()
            if not final:
                refusal = "The client-safe text is empty; write the note or reject the item."
            elif pii := [f for f in find_pii(final, "final_text") if f.code != "pii_address"]:
                refusal = (
                    "The client-safe text still contains "
                    + ", ".join(sorted({f.reason.split(' in ')[0] for f in pii}))
                    + "; remove it before approving."
                )
            else:
                return _apply_approval(session, item, actor, drafted, final, now, source)
    assert refusal is not None
    raise _refuse(database, actor, item_id, "review_item.approve", refusal, source)


def _apply_approval(
    session: Session, item: ReviewItem, actor: Actor, drafted: str, final: str,
    now: datetime, source: str,
) -> ActionOutcome:
    kind = edit_class(drafted, final)
    item.final_text = final
    item.edit_class = kind
    item.decided_by_id = actor.user_id
    item.decided_at = now
    item.claimed_by_id = None
    item.lease_expires_at = None
    item.owner = actor.login
    item.version += 1
    item.status = ItemStatus.APPROVED if kind == EditClass.UNCHANGED else ItemStatus.EDITED
    audit.record(
        session, actor=actor.login, source=source, action="review_item.approved",
        entity="review_item", entity_id=item.id, review_item_id=item.id, lead_id=item.lead_id,
        client_id=item.client_id, detail={"edit_class": kind, "version": item.version},
    )
    if item.kind == ItemKind.PORTAL_NOTE:
        note = PortalNote(
            client_id=item.client_id, lead_id=item.lead_id, review_item_id=item.id,
            title="Lead update", body=final, published_at=now, owner=actor.login,
            source="review_desk", status="published",
            recovery="unpublish from the desk; the approval stays in the audit log",
        )
        session.add(note)
        session.flush()
        item.status = ItemStatus.PUBLISHED
        audit.record(
            session, actor=actor.login, source=source, action="portal_note.published",
            entity="portal_note", entity_id=note.id, review_item_id=item.id,
            lead_id=item.lead_id, client_id=item.client_id,
        )
    return ActionOutcome(item.id, ItemStatus(item.status), item.version, kind)
