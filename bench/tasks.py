"""The owner-task inbox with 100,000 open tasks beside 1,000,000 review items on SQLite, driven
through the real desk offscreen.

Prints JSON: the time from choosing the "Tasks", "My tasks" and "Overdue tasks" views until the
table shows their rows and the pane the first task (each view opened a few times, a queue view
chosen in between; median and max), completing a task to the next task in the pane (p50, p95,
max) and to the list read again, and peak resident memory. Targets: 0.5 s and 50 ms (p95).
The database is built with bulk inserts once and cached under /tmp; each run works on a copy,
its task times moved to the clock so that every run sees the same due and overdue tasks.
Run: ``make bench`` or ``python bench/tasks.py [--items N] [--tasks N]``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from sqlalchemy import insert, select, text  # noqa: E402

from app.identity import ensure_user  # noqa: E402
from app.pipeline.drafting import OfflineSummarizer  # noqa: E402
from app.pipeline.poller import IngestConfig, PollConfig  # noqa: E402
from bench._gui import run_on_desk_loop, until  # noqa: E402
from bench._support import emit  # noqa: E402
from bench.review_queue import build as build_queue  # noqa: E402
from bench.review_queue import p95, rss_mb  # noqa: E402
from db.engine import Database  # noqa: E402
from db.migrate import HEAD  # noqa: E402
from db.models import Client, Lead, OwnerTask, User  # noqa: E402
from db.queries.tasks import TaskRow  # noqa: E402
from db.vocab import Role, TaskStatus  # noqa: E402
from tests.desk_fixtures import build_desk  # noqa: E402
from ui.desktop import Desk  # noqa: E402

ANCHOR = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)  # the built data's clock; each run moves it to now
VIEWS = ("tasks", "my_tasks", "overdue_tasks")
OPENS = 5  # each view opened this many times
COMPLETIONS = 50
STEP_TIMEOUT_S = 30
REVIEWERS = 20  # besides the desk's user and the demo users
WINDOWS = (timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1), timedelta(hours=4))
REASONS = (
    ("Call back the caller", "missed call from a new caller"),
    ("Call the lead now", "urgent lead: emergency service asked"),
    ("Send the quote", "high-value quote request"),
    ("Answer the marketplace lead", "marketplace lead: first answer wins"),
)
NO_LEAD = ("Check the paused provider", "provider paused: delivery failures")
SOURCES = ("callrail", "web_form", "thumbtack", "angi")
FIRST = ("Maria", "James", "Aisha", "Tom", "Priya", "Lee", "Sofia", "Omar", "Grace", "Dev")
LAST = ("Park", "Ortiz", "Lane", "Nguyen", "Silva", "Khan", "Meyer", "Adams", "Brooks", "Ito")
# A task's times, moved to the clock on each run's copy (SQLite; as SQLAlchemy writes them).
SHIFT_SQL = """
UPDATE owner_tasks SET
  due_at = strftime('%Y-%m-%d %H:%M:%f000', due_at, :shift),
  created_at = strftime('%Y-%m-%d %H:%M:%f000', created_at, :shift),
  assigned_at = strftime('%Y-%m-%d %H:%M:%f000', assigned_at, :shift),
  escalated_at = strftime('%Y-%m-%d %H:%M:%f000', escalated_at, :shift)
