"""The reviewer's text against the draft: what was removed and what was added.

Drawn as plain text with formatting (struck-through red for removed words, green for added),
never as rich text, so nothing from a payload can be interpreted as markup.
"""

from __future__ import annotations

import difflib
import re

from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QWidget

_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")


def word_diff(before: str, after: str) -> list[tuple[str, str]]:
    """(op, text) runs: op is ``=`` (kept), ``-`` (removed) or ``+`` (added)."""
    a, b = _TOKENS.findall(before), _TOKENS.findall(after)
    runs: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            runs.append(("=", "".join(a[i1:i2])))
            continue
        if op in ("replace", "delete"):
            runs.append(("-", "".join(a[i1:i2])))
        if op in ("replace", "insert"):
            runs.append(("+", "".join(b[j1:j2])))
    return runs


class DiffView(QPlainTextEdit):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setAccessibleName("Changes against the draft")
        self._removed = QTextCharFormat()
        self._removed.setForeground(QColor("#b71c1c"))
        self._removed.setFontStrikeOut(True)
        self._added = QTextCharFormat()
        self._added.setForeground(QColor("#1b5e20"))
        self._added.setBackground(QColor(76, 175, 80, 50))
        self._plain = QTextCharFormat()

    def show_diff(self, before: str, after: str) -> None:
        self.clear()
        cursor = QTextCursor(self.document())
        for op, text in word_diff(before, after):
            fmt = {"-": self._removed, "+": self._added}.get(op, self._plain)
            cursor.insertText(text, fmt)
