"""``review-desk --self-test``: prove an installed desk works, offscreen, without touching
the user's data. Opens a database in a temporary folder, migrates it, loads demo data, runs
the pipeline once, renders the queue, approves a portal note with the keyboard action, lets
its undo window pass and checks the note was published with its audit rows."""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import traceback
from pathlib import Path

import qasync

from app.desk.selfcheck import publication_of, schema_revision
from app.paths import AppPaths
from app.pipeline.poller import drain
from app.runtime import Runtime
from app.settings import Settings
from app.unsaved import UnsavedEdits
from db.vocab import ItemKind, ItemStatus, Severity
from ui.application import make_application
from ui.desktop import Desk, DeskContext
from ui.tasks import TaskRunner

UNDO_WINDOW_S = 0.5


def _say(message: str) -> None:
    print(f"self-test: {message}", flush=True)


async def _until(condition: object, what: str, timeout: float = 20.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():  # type: ignore[operator]
        if asyncio.get_running_loop().time() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


async def _exercise(root: Path) -> None:
    paths = AppPaths(root / "data", root / "config", root / "logs")
    paths.ensure()
    settings = Settings(undo_window_s=UNDO_WINDOW_S, poll_interval_s=3600)
    runtime = Runtime(paths, settings, f"sqlite:///{paths.default_database_file}")
    runner = TaskRunner()
    database, actor, demo = await runner.db(runtime.prepare_desk, True)
    revision = await runner.db(schema_revision, database)
    _say(f"database {paths.default_database_file} created, schema {revision}")
    _say(f"demo data: {demo} raw webhook events written; reviewing as {actor.login} ({actor.role})")
    context = DeskContext(
        database,
        actor,
        runtime.poll_config(source="self-test"),
        settings,
        UnsavedEdits(paths.data_dir / "unsaved", actor.login),
        paths.data_dir / "outbox",
    )
    desk = Desk(context, runner)
    try:
        result = await runner.db(drain, database, context.poll_config)
        _say(
            f"pipeline: {result.processed} processed, {result.quarantined} quarantined, "
            f"{result.events} events, {result.items} review items"
        )
        desk.start()
        await _until(
            lambda: desk.model.rowCount() > 0 and desk.session.current is not None, "the queue to show its first item"
        )
        await runner.idle()
        rows = desk.model.rowCount()
        shot = desk.window.grab()
        if shot.isNull():
            raise RuntimeError("the window did not render")
        _say(f"queue rendered: {rows} open items, {shot.width()}x{shot.height()} px")
        notes = [
            r
            for r in range(rows)
            if (e := desk.model.row_at(r)) and e.kind == ItemKind.PORTAL_NOTE and e.top_severity < Severity.HIGH
        ]  # a high-risk one would ask for an acknowledgement
        if not notes:
            raise RuntimeError("the demo produced no portal note to approve")
        target = desk.model.row_at(notes[0])
        desk.window.select_row(notes[0])
        await _until(
            lambda: desk.session.current is not None and desk.session.current.id == target.id and desk.session.claimed,
            "the portal note to open",
        )
        desk.window.actions_.approve.trigger()
        await _until(lambda: any(item == target.id for item, _ in desk.session.decided), "the approval")
        await asyncio.sleep(UNDO_WINDOW_S + 0.1)
        await desk.poll()

        status, published, audits = await runner.read(publication_of, database, target.id)
        if (status, published, audits) != (ItemStatus.PUBLISHED, 1, 2):
            raise RuntimeError(f"approval left status {status}, {published} notes, {audits} audit rows")
        _say(
            f"approved item #{target.id}; after its {UNDO_WINDOW_S}s undo window the portal note "
            "was published, with its audit rows"
        )
    finally:
        await desk.stop()


def run_self_test() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = make_application()
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with tempfile.TemporaryDirectory(prefix="review-desk-self-test-") as tmp:
        try:
            loop.run_until_complete(_exercise(Path(tmp)))
        except Exception:
            traceback.print_exc()
            _say("FAILED")
            return 1
        finally:
            loop.close()
            asyncio.set_event_loop(None)
    _say("ok")
    return 0


if __name__ == "__main__":
    sys.exit(run_self_test())
