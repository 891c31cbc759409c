"""A ``risk_flags`` row as the bulk writers insert it."""

from __future__ import annotations

from datetime import datetime
from typing import Any


def flag_row(
    item_id: int | None,
    draft_id: int | None,
    code: str,
    severity: int,
    reason: str,
    evidence: str,
    field: str | None,
    span: tuple[int, int] | None,
    source: str,
    actor: str,
    now: datetime,
) -> dict[str, Any]:
    return {
        "review_item_id": item_id,
        "draft_id": draft_id,
        "code": code,
        "severity": severity,
        "reason": reason[:255],
        "evidence": evidence[:1000],
        "field": field,
        "span_start": span[0] if span else None,
        "span_end": span[1] if span else None,
        "created_at": now,
        "updated_at": now,
        "owner": actor,
        "source": source,
        "status": "open",
        "recovery": "reviewer decides",
    }
