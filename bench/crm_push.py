"""CRM push at volume: 10,000 approved handoffs to a local HubSpot-shaped server (its own
process) that allows 100 requests per ten seconds, in batches of 100.

A batch of 100 handoffs costs three requests (contacts upsert, deals upsert, associations),
so the limit admits 100 / 10 s / 3 x 100 = 333 handoffs per second in steady state. Prints
JSON: handoffs per second, the ratio to that (target >= 0.8), requests made, 429s met, and
whether every handoff is in the fake CRM exactly once.
Run: ``make bench`` or ``python bench/crm_push.py [--handoffs N] [--limit R]``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, select  # noqa: E402

from app.crm.hubspot import HubSpot, RateLimiter  # noqa: E402
from app.crm.sender import push_due  # noqa: E402
from app.demo import ensure_demo_catalog  # noqa: E402
from bench._support import emit, sqlite_url  # noqa: E402
from db.engine import Database  # noqa: E402
from db.migrate import upgrade  # noqa: E402
from db.models import CrmHandoff, Lead, ReviewItem  # noqa: E402
from db.types import utcnow  # noqa: E402
from db.vocab import ItemKind, ItemStatus, Workflow  # noqa: E402

REQUESTS_PER_BATCH = 3
BATCH = 100


def approved_handoffs(database: Database, count: int) -> None:
    """``count`` approved handoffs as the desk leaves them: lead, item, outbox row."""
    now = utcnow()
    with database.write() as session:
        client = min(ensure_demo_catalog(session).values())
        first_lead = (session.scalar(select(func.max(Lead.id))) or 0) + 1
        session.execute(
            insert(Lead),
            [
                {
                    "id": first_lead + n,
                    "client_id": client,
                    "name": f"Lead {n}",
                    "email": f"lead{n}@example.com",
                    "phone": f"+1202555{n % 10000:04d}",
                    "source": "bench",
                    "status": "new",
                }
                for n in range(count)
            ],
        )
        first_item = (session.scalar(select(func.max(ReviewItem.id))) or 0) + 1
        session.execute(
            insert(ReviewItem),
            [
                {
                    "id": first_item + n,
                    "kind": ItemKind.CRM_HANDOFF,
                    "client_id": client,
                    "lead_id": first_lead + n,
                    "workflow": Workflow.CRM_HANDOFF,
                    "provider": "web_form",
                    "arrived_at": now,
                    "sla_due_at": now,
                    "status": ItemStatus.QUEUED,
                    "source": "bench",
                    "final_text": "Qualified: call back today.",
                }
                for n in range(count)
            ],
        )
        session.execute(
            insert(CrmHandoff),
            [
                {
                    "review_item_id": first_item + n,
                    "lead_id": first_lead + n,
                    "client_id": client,
                    "adapter": "hubspot",
                    "idempotency_key": f"review_item:{first_item + n}",
                    "next_attempt_at": now,
                    "retry_from": now,
                    "payload": {
                        "client": "bench",
                        "contact": {
                            "name": f"Lead {n}",
                            "email": f"lead{n}@example.com",
                            "phone": f"+1202555{n % 10000:04d}",
                        },
                        "deal": {"name": f"Inquiry – Lead {n}"},
                        "note": "Qualified: call back today.",
                    },
                    "source": "bench",
                    "status": "pending",
                }
                for n in range(count)
            ],
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--handoffs", type=int, default=10_000)
    parser.add_argument("--limit", type=int, default=100, help="requests per ten seconds")
    args = parser.parse_args()
    server = subprocess.Popen(
        [sys.executable, "-m", "tests.fake_hubspot", "--limit", str(args.limit)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        url = server.stdout.readline().strip()  # type: ignore[union-attr]
        with sqlite_url() as db_url:
            database = Database(db_url)
            upgrade(database.engine)
            approved_handoffs(database, args.handoffs)
            adapter = HubSpot(url, "pat-bench", limiter=RateLimiter(args.limit))
            started = time.perf_counter()
            while push_due(database, adapter, "bench", BATCH).claimed:
                pass
            elapsed = time.perf_counter() - started
            with database.read() as session:
                states = dict(
                    session.execute(select(CrmHandoff.status, func.count()).group_by(CrmHandoff.status)).all()
                )
            database.dispose()
    finally:
        out, _ = server.communicate("", timeout=60)
    held = json.loads(out.strip().splitlines()[-1])
    allowed = args.limit / 10 / REQUESTS_PER_BATCH * BATCH
    rate = args.handoffs / elapsed
    emit(
        "crm_push",
        {
            "targets": {"ratio_to_limit": 0.8},
            "handoffs": args.handoffs,
            "limit_requests_per_10s": args.limit,
            "batch": BATCH,
            "elapsed_s": round(elapsed, 1),
            "handoffs_per_s": round(rate, 1),
            "allowed_handoffs_per_s": round(allowed, 1),
            "ratio_to_limit": round(rate / allowed, 3),
            "requests": held["requests"],
            "refused_429": held["refused_429"],
            "states": states,
            "in_crm_exactly_once": held["deals"] == args.handoffs == states.get("pushed", 0),
        },
    )


if __name__ == "__main__":
    main()
