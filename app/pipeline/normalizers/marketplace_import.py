"""Marketplace performance imports (Thumbtack, Angi), pulled daily or hourly by automation.

The marketplaces push each lead to the desk as it comes (their own normalizers); this import
is the account's ledger for a period, for the numbers behind client reports. One delivery per
batch::

    {"marketplace": "thumbtack" | "angi",
     "account_id": "...",            # Thumbtack businessID, Angi spEntityId: account_ref
     "batch_id": "...",              # unique per marketplace, at most 64 chars
     "exported_at": "2026-11-20T06:15:00Z",
     "period_start": "2026-11-19T06:00:00Z",   # zoned timestamps, the period is [start, end)
     "period_end": "2026-11-20T06:00:00Z",
     "currency": "USD",              # ISO 4217, the unit of every cost
     "rows": [{"lead_id": "...",     # Thumbtack negotiationID, Angi leadOid
               "status": "new" | "contacted" | "quoted" | "booked" | "completed" | "lost",
               "cost": 23.5,         # what the marketplace charged for the lead (Angi "fee")
               "category": "..."}]}  # the marketplace's service category; not read here

The automation layer maps each marketplace's own statuses to that list. It becomes ONE
``provider.enriched`` event (``synced_at`` = exported_at, periods in UTC) with ``leads``,
``spend``, ``cost_per_lead`` (when there are leads) and ``booked`` (booked or completed)
over the rows it could map; costs are in ``currency`` and so is their unit. A row without a
lead_id, a known status or a cost is counted in ``rows_unmapped`` and makes the batch
``partial``; a batch none of whose rows map is quarantined. A wrong type, a negative cost or
a lead listed twice quarantines the batch. A batch with no rows is a period without leads:
the marketplace's ledger is complete, so its zeros are facts.
"""

from __future__ import annotations

import re
from typing import Any

from app.pipeline import fields as f
from app.pipeline.model import NormalizedEvent, Quarantined, RawDelivery
from app.pipeline.normalizers._enrichment import (
    MAPPED,
    PARTIAL,
    enriched,
    located,
    lookup,
    measure,
    metric,
    moment,
    objects,
    present,
    vocabulary,
)
from app.pipeline.payload import parse_json_object

PROVIDER = "marketplace_import"
_LABELS = {"thumbtack": "Thumbtack", "angi": "Angi"}
_MARKETPLACES = vocabulary(*_LABELS)
_STATUSES = {"new", "contacted", "quoted", "booked", "completed", "lost"}
_BOOKED = {"booked", "completed"}
_CURRENCY = re.compile(r"^[A-Z]{3}$")


def normalize(delivery: RawDelivery, max_body_bytes: int) -> list[NormalizedEvent]:
    batch = parse_json_object(delivery, max_body_bytes)
    marketplace = lookup(_MARKETPLACES, f.text(batch, "marketplace", required=True), "marketplace")
    batch_id = f.text(batch, "batch_id", required=True, max_chars=64)
    start, end = moment(batch, "period_start"), moment(batch, "period_end")
    if start >= end:
        raise Quarantined("'period_start' must be before 'period_end'")
    currency = f.text(batch, "currency", required=True)
    if not _CURRENCY.match(currency):
        raise Quarantined("'currency' must be a three-letter ISO 4217 code such as USD")
    rows = objects(batch.get("rows"), "rows", allow_empty=True)
    mapped = _mapped_rows(rows)
    if rows and not mapped:
        raise Quarantined(f"none of the {len(rows)} rows has a lead_id, a known status and a cost")
    spend = sum(cost for _, cost in mapped)
    metrics = [metric("leads", len(mapped), "count"), metric("spend", spend, currency)]
    if mapped:
        metrics.append(metric("cost_per_lead", spend / len(mapped), currency))
    metrics.append(metric("booked", sum(status in _BOOKED for status, _ in mapped), "count"))
    return [
        enriched(
            provider=PROVIDER,
            provider_kind="marketplace",
            kind="batch",
            provider_id=f"{marketplace}:{batch_id}",
            payload=batch,
            source=f"{_LABELS[marketplace]} import",
            synced_at=moment(batch, "exported_at"),
            account_ref=f.text(batch, "account_id", required=True, max_chars=100),
            data={
                "marketplace": marketplace,
                "import_batch": batch_id,
                "period_start": start.isoformat(),
                "period_end": end.isoformat(),
                "metrics": metrics,
                "rows_total": len(rows),
                "rows_unmapped": len(rows) - len(mapped),
                "mapping_state": PARTIAL if len(mapped) < len(rows) else MAPPED,
            },
        )
    ]


def _mapped_rows(rows: list[dict[str, Any]]) -> list[tuple[str, float]]:
    """(status, cost) of each row that maps; every present field is type-checked first."""
    mapped = []
    seen: set[str] = set()
    for index, row in enumerate(rows):
        with located(f"rows[{index}]"):
            lead_id = f.text(row, "lead_id", max_chars=100)
            status = f.text(row, "status", max_chars=40).lower()
            cost = measure(row, "cost") if present(row, "cost") else None
            if lead_id in seen:
                raise Quarantined("its lead_id is on an earlier row too")
        if lead_id:
            seen.add(lead_id)
        if lead_id and status in _STATUSES and cost is not None:
            mapped.append((status, cost))
    return mapped
