"""One normalizer per provider: raw delivery in, DESIGN.md events out.

A normalizer raises ``Quarantined`` for anything it cannot read with certainty; an unknown
provider is quarantined, never guessed. An empty list means the delivery was read and needs
nothing from the desk (an answered repeat call, say).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from importlib import import_module

from app.pipeline.errors import where
from app.pipeline.model import NormalizedEvent, Quarantined, RawDelivery

log = logging.getLogger(__name__)

Normalizer = Callable[[RawDelivery, int], list[NormalizedEvent]]

# Each provider's module is imported at its first delivery: a worker or a desk that starts on
# an empty queue does not pay for parsing twelve providers' code (build.spec lists them for
# the frozen app, which cannot see an import by name).
PROVIDERS: tuple[str, ...] = (
    "angi",
    "callrail",
    "google_ads",
    "homeadvisor",
    "hubspot",
    "marketplace_import",
    "meta_leads",
    "quickbooks",
    "search_console",
    "thumbtack",
    "twilio",
    "web_form",
)
_loaded: dict[str, Normalizer] = {}


def _normalizer(provider: str) -> Normalizer | None:
    found = _loaded.get(provider)
    if found is None and provider in PROVIDERS:
        found = _loaded[provider] = import_module(f"{__name__}.{provider}").normalize
    return found


def normalize(delivery: RawDelivery, max_body_bytes: int) -> list[NormalizedEvent]:
    normalizer = _normalizer(delivery.provider)
    if normalizer is None:
        # The provider name is set by the intake's route, not the payload; still, only show
        # its safe characters.
        shown = "".join(c for c in delivery.provider[:64] if c.isalnum() or c in "_-.")
        raise Quarantined(f"unknown provider {shown!r}")
    try:
        return normalizer(delivery, max_body_bytes)
    except Quarantined:
        raise
    except Exception as exc:  # a normalizer bug must quarantine the row, not stop the pipeline
        log.error("normalizer %s failed: %s", delivery.provider, where(exc))
        raise Quarantined(
            f"the {delivery.provider} normalizer failed ({type(exc).__name__}); kept for replay"
        ) from None
