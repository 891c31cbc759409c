"""Portable SQL for the KPIs: seconds between two datetimes, time buckets and nearest-rank
percentiles, giving the same numbers on SQLite, PostgreSQL and MySQL/MariaDB.

* ``seconds_between(start, end)``: ``end - start`` in seconds, to the millisecond
  (julianday on SQLite, rounded: its doubles carry ~50 µs of error; EXTRACT(EPOCH) on
  PostgreSQL; TIMESTAMPDIFF in microseconds on MySQL).
* ``bucket_index(origin, at, seconds)``: which bucket of ``seconds`` from ``origin`` ``at``
  falls in (0, 1, ...), counted in whole seconds so a row exactly on a boundary opens the
  next bucket on every database.
* Percentiles by the nearest-rank rule, never interpolated: the p-th percentile of n values
  is the value at rank ceil(p/100 * n) in ascending order. The median is the 50th, so for an
  even count it is the lower of the two middle values. ``ranks`` gives each row its rank
  (row_number) and the count of values in its group; ``nearest_rank`` picks the value whose
  rank r satisfies (r - 1) * 100 < p * n <= r * 100, all in integers (no ceil, which SQLite
  may lack, no division, which MySQL makes decimal).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Float, Integer, and_, case, func, literal
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import ColumnElement
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from db.types import UtcDateTime

MEDIAN = 50
P90 = 90


class seconds_between(FunctionElement[float]):  # noqa: N801 - used like a SQL function
    type = Float()
    inherit_cache = True
    name = "seconds_between"


class bucket_index(FunctionElement[int]):  # noqa: N801 - used like a SQL function
    type = Integer()
    inherit_cache = True
    name = "bucket_index"


def _args(element: FunctionElement[Any], compiler: SQLCompiler, **kw: Any) -> list[str]:
    return [compiler.process(arg, **kw) for arg in element.clauses]


@compiles(seconds_between, "sqlite")
def _seconds_sqlite(element: seconds_between, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = _args(element, compiler, **kw)
    return f"ROUND((julianday({end}) - julianday({start})) * 86400.0, 3)"


@compiles(seconds_between, "postgresql")
def _seconds_postgresql(element: seconds_between, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = _args(element, compiler, **kw)
    return f"CAST(EXTRACT(EPOCH FROM ({end} - {start})) AS DOUBLE PRECISION)"


@compiles(seconds_between, "mysql")
@compiles(seconds_between, "mariadb")
def _seconds_mysql(element: seconds_between, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = _args(element, compiler, **kw)
    return f"(TIMESTAMPDIFF(MICROSECOND, {start}, {end}) / 1000000.0)"


@compiles(bucket_index, "sqlite")
def _bucket_sqlite(element: bucket_index, compiler: SQLCompiler, **kw: Any) -> str:
    origin, at, size = _args(element, compiler, **kw)
    return f"((CAST(strftime('%s', {at}) AS INTEGER) - CAST(strftime('%s', {origin}) AS INTEGER)) / {size})"


@compiles(bucket_index, "postgresql")
def _bucket_postgresql(element: bucket_index, compiler: SQLCompiler, **kw: Any) -> str:
    origin, at, size = _args(element, compiler, **kw)
    return f"CAST(FLOOR(FLOOR(EXTRACT(EPOCH FROM ({at} - {origin}))) / {size}) AS INTEGER)"


@compiles(bucket_index, "mysql")
@compiles(bucket_index, "mariadb")
def _bucket_mysql(element: bucket_index, compiler: SQLCompiler, **kw: Any) -> str:
    origin, at, size = _args(element, compiler, **kw)
    return f"(TIMESTAMPDIFF(SECOND, {origin}, {at}) DIV {size})"


def at_time(value: datetime) -> ColumnElement[datetime]:
    """A datetime parameter stored the way the columns store it (naive UTC)."""
    return literal(value, UtcDateTime())


def ranks(value: ColumnElement[Any], key: ColumnElement[Any] | None) -> tuple[ColumnElement[int], ColumnElement[int]]:
    """Window columns for ``nearest_rank``: the row's rank by ``value`` among the group's
    non-null values (``key``'s group, or all rows), and how many non-null values it has."""
    missing = case((value.is_(None), 1), else_=0)
    group = [key] if key is not None else []
    rank = func.row_number().over(partition_by=[*group, missing], order_by=value)
    count = func.count(value).over(partition_by=group or None)
    return rank, count


def nearest_rank(
    value: ColumnElement[Any], rank: ColumnElement[int], count: ColumnElement[int], percent: int
) -> ColumnElement[Any]:
    """The aggregate picking the ``percent``-th percentile of ``value`` by nearest rank, from
    the columns ``ranks`` made (read through a subquery)."""
    hit = and_(value.is_not(None), rank * 100 >= count * percent, (rank - 1) * 100 < count * percent)
    return func.max(case((hit, value)))
