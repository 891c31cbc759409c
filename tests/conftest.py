"""Shared fixtures. Tests run offscreen, with every desk folder under a temporary directory
and secrets in an in-memory keyring."""

from __future__ import annotations

import asyncio
import functools
import os
import tempfile
from collections.abc import Iterator
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_HOME = tempfile.mkdtemp(prefix="review-desk-tests-")
os.environ["REVIEW_DESK_HOME"] = _HOME
os.environ.pop("REVIEW_DESK_DB_URL", None)

import keyring  # noqa: E402
import pytest  # noqa: E402

from app.demo import write_demo_events  # noqa: E402
from app.pipeline.drafting import OfflineSummarizer  # noqa: E402
from app.pipeline.poller import IngestConfig, PollConfig, drain  # noqa: E402
from db.engine import Database  # noqa: E402
from db.migrate import upgrade  # noqa: E402
from tests.databases import BACKENDS, fresh_database  # noqa: E402
from tests.memory_keyring import MemoryKeyring  # noqa: E402
from tests.waiting import PATIENCE_MS  # noqa: E402

pytest_plugins = ("tests.desk_fixtures",)
keyring.set_keyring(MemoryKeyring())


_QTBOT_WAITS = ("waitUntil", "waitSignal", "waitSignals", "waitExposed", "waitActive", "waitCallback")


@pytest.fixture
def qtbot(qtbot: Any) -> Any:
    """pytest-qt's qtbot whose waits give up only at the safety net (``tests/waiting.py``):
    every wait is for a condition, and its deadline must not be what a slow machine meets."""
    for name in _QTBOT_WAITS:
        setattr(qtbot, name, functools.partial(getattr(qtbot, name), timeout=PATIENCE_MS))
    return qtbot


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def empty_db_url(backend: str, tmp_path: Any) -> Iterator[str]:
    """An empty database on each backend."""
    with fresh_database(backend, str(tmp_path)) as url:
        yield url


@pytest.fixture
def database(empty_db_url: str) -> Iterator[Database]:
    """A migrated database on each backend."""
    db = Database(empty_db_url)
    upgrade(db.engine)
    yield db
    db.dispose()


@pytest.fixture
def sqlite_database(tmp_path: Any) -> Iterator[Database]:
    """A migrated SQLite database, for tests that are about the desk rather than the engine."""
    db = Database(f"sqlite:///{tmp_path}/desk.sqlite3")
    upgrade(db.engine)
    yield db
    db.dispose()


@pytest.fixture
def poll_config() -> PollConfig:
    return PollConfig(IngestConfig(OfflineSummarizer(), source="test"), batch_size=50)


@pytest.fixture
def loaded(database: Database, poll_config: PollConfig) -> Database:
    """A database on each backend with 40 demo deliveries run through the pipeline."""
    with database.write() as session:
        write_demo_events(session, 40, seed=5)
    drain(database, poll_config)
    return database


@pytest.fixture(scope="session")
def _session_loop(qapp: Any) -> Iterator[asyncio.AbstractEventLoop]:
    """One asyncio loop riding on Qt's for the whole run.

    It is never stopped: qasync's ``stop`` calls ``QApplication.exit()``, which leaves Qt's
    quit flag set and would end every later wait at once.
    """
    import qasync

    loop = qasync.QEventLoop(qapp, already_running=True)
    asyncio.set_event_loop(loop)
    yield loop
    asyncio.events._set_running_loop(None)
    asyncio.set_event_loop(None)


@pytest.fixture
def qloop(_session_loop: asyncio.AbstractEventLoop) -> Iterator[asyncio.AbstractEventLoop]:
    """The qasync loop; a test must leave no task of its own running."""
    yield _session_loop
    pending = [t for t in asyncio.all_tasks(_session_loop) if not t.done()]
    assert not pending, f"tasks left running: {pending}"
