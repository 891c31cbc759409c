"""Nothing lost, nothing doubled: repeated deliveries, concurrent workers, and SIGKILL."""

from __future__ import annotations

import json
import logging
import os
import random
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from app.demo import ensure_demo_catalog, write_demo_events
from app.lead_events import DESK
from app.pipeline.poller import PollConfig, drain
from db.engine import Database
from db.migrate import upgrade
from db.models import (
    AuditEntry,
    Draft,
    Event,
    Lead,
    OwnerTask,
    ReviewItem,
    RiskFlag,
    WebhookEvent,
)
from db.vocab import WebhookStatus
from tests.databases import fresh_database
from tests.waiting import PATIENCE_S, wait_until

ROOT = Path(__file__).resolve().parent.parent
FORM = {
    "form_id": "contact-main",
    "form_type": "contact",
    "submission_id": "sub_same_delivery_1",
    "submitted_at": "2026-11-20T15:04:05Z",
    "fields": {
        "name": "Maria Lopez",
        "phone": "(312) 555-0142",
        "email": "maria@example.com",
        "service": "Drain cleaning",
        "message": "Kitchen drain is slow.",
    },
    "consent": {"sms": True},
}


def _add_copies(database: Database, client_id: int, copies: int) -> None:
    body = json.dumps(FORM).encode()
    with database.write() as session:
        session.add_all(
            WebhookEvent(
                provider="web_form",
                client_id=client_id,
                body=body,
                owner="intake",
                source="web_form",
                status=WebhookStatus.NEW,
                recovery="replay",
            )
            for _ in range(copies)
        )


def _count(database: Database, model: type) -> int:
    with database.read() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_the_same_delivery_a_thousand_times_yields_one_event(database: Database, poll_config: PollConfig) -> None:
    with database.write() as session:
        client_id = ensure_demo_catalog(session)["northside-plumbing"]
    _add_copies(database, client_id, 500)
    workers = [Database(database.url) for _ in range(4)]
    errors: list[BaseException] = []

    def work(worker: Database) -> None:
        try:
            drain(worker, PollConfig(poll_config.ingest, batch_size=25))
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(w,)) for w in workers]
    for thread in threads:  # first half: several workers at once, before the event exists
        thread.start()
    for thread in threads:
        thread.join(120)
    for worker in workers:
        worker.dispose()
    assert errors == []

    _add_copies(database, client_id, 500)
    second = drain(database, PollConfig(poll_config.ingest, batch_size=7))  # then serially
    assert second.processed == 500 and second.events == 0 and second.duplicates == 500
    with database.read() as session:
        keys = session.scalars(select(Event.idempotency_key).where(Event.provider != DESK)).all()
        assert keys == ["web_form:lead:sub_same_delivery_1"]
        statuses = dict(session.execute(select(WebhookEvent.status, func.count()).group_by(WebhookEvent.status)).all())
        assert statuses == {WebhookStatus.PROCESSED: 1000}
    assert _count(database, Lead) == 1
    assert _count(database, ReviewItem) == 1


