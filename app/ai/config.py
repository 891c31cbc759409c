"""AI drafting settings as the drafter needs them (no SDK import: the desk reads these at
start even when AI drafting is off)."""

from __future__ import annotations

from dataclasses import dataclass

# Strongest first: structured output (schema enforced by the server), JSON mode, plain text.
OUTPUT_MODES = ("json_schema", "json_object", "text")


@dataclass(frozen=True)
class AiConfig:
    model: str
    base_url: str = ""  # empty: OpenAI
    api_key: str | None = None
    timeout_s: float = 30.0
    max_retries: int = 2  # the SDK's own retries of 429, 5xx, timeouts and lost connections
    temperature: float = 0.2
    concurrency: int = 4
    redact_pii: bool = True
    structured: str = "auto"  # auto, or one of OUTPUT_MODES


class AiUnavailable(Exception):
    """No usable answer; ``reason`` says why in words a reviewer can act on."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
