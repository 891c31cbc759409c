"""The catalog cache a poll configuration carries (its loading code is imported at the first
batch, with the rest of the pipeline)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from app.pipeline.context import Catalog


class CatalogCache:
    """The catalog, reloaded when older than ``ttl`` seconds or when invalidated.

    A desk or worker polls every few seconds and the catalog rarely changes: reading it once
    per batch was a fifth of the pipeline's time. A batch that could not place a row (an
    unmapped account) reloads it at once, so "map the account, then replay" never waits.
    """

    def __init__(self, ttl: float = 10.0) -> None:
        self.ttl = ttl
        self._catalog: Catalog | None = None

    def get(self, session: Session) -> Catalog:
        if self._catalog is None or time.monotonic() - self._catalog.loaded_at > self.ttl:
            from app.pipeline.context import load_catalog

            self._catalog = load_catalog(session)
        return self._catalog

    def invalidate(self) -> None:
        self._catalog = None
