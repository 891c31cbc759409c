"""Every KPI query reads its period off an index range, never the whole of a big table.

The statements are the ones the metrics really send (caught with SQLAlchemy's
``before_cursor_execute`` while every public reader runs on weeks of demo history), and the
plans are the databases' own:

* SQLite, the embedded default, whose planner has no statistics to go by: every read of a big
  table must be a ``SEARCH`` bounded by a range (the period) or by a key equality (a per-row
  lookup of one item or lead). A ``SCAN``, or a ``SEARCH`` on a low-selectivity equality alone
  (``status=?``, ``action=?``, ``duplicate_of_id=?``), reads rows that grow without end.
* PostgreSQL with ``enable_seqscan = off``: no sequential scan of a big table is left, i.e.
  an index serves every read.

MariaDB is left out: its optimizer picks a full scan of a small test table whatever its
indexes, and it has no switch to say otherwise, so its plan says nothing about a big one.
Small tables (clients, users, data sources, templates) may be scanned.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event, text

from app.demo_history import write_weeks_of_history
from app.metrics import Dimension, Scope
from app.metrics.baseline import compare_lanes, first_activity
from app.metrics.catalogue import METRICS
from app.metrics.kpis import BREAKDOWNS, DISTRIBUTIONS, breakdown, distribution, kpi_table, trend
from db.engine import Database
from db.migrate import upgrade
from db.types import utcnow
from tests.databases import fresh_database

BIG = (
    "review_items",
    "audit_log",
    "leads",
    "webhook_events",
    "messages",
    "crm_handoffs",
    "owner_tasks",
    "events",
    "drafts",
    "risk_flags",
)
# Equalities that pick out one row or one item's rows: the per-row lookups of a correlation.
LOOKUP_KEYS = {"rowid", "id", "lead_id", "review_item_id"}
_SQLITE_ACCESS = re.compile(rf"\b(SCAN|SEARCH) ({'|'.join(BIG)})\b(?: AS \w+)?(.*)$")
_PG_SEQ_SCAN = re.compile(rf"Seq Scan on ({'|'.join(BIG)})\b")


@pytest.fixture(params=["sqlite", "postgresql"])
def history(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[Database]:
    with fresh_database(request.param, str(tmp_path)) as url:
        database = Database(url)
        upgrade(database.engine)
        with database.write() as session:
            assert write_weeks_of_history(session) > 0
        yield database
        database.dispose()


def _statements(database: Database) -> list[tuple[str, Any]]:
    """What every metrics reader sends over four weeks, grouped every way and filtered."""
    sent: list[tuple[str, Any]] = []

    def keep(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        sent.append((statement, parameters))

    now = utcnow()
    scopes = [Scope(now - timedelta(days=28), now), Scope(now - timedelta(days=28), now, workflow="crm_handoff")]
    event.listen(database.engine, "before_cursor_execute", keep)
    try:
        with database.read() as session:
            for scope in scopes:
                for by in (None, *Dimension):
                    kpi_table(session, scope, by, now=now)
                for metric in METRICS:
                    trend(session, scope, metric.key)
                for name in DISTRIBUTIONS:
                    distribution(session, scope, name)
                for name in BREAKDOWNS:
                    breakdown(session, scope, name)
            compare_lanes(session, Scope(now - timedelta(days=28), now - timedelta(days=21)), scopes[0], now=now)
            first_activity(session)
    finally:
        event.remove(database.engine, "before_cursor_execute", keep)
    return list({statement: (statement, params) for statement, params in sent if "SELECT" in statement}.values())


def _sqlite_bad_reads(plan_rows: list[Any]) -> list[str]:
    bad = []
    for row in plan_rows:
        detail = row[-1]
        match = _SQLITE_ACCESS.search(detail)
        if match is None:
            continue
        condition = match.group(3)
        keys = set(re.findall(r"(\w+)=\?", condition))
        # A SEARCH with no condition is the min/max read of one index entry.
        bounded = "(" not in condition or "<" in condition or ">" in condition or bool(keys & LOOKUP_KEYS)
        if match.group(1) == "SCAN" or not bounded:
            bad.append(detail)
    return bad


def _bad_reads(database: Database, statements: list[tuple[str, Any]]) -> dict[str, list[str]]:
    """Each statement whose plan reads a big table unbounded, with the plan lines that do."""
    found: dict[str, list[str]] = {}
    with database.engine.connect() as connection:
        if database.backend == "postgresql":
            connection.execute(text("SET enable_seqscan = off"))
        for statement, params in statements:
            if database.backend == "sqlite":
                rows = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params).all()
                bad = _sqlite_bad_reads(rows)
            else:
                lines = [row[0] for row in connection.exec_driver_sql("EXPLAIN " + statement, params)]
                bad = [line.strip() for line in lines if _PG_SEQ_SCAN.search(line)]
            if bad:
                found[" ".join(statement.split())[:300]] = bad
    return found


def test_every_kpi_query_reads_its_period_off_an_index(history: Database) -> None:
    statements = _statements(history)
    assert len(statements) > 20  # every family, grouping and reader was reached
    assert _bad_reads(history, statements) == {}


def test_the_check_names_a_table_read_whole_when_its_index_is_gone(history: Database) -> None:
    """The plan check can fail: without the quarantined-deliveries index the breakdown by
    provider reads every quarantined delivery ever (SQLite) or the whole table (PostgreSQL)."""
    with history.engine.begin() as connection:
        connection.execute(text("DROP INDEX ix_webhook_events_status_received_at"))
        if history.backend == "postgresql":
            connection.execute(text("DROP INDEX ix_webhook_events_status_id"))
            connection.execute(text("DROP INDEX ix_webhook_events_received_at_status"))
    bad = _bad_reads(history, _statements(history))
    assert bad, "no unbounded read found with the index gone"
    assert all("webhook_events" in line for lines in bad.values() for line in lines)
