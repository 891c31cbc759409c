"""HubSpot webhooks (Webhooks API v3): a JSON array of events, up to 100 to a request::

    [{"eventId": 3712956180, "subscriptionId": 2581934, "portalId": 44871236, "appId": 3125507,
      "occurredAt": 1764770400000, "subscriptionType": "deal.propertyChange", "attemptNumber": 0,
      "objectId": 19284751023, "changeSource": "CRM_UI", "propertyName": "dealstage",
      "propertyValue": "closedwon"}]

Each event is read. A ``deal.propertyChange`` of ``dealstage`` becomes ``crm.deal_stage``: the
deal (``objectId``), its new stage id, and the deal's ``closed_lost_reason`` when the same
delivery changes that too (HubSpot sends one event per property); the pipeline moves the
deal's lead (``app.pipeline.crm_stages``). Every other event — another property, another
subscription (a creation, a deletion, a contact) — is read and needs nothing: the desk only
follows a deal's stage. An element that is not a HubSpot event (no ``subscriptionType``,
``portalId`` or ``occurredAt``), or a stage change without its deal or stage, quarantines the
whole delivery, naming the element; nothing of it is applied.

Stage changes come out in the order they happened (``occurredAt``, milliseconds), whatever the
array's order. The key is the portal, the deal, the moment and the stage id: a resent event
(``attemptNumber`` 1, 2...) carries the same, and HubSpot does not promise its ``eventId`` is
unique. ``account_ref`` is the portal, the HubSpot account: a client's CRM account mapped to
it (``integration_accounts.external_account_id``) narrows the deal's lead to that client. The
``X-HubSpot-Signature-v3`` header is checked by the intake, not here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.pipeline import fields as f
from app.pipeline.model import NormalizedEvent, Quarantined, RawDelivery
from app.pipeline.payload import parse_json
from db.vocab import EventType

PROVIDER = "hubspot"
PROPERTY_CHANGE = "deal.propertyChange"
STAGE, LOST_REASON = "dealstage", "closed_lost_reason"
MAX_LOST_REASON = 200  # HubSpot's text field is free; the desk keeps its start


@dataclass(frozen=True)
class _Event:
    subscription: str
    portal: str
    occurred_ms: str
    occurred_at: datetime
    deal: str  # "" unless a deal property change
    property: str
    value: str
    change_source: str

    def changes(self, name: str) -> bool:
        return self.subscription == PROPERTY_CHANGE and self.property == name


def normalize(delivery: RawDelivery, max_body_bytes: int) -> list[NormalizedEvent]:
    value = parse_json(delivery, max_body_bytes)
    if not isinstance(value, list):
        raise Quarantined(f"expected a JSON array of HubSpot events, got {type(value).__name__}")
    if not value:
        raise Quarantined("an empty JSON array: no HubSpot events in it")
    events = sorted((_read(n, item) for n, item in enumerate(value, 1)), key=lambda e: e.occurred_at)
    lost = {(e.portal, e.deal): e.value for e in events if e.changes(LOST_REASON)}  # the newest wins
    return [_stage_change(e, lost.get((e.portal, e.deal))) for e in events if e.changes(STAGE)]


def _read(n: int, item: Any) -> _Event:
    if not isinstance(item, dict):
        raise Quarantined(f"event {n} of the array is a {type(item).__name__}, not a HubSpot event")
    try:
        subscription = f.text(item, "subscriptionType", required=True, max_chars=100)
        portal = _whole_number(item, "portalId")
        occurred_at = f.timestamp(item, "occurredAt")
        assert occurred_at is not None
        deal_change = subscription == PROPERTY_CHANGE
        name = f.text(item, "propertyName", required=True, max_chars=200) if deal_change else ""
        value = ""
        if name == STAGE:
            value = f.text(item, "propertyValue", required=True, max_chars=100)
        elif name == LOST_REASON:
            value = f.text(item, "propertyValue")[:MAX_LOST_REASON]
        return _Event(
            subscription=subscription,
            portal=portal,
            occurred_ms=f.text(item, "occurredAt"),
            occurred_at=occurred_at,
            deal=_whole_number(item, "objectId") if deal_change else "",
            property=name,
            value=value,
            change_source=f.text(item, "changeSource", max_chars=64),
        )
    except Quarantined as exc:
        raise Quarantined(f"event {n} of the array: {exc.reason}") from None


def _whole_number(item: dict[str, Any], key: str) -> str:
    value = f.text(item, key, required=True, max_chars=30)
    if not (value.isascii() and value.isdigit()):
        raise Quarantined(f"field {key!r} must be a HubSpot id (a whole number)")
    return value


def _stage_change(event: _Event, lost_reason: str | None) -> NormalizedEvent:
    return NormalizedEvent(
        type=EventType.CRM_DEAL_STAGE,
        provider=PROVIDER,
        idempotency_key=f.idempotency_key(
            PROVIDER, "deal_stage", f"{event.portal}:{event.deal}:{event.occurred_ms}:{event.value}", None
        ),
        occurred_at=event.occurred_at,
        source="crm",
        account_ref=event.portal,
        data={
            "deal": event.deal,
            "crm_stage": event.value,
            "portal": event.portal,
            "change_source": event.change_source,
            "closed_lost_reason": lost_reason or None,
        },
    )
