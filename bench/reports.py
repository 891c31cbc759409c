"""The KPIs and the Reports view over 1,000,000 review items, ~2,000,000 audit rows and 200,000
leads on SQLite (eight weeks of history, ``bench._reports_data``).

Prints JSON:
1. every metric function on its own (``kpi_table`` for the whole scope and by each dimension,
   ``trend`` of every metric, ``distribution``, ``breakdown``, ``compare_lanes``) and the Reports
   page's whole read (``app.desk.reports.report_page``), for the last week and the last four
   weeks of the history: first run, median and p95 of 5 runs in ms; the functions slower than
   ``SLOW_MS`` with their slowest statement and its EXPLAIN QUERY PLAN, and every statement
   whose plan scans a big table without an index;
2. the Reports view driven through the real desk offscreen: first paint (from opening the view
   to its tiles and table painted with data), a filter change (p50/p95 of 20, until the new
   page is painted) and the longest GUI-thread stall meanwhile. Targets: 1.0 s, 300 ms, 50 ms.
The database is built once per schema revision and day and cached under /tmp; each run works on
a copy (the desk's cycle writes). The machine's load average is printed beside the figures.
Run: ``make bench`` or ``python bench/reports.py [--items N] [--leads N] [--runs N] [--no-gui]``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QObject  # noqa: E402
from PySide6.QtWidgets import QComboBox, QWidget  # noqa: E402
from sqlalchemy import Engine, event, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from app.desk.reports import ReportFilters, report_page  # noqa: E402
from app.identity import Actor, ensure_user  # noqa: E402
from app.metrics import Dimension, Scope  # noqa: E402
from app.metrics.baseline import compare_lanes  # noqa: E402
from app.metrics.catalogue import METRICS  # noqa: E402
from app.metrics.kpis import breakdown, distribution, kpi_table, trend  # noqa: E402
from app.pipeline.drafting import OfflineSummarizer  # noqa: E402
from app.pipeline.poller import IngestConfig, PollConfig  # noqa: E402
from app.runtime import DESK_SQLITE_CACHE_MIB  # noqa: E402
from bench._gui import StallMeter, run_on_desk_loop, until  # noqa: E402
from bench._reports_data import DAYS, build  # noqa: E402
from bench._support import emit  # noqa: E402
from bench.review_queue import p95  # noqa: E402
from db.engine import Database  # noqa: E402
from db.migrate import HEAD  # noqa: E402
from db.vocab import Role  # noqa: E402
from tests.desk_fixtures import build_desk  # noqa: E402

if TYPE_CHECKING:  # imported by the desk when Reports is first opened, which the figures include
    from ui.reports.view import ReportsWindow

DATA_VERSION = 2  # bump when bench._reports_data changes what it writes: the cache is rebuilt
CACHE_PREFIX = "review-desk-bench-reports-"
SLOW_MS = 100.0  # a function slower than this (median) has its plan printed
BIG_TABLES = ("review_items", "audit_log", "leads", "events", "drafts", "messages", "crm_handoffs", "webhook_events")
DISTRIBUTIONS = ("review_turnaround", "first_response")
BREAKDOWNS = ("reject_reasons", "blocked", "quarantine_by_provider")
GIVE_UP_S = 5.0  # a function whose first run takes longer is not run again
CHANGES = 20
REOPENS = 3
STEP_TIMEOUT_S = 60


def anchor_of(now: datetime) -> datetime:
    """Where the built history ends: today's midnight (UTC), so "this week" has data."""
    return now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def cached(items: int, leads: int, anchor: datetime) -> tuple[Path, float]:
    """The built database (and how long building it took now: 0 when cached). Built in a child
    process; older builds of this benchmark are removed (each is ~3 GB)."""
    folder = Path(tempfile.gettempdir())
    path = folder / f"{CACHE_PREFIX}{HEAD}-d{DATA_VERSION}-{anchor:%Y%m%d}-{items}-{leads}.sqlite3"
    if path.exists():
        return path, 0.0
    for old in folder.glob(f"{CACHE_PREFIX}*.sqlite3"):
        old.unlink()
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    started = time.perf_counter()
    command = [sys.executable, __file__, "--build-only", str(partial), "--items", str(items), "--leads", str(leads)]
    subprocess.run([*command, "--anchor", anchor.isoformat()], check=True)
    partial.rename(path)
    return path, time.perf_counter() - started


