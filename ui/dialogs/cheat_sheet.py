"""Every keyboard shortcut, built from the window's own actions (so it can never drift)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QGridLayout, QLabel, QVBoxLayout, QWidget


def _plain(text: str, bold: bool = False) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    if bold:
        font = label.font()
        font.setBold(True)
        label.setFont(font)
    return label


class CheatSheet(QDialog):
    def __init__(self, actions: list[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        grid = QGridLayout()
        grid.addWidget(_plain("Keys", bold=True), 0, 0)
        grid.addWidget(_plain("Does", bold=True), 0, 1)
        self.rows: list[tuple[str, str]] = []
        for action in actions:
            keys = " or ".join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts())
            if not keys:
                continue
            what = action.statusTip() or action.text().replace("&", "")
            self.rows.append((keys, what))
            grid.addWidget(_plain(keys), len(self.rows), 0)
            grid.addWidget(_plain(what), len(self.rows), 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(buttons)
