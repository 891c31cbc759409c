"""The Reports window's round trips: a page read for the filters on the read pool (never on
the GUI thread), the exports on the I/O lane. A page asked for while another is read wins:
the older answer is dropped when it lands, so a filter changed mid-read never shows stale
figures under new filters."""

from __future__ import annotations

import asyncio
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from app.desk import lookups
from app.desk import reports as ops
from app.desk.connection import is_connection_error
from app.desk.reports import ReportFilters, ReportPage
from app.desk.types import Choice, Database
from app.identity import Actor
from ui.reports.pdf import write_client_pdf
from ui.tasks import TaskRunner

UNREACHABLE = "The database cannot be reached; the figures shown are from before."


class ReportsController(QObject):
    loading = Signal()
    page_ready = Signal(object)  # ReportPage
    choices_ready = Signal(list)  # [Choice] of the clients
    said = Signal(str, str)  # what happened (an export saved, a failure), its level

    def __init__(self, runner: TaskRunner, database: Database, actor: Actor) -> None:
        super().__init__()
        self.runner = runner
        self.database = database
        self.actor = actor
        self.page: ReportPage | None = None
        self._generation = 0

    def load_choices(self) -> asyncio.Task[None] | None:
        return self.runner.spawn(self._choices(), "reading the clients")

    def load(self, filters: ReportFilters) -> asyncio.Task[None] | None:
        self._generation += 1
        self.loading.emit()
        return self.runner.spawn(self._load(self._generation, filters), "reading the reports")

    def export_csv(self, path: Path) -> asyncio.Task[None] | None:
        page = self.page
        if page is None:
            return None
        return self.runner.spawn(self._export_csv(path, page), "exporting the KPI table")

    def export_pdf(self, path: Path, client_id: int) -> asyncio.Task[None] | None:
        page = self.page
        if page is None:
            return None
        return self.runner.spawn(self._export_pdf(path, client_id, page), "exporting the client report")

    def file_name(self, kind: str) -> str:
        """The export's file name, naming the period and filters: ``kind`` "csv" or "pdf"."""
        if self.page is None:
            return f"kpis.{kind}"
        return ops.kpi_csv_name(self.page) if kind == "csv" else ops.report_pdf_name(self.page)

    async def _choices(self) -> None:
        choices: list[Choice] = await self.runner.read(lookups.client_choices, self.database)
        self.choices_ready.emit(choices)

    async def _load(self, generation: int, filters: ReportFilters) -> None:
        try:
            page = await self.runner.read(ops.report_page, self.database, self.actor, filters)
        except Exception as exc:
            if not is_connection_error(exc):
                raise
            if generation == self._generation:
                self.said.emit(UNREACHABLE, "error")
            return
        if generation != self._generation:
            return  # the filters changed while this was read: a newer page is on its way
        self.page = page
        self.page_ready.emit(page)

    async def _export_csv(self, path: Path, page: ReportPage) -> None:
        try:
            await self.runner.io(ops.save_kpi_csv, path, page)
        except OSError as exc:
            self.said.emit(f"Could not save {path.name}: {exc.strerror or exc}", "error")
            return
        self.said.emit(f"Saved the KPI table to {path}", "info")

    async def _export_pdf(self, path: Path, client_id: int, page: ReportPage) -> None:
        report = await self.runner.read(ops.client_report, self.database, client_id, page.scope.start, page.scope.end)
        try:
            await self.runner.io(write_client_pdf, path, report)
        except OSError as exc:
            self.said.emit(f"Could not save {path.name}: {exc.strerror or exc}", "error")
            return
        count = len(report.notes)
        self.said.emit(f"Saved {report.client}'s report ({count} approved note{'s' * (count != 1)}) to {path}", "info")
