"""A separate process that claims items at random and logs when it held each one.

Run by tests/test_claims_concurrency.py: ``python -m tests.claim_worker URL LOGIN ATTEMPTS SEED OUT``.
Each line of OUT is ``item_id start end`` (wall-clock seconds) for a claim it won.
"""

from __future__ import annotations

import random
import sys
import time
from datetime import timedelta

from sqlalchemy import select

from app.identity import ensure_user
from app.services.claims import claim, release_claim
from app.services.errors import ActionRefused
from db.engine import Database
from db.models import ReviewItem


def main(url: str, login: str, attempts: int, seed: int, out: str) -> None:
    database = Database(url)
    rng = random.Random(seed)
    with database.write() as session:
        actor = ensure_user(session, login, source="claim-worker")
    with database.read() as session:
        ids = list(session.scalars(select(ReviewItem.id)))
    with open(out, "w", encoding="utf-8") as log:
        for _ in range(attempts):
            item_id = rng.choice(ids)
            try:
                claim(database, actor, item_id, lease=timedelta(seconds=60))
            except ActionRefused:
                continue
            start = time.time()
            time.sleep(rng.random() * 0.002)
            end = time.time()
            release_claim(database, actor, item_id)
            log.write(f"{item_id} {start:.6f} {end:.6f}\n")
    database.dispose()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5])
