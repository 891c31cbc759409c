"""CSV exports: the decisions of a period, the audit log, and any KPI table.

Each file says what it holds twice: in its name (``export_name``: the kind, the period and the
filters, e.g. ``kpis_2026-11-01_2026-11-30_client-acme-plumbing.csv``) and in its first lines,
``#`` comment lines stating the period and the filters, then the ordinary CSV header. Codes are
written as stored (``light_edit``, ``not_client_safe``), not as words: the files are for
scripts and spreadsheets that outlive the desk's wording.

Nothing raw leaves through an export: the decisions are read from the review items' own
columns (no draft or final text, no provider payload), the audit log from ``audit_log``, which
only the desk writes, in its own words and ids. Rows are streamed (``yield_per`` on a
server-side cursor where the database has one): the audit log of a busy desk is millions of
rows and is never held in memory.

Every text cell passes ``_cell``: a spreadsheet reads a cell starting with ``=``, ``+``, ``-``
or ``@`` (or a tab or carriage return, which some strip first) as a formula, so a lead named
``=HYPERLINK(...)`` or a note typed by anyone would run in the supervisor's spreadsheet. Such a
cell gets a leading apostrophe, which spreadsheets show as text and do not display. A phone
number ``+1 202 555 0101`` gets one too, for the same reason. Numbers are written as numbers.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import Select, exists, select
from sqlalchemy.orm import Session, aliased

from app.metrics import Dimension, KpiRow, Metric, Scope
from app.metrics.catalogue import METRICS
from db.models import AuditEntry, Client, ReviewItem, User
from db.types import utcnow
from db.vocab import ItemStatus

STREAM_ROWS = 2000
EOL = "\r\n"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Filters:
    """What an export was narrowed to, as (name, value) pairs in words ("client", "Acme")."""

    pairs: tuple[tuple[str, str], ...] = ()

    def in_words(self) -> str:
        return "; ".join(f"{name} = {value}" for name, value in self.pairs) or "none"

    def in_name(self) -> str:
        return "".join(f"_{name}-{_slug(value)}" for name, value in self.pairs)


def scope_filters(
    scope: Scope,
    by: Dimension | None = None,
    client: str | None = None,
    reviewer: str | None = None,
    **more: str | None,
) -> Filters:
    """The filters of ``scope`` (and the grouping), with the client's and reviewer's names when
    given, else their ids; ``more``: filters of one export (``action="review_item."``)."""
    pairs = [
        ("client", client or (str(scope.client_id) if scope.client_id is not None else None)),
        ("lane", scope.workflow),
        ("source", scope.provider),
        ("reviewer", reviewer or (str(scope.reviewer_id) if scope.reviewer_id is not None else None)),
        *more.items(),
        ("by", by.value if by is not None else None),
    ]
    return Filters(tuple((name, value) for name, value in pairs if value))


def named_filters(session: Session, scope: Scope, by: Dimension | None = None, **more: str | None) -> Filters:
    """``scope_filters`` with the client's name and the reviewer's login read from the database."""
    client = session.get(Client, scope.client_id) if scope.client_id is not None else None
    reviewer = session.get(User, scope.reviewer_id) if scope.reviewer_id is not None else None
    return scope_filters(scope, by, client.name if client else None, reviewer.login if reviewer else None, **more)


def export_name(kind: str, scope: Scope, filters: Filters, suffix: str = "csv") -> str:
    first, last = _days(scope)
    return f"{kind}_{first}_{last}{filters.in_name()}.{suffix}"


def _days(scope: Scope) -> tuple[str, str]:
    """The period as its first and last day: the end is exclusive, so a scope ending at
    midnight ends on the day before."""
    return f"{scope.start:%Y-%m-%d}", f"{scope.end - timedelta(microseconds=1):%Y-%m-%d}"


def _slug(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-") or "x"


def _cell(value: object) -> object:
    """A value as a CSV cell: None empty, text guarded against formulas (see the module)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _write(
    out: TextIO, title: str, scope: Scope, filters: Filters, header: Sequence[str], rows: Iterable[Sequence[object]]
) -> int:
    """The comment lines, the header and the rows; returns how many rows."""
    first, last = _days(scope)
    for line in (
        f"Review Desk: {title}",
        f"period: {first} to {last} (UTC; from {scope.start:%Y-%m-%d %H:%M} up to {scope.end:%Y-%m-%d %H:%M})",
        f"filters: {filters.in_words()}",
        f"written: {utcnow():%Y-%m-%d %H:%M} UTC",
    ):
        out.write(f"# {' '.join(line.split())}{EOL}")  # one line, whatever a client's name holds
    writer = csv.writer(out)  # RFC 4180: CRLF line ends, a cell holding a CR or LF quoted
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow([_cell(value) for value in row])
        count += 1
    return count


