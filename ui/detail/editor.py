"""The client-safe text, editable, with the risk rules run live on what is typed.

The same rules the approve service enforces (phone numbers, email addresses, street
addresses, pricing, legal and complaint language) are re-run a moment after each change and
their evidence is highlighted, so a reviewer sees what would be refused before pressing a key.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from app import words
from app.pipeline.flag_rules import Finding, find_pii, find_review_edge
from ui.detail.highlight import highlight_spans

RECHECK_MS = 150


class ClientTextEditor(QPlainTextEdit):
    findings_changed = Signal(list)  # list[Finding] for the current text

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Client-safe text (editable)")
        self.setPlaceholderText("The client-safe text appears here.")
        self.setTabChangesFocus(True)
        self._recheck = QTimer(self)
        self._recheck.setSingleShot(True)
        self._recheck.setInterval(RECHECK_MS)
        self._recheck.timeout.connect(self.check_now)
        self.textChanged.connect(self._recheck.start)
        self.findings: list[Finding] = []

    def set_text(self, text: str, read_only: bool) -> None:
        self.blockSignals(True)
        self.setPlainText(text)
        self.blockSignals(False)
        self.setReadOnly(read_only)
        self.check_now()

    def check_now(self) -> None:
        text = self.toPlainText()
        self.findings = find_pii(text, "client_text") + find_review_edge(text, "client_text")
        highlight_spans(
            self,
            [
                (f.span[0], f.span[1], int(f.severity), f"{words.flag(f.code)}: {f.reason}")
                for f in self.findings
                if f.span
            ],
        )
        self.findings_changed.emit(self.findings)
