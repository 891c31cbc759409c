"""The Reports window's charts (QtCharts): the trend over time, one line per metric, and a
distribution as bars. Both follow the desk's light or dark scheme."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QDateTimeAxis,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QDateTime, QMargins, QPointF, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QApplication

from app.desk.reports import Trend


def _chart(title: str) -> QChart:
    chart = QChart()
    app = QApplication.instance()
    dark = bool(app is not None and app.property("darkScheme"))
    chart.setTheme(QChart.ChartTheme.ChartThemeDark if dark else QChart.ChartTheme.ChartThemeLight)
    chart.setTitle(title)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    return chart


def _ms(moment: datetime) -> float:
    return float(QDateTime(moment).toMSecsSinceEpoch())


class _ChartView(QChartView):
    """A chart that is replaced whole when new figures come (no series left behind)."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setAccessibleName(name)
        self.setMinimumHeight(180)

    def _put(self, chart: QChart) -> None:
        old = self.chart()
        self.setChart(chart)
        old.deleteLater()


class TrendChart(_ChartView):
    """Counts per day (or week) over the period: one line per metric."""

    def __init__(self) -> None:
        super().__init__("Trend over time")

    def show_trends(self, trends: tuple[Trend, ...]) -> None:
        chart = _chart("Over time")
        x_axis = QDateTimeAxis()
        x_axis.setFormat("d MMM")
        y_axis = QValueAxis()
        y_axis.setLabelFormat("%.0f")
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        top, moments = 0.0, []
        for trend in trends:
            series = QLineSeries()
            series.setName(trend.metric.label)
            points = [QPointF(_ms(at), figure.value) for at, figure in trend.points if figure.value is not None]
            series.replace(points)
            chart.addSeries(series)
            series.attachAxis(x_axis)
            series.attachAxis(y_axis)
            top = max([top, *(p.y() for p in points)])
            moments += [at for at, _ in trend.points]
        if moments:
            x_axis.setRange(QDateTime(min(moments)), QDateTime(max(moments)))
        y_axis.setRange(0, max(top * 1.1, 1))
        y_axis.applyNiceNumbers()
        self._put(chart)


class DistributionChart(_ChartView):
    """How many fell in each bucket (e.g. review turnaround: under 5 min, 5-15 min, ...)."""

    def __init__(self) -> None:
        super().__init__("Distribution")

    def show_distribution(self, title: str, buckets: tuple[tuple[str, int], ...]) -> None:
        chart = _chart(title)
        chart.legend().hide()
        bars = QBarSet(title)
        bars.append([float(count) for _, count in buckets])
        series = QBarSeries()
        series.append(bars)
        series.setLabelsVisible(True)
        chart.addSeries(series)
        x_axis = QBarCategoryAxis()
        x_axis.append([label for label, _ in buckets])
        y_axis = QValueAxis()
        y_axis.setLabelFormat("%.0f")
        y_axis.setRange(0, max([1, *(count for _, count in buckets)]) * 1.15)
        y_axis.applyNiceNumbers()
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(x_axis)
        series.attachAxis(y_axis)
        self._put(chart)