"""


def task_rows_to_insert(
    random_: random.Random, lead_ids: list[int], clients: dict[int, int], assignees: list[int | None]
) -> list[dict[str, object]]:
    """One open task per lead of ``lead_ids`` (one in twenty about no lead: an auto-pause) for
    its assignee, due from two days past to five days ahead; the overdue ones escalated
    already, as the cycle leaves them."""
    rows = []
    for number, (lead, assignee) in enumerate(zip(lead_ids, assignees, strict=True)):
        lead_id = lead if number % 20 else None
        title, reason = REASONS[number % len(REASONS)] if lead_id is not None else NO_LEAD
        window = WINDOWS[number % len(WINDOWS)]
        due = ANCHOR + timedelta(minutes=random_.randint(-2 * 24 * 60, 5 * 24 * 60), seconds=number % 60)
        rows.append(
            {
                "client_id": clients[lead_id] if lead_id is not None else None,
                "lead_id": lead_id,
                "title": title,
                "reason": reason,
                "priority": 1 + number % 3,
                "due_at": due,
                "attempts": number % 3,
                "assigned_reason": "client owner on duty" if assignee is not None else "nobody on duty",
                "assigned_at": due - window if assignee is not None else None,
                "assignee_id": assignee,
                "escalated_at": due if due < ANCHOR else None,
                "created_at": due - window,
                "updated_at": due - window,
                "owner": "routing",
                "source": "routing",
                "status": TaskStatus.OPEN,
                "recovery": "a supervisor can reassign it",
            }
        )
    return rows


def lead_rows_to_insert(random_: random.Random, count: int, client_ids: list[int]) -> list[dict[str, object]]:
    """Leads of every client; three in ten known by their phone number only. Their follow-up
    checks lie weeks ahead, so no cycle in a run drafts old-lead follow-ups for them."""
    rows = []
    for number in range(count):
        seen = ANCHOR - timedelta(minutes=random_.randint(0, 30 * 24 * 60))
        named = number % 10 >= 3
        rows.append(
            {
                "client_id": client_ids[number % len(client_ids)],
                "name": f"{random_.choice(FIRST)} {random_.choice(LAST)}" if named else "",
                "phone": f"+1512{number:07d}",
                "service": "Drain cleaning",
                "first_seen_at": seen,
                "last_event_at": seen,
                "follow_up_check_at": ANCHOR + timedelta(days=60 + number % 30),
                "created_at": seen,
                "updated_at": seen,
                "owner": "pipeline",
                "source": SOURCES[number % len(SOURCES)],
                "status": "new",
            }
        )
    return rows


def build(path: Path, items: int, tasks: int) -> None:
    """The review queue's database (``bench.review_queue``), then users, leads and tasks."""
    url = f"sqlite:///{path}"
    build_queue(url, items)
    database = Database(url)
    random_ = random.Random(17)
    try:
        with database.write() as session:
            me = ensure_user(session, "bench")
            session.add_all(
                User(login=f"bench.reviewer{n:02d}", display_name=f"Reviewer {n:02d}", role=Role.REVIEWER)
                for n in range(REVIEWERS)
            )
            session.flush()
            others = [i for i in session.scalars(select(User.id)) if i != me.user_id]
            client_ids = list(session.scalars(select(Client.id).order_by(Client.id)))
            session.execute(insert(Lead.__table__), lead_rows_to_insert(random_, tasks, client_ids))
            clients = {lead: client for lead, client in session.execute(select(Lead.id, Lead.client_id))}
            lead_ids = sorted(clients)
            random_.shuffle(lead_ids)
            # The desk's user has one task in twenty, as does nobody; the others share the rest.
            people: list[int | None] = [*others, me.user_id, None]
            weights = [18 / len(others)] * len(others) + [1, 1]
            assignees = random_.choices(people, weights, k=len(lead_ids))
            session.execute(insert(OwnerTask.__table__), task_rows_to_insert(random_, lead_ids, clients, assignees))
        with database.engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE leads")
            conn.exec_driver_sql("ANALYZE owner_tasks")
    finally:
        database.dispose()


def cached(items: int, tasks: int) -> tuple[Path, float]:
    """The built database (and how long building it took now: 0 when it was cached). Built in
    a child process: the desk measured here opens an existing database, and its memory is its own."""
    path = Path(tempfile.gettempdir()) / f"review-desk-bench-tasks-{HEAD}-{items}-{tasks}.sqlite3"
    if path.exists():
        return path, 0.0
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    started = time.perf_counter()
    command = [sys.executable, __file__, "--build-only", str(partial), "--items", str(items), "--tasks", str(tasks)]
    subprocess.run(command, check=True)
    partial.rename(path)
    return path, time.perf_counter() - started


def move_to_now(path: Path) -> None:
    """The tasks' times as if the data were built just now."""
    database = Database(f"sqlite:///{path}")
    try:
        with database.write() as session:
            shift = (datetime.now(UTC) - ANCHOR).total_seconds()
            session.execute(text(SHIFT_SQL), {"shift": f"{shift:+.3f} seconds"})
    finally:
        database.dispose()


def shows(desk: Desk, task: TaskRow | None) -> bool:
    """``task`` is current and the pane shows it."""
    pane = desk.window.task_pane
    return (
        task is not None and desk.tasks.inbox.current is task and pane.task is task and pane.title.text() == task.title
    )


async def settle(desk: Desk) -> None:
    await until(lambda: not desk.runner.busy)


