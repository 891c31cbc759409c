"""The guides' bad-experience pause: a customer's low rating, or a complaint on the lead, stops
its review request, with the reason on the request, on the lead's timeline and, once drafted,
on its review item.

A rating is low at 3 of 5 or below (any scale, proportionally: 6 of 10). Customer-satisfaction
surveys count only 4 and 5 as satisfied; a 3 is a customer the job did not please, and the
guides ask that a person follows up before anyone asks them for a public review. The rating is
kept either way (``lead_ratings``, audited ``lead.rated``).

Where the request stands decides what the pause does:

* waiting (not drafted yet): paused, the sweep drafts nothing (it also reads the reasons when
  the request comes due, so a rating or complaint recorded any other way still counts);
* drafted, its item still at the desk (drafting, in the queue, or approved and waiting for its
  undo window or quiet hours to end): the item gets a high ``bad_experience`` flag with the
  reason as its evidence and a new version (a prepared approval is stale), approval refuses it
  (``app.services.approval_rules``), and so does the release of an approval made before;
  the request is paused;
* its message already left the desk, or the item was rejected: nothing is left to stop, the
  request stays as it is (the rating and its audit entry still say what happened).

The pipeline (a rating texted back, a complaint in a later delivery) and the desk (a rating a
person enters) both come through here, in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from app import audit
from app.pipeline.flag_rows import flag_row
from app.pipeline.planner import PlannedEvent, PlannedItem
from db.models import LeadRating, ReviewItem, ReviewRequest, RiskFlag
from db.queries.cadence import Rating, complaints, low_ratings, rated_after_won
from db.vocab import FlagCode, ItemStatus, Severity, Workflow

ACTION = "lead.review_request"  # the request's audit entries; the outcome says drafted, paused or skipped
RATED = "lead.rated"
LOW_RATING, OF = 3, 5  # at most 3 of 5 pauses the request
# A drafted request's item in these states has not left the desk: the pause can still stop it.
AT_THE_DESK = (
    ItemStatus.DRAFTING,
    ItemStatus.PENDING,
    ItemStatus.IN_REVIEW,
    ItemStatus.ESCALATED,
    ItemStatus.APPROVED,
    ItemStatus.EDITED,
)
FLAGS: Table = RiskFlag.__table__  # type: ignore[assignment]
RATINGS: Table = LeadRating.__table__  # type: ignore[assignment]
BY_WHAT = {"twilio": "by text", "desk": "in the desk"}


class RequestStatus(StrEnum):
    """A won lead's review request (``review_requests.status``)."""

    WAITING = "waiting"
    DRAFTED = "drafted"
    PAUSED = "paused"  # a complaint or a low rating on the lead
    SKIPPED = "skipped"  # no message may go to the lead


def is_low(rating: int, scale: int) -> bool:
    return rating * OF <= LOW_RATING * scale


def rating_reason(rating: Rating) -> str:
    """ "rated 2/5 by text on 3 Dec"."""
    how = BY_WHAT.get(rating.source, f"through {rating.source}")
    who = f" (entered by {rating.recorded_by})" if rating.source == "desk" else ""
    return f"rated {rating.rating}/{rating.scale} {how}{who} on {rating.received_at.day} {rating.received_at:%b %Y}"


def complaint_reason(item_id: int, evidence: str) -> str:
    return f"a complaint on this lead pauses it: item #{item_id} was flagged for “{evidence[:120]}”"


def pause_reasons(session: Session, lead_ids: Sequence[int], besides: int | None = None) -> dict[int, str]:
    """Why each of these leads may get no review request now: its newest low rating, else its
    newest complaint (on an item other than ``besides``, the request's own)."""
    reasons = {lead: complaint_reason(*found) for lead, found in complaints(session, lead_ids, besides).items()}
    reasons.update({lead: rating_reason(r) for lead, r in low_ratings(session, lead_ids, LOW_RATING, OF).items()})
    return reasons


def record_rating(
    session: Session,
    *,
    lead_id: int,
    client_id: int,
    rating: int,
    scale: int,
    source: str,
    evidence: str,
    by: str,
    received_at: datetime,
    now: datetime,
    audit_source: str,
) -> str | None:
    """Keep the rating (audited on the lead's timeline) and pause the lead's review request when
    it is low. Returns the pause's reason, or None when nothing was paused."""
    session.execute(
        insert(RATINGS).values(
            lead_id=lead_id,
            client_id=client_id,
            rating=rating,
            scale=scale,
            source=source[:64],
            evidence=evidence[:500],
            recorded_by=by[:120],
            received_at=received_at,
            created_at=now,
        )
    )
    low = is_low(rating, scale)
    audit.record(
        session,
        actor=by,
        source=audit_source,
        action=RATED,
        entity="lead",
        entity_id=lead_id,
        lead_id=lead_id,
        client_id=client_id,
        recovery="a person follows up with the customer" if low else "",
        detail={"rating": rating, "scale": scale, "from": source, "low": low},
    )
    if not low:
        return None
    reason = rating_reason(Rating(rating, scale, source, by, received_at))
    return reason if pause_review_request(session, lead_id, reason, now, by, audit_source) else None


