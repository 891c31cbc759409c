"""AI drafting inside the desk: the drafting stage after each poll, and "regenerate".

Both run on their own threads (the model can take seconds per draft): the stage on one
thread that keeps ``concurrency`` requests in flight through its pool, regenerations on
another so a reviewer never waits behind a long backlog. The stage's reads and writes go to
the desk's database lane, so the model's HTTP never holds it and nothing else writes the
database. Drafts that land are announced through ``drafts_arrived`` (on the GUI thread) so
the queue shows them as they come. The openai SDK is imported on those threads, the first
time it is needed. With AI drafting off, the poll's cycle releases what waits for it.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from app.ai.config import AiConfig, AiUnavailable
from app.ai.stage import StageResult
from app.desk.items import draft_request
from app.desk.types import Database
from app.memory import loading_modules
from app.pipeline.drafting import DraftRequest, DraftResult
from app.priority import background_pool
from ui.tasks import TaskRunner

if TYPE_CHECKING:
    from app.ai.drafter import AiDrafter
    from app.ai.stage import DraftingStage

log = logging.getLogger(__name__)


class DraftingController(QObject):
    drafts_arrived = Signal(int)  # items that joined the queue with their draft

    def __init__(
        self, runner: TaskRunner, database: Database, config: AiConfig | None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.database = database
        self.config = config
        self._stage_thread = background_pool(1, "ai-stage")
        self._regenerate_thread = background_pool(1, "ai-regenerate")
        self._lock = threading.Lock()
        self._drafter: AiDrafter | None = None
        self._stage: DraftingStage | None = None
        self._stop = threading.Event()
        self._running: asyncio.Task[None] | None = None

    @property
    def enabled(self) -> bool:
        return self.config is not None

    def configure(self, config: AiConfig | None) -> None:
        """New settings: the next run and the next regeneration use them."""
        if config == self.config:
            return
        with self._lock:
            self.config = config
            self._drafter = None  # built again from the new settings when next needed

    def run(self) -> asyncio.Task[None] | None:
        """Draft what waits (after a poll). One run at a time; a run ends when nothing waits."""
        if self._running is not None and not self._running.done():
            return None
        self._running = self.runner.spawn(self._run(), "drafting with the AI")
        return self._running

    async def _run(self) -> None:
        if self.config is None:
            return
        loop = asyncio.get_running_loop()
        announced = 0

        def progress(result: StageResult) -> None:  # on the stage's thread
            nonlocal announced
            fresh, announced = result.changed - announced, result.changed
            if fresh:
                loop.call_soon_threadsafe(self.drafts_arrived.emit, fresh)

        await loop.run_in_executor(self._stage_thread, self._drain, progress)

    def _drain(self, progress: Callable[[StageResult], None]) -> StageResult:
        return self._current_stage().drain(self._stop, progress)

    async def regenerate(self, item_id: int, instruction: str, previous_text: str) -> DraftResult:
        """A new AI draft of one item following the reviewer's instruction. Raises
        ``AiUnavailable`` (or ``RequestUnavailable``) with a reason to show."""
        loaded = await self.runner.read(draft_request, self.database, item_id)
        request = replace(loaded.request, instruction=instruction, previous_text=previous_text)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._regenerate_thread, self._regenerate, request)

    def _regenerate(self, request: DraftRequest) -> DraftResult:
        return self._current_drafter().draft_with_ai(request)

    def _current_drafter(self) -> AiDrafter:
        with self._lock:
            if self.config is None:
                raise AiUnavailable("no AI server is set up: add one in Settings (Ctrl+,)")
            if self._drafter is None:
                # The SDK's modules and models load with the collector off and are frozen
                # after: full collections during that import held the GUI thread 40-80 ms.
                with loading_modules():
                    from app.ai.drafter import AiDrafter

                    self._drafter = AiDrafter(self.config)
            return self._drafter

    def _current_stage(self) -> DraftingStage:
        from app.ai.stage import DraftingStage

        drafter = self._current_drafter()
        if self._stage is None or self._stage.drafter is not drafter:
            if self._stage is not None:
                self._stage.close()
            self._stage = DraftingStage(
                self.database, drafter, drafter.config.concurrency, "desk", on_db=self.runner.on_db_lane
            )
        return self._stage

    async def stop(self) -> None:
        """Drafts in flight finish and are saved; nothing new starts."""
        self._stop.set()
        if self._running is not None and not self._running.done():
            await asyncio.wait({self._running})
        await self.runner.read(self._shutdown)

    def _shutdown(self) -> None:
        self._stage_thread.shutdown(wait=True)
        self._regenerate_thread.shutdown(wait=True)
        if self._stage is not None:
            self._stage.close()
