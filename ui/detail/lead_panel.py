"""The lead panel beside the timeline: the lead's stage, its next action and when the lead
first heard from someone, moving it on (to a later stage, or to lost with a reason), and
recording the customer's rating of the job (Alt+N; a low one pauses its review request).

One ``LeadPanel`` shows in the item's detail pane and one in the task pane; each reads its own
lead and moves it through ``app.desk.leads``. What a move changed goes to the desk's notices
(``changed``); a refusal says why there too."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QDateTime, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app import words
from app.desk import leads
from app.desk.changes import Changes, Notice
from app.desk.connection import is_connection_error
from app.desk.leads import LOST_REASONS, LeadCard
from app.desk.types import Database
from app.identity import Actor
from app.services.errors import ActionRefused
from ui.dates import datetime_format, short_datetime
from ui.detail.panel import plain_label
from ui.tasks import TaskRunner


def response_text(card: LeadCard) -> str:
    if card.first_response_at is None:
        return "No response yet"
    minutes = max(0, round((card.first_response_at - card.first_seen_at).total_seconds() / 60))
    after = f"{minutes} min" if minutes < 120 else f"{minutes // 60} h {minutes % 60:02d}"
    return f"{short_datetime(card.first_response_at)} ({after} after the lead came in)"


def rating_text(card: LeadCard) -> str:
    rated = card.rating
    if rated is None:
        return "Not rated"
    how = {"desk": "entered at the desk", "twilio": "texted"}.get(rated.source, f"from {words.source(rated.source)}")
    return f"{rated.rating} of {rated.scale}, {short_datetime(rated.received_at)} ({how})"


class LeadPanel(QWidget):
    changed = Signal(object)  # Changes: the outcome of a move, for the desk's notices
    moved = Signal(int)  # lead id: its timeline has a new entry

    def __init__(self, runner: TaskRunner, database: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner, self.database, self.actor = runner, database, actor
        self.card: LeadCard | None = None
        self._lead_id: int | None = None
        self.stage = plain_label("", "Stage")
        self.next_action_shown = plain_label("", "Next action")
        self.first_response = plain_label("", "First response")
        self.rated = plain_label("", "Customer's rating")
        self.to = QComboBox()
        self.to.setAccessibleName("Move the lead to")
        self.reason = QComboBox()
        self.reason.setAccessibleName("Why the lead was lost")
        for code in LOST_REASONS:
            self.reason.addItem(words.other(code), code)
        self.next_action = QLineEdit()
        self.next_action.setAccessibleName("Next action")
        self.next_action.setPlaceholderText("What happens next (optional)")
        self.has_due = QCheckBox("Due")
        self.due = QDateTimeEdit()
        self.due.setDisplayFormat(datetime_format())
        self.due.setCalendarPopup(True)
        self.due.setAccessibleName("When the next action is due")
        self.move_button = QPushButton("Move the lead")
        self.move_button.setAccessibleName("Move the lead to the chosen stage")
        self.rating = QSpinBox()
        self.rating.setRange(0, 5)  # 0: none chosen yet, so Enter never records a rating by chance
        self.rating.setSpecialValueText("Choose 1 to 5")
        self.rating.setSuffix(" of 5")
        self.rating.setAccessibleName("The customer's rating of the job, 1 to 5")
        self.rating_note = QLineEdit()
        self.rating_note.setAccessibleName("Where the rating came from")
        self.rating_note.setPlaceholderText("Where it came from (optional)")
        self.rate_button = QPushButton("Record")
        self.rate_button.setAccessibleName("Record the customer's rating")
        # In a scroll area: the pane's tab must not make the window taller than a laptop's
        # screen (1280×720), whatever rows the form grows.
        body = QWidget()
        scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        form = QFormLayout(body)
        form.addRow("Stage:", self.stage)
        form.addRow("First response:", self.first_response)
        form.addRow("Next action:", self.next_action_shown)
        form.addRow("Rated:", self.rated)
        form.addRow("&Move to:", self.to)
        form.addRow("&Lost because:", self.reason)
        form.addRow("Next &action:", self.next_action)
        form.addRow(self.has_due, self.due)
        form.addRow(self.move_button)
        rating_row = QHBoxLayout()
        rating_row.addWidget(self.rating)
        rating_row.addWidget(self.rating_note, 1)
        rating_row.addWidget(self.rate_button)
        rating_label = QLabel("Customer rati&ng:")
        rating_label.setBuddy(self.rating)  # a row of several widgets has no buddy of its own
        form.addRow(rating_label, rating_row)
        self._form = form
        self.to.currentIndexChanged.connect(self._update)
        self.has_due.toggled.connect(self._update)
        self.move_button.clicked.connect(self._move)
        self.rating.valueChanged.connect(self._update)
        self.rating_note.returnPressed.connect(self._rate)
        self.rate_button.clicked.connect(self._rate)
        self.show_lead(None)

    # --- what is shown ------------------------------------------------------------------

    def show_lead(self, lead_id: int | None) -> asyncio.Task[None] | None:
        """Read and show ``lead_id`` (None: no lead)."""
        self._lead_id = lead_id
        if lead_id is None:
            self._show(None)
            return None
        return self.runner.spawn(self._load(lead_id), "reading the lead")

    async def _load(self, lead_id: int) -> None:
        try:
            card = await self.runner.background(leads.card, self.database, lead_id)
        except Exception as exc:
            if not is_connection_error(exc):
                raise
            return
        if lead_id == self._lead_id:
            self._show(card)

    def _show(self, card: LeadCard | None) -> None:
        if card is None or self.card is None or self.card.id != card.id:  # a rating begun is for its lead only
            self.rating.setValue(0)
            self.rating_note.clear()
        self.card = card
        self.to.clear()
        if card is None:
            self.stage.setText("No lead")
            self.first_response.setText("")
            self.next_action_shown.setText("")
            self.rated.setText("")
            self._update()
            return
        lost = f" ({words.other(card.lost_reason)})" if card.lost_reason else ""
        self.stage.setText(words.other(card.stage) + lost)
        self.first_response.setText(response_text(card))
        self.rated.setText(rating_text(card))
        due = f" — due {short_datetime(card.next_action_due_at)}" if card.next_action_due_at else ""
        self.next_action_shown.setText((card.next_action or "None set") + due)
        for stage in leads.exits(card.stage):
            self.to.addItem(words.other(stage), stage)
        self.next_action.setText(card.next_action)
        self.has_due.setChecked(card.next_action_due_at is not None)
        moment = card.next_action_due_at or datetime.now(UTC)
        self.due.setDateTime(QDateTime.fromSecsSinceEpoch(int(moment.timestamp())))
        self._update()

    def _update(self) -> None:
        can_move = self.card is not None and self.to.count() > 0
        lost = self.to.currentData() == "lost"
        self._form.setRowVisible(self.reason, lost)
        self.to.setEnabled(can_move)
        self.next_action.setEnabled(can_move)
        self.has_due.setEnabled(can_move)
        self.due.setEnabled(can_move and self.has_due.isChecked())
        self.move_button.setEnabled(can_move)
        self.rating.setEnabled(self.card is not None)
        self.rating_note.setEnabled(self.card is not None)
        self.rate_button.setEnabled(self.card is not None and self.rating.value() > 0)

    # --- moving -------------------------------------------------------------------------

    def _move(self) -> None:
        card = self.card
        if card is None or not self.move_button.isEnabled():
            return
        stage = str(self.to.currentData())
        reason = str(self.reason.currentData()) if stage == "lost" else None
        due = self.due.dateTime().toPython().astimezone(UTC) if self.has_due.isChecked() else None
        action = self.next_action.text().strip()
        self.move_button.setEnabled(False)
        self.runner.spawn(self._do_move(card, stage, reason, action, due), "moving the lead")

    async def _do_move(self, card: LeadCard, stage: str, reason: str | None, action: str, due: datetime | None) -> None:
        await self._change(card, "the lead was not moved", leads.move, stage, reason, action, due)

    async def _change(self, card: LeadCard, not_done: str, operation: Callable[..., Changes], *args: Any) -> bool:
        """Run a lead operation, tell the desk what it changed (or why not); True if it did."""
        done = False
        try:
            changes = await self.runner.db(operation, self.database, self.actor, card.id, *args)
            done = True
        except ActionRefused as refusal:
            changes = Changes(notices=(Notice(str(refusal), "warning", card.label),))
        except Exception as exc:
            if not is_connection_error(exc):
                raise
            changes = Changes(notices=(Notice(f"The database cannot be reached; {not_done}.", "error"),))
        self.changed.emit(changes)
        self.moved.emit(card.id)
        await self._load(card.id)
        return done

    # --- rating -------------------------------------------------------------------------

    def _rate(self) -> None:
        card = self.card
        if card is None or not self.rate_button.isEnabled():
            return
        rating, note = self.rating.value(), self.rating_note.text().strip()
        self.rate_button.setEnabled(False)
        self.runner.spawn(self._do_rate(card, rating, note), "recording the rating")

    async def _do_rate(self, card: LeadCard, rating: int, note: str) -> None:
        if await self._change(card, "the rating was not recorded", leads.rate, rating, note):
            self.rating.setValue(0)
            self.rating_note.clear()

    def focus(self) -> None:
        self.to.setFocus(Qt.FocusReason.ShortcutFocusReason)
