"""Starting, running and stopping the desktop desk under qasync."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import QTimer

from app.ai.config import AiConfig
from app.identity import Actor
from app.pipeline.poller import PollConfig, PollResult, poll_once
from app.services.errors import ActionRefused
from app.services.outbound import release_due
from app.services.claims import release_expired_claims
from app.crm.adapters import Adapter, Outgoing
from app.crm.preview import preview, read_outgoing
from app.crm.sender import push_due, retry_handoff
from app.memory import freeze_long_lived
from app.pipeline.normalizers import PROVIDERS
from app.settings import Settings
from app.unsaved import UnsavedEdits
from db.engine import Database
from db.queries.drafting import count_drafting
from db.queries.lookups import clients, integration_accounts
from db.queries.detail import ItemDetail
from db.queries.pauses import Pause, pause_covering
from db.types import utcnow
from db.vocab import ItemKind, PauseScope
from ui.connection import ConnectionMonitor
from ui.dialogs.awaiting import run_dialog
from ui.dialogs.cheat_sheet import CheatSheet
from ui.dialogs.snippets import SnippetsDialog
from ui.drafting import DraftingController
from ui.pauses.board import PauseBoard, ask_and_pause
from ui.pauses.controller import PauseController
from ui.pauses.new_pause import PauseChoices
from ui.errors import is_connection_error
from ui.main_window import MainWindow
from ui.queue.controller import QueueController
from ui.queue.model import QueueTableModel
from ui.review.session import ReviewContext, ReviewSession
from ui.tasks import TaskRunner

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
    # Reads the AI settings and key for new settings (on a worker thread: the keyring may block).
    load_ai: Callable[[Settings], AiConfig | None] = lambda _settings: None
    crm: Adapter | None = None  # None: approved handoffs wait in the outbox table
    # Builds the CRM adapter for new settings (on a worker thread: it reads the keyring).
    load_crm: Callable[[Settings], Adapter | None] = lambda _settings: None


class Desk:
    """The running desk: runner, queue, review session, connection monitor, window, poll timer."""

    def __init__(self, context: DeskContext, runner: TaskRunner) -> None:
        self.context = context
        self.runner = runner
        database, actor, settings = context.database, context.actor, context.settings
        self.model = QueueTableModel()
        self.controller = QueueController(runner, self.model, database, actor.user_id)
        self.session = ReviewSession(runner, ReviewContext(
            database, actor, timedelta(seconds=settings.undo_window_s),
            timedelta(seconds=settings.claim_lease_s)), context.unsaved)
        self.monitor = ConnectionMonitor(runner, database)
        self.drafting = DraftingController(runner, database, context.ai)
        self.pauses = PauseController(runner, database, actor, settings.supervisor_on_duty)
        self.window = MainWindow(self.controller, self.session, database.display_url,
                                 f"{actor.login} ({actor.role})")
        self.window.actions_.set_ai_available(context.ai is not None)
        self.window.actions_.regenerate_requested.connect(
            lambda instruction: self.session.regenerate(self.drafting, instruction, self.window.detail.current_text()))
        self.session.item_updated.connect(lambda _item: self.controller.refresh())
        # Drafts land one by one during a long run: refresh the queue at most twice a second.
        self._drafts_landed = QTimer()
        self._drafts_landed.setSingleShot(True)
        self._drafts_landed.setInterval(500)
        self._drafts_landed.timeout.connect(self._show_new_drafts)
        self.drafting.drafts_arrived.connect(self._drafts_arrived)
        self.poll_timer = QTimer()
        self.poll_timer.setObjectName("pollTimer")
        self.poll_timer.setInterval(int(settings.poll_interval_s * 1000))
        self.poll_timer.timeout.connect(self.poll)
        self._polling = False
        self._pushing: asyncio.Task[None] | None = None
        self._stopped = False
        self.last_poll: PollResult | None = None
        self.session.connection_lost.connect(self.monitor.lost)
        self.monitor.changed.connect(self._connection_changed)
        self.window.settings_action.triggered.connect(self.open_settings)
        self.pauses.changed.connect(self._pauses_changed)
        self._pauses_changed([])  # until the first poll says otherwise
        self.session.opened.connect(self._say_if_held)
        self.session.opened.connect(self._preview_handoff)
        self.window.actions_.retry_push_requested.connect(self._retry_push)
        self.pauses.notice.connect(lambda text, level: self.window.banner.show_message(text, level))
        self.window.pauses_action.triggered.connect(self.open_pause_board)
        self.window.pause_workflow_action.triggered.connect(lambda: self.pause_current(PauseScope.WORKFLOW))
        self.window.pause_client_action.triggered.connect(lambda: self.pause_current(PauseScope.CLIENT))
        can_pause = actor.can_supervise
        for action in (self.window.pause_workflow_action, self.window.pause_client_action):
            action.setEnabled(can_pause)
        self.window.help_action.triggered.connect(self.open_cheat_sheet)
        self.window.snippets_action.triggered.connect(self.open_snippets)

    def start(self) -> None:
        freeze_long_lived()
        self.window.show()
        self.controller.reload()
        self.controller.refresh_counts()
        self.runner.spawn(self._load_choices(), "loading the filter choices")
        self.poll()
        self.poll_timer.start()

    # --- polling ---------------------------------------------------------------------------

    def poll(self) -> asyncio.Task[None] | None:
        if self._polling:
            return None
        self._polling = True
        return self.runner.spawn(self._poll(), "polling for new work")

    async def _poll(self) -> None:
        database = self.context.database
        try:
            result = await self.runner.db(poll_once, database, self.context.poll_config)
            released = await self.runner.db(release_due, database, self.context.actor.login, "desk")
            expired = await self.runner.db(release_expired_claims, database)
            tripped = await self.runner.db(self.pauses.run_rules) if self.pauses.check_rules_due() else []
            pauses = await self.runner.read(self.pauses.read_active)
            drafting = await self.runner.read(self._drafting_count)
        except Exception as exc:
            if not is_connection_error(exc):
                raise
            self.monitor.lost()
            return
        finally:
            self._polling = False
        self.last_poll = result
        summary = f" · {result.processed} new" if result.claimed else ""
        if result.quarantined or result.held:
            summary += f", {result.quarantined} quarantined, {result.held} held"
        self.window.show_poll(utcnow(), summary)
        self.pauses.show(pauses, tripped)
        self._push_handoffs()
        self.window.show_drafting(self.drafting.enabled, drafting)
        self.drafting.run()
        if result.items or released or expired:
            self.controller.refresh()
        self.controller.refresh_counts()
        if result.claimed or released or expired:  # an idle poll every few seconds is not news
            log.info("poll: %d new webhook events, %d items, %d released, %d claims expired",
                     result.processed, result.items, released, expired)

    def _drafts_arrived(self, _count: int) -> None:
        if not self._drafts_landed.isActive():
            self._drafts_landed.start()

    def _show_new_drafts(self) -> None:
        self.controller.refresh()
        self.controller.refresh_counts()
        self.runner.spawn(self._show_drafting(), "counting the drafts in progress")

    async def _show_drafting(self) -> None:
        self.window.show_drafting(self.drafting.enabled, await self.runner.read(self._drafting_count))

    def _drafting_count(self) -> int:
        with self.context.database.read() as session:
            return count_drafting(session)

    def _push_handoffs(self) -> None:
        """Approved CRM handoffs leave on their own task: a slow CRM never delays a poll."""
        if self.context.crm is None or (self._pushing is not None and not self._pushing.done()):
            return
        self._pushing = self.runner.spawn(self._push(self.context.crm), "pushing CRM handoffs")

    async def _push(self, adapter: Adapter) -> None:
        try:
            run = await self.runner.background(push_due, self.context.database, adapter, "desk")
        except Exception as exc:
            if not is_connection_error(exc):
                raise
            return  # the monitor reports the connection; the handoffs stay in the outbox table
        if run.failed:
            self.window.banner.show_message(
                f"{run.failed} CRM handoff(s) failed: open them in the Decided view to read the error and "
                "retry (Ctrl+Shift+R).", "warning")

    def _preview_handoff(self, detail: ItemDetail | None) -> None:
        if detail is not None and detail.kind == ItemKind.CRM_HANDOFF:
            self.runner.spawn(self._load_preview(detail.id), "previewing the CRM handoff")

    async def _load_preview(self, item_id: int) -> None:
        def read() -> Outgoing | None:
            with self.context.database.read() as session:
                return read_outgoing(session, item_id)

        outgoing = await self.runner.read(read)
        if outgoing is not None:  # the CRM is asked off the database threads: it may be slow
            shown = await self.runner.background(preview, outgoing, self.context.crm)
            self.window.detail.show_crm_preview(item_id, shown.as_text())

    def _retry_push(self) -> None:
        detail = self.session.current
        if detail is not None:
            self.runner.spawn(self._retry(detail.id), "retrying a CRM push")

    async def _retry(self, item_id: int) -> None:
        try:
            await self.runner.db(retry_handoff, self.context.database, self.context.actor, item_id)
        except ActionRefused as refusal:
            self.window.banner.show_message(str(refusal), "warning")
            return
        self.window.banner.show_message("The handoff goes to the CRM again on the next poll.", "info")
        await self.session.show_again(item_id)
        self._push_handoffs()

    def _pauses_changed(self, pauses: list[Pause]) -> None:
        self.model.set_pauses(pauses)
        self.window.show_pauses(len(pauses))
        self.window.pause_label.setToolTip("\n".join(f"{p.label}: {p.reason}" for p in pauses) or "Nothing is paused")

    def _say_if_held(self, detail: ItemDetail | None) -> None:
        holding = detail and pause_covering(self.pauses.active, detail.workflow, detail.client_id, detail.provider)
        if holding:
            self.window.banner.show_message(
                f"Held: {holding.label} is paused ({holding.reason}). You can review this item; what you "
                "approve leaves once the pause is resumed.", "info")

    async def _pause_choices(self) -> PauseChoices:
        def read() -> PauseChoices:
            with self.context.database.read() as session:
                return PauseChoices(clients(session), list(PROVIDERS), integration_accounts(session))

        return await self.runner.read(read)

    def open_pause_board(self) -> None:
        board = PauseBoard(self.pauses, self._pause_choices, self.window)
        self.runner.spawn(board.load(), "reading the pauses")
        self.runner.spawn(self._show(board), "showing the pauses")

    def pause_current(self, scope: PauseScope) -> None:
        """Pause the open item's workflow or client (asks why first)."""
        detail = self.session.current
        if detail is None:
            return
        key = detail.workflow if scope == PauseScope.WORKFLOW else str(detail.client_id)
        self.runner.spawn(self._pause_current(scope, key), "asking what to pause")

    async def _pause_current(self, scope: PauseScope, key: str) -> None:
        await ask_and_pause(self.pauses, await self._pause_choices(), self.window, scope, key)

    async def _load_choices(self) -> None:
        from app.pipeline.normalizers import PROVIDERS
        from db.queries.lookups import Choice
        from db.vocab import Workflow

        def load() -> list[Choice]:
            with self.context.database.read() as session:
                return clients(session)

        bar = self.window.filters
        bar.fill(bar.client, await self.runner.read(load))
        bar.fill(bar.provider, [Choice(p, p) for p in PROVIDERS])
        bar.fill(bar.workflow, [Choice(w.value, w.value.replace("_", " ")) for w in Workflow])

    def _connection_changed(self, connected: bool) -> None:
        self.window.show_connection(connected, self.context.database.display_url)
        if connected:
            self.window.refresh()

    # --- dialogs -------------------------------------------------------------------------

    def open_settings(self) -> None:
        # Imported when first opened: its HTTP and keyring libraries are not needed before.
        from ui.dialogs.settings import SettingsDialog

        dialog = SettingsDialog(self.context.settings, self.runner, self.context.outbox_dir,
                                self.context.save_settings, self.window)
        dialog.saved.connect(self._apply_settings)
        self.runner.spawn(self._show(dialog), "showing the settings")

    def _apply_settings(self, settings: Settings) -> None:
        self.context = replace(self.context, settings=settings)
        self.poll_timer.setInterval(int(settings.poll_interval_s * 1000))
        self.session.context = replace(self.session.context,
                                       undo_window=timedelta(seconds=settings.undo_window_s))
        self.runner.spawn(self._apply_ai(settings), "applying the AI settings")
        self.runner.spawn(self._apply_crm(settings), "applying the CRM settings")

    async def _apply_crm(self, settings: Settings) -> None:
        crm = await self.runner.read(self.context.load_crm, settings)
        self.context = replace(self.context, crm=crm)  # the context as it is now, not before the await

    async def _apply_ai(self, settings: Settings) -> None:
        ai = await self.runner.read(self.context.load_ai, settings)
        ingest = replace(self.context.poll_config.ingest, await_ai=ai is not None)
        self.context = replace(self.context, ai=ai, poll_config=replace(self.context.poll_config, ingest=ingest))
        self.drafting.configure(ai)
        self.window.actions_.set_ai_available(ai is not None)
        await self._show_drafting()
        self.drafting.run()

    def open_snippets(self) -> None:
        dialog = SnippetsDialog(self.context.database, self.context.actor, self.runner, self.window)
        self.runner.spawn(dialog.load(), "reading the snippets")
        self.runner.spawn(self._show(dialog), "showing the snippets")

    def open_cheat_sheet(self) -> None:
        self.runner.spawn(self._show(CheatSheet(self.window.actions_.all, self.window)), "showing the shortcuts")

    @staticmethod
    async def _show(dialog: object) -> None:
        await run_dialog(dialog)  # type: ignore[arg-type]
        dialog.deleteLater()  # type: ignore[attr-defined]

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
        self._drafts_landed.stop()
        await self.drafting.stop()  # drafts in flight are saved first
        await self.runner.idle()  # an item being opened right now is claimed before we let go
        await self.session.close()
        await self.runner.idle()
        await self.runner.db(self.context.database.dispose)
        await self.runner.shutdown()
        log.info("desk closed cleanly")
