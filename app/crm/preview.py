"""What a CRM handoff will send, shown before it is approved: the fields, and where the
adapter can look (HubSpot), the contacts the CRM already has with the lead's email or phone (a
duplicate check) and, when the deal was pushed before, what would change in it. Each adapter
previews for itself (``Adapter.preview``); per-client routing asks the client's adapter.
Read-only: nothing is written anywhere."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.crm.adapters import RECEIVER_CHECKS, Adapter, HandoffPreview, Outgoing, lead_fields, note_field
from app.services.outbound import handoff_payload
from db.models import ReviewItem
from db.queries.drafts import current_draft


def read_outgoing(session: Session, item_id: int) -> Outgoing | None:
    """The handoff this item would become, with the current draft as its note (database side)."""
    item = session.get(ReviewItem, item_id)
    if item is None:
        return None
    payload = handoff_payload(session, item)
    draft = current_draft(session, item_id)
    payload["note"] = item.final_text or (draft.client_text if draft else "")
    return Outgoing(0, f"review_item:{item.id}", payload)


def preview(outgoing: Outgoing, adapter: Adapter | None) -> HandoffPreview:
    """The preview (CRM side; the adapter may make read requests to the CRM)."""
    if adapter is None:
        return HandoffPreview(
            "nowhere yet (no CRM is set up)", [*lead_fields(outgoing), note_field(outgoing)], remark=RECEIVER_CHECKS
        )
    return adapter.preview(outgoing)
