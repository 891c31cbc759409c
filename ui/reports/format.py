"""A figure in words: its value in its unit, or a dash when there was nothing to compute it
over (never a 0 that was not counted)."""

from __future__ import annotations

from app.metrics import Figure, Metric, Unit

DASH = "—"


def value_text(metric: Metric, value: float | None) -> str:
    if value is None:
        return DASH
    if metric.unit is Unit.RATE:
        return f"{value:.0%}"
    if metric.unit is Unit.MINUTES:
        return f"{value:,.1f} min"
    if metric.unit is Unit.SECONDS:
        return f"{value:,.1f} s"
    return f"{value:,.0f}"


def figure_text(metric: Metric, figure: Figure) -> str:
    return value_text(metric, figure.value)


def over_text(metric: Metric, figure: Figure) -> str:
    """What the figure was computed over, for the tile's small print and the tooltips."""
    if metric.unit is Unit.COUNT:
        return ""
    return f"over {figure.count:,}" if figure.value is not None else "nothing to count"


def change_text(metric: Metric, change: float | None) -> str:
    """Latest minus baseline: points for a rate, the unit for the rest."""
    if change is None:
        return DASH
    if metric.unit is Unit.RATE:
        return f"{change * 100:+.0f} pts"
    if metric.unit is Unit.MINUTES:
        return f"{change:+,.1f} min"
    if metric.unit is Unit.SECONDS:
        return f"{change:+,.1f} s"
    return f"{change:+,.0f}"
