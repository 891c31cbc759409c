"""The Reports window: the filters (client, lane, period or dates, grouping), the KPI tiles,
and four tabs: the KPI table, the charts, the baseline-vs-now panel per lane and the
breakdowns; Export CSV (the table shown) and the client's report as PDF.

Every filter is reachable by Tab and by its mnemonic; a changed filter reads the page again
at once (the older read, if still running, is dropped). Esc closes the window.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo
from pathlib import Path

from PySide6.QtCore import QDate, QItemSelectionModel, QModelIndex, Qt
from PySide6.QtGui import QFont, QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListView,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.desk import lookups
from app.desk.reports import DIMENSION_NAMES, PERIODS, ReportFilters, ReportPage, dimensions_for, period_range
from app.desk.types import Choice
from app.identity import Actor
from app.metrics import Dimension
from app.metrics.baseline import VERDICT_WORDS, rules_in_words
from ui.detail.panel import compact_rows, plain_label, table
from ui.dialogs.awaiting import run_dialog
from ui.reports.charts import DistributionChart, TrendChart
from ui.reports.controller import ReportsController
from ui.reports.format import DASH, figure_text, over_text
from ui.reports.models import BreakdownModel, ComparisonModel, KpiTableModel, LaneModel

TILES_PER_ROW = 6
DAY = "%d %b %Y"


def _combo(name: str, choices: list[tuple[str, object]]) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(name)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(10)
    for label, value in choices:
        combo.addItem(label, value)
    return combo


def _labelled(text: str, field: QWidget) -> QLabel:
    """A label whose mnemonic (``&``) puts the focus in ``field``."""
    label = QLabel(text)
    label.setBuddy(field)
    return label


def _span(start: datetime, end: datetime) -> str:
    last = end - timedelta(microseconds=1)
    return f"{start.astimezone():{DAY}} – {last.astimezone():{DAY}}"


class Tile(QFrame):
    """One KPI: its name, its value in its unit ("—" when there was nothing to compute it
    over) and what it was computed over."""

    def __init__(self) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.name = QLabel()
        self.value = QLabel(DASH)
        self.over = QLabel()
        font = self.value.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setWeight(QFont.Weight.DemiBold)
        self.value.setFont(font)
        for label in (self.name, self.value, self.over):
            label.setTextFormat(Qt.TextFormat.PlainText)
        self.over.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.setSpacing(0)
        for label in (self.name, self.value, self.over):
            layout.addWidget(label)

    def show_tile(self, name: str, value: str, over: str) -> None:
        self.name.setText(name)
        self.value.setText(value)
        self.over.setText(over or " ")
        self.setAccessibleName(f"{name}: {value} {over}".strip())


class ReportsWindow(QWidget):
    def __init__(self, controller: ReportsController, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.controller = controller
        self.actor = actor
        self.page: ReportPage | None = None
        self.setWindowTitle("Reports — Review Desk" if actor.can_supervise else "My figures — Review Desk")
        self.resize(1280, 720)
        self._build_filters()
        self._build_tiles()
        self._build_tabs()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(self.filter_row)
        layout.addWidget(self.status)
        layout.addLayout(self.tile_grid)
        layout.addWidget(self.tabs, 1)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)
        controller.loading.connect(self._show_loading)
        controller.page_ready.connect(self.show_page)
        controller.choices_ready.connect(self._fill_clients)
        controller.said.connect(self._say)
        self._show_dates()

    # --- building -------------------------------------------------------------------------

    def _build_filters(self) -> None:
        self.client = _combo("Client", [("All clients", None)])
        self.lane = _combo("Lane", [("All lanes", None), *((c.label, c.value) for c in lookups.workflow_choices())])
        self.period = _combo("Period", [(label, key) for key, label in PERIODS.items()])
        self.period.setCurrentIndex(self.period.findData("last_4_weeks"))
        self.start_date = QDateEdit()
        self.end_date = QDateEdit()
        for edit, name in ((self.start_date, "From"), (self.end_date, "To")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("d MMM yyyy")
            edit.setAccessibleName(name)
        groupings: list[tuple[str, object]] = [("No grouping", None)]
        groupings += [(DIMENSION_NAMES[d], d) for d in dimensions_for(self.actor)]
        self.by = _combo("Group by", groupings)
        self.by.setCurrentIndex(self.by.findData(Dimension.LANE))
        self.export_csv_button = QPushButton("Export C&SV…")
        self.export_csv_button.setToolTip("Save the KPI table shown, with the period and filters in its name")
        self.export_pdf_button = QPushButton("Client P&DF…")
        self.export_pdf_button.setToolTip("Save the chosen client's approved report notes for the period as PDF")
        row = QHBoxLayout()
        for text, field in (
            ("&Client", self.client),
            ("&Lane", self.lane),
            ("&Period", self.period),
            ("&From", self.start_date),
            ("&To", self.end_date),
            ("&Group by", self.by),
        ):
            row.addWidget(_labelled(text, field))
            row.addWidget(field, 1 if isinstance(field, QComboBox) else 0)
        row.addStretch()
        row.addWidget(self.export_csv_button)
        row.addWidget(self.export_pdf_button)
        self.filter_row = row
        self.status = plain_label("", "Report status")
        for combo in (self.client, self.lane, self.by):
            combo.currentIndexChanged.connect(self.reload)
        self.period.currentIndexChanged.connect(self._period_changed)
        for edit in (self.start_date, self.end_date):
            edit.dateChanged.connect(self._dates_changed)
        self.export_csv_button.clicked.connect(self._ask_csv)
        self.export_pdf_button.clicked.connect(self._ask_pdf)
        self._update_pdf_button()

    def _build_tiles(self) -> None:
        self.tile_grid = QGridLayout()
        self.tile_grid.setSpacing(6)
        self.tiles: list[Tile] = []

    def _build_tabs(self) -> None:
        self.kpi_model = KpiTableModel(self)
        self.kpi_view = table(self.kpi_model, "KPI table")
        compact_rows(self.kpi_view)
        self.kpi_view.horizontalHeader().setStretchLastSection(False)
        self.trend_chart = TrendChart()
        self.distribution_chart = DistributionChart()
        charts = QSplitter(Qt.Orientation.Horizontal)
        charts.addWidget(self.trend_chart)
        charts.addWidget(self.distribution_chart)
        self.lane_model = LaneModel(self)
        self.lane_list = QListView()
        self.lane_list.setModel(self.lane_model)
        self.lane_list.setAccessibleName("Lanes and their verdicts")
        self.lane_list.selectionModel().currentRowChanged.connect(self._show_lane)
        self.periods_label = plain_label("", "Baseline and latest week")
        self.verdict = plain_label("", "Verdict")
        font = self.verdict.font()
        font.setWeight(QFont.Weight.DemiBold)
        self.verdict.setFont(font)
        self.reasons = plain_label("", "Why")
        self.comparison_model = ComparisonModel(self)
        self.comparison_view = table(self.comparison_model, "Baseline against latest")
        compact_rows(self.comparison_view)
        self.comparison_view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.rules = plain_label("Rules: " + "; ".join(rules_in_words()) + ".", "The rules")
        self.rules.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        readout = QWidget()
        readout_layout = QVBoxLayout(readout)
        readout_layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.verdict, self.reasons, self.comparison_view):
            readout_layout.addWidget(widget, 1 if widget is self.comparison_view else 0)
        lanes = QSplitter(Qt.Orientation.Horizontal)
        lanes.addWidget(self.lane_list)
        lanes.addWidget(readout)
        lanes.setSizes([300, 900])
        baseline = QWidget()
        baseline_layout = QVBoxLayout(baseline)
        baseline_layout.addWidget(self.periods_label)
        baseline_layout.addWidget(lanes, 1)
        baseline_layout.addWidget(self.rules)
        self.breakdown_model = BreakdownModel(self)
        self.breakdown_view = table(self.breakdown_model, "Breakdowns")
        compact_rows(self.breakdown_view)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.kpi_view, "KPI tabl&e")
        self.tabs.addTab(charts, "C&harts")
        self.baseline_tab = self.tabs.addTab(baseline, "&Baseline vs now")
        self.tabs.addTab(self.breakdown_view, "Brea&kdowns")
        self.tabs.setTabVisible(self.baseline_tab, self.actor.can_supervise)

    # --- filters ----------------------------------------------------------------------------

    def filters(self) -> ReportFilters:
        start, end = self.period_span()
        by = self.by.currentData()  # Qt hands the enum back as its text
        return ReportFilters(
            start, end, self.client.currentData(), self.lane.currentData(), Dimension(by) if by else None
        )

    def period_span(self) -> tuple[datetime, datetime]:
        period = self.period.currentData()
        if period != "custom":
            return period_range(period, date.today(), _zone())
        first, last = self.start_date.date().toPython(), self.end_date.date().toPython()
        first, last = min(first, last), max(first, last)
        start = datetime.combine(first, time(0), _zone())
        return start, datetime.combine(last + timedelta(days=1), time(0), _zone())

    def _show_dates(self) -> None:
        """The period's dates in the date fields; they are edited only for custom dates."""
        custom = self.period.currentData() == "custom"
        for edit in (self.start_date, self.end_date):
            edit.setEnabled(custom)
        if custom:
            return
        start, end = self.period_span()
        for edit, moment in ((self.start_date, start), (self.end_date, end - timedelta(microseconds=1))):
            edit.blockSignals(True)
            edit.setDate(QDate(moment.astimezone().date()))
            edit.blockSignals(False)

    def _period_changed(self) -> None:
        self._show_dates()
        self.reload()

    def _dates_changed(self) -> None:
        if self.period.currentData() == "custom":
            self.reload()

    def reload(self) -> None:
        self._update_pdf_button()
        self.controller.load(self.filters())

    def _fill_clients(self, choices: list[Choice]) -> None:
        self.client.blockSignals(True)
        while self.client.count() > 1:
            self.client.removeItem(1)
        for choice in choices:
            self.client.addItem(choice.label, choice.value)
        self.client.blockSignals(False)

    def _update_pdf_button(self) -> None:
        chosen = self.client.currentData() is not None
        self.export_pdf_button.setEnabled(chosen)
        self.export_pdf_button.setToolTip(
            "Save the client's approved report notes for the period as PDF" if chosen else "Choose a client first"
        )

    # --- showing ----------------------------------------------------------------------------

    def _show_loading(self) -> None:
        self.status.setText("Loading…")
        self.export_csv_button.setEnabled(False)

    def _say(self, text: str, _level: str) -> None:
        self.status.setText(text)

    def show_page(self, page: ReportPage) -> None:
        self.page = page
        whose = f"Your own decisions, {_span(page.scope.start, page.scope.end)}" if page.own else ""
        self.status.setText(whose or f"Figures for {_span(page.scope.start, page.scope.end)}")
        self.export_csv_button.setEnabled(True)
        self._show_tiles(page)
        self.kpi_model.set_page(page)
        self.trend_chart.show_trends(page.trends)
        self.distribution_chart.show_distribution(page.distribution_title, page.distribution)
        self.breakdown_model.set_page(page)
        self._show_lanes(page)

    def _show_tiles(self, page: ReportPage) -> None:
        while len(self.tiles) < len(page.tiles):
            tile = Tile()
            self.tile_grid.addWidget(tile, len(self.tiles) // TILES_PER_ROW, len(self.tiles) % TILES_PER_ROW)
            self.tiles.append(tile)
        for tile, shown in zip(self.tiles, page.tiles, strict=False):
            tile.show_tile(
                shown.metric.label, figure_text(shown.metric, shown.figure), over_text(shown.metric, shown.figure)
            )

    def _show_lanes(self, page: ReportPage) -> None:
        if page.baseline is None or page.latest is None:
            self.periods_label.setText("")
        else:
            self.periods_label.setText(
                f"Baseline (week one) {_span(page.baseline.start, page.baseline.end)} against the latest week "
                f"{_span(page.latest.start, page.latest.end)}"
            )
        self.lane_model.set_lanes(page.lanes)
        if page.lanes:
            self.lane_list.selectionModel().setCurrentIndex(
                self.lane_model.index(0), QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
        else:
            self._show_lane(QModelIndex(), QModelIndex())

    def _show_lane(self, current: QModelIndex, _previous: QModelIndex) -> None:
        page = self.page
        if page is None or not current.isValid() or current.row() >= len(page.lanes):
            self.verdict.setText("No lane had activity in these weeks." if page is not None else "")
            self.reasons.setText("")
            self.comparison_model.set_rows(())
            return
        lane = page.lanes[current.row()]
        self.verdict.setText(f"{lane.label}: {VERDICT_WORDS[lane.verdict]}")
        self.reasons.setText("\n".join(f"• {reason}" for reason in lane.reasons))
        self.comparison_model.set_rows(lane.rows)

    # --- exports ----------------------------------------------------------------------------

    def _ask_csv(self) -> None:
        self.controller.runner.spawn(self._save_as("csv"), "choosing where to save the KPI table")

    def _ask_pdf(self) -> None:
        self.controller.runner.spawn(self._save_as("pdf"), "choosing where to save the client report")

    async def _save_as(self, kind: str) -> None:
        page = self.controller.page
        if page is None:
            return
        name = self.controller.file_name(kind)
        dialog = QFileDialog(self, "Export the KPI table" if kind == "csv" else "Export the client report")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)  # awaited, not a nested loop
        dialog.setNameFilter("CSV files (*.csv)" if kind == "csv" else "PDF files (*.pdf)")
        dialog.setDefaultSuffix(kind)
        dialog.selectFile(str(Path.home() / name))
        accepted = await run_dialog(dialog)
        files = dialog.selectedFiles()
        dialog.deleteLater()
        if not accepted or not files:
            return
        path = Path(files[0])
        if kind == "csv":
            self.controller.export_csv(path)
        elif page.filters.client_id is not None:
            self.controller.export_pdf(path, page.filters.client_id)


def _zone() -> tzinfo:
    """The reviewer's own time zone: "this week" starts at their Monday midnight."""
    zone = datetime.now().astimezone().tzinfo
    assert zone is not None  # astimezone() always sets one
    return zone
