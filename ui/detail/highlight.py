"""Highlighting evidence spans in a plain-text editor (formatting only, never markup)."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit

HIGHLIGHT = {1: QColor(93, 122, 153, 70), 2: QColor(239, 108, 0, 80), 3: QColor(198, 40, 40, 90)}


def highlight_spans(editor: QPlainTextEdit, spans: Iterable[tuple[int, int, int, str]]) -> None:
    """``spans`` are (start, end, severity, tooltip) into the editor's text."""
    selections = []
    length = len(editor.toPlainText())
    for start, end, severity, tip in spans:
        if not 0 <= start < end <= length:
            continue
        selection = QTextEdit.ExtraSelection()
        fmt = QTextCharFormat()
        fmt.setBackground(HIGHLIGHT.get(severity, HIGHLIGHT[1]))
        fmt.setToolTip(tip)
        selection.format = fmt
        cursor = QTextCursor(editor.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        selection.cursor = cursor
        selections.append(selection)
    editor.setExtraSelections(selections)
