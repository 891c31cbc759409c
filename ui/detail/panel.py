"""The selected item: its client-safe text (editable, checked live, diffed against the draft)
beside its flags, with the internal record and the lead's timeline one tab away. A decided or
escalated item shows its decision; an item the reviewer can only read (decided, or open at
another desk) says so where the approve hint would be, with its editor locked.

Everything that came from a payload or a model is shown as plain text: editors are
QPlainTextEdit and every label is forced to ``Qt.PlainText``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app import words
from app.desk.types import FlagView, ItemDetail
from app.pipeline.drafting import has_opt_out_wording
from app.pipeline.flag_rules import Finding
from app.services.approval_rules import BLOCKING_CODES, PII_CODES, needs_acknowledgement
from app.services.review import edit_class
from db.vocab import OPEN_ITEM_STATUSES, EditClass, ItemKind
from ui.dates import short_datetime
from ui.detail.decision import DecisionBox
from ui.detail.diff_view import DiffView
from ui.detail.editor import ClientTextEditor
from ui.detail.flags_model import REASON_COLUMN, FlagsModel
from ui.detail.highlight import highlight_spans
from ui.detail.timeline_model import TimelineModel
from ui.detail.versions_model import VersionsModel, describe, drafter_label
from ui.style import accent

if TYPE_CHECKING:
    from ui.detail.lead_panel import LeadPanel

BUTTONS_PER_ROW = 4
CRM_TAB = 3  # the tab with what a CRM handoff will send
FLAG_ROWS_SHOWN = 5  # the flags table shows this many without scrolling (an item rarely has more)


def plain_label(text: str = "", name: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        label.setAccessibleName(name)
    return label


def at_least_lines(editor: QPlainTextEdit, lines: int) -> None:
    """Shrinkable down to ``lines`` of text (Qt's own minimum is taller), so the pane fits a
    720-pixel-high screen; it scrolls below that."""
    editor.setMinimumHeight(editor.fontMetrics().lineSpacing() * lines + 2 * editor.frameWidth() + 8)


def read_only_text(name: str, monospace: bool = False) -> QPlainTextEdit:
    editor = QPlainTextEdit()
    editor.setReadOnly(True)
    editor.setAccessibleName(name)
    if monospace:
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.Monospace)
        editor.setFont(font)
        editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
    at_least_lines(editor, 2)
    return editor


def pretty_json(text: str) -> str:
    """Indented JSON for reading; anything that is not JSON is shown exactly as received."""
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    except (ValueError, RecursionError):
        return text


def table(model: object, name: str) -> QTableView:
    view = QTableView()
    view.setModel(model)  # type: ignore[arg-type]
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    return view


def button_grid(actions: list[QAction], per_row: int) -> QGridLayout:
    """A button per action, ``per_row`` to a row, left-aligned; each prints its key."""
    grid = QGridLayout()
    for number, action in enumerate(actions):
        button = QToolButton()
        button.setDefaultAction(action)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        grid.addWidget(button, number // per_row, number % per_row)
    grid.setColumnStretch(per_row, 1)
    return grid


def compact_rows(view: QTableView) -> None:
    """One line of text per row, at a fixed height (the style's default is a third taller)."""
    header = view.verticalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    header.setDefaultSectionSize(view.fontMetrics().height() + 6)
    view.setWordWrap(False)


def fit_rows(view: QTableView, rows: int) -> None:
    """A table exactly tall enough for ``rows`` compact rows (the splitter cannot squeeze it
    below that), so a short list never hides behind a scrollbar."""
    compact_rows(view)
    height = (
        view.horizontalHeader().sizeHint().height()
        + rows * view.verticalHeader().defaultSectionSize()
        + 2 * view.frameWidth()
    )
    view.setMinimumHeight(height)
    view.setMaximumHeight(height)


class DetailPanel(QWidget):
    text_edited = Signal(str)

    def __init__(self, actions: list[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        accent(self)
        self.detail: ItemDetail | None = None
        self.read_only_reason: str | None = None
        self.lead_panel: LeadPanel | None = None  # ``add_lead_panel``
        self.decision = DecisionBox()
        self.header = plain_label("Select an item in the queue.", "Item summary")
        self.header.setObjectName("detailHeader")
        self.editor = ClientTextEditor()
        at_least_lines(self.editor, 3)
        self.live_check = plain_label("", "Live check of the text")
        self.live_check.setObjectName("liveCheck")
        self.edit_state = plain_label("", "Edit class")
        self.diff = DiffView()
        self.diff.setMaximumHeight(90)
        self.next_action = plain_label("", "Suggested next action")
        self.provenance = plain_label("", "How the draft was made")
        self.provenance.setObjectName("provenance")
        self.versions_model = VersionsModel(self)
        self.versions_view = table(self.versions_model, "Draft versions")
        self.version_text = read_only_text("Text of the selected version")
        self.use_version = QPushButton("Use this version's text")
        self.use_version.setAccessibleName("Use the selected version's text in the editor")
        self.use_version.clicked.connect(self._use_version)
        self.flags_model = FlagsModel(self)
        self.flags_view = table(self.flags_model, "Risk flags")
        self.flags_view.horizontalHeader().setStretchLastSection(False)
        self.flags_view.horizontalHeader().setSectionResizeMode(REASON_COLUMN, QHeaderView.ResizeMode.Stretch)
        self.internal_summary = read_only_text("Internal summary")
        self.raw = read_only_text("Raw provider record", monospace=True)
        self.timeline_model = TimelineModel(self)
        self.timeline_view = table(self.timeline_model, "Lead timeline")
        self.timeline_view.horizontalHeader().setStretchLastSection(False)
        self.timeline_view.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for view in (self.timeline_view, self.versions_view):
            compact_rows(view)
            view.setMinimumHeight(view.fontMetrics().height() * 4)

        text_box = QGroupBox("Client-safe text")
        text_layout = QVBoxLayout(text_box)
        text_layout.setContentsMargins(6, 4, 6, 4)
        text_layout.setSpacing(4)
        text_layout.addWidget(self.decision)
        text_layout.addWidget(self.editor, 3)
        text_layout.addWidget(self.live_check)
        text_layout.addWidget(self.edit_state)
        text_layout.addWidget(self.diff, 1)
        text_layout.addWidget(self.next_action)
        text_layout.addWidget(self.provenance)
        # Two rows of four: one row of seven would hold the pane (and so the queue beside it) to
        # 660 px, and a 1280 px laptop screen then cuts the queue's lead names short.
        text_layout.addLayout(button_grid(actions, BUTTONS_PER_ROW))

        self.flags_box = QGroupBox("Risk flags")
        flags_layout = QVBoxLayout(self.flags_box)
        flags_layout.setContentsMargins(6, 4, 6, 4)
        flags_layout.addWidget(self.flags_view)
        self.flags_box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

        internal = QWidget()
        internal.setObjectName("internalBox")
        internal_layout = QVBoxLayout(internal)
        internal_layout.setContentsMargins(6, 4, 6, 4)
        internal_layout.addWidget(plain_label("INTERNAL — never sent to the client"))
        internal_layout.addWidget(self.internal_summary)
        internal_layout.addWidget(self.raw)
        self.tabs = QTabWidget()
        self.tabs.addTab(internal, "Internal record")
        self.tabs.addTab(self.timeline_view, "Lead timeline")
        versions = QWidget()
        versions_layout = QVBoxLayout(versions)
        versions_layout.setContentsMargins(6, 4, 6, 4)
        versions_layout.addWidget(self.versions_view, 1)
        versions_layout.addWidget(self.version_text, 1)
        versions_layout.addWidget(self.use_version, 0, Qt.AlignmentFlag.AlignRight)
        self.tabs.addTab(versions, "Versions")
        self.crm_preview = read_only_text("What the CRM handoff will send")
        self.tabs.addTab(self.crm_preview, "CRM preview")  # shown for CRM handoffs only
        self.versions_view.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._show_version(current.row())
        )

        splitter = QSplitter(Qt.Orientation.Vertical)
        for widget in (text_box, self.flags_box, self.tabs):
            splitter.addWidget(widget)
        splitter.setCollapsible(1, False)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 0)
        splitter.setStretchFactor(2, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.header)
        layout.addWidget(splitter, 1)
        self.editor.textChanged.connect(self._on_text_changed)
        self.editor.findings_changed.connect(self._on_findings)
        self.show_detail(None)

    def add_lead_panel(self, panel: LeadPanel) -> None:
        """The lead panel (the desk builds it: it reads and moves the lead) beside the timeline."""
        self.lead_panel = panel
        self.tabs.insertTab(self.tabs.indexOf(self.timeline_view) + 1, panel, "Lead")

    def show_lead_tab(self) -> None:
        if self.lead_panel is not None:
            self.tabs.setCurrentWidget(self.lead_panel)

    # --- what is shown ------------------------------------------------------------------

    def show_crm_preview(self, item_id: int, text: str) -> None:
        """The handoff preview arrived (it may take the CRM a moment): shown if still open."""
        if self.detail is not None and self.detail.id == item_id:
            self.crm_preview.setPlainText(text)

    def show_detail(self, detail: ItemDetail | None, restored: str | None = None) -> None:
        self.detail = detail
        if detail is None:
            self.header.setText("Select an item in the queue.")
            self.editor.set_text("", read_only=True)
            for widget in (self.internal_summary, self.raw):
                widget.setPlainText("")
            self._show_flags(())
            self.decision.show_decision(None)
            self.read_only_reason = None
            self.timeline_model.set_entries([])
            self.versions_model.set_versions(())
            self._show_version(-1)
            self.next_action.setText("")
            self.provenance.setText("")
            self.tabs.setTabVisible(CRM_TAB, False)
            self._on_text_changed()
            return
        self.header.setText(self._header(detail))
        is_handoff = detail.kind == ItemKind.CRM_HANDOFF
        self.tabs.setTabVisible(CRM_TAB, is_handoff)
        self.crm_preview.setPlainText("Asking the CRM…" if is_handoff else "")
        self.read_only_reason = None  # until the desk says why (``set_read_only``)
        actionable = detail.status in OPEN_ITEM_STATUSES
        self.editor.set_text(restored if restored is not None else detail.text_for_review, read_only=not actionable)
        self.decision.show_decision(detail)
        self.next_action.setText(f"Suggested next action: {detail.next_action}")
        self.provenance.setText(self._provenance(detail))
        self.versions_model.set_versions(detail.versions)
        self.tabs.setTabText(2, f"Versions ({len(detail.versions)})")
        self.versions_view.selectRow(0)
        self._show_version(0)
        self.internal_summary.setPlainText(detail.internal_summary)
        self.raw.setPlainText(f"[{detail.raw_provider}]\n{pretty_json(detail.raw_body)}")
        self._show_flags(detail.flags)
        highlight_spans(
            self.internal_summary,
            [
                (f.span_start, f.span_end, f.severity, f"{words.flag(f.code)}: {f.reason}")
                for f in detail.flags
                if f.field == "internal_summary" and f.span_start is not None and f.span_end is not None
            ],
        )
        self._on_text_changed()

    @staticmethod
    def _header(detail: ItemDetail) -> str:
        kind, workflow = words.kind(detail.kind), words.workflow(detail.workflow)
        parts = [
            detail.client_name,
            detail.lead_label,
            *dict.fromkeys((kind, workflow)),
            f"P{detail.priority}",
            words.status(detail.status),
            f"drafted by {drafter_label(detail.drafter)} (v{detail.draft_version})",
            f"due {short_datetime(detail.sla_due_at)}",
        ]
        if detail.assignee:
            parts.append(f"assigned to {detail.assignee}")
        if detail.hold_reason:
            parts.append(detail.hold_reason)
        return " · ".join(parts)

    def _show_flags(self, flags: tuple[FlagView, ...]) -> None:
        self.flags_model.set_flags(flags)
        fit_rows(self.flags_view, max(1, min(FLAG_ROWS_SHOWN, len(flags))))
        self.flags_box.setTitle(f"Risk flags ({len(flags)})" if flags else "Risk flags: none")

    def set_read_only(self, reason: str | None) -> None:
        """The desk's word on whether the reviewer may change this item: with a reason, the
        editor is locked and the reason replaces the approve hint."""
        if reason == self.read_only_reason and self.editor.isReadOnly() == (reason is not None):
            return
        self.read_only_reason = reason
        locked = reason is not None or self.detail is None or self.detail.status not in OPEN_ITEM_STATUSES
        self.editor.setReadOnly(locked)
        self._show_version(self.versions_view.currentIndex().row())
        self._show_hint()

    @staticmethod
    def _provenance(detail: ItemDetail) -> str:
        if not detail.versions:
            return ""
        current = detail.versions[0]
        grounded = ", ".join(current.grounded_on) or "the client's catalog only"
        return f"Draft: {describe(current)} · grounded on {grounded}"

    def _show_version(self, row: int) -> None:
        version = self.versions_model.version_at(row)
        self.version_text.setPlainText(version.client_text if version else "")
        self.use_version.setEnabled(version is not None and not self.editor.isReadOnly())

    def _use_version(self) -> None:
        """Put an earlier version's text in the editor, as the reviewer's own edit."""
        version = self.versions_model.version_at(self.versions_view.currentIndex().row())
        if version is not None and not self.editor.isReadOnly():
            self.editor.setPlainText(version.client_text)
            self.editor.setFocus(Qt.FocusReason.OtherFocusReason)

    def current_text(self) -> str:
        return self.editor.toPlainText()

    def is_edited(self) -> bool:
        return self.detail is not None and self.current_text().strip() != self.detail.client_text.strip()

    # --- live feedback --------------------------------------------------------------------

    def _on_text_changed(self) -> None:
        detail = self.detail
        text = self.current_text()
        if detail is None:
            self.edit_state.setText("")
            self.diff.hide()
            return
        changed = self._show_hint()
        self.diff.setVisible(changed)
        if changed:
            self.diff.show_diff(detail.client_text, text)
        if not self.editor.isReadOnly():
            self.text_edited.emit(text)

    def _show_hint(self) -> bool:
        """What approving would do, or why it cannot be done here; True when the text differs
        from the draft."""
        detail = self.detail
        if detail is None:
            return False
        kind = edit_class(detail.client_text, self.current_text())
        changed = kind != EditClass.UNCHANGED
        self.live_check.setVisible(not self.editor.isReadOnly())
        if self.editor.isReadOnly():
            self.edit_state.setText(self.read_only_reason or "Read only")
        elif changed:
            self.edit_state.setText(
                f"Edited: {words.edit_class(kind).lower()} of the draft (Ctrl+Enter approves your text)"
            )
        else:
            self.edit_state.setText("As drafted (A approves it as it is)")
        return changed

    def _on_findings(self, findings: list[Finding]) -> None:
        """What approving this text now would meet: the same rules the service applies."""
        detail, text = self.detail, self.current_text()
        refused = sorted({words.flag(f.code) for f in findings if f.code in PII_CODES})
        if detail is not None and detail.opt_out_wording and not has_opt_out_wording(text, detail.opt_out_wording):
            refused.append(f"the template's opt-out wording “{detail.opt_out_wording}” is missing")
        blocked = (
            sorted(
                {
                    words.flag(f.code)
                    for f in detail.flags
                    if f.code in BLOCKING_CODES and (f.code != "opt_out" or detail.kind == ItemKind.MESSAGE)
                }
            )
            if detail
            else []
        )
        to_check = sorted({words.flag(f.code) for f in findings if f.code not in PII_CODES})
        acknowledge = (
            sorted({words.flag(f.code) for f in detail.flags if needs_acknowledgement(f.code, f.severity)})
            if detail
            else []
        )
        parts = []
        if blocked:
            parts.append(f"Cannot be approved: {', '.join(blocked)}")
        if refused:
            parts.append(f"Will be refused: {', '.join(refused)}")
        if acknowledge:
            parts.append(f"Approving asks you to acknowledge: {', '.join(acknowledge)}")
        if to_check:
            parts.append(f"Check before approving: {', '.join(to_check)}")
        self.live_check.setText(
            "Live check — " + ". ".join(parts) + "." if parts else "Live check: nothing flagged in the text."
        )
