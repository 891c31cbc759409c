"""A review item's draft request, rebuilt from the database for the AI.

The pipeline does not keep a second copy of what a lead wrote: the raw delivery in
``webhook_events`` is normalized again (normalizers are deterministic) and the event with the
item's idempotency key is taken. Grounding is read fresh: the template the first draft used,
and the approved snippets for the client and service as they are now.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.pipeline import routing
from app.pipeline.drafting import DraftRequest, Snippet, Template, catalog_service
from app.pipeline.model import Quarantined, RawDelivery
from app.pipeline.normalizers import normalize
from db.models import (
    ApprovedSnippet,
    Client,
    ClientService,
    Draft,
    Event,
    MessageTemplate,
    ReviewItem,
    WebhookEvent,
)
from db.vocab import ItemKind

MAX_SNIPPETS = 12  # a prompt is not a knowledge base: the most specific ones first


@dataclass(frozen=True)
class LoadedRequest:
    request: DraftRequest
    item_version: int
    draft_id: int | None
    draft_version: int


class RequestUnavailable(Exception):
    """The item's source cannot be read again (its delivery is gone or no longer parses)."""


def load_request(session: Session, item_id: int, max_body_bytes: int = 16 * 1024 * 1024) -> LoadedRequest:
    item = session.get(ReviewItem, item_id)
    if item is None:
        raise RequestUnavailable("the item no longer exists")
    draft = session.scalar(
        select(Draft).where(Draft.review_item_id == item_id).order_by(Draft.version_no.desc()).limit(1)
    )
    event_row = session.get(Event, item.event_id) if item.event_id is not None else None
    if event_row is None or event_row.webhook_event_id is None:
        raise RequestUnavailable("the item has no source event to draft from")
    raw = session.get(WebhookEvent, event_row.webhook_event_id)
    if raw is None:
        raise RequestUnavailable("the item's delivery is gone")
    delivery = RawDelivery.of(raw)
    try:
        events = normalize(delivery, max_body_bytes)
    except Quarantined as exc:
        raise RequestUnavailable(f"the delivery no longer parses: {exc.reason}") from None
    event = next((e for e in events if e.idempotency_key == event_row.idempotency_key), None)
    if event is None:
        raise RequestUnavailable("the delivery no longer yields this event")
    client = session.get(Client, item.client_id)
    services = tuple(
        session.scalars(
            select(ClientService.name).where(
                ClientService.client_id == item.client_id, ClientService.status == "active"
            )
        )
    )
    earlier = (
        item.lead_id is not None
        and session.scalar(select(Event.id).where(Event.lead_id == item.lead_id, Event.id < event_row.id).limit(1))
        is not None
    )
    request = DraftRequest(
        event=event,
        kind=ItemKind(item.kind),
        client_name=client.name if client else "",
        services=services,
        returning_lead=earlier,
        client_timezone=client.timezone if client else "UTC",
        urgency=routing.urgency(event)[0],
        template=_template(session, draft),
        snippets=snippets_for(session, item.client_id, catalog_service(event.service, services) or ""),
    )
    return LoadedRequest(request, item.version, draft.id if draft else None, draft.version_no if draft else 0)


def _template(session: Session, draft: Draft | None) -> Template | None:
    template_id = (draft.grounding or {}).get("template_id") if draft else None
    if not isinstance(template_id, int):
        return None
    row = session.get(MessageTemplate, template_id)
    return Template(row.id, row.channel, row.body, row.opt_out_text) if row else None


def snippets_for(session: Session, client_id: int, service: str) -> tuple[Snippet, ...]:
    """Active snippets for this client (or every client), for this service (or any)."""
    rows = session.scalars(
        select(ApprovedSnippet).where(
            ApprovedSnippet.active.is_(True),
            or_(ApprovedSnippet.client_id == client_id, ApprovedSnippet.client_id.is_(None)),
            or_(ApprovedSnippet.service == "", ApprovedSnippet.service == service),
        )
    ).all()
    # Most specific first: this client and service, this client, every client.
    ranked = sorted(rows, key=lambda s: (s.client_id is None, s.service == "", s.id))
    return tuple(Snippet(s.id, s.title, s.body) for s in ranked[:MAX_SNIPPETS])