def _stream(session: Session, query: Select[Any]) -> Iterator[Any]:
    yield from session.execute(query.execution_options(yield_per=STREAM_ROWS))


# --- decisions -----------------------------------------------------------------------------

DECISION_COLUMNS = (
    "item_id",
    "decided_at",
    "reviewer",
    "client",
    "lane",
    "source",
    "kind",
    "lead",
    "decision",
    "edit_class",
    "reject_reason",
    "escalated",
    "flags",
    "status_now",
)


def decisions_query(scope: Scope) -> Select[Any]:
    """Review items decided in the period (``decided_at``, so an item undone and not decided
    again is not one), oldest decision first, with the scope's filters."""
    reviewer = aliased(User)
    escalated = exists().where(
        AuditEntry.review_item_id == ReviewItem.id,
        AuditEntry.action == "review_item.escalated",
        AuditEntry.outcome == "ok",
    )
    query = (
        select(
            ReviewItem.id,
            ReviewItem.decided_at,
            reviewer.login,
            Client.name,
            ReviewItem.workflow,
            ReviewItem.provider,
            ReviewItem.kind,
            ReviewItem.lead_label,
            ReviewItem.status,
            ReviewItem.edit_class,
            ReviewItem.reject_reason,
            escalated.label("escalated"),
            ReviewItem.flag_codes,
        )
        .join(Client, Client.id == ReviewItem.client_id)
        .outerjoin(reviewer, reviewer.id == ReviewItem.decided_by_id)
        .where(ReviewItem.is_open == 0, ReviewItem.decided_at >= scope.start, ReviewItem.decided_at < scope.end)
        .order_by(ReviewItem.decided_at, ReviewItem.id)
    )
    for column, value in (
        (ReviewItem.client_id, scope.client_id),
        (ReviewItem.workflow, scope.workflow),
        (ReviewItem.provider, scope.provider),
        (ReviewItem.decided_by_id, scope.reviewer_id),
    ):
        if value is not None:
            query = query.where(column == value)
    return query


def _decision(status: str, edit_class: str | None) -> str:
    """What the reviewer decided, whatever happened since (published, queued, failed...)."""
    if status == ItemStatus.REJECTED:
        return "rejected"
    return "approved" if edit_class in (None, "unchanged") else "edited"


def _decision_rows(session: Session, scope: Scope) -> Iterator[tuple[object, ...]]:
    for item_id, at, who, client, lane, source, kind, lead, status, edit, reason, escalated, flags in _stream(
        session, decisions_query(scope)
    ):
        yield (
            item_id,
            at,
            who,
            client,
            lane,
            source,
            kind,
            lead,
            _decision(status, edit),
            edit,
            reason,
            "yes" if escalated else "no",
            flags,
            status,
        )


def write_decisions(session: Session, out: TextIO, scope: Scope, filters: Filters) -> int:
    return _write(out, "decisions", scope, filters, DECISION_COLUMNS, _decision_rows(session, scope))


# --- the audit log ---------------------------------------------------------------------------

