"""The drafting stage on every backend: items wait in ``drafting`` for their AI draft, get it
(or the offline fallback with the reason), keep their earlier version, and join the queue."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from app.ai.config import AiConfig
from app.ai.drafter import AiDrafter
from app.ai.stage import DraftingStage
from app.demo import write_demo_events
from app.pipeline.poller import PollConfig, drain
from app.services.drafts import release_without_ai
from db.engine import Database
from db.models import ApprovedSnippet, AuditEntry, Draft, ReviewItem, RiskFlag
from db.types import utcnow
from db.vocab import SIGNAL_FLAG_CODES, FlagCode, ItemKind, ItemStatus
from tests.fake_openai import FakeOpenAI, Reply, completion, draft_json, error, fake_openai, user_message


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    with fake_openai() as fake:
        yield fake


def ingest_awaiting_ai(database: Database, poll_config: PollConfig, events: int = 24) -> list[int]:
    with database.write() as session:
        write_demo_events(session, events, seed=5)
    config = replace(poll_config, ingest=replace(poll_config.ingest, await_ai=True))
    drain(database, config)
    with database.read() as session:
        return list(session.scalars(select(ReviewItem.id).order_by(ReviewItem.id)))


def stage_for(database: Database, server: FakeOpenAI, **config: object) -> DraftingStage:
    options = {
        "model": "test-model",
        "base_url": server.base_url,
        "timeout_s": 5.0,
        "max_retries": 0,
        "concurrency": 4,
        **config,
    }
    ai = AiConfig(**options)  # type: ignore[arg-type]
    return DraftingStage(database, AiDrafter(ai), ai.concurrency, "test")


def statuses(database: Database) -> dict[str, int]:
    with database.read() as session:
        return dict(session.execute(select(ReviewItem.status, func.count()).group_by(ReviewItem.status)).all())


def test_items_wait_out_of_the_queue_then_get_their_ai_draft_as_a_new_version(
    database: Database, poll_config: PollConfig, server: FakeOpenAI
) -> None:
    items = ingest_awaiting_ai(database, poll_config)
    assert items and statuses(database) == {ItemStatus.DRAFTING: len(items)}
    with database.read() as session:
        assert session.scalar(select(func.count()).select_from(ReviewItem).where(ReviewItem.is_open == 1)) == 0
        before = {i.id: i.version for i in session.scalars(select(ReviewItem))}
        signal_flags = {
            (f.review_item_id, f.code)
            for f in session.scalars(select(RiskFlag).where(RiskFlag.code.in_([str(c) for c in SIGNAL_FLAG_CODES])))
        }
    stage = stage_for(database, server)
    try:
        result = stage.drain()
    finally:
        stage.close()
    assert (result.drafted, result.fell_back) == (len(items), 0)
    assert len(server.requests) == len(items)
    assert statuses(database) == {ItemStatus.PENDING: len(items)}
    with database.read() as session:
        for item in session.scalars(select(ReviewItem)):
            drafts = session.scalars(
                select(Draft).where(Draft.review_item_id == item.id).order_by(Draft.version_no)
            ).all()
            assert [(d.version_no, d.drafter, d.status) for d in drafts] == [
                (1, "offline-rules", "superseded"),
                (2, "ai", "current"),
            ]
            assert drafts[1].model == "test-model" and drafts[1].prompt_version == "draft-v2"
            assert drafts[1].tokens_in == 120 and drafts[1].latency_ms is not None
            assert item.version == before[item.id] + 1 and item.lease_expires_at is None
            carried = {f.code for f in session.scalars(select(RiskFlag).where(RiskFlag.draft_id == drafts[1].id))}
            assert {code for (item_id, code) in signal_flags if item_id == item.id} <= carried
        assert session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "draft.written")
        ) == len(items)


def test_a_failing_server_releases_the_offline_draft_flagged_ai_unavailable(
    database: Database, poll_config: PollConfig, server: FakeOpenAI
) -> None:
    items = ingest_awaiting_ai(database, poll_config, events=8)
    server.default = lambda request: error(500, "down", "server_error")
    stage = stage_for(database, server)
    try:
        result = stage.drain()
    finally:
        stage.close()
    assert (result.drafted, result.fell_back) == (0, len(items))
    assert statuses(database) == {ItemStatus.PENDING: len(items)}
    with database.read() as session:
        assert session.scalar(select(func.count()).select_from(Draft)) == len(items)  # only v1
        for item in session.scalars(select(ReviewItem)):
            assert "ai_unavailable" in item.flag_codes.split(",")
            flag = session.scalar(
                select(RiskFlag).where(RiskFlag.review_item_id == item.id, RiskFlag.code == FlagCode.AI_UNAVAILABLE)
            )
            assert flag is not None and "failed (500)" in flag.reason and flag.draft_id is not None


def test_two_stages_on_one_database_draft_each_item_once(database: Database, poll_config: PollConfig) -> None:
    items = ingest_awaiting_ai(database, poll_config, events=30)
    with fake_openai(latency_s=0.05) as server:
        stages = [stage_for(database, server, concurrency=3) for _ in range(2)]
        results = []
        threads = [threading.Thread(target=lambda s=s: results.append(s.drain())) for s in stages]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        for stage in stages:
            stage.close()
        assert sum(r.drafted for r in results) == len(items) == len(server.requests)
    with database.read() as session:
        assert session.scalar(select(func.max(Draft.version_no))) == 2
        assert session.scalar(select(func.count()).select_from(Draft)) == 2 * len(items)


def test_grounding_records_the_template_and_the_snippets_the_note_used(
    database: Database, poll_config: PollConfig, server: FakeOpenAI
) -> None:
    items = ingest_awaiting_ai(database, poll_config, events=40)
    with database.write() as session:
        item = session.scalar(select(ReviewItem).where(ReviewItem.kind == ItemKind.MESSAGE).limit(1))
        assert item is not None
        snippet = ApprovedSnippet(client_id=item.client_id, title="Hours", body="Open 7am to 7pm.")
        other = ApprovedSnippet(client_id=None, title="Licensed", body="Licensed and insured.")
        session.add_all([snippet, other])
        session.flush()
        message_id, snippet_id, other_id = item.id, snippet.id, other.id
        session.execute(
            update(ReviewItem).where(ReviewItem.id != message_id).values(status=ItemStatus.PENDING)
        )  # draft just this one
    server.queue(Reply(body=completion(draft_json(used_snippets=[snippet_id]))))
    stage = stage_for(database, server)
    try:
        assert stage.drain().drafted == 1
    finally:
        stage.close()
    sent = user_message(server.requests[0])
    assert f"snippet [{snippet_id}] Hours: Open 7am to 7pm." in sent
    assert f"snippet [{other_id}] Licensed" in sent and "template (channel" in sent
    with database.read() as session:
        first, second = session.scalars(
            select(Draft).where(Draft.review_item_id == message_id).order_by(Draft.version_no)
        ).all()
    assert first.grounding["template_id"] is not None
    assert second.grounding == {"template_id": first.grounding["template_id"], "snippet_ids": [snippet_id]}
    assert len(items) > 1


def test_items_that_waited_too_long_or_lost_their_ai_join_the_queue(
    database: Database, poll_config: PollConfig, server: FakeOpenAI
) -> None:
    items = ingest_awaiting_ai(database, poll_config, events=6)
    with database.write() as session:
        session.execute(
            update(ReviewItem).where(ReviewItem.id == items[0]).values(created_at=utcnow() - timedelta(hours=1))
        )
    stage = DraftingStage(
        database,
        AiDrafter(AiConfig(model="m", base_url=server.base_url)),
        max_wait=timedelta(minutes=10),
        source="test",
    )
    try:
        assert stage._release_overdue() == 1
    finally:
        stage.close()
    assert release_without_ai(database, "test") == len(items) - 1
    assert statuses(database) == {ItemStatus.PENDING: len(items)}
    assert server.requests == []
    with database.read() as session:
        reasons = set(session.scalars(select(RiskFlag.reason).where(RiskFlag.code == FlagCode.AI_UNAVAILABLE)))
    assert reasons == {
        "drafted by offline rules: no AI draft within 10 minutes",
        "drafted by offline rules: no AI server is configured",
    }
