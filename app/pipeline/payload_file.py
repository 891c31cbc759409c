"""Reading a payload file for ``review-desk normalize``: the raw body, or a wrapper object with
``headers`` and ``body`` (a string, or JSON that is serialized back to the raw body)."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

from app.pipeline.model import NormalizedEvent, RawDelivery


def read_delivery(provider: str, path: Path, received_at: datetime) -> RawDelivery:
    raw = path.read_bytes()
    wrapper = _wrapper(raw)
    if wrapper is None:
        return RawDelivery(provider, raw, received_at=received_at)
    body = wrapper["body"]
    headers = {str(k): str(v) for k, v in (wrapper.get("headers") or {}).items()}
    content_type = headers.get("Content-Type", headers.get("content-type", "application/json"))
    encoded = body.encode("utf-8") if isinstance(body, str) else json.dumps(body).encode("utf-8")
    return RawDelivery(provider, encoded, headers, content_type, received_at)


def _wrapper(raw: bytes) -> dict[str, Any] | None:
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    if isinstance(value, dict) and "body" in value and set(value) <= {"headers", "body"}:
        headers = value.get("headers")
        if headers is None or isinstance(headers, dict):
            return value
    return None


def event_as_json(event: NormalizedEvent) -> dict[str, Any]:
    result = asdict(event)
    result["occurred_at"] = event.occurred_at.isoformat()
    result["type"] = str(event.type)
    result["urgency"] = str(event.urgency)
    result["consent"] = str(event.consent)
    return result
