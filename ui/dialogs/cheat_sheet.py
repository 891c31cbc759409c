"""Every keyboard shortcut, built from the window's own actions (so it can never drift)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QGridLayout, QLabel, QVBoxLayout, QWidget

from ui.style import accent


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
        accent(self)
        self.setWindowTitle("Keyboard shortcuts")
        self.rows: list[tuple[str, str]] = []
        for action in actions:
            keys = " or ".join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts())
            if keys:
                self.rows.append((keys, action.statusTip() or action.text().replace("&", "")))
        # Two halves side by side: the whole list fits a laptop's height without scrolling.
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setColumnMinimumWidth(2, 24)
        half = (len(self.rows) + 1) // 2
        for side in (0, 1):
            grid.addWidget(_plain("Keys", bold=True), 0, side * 3)
            grid.addWidget(_plain("Does", bold=True), 0, side * 3 + 1)
        for number, (keys, what) in enumerate(self.rows):
            side, row = divmod(number, half)
            grid.addWidget(_plain(keys), row + 1, side * 3)
            grid.addWidget(_plain(what), row + 1, side * 3 + 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(buttons)