AUDIT_COLUMNS = (
    "id",
    "at",
    "actor",
    "source",
    "action",
    "outcome",
    "entity",
    "entity_id",
    "review_item_id",
    "lead_id",
    "client",
    "recovery",
    "detail",
)


def audit_query(scope: Scope, actor: str | None = None, action: str | None = None) -> Select[Any]:
    """Audit entries in the period, in the order they were written (by id: the log is
    append-only), for the scope's client, one actor, actions starting with ``action``."""
    query = (
        select(
            AuditEntry.id,
            AuditEntry.at,
            AuditEntry.actor,
            AuditEntry.source,
            AuditEntry.action,
            AuditEntry.outcome,
            AuditEntry.entity,
            AuditEntry.entity_id,
            AuditEntry.review_item_id,
            AuditEntry.lead_id,
            Client.name,
            AuditEntry.recovery,
            AuditEntry.detail,
        )
        .outerjoin(Client, Client.id == AuditEntry.client_id)
        .where(AuditEntry.at >= scope.start, AuditEntry.at < scope.end)
        .order_by(AuditEntry.id)
    )
    if scope.client_id is not None:
        query = query.where(AuditEntry.client_id == scope.client_id)
    if actor:
        query = query.where(AuditEntry.actor == actor)
    if action:
        query = query.where(AuditEntry.action.startswith(action, autoescape=True))
    return query


def write_audit(
    session: Session, out: TextIO, scope: Scope, filters: Filters, actor: str | None = None, action: str | None = None
) -> int:
    rows = (
        (*row[:-1], json.dumps(row[-1] or {}, ensure_ascii=False, sort_keys=True))
        for row in _stream(session, audit_query(scope, actor, action))
    )
    return _write(out, "audit log", scope, filters, AUDIT_COLUMNS, rows)


# --- KPI tables ------------------------------------------------------------------------------

KPI_COLUMNS = ("group", "group_label", "metric", "metric_label", "unit", "value", "count")


def _kpi_rows(rows: Sequence[KpiRow], metrics: Sequence[Metric]) -> Iterator[tuple[object, ...]]:
    """One line per group and metric, in the catalogue's order; a metric a group lacks (it
    does not apply to the dimension) has no line, one with nothing to compute has no value."""
    for row in rows:
        for metric in metrics:
            figure = row.figures.get(metric.key)
            if figure is not None:
                yield row.key, row.label, metric.key, metric.label, metric.unit.value, figure.value, figure.count


def write_kpis(out: TextIO, rows: Sequence[KpiRow], metrics: Sequence[Metric], scope: Scope, filters: Filters) -> int:
    return _write(out, "KPI table", scope, filters, KPI_COLUMNS, _kpi_rows(rows, metrics))


def write_kpi_csv(
    path: Path, rows: Sequence[KpiRow], scope: Scope, by: Dimension | None = None, filters: Filters | None = None
) -> Path:
    """The KPI table shown (the Reports view's Export), in the catalogue's order, to ``path``;
    ``filters`` in words (``scope_filters`` with the names), else the scope's and ``by`` with ids."""
    with path.open("w", newline="", encoding="utf-8") as out:
        write_kpis(out, rows, METRICS, scope, filters or scope_filters(scope, by))
    return path


def kpis_as_json(rows: Sequence[KpiRow], metrics: Sequence[Metric], scope: Scope, filters: Filters) -> dict[str, Any]:
    """The same table for scripts that prefer JSON: the period, the filters, and per group
    each metric's value and count (value null: nothing to compute it over)."""
    units = {metric.key: metric.unit.value for metric in metrics}
    return {
        "period": {"start": scope.start.isoformat(), "end": scope.end.isoformat()},
        "filters": dict(filters.pairs),
        "units": units,
        "rows": [
            {
                "group": row.key,
                "label": row.label,
                "figures": {
                    key: {"value": row.figures[key].value, "count": row.figures[key].count}
                    for key in units
                    if key in row.figures
                },
            }
            for row in rows
        ],
    }
