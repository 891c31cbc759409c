"""Building a real desk in-process for pytest-qt tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from app.ai.config import AiConfig
from app.demo import write_demo_events
from app.identity import Actor
from app.pipeline.poller import PollConfig, drain
from app.settings import Settings
from app.unsaved import UnsavedEdits
from db.engine import Database
from tests.helpers import make_actor, run_async
from ui.desktop import Desk, DeskContext
from ui.inbox.alerts import Notifier
from ui.tasks import TaskRunner

DeskFactory = Callable[..., Desk]


def build_desk(
    database: Database,
    actor: Actor,
    poll_config: PollConfig,
    home: Path,
    ai: AiConfig | None = None,
    notifier: Notifier | None = None,
    **settings: Any,
) -> Desk:
    chosen = Settings(poll_interval_s=3600, **settings)
    config = replace(poll_config, ingest=replace(poll_config.ingest, await_ai=ai is not None))
    context = DeskContext(
        database, actor, config, chosen, UnsavedEdits(home / "unsaved", actor.login), home / "outbox", ai=ai
    )
    return Desk(context, TaskRunner(), notifier)


@pytest.fixture
def make_desk(qtbot: Any, qloop: Any, tmp_path: Path, poll_config: PollConfig) -> Iterator[DeskFactory]:
    """Start desks (stopped again at the end of the test)."""
    started: list[Desk] = []

    def factory(
        database: Database,
        login: str = "tester",
        events: int = 30,
        seed: int = 11,
        actor: Actor | None = None,
        ai: AiConfig | None = None,
        notifier: Notifier | None = None,
        **settings: Any,
    ) -> Desk:
        """With ``ai``, the demo events wait for their AI drafts and the desk's first poll
        drafts them."""
        if events:
            with database.write() as session:
                write_demo_events(session, events, seed=seed)
            drain(database, replace(poll_config, ingest=replace(poll_config.ingest, await_ai=ai is not None)))
        desk = build_desk(
            database, actor or make_actor(database, login), poll_config, tmp_path, ai, notifier, **settings
        )
        desk.start()
        qtbot.waitExposed(desk.window)
        desk.window.activateWindow()
        qtbot.waitUntil(lambda: desk.model.rowCount() > 0 and desk.session.current is not None and not desk.runner.busy)
        started.append(desk)
        return desk

    yield factory
    # Stop each desk while its widgets still exist (qtbot.addWidget would delete them first).
    for desk in started:
        run_async(qtbot, desk.stop())
        desk.window.close()
        desk.window.deleteLater()
