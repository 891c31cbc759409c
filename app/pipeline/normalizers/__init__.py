"""One normalizer per provider: raw delivery in, DESIGN.md events out.

A normalizer raises ``Quarantined`` for anything it cannot read with certainty; an unknown
provider is quarantined, never guessed. An empty list means the delivery was read and needs
nothing from the desk (an answered repeat call, say).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from app.pipeline.errors import where
from app.pipeline.model import NormalizedEvent, Quarantined, RawDelivery
from app.pipeline.normalizers import (
    angi,
    callrail,
    google_ads,
    homeadvisor,
    marketplace_import,
    meta_leads,
    quickbooks,
    search_console,
    thumbtack,
    twilio,
    web_form,
)

Normalizer = Callable[[RawDelivery, int], list[NormalizedEvent]]

_REGISTRY: dict[str, Normalizer] = {
    "angi": angi.normalize,
    "callrail": callrail.normalize,
    "google_ads": google_ads.normalize,
    "homeadvisor": homeadvisor.normalize,
    "marketplace_import": marketplace_import.normalize,
    "meta_leads": meta_leads.normalize,
    "quickbooks": quickbooks.normalize,
    "search_console": search_console.normalize,
    "thumbtack": thumbtack.normalize,
    "twilio": twilio.normalize,
    "web_form": web_form.normalize,
}
PROVIDERS: tuple[str, ...] = tuple(sorted(_REGISTRY))

log = logging.getLogger(__name__)


def normalize(delivery: RawDelivery, max_body_bytes: int) -> list[NormalizedEvent]:
    normalizer = _REGISTRY.get(delivery.provider)
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
