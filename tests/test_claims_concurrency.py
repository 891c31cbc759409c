"""Claims across processes: never two holders, and a dead holder's item comes back."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app.demo import write_demo_events
from app.pipeline.poller import PollConfig, drain
from app.services.claims import claim
from app.services.errors import ActionRefused
from app.services.review import approve
from db.engine import Database
from db.migrate import upgrade
from db.models import ReviewItem
from db.types import utcnow
from tests.databases import fresh_database
from tests.helpers import make_actor
from tests.waiting import PATIENCE_S

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def loaded(
    backend: str, folder: Path, poll_config: PollConfig, events: int, seed: int
) -> Iterator[tuple[str, Database]]:
    """A fresh database with demo work in its queue."""
    with fresh_database(backend, str(folder)) as url:
        database = Database(url)
        try:
            upgrade(database.engine)
            with database.write() as session:
                write_demo_events(session, events, seed=seed)
            drain(database, poll_config)
            yield url, database
        finally:
            database.dispose()


WORKERS = 4
ATTEMPTS = 2500  # 10,000 claims in all


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_ten_thousand_claims_from_four_processes_never_overlap(
    backend: str, tmp_path: Path, poll_config: PollConfig
) -> None:
    with loaded(backend, tmp_path, poll_config, 40, 3) as (url, _database):
        logs = [tmp_path / f"claims-{n}.log" for n in range(WORKERS)]
        processes = [
            subprocess.Popen(
                [sys.executable, "-m", "tests.claim_worker", url, f"desk{n}", str(ATTEMPTS), str(n), str(log)], cwd=ROOT
            )
            for n, log in enumerate(logs)
        ]
        for process in processes:
            assert process.wait(timeout=PATIENCE_S) == 0
    held: dict[int, list[tuple[float, float, int]]] = defaultdict(list)
    for n, log in enumerate(logs):
        for line in log.read_text().splitlines():
            item, start, end = line.split()
            held[int(item)].append((float(start), float(end), n))
    won = sum(len(v) for v in held.values())
    assert won > 1000, f"only {won} claims were won; the test exercised too little"
    for item, intervals in held.items():
        intervals.sort()
        for (_s1, e1, w1), (s2, _e2, w2) in zip(intervals, intervals[1:], strict=False):
            assert not (s2 < e1 and w1 != w2), f"item {item} held by desks {w1} and {w2} at once"


_HOLD_AND_WAIT = """
import sys, time
from datetime import timedelta
from app.identity import ensure_user
from app.services.claims import claim
from db.engine import Database
database = Database(sys.argv[1])
with database.write() as session:
    actor = ensure_user(session, "doomed")
claim(database, actor, int(sys.argv[2]), lease=timedelta(seconds=float(sys.argv[3])))
print("held", flush=True)
time.sleep(600)
"""


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_killed_holders_item_is_reclaimable_after_its_lease_and_its_late_action_refused(
    backend: str, tmp_path: Path, poll_config: PollConfig
) -> None:
    with loaded(backend, tmp_path, poll_config, 10, 4) as (url, database):
        with database.read() as session:
            item = session.scalar(select(ReviewItem).order_by(ReviewItem.id).limit(1))
        holder = subprocess.Popen(
            [sys.executable, "-c", _HOLD_AND_WAIT, url, str(item.id), "600"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            env=dict(os.environ),
        )
        assert holder.stdout is not None and holder.stdout.readline().strip() == b"held"
        holder.send_signal(signal.SIGKILL)
        holder.wait(PATIENCE_S)
        holder.stdout.close()
        rescuer = make_actor(database, "rescuer")
        with pytest.raises(ActionRefused, match="Another reviewer"):
            claim(database, rescuer, item.id)
        with database.write() as session:  # its ten minutes run out (not waited out here)
            session.get(ReviewItem, item.id).lease_expires_at = utcnow() - timedelta(seconds=1)
        rescued = claim(database, rescuer, item.id, lease=timedelta(seconds=60))
        doomed = make_actor(database, "doomed")  # the dead desk's identity, acting late
        with pytest.raises(ActionRefused, match="Another reviewer"):
            approve(database, doomed, item.id, rescued.version)