async def open_view(desk: Desk, view: str) -> float:
    """Choose ``view`` from a queue view; seconds until its rows and first task are shown."""
    window = desk.window
    window.sidebar.setCurrentIndex(window.sidebar.model().index(0))
    await settle(desk)
    loop = asyncio.get_running_loop()
    shown: asyncio.Future[None] = loop.create_future()
    read = [False]  # the view's rows replaced the ones a former view left in the model

    def reset() -> None:
        read[0] = True

    def current(task: TaskRow | None) -> None:
        if read[0] and shows(desk, task) and desk.tasks.inbox.model.row_at(0) is task and not shown.done():
            shown.set_result(None)

    model = desk.tasks.inbox.model
    model.modelReset.connect(reset)
    desk.tasks.inbox.current_changed.connect(current)
    started = time.perf_counter()
    window.task_views.select(view)
    await asyncio.wait_for(shown, STEP_TIMEOUT_S)
    await asyncio.sleep(0)  # let Qt paint (never processEvents inside a coroutine)
    elapsed = time.perf_counter() - started
    assert window.middle.currentIndex() == 1, "the inbox took the queue's place"
    model.modelReset.disconnect(reset)
    desk.tasks.inbox.current_changed.disconnect(current)
    await settle(desk)
    return elapsed


async def complete_one(desk: Desk) -> tuple[float, float]:
    """Complete the current task: seconds until the next one is in the pane, and until the
    list has been read again (the dispatcher's reload)."""
    was = desk.tasks.inbox.current
    assert was is not None
    loop = asyncio.get_running_loop()
    following: asyncio.Future[None] = loop.create_future()
    reread: asyncio.Future[None] = loop.create_future()

    def current(task: TaskRow | None) -> None:
        if task is not None and task.id != was.id and shows(desk, task) and not following.done():
            following.set_result(None)

    def reset() -> None:
        if not reread.done():
            reread.set_result(None)

    desk.tasks.inbox.current_changed.connect(current)
    desk.tasks.inbox.model.modelReset.connect(reset)
    started = time.perf_counter()
    desk.tasks.inbox.complete("reached", "")
    await asyncio.wait_for(following, STEP_TIMEOUT_S)  # a refused completion opens no next task
    await asyncio.sleep(0)  # let Qt paint (never processEvents inside a coroutine)
    to_next = time.perf_counter() - started
    await asyncio.wait_for(reread, STEP_TIMEOUT_S)
    to_reread = time.perf_counter() - started
    desk.tasks.inbox.current_changed.disconnect(current)
    desk.tasks.inbox.model.modelReset.disconnect(reset)
    await settle(desk)
    return to_next, to_reread


def seconds(samples: list[float]) -> dict[str, float]:
    return {"median_s": round(statistics.median(samples), 3), "max_s": round(max(samples), 3)}


def millis(samples: list[float]) -> dict[str, float]:
    return {
        "p50": round(statistics.median(samples) * 1000, 1),
        "p95": round(p95(samples) * 1000, 1),
        "max": round(max(samples) * 1000, 1),
    }


async def measure(database: Database, folder: Path) -> dict[str, object]:
    with database.write() as session:
        actor = ensure_user(session, "bench")
    config = PollConfig(IngestConfig(OfflineSummarizer(), source="bench"))
    desk = build_desk(database, actor, config, folder, undo_window_s=30)
    desk.start()
    await until(lambda: desk.controller.total_known and not desk.runner.busy, 120)
    opens = {view: [await open_view(desk, view) for _ in range(OPENS)] for view in VIEWS}
    sidebar = desk.window.task_views_model
    counts = {view: sidebar.count_of(view) for view in VIEWS}
    await open_view(desk, "my_tasks")  # what the tasks are completed in
    to_next: list[float] = []
    to_reread: list[float] = []
    for _ in range(COMPLETIONS):
        next_s, reread_s = await complete_one(desk)
        to_next.append(next_s)
        to_reread.append(reread_s)
    mine_left = sidebar.count_of("my_tasks")
    await desk.stop()
    return {
        "open_tasks": counts,
        "completed": (counts["my_tasks"] or 0) - (mine_left or 0),
        "tasks_view_open_s": {view: seconds(samples) for view, samples in opens.items()},
        "complete_to_next_ms": millis(to_next),
        "complete_to_list_reread_ms": millis(to_reread),
        "peak_rss_mb": round(rss_mb(), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--build-only", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build_only:
        build(args.build_only, args.items, args.tasks)
        return
    source, build_s = cached(args.items, args.tasks)
    with tempfile.TemporaryDirectory(prefix="review-desk-bench-") as folder:
        path = Path(folder) / "tasks.sqlite3"
        shutil.copyfile(source, path)
        move_to_now(path)
        figures = run_on_desk_loop(f"sqlite:///{path}", measure, Path(folder))
    emit(
        "tasks",
        {
            "targets": {"tasks_view_open_s": 0.5, "complete_to_next_p95_ms": 50},
            "review_items": args.items,
            "build_s": round(build_s, 1),
            **figures,
        },
    )


if __name__ == "__main__":
    main()
