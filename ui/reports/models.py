"""The Reports window's models: the KPI table (a column per metric shown), a lane's baseline
against its latest week, the lanes with their verdicts, and the breakdowns."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QAbstractTableModel, QModelIndex, Qt

from app.desk.reports import DIMENSION_NAMES, ReportPage
from app.metrics import KpiRow, Metric
from app.metrics.baseline import VERDICT_WORDS, Comparison, LaneVerdict
from ui.reports.format import change_text, figure_text, over_text
from ui.table_model import Index, ReadOnlyTableModel

NUMBER = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
DISPLAY, TOOLTIP, ALIGN = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.TextAlignmentRole


class KpiTableModel(QAbstractTableModel):
    """One row per group of the chosen dimension, one column per metric of the page. A metric
    that does not apply to the dimension is an empty cell; one with nothing to compute, a dash."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.group = "Group"
        self.metrics: tuple[Metric, ...] = ()
        self.rows: tuple[KpiRow, ...] = ()

    def set_page(self, page: ReportPage) -> None:
        self.beginResetModel()
        by = page.filters.by
        self.group = DIMENSION_NAMES[by] if by is not None else "Scope"
        self.metrics, self.rows = page.columns, page.rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 (Qt's name)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else 1 + len(self.metrics)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:  # noqa: N802
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.columnCount():
            return None
        if role == DISPLAY:
            return self.group if section == 0 else self.metrics[section - 1].label
        if role == TOOLTIP and section > 0:
            return f"{self.metrics[section - 1].label} ({self.metrics[section - 1].unit.value})"
        return None

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row, column = self.rows[index.row()], index.column()
        if column == 0:
            return row.label if role in (DISPLAY, TOOLTIP) else None
        metric = self.metrics[column - 1]
        figure = row.figures.get(metric.key)
        if role == ALIGN:
            return int(NUMBER)
        if figure is None:
            return None
        if role == DISPLAY:
            return figure_text(metric, figure)
        if role == TOOLTIP:
            return f"{row.label}: {metric.label} {figure_text(metric, figure)} {over_text(metric, figure)}".strip()
        return None


class ComparisonModel(ReadOnlyTableModel):
    """One lane's metrics: the baseline week, the latest week and the change."""

    COLUMNS = ("Metric", "Baseline", "Latest", "Change")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: tuple[Comparison, ...] = ()

    def _row_count(self) -> int:
        return len(self.rows)

    def set_rows(self, rows: tuple[Comparison, ...]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row, column = self.rows[index.row()], index.column()
        if role == ALIGN:
            return int(NUMBER) if column else None
        if role == TOOLTIP and column in (1, 2):
            figure = row.baseline if column == 1 else row.latest
            return over_text(row.metric, figure) or None
        if role != DISPLAY:
            return None
        if column == 0:
            return row.metric.label
        if column == 3:
            return change_text(row.metric, row.change)
        return figure_text(row.metric, row.baseline if column == 1 else row.latest)


class LaneModel(QAbstractListModel):
    """The lanes of the baseline panel, each with its verdict in words."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.lanes: tuple[LaneVerdict, ...] = ()

    def set_lanes(self, lanes: tuple[LaneVerdict, ...]) -> None:
        self.beginResetModel()
        self.lanes = lanes
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.lanes)

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.lanes):
            return None
        lane = self.lanes[index.row()]
        if role == DISPLAY:
            return f"{lane.label} — {VERDICT_WORDS[lane.verdict]}"
        if role == TOOLTIP:
            return "\n".join(lane.reasons)
        return None


class BreakdownModel(ReadOnlyTableModel):
    """The breakdowns one under another: reject reasons, blocked messages by cause,
    quarantined deliveries by provider."""

    COLUMNS = ("Breakdown", "What", "Count")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: tuple[tuple[str, str, int], ...] = ()

    def _row_count(self) -> int:
        return len(self.rows)

    def set_page(self, page: ReportPage) -> None:
        self.beginResetModel()
        self.rows = tuple((title, label, count) for title, parts in page.breakdowns for label, count in parts)
        self.endResetModel()

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        if role == ALIGN:
            return int(NUMBER) if index.column() == 2 else None
        if role != DISPLAY:
            return None
        title, label, count = self.rows[index.row()]
        return (title, label, f"{count:,}")[index.column()]
