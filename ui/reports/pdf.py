"""A client's report as PDF: their approved report notes for the period, through Qt's own PDF
writer. The notes go in with ``setPlainText``: a note is text a reviewer approved, and nothing
in it (nor in a payload it quoted) is ever read as markup."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from PySide6.QtGui import QPageSize, QPdfWriter, QTextDocument

from app.desk.reports import ClientReport

DAY = "%d %b %Y"


def report_text(report: ClientReport) -> str:
    """The PDF's whole text: a heading naming the client and the period, then each note."""
    last = report.end - timedelta(microseconds=1)  # the end is exclusive
    period = f"{report.start.astimezone():{DAY}} to {last.astimezone():{DAY}}"
    parts = [f"{report.client}: report notes", period, ""]
    if not report.notes:
        parts.append("No report note was approved for this period.")
    for note in report.notes:
        parts += [note.title, f"Published {note.published_at.astimezone():{DAY}}", "", note.body, ""]
    return "\n".join(parts).rstrip() + "\n"


def write_client_pdf(path: Path, report: ClientReport) -> Path:
    """Write the PDF to ``path`` (a file write: on the I/O lane)."""
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setTitle(f"{report.client}: report notes")
    writer.setCreator("Review Desk")
    document = QTextDocument()
    document.setPlainText(report_text(report))
    document.print_(writer)
    return path
