"""AI drafting at volume: 1,000 drafts through the running desk against a local
OpenAI-compatible server that answers each request after 300 ms, eight at a time.

Prints JSON: the elapsed time from the desk's start until the last item has its AI draft,
its ratio to the ideal (1,000 x 0.3 s / 8 = 37.5 s; target <= 1.25), the peak number of
requests in flight, and the longest GUI-thread stall meanwhile (the window must stay
responsive while drafts land in the queue).
Run: ``make bench`` or ``python bench/ai_drafts.py [--drafts N] [--latency S] [--concurrency C]``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import qasync  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from app.ai.config import AiConfig  # noqa: E402
from app.demo import write_demo_events  # noqa: E402
from app.identity import ensure_user  # noqa: E402
from app.pipeline.drafting import OfflineSummarizer  # noqa: E402
from app.pipeline.poller import IngestConfig, PollConfig, drain  # noqa: E402
from app.runtime import DESK_SQLITE_CACHE_MIB  # noqa: E402
from app.services.drafts import release_waiting  # noqa: E402
from app.settings import Settings  # noqa: E402
from app.unsaved import UnsavedEdits  # noqa: E402
from bench._gui import StallMeter, until  # noqa: E402
from bench._support import emit, sqlite_url  # noqa: E402
from db.engine import Database  # noqa: E402
from db.migrate import upgrade  # noqa: E402
from db.models import Draft, ReviewItem  # noqa: E402
from db.queries.drafting import count_drafting  # noqa: E402
from db.vocab import ItemStatus  # noqa: E402
from ui.application import make_application  # noqa: E402
from ui.desktop import Desk, DeskContext  # noqa: E402
from ui.tasks import TaskRunner  # noqa: E402


def waiting_items(database: Database, wanted: int) -> int:
    """Ingest demo deliveries until ``wanted`` items wait for their AI draft; extra ones join
    the queue with their offline draft, so exactly ``wanted`` are drafted."""
    config = PollConfig(IngestConfig(OfflineSummarizer(), source="bench", await_ai=True), batch_size=500)
    seed = 0
    while True:
        with database.read() as session:
            waiting = list(
                session.scalars(
                    select(ReviewItem.id).where(ReviewItem.status == ItemStatus.DRAFTING).order_by(ReviewItem.id)
                )
            )
        if len(waiting) >= wanted:
            release_waiting(database, waiting[wanted:], "benchmark: more than asked for", "bench")
            return wanted
        with database.write() as session:
            write_demo_events(session, wanted - len(waiting) + 50, seed=seed)
        drain(database, config)
        seed += 1


@contextmanager
def server_process(latency: float) -> Iterator[tuple[str, list[float]]]:
    """The local server in a process of its own, as a real one would be; yields its URL and
    a list that holds the requests' arrival times once it has stopped."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.fake_openai", "--latency", str(latency)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    arrivals: list[float] = []
    try:
        yield process.stdout.readline().strip(), arrivals  # type: ignore[union-attr]
    finally:
        out, _ = process.communicate("", timeout=30)
        arrivals.extend(json.loads(out or "[]"))


def peak_in_flight(arrivals: list[float], latency: float) -> int:
    """Most requests the server was answering at one moment (each takes ``latency``)."""
    arrivals = sorted(arrivals)
    peak, start = 0, 0
    for end, t in enumerate(arrivals):
        while arrivals[start] <= t - latency:
            start += 1
        peak = max(peak, end - start + 1)
    return peak


async def measure(database: Database, folder: Path, ai: AiConfig, wanted: int) -> dict[str, object]:
    with database.write() as session:
        actor = ensure_user(session, "bench")
    settings = Settings(poll_interval_s=3600, undo_window_s=30)
    config = PollConfig(
        IngestConfig(OfflineSummarizer(), source="desk", await_ai=True), batch_size=settings.poll_batch_size
    )
    context = DeskContext(
        database, actor, config, settings, UnsavedEdits(folder / "unsaved", actor.login), folder / "outbox", ai=ai
    )
    desk = Desk(context, TaskRunner())
    meter = StallMeter()
    meter.start()
    started = time.perf_counter()
    desk.start()  # its first poll starts the drafting stage

    def left() -> int:
        with database.read() as session:
            return count_drafting(session)

    remaining = wanted
    while remaining:
        await asyncio.sleep(0.25)
        remaining = await desk.runner.read(left)
    elapsed = time.perf_counter() - started
    await until(lambda: desk.model.rowCount() >= wanted and not desk.runner.busy, timeout=60)
    stall = meter.stop()
    await desk.stop()
    desk.window.close()
    with database.read() as session:
        ai_drafts = session.scalar(select(func.count()).select_from(Draft).where(Draft.drafter == "ai"))
    return {
        "elapsed_s": round(elapsed, 2),
        "ai_drafts_written": ai_drafts,
        "longest_gui_stall_ms": round(stall * 1000, 1),
        "queue_rows_shown": desk.model.rowCount(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drafts", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.3, help="seconds the server takes per answer")
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory(prefix="review-desk-bench-") as folder,
        sqlite_url() as url,
        server_process(args.latency) as (base_url, arrivals),
    ):
        database = Database(url, DESK_SQLITE_CACHE_MIB)
        upgrade(database.engine)
        wanted = waiting_items(database, args.drafts)
        ai = AiConfig(model="test-model", base_url=base_url, timeout_s=10, max_retries=2, concurrency=args.concurrency)
        app = make_application()
        loop = qasync.QEventLoop(app)
        asyncio.set_event_loop(loop)
        try:
            figures = loop.run_until_complete(measure(database, Path(folder), ai, wanted))
        finally:
            loop.close()
            database.dispose()
    ideal = wanted * args.latency / args.concurrency
    emit(
        "ai_drafts",
        {
            "targets": {"ratio_to_ideal": 1.25, "longest_gui_stall_ms": 50},
            "drafts": wanted,
            "latency_s": args.latency,
            "concurrency": args.concurrency,
            "ideal_s": round(ideal, 2),
            **figures,
            "ratio_to_ideal": round(float(figures["elapsed_s"]) / ideal, 3),  # type: ignore[arg-type]
            "requests": len(arrivals),
            "peak_requests_in_flight": peak_in_flight(arrivals, args.latency),
        },
    )


if __name__ == "__main__":
    main()
