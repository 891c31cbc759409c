"""Typed field access for normalizers: a wrong type is a quarantine reason, never a crash."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import phonenumbers

from app.pipeline.model import Quarantined

DEFAULT_REGION = "US"
MAX_FIELD_CHARS = 5000
MAX_EXTENSION_DIGITS = 20  # phonenumbers reads at most 20 extension digits
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
    try:
        if isinstance(value, (int, float)):
            result = float(value)
        elif isinstance(value, str):
            # US formatting: "$1,200.50". A decimal comma ("12,50") would read as 1250; the
            # providers the desk reads all send US-formatted amounts.
            result = float(value.replace(",", "").replace("$", "").strip())
        else:
            raise Quarantined(f"field {key!r} must be a number")
    except (ValueError, OverflowError):
        raise Quarantined(f"field {key!r} must be a number") from None
    if result != result or result in (float("inf"), float("-inf")):
        raise Quarantined(f"field {key!r} must be a finite number")
    return result


# What carriers put in caller ID when there is no name to show.
_CALLER_ID_PLACEHOLDERS = frozenset(
    {
        "wireless caller",
        "unknown",
        "unknown caller",
        "unknown name",
        "anonymous",
        "private",
        "private caller",
        "restricted",
        "unavailable",
        "out of area",
        "toll free caller",
    }
)


def display_name(raw: str) -> str:
    """Caller-ID names arrive in capitals ("MARIA LOPEZ"); show them as a person would.
    Carrier placeholders ("WIRELESS CALLER", "UNKNOWN") are not names: they become empty."""
    if raw.strip().lower() in _CALLER_ID_PLACEHOLDERS:
        return ""
    return raw.title() if raw.isupper() else raw


def phone(raw: str, region: str = DEFAULT_REGION) -> str | None:
    """E.164 form of a phone number, or None when it is not a valid number. An extension
    written into the number ("x123", "ext. 123") is not part of it: see ``phone_extension``."""
    return _phone_parts(raw, region)[0]


def phone_extension(raw: str, region: str = DEFAULT_REGION) -> str:
    """The extension written into a valid phone number ("630-555-0176 x12" gives "12"), or ""."""
    return _phone_parts(raw, region)[1]


@lru_cache(maxsize=65_536)
def _phone_parts(raw: str, region: str) -> tuple[str | None, str]:
    """Memoized: validating against the numbering plan costs ~0.2 ms, and the same callers come
    back again and again."""
    if not raw:
        return None, ""
    try:
        parsed = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None, ""
    if not phonenumbers.is_valid_number(parsed):
        return None, ""
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return e164, parsed.extension or ""


def extension(payload: Mapping[str, Any], key: str) -> str:
    """A phone extension field (text or a number): its digits, or "" when absent."""
    value = text(payload, key, max_chars=MAX_EXTENSION_DIGITS)
    if value and not (value.isascii() and value.isdigit()):
        raise Quarantined(f"field {key!r} must be the digits of a phone extension")
    return value


def email(raw: str) -> str | None:
    candidate = raw.strip().lower()
    if len(candidate) > 254 or not _EMAIL.match(candidate):
        return None
    return candidate


def iso_moment(text: str, *, naive_is_utc: bool = False) -> datetime | None:
    """ISO 8601 date and time (``Z`` accepted) in UTC; None when it is not one, or when it has no
    time zone and ``naive_is_utc`` is off. The one ISO parser of the pipeline."""
    try:
        parsed = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        if not naive_is_utc:
            return None
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


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
        if isinstance(value, str) and iso_moment(value, naive_is_utc=True) is not None:
            zoned = iso_moment(value)
            if zoned is None:
                raise Quarantined(f"timestamp {key!r} has no time zone")
            return zoned
    except (ValueError, OverflowError, OSError):
        pass
    raise Quarantined(f"timestamp {key!r} is not a valid date and time")


def content_hash(value: Any) -> str:
    """A stable hash of a decoded payload (key order does not matter)."""
    canonical = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def idempotency_key(provider: str, kind: str, provider_id: str, payload: Any) -> str:
    """``provider:kind:<provider id>``, or a content hash when the provider gave no id.

    An id too long for the column is hashed whole, never cut: two long ids sharing a prefix
    must not collide."""
    if provider_id:
        if len(provider_id) <= 100:
            return f"{provider}:{kind}:{provider_id}"
        digest = hashlib.sha256(provider_id.encode("utf-8")).hexdigest()
        return f"{provider}:{kind}:id-sha256:{digest}"
    return f"{provider}:{kind}:sha256:{content_hash(payload)}"
