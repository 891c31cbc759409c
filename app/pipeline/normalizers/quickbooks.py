"""QuickBooks Online change notifications (Intuit webhooks), in both of Intuit's formats.

The data-change format (an object)::

    {"eventNotifications": [{"realmId": "9130357812345671", "dataChangeEvent": {"entities": [
        {"name": "Invoice", "id": "1043", "operation": "Create",
         "lastUpdated": "2026-11-20T14:02:11.000Z"}]}}]}

The CloudEvents format Intuit moved every app to in 2026 (a top-level array)::

    [{"specversion": "1.0", "id": "<event uuid>", "type": "qbo.invoice.created.v1",
      "time": "2026-11-20T14:02:11.179Z", "intuitaccountid": "9130357812345671",
      "intuitentityid": "1043", "data": {}}]

Both say which records changed, never what they hold: the sync reads the records back from
the Accounting API. The ``intuit-signature`` header is checked by the intake, not here.

One ``provider.enriched`` event per company (realm) per delivery, listing every entity change
for it once: that is how Intuit batches changes, and a realm is the account the desk maps to a
client (``account_ref``). ``synced_at`` is the newest change. The key is the realm plus a hash
of the sorted (entity, id, operation, time) list, so a retried delivery is one event whatever
its key or entity order. An entity or operation Intuit does not document is quarantined.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.pipeline import fields as f
from app.pipeline.model import NormalizedEvent, Quarantined, RawDelivery
from app.pipeline.normalizers._enrichment import (
    MAPPED,
    enriched,
    located,
    lookup,
    moment,
    objects,
    vocabulary,
)
from app.pipeline.payload import parse_json

PROVIDER = "quickbooks"
SOURCE = "QuickBooks Online"
# The entities and operations Intuit's webhook documentation lists.
_ENTITIES = vocabulary(
    "Account",
    "Bill",
    "BillPayment",
    "Budget",
    "Class",
    "CreditMemo",
    "Currency",
    "Customer",
    "Department",
    "Deposit",
    "Employee",
    "Estimate",
    "Invoice",
    "Item",
    "JournalCode",
    "JournalEntry",
    "Payment",
    "PaymentMethod",
    "Preferences",
    "Purchase",
    "PurchaseOrder",
    "RefundReceipt",
    "SalesReceipt",
    "TaxAgency",
    "Term",
    "TimeActivity",
    "Transfer",
    "Vendor",
    "VendorCredit",
)
_OPERATIONS = vocabulary("Create", "Update", "Delete", "Merge", "Void", "Emailed")
# CloudEvents types name the operation in the past tense: qbo.invoice.voided.v1.
_PAST_TENSE = {
    "created": "Create",
    "updated": "Update",
    "deleted": "Delete",
    "merged": "Merge",
    "voided": "Void",
    "emailed": "Emailed",
}
_CLOUD_TYPE = re.compile(r"^qbo\.([a-z_]+)\.([a-z]+)\.v1$")
_REALM = re.compile(r"^\d{1,32}$")


@dataclass(frozen=True)
class _Change:
    realm: str
    name: str
    id: str
    operation: str
    last_updated: datetime


def normalize(delivery: RawDelivery, max_body_bytes: int) -> list[NormalizedEvent]:
    body = _parse_json(delivery, max_body_bytes)
    if isinstance(body, list):
        changes = _cloud_event_changes(body)
    elif "eventNotifications" in body:
        changes = _data_change_changes(body)
    else:
        raise Quarantined("not a QuickBooks notification: no eventNotifications")
    by_realm: dict[str, dict[_Change, None]] = {}  # insertion-ordered sets
    for change in changes:
        by_realm.setdefault(change.realm, {})[change] = None
    return [_event(realm, list(realm_changes)) for realm, realm_changes in by_realm.items()]


def _parse_json(delivery: RawDelivery, max_body_bytes: int) -> dict[str, Any] | list[Any]:
    """The body as JSON: an object, or the array of the CloudEvents format."""
    value = parse_json(delivery, max_body_bytes)
    if not isinstance(value, (dict, list)):
        raise Quarantined(f"expected a JSON object or array, got {type(value).__name__}")
    return value


def _data_change_changes(body: dict[str, Any]) -> list[_Change]:
    changes = []
    for index, notification in enumerate(objects(body["eventNotifications"], "eventNotifications")):
        with located(f"eventNotifications[{index}]"):
            realm = _realm(notification, "realmId")
            entities = objects(f.obj(notification, "dataChangeEvent").get("entities"), "entities")
            for position, entity in enumerate(entities):
                with located(f"entities[{position}]"):
                    changes.append(_data_change(realm, entity))
    return changes


def _data_change(realm: str, entity: dict[str, Any]) -> _Change:
    name = f.text(entity, "name", required=True, max_chars=64)
    operation = f.text(entity, "operation", required=True, max_chars=64)
    return _Change(
        realm=realm,
        name=lookup(_ENTITIES, name, "QuickBooks entity"),
        id=f.text(entity, "id", required=True, max_chars=64),
        operation=lookup(_OPERATIONS, operation, "QuickBooks operation"),
        last_updated=moment(entity, "lastUpdated"),
    )


def _cloud_event_changes(events: list[Any]) -> list[_Change]:
    if not events:
        raise Quarantined("the CloudEvents list is empty")
    changes = []
    for index, event in enumerate(objects(events, "CloudEvents")):
        with located(f"CloudEvents[{index}]"):
            if f.text(event, "specversion") != "1.0":
                raise Quarantined("'specversion' must be 1.0")
            match = _CLOUD_TYPE.match(f.text(event, "type", required=True, max_chars=100).lower())
            if match is None:
                raise Quarantined("'type' is not a QuickBooks Online event type (qbo.<entity>.<operation>.v1)")
            entity, operation = match.groups()
            changes.append(
                _Change(
                    realm=_realm(event, "intuitaccountid"),
                    name=lookup(_ENTITIES, entity, "QuickBooks entity"),
                    id=f.text(event, "intuitentityid", required=True, max_chars=64),
                    operation=lookup(_PAST_TENSE, operation, "QuickBooks operation"),
                    last_updated=moment(event, "time"),
                )
            )
    return changes


def _realm(payload: dict[str, Any], key: str) -> str:
    realm = f.text(payload, key, required=True, max_chars=32)
    if not _REALM.match(realm):
        raise Quarantined(f"field {key!r} must be a QuickBooks company id (digits only)")
    return realm


def _event(realm: str, changes: list[_Change]) -> NormalizedEvent:
    listed = [
        {
            "name": change.name,
            "id": change.id,
            "operation": change.operation,
            "last_updated": change.last_updated.isoformat(),
        }
        for change in changes
    ]
    fingerprint = f.content_hash(sorted(tuple(item.values()) for item in listed))
    return enriched(
        provider=PROVIDER,
        provider_kind="accounting",
        kind="changes",
        provider_id=f"{realm}:{fingerprint}",
        payload=listed,
        source=SOURCE,
        synced_at=max(change.last_updated for change in changes),
        account_ref=realm,
        data={"entities": listed, "mapping_state": MAPPED},
    )
