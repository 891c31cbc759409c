"""The cycle's cadence sweep over 1,000,000 leads on SQLite.

Prints JSON: the sweep step's time (3 runs each) when no lead is due, when a batch is due
(checks come), and on the first cycles after the upgrade (every lead unchecked, the oldest
batch drafted); and the review-request step's over the 100,000 won leads (each run registers
a batch and drafts the one registered 49 hours before). Target: 2 s. The leads (and one event
each) are built with bulk SQL once and cached under /tmp; each run works on a copy.
Run: ``python bench/cadence.py [--leads N]``.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text  # noqa: E402

from app.services.cadence import FOLLOW_UP_BATCH, sweep_old_leads  # noqa: E402
from app.services.review_request import sweep_review_requests  # noqa: E402
from bench._support import emit  # noqa: E402
from db.engine import Database  # noqa: E402
from db.migrate import HEAD, upgrade  # noqa: E402
from db.models import Client, MessageTemplate  # noqa: E402
from db.vocab import Workflow  # noqa: E402

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)  # the data's and the sweep's clock
STAMP = "%Y-%m-%d %H:%M:%S.%f"  # as the desk stores a UTC moment on SQLite
RUNS = 3
REVIEW_STEP = timedelta(hours=49)  # past the default 48 h delay
# Ages 0..2 years; one lead in ten won, one lost; every lead already checked, next check 1..30
# days ahead (the steady state: nothing is due).
LEADS_SQL = """
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :count)
INSERT INTO leads (id, client_id, name, phone, email, service, urgency, consent, attribution,
  opted_out, first_seen_at, last_event_at, next_action, stage, follow_up_check_at, created_at,
  updated_at, owner, source, status, recovery)
SELECT i, :first_client + i % 3, 'Lead ' || i, '+1415' || printf('%07d', i), NULL,
  'Drain cleaning', 'normal', 'unknown', '{}', 0, ts, ts, '',
  CASE i % 10 WHEN 0 THEN 'won' WHEN 1 THEN 'lost' ELSE 'new' END,
  strftime('%Y-%m-%d %H:%M:%f000', :now, '+' || (1 + i % 30) || ' days'), ts, ts, 'bench', 'web_form',
  'new', ''
FROM (SELECT i, strftime('%Y-%m-%d %H:%M:%f000', :now, '-' || (i % 730) || ' days',
  '-' || (i % 1440) || ' minutes') AS ts FROM n)
"""
EVENTS_SQL = """
INSERT INTO events (type, idempotency_key, client_id, lead_id, provider, occurred_at, created_at, data)
SELECT 'lead.created', 'bench:' || id, client_id, id, 'web_form', last_event_at, last_event_at, '{}' FROM leads
"""


def build(path: Path, count: int) -> None:
    database = Database(f"sqlite:///{path}")
    try:
        upgrade(database.engine)
        with database.write() as session:
            clients = [Client(slug=f"client-{n}", name=f"Client {n}") for n in range(3)]
            session.add_all(clients)
            session.flush()
            session.add(
                MessageTemplate(
                    client_id=None,
                    name="old-lead follow-up (sms)",
                    workflow=Workflow.OLD_LEAD_FOLLOW_UP,
                    channel="sms",
                    body="Hi {first_name}, {client_name} here. Are you still looking for help with {service}?",
                    opt_out_text="Reply STOP to opt out.",
                    approved=True,
                    approved_at=NOW,
                )
            )
            now = NOW.replace(tzinfo=None).strftime(STAMP)
            session.execute(text(LEADS_SQL), {"count": count, "first_client": clients[0].id, "now": now})
            session.execute(text(EVENTS_SQL))
        with database.engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
    finally:
        database.dispose()


def cached(count: int) -> Path:
    path = Path(tempfile.gettempdir()) / f"review-desk-bench-cadence-{HEAD}-{count}.sqlite3"
    if not path.exists():
        partial = path.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        build(partial, count)
        partial.rename(path)
    return path


def timed(database: Database) -> tuple[float, int]:
    started = time.perf_counter()
    drafted = sweep_old_leads(database, NOW, actor="bench", source="bench")
    return time.perf_counter() - started, drafted


def timed_review_requests(database: Database, at: datetime) -> tuple[float, int]:
    started = time.perf_counter()
    run = sweep_review_requests(database, at, actor="bench", source="bench")
    return time.perf_counter() - started, run.drafted


def summary(runs: list[tuple[float, int]]) -> dict[str, object]:
    seconds = [round(s, 4) for s, _ in runs]
    return {
        "runs_s": seconds,
        "median_s": round(statistics.median(seconds), 4),
        "spread_s": round(max(seconds) - min(seconds), 4),
        "drafted": [n for _, n in runs],
    }


def measure(path: Path, count: int) -> dict[str, object]:
    database = Database(f"sqlite:///{path}")
    try:
        none_due = [timed(database) for _ in range(RUNS)]
        batch_due = []
        for run in range(RUNS):  # a fresh batch's checks come: ids spread over the whole table
            with database.write() as session:
                session.execute(
                    text("UPDATE leads SET follow_up_check_at = :at WHERE id % :step = :run"),
                    {
                        "at": (NOW - timedelta(minutes=1)).replace(tzinfo=None).strftime(STAMP),
                        "step": count // FOLLOW_UP_BATCH + 1,  # not a multiple of 10: the stages mix
                        "run": run + 1,
                    },
                )
            batch_due.append(timed(database))
        with database.write() as session:  # as right after the upgrade: no lead checked yet
            session.execute(text("UPDATE leads SET follow_up_check_at = NULL"))
        unchecked = [timed(database) for _ in range(RUNS)]
        # 100,000 won leads: each step registers a batch; two days later it drafts that batch.
        with database.write() as session:
            session.add(
                MessageTemplate(
                    client_id=None,
                    name="review request (sms)",
                    workflow=Workflow.REVIEW_REQUEST,
                    channel="sms",
                    body="Hi {first_name}, thank you for choosing {client_name}. Would you review your experience?",
                    opt_out_text="Reply STOP to opt out.",
                    compliance_text="Every honest review is welcome, good or bad.",
                    approved=True,
                    approved_at=NOW,
                )
            )
        requests = [timed_review_requests(database, NOW + run * REVIEW_STEP) for run in range(RUNS)]
    finally:
        database.dispose()
    return {
        "none_due": summary(none_due),
        "batch_due": summary(batch_due),
        "first_after_upgrade": summary(unchecked),
        "review_requests": summary(requests),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=1_000_000)
    args = parser.parse_args()
    source = cached(args.leads)
    with tempfile.TemporaryDirectory(prefix="review-desk-bench-") as folder:
        work = Path(folder) / "cadence.sqlite3"
        shutil.copyfile(source, work)
        figures = measure(work, args.leads)
    emit("cadence", {"leads": args.leads, "batch": FOLLOW_UP_BATCH, "target_s": 2.0, **figures})


if __name__ == "__main__":
    main()
