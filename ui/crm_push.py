"""The desk's side of CRM handoffs: approved ones pushed after each poll, a failed one's
retry, and the preview of what the CRM would receive.

HTTP runs on the I/O lane and the records on the database lane, so a slow CRM never delays a
poll or a decision; what a push or a retry changed goes to the desk's dispatcher as ``Changes``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from app.crm.adapters import Adapter
from app.crm.sender import push_due
from app.desk import crm as crm_ops
from app.desk.changes import Changes, Notice
from app.desk.connection import is_connection_error
from app.desk.types import Database
from app.identity import Actor
from app.services.errors import ActionRefused
from ui.detail.panel import DetailPanel
from ui.review.session import ReviewSession
from ui.tasks import TaskRunner


class HandoffPusher:
    def __init__(
        self,
        runner: TaskRunner,
        database: Database,
        actor: Actor,
        session: ReviewSession,
        detail: DetailPanel,
        apply: Callable[[Changes], None],
        adapter: Callable[[], Adapter | None],
    ) -> None:
        """``adapter()``: the CRM as the settings say now (None: approved handoffs wait in
        the outbox table)."""
        self.runner, self.database, self.actor = runner, database, actor
        self.session, self.detail, self.apply, self.adapter = session, detail, apply, adapter
        self._pushing: asyncio.Task[None] | None = None

    def push_due(self) -> None:
        """Push what is due, unless a push is still under way."""
        adapter = self.adapter()
        if adapter is None or (self._pushing is not None and not self._pushing.done()):
            return
        self._pushing = self.runner.spawn(self.push(adapter), "pushing CRM handoffs")

    async def push(self, adapter: Adapter) -> None:
        try:
            run = await self.runner.io(push_due, self.database, adapter, "desk", on_db=self.runner.on_db_lane)
        except Exception as exc:
            if not is_connection_error(exc):
                raise
            return  # the monitor reports the connection; the handoffs stay in the outbox table
        notices: list[Notice] = []
        if run.delivered:
            notices.append(Notice(f"{run.delivered} CRM handoff(s) pushed to the CRM."))
        if run.retrying:
            notices.append(Notice(f"{run.retrying} CRM handoff(s) could not be pushed yet; they are retried."))
        if run.failed:
            notices.append(
                Notice(
                    f"{run.failed} CRM handoff(s) failed: open them in the Decided view to read the error and "
                    "retry (Ctrl+Shift+R).",
                    "warning",
                )
            )
        if notices:
            self.apply(Changes(notices=tuple(notices), background=True))

    async def show_preview(self, item_id: int) -> None:
        outgoing = await self.runner.read(crm_ops.outgoing_of, self.database, item_id)
        if outgoing is not None:  # the CRM is asked on the I/O lane: it may be slow
            text = await self.runner.io(crm_ops.preview_text, outgoing, self.adapter())
            self.detail.show_crm_preview(item_id, text)

    def retry_open_item(self) -> None:
        detail = self.session.current
        if detail is not None:
            self.runner.spawn(self._retry(detail.id), "retrying a CRM push")

    async def _retry(self, item_id: int) -> None:
        try:
            changes = await self.runner.db(crm_ops.retry_push, self.database, self.actor, item_id)
        except ActionRefused as refusal:
            self.apply(Changes(notices=(Notice(str(refusal), "warning"),)))
            return
        self.apply(changes)
        await self.session.show_again(item_id)
        self.push_due()
