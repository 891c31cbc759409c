"""Every command of the desk as a QAction with its keyboard shortcut, wired to the session and
the queue. The toolbar, the detail pane's buttons and the cheat sheet all show these actions,
so what a key does is written down once."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMessageBox, QWidget

from app.desk.items import read_only_reason
from app.desk.tasks import assignable_users
from app.services.approval_rules import Acknowledgement, needs_acknowledgement
from db.vocab import ItemKind, ItemStatus, Severity
from ui.detail.panel import DetailPanel
from ui.dialogs.acknowledge import AcknowledgeDialog
from ui.dialogs.awaiting import run_dialog
from ui.dialogs.note import EscalateDialog, NoteDialog, RejectDialog
from ui.dialogs.regenerate import RegenerateDialog
from ui.dialogs.task import ReassignDialog
from ui.queue.controller import QueueController
from ui.queue.view import QueueView
from ui.review.session import ReviewSession


class ReviewActions(QObject):
    regenerate_requested = Signal(str)  # the reviewer's instruction for a new draft
    retry_push_requested = Signal()

    def __init__(
        self,
        window: QWidget,
        session: ReviewSession,
        controller: QueueController,
        queue: QueueView,
        panel_getter: Callable[[], DetailPanel],
    ) -> None:
        super().__init__(window)
        self.window = window
        self.session = session
        self.controller = controller
        self.queue = queue
        self._panel = panel_getter
        self.all: list[QAction] = []
        add = self._add
        self.approve = add(
            "&Approve  A", ["A"], self._approve_as_drafted, "Approve the draft as it is and open the next item"
        )
        self.approve_edits = add(
            "Approve &edits  Ctrl+Enter",
            ["Ctrl+Return", "Ctrl+Enter"],
            self._approve_edited,
            "Approve the text as you edited it",
        )
        self.reject = add("&Reject…  R", ["R"], self._reject, "Reject, with a reason and a note (both required)")
        self.escalate = add(
            "Escala&te…  E", ["E"], self._escalate, "Hand the item to a supervisor, with a note of what to look at"
        )
        self.skip = add("&Skip  S", ["S"], self.session.skip, "Leave this item for later")
        self.regenerate = add(
            "New &draft…  G", ["G"], self._regenerate, "Ask the AI for another version, with an instruction"
        )
        self.retry_push = add(
            "Retry CRM push",
            ["Ctrl+Shift+R"],
            lambda: self.retry_push_requested.emit(),
            "Send a failed CRM handoff again, after fixing what its error names (supervisors)",
        )
        self.undo = add(
            "&Undo  U",
            ["U", "Ctrl+Z"],
            lambda: self.session.undo_last(),
            "Take back your last decision while it is still on the desk",
        )
        self.bulk = add(
            "Approve selected",
            ["Ctrl+Shift+A"],
            self._bulk,
            "Approve the selected low-risk items (never high-severity ones)",
        )
        self.assign = add(
            "Assi&gn selected…  Ctrl+R",
            ["Ctrl+R"],
            self._assign,
            "Give the selected items to someone: their queue's Mine view shows them (supervisors)",
        )
        self.next = add("Next  J", ["J"], lambda: self.controller.move(1), "Next item")
        self.previous = add("Previous  K", ["K"], lambda: self.controller.move(-1), "Previous item")
        self.first = add("First", ["Ctrl+Home"], lambda: self.controller.go_to_end(False), "First item")
        self.last = add("Last", ["Ctrl+End"], lambda: self.controller.go_to_end(True), "Last item")
        self.edit = add("Edit text", ["I", "F2"], self._focus_editor, "Edit the client-safe text")
        self.leave = add("Back to the queue", ["Esc"], self._focus_queue, "Leave the text and go back to the queue")
        self.review_actions = [
            self.approve,
            self.approve_edits,
            self.reject,
            self.escalate,
            self.skip,
            self.undo,
            self.regenerate,
        ]
        self.ai_available = False
        self.queue_shown = True  # the queue, not the task inbox, is on screen
        # An action on its way leaves the others on (the session refuses a second one
        # meanwhile), so a decision does not flicker the toolbar off and on.
        for changed in (session.claim_changed, session.regenerating):
            changed.connect(self._state_changed)
        self.update_enabled()

    def _add(self, text: str, keys: list[str], slot: Callable[[], object], tip: str) -> QAction:
        action = QAction(text, self.window)
        action.setShortcuts([QKeySequence(k) for k in keys])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.setToolTip(f"{tip} ({' or '.join(keys)})")
        action.setStatusTip(tip)
        action.triggered.connect(lambda *_: slot())
        self.window.addAction(action)
        self.all.append(action)
        return action

    def add_global(self, text: str, keys: list[str], slot: Callable[[], object], tip: str) -> QAction:
        """For the window's own commands (refresh, settings...), so they are in the cheat sheet."""
        return self._add(text, keys, slot, tip)

    def _state_changed(self, _state: bool) -> None:
        self.update_enabled()

    def update_enabled(self) -> None:
        """What can be done to the open item now. One the reviewer can only read (decided, or
        open at another desk) has its actions off and the pane says why."""
        detail = self.session.current
        locked = None
        if detail is not None:  # (none while the window is being built, before the pane exists)
            locked = read_only_reason(detail, self.session.context.actor.login)
            self._panel().set_read_only(locked)
        can_act = detail is not None and locked is None and self.session.claimed
        for action in (self.approve, self.approve_edits, self.reject, self.escalate):
            action.setEnabled(can_act)
        self.skip.setEnabled(detail is not None)
        self.regenerate.setEnabled(can_act and self.ai_available and not self.session.regenerating_now)
        self.undo.setEnabled(bool(self.session.decided))
        self.retry_push.setEnabled(
            detail is not None and detail.kind == ItemKind.CRM_HANDOFF and detail.status == ItemStatus.FAILED
        )
        for action in (self.next, self.previous, self.first, self.last, self.bulk, self.edit):
            action.setEnabled(self.queue_shown)
        supervises = self.session.context.actor.can_supervise
        self.assign.setEnabled(self.queue_shown and supervises)
        if not supervises:
            self.assign.setToolTip("Only a supervisor can give items to someone")

    def set_queue_shown(self, shown: bool) -> None:
        """Moving through the queue (J, K, ...) is for the queue: off while the inbox shows."""
        self.queue_shown = shown
        self.update_enabled()

    # --- the commands -------------------------------------------------------------------

    def _approve_as_drafted(self) -> None:
        if self._panel().is_edited():
            self.session.tell(
                "You edited the text: Ctrl+Enter approves your edit. To approve the draft as it "
                "was, undo your changes in the text first."
            )
            return
        self._approve(None)

    def _approve_edited(self) -> None:
        panel = self._panel()
        self._approve(panel.current_text() if panel.is_edited() else None)

    def _approve(self, text: str | None) -> None:
        """High-risk flags are acknowledged one by one first; the service checks the rest."""
        detail = self.session.current
        if detail is None or not self.approve.isEnabled():
            return
        risky = [f for f in detail.flags if needs_acknowledgement(f.code, f.severity)]
        if not risky:
            self.session.approve(text)
            return
        self.session.runner.spawn(self._acknowledge_and_approve(text, risky), "asking about the flags")

    async def _acknowledge_and_approve(self, text: str | None, risky: list) -> None:  # type: ignore[type-arg]
        detail = self.session.current
        dialog = AcknowledgeDialog(detail.lead_label if detail else "this lead", risky, self.window)
        accepted = await run_dialog(dialog) == AcknowledgeDialog.DialogCode.Accepted
        acknowledged: Acknowledgement = dialog.choice()
        dialog.deleteLater()
        if accepted and self.session.current is detail:
            task = self.session.approve(text, acknowledged)
            if task is not None:
                await task

    def _escalate(self) -> None:
        self._decide_with_note(EscalateDialog, lambda d: self.session.escalate(d.text()), "escalating")

    def _reject(self) -> None:
        self._decide_with_note(RejectDialog, lambda d: self.session.reject(*d.choice()), "rejecting")

    def _decide_with_note(
        self, make: Callable[[QWidget], NoteDialog], act: Callable[[NoteDialog], object], what: str
    ) -> None:
        """Reject and escalate ask for their note first, in a dialog; closing it changes nothing."""
        if self.session.current is None or not self.reject.isEnabled():
            return
        self.session.runner.spawn(self._ask_and_decide(make(self.window), act), what)

    async def _ask_and_decide(self, dialog: NoteDialog, act: Callable[[NoteDialog], object]) -> None:
        if await run_dialog(dialog) == NoteDialog.DialogCode.Accepted:
            task = act(dialog)
            if isinstance(task, asyncio.Task):
                await task
        dialog.deleteLater()

    def set_ai_available(self, available: bool) -> None:
        self.ai_available = available
        self.regenerate.setToolTip(
            "Ask the AI for another version, with an instruction (G)"
            if available
            else "Needs an AI server: set one up in Settings (Ctrl+,)"
        )
        self.update_enabled()

    def _regenerate(self) -> None:
        if self.session.current is None or not self.regenerate.isEnabled():
            return
        self.session.runner.spawn(self._ask_and_regenerate(), "asking for a new draft")

    async def _ask_and_regenerate(self) -> None:
        dialog = RegenerateDialog(self.window)
        if await run_dialog(dialog) == RegenerateDialog.DialogCode.Accepted and dialog.choice():
            self.regenerate_requested.emit(dialog.choice())
        dialog.deleteLater()

    def _bulk(self) -> None:
        rows = self.queue.selected_rows()
        entries = [e for r in rows if (e := self.controller.model.row_at(r)) is not None]
        if len(entries) < 2:
            self.session.tell(
                "Select several items first (Shift or Ctrl with the arrows or the mouse), then approve them together."
            )
            return
        self.session.runner.spawn(self._confirm_bulk(entries), "approving the selection")

    async def _confirm_bulk(self, entries: list) -> None:  # type: ignore[type-arg]
        """One confirmation naming how many and whose; high-risk items are named as left out."""
        low = [e for e in entries if e.top_severity < Severity.HIGH]
        high = [e for e in entries if e.top_severity >= Severity.HIGH]
        names = ", ".join(e.lead_label for e in low[:8]) + (f" and {len(low) - 8} more" if len(low) > 8 else "")
        text = f"Approve {len(low)} item(s) as drafted: {names}?" if low else "Nothing to approve:"
        if high:
            text += (
                "\n\nLeft out (high-risk, review each on its own): "
                + ", ".join(e.lead_label for e in high[:8])
                + (" …" if len(high) > 8 else "")
            )
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Approve selected",
            text,
            QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel,
            self.window,
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.button(QMessageBox.StandardButton.Ok).setText(f"Approve {len(low)}")
        box.button(QMessageBox.StandardButton.Ok).setEnabled(bool(low))
        confirmed = await run_dialog(box) == QMessageBox.StandardButton.Ok
        box.deleteLater()
        if confirmed:
            task = self.session.bulk_approve([(e.id, e.version) for e in low], {e.id: e.lead_label for e in entries})
            if task is not None:
                await task

    def _assign(self) -> None:
        if not self.assign.isEnabled():
            return
        rows = self.queue.selected_rows() or [self.queue.currentIndex().row()]
        entries = [e for r in rows if r >= 0 and (e := self.controller.model.row_at(r)) is not None]
        if not entries:
            self.session.tell("Select the items to assign first (Shift or Ctrl with the arrows or the mouse).")
            return
        self.session.runner.spawn(self._ask_whom(entries), "asking whom to give the items to")

    async def _ask_whom(self, entries: list) -> None:  # type: ignore[type-arg]
        users = await self.session.runner.read(assignable_users, self.session.context.database)
        what = entries[0].lead_label if len(entries) == 1 else f"{len(entries)} selected items"
        current = entries[0].assignee or "" if len(entries) == 1 else ""
        dialog = ReassignDialog(
            users, current, what, self.window, title="Assign the items", nobody="Nobody: the shared queue"
        )
        if await run_dialog(dialog) == ReassignDialog.DialogCode.Accepted:
            task = self.session.assign([e.id for e in entries], dialog.login())
            if task is not None:
                await task
        dialog.deleteLater()

    def _focus_editor(self) -> None:
        editor = self._panel().editor
        if not editor.isReadOnly():
            editor.setFocus(Qt.FocusReason.ShortcutFocusReason)
            editor.moveCursor(editor.textCursor().MoveOperation.End)

    def _focus_queue(self) -> None:
        self.queue.setFocus(Qt.FocusReason.ShortcutFocusReason)
