"""The reviewer's open item and what they do to it.

Opening an item claims it (the previous one is given back) and a heartbeat keeps the claim
alive while it stays open. Actions are the desk operations of ``app.desk.items``, run on the
database lane; each hands back ``Changes``, emitted once through ``changed`` for the desk's
dispatcher; ``acting`` says that one starts (what the notice bar showed belonged to the action
before). A refusal reloads the item and keeps whatever the reviewer typed. Text being
edited is saved on this computer (on the I/O lane) a moment after each change and dropped
only once an action has used it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from app import words
from app.ai.config import AiUnavailable
from app.ai.request import RequestUnavailable
from app.desk import items
from app.desk.changes import Changes, Notice
from app.desk.connection import is_busy, is_connection_error
from app.desk.types import Database, ItemDetail
from app.identity import Actor
from app.services.approval_rules import Acknowledgement
from app.services.errors import ActionRefused
from app.unsaved import UnsavedEdits
from db.vocab import OPEN_ITEM_STATUSES
from ui.tasks import TaskRunner

if TYPE_CHECKING:
    from ui.drafting import DraftingController

AUTOSAVE_DELAY_MS = 400
OFFLINE = object()  # what ``_run`` returns when the database could not be reached


@dataclass(frozen=True)
class ReviewContext:
    database: Database
    actor: Actor
    undo_window: timedelta
    lease: timedelta


class ReviewSession(QObject):
    opened = Signal(object)  # ItemDetail | None
    claim_changed = Signal(bool)  # the open item is (or is no longer) held by this desk
    changed = Signal(object)  # Changes: what an action changed and what to tell the reviewer
    acting = Signal()  # the reviewer starts an action (a decision, a skip, an undo, a new draft)
    connection_lost = Signal()
    regenerating = Signal(bool)  # a new draft of the open item is being written

    def __init__(
        self,
        runner: TaskRunner,
        context: ReviewContext,
        unsaved: UnsavedEdits,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.context = context
        self.unsaved = unsaved
        self.current: ItemDetail | None = None
        self.claimed = False
        self.refusal = ""  # why the open item cannot be acted on here ("" when it can)
        self.decided: list[tuple[int, str]] = []  # this session's decisions (item, lead), newest last
        self._busy = False
        self._regenerating = False
        self._closed = False
        self._open_request = 0
        self._prefetched: dict[int, ItemDetail] = {}
        self._pending_text: tuple[int, int, str] | None = None
        # The text typed for each item that has not reached the database, as the editor last
        # held it: what reopening an item restores. The files on disk follow it a moment later
        # (crash safety), so the screen never waits on, or races with, a file write. None until
        # the files an earlier run left are read, at the first open.
        self._kept: dict[int, str] | None = None
        self._heartbeat = QTimer(self)
        self._heartbeat.setObjectName("claimHeartbeat")
        self._heartbeat.setInterval(int(context.lease.total_seconds() * 1000 / 3))
        self._heartbeat.timeout.connect(lambda: self.runner.spawn(self._renew(), "keeping the claim"))
        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(AUTOSAVE_DELAY_MS)
        self._autosave.timeout.connect(self._save_text)

    @property
    def busy(self) -> bool:
        return self._busy

    @property
    def regenerating_now(self) -> bool:
        return self._regenerating

    # --- opening ------------------------------------------------------------------------

    def open(self, item_id: int | None) -> asyncio.Task[None] | None:
        """Show ``item_id`` (None: nothing) and claim it. An item read ahead is shown here and
        now, in the same frame as the queue's move to it: the pane never shows the item that
        was left beside the row that was chosen; its actions wait for the claim."""
        self._open_request += 1
        self.refusal = ""
        prefetched = self._prefetched.pop(item_id, None) if item_id is not None else None
        # The claim starts on the database thread right away, while Qt repaints the queue.
        loading = (
            self.runner.submit_db(
                items.open_item, self.context.database, self.context.actor, item_id, self.context.lease, prefetched
            )
            if item_id is not None
            else None
        )
        self._flush_text()
        left = self._let_go_of_current(item_id)
        if item_id is None:
            self.current = None
            self.opened.emit(None)
        shown = prefetched is not None and self._kept is not None and not self._closed
        if shown:
            self.current, self.claimed = prefetched, False
            self.opened.emit(prefetched)
        return self.runner.spawn(
            self._open(item_id, self._open_request, loading, prefetched, shown, left), "opening the item"
        )

    def _let_go_of_current(self, item_id: int | None) -> int | None:
        """The claimed item the reviewer leaves for another (given back by ``_open``)."""
        previous = self.current
        if previous is None or not self.claimed or previous.id == item_id:
            return None
        self._heartbeat.stop()
        self.claimed = False
        self.claim_changed.emit(False)
        return previous.id

    def prefetch(self, item_id: int) -> None:
        """Read the item the reviewer will most likely open next, so it shows at once."""
        if item_id in self._prefetched or (self.current is not None and self.current.id == item_id):
            return
        self.runner.spawn(self._prefetch(item_id), "reading ahead")

    async def _prefetch(self, item_id: int) -> None:
        try:
            detail = await self.runner.read(items.load, self.context.database, item_id)
        except Exception as exc:
            if is_connection_error(exc):
                return
            raise
        if detail is not None:
            self._prefetched = {item_id: detail}

    async def _open(
        self,
        item_id: int | None,
        request: int,
        loading: asyncio.Future[items.Opened] | None,
        prefetched: ItemDetail | None,
        shown: bool,
        left: int | None,
    ) -> None:
        """``prefetched``: the item as read ahead; ``shown``: already on screen (the first
        open waits for the text an earlier run kept); ``left``: the claimed item left behind,
        given back here."""
        if left is not None:
            await self._release(left)
        if item_id is None or loading is None:
            return
        if self._kept is None:
            self._kept = await self.runner.io(self.unsaved.texts)
        if prefetched is not None and not shown and request == self._open_request and not self._closed:
            self.current, self.claimed = prefetched, False
            self.opened.emit(prefetched)
        try:
            opened = await loading
        except Exception as exc:
            if not is_connection_error(exc):
                raise
            self.connection_lost.emit()
            return
        if self._closed or request != self._open_request:
            # Closed meanwhile, or the reviewer already moved on: let this claim go at once
            # rather than block the item until its lease runs out, and say nothing about it.
            if opened.claimed:
                await self._release(item_id)
            return
        self.refusal = opened.refusal  # a fact about the item, shown beside it (not a notice)
        if opened.detail is not prefetched:  # not read ahead, or it changed since: show it as it is
            self.current = opened.detail
            self.opened.emit(opened.detail)
        self.claimed = opened.claimed
        self.claim_changed.emit(opened.claimed)
        if opened.claimed:
            self._heartbeat.start()

    async def show_again(self, item_id: int) -> ItemDetail | None:
        """Read the open item again and show it as it is now (None if it is no longer open)."""
        if self.current is None or self.current.id != item_id:
            return None
        fresh = await self.runner.db(items.load, self.context.database, item_id)
        if self.current is not None and self.current.id == item_id:
            self.current = fresh
            self.opened.emit(fresh)
            return fresh
        return None

    async def _release(self, item_id: int) -> None:
        try:
            await self.runner.db(items.let_go, self.context.database, self.context.actor, item_id)
        except Exception as exc:
            if not is_connection_error(exc):
                raise
            self.connection_lost.emit()  # its lease runs out on its own

    def restored_text(self, detail: ItemDetail) -> str | None:
        """Text the reviewer typed for this item that never reached the database."""
        text = (self._kept or {}).get(detail.id)
        return None if text is None or text == detail.text_for_review else text

    async def _renew(self) -> None:
        current = self.current
        if current is None or not self.claimed:
            return
        try:
            kept = await self.runner.db(
                items.keep_holding, self.context.database, self.context.actor, current.id, self.context.lease
            )
        except Exception as exc:
            if is_connection_error(exc):
                self.connection_lost.emit()
                return
            raise
        if not kept and self.current is current:
            self.claimed = False
            self._heartbeat.stop()
            self.refusal = "Your hold on this item lapsed and someone else may have it; reopen it before acting."
            self.claim_changed.emit(False)
            self.tell(self.refusal, "warning", background=True)

    # --- text being edited ----------------------------------------------------------------

    def text_edited(self, text: str) -> None:
        if self.current is None:
            return
        if text == self.current.text_for_review:
            self._pending_text = None
            self._autosave.stop()
            self.runner.spawn(self._discard(self.current.id), "forgetting unsaved text")
            return
        if self._kept is not None:
            self._kept[self.current.id] = text
        self._pending_text = (self.current.id, self.current.version, text)
        self._autosave.start()

    def _flush_text(self) -> None:
        if self._autosave.isActive():
            self._autosave.stop()
            self._save_text()

    def _save_text(self) -> None:
        pending, self._pending_text = self._pending_text, None
        if pending is not None:
            self.runner.spawn(self.runner.io(self.unsaved.save, *pending), "keeping your text")

    async def _discard(self, item_id: int) -> None:
        if self._kept is not None:
            self._kept.pop(item_id, None)
        await self.runner.io(self.unsaved.discard, item_id)

    # --- actions -----------------------------------------------------------------------

    def tell(self, text: str, level: str = "info", background: bool = False) -> None:
        """A notice of the session's own, about the open item (a refusal's reason, a hint);
        ``background``: not the outcome of something the reviewer just did."""
        lead = self.current.lead_label if self.current is not None else ""
        self.changed.emit(Changes(notices=(Notice(text, level, lead),), background=background))

    def approve(
        self, text: str | None = None, acknowledged: Acknowledgement | None = None
    ) -> asyncio.Task[None] | None:
        """``text`` None approves the draft as it is; otherwise the reviewer's edit.
        ``acknowledged``: the reviewer's yes to each high-risk flag, with a note."""
        return self._act(
            "approving",
            lambda d: items.approve_item(
                self.context.database, self.context.actor, d, text, self.context.undo_window, acknowledged
            ),
        )

    def reject(self, reason: str, note: str) -> asyncio.Task[None] | None:
        return self._act(
            "rejecting", lambda d: items.reject_item(self.context.database, self.context.actor, d, reason, note)
        )

    def escalate(self, note: str) -> asyncio.Task[None] | None:
        return self._act(
            "escalating", lambda d: items.escalate_item(self.context.database, self.context.actor, d, note)
        )

    def skip(self) -> None:
        """Leave this item for later: nothing changes, the desk moves on (and lets it go)."""
        if self.current is not None:
            self.acting.emit()
            self.changed.emit(Changes(left=(self.current.id,)))

    def undo_last(self) -> asyncio.Task[None] | None:
        if self._busy:
            return None
        self.acting.emit()
        if not self.decided:
            self.tell("Nothing to undo in this session.")
            return None
        item_id, lead = self.decided[-1]
        return self.runner.spawn(self._undo(item_id, lead), "undoing")

    async def _undo(self, item_id: int, lead: str) -> None:
        changes = await self._run(lambda: items.undo_decision(self.context.database, self.context.actor, item_id, lead))
        if isinstance(changes, Changes):
            self.decided.remove((item_id, lead))
            self.changed.emit(changes)

    def bulk_approve(self, chosen: list[tuple[int, int]], names: dict[int, str]) -> asyncio.Task[None] | None:
        """``names``: each item's lead as the queue shows it, for the outcome's wording."""
        if self._busy or not chosen:
            return None
        self.acting.emit()
        return self.runner.spawn(self._bulk(chosen, names), "approving the selection")

    async def _bulk(self, chosen: list[tuple[int, int]], names: dict[int, str]) -> None:
        outcome = await self._run(
            lambda: items.approve_many(
                self.context.database, self.context.actor, chosen, names, self.context.undo_window
            )
        )
        if not isinstance(outcome, tuple):
            return
        approved, changes = outcome
        self.decided.extend((i, names.get(i, "")) for i in approved)
        if self.current is not None and self.current.id in approved:
            self._heartbeat.stop()
            self.claimed = False
        self.changed.emit(changes)  # the queue moves on once, to one next item

    def assign(self, item_ids: list[int], login: str) -> asyncio.Task[None] | None:
        """Give the selected items to ``login`` ("": the shared queue); supervisors only."""
        if self._busy or not item_ids:
            return None
        return self.runner.spawn(self._assign(item_ids, login), "assigning the items")

    async def _assign(self, item_ids: list[int], login: str) -> None:
        changes = await self._run(
            lambda: items.assign_items(self.context.database, self.context.actor, item_ids, login)
        )
        if isinstance(changes, Changes):
            self.changed.emit(changes)

    def regenerate(self, drafting: DraftingController, instruction: str, text: str) -> asyncio.Task[None] | None:
        """Ask the AI for a new version of the open item's draft: ``instruction`` applied to
        ``text`` (the editor's text, the reviewer's edit included). The new version replaces
        the editor's text; earlier versions stay listed."""
        detail = self.current
        if detail is None or self._busy or self._regenerating:
            return None
        self.acting.emit()
        if detail.status not in OPEN_ITEM_STATUSES:
            self.tell(f"This item is already {words.status(detail.status).lower()}.")
            return None
        return self.runner.spawn(
            self._regenerate(drafting, detail, instruction.strip(), text), "asking for a new draft"
        )

    async def _regenerate(self, drafting: DraftingController, detail: ItemDetail, instruction: str, text: str) -> None:
        self._regenerating = True
        self.regenerating.emit(True)
        try:
            try:
                result = await drafting.regenerate(detail.id, instruction, text)
            except (AiUnavailable, RequestUnavailable) as exc:
                self.tell(f"No new draft: {exc}. The draft is unchanged.", "warning")
                return
            changes = await self._run(
                lambda: items.store_new_draft(
                    self.context.database, self.context.actor, detail, result, instruction, self.unsaved
                )
            )
            if not isinstance(changes, Changes):
                return
            if self._kept is not None:
                self._kept.pop(detail.id, None)  # its file went with the new draft
            self.changed.emit(changes)
            fresh = await self.show_again(detail.id)
            if fresh is not None:
                self.tell(f"New draft: version {fresh.draft_version}. The earlier ones are under Versions.")
        finally:
            self._regenerating = False
            self.regenerating.emit(False)

    def _act(self, what: str, call: Callable[[ItemDetail], Changes]) -> asyncio.Task[None] | None:
        detail = self.current
        if detail is None or self._busy:
            return None
        self.acting.emit()
        if detail.status not in OPEN_ITEM_STATUSES:
            self.tell(f"This item is already {words.status(detail.status).lower()}.")
            return None
        return self.runner.spawn(self._act_on(detail, call), what)

    async def _act_on(self, detail: ItemDetail, call: Callable[[ItemDetail], Changes]) -> None:
        """A decision: it leaves the reviewer's hands (and can be undone while on the desk)."""
        self._flush_text()
        changes = await self._run(lambda: call(detail))
        if changes is OFFLINE:
            return  # nothing changed; the text is kept and the monitor is reconnecting
        if changes is None:
            await self.show_again(detail.id)  # refused: as it is now; the editor keeps the text
            return
        self.decided.append((detail.id, detail.lead_label))
        self._heartbeat.stop()
        self.claimed = False
        self.changed.emit(changes)  # the next item opens now; tidying up can follow
        await self._discard(detail.id)

    async def _run(self, call: Callable[[], Any]) -> Any:
        """The call's result; None when it was refused (the reason is shown); ``OFFLINE``
        when the database could not be reached (nothing changed)."""
        self._busy = True
        try:
            return await self.runner.db(call)
        except ActionRefused as refusal:
            self.tell(str(refusal), "warning")
            return None
        except Exception as exc:
            if is_busy(exc):
                self.tell(
                    "The database is busy (another program holds its lock), so nothing was changed. "
                    "Try again in a moment; your text is kept.",
                    "warning",
                )
                return OFFLINE
            if not is_connection_error(exc):
                raise
            self.connection_lost.emit()
            self.tell(
                "The database cannot be reached, so nothing was changed. Your text is kept on this "
                "computer; try again once it is back.",
                "error",
            )
            return OFFLINE
        finally:
            self._busy = False

    def save_text_now(self) -> None:
        """Write the text being edited to disk at once, on this thread (an unexpected error:
        no waiting for a worker; the file is small)."""
        self._autosave.stop()
        pending, self._pending_text = self._pending_text, None
        if pending is not None:
            self.unsaved.save(*pending)

    def stop_timers(self) -> None:
        self._heartbeat.stop()
        self._flush_text()

    async def close(self) -> None:
        """Give back the open item (closing the desk). An open that finishes after this lets
        its claim go at once."""
        self._closed = True
        self._heartbeat.stop()
        self._flush_text()
        current, self.current = self.current, None
        if current is not None and self.claimed:
            self.claimed = False
            await self._release(current.id)
