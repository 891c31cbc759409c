"""Shared by the provider-sync normalizers (QuickBooks, Search Console, marketplace imports).

A sync says how fresh a client's proof is and carries the numbers behind it; it is about no
person. Each sync becomes ``provider.enriched`` events with an empty contact, dated when the
provider synced, whose ``data`` the pipeline stores in data_sources (``synced_at``),
provider_import_batches (``import_batch``, row counts) and metric_snapshots (``metrics``).

``data`` holds JSON types only. ``mapping_state`` is ``mapped`` when the numbers are the
complete picture for the period and ``partial`` when the provider or the import says part of
it is missing, so an undercount is never mistaken for a total.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

from app.pipeline import fields as f
from app.pipeline.model import Contact, NormalizedEvent, Quarantined
from db.vocab import EventType

MAPPED = "mapped"
PARTIAL = "partial"
# metric_snapshots.value is Numeric(18, 4): round once here rather than differently per store.
_DECIMALS = 4
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@contextmanager
def located(where: str) -> Iterator[None]:
    """Prefix a quarantine reason raised inside with where it happened (``rows[3]: ...``)."""
    try:
        yield
    except Quarantined as exc:
        raise Quarantined(f"{where}: {exc.reason}") from None


def vocabulary(*names: str) -> dict[str, str]:
    """A closed vocabulary for ``lookup``: the canonical spellings, keyed as it compares."""
    return {_folded(name): name for name in names}


def lookup(known: Mapping[str, str], value: str, what: str) -> str:
    """The canonical spelling of ``value``, ignoring case and underscores; unknown is refused."""
    try:
        return known[_folded(value)]
    except KeyError:
        raise Quarantined(f"unknown {what}; expected one of: {', '.join(sorted(known.values()))}") from None


def _folded(name: str) -> str:
    return name.lower().replace("_", "")


def objects(value: Any, key: str, *, allow_empty: bool = False) -> list[dict[str, Any]]:
    """The list of JSON objects found under ``key``."""
    if value is None:
        raise Quarantined(f"field {key!r} is missing")
    if not isinstance(value, list):
        raise Quarantined(f"field {key!r} must be a list, not {type(value).__name__}")
    if not value and not allow_empty:
        raise Quarantined(f"field {key!r} is empty")
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            raise Quarantined(f"{key}[{index}] must be an object")
    return value


def present(payload: Mapping[str, Any], key: str) -> bool:
    return payload.get(key) not in (None, "")


def measure(payload: Mapping[str, Any], key: str, low: float = 0.0, high: float | None = None) -> float:
    """A required number within ``low``..``high`` (a count, a cost, a ratio, a rank)."""
    value = f.number(payload, key)
    if value is None:
        raise Quarantined(f"required field {key!r} is missing")
    if high is not None and not low <= value <= high:
        raise Quarantined(f"field {key!r} must be between {low:g} and {high:g}")
    if value < low:
        raise Quarantined(f"field {key!r} must be {low:g} or more")
    return value


def moment(payload: Mapping[str, Any], key: str) -> datetime:
    """A required timestamp with a time zone, in UTC."""
    value = f.timestamp(payload, key)
    assert value is not None  # a missing required timestamp raises Quarantined
    return value


def calendar_date(payload: Mapping[str, Any], key: str) -> date:
    """A required calendar day written ``YYYY-MM-DD`` (no time, no zone)."""
    value = payload.get(key)
    if value is None or value == "":
        raise Quarantined(f"required date {key!r} is missing")
    if not isinstance(value, str) or not _DAY.match(value):
        raise Quarantined(f"date {key!r} must be written YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Quarantined(f"date {key!r} is not a real calendar day") from None


def metric(name: str, value: float, unit: str) -> dict[str, Any]:
    """One metric_snapshots row: ``unit`` is count, ratio, rank or a currency code."""
    return {"metric": name, "value": round(float(value), _DECIMALS), "unit": unit}


def enriched(
    *,
    provider: str,
    provider_kind: str,
    kind: str,
    provider_id: str,
    payload: Any,
    source: str,
    synced_at: datetime,
    account_ref: str,
    data: Mapping[str, Any],
) -> NormalizedEvent:
    """One ``provider.enriched`` event, keyed ``provider:kind:<provider id>``."""
    return NormalizedEvent(
        type=EventType.PROVIDER_ENRICHED,
        provider=provider,
        idempotency_key=f.idempotency_key(provider, kind, provider_id, payload),
        occurred_at=synced_at,
        contact=Contact(),
        source=source,
        account_ref=account_ref,
        data={"provider_kind": provider_kind, "synced_at": synced_at.isoformat(), **data},
    )