@dataclass
class Statement:
    sql: str
    parameters: Any
    seconds: float


@dataclass
class Recorder:
    """The statements an engine ran while ``recording``, with their times."""

    recording: bool = False
    statements: list[Statement] = field(default_factory=list)
    _started: dict[int, float] = field(default_factory=dict)

    def attach(self, engine: Engine) -> None:
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        self._started[id(cursor)] = time.perf_counter()

    def _after(self, conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        elapsed = time.perf_counter() - self._started.pop(id(cursor), time.perf_counter())
        if self.recording and not statement.lstrip().upper().startswith(("BEGIN", "PRAGMA")):
            self.statements.append(Statement(statement, parameters, elapsed))

    @contextmanager
    def record(self) -> Iterator[list[Statement]]:
        self.statements, self.recording = [], True
        try:
            yield self.statements
        finally:
            self.recording = False


def plan_of(database: Database, statement: Statement) -> list[str]:
    """SQLite's EXPLAIN QUERY PLAN of ``statement``, one line per step, indented by depth."""
    with database.engine.connect() as conn:
        rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement.sql}", statement.parameters).all()
    depth: dict[int, int] = {0: -1}
    lines = []
    for node, parent, _, detail in rows:
        depth[node] = depth.get(parent, -1) + 1
        lines.append("  " * depth[node] + detail)
    return lines


def full_scans(plan: list[str]) -> list[str]:
    """The plan's steps that read a whole big table rather than a range of an index."""
    scans = []
    for line in plan:
        step = line.strip()
        if not step.startswith("SCAN "):
            continue
        table = step.split()[1]
        if table in BIG_TABLES and "INDEX" not in step:
            scans.append(step)
    return scans


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


class MetricBench:
    """Times functions of a read session, and keeps the plans of the slow ones."""

    def __init__(self, database: Database, runs: int) -> None:
        self.database = database
        self.runs = runs
        self.recorder = Recorder()
        self.recorder.attach(database.engine)
        self.slow: list[dict[str, object]] = []
        self.scans: dict[str, dict[str, object]] = {}

    def time(self, name: str, call: Callable[[Session], object]) -> dict[str, object]:
        samples: list[float] = []
        with self.recorder.record() as statements:
            samples.append(self._once(call))
        for _ in range(self.runs - 1 if samples[0] < GIVE_UP_S else 0):
            samples.append(self._once(call))
        median = statistics.median(samples)
        figures: dict[str, object] = {
            "first_ms": ms(samples[0]),
            "median_ms": ms(median),
            "p95_ms": ms(p95(samples)),
            "runs": len(samples),
            "statements": len(statements),
        }
        plans = {id(s): plan_of(self.database, s) for s in statements}
        for statement in statements:
            for scan in set(full_scans(plans[id(statement)])):
                sql = " ".join(statement.sql.split())
                found = self.scans.setdefault(f"{scan} | {sql}", {"scan": scan, "sql": sql, "in": []})
                found["in"].append(name)  # type: ignore[attr-defined]
        if median * 1000 > SLOW_MS and statements:
            slowest = max(statements, key=lambda s: s.seconds)
            self.slow.append(
                {
                    "function": name,
                    "median_ms": ms(median),
                    "slowest_statement_ms": ms(slowest.seconds),
                    "statement": " ".join(slowest.sql.split()),
                    "plan": plans[id(slowest)],
                }
            )
        return figures

    def _once(self, call: Callable[[Session], object]) -> float:
        with self.database.read() as session:
            started = time.perf_counter()
            call(session)
            return time.perf_counter() - started


def scopes(anchor: datetime) -> dict[str, Scope]:
    return {
        "one_week": Scope(anchor - timedelta(days=7), anchor),
        "four_weeks": Scope(anchor - timedelta(days=28), anchor),
    }