def pause_review_request(session: Session, lead_id: int, reason: str, now: datetime, actor: str, source: str) -> bool:
    """Pause the lead's review request, if it has one still to stop (see the module docstring);
    True if it did."""
    request = session.scalar(select(ReviewRequest).where(ReviewRequest.lead_id == lead_id).with_for_update())
    if request is None or request.status not in (RequestStatus.WAITING, RequestStatus.DRAFTED):
        return False
    if request.status == RequestStatus.DRAFTED:
        item = session.get(ReviewItem, request.review_item_id, with_for_update=True) if request.review_item_id else None
        if item is None or item.status not in AT_THE_DESK:
            return False
        _flag(session, item, reason, actor, now)
    close_request(session, request, RequestStatus.PAUSED, reason, now, actor, source)
    return True


def _flag(session: Session, item: ReviewItem, reason: str, actor: str, now: datetime) -> None:
    """The blocking flag on the request's item, and a new version: an approval prepared before
    it is refused as stale."""
    session.execute(
        insert(FLAGS),
        [
            flag_row(
                item.id,
                None,
                FlagCode.BAD_EXPERIENCE,
                int(Severity.HIGH),
                "bad-experience pause: no review request to this customer for now",
                reason,
                None,
                None,
                "rule",
                actor,
                now,
            )
        ],
    )
    codes = [FlagCode.BAD_EXPERIENCE, *filter(None, (item.flag_codes or "").split(","))]
    item.flag_codes = ",".join(dict.fromkeys(codes))[:255]
    item.top_severity = max(item.top_severity or 0, int(Severity.HIGH))
    item.version += 1
    item.updated_at = now


def close_request(
    session: Session,
    request: ReviewRequest,
    status: RequestStatus,
    reason: str,
    now: datetime,
    actor: str,
    source: str,
) -> None:
    """Pause or skip the request, with the reason on it and on the lead's timeline."""
    request.status, request.reason, request.updated_at = status, reason[:255], now
    audit.record(
        session,
        actor=actor,
        source=source,
        action=ACTION,
        outcome=str(status),
        entity="review_request",
        entity_id=request.id,
        review_item_id=request.review_item_id,
        lead_id=request.lead_id,
        client_id=request.client_id,
        recovery="none needed: the lead gets no review request"
        if status == RequestStatus.SKIPPED
        else "a person follows up with the customer; the request stays paused",
        detail={"reason": reason[:255]},
    )


def apply_batch(
    session: Session,
    ratings: Sequence[PlannedEvent],
    items: Sequence[PlannedItem],
    actor: str,
    source: str,
    now: datetime,
) -> None:
    """The pipeline's part, as a batch is written: the ratings texted back by customers who may
    be answering one (won, or with a review request; from anyone else the digit is an ordinary
    answer, audited as not taken), and the complaints flagged on the batch's new items."""
    lead_ids = [e.lead.id for e in ratings if e.lead is not None and e.lead.id is not None]
    answering = rated_after_won(session, lead_ids) if lead_ids else set()
    for planned in ratings:
        event = planned.normalized
        lead_id = planned.lead.id if planned.lead is not None else None
        if lead_id is None:
            continue
        if lead_id not in answering:
            audit.record(
                session,
                actor=actor,
                source=source,
                action=RATED,
                outcome="not_taken",
                entity="lead",
                entity_id=lead_id,
                lead_id=lead_id,
                client_id=planned.client_id,
                detail={"reason": "the lead is not won and was asked for no review: read as an ordinary answer"},
            )
            continue
        record_rating(
            session,
            lead_id=lead_id,
            client_id=planned.client_id,
            rating=int(event.data["rating"]),
            scale=int(event.data["scale"]),
            source=event.provider,
            evidence=event.free_text,
            by=actor,
            received_at=event.occurred_at,
            now=now,
            audit_source=source,
        )
    for item in items:
        if item.workflow == Workflow.REVIEW_REQUEST or item.lead is None or item.lead.id is None or item.id is None:
            continue
        complaint = next((f for f in item.findings if f.code == FlagCode.COMPLAINT), None)
        if complaint is not None:
            pause_review_request(
                session, item.lead.id, complaint_reason(item.id, complaint.evidence), now, actor, source
            )
