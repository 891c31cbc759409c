"""Typed field access for normalizers: a wrong type is a quarantine reason, never a crash."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import phonenumbers

from app.pipeline.model import Quarantined

DEFAULT_REGION = "US"
MAX_FIELD_CHARS = 5000
_EMAIL = re.compile(r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")


def obj(payload: Mapping[str, Any], key: str, *, required: bool = True) -> dict[str, Any]:
    value = payload.get(key)
    if value is None and not required:
        return {}
    if not isinstance(value, dict):
        raise Quarantined(f"field {key!r} must be an object")
    return value


def text(
    payload: Mapping[str, Any],
    key: str,
    *,
    required: bool = False,
    max_chars: int = MAX_FIELD_CHARS,
) -> str:
    """A string field, stripped. Numbers are accepted as their decimal text (ids often are)."""
    value = payload.get(key)
    if value is None or value == "":
        if required:
            raise Quarantined(f"required field {key!r} is missing")
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise Quarantined(f"field {key!r} must be text, not {type(value).__name__}")
    result = str(value).strip()
    if len(result) > max_chars:
        raise Quarantined(f"field {key!r} is longer than {max_chars} characters")
    if required and not result:
        raise Quarantined(f"required field {key!r} is empty")
    return result


def flag(payload: Mapping[str, Any], key: str, *, default: bool = False) -> bool:
    value = payload.get(key, default)
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false", "1", "0", "yes", "no"):
        return value.lower() in ("true", "1", "yes")
    raise Quarantined(f"field {key!r} must be true or false")


def number(payload: Mapping[str, Any], key: str) -> float | None:
    value = payload.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise Quarantined(f"field {key!r} must be a number")
    if isinstance(value, (int, float)):
        result = float(value)
    elif isinstance(value, str):
        try:
            result = float(value.replace(",", "").replace("$", "").strip())
        except ValueError:
            raise Quarantined(f"field {key!r} must be a number") from None
    else:
        raise Quarantined(f"field {key!r} must be a number")
    if result != result or result in (float("inf"), float("-inf")):
        raise Quarantined(f"field {key!r} must be a finite number")
    return result


def display_name(raw: str) -> str:
    """Caller-ID names arrive in capitals ("MARIA LOPEZ"); show them as a person would."""
    return raw.title() if raw.isupper() else raw


def phone(raw: str, region: str = DEFAULT_REGION) -> str | None:
    """E.164 form of a phone number, or None when it is not a valid number."""
    if not raw:
        return None
    try:
        parsed = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def email(raw: str) -> str | None:
    candidate = raw.strip().lower()
    if len(candidate) > 254 or not _EMAIL.match(candidate):
        return None
    return candidate


def timestamp(payload: Mapping[str, Any], key: str, *, required: bool = True) -> datetime | None:
    """ISO 8601 (a zone is required; ``Z`` accepted) or Unix seconds/milliseconds."""
    value = payload.get(key)
    if value is None or value == "":
        if required:
            raise Quarantined(f"required timestamp {key!r} is missing")
        return None
    if isinstance(value, bool):
        raise Quarantined(f"timestamp {key!r} must be ISO 8601 text or Unix time")
    try:
        if isinstance(value, (int, float)):
            seconds = value / 1000 if value > 1e11 else value
            return datetime.fromtimestamp(seconds, UTC)
        if isinstance(value, str):
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
            if parsed.tzinfo is None:
                raise Quarantined(f"timestamp {key!r} has no time zone")
            return parsed.astimezone(UTC)
    except (ValueError, OverflowError, OSError):
        pass
    raise Quarantined(f"timestamp {key!r} is not a valid date and time")


def content_hash(value: Any) -> str:
    """A stable hash of a decoded payload (key order does not matter)."""
    canonical = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def idempotency_key(provider: str, kind: str, provider_id: str, payload: Any) -> str:
    """``provider:kind:<provider id>``, or a content hash when the provider gave no id."""
    if provider_id:
        return f"{provider}:{kind}:{provider_id[:100]}"
    return f"{provider}:{kind}:sha256:{content_hash(payload)}"
