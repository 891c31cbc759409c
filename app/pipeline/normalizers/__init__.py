"""One normalizer per provider: raw delivery in, DESIGN.md events out.

A normalizer raises ``Quarantined`` for anything it cannot read with certainty; an unknown
provider is quarantined, never guessed. An empty list means the delivery was read and needs
nothing from the desk (an answered repeat call, say).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from app.pipeline.model import NormalizedEvent, Quarantined, RawDelivery
from app.pipeline.normalizers import callrail, web_form

Normalizer = Callable[[RawDelivery, int], list[NormalizedEvent]]

_REGISTRY: dict[str, Normalizer] = {
    "callrail": callrail.normalize,
    "web_form": web_form.normalize,
}
PROVIDERS: tuple[str, ...] = tuple(sorted(_REGISTRY))

log = logging.getLogger(__name__)


def normalize(delivery: RawDelivery, max_body_bytes: int) -> list[NormalizedEvent]:
    normalizer = _REGISTRY.get(delivery.provider)
    if normalizer is None:
        raise Quarantined(f"unknown provider {delivery.provider[:64]!r}")
    try:
        return normalizer(delivery, max_body_bytes)
    except Quarantined:
        raise
    except Exception as exc:  # a normalizer bug must quarantine the row, not stop the pipeline
        log.exception("normalizer %s failed", delivery.provider)
        raise Quarantined(
            f"the {delivery.provider} normalizer failed ({type(exc).__name__}); kept for replay"
        ) from None
