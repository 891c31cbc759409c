"""What an unexpected error does in the running desk: it is logged with its traceback, the
text being edited is saved locally at once, and a dialog says what happened and where the
log is. The desk keeps running; the reviewer decides whether to carry on or restart."""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

log = logging.getLogger(__name__)


def install_crash_handler(parent: QWidget, log_file: Path, keep_text: Callable[[], None]) -> None:
    """Route uncaught exceptions (in Qt slots and callbacks) here for the life of the desk."""

    def handle(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, trace)
            return
        log.error("unexpected error\n%s", "".join(traceback.format_exception(kind, error, trace)))
        try:
            keep_text()
        except Exception:  # the dialog must still come
            log.exception("could not save the text being edited")
        show_crash_dialog(parent, f"{kind.__name__}: {error}", log_file)

    sys.excepthook = handle


def show_crash_dialog(parent: QWidget, what: str, log_file: Path) -> QMessageBox:
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        "Review Desk: something went wrong",
        f"Something unexpected happened:\n\n{what}\n\nThe text you were editing is saved on "
        f"this computer and comes back when you reopen the item. The details are in "
        f"{log_file}; please send that file to whoever supports the desk.",
        parent=parent,
    )
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setObjectName("crashDialog")
    box.open()  # window-modal, no nested event loop
    return box
