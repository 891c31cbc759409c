"""The selected item: its client-safe draft beside its flags, and the internal record.

Everything here that came from a payload or a model is shown as plain text: QPlainTextEdit
never renders markup, and every label is forced to ``Qt.PlainText``.
"""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QTableView,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from db.queries.detail import FlagView, ItemDetail
from ui.flags_model import FlagsModel

HIGHLIGHT = {1: QColor(93, 122, 153, 70), 2: QColor(239, 108, 0, 80), 3: QColor(198, 40, 40, 90)}


def plain_label(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def read_only_text(name: str, monospace: bool = False) -> QPlainTextEdit:
    editor = QPlainTextEdit()
    editor.setReadOnly(True)
    editor.setAccessibleName(name)
    if monospace:
        editor.setFont(QFont("monospace"))
        editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
    return editor


def pretty_json(text: str) -> str:
    """Indented JSON for reading; anything that is not JSON is shown exactly as received."""
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    except (ValueError, RecursionError):
        return text


def highlight(editor: QPlainTextEdit, flags: tuple[FlagView, ...], field: str) -> None:
    selections = []
    length = len(editor.toPlainText())
    for flag in flags:
        if flag.field != field or flag.span_start is None or flag.span_end is None:
            continue
        if not (0 <= flag.span_start < flag.span_end <= length):
            continue
        selection = QTextEdit.ExtraSelection()
        fmt = QTextCharFormat()
        fmt.setBackground(HIGHLIGHT.get(flag.severity, HIGHLIGHT[1]))
        fmt.setToolTip(f"{flag.code}: {flag.reason}")
        selection.format = fmt
        cursor = QTextCursor(editor.document())
        cursor.setPosition(flag.span_start)
        cursor.setPosition(flag.span_end, QTextCursor.MoveMode.KeepAnchor)
        selection.cursor = cursor
        selections.append(selection)
    editor.setExtraSelections(selections)


class DetailPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.header = plain_label("Select an item in the queue.")
        self.header.setObjectName("detailHeader")
        self.draft = read_only_text("Client-safe draft")
        self.flags_model = FlagsModel(self)
        self.flags_view = QTableView()
        self.flags_view.setModel(self.flags_model)
        self.flags_view.setAccessibleName("Risk flags")
        self.flags_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.flags_view.verticalHeader().hide()
        self.flags_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.flags_view.horizontalHeader().setStretchLastSection(True)
        self.next_action = plain_label()
        self.internal_summary = read_only_text("Internal summary")
        self.raw = read_only_text("Raw provider record", monospace=True)

        draft_box = QGroupBox("Client-safe draft")
        draft_layout = QVBoxLayout(draft_box)
        draft_layout.addWidget(self.draft)
        draft_layout.addWidget(self.next_action)
        flags_box = QGroupBox("Risk flags")
        QVBoxLayout(flags_box).addWidget(self.flags_view)
        internal_box = QGroupBox("INTERNAL — never sent to the client")
        internal_box.setObjectName("internalBox")
        internal_layout = QVBoxLayout(internal_box)
        internal_layout.addWidget(self.internal_summary)
        internal_layout.addWidget(self.raw)

        splitter = QSplitter(Qt.Orientation.Vertical)
        for box in (draft_box, flags_box, internal_box):
            splitter.addWidget(box)
        splitter.setSizes([220, 150, 260])
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(splitter, 1)
        self.show_detail(None)

    def show_detail(self, detail: ItemDetail | None) -> None:
        if detail is None:
            self.header.setText("Select an item in the queue.")
            for editor in (self.draft, self.internal_summary, self.raw):
                editor.setPlainText("")
            self.flags_model.set_flags(())
            self.next_action.setText("")
            return
        drafter = "offline rules" if detail.drafter == "offline-rules" else detail.drafter
        self.header.setText(
            f"{detail.client_name} · {detail.lead_label} · {detail.kind.replace('_', ' ')} · "
            f"{detail.workflow.replace('_', ' ')} · {detail.status.replace('_', ' ')} · "
            f"drafted by {drafter}"
        )
        self.draft.setPlainText(detail.final_text or detail.client_text)
        self.next_action.setText(f"Suggested next action: {detail.next_action}")
        self.internal_summary.setPlainText(detail.internal_summary)
        self.raw.setPlainText(f"[{detail.raw_provider}]\n{pretty_json(detail.raw_body)}")
        self.flags_model.set_flags(detail.flags)
        if detail.final_text is None:
            highlight(self.draft, detail.flags, "client_text")
        else:
            self.draft.setExtraSelections([])
        highlight(self.internal_summary, detail.flags, "internal_summary")
