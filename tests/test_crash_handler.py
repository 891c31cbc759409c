"""An unexpected error in the running desk: logged, the text being edited saved at once, and
a dialog that says what happened and where the log is."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from db.engine import Database
from tests.desk_fixtures import DeskFactory
from ui.crash import install_crash_handler


def test_an_unexpected_error_keeps_the_text_and_says_where_the_log_is(
    qtbot, make_desk: DeskFactory, sqlite_database: Database, tmp_path: Path
) -> None:
    desk = make_desk(sqlite_database, events=5)
    item = desk.session.current.id
    desk.window.detail.editor.setPlainText("Half-written reply the reviewer must not lose.")
    log_file = tmp_path / "logs" / "review-desk.log"
    before = sys.excepthook
    try:
        install_crash_handler(desk.window, log_file, desk.session.save_text_now)
        try:
            raise RuntimeError("the model answered in Klingon")
        except RuntimeError as exc:
            sys.excepthook(type(exc), exc, exc.__traceback__)
    finally:
        sys.excepthook = before
    dialog = desk.window.findChild(QMessageBox, "crashDialog")
    assert dialog is not None and dialog.isVisible()
    assert "RuntimeError: the model answered in Klingon" in dialog.text() and str(log_file) in dialog.text()
    saved = desk.session.unsaved.load(item)
    assert saved is not None and saved.text == "Half-written reply the reviewer must not lose."
    dialog.accept()
