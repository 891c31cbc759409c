"""``review-desk --self-test``: prove an installed desk works, offscreen, without touching
the user's data. Opens a database in a temporary folder, migrates it, loads demo data, runs
the pipeline once, renders the queue, approves the first item and checks its portal note."""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import traceback
from pathlib import Path

import qasync
from sqlalchemy import func, select

from app.paths import AppPaths
from app.pipeline.poller import drain
from app.runtime import Runtime
from app.settings import Settings
from db.migrate import current_revision
from db.models import AuditEntry, PortalNote
from ui.application import make_application
from ui.desktop import Desk
from ui.queue_controller import DeskContext
from ui.tasks import TaskRunner


def _say(message: str) -> None:
    print(f"self-test: {message}", flush=True)


async def _exercise(root: Path) -> None:
    paths = AppPaths(root / "data", root / "config", root / "logs")
    paths.ensure()
    runtime = Runtime(paths, Settings(), f"sqlite:///{paths.default_database_file}")
    runner = TaskRunner()
    database, actor, demo = await runner.db(runtime.prepare_desk, True)
    revision = await runner.db(current_revision, database.engine)
    _say(f"database {paths.default_database_file} created, schema {revision}")
    _say(f"demo data: {demo} raw webhook events written; reviewing as {actor.login} ({actor.role})")
    desk = Desk(DeskContext(database, actor, runtime.poll_config(source="self-test")), 3600, runner)
    try:
        result = await desk.runner.db(drain, database, desk.context.poll_config)
        _say(
            f"pipeline: {result.processed} processed, {result.quarantined} quarantined, "
            f"{result.events} events, {result.items} review items"
        )
        desk.window.show()
        await desk.controller.refresh()
        await desk.runner.idle()
        rows = desk.model.rowCount()
        shot = desk.window.grab()
        if rows == 0 or shot.isNull() or desk.controller.current is None:
            raise RuntimeError(f"queue did not render (rows={rows}, image null={shot.isNull()})")
        notes = [r for r in range(rows) if (e := desk.model.row_at(r)) and e.kind == "portal_note"]
        if not notes:
            raise RuntimeError("the demo produced no portal note to approve")
        desk.window.select_row(notes[0])
        await desk.runner.idle()
        first = desk.controller.current
        if first is None or first.kind != "portal_note":
            raise RuntimeError("the portal note did not open")
        _say(f"queue rendered: {rows} open items, {shot.width()}x{shot.height()} px; "
             f"first: {first.client_name} / {first.kind} with {len(first.flags)} flags")
        desk.window.approve_action.trigger()
        await desk.runner.idle()

        def check() -> tuple[int, int]:
            with database.read() as session:
                notes = session.scalar(
                    select(func.count()).select_from(PortalNote)
                    .where(PortalNote.review_item_id == first.id)
                )
                audits = session.scalar(
                    select(func.count()).select_from(AuditEntry)
                    .where(AuditEntry.review_item_id == first.id,
                           AuditEntry.action == "review_item.approved")
                )
                return notes or 0, audits or 0

        notes, audits = await runner.db(check)
        if notes != 1 or audits != 1:
            raise RuntimeError(f"approval left {notes} portal notes and {audits} audit rows")
        _say(f"approved item #{first.id}: portal note published, audit row written")
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
