"""The desk's KPIs, computed in SQL for a period and a scope (``app.metrics.kpis``).

The values every reader shares (the Reports view, the client report notes, the CLI and the
exports) are defined here: the scope a figure is computed over, the dimensions a table is
grouped by, the catalogue of metrics with their units, and the figure itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


@dataclass(frozen=True)
class Scope:
    """What a figure is computed over: ``start`` inclusive to ``end`` exclusive (UTC), and
    optionally one client, one lane (``review_items.workflow``), one source (the provider) and
    one reviewer (``users.id`` of who decided)."""

    start: datetime
    end: datetime
    client_id: int | None = None
    workflow: str | None = None
    provider: str | None = None
    reviewer_id: int | None = None


class Dimension(StrEnum):
    """What a KPI table is grouped by: one row per value."""

    CLIENT = "client"
    LANE = "lane"
    SOURCE = "source"
    REVIEWER = "reviewer"
    PROMPT = "prompt"  # the prompt version and model of the draft that was decided


class Unit(StrEnum):
    MINUTES = "minutes"
    SECONDS = "seconds"
    RATE = "rate"  # 0..1, shown as a percentage
    COUNT = "count"


@dataclass(frozen=True)
class Metric:
    """One entry of the catalogue. ``higher_is_better``: which way a change is an improvement
    (None: neither, a volume)."""

    key: str
    label: str
    unit: Unit
    higher_is_better: bool | None


@dataclass(frozen=True)
class Figure:
    """A metric's value over a scope. ``value`` None: nothing to compute it over (shown as a
    dash, never as 0). ``count``: how many things it was computed over (the denominator of a
    rate, the number of durations of a median), so a reader can tell 1 of 1 from 90 of 100."""

    value: float | None
    count: int = 0


@dataclass(frozen=True)
class KpiRow:
    """One row of a KPI table: the group's key and its label in words ("All" for the whole
    scope), and a figure per metric key (a metric that does not apply to the dimension is
    absent)."""

    key: str
    label: str
    figures: dict[str, Figure]
