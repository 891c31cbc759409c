"""Report proofs: the metric snapshots a report note used, and marking them reviewed proof once
the note is published (the reviewer approved the figures it shows, so they are client-safe)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from app import audit
from db.models import MetricSnapshot, ReportProof, ReviewItem

REVIEWED = "reviewed"


def record_proofs(session: Session, review_item_id: int, snapshot_ids: Iterable[int]) -> None:
    """Name the snapshots the report note ``review_item_id`` was built from."""
    rows = [{"review_item_id": review_item_id, "snapshot_id": s} for s in dict.fromkeys(snapshot_ids)]
    if rows:
        session.execute(insert(ReportProof), rows)


def mark_reviewed(session: Session, item: ReviewItem, actor: str, source: str) -> list[int]:
    """Mark the snapshots the published note used as reviewed proof, owned by whoever approved
    the note (``item.owner``), audited; inside the publishing transaction. Returns their ids."""
    ids = list(
        session.scalars(
            select(ReportProof.snapshot_id)
            .where(ReportProof.review_item_id == item.id)
            .order_by(ReportProof.snapshot_id)
        )
    )
    if not ids:
        return ids
    session.execute(
        update(MetricSnapshot)
        .where(MetricSnapshot.id.in_(ids))
        .values(status=REVIEWED, owner=item.owner, recovery=f"reviewed proof of report note #{item.id}")
        .execution_options(synchronize_session=False)
    )
    audit.record(
        session,
        actor=actor,
        source=source,
        action="metric_snapshot.reviewed",
        entity="review_item",
        entity_id=item.id,
        review_item_id=item.id,
        client_id=item.client_id,
        recovery="the snapshots stay; a corrected note is a new report note",
        detail={"snapshot_ids": ids, "approved_by": item.owner},
    )
    return ids
