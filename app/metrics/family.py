"""What every group of metrics shares: the grouping of its rows, the one grouped query, and
turning aggregates into Figures.

A *family* is the metrics read off one set of rows with one query (the leads first seen in
the period, the review items decided in it...). It says which dimensions and scope filters
mean something for it; a table by another dimension, or a scope with another filter, leaves
its metrics out rather than showing a figure that ignores the filter.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Row, Select, case, literal_column, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from app.metrics import Dimension, Figure, Scope
from app.metrics.durations import at_time, bucket_index

# The Scope fields that narrow what is counted (start and end always apply).
SCOPE_FILTERS = ("client_id", "workflow", "provider", "reviewer_id")


@dataclass(frozen=True)
class Grouping:
    """What a family's rows are grouped by: a dimension, time buckets of ``bucket`` from
    ``origin`` (a trend), or nothing (one row for the whole scope)."""

    dimension: Dimension | None = None
    origin: datetime | None = None
    bucket: timedelta | None = None

    def key(self, columns: Mapping[Dimension, ColumnElement[Any]], at: ColumnElement[Any]) -> ColumnElement[Any] | None:
        """The group key for rows whose dimension columns are ``columns`` and whose place in
        the period is ``at``."""
        if self.bucket is not None and self.origin is not None:
            size = literal_column(str(int(self.bucket.total_seconds())))
            return bucket_index(at_time(self.origin), at, size)
        if self.dimension is not None:
            return columns[self.dimension]
        return None


# A family's figures per group key (None: the whole scope).
Rows = dict[Any, dict[str, Figure]]
Compute = Callable[[Session, Scope, Grouping, datetime], Rows]


@dataclass(frozen=True)
class Family:
    """``keys``: the metrics it computes; ``dimensions`` and ``filters`` (Scope field names):
    what it can be grouped and narrowed by; ``periodic``: False for a figure of now, which has
    no trend."""

    keys: tuple[str, ...]
    dimensions: frozenset[Dimension]
    filters: frozenset[str]
    compute: Compute
    periodic: bool = True

    def applies(self, scope: Scope, by: Dimension | None) -> bool:
        if by is not None and by not in self.dimensions:
            return False
        return all(getattr(scope, name) is None or name in self.filters for name in SCOPE_FILTERS)


def grouped(
    session: Session,
    inner: Select[Any],
    key: ColumnElement[Any] | None,
    aggregates: Callable[[Any], Sequence[ColumnElement[Any]]],
) -> dict[Any, Row[Any]]:
    """Run ``aggregates`` (given the columns of ``inner`` as a subquery) per group key; without
    a key, one row for everything (an empty scope still gives that row: counts 0)."""
    if key is not None:
        inner = inner.add_columns(key.label("group_key"))
    rows = inner.subquery()
    columns = aggregates(rows.c)
    if key is None:
        return {None: session.execute(select(*columns).select_from(rows)).one()}
    query = select(rows.c.group_key, *columns).select_from(rows).group_by(rows.c.group_key)
    return {row.group_key: row for row in session.execute(query)}


def count(value: Any) -> Figure:
    """A count: its value is also what it was computed over."""
    n = int(value or 0)
    return Figure(float(n), n)


def rate(part: Any, whole: Any) -> Figure:
    """part / whole over ``whole`` things; None over nothing."""
    total = int(whole or 0)
    return Figure(int(part or 0) / total if total else None, total)


def minutes(seconds: Any, over: Any) -> Figure:
    return Figure(None if seconds is None else float(seconds) / 60, int(over or 0))


def seconds(value: Any, over: Any) -> Figure:
    return Figure(None if value is None else float(value), int(over or 0))


def when(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """1 where ``condition`` holds, else 0: summed, it counts the rows."""
    return case((condition, 1), else_=0)