def test_the_unique_constraint_decides_when_another_worker_wins_the_race(
    database: Database,
    poll_config: PollConfig,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A worker whose view of known events is stale (another worker committed the same event
    after it looked) is stopped by the database, retries, and then skips the event."""
    import app.pipeline.context as context_module

    with database.write() as session:
        client_id = ensure_demo_catalog(session)["northside-plumbing"]
    _add_copies(database, client_id, 1)
    drain(database, poll_config)  # the other worker's committed event
    _add_copies(database, client_id, 1)
    real = context_module._existing_keys
    calls = {"n": 0}

    def stale_the_first_time(session, keys):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        return set() if calls["n"] == 1 else real(session, keys)

    monkeypatch.setattr(context_module, "_existing_keys", stale_the_first_time)
    caplog.set_level(logging.INFO, logger="app.pipeline.poller")
    result = drain(database, poll_config)
    assert calls["n"] >= 2, "the batch was retried"
    assert "retrying" in caplog.text
    assert result.processed == 1 and result.duplicates == 1 and result.quarantined == 0
    with database.read() as session:
        keys = session.scalars(select(Event.idempotency_key).where(Event.provider != DESK)).all()
    assert len(keys) == 1 and _count(database, ReviewItem) == 1


# --- crash safety --------------------------------------------------------------------------

TABLES = (Event, Lead, ReviewItem, Draft, RiskFlag, OwnerTask, AuditEntry)


def _snapshot(database: Database) -> dict[str, object]:
    """What a run produced, in a form two runs over the same input can be compared by."""
    with database.read() as session:
        counts = {m.__tablename__: session.scalar(select(func.count()).select_from(m)) for m in TABLES}
        # The pipeline's entries only: the worker's cycle also escalates tasks already past due
        # (at most a batch a cycle, so how many depends on how many cycles ran), and the
        # reference run is the pipeline alone.
        counts[AuditEntry.__tablename__] = session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.action.not_like("owner_task.%"))
        )
        # The desk's own events are keyed by row ids, which a killed PostgreSQL transaction
        # consumes: their number is compared (counts), the providers' keys one by one.
        keys = session.scalars(
            select(Event.idempotency_key).where(Event.provider != DESK).order_by(Event.idempotency_key)
        ).all()
        statuses = dict(session.execute(select(WebhookEvent.status, func.count()).group_by(WebhookEvent.status)).all())
        doubled = session.execute(
            select(Event.idempotency_key).group_by(Event.idempotency_key).having(func.count() > 1)
        ).all()
        item_per_event = session.execute(
            select(ReviewItem.event_id).group_by(ReviewItem.event_id).having(func.count() > 1)
        ).all()
    return {"counts": counts, "keys": keys, "statuses": statuses, "doubled": doubled, "items doubled": item_per_event}


def _copy_deliveries(source: Database, target: Database) -> None:
    with source.read() as session:
        rows = session.execute(select(WebhookEvent.__table__)).mappings().all()
    with target.write() as session:
        ensure_demo_catalog(session)
        session.execute(WebhookEvent.__table__.insert(), [dict(r) for r in rows])


def _processed(database: Database) -> int:
    with database.read() as session:
        return (
            session.scalar(
                select(func.count()).select_from(WebhookEvent).where(WebhookEvent.status != WebhookStatus.NEW)
            )
            or 0
        )


def _worker(url: str, home: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ, REVIEW_DESK_HOME=str(home))
    with (home / "worker-stderr.log").open("ab") as stderr:
        return subprocess.Popen(
            [sys.executable, "-m", "app", "worker", "--once", "--db", url],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )


def _has_started(home: Path, process: subprocess.Popen[bytes]) -> bool:
    """The worker's log says it is running (it has opened the database), or it has ended."""
    log = home / "logs" / "review-desk.log"
    started = f"worker {process.pid} started"
    return process.poll() is not None or (log.exists() and started in log.read_text(encoding="utf-8"))


BATCH = 25
KILLS_OF_EACH_KIND = 10


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_killing_the_worker_at_random_points_loses_and_doubles_nothing(
    backend: str, tmp_path: Path, poll_config: PollConfig
) -> None:
    """SIGKILL at start-up (as soon as the worker says it runs) and mid-work (a random number
    of committed batches after it started, read off the database), ten of each in random
    order; then one uninterrupted run finishes. Kills follow evidence, never the clock, so a
    slow machine changes how long this takes, not what it checks."""
    home = tmp_path / "home"
    (home / "config").mkdir(parents=True)
    (home / "config" / "settings.json").write_text(json.dumps({"worker_batch_size": BATCH}))
    with fresh_database(backend, str(tmp_path)) as url, fresh_database(backend, str(tmp_path / "ref")) as reference_url:
        victim = Database(url)
        reference = Database(reference_url)
        try:
            for db in (victim, reference):
                upgrade(db.engine)
            with victim.write() as session:
                write_demo_events(session, 6000, seed=31)
            _copy_deliveries(victim, reference)
            drain(reference, poll_config)  # the uninterrupted run to compare against

            rng = random.Random(7)
            plan = ["start-up"] * KILLS_OF_EACH_KIND + ["mid-work"] * KILLS_OF_EACH_KIND
            rng.shuffle(plan)
            landed = {"start-up": 0, "mid-work": 0}
            for kind in plan:
                before = _processed(victim)
                process = _worker(url, home)
                wait_until(lambda process=process: _has_started(home, process), "the worker to start")
                if kind == "mid-work":
                    target = before + rng.randint(1, 6) * BATCH
                    wait_until(
                        lambda process=process, target=target: (
                            process.poll() is not None or _processed(victim) >= target
                        ),
                        f"the worker to commit {target - before} deliveries",
                    )
                if process.poll() is not None:  # it finished the work before it could be killed
                    assert process.returncode == 0, (home / "worker-stderr.log").read_text()
                    break
                process.send_signal(signal.SIGKILL)
                process.wait(PATIENCE_S)
                after = _processed(victim)
                # A mid-work kill counts only if batches were committed and work was left.
                landed[kind] += kind == "start-up" or (after > before and after < 6000)
            final = _worker(url, home)  # whatever is left after the last kill
            assert final.wait(PATIENCE_S) == 0, (home / "worker-stderr.log").read_text()
            assert landed == {"start-up": KILLS_OF_EACH_KIND, "mid-work": KILLS_OF_EACH_KIND}, landed
            print(f"{backend}: kills {landed}")

            got, expected = _snapshot(victim), _snapshot(reference)
            assert got["doubled"] == [] and got["items doubled"] == []
            assert got["statuses"] == expected["statuses"]
            assert got["keys"] == expected["keys"]
            assert got["counts"] == expected["counts"]
            if backend == "sqlite":
                with victim.read() as session:
                    assert session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        finally:
            victim.dispose()
            reference.dispose()
