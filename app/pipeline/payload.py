"""Turning raw bytes into trusted Python values, or a readable quarantine reason.

Checks, in order: size cap, strict UTF-8, no NUL / control / bidi-override characters, then
JSON (with a nesting limit) or form encoding.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qsl

from app.pipeline.model import Quarantined, RawDelivery

MAX_DEPTH = 32
# C0 controls except tab/LF/CR, DEL, C1 controls, and the bidi embedding/override/isolate marks
# that can make text display differently from what it says ("Trojan Source").
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _check_text(text: str, where: str) -> None:
    match = _FORBIDDEN.search(text)
    if match:
        raise Quarantined(
            f"{where} contains a forbidden character U+{ord(match.group()):04X} at position {match.start()}"
        )


def decode_text(delivery: RawDelivery, max_bytes: int) -> str:
    size = len(delivery.body)
    if size == 0:
        raise Quarantined("empty body")
    if size > max_bytes:
        raise Quarantined(f"body is {size} bytes, over the {max_bytes}-byte limit")
    try:
        text = delivery.body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Quarantined(f"body is not valid UTF-8 (byte {exc.start})") from None
    _check_text(text, "body")
    return text


def _check_structure(value: Any, limit: int, strings: bool) -> None:
    """Nesting limit, and (``strings``) the character rules again on decoded strings, for
    characters that arrived as ``\\u`` escapes and so were not in the raw text."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            raise Quarantined(f"JSON nested deeper than {limit} levels")
        if isinstance(item, dict):
            for key, child in item.items():
                if strings:
                    _check_text(key, "JSON key")
                stack.append((child, depth + 1))
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
        elif strings and isinstance(item, str):
            _check_text(item, "JSON string")


def parse_json(delivery: RawDelivery, max_bytes: int) -> Any:
    """Any JSON value, after every check above."""
    text = decode_text(delivery, max_bytes)
    try:
        value = json.loads(text, parse_constant=_reject_constant)
    except RecursionError:
        raise Quarantined(f"JSON nested deeper than {MAX_DEPTH} levels") from None
    except json.JSONDecodeError as exc:
        raise Quarantined(f"malformed JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except ValueError:  # e.g. an integer longer than Python will convert
        raise Quarantined("malformed JSON: a number is too long") from None
    _check_structure(value, MAX_DEPTH, strings="\\u" in text)
    return value


def parse_json_object(delivery: RawDelivery, max_bytes: int) -> dict[str, Any]:
    value = parse_json(delivery, max_bytes)
    if not isinstance(value, dict):
        raise Quarantined(f"expected a JSON object, got {type(value).__name__}")
    return value


def _reject_constant(name: str) -> Any:
    raise Quarantined(f"JSON contains the non-standard constant {name}")


def parse_form(delivery: RawDelivery, max_bytes: int) -> dict[str, str]:
    """An ``application/x-www-form-urlencoded`` body; a repeated key keeps its last value."""
    text = decode_text(delivery, max_bytes)
    try:
        pairs = parse_qsl(text, keep_blank_values=True, strict_parsing=True, errors="strict")
    except (ValueError, UnicodeDecodeError):
        # The parser's message quotes the offending field; the reason must not echo input.
        raise Quarantined("malformed form body: a field is not name=value") from None
    for key, value in pairs:
        _check_text(key, "a form field name")
        _check_text(value, "a form field value")
    return dict(pairs)
