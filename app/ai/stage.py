"""The drafting stage: items waiting in ``drafting`` get their AI draft, a bounded number at
a time, and join the queue.

It runs in the desk (on a worker thread, after each poll) and in ``review-desk worker``.
Several desks and workers can run it against one database: each item is leased to one of
them (``claim_drafting``), and a result for an item someone else already finished is
dropped. The model is called outside any database transaction, so a slow server never holds
a lock. Slots are refilled as soon as a draft finishes, so ``concurrency`` requests are in
flight for as long as there is work.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass
from datetime import timedelta

from app.ai.request import LoadedRequest, RequestUnavailable, load_request
from app.lanes import DbLane, inline
from app.pipeline import checks
from app.pipeline.drafting import Drafter
from app.priority import background_pool
from app.services.drafts import record_ai_draft, record_fallback, release_waiting
from db.engine import Database
from db.queries.drafting import claim_drafting, waiting_since
from db.types import utcnow
from db.vocab import FlagCode

log = logging.getLogger(__name__)


@dataclass
class StageResult:
    drafted: int = 0  # AI drafts written
    fell_back: int = 0  # offline drafts released with ai_unavailable
    released: int = 0  # items that waited too long, released as they were

    @property
    def changed(self) -> int:
        return self.drafted + self.fell_back + self.released


class DraftingStage:
    def __init__(
        self,
        database: Database,
        drafter: Drafter,
        concurrency: int = 4,
        source: str = "worker",
        lease: timedelta = timedelta(minutes=5),
        max_wait: timedelta = timedelta(minutes=10),
        on_db: DbLane = inline,
    ) -> None:
        """``drafter`` is the AI drafter (offline drafts are already stored at ingest);
        ``max_wait`` is how long an item may wait for it before it joins the queue anyway;
        ``on_db`` runs the stage's reads and writes (the desk's database lane)."""
        self.database = database
        self.on_db = on_db
        self.drafter = drafter
        self.concurrency = max(1, concurrency)
        self.source = source
        self.lease = lease
        self.max_wait = max_wait
        self._pool = background_pool(self.concurrency, "ai-draft")

    def drain(
        self, stop: threading.Event | None = None, progress: Callable[[StageResult], None] | None = None
    ) -> StageResult:
        """Draft until nothing waits (or ``stop`` is set: drafts in flight still finish).
        ``progress`` is called (on this thread) after each draft is written."""
        result = StageResult()
        result.released = self._release_overdue()
        in_flight: set[Future[str]] = set()
        more = True
        while True:
            free = self.concurrency - len(in_flight)
            if more and free > 0 and not (stop and stop.is_set()):
                claimed = self._claim(free)
                more = len(claimed) == free
                in_flight.update(self._pool.submit(self._draft_one, item_id) for item_id in claimed)
            if not in_flight:
                return result
            done, in_flight = wait(in_flight, return_when=FIRST_COMPLETED)
            for future in done:
                outcome = future.result()
                result.drafted += outcome == "drafted"
                result.fell_back += outcome == "fell_back"
            if progress is not None:
                progress(result)
            if not in_flight and not more:
                more = True  # one more look: work may have arrived while these were drafted

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _claim(self, count: int) -> list[int]:
        def claim() -> list[int]:
            with self.database.write() as session:
                now = utcnow()
                return claim_drafting(session, now, now + self.lease, count)

        return self.on_db(claim)

    def _draft_one(self, item_id: int) -> str:
        """One item: its request, the drafter's answer, the write. Never raises for the
        item's sake: a problem becomes the item's ``ai_unavailable`` flag."""
        try:
            loaded = self.on_db(lambda: self._load(item_id))
        except RequestUnavailable as exc:
            flags = checks.ai_unavailable(str(exc))
            self.on_db(lambda: record_fallback(self.database, item_id, flags, self.source))
            return "fell_back"
        result = self.drafter.draft(loaded.request)  # the model is asked outside the database lane
        fallback = [f for f in result.findings if f.code == FlagCode.AI_UNAVAILABLE]
        if fallback:
            log.info("item %d: drafted by offline rules (%s)", item_id, fallback[0].reason)
            kept = self.on_db(lambda: record_fallback(self.database, item_id, fallback, self.source))
            return "fell_back" if kept else "lost"
        return "drafted" if self.on_db(lambda: record_ai_draft(self.database, item_id, result, self.source)) else "lost"

    def _load(self, item_id: int) -> LoadedRequest:
        with self.database.read() as session:
            return load_request(session, item_id)

    def _release_overdue(self) -> int:
        def release() -> int:
            with self.database.read() as session:
                overdue = waiting_since(session, utcnow() - self.max_wait)
            if not overdue:
                return 0
            minutes = self.max_wait.total_seconds() / 60
            return release_waiting(self.database, overdue, f"no AI draft within {minutes:g} minutes", self.source)

        return self.on_db(release)
