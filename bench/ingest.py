"""Ingestion throughput: 100,000 demo webhook events through the whole pipeline.

The floor is a bare SQLAlchemy Core bulk insert of the same raw rows into the same kind of
database (that insert is also how the events are loaded). Prints JSON: events per second end
to end, the floor's rate, and their ratio; on SQLite, and on PostgreSQL when a server answers.
Run: ``make bench`` or ``python bench/ingest.py [--events N]``.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select  # noqa: E402

from app.demo import callrail_delivery, ensure_demo_catalog, web_form_delivery  # noqa: E402
from app.pipeline.drafting import OfflineSummarizer  # noqa: E402
from app.pipeline.poller import IngestConfig, PollConfig, drain  # noqa: E402
from app.settings import Settings  # noqa: E402
from bench._support import emit, postgres_url, sqlite_url  # noqa: E402
from db.engine import Database  # noqa: E402
from db.migrate import upgrade  # noqa: E402
from db.models import ClientService, IntegrationAccount, WebhookEvent  # noqa: E402
from db.types import utcnow  # noqa: E402
from db.vocab import WebhookStatus  # noqa: E402

CHUNK = 5000


def raw_rows(database: Database, count: int, seed: int) -> list[dict[str, object]]:
    rng = random.Random(seed)
    with database.write() as session:
        clients = ensure_demo_catalog(session)
        services = {
            cid: list(session.scalars(select(ClientService.name).where(ClientService.client_id == cid)))
            for cid in clients.values()
        }
        accounts = dict(
            session.execute(select(IntegrationAccount.client_id, IntegrationAccount.external_account_id)).all()
        )
    now = utcnow()
    rows = []
    for _ in range(count):
        client_id = rng.choice(list(clients.values()))
        at = now - timedelta(minutes=min(72 * 60, 1 + rng.expovariate(1 / 150)))
        delivery = (
            web_form_delivery(rng, services[client_id], at)
            if rng.random() < 0.55
            else callrail_delivery(rng, accounts[client_id] or "", at)
        )
        rows.append(
            {
                "provider": delivery.provider,
                "client_id": client_id,
                "received_at": at,
                "content_type": delivery.content_type,
                "headers": delivery.headers,
                "body": delivery.body,
                "attempts": 0,
                "event_count": 0,
                "created_at": now,
                "updated_at": now,
                "owner": "intake",
                "source": delivery.provider,
                "status": WebhookStatus.NEW,
                "recovery": "replay",
            }
        )
    return rows


def run(url: str, count: int) -> dict[str, object]:
    database = Database(url)
    try:
        upgrade(database.engine)
        rows = raw_rows(database, count, seed=20261122)
        started = time.perf_counter()
        with database.write() as session:  # the floor: a bare Core bulk insert
            for start in range(0, count, CHUNK):
                session.execute(insert(WebhookEvent.__table__), rows[start : start + CHUNK])
        floor = time.perf_counter() - started
        settings = Settings()
        config = PollConfig(
            IngestConfig(OfflineSummarizer(), source="bench"),
            batch_size=settings.worker_batch_size,
            max_body_bytes=settings.max_body_bytes,
        )
        started = time.perf_counter()
        result = drain(database, config)
        elapsed = time.perf_counter() - started
    finally:
        database.dispose()
    assert result.processed == count, result
    return {
        "webhook_events": count,
        "seconds": round(elapsed, 2),
        "events_per_s": round(count / elapsed),
        "floor_bulk_insert_per_s": round(count / floor),
        "ratio_to_floor": round((count / elapsed) / (count / floor), 3),
        "normalized_events": result.events,
        "review_items": result.items,
        "owner_tasks": result.tasks,
        "batch_size": settings.worker_batch_size,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    args = parser.parse_args()
    figures: dict[str, object] = {"target_events_per_s_sqlite": 5000}
    with sqlite_url() as url:
        figures["sqlite"] = run(url, args.events)
    with postgres_url() as url:
        if url is not None:
            figures["postgresql"] = run(url, args.events)
    emit("ingest", figures)


if __name__ == "__main__":
    main()