def lane_periods(anchor: datetime) -> dict[str, tuple[Scope, Scope]]:
    """compare_lanes' baseline and latest: the history's first week against its last, and its
    first four weeks against its last four."""
    start = anchor - timedelta(days=DAYS)
    week, four = timedelta(days=7), timedelta(days=28)
    return {
        "one_week": (Scope(start, start + week), Scope(anchor - week, anchor)),
        "four_weeks": (Scope(start, start + four), Scope(anchor - four, anchor)),
    }


def calls(
    database: Database, anchor: datetime, scope: Scope, lanes: tuple[Scope, Scope]
) -> Iterator[tuple[str, Callable[[Session], object]]]:
    """Each function measured over ``scope``, by name."""
    for by in (None, *Dimension):
        yield f"kpi_table(by={by.value if by else None})", lambda s, by=by: kpi_table(s, scope, by, anchor)
    for metric in METRICS:
        yield f"trend({metric.key})", lambda s, key=metric.key: trend(s, scope, key)
    for name in DISTRIBUTIONS:
        yield f"distribution({name})", lambda s, name=name: distribution(s, scope, name)
    for name in BREAKDOWNS:
        yield f"breakdown({name})", lambda s, name=name: breakdown(s, scope, name)
    yield "compare_lanes", lambda s: compare_lanes(s, *lanes, anchor)
    admin = Actor(0, "bench", Role.ADMIN)
    filters = ReportFilters(scope.start, scope.end)  # by lane, as the view opens
    yield "report_page", lambda _s: report_page(database, admin, filters, anchor)


def measure_metrics(database: Database, anchor: datetime, runs: int) -> dict[str, object]:
    bench = MetricBench(database, runs)
    periods = lane_periods(anchor)
    results = {
        label: {
            name: bench.time(f"{label}: {name}", call) for name, call in calls(database, anchor, scope, periods[label])
        }
        for label, scope in scopes(anchor).items()
    }
    return {"metrics_ms": results, "slow": bench.slow, "full_scans": list(bench.scans.values())}


# --- the Reports view ---------------------------------------------------------------------


