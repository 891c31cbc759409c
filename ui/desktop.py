"""Starting, running and stopping the desktop desk under qasync.

The desk assembles the window, the controllers and the lanes, and is the one dispatcher:
every ``Changes`` an operation hands back (a decision, a pause, a poll) comes to ``apply``,
which routes it to the queue, the detail pane, the status bar and the notices. A click on an
item reaches its operation once and its outcome comes back once. Every outcome lands in the
notice log; what is true of the open item (held by a pause, text restored, read only) is its
item note, recomputed at every open, so it never hides an outcome and never outlives its item.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer

from app import words
from app.ai.config import AiConfig
from app.crm.adapters import Adapter
from app.cycle import CycleResult, run_cycle
from app.desk import items, lookups
from app.desk import pauses as pause_ops
from app.desk import queue as queue_ops
from app.desk.changes import Changes, Notice
from app.desk.connection import is_connection_error
from app.desk.types import Database, ItemDetail, QueueRow, pause_covering
from app.identity import Actor
from app.memory import freeze_long_lived
from app.pipeline.poller import PollConfig
from app.settings import Settings
from app.unsaved import UnsavedEdits
from db.types import utcnow
from db.vocab import ItemKind
from ui.connection import ConnectionMonitor
from ui.crm_push import HandoffPusher
from ui.detail.lead_panel import LeadPanel
from ui.dialogs.awaiting import show_then_delete
from ui.dialogs.cheat_sheet import CheatSheet
from ui.dialogs.snippets import SnippetsDialog
from ui.drafting import DraftingController
from ui.inbox.alerts import Notifier
from ui.inbox.side import TaskSide
from ui.main_window import MainWindow
from ui.notices import NoticeEntry
from ui.pauses.commands import PauseCommands
from ui.pauses.controller import PauseController
from ui.presence import DeskPresence
from ui.queue.controller import QueueController
from ui.queue.model import QueueTableModel
from ui.review.session import ReviewContext, ReviewSession
from ui.tasks import TaskRunner

if TYPE_CHECKING:
    from ui.reports.view import ReportsWindow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DeskContext:
    """What the desk works against: one database, one reviewer, one configuration."""

    database: Database
    actor: Actor
    poll_config: PollConfig
    settings: Settings
    unsaved: UnsavedEdits
    outbox_dir: Path
    save_settings: Callable[[Settings], None] = lambda _settings: None
    ai: AiConfig | None = None  # None: offline drafting only
    # Reads the AI settings and key for new settings (on the I/O lane: the keyring may block).
    load_ai: Callable[[Settings], AiConfig | None] = lambda _settings: None
    crm: Adapter | None = None  # None: approved handoffs wait in the outbox table
    # Builds the CRM adapter for new settings (on the I/O lane: it reads the keyring).
    load_crm: Callable[[Settings], Adapter | None] = lambda _settings: None


class Desk:
    """The running desk: runner, queue, review session, connection monitor, window, poll timer."""

    def __init__(self, context: DeskContext, runner: TaskRunner, notifier: Notifier | None = None) -> None:
        self.context = context
        self.runner = runner
        database, actor, settings = context.database, context.actor, context.settings
        self.model = QueueTableModel()
        self.controller = QueueController(
            runner, self.model, database, actor.user_id, login=actor.login, supervises=actor.can_supervise
        )
        self.session = ReviewSession(
            runner,
            ReviewContext(
                database, actor, timedelta(seconds=settings.undo_window_s), timedelta(seconds=settings.claim_lease_s)
            ),
            context.unsaved,
        )
        self.monitor = ConnectionMonitor(runner, database)
        self.drafting = DraftingController(runner, database, context.ai)
        self.pauses = PauseController(runner, database, actor)
        self.tasks = TaskSide(runner, database, actor)
        self.presence = DeskPresence(runner, database, actor)
        self.window = MainWindow(
            self.controller, self.session, self.tasks.inbox, database.display_url, f"{actor.login} ({actor.role})"
        )
        self.tasks.attach(self.window, self.apply, self.monitor.lost, notifier)
        self.item_lead = LeadPanel(runner, database, actor)  # the open item's; the task's is the inbox side's
        self.window.detail.add_lead_panel(self.item_lead)
        self.window.actions_.set_ai_available(context.ai is not None)
        self.crm = HandoffPusher(
            runner, database, actor, self.session, self.window.detail, self.apply, lambda: self.context.crm
        )
        self.pause_commands = PauseCommands(runner, database, self.pauses, self.session, self.window)
        # Drafts land one by one during a long run: refresh the queue at most twice a second.
        self._drafts_landed = QTimer()
        self._drafts_landed.setSingleShot(True)
        self._drafts_landed.setInterval(500)
        self._drafts_landed.timeout.connect(self._show_new_drafts)
        self.poll_timer = QTimer()
        self.poll_timer.setObjectName("pollTimer")
        self.poll_timer.setInterval(int(settings.poll_interval_s * 1000))
        self.poll_timer.timeout.connect(self.poll)
        self._polling = False
        self._restored = False  # the open item's editor shows text restored from this computer
        self._stopped = False
        self.last_poll: CycleResult | None = None
        self.reports: ReportsWindow | None = None  # opened on first use (``open_reports``)
        self._wire()
        self.window.show_counting()  # until the first count and the first read of the pauses

    def _wire(self) -> None:
        """Every connection between the parts, once."""
        window, actions = self.window, self.window.actions_
        self.controller.current_item.connect(self._open_entry)
        self.session.opened.connect(self._item_opened)
        self.session.changed.connect(self.apply)
        self.session.acting.connect(window.notices.action_started)
        self.session.claim_changed.connect(self._claim_changed)
        self.pauses.changed.connect(self.apply)
        window.tasks_shown.connect(self._tasks_shown)
        self.item_lead.changed.connect(self.apply)
        self.item_lead.moved.connect(self._lead_moved)
        self.session.connection_lost.connect(self.monitor.lost)
        self.monitor.changed.connect(self._connection_changed)
        self.drafting.drafts_arrived.connect(self._drafts_arrived)
        self.runner.failed.connect(window.show_failure)
        window.detail.text_edited.connect(self.session.text_edited)
        actions.regenerate_requested.connect(self._regenerate)
        actions.retry_push_requested.connect(self.crm.retry_open_item)
        window.settings_action.triggered.connect(self.open_settings)
        window.pauses_action.triggered.connect(self.pause_commands.open_board)
        window.pause_workflow_action.triggered.connect(self.pause_commands.pause_workflow)
        window.pause_client_action.triggered.connect(self.pause_commands.pause_client)
        window.help_action.triggered.connect(self.open_cheat_sheet)
        window.snippets_action.triggered.connect(self.open_snippets)
        window.reports_action.triggered.connect(self.open_reports)
        window.queue.restore_column_state(self.context.settings.queue_columns)
        window.queue.columns_changed.connect(self._remember_columns)
        for action in (window.pause_workflow_action, window.pause_client_action):
            action.setEnabled(self.context.actor.can_supervise)

    def start(self) -> None:
        freeze_long_lived()
        self.window.show()
        # The pauses are read beside the first page and applied before it is shown, so held
        # rows are greyed from their first paint; the first count is asked for at once.
        self.controller.reload(before_showing=self.runner.spawn(self._read_pauses(), "reading the pauses"))
        self.controller.refresh_counts()
        self.tasks.start()
        self.runner.spawn(self._load_choices(), "loading the filter choices")
        self.presence.start()  # after the first page's reads: the lane takes them in turn
        self.poll()
        self.poll_timer.start()

    async def _read_pauses(self) -> None:
        try:
            pauses = await self.runner.read(pause_ops.active, self.context.database)
        except Exception as exc:
            if not is_connection_error(exc):
                raise
            self.monitor.lost()  # the first poll reads them once the database is back
            return
        self.apply(Changes(pauses=tuple(pauses)))

    # --- the dispatcher ----------------------------------------------------------------------

    def apply(self, changes: Changes) -> None:
        """Route what an operation changed to the panes that show it."""
        self._log(changes)  # first: the rows an approval names are still in the queue
        if changes.left:
            self.controller.items_left(list(changes.left))  # the next item opens now
        if changes.returned:
            self.controller.reload(keep_id=changes.returned[-1])
        elif changes.updated or changes.queue:
            self.controller.refresh()
        if changes.counts or changes.left or changes.returned or changes.queue:
            # Rows a poll brought are counted at once, not up to COUNTS_EVERY_S later: on a first
            # start the queue fills from empty, and its counts must not say 0 meanwhile.
            self.controller.refresh_counts(force=changes.background and changes.queue)
        self.tasks.apply(changes)
        if changes.pauses is not None:
            pauses = list(changes.pauses)
            self.pauses.active = pauses
            self.model.set_pauses(pauses)
            self.window.show_pauses(len(pauses))
            self.window.pause_label.setToolTip(
                "\n".join(f"{words.paused(p.scope, p.key, p.label)}: {p.reason}" for p in pauses) or "Nothing is paused"
            )
            self._show_item_note()
        for item_id in changes.returned:
            self.window.notices.mark_undone(item_id)

    def _log(self, changes: Changes) -> None:
        """Each notice into the log. An approval still undoable counts its window down (and
        names the pause holding it, if one does)."""
        notices = self.window.notices
        now = notices.clock()
        approved = changes.left[0] if len(changes.left) == 1 else None
        counting = approved is not None and changes.release_at is not None and changes.release_at > now
        for notice in changes.notices:
            entry = NoticeEntry(now, notice.text, notice.level, notice.lead, changes.background)
            if counting and notice.lead:
                row = self.model.row_of(approved) if approved is not None else None
                holding = self.model.pause_of(row) if row is not None else None
                entry = replace(
                    entry,
                    until=changes.release_at,
                    item_id=approved,
                    held_by=words.paused(holding.scope, holding.key, holding.label) if holding else "",
                )
            notices.add(entry)

    def _tasks_shown(self, shown: bool) -> None:
        """The inbox took the queue's place: the open item is given back (another reviewer
        may take it); choosing a queue view opens one again."""
        if shown:
            self.session.open(None)

    def _lead_moved(self, lead_id: int) -> None:
        detail = self.session.current
        if detail is not None and detail.lead_id == lead_id:
            self.runner.spawn(self._load_timeline(detail), "loading the lead's timeline")

    def _open_entry(self, entry: QueueRow | None) -> None:
        self.session.open(entry.id if entry else None)

    def _item_opened(self, detail: ItemDetail | None) -> None:
        """The open item changed: the detail pane, its note, its timeline and preview, the next
        item read ahead, the actions."""
        restored = self.session.restored_text(detail) if detail is not None else None
        self._restored = restored is not None
        self.window.detail.show_detail(detail, restored)
        self.window.actions_.update_enabled()
        self._show_item_note()
        self.item_lead.show_lead(detail.lead_id if detail is not None else None)
        if detail is None:
            return
        if detail.lead_id is not None:
            self.runner.spawn(self._load_timeline(detail), "loading the lead's timeline")
        if detail.kind == ItemKind.CRM_HANDOFF:
            self.runner.spawn(self.crm.show_preview(detail.id), "previewing the CRM handoff")
        following = self.controller.next_item_id()
        if following is not None:
            self.session.prefetch(following)

    def _claim_changed(self, _claimed: bool) -> None:
        self._show_item_note()  # a claim refused (or lapsed) makes the item read only here

    def _show_item_note(self) -> None:
        """What is true of the open item now, and of no other: read only and why, held by a
        pause, the reviewer's unsaved text restored."""
        detail = self.session.current
        facts: list[str] = []
        if detail is None:
            self.window.item_note.show_facts(facts)
            return
        if self.session.refusal:
            facts.append(f"Read only: {self.session.refusal}")
        holding = pause_covering(self.pauses.active, detail.workflow, detail.client_id, detail.provider)
        if holding is not None:
            what = words.paused(holding.scope, holding.key, holding.label)
            facts.append(
                f"Held: {what} is paused ({holding.reason}). You can review it; what you approve "
                "leaves once the pause is resumed."
            )
        if self._restored:
            facts.append("Restored the text you were typing (not saved to the item yet).")
        self.window.item_note.show_facts(facts, "warning" if self.session.refusal else "info")

    async def _load_timeline(self, detail: ItemDetail) -> None:
        entries = await self.runner.background(items.timeline, self.context.database, detail.lead_id or 0)
        if self.window.detail.detail is not None and self.window.detail.detail.id == detail.id:
            self.window.detail.timeline_model.set_entries(entries)

    # --- polling ---------------------------------------------------------------------------

    def poll(self) -> asyncio.Task[None] | None:
        if self._polling:
            return None
        self._polling = True
        return self.runner.spawn(self._poll(), "polling for new work")

    def _cycle(self, rules: bool) -> tuple[CycleResult, list, int]:  # type: ignore[type-arg]
        """On the database lane: the same cycle ``review-desk worker`` runs (one batch of new
        deliveries; the AI stage and the CRM sender run beside it and write through this lane),
        then what the status bar shows."""
        database = self.context.database
        result = run_cycle(
            database,
            self.context.poll_config,
            actor=self.context.actor.login,
            source="desk",
            drafting=(lambda: None) if self.drafting.enabled else None,
            on_duty=self.context.settings.supervisor_on_duty,
            rules=rules,
            max_batches=1,
        )
        return result, pause_ops.active(database), queue_ops.drafting_count(database)

    async def _poll(self) -> None:
        try:
            result, pauses, drafting = await self.runner.db(self._cycle, self.pauses.rules_due())
        except Exception as exc:
            if not is_connection_error(exc):
                raise
            self.monitor.lost()
            return
        finally:
            self._polling = False
        self.last_poll = result
        polled = result.polled
        summary = f" · {polled.processed} new" if polled.claimed else ""
        if polled.quarantined or polled.held:
            summary += f", {polled.quarantined} quarantined, {polled.held} held"
        self.window.show_poll(utcnow(), summary)
        self.pauses.show(pauses, result.paused)
        self.crm.push_due()
        self.window.show_drafting(self.drafting.enabled, drafting)
        self.drafting.run()
        moved = polled.items or result.released or result.claims_expired or result.released_without_ai
        released = (
            (Notice(f"{result.released} approval(s) left the desk (their undo time was over).", "info"),)
            if result.released
            else ()
        )
        tasks = bool(polled.tasks or result.escalated)
        self.apply(Changes(queue=bool(moved), counts=True, tasks=tasks, notices=released, background=True))
        if polled.claimed or moved:  # an idle poll every few seconds is not news
            log.info(
                "poll: %d new webhook events, %d items, %d released, %d claims expired",
                polled.processed,
                polled.items,
                result.released,
                result.claims_expired,
            )

    def _drafts_arrived(self, _count: int) -> None:
        if not self._drafts_landed.isActive():
            self._drafts_landed.start()

    def _show_new_drafts(self) -> None:
        self.apply(Changes(queue=True, counts=True))
        self.runner.spawn(self._show_drafting(), "counting the drafts in progress")

    async def _show_drafting(self) -> None:
        waiting = await self.runner.read(queue_ops.drafting_count, self.context.database)
        self.window.show_drafting(self.drafting.enabled, waiting)

    def _regenerate(self, instruction: str) -> None:
        self.session.regenerate(self.drafting, instruction, self.window.detail.current_text())

    # --- filters and the connection ------------------------------------------------------

    async def _load_choices(self) -> None:
        bar = self.window.filters
        bar.fill(bar.client, await self.runner.read(lookups.client_choices, self.context.database))
        bar.fill(bar.provider, lookups.provider_choices())
        bar.fill(bar.workflow, lookups.workflow_choices())

    def _connection_changed(self, connected: bool) -> None:
        self.window.show_connection(connected, self.context.database.display_url)
        if connected:
            self.window.refresh()

    # --- dialogs -------------------------------------------------------------------------

    def open_settings(self) -> None:
        # Imported when first opened: its HTTP and keyring libraries are not needed before.
        from ui.dialogs.settings import SettingsDialog

        dialog = SettingsDialog(
            self.context.settings, self.runner, self.context.outbox_dir, self.context.save_settings, self.window
        )
        dialog.saved.connect(self._apply_settings)
        loading = self.runner.spawn(dialog.load(), "reading the keyring")
        self.runner.spawn(show_then_delete(dialog, loading), "showing the settings")

    def _remember_columns(self, state: str) -> None:
        """The reviewer's choice of queue columns, kept for the next start (on the I/O lane)."""
        settings = replace(self.context.settings, queue_columns=state)
        self.context = replace(self.context, settings=settings)
        self.runner.spawn(self.runner.io(self.context.save_settings, settings), "remembering the queue's columns")

    def _apply_settings(self, settings: Settings) -> None:
        self.context = replace(self.context, settings=settings)
        self.poll_timer.setInterval(int(settings.poll_interval_s * 1000))
        self.session.context = replace(self.session.context, undo_window=timedelta(seconds=settings.undo_window_s))
        self.runner.spawn(self._apply_ai(settings), "applying the AI settings")
        self.runner.spawn(self._apply_crm(settings), "applying the CRM settings")

    async def _apply_crm(self, settings: Settings) -> None:
        crm = await self.runner.io(self.context.load_crm, settings)
        self.context = replace(self.context, crm=crm)  # the context as it is now, not before the await

    async def _apply_ai(self, settings: Settings) -> None:
        ai = await self.runner.io(self.context.load_ai, settings)
        ingest = replace(self.context.poll_config.ingest, await_ai=ai is not None)
        self.context = replace(self.context, ai=ai, poll_config=replace(self.context.poll_config, ingest=ingest))
        self.drafting.configure(ai)
        self.window.actions_.set_ai_available(ai is not None)
        await self._show_drafting()
        self.drafting.run()

    def open_snippets(self) -> None:
        dialog = SnippetsDialog(self.context.database, self.context.actor, self.runner, self.window)
        loading = self.runner.spawn(dialog.load(), "reading the snippets")
        self.runner.spawn(show_then_delete(dialog, loading), "showing the snippets")

    def open_reports(self) -> None:
        """The Reports window, one per desk, read again each time it is opened."""
        if self.reports is None:
            # Imported when first opened: the charts library is not needed before.
            from ui.reports.controller import ReportsController
            from ui.reports.view import ReportsWindow

            controller = ReportsController(self.runner, self.context.database, self.context.actor)
            self.reports = ReportsWindow(controller, self.context.actor, self.window)
            controller.load_choices()
        self.reports.reload()
        self.reports.show()
        self.reports.raise_()
        self.reports.activateWindow()

    def open_cheat_sheet(self) -> None:
        self.runner.spawn(show_then_delete(CheatSheet(self.window.actions_.all, self.window)), "showing the shortcuts")

    # --- stopping ------------------------------------------------------------------------

    async def stop(self) -> None:
        """Stop polling, give back the open item, let work finish, close the database.
        Safe to call twice (a window close and a shutdown may both ask)."""
        if self._stopped:
            return
        self._stopped = True
        self.poll_timer.stop()
        self.monitor.stop()
        self.session.stop_timers()
        self.controller.stop_timers()
        self.tasks.stop()
        self._drafts_landed.stop()
        if self.reports is not None:
            self.reports.close()
        await self.drafting.stop()  # drafts in flight are saved first
        await self.runner.idle()  # an item being opened right now is claimed before we let go
        await self.session.close()
        await self.presence.close()  # from now on, owner alerts go by the person's channel
        await self.runner.idle()
        await self.runner.db(self.context.database.dispose)
        await self.runner.shutdown()
        log.info("desk closed cleanly")
