"""Finding raw provider values in client-visible text."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

# Values too short to identify anything when found in a sentence ("IL", "true").
_MIN_LENGTH = 5


def identifying(value: str) -> bool:
    """Names, numbers, ids, emails, free text -- not a lowercase enum token like ``missed``."""
    stripped = value.strip()
    if len(stripped) < _MIN_LENGTH:
        return False
    return not (stripped.isalpha() and stripped.islower())


def leaf_strings(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for child in value.values():
            yield from leaf_strings(child)
    elif isinstance(value, list):
        for child in value:
            yield from leaf_strings(child)
    elif isinstance(value, (str, int, float)) and not isinstance(value, bool):
        yield str(value)


def raw_values_in(text: str, raw_body: bytes, allowed: set[str]) -> list[str]:
    """Raw payload values (other than ``allowed`` catalog words) that occur in ``text``."""
    try:
        payload = json.loads(raw_body)
    except ValueError:
        return []
    lowered = text.lower()
    return sorted(
        value
        for value in set(leaf_strings(payload))
        if identifying(value) and value.lower() not in allowed and value.lower() in lowered
    )