class PaintedAfter(QObject):
    """Resolves ``wait()`` at the first paint of ``widget`` after ``arm()``: the moment new
    figures reached the screen, not merely the model."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__()
        self._future: asyncio.Future[float] | None = None
        widget.installEventFilter(self)

    def arm(self) -> asyncio.Future[float]:
        self._future = asyncio.get_running_loop().create_future()
        return self._future

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Paint and self._future is not None and not self._future.done():
            self._future.set_result(time.perf_counter())
        return False


async def page_painted(window: ReportsWindow, watch: PaintedAfter, change: Callable[[], None]) -> tuple[float, float]:
    """Run ``change`` (which asks for a page); seconds until the page was ready and until the
    table showed it on screen."""
    loop = asyncio.get_running_loop()
    ready: asyncio.Future[float] = loop.create_future()

    def landed(_page: object) -> None:
        if not ready.done():
            ready.set_result(time.perf_counter())

    window.controller.page_ready.connect(landed)
    started = time.perf_counter()
    change()
    ready_at = await asyncio.wait_for(ready, STEP_TIMEOUT_S)
    window.controller.page_ready.disconnect(landed)
    assert window.page is not None and window.kpi_model.rowCount() > 0, "the page has rows"
    painted_at = await asyncio.wait_for(watch.arm(), STEP_TIMEOUT_S)
    return ready_at - started, painted_at - started


def filter_changes(window: ReportsWindow) -> list[tuple[QComboBox, int]]:
    """``CHANGES`` filter changes: each client, lanes, groupings and periods in turn."""
    steps: list[tuple[QComboBox, int]] = []
    steps += [(window.client, i) for i in (*range(1, window.client.count()), 0)]
    steps += [(window.lane, i) for i in (1, 2, 6, 0)]
    steps += [(window.by, i) for i in (*range(window.by.count()), window.by.findData(Dimension.LANE))]
    periods = [window.period.findData(key) for key in ("last_week", "this_month", "last_month", "last_4_weeks")]
    steps += [(window.period, i) for i in periods]
    return steps[:CHANGES]


async def measure_view(database: Database, folder: Path) -> dict[str, object]:
    with database.write() as session:
        actor = ensure_user(session, "bench")
    config = PollConfig(IngestConfig(OfflineSummarizer(), source="bench"))
    desk = build_desk(database, actor, config, folder, undo_window_s=30)
    desk.start()
    await until(lambda: desk.controller.total_known and not desk.runner.busy, 120)
    meter = StallMeter()
    meter.start()
    opened = time.perf_counter()
    desk.window.reports_action.trigger()  # as View -> Reports does
    window = desk.reports
    assert window is not None
    watch = PaintedAfter(window.kpi_view.viewport())
    ready: asyncio.Future[float] = asyncio.get_running_loop().create_future()
    window.controller.page_ready.connect(lambda _p: ready.done() or ready.set_result(time.perf_counter()))
    first_ready = await asyncio.wait_for(ready, STEP_TIMEOUT_S) - opened
    first_paint = await asyncio.wait_for(watch.arm(), STEP_TIMEOUT_S) - opened
    await until(lambda: not desk.runner.busy)
    stall_open = meter.stop()
    reopen: list[float] = []
    for _ in range(REOPENS):
        window.close()
        reopen.append((await page_painted(window, watch, desk.window.reports_action.trigger))[1])
        await until(lambda: not desk.runner.busy)
    meter.start()
    ready_s: list[float] = []
    painted_s: list[float] = []
    for combo, index in filter_changes(window):
        read, painted = await page_painted(window, watch, lambda c=combo, i=index: c.setCurrentIndex(i))
        ready_s.append(read)
        painted_s.append(painted)
        await until(lambda: not desk.runner.busy)
    stall_changes = meter.stop()
    window.close()
    await desk.stop()
    return {
        "first_paint_s": round(first_paint, 3),
        "first_page_read_s": round(first_ready, 3),
        "reopen_paint_s": {"median": round(statistics.median(reopen), 3), "max": round(max(reopen), 3)},
        "filter_change_ms": {
            "changes": len(painted_s),
            "p50": ms(statistics.median(painted_s)),
            "p95": ms(p95(painted_s)),
            "max": ms(max(painted_s)),
            "read_p50": ms(statistics.median(ready_s)),
            "read_p95": ms(p95(ready_s)),
        },
        "longest_gui_stall_ms": {"first_open": ms(stall_open), "filter_changes": ms(stall_changes)},
    }


def row_counts(database: Database) -> dict[str, int]:
    with database.read() as session:
        return {
            table: int(session.scalar(text(f"SELECT count(*) FROM {table}")) or 0)
            for table in ("review_items", "audit_log", "leads", "events", "drafts", "messages", "crm_handoffs")
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--leads", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-gui", action="store_true", help="the metric functions only")
    parser.add_argument("--build-only", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--anchor", type=datetime.fromisoformat, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build_only:
        build(args.build_only, args.items, args.leads, args.anchor)
        return
    load_before = os.getloadavg()
    anchor = anchor_of(datetime.now(UTC))
    source, build_s = cached(args.items, args.leads, anchor)
    with tempfile.TemporaryDirectory(prefix="review-desk-bench-") as folder:
        path = Path(folder) / "reports.sqlite3"
        shutil.copyfile(source, path)
        url = f"sqlite:///{path}"
        database = Database(url, DESK_SQLITE_CACHE_MIB)
        try:
            counts = row_counts(database)
            figures = measure_metrics(database, anchor, args.runs)
        finally:
            database.dispose()
        if not args.no_gui:
            figures["view"] = run_on_desk_loop(url, measure_view, Path(folder))
    emit(
        "reports",
        {
            "targets": {"first_paint_s": 1.0, "filter_change_p95_ms": 300, "longest_gui_stall_ms": 50},
            "rows": counts,
            "history_ends": anchor.isoformat(),
            "build_s": round(build_s, 1),
            "load_average_before": [round(x, 2) for x in load_before],
            **figures,
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
        },
    )


if __name__ == "__main__":
    main()
