"""What a CRM handoff will send, shown before it is approved: the fields, the contacts the
CRM already has with the lead's email or phone (a duplicate check), and, when the deal was
pushed before, what would change in it. Read-only: nothing is written anywhere."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from app.crm.adapters import Adapter, Outgoing
from app.crm.hubspot import HubSpot, LookupFailed
from app.services.outbound import handoff_payload
from app.services.review import current_draft
from db.models import ReviewItem


@dataclass(frozen=True)
class HandoffPreview:
    destination: str
    fields: list[tuple[str, str]]
    duplicates: list[str] = field(default_factory=list)
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # field, in the CRM now, after
    remark: str = ""  # "new deal", "unchanged", or why the CRM could not be asked

    def as_text(self) -> str:
        lines = [f"Goes to: {self.destination}", ""]
        lines += [f"{name}: {value}" for name, value in self.fields]
        if self.duplicates:
            lines += ["", "Already in the CRM with this email or phone:"] + [f"  {d}" for d in self.duplicates]
        if self.changes:
            lines += ["", "Would change in the CRM:"] + [f"  {f}: {old!r} → {new!r}" for f, old, new in self.changes]
        if self.remark:
            lines += ["", self.remark]
        return "\n".join(lines)


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
    """The preview (CRM side; may make read requests to the CRM)."""
    contact, deal = outgoing.payload.get("contact") or {}, outgoing.payload.get("deal") or {}
    fields = [("Contact", str(contact.get("name") or "")), ("Email", str(contact.get("email") or "—")),
              ("Phone", str(contact.get("phone") or "—")), ("Deal", str(deal.get("name") or ""))]
    if not isinstance(adapter, HubSpot):
        where = {"outbox": "the local outbox folder", "webhook": "the signed webhook"}.get(
            getattr(adapter, "name", ""), "nowhere yet (no CRM is set up)")
        return HandoffPreview(where, fields + [("Note", str(outgoing.payload.get("note") or ""))],
                              remark="The receiving system checks for duplicates.")
    planned = adapter.planned_deal(outgoing)
    fields += [("Pipeline / stage", f"{planned['pipeline']} / {planned['dealstage']}"),
               ("Owner", planned.get("hubspot_owner_id", "unassigned")), ("Note", planned["description"])]
    try:
        duplicates, existing = adapter.lookup(outgoing)
    except LookupFailed as exc:
        return HandoffPreview("HubSpot", fields, remark=f"Could not ask HubSpot: {exc}")
    if existing is None:
        return HandoffPreview("HubSpot", fields, duplicates, remark="A new deal.")
    changes = [(name, existing.get(name, ""), value) for name, value in planned.items()
               if existing.get(name, "") != value]
    return HandoffPreview("HubSpot", fields, duplicates, changes, "" if changes else "The deal in HubSpot is the same.")
