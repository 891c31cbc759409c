"""The real desktop app as a subprocess: it starts, works, and stops cleanly on SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from db.engine import Database
from db.models import ReviewItem, User
from tests.waiting import PATIENCE_S, wait_until

ROOT = Path(__file__).resolve().parent.parent


def wait_for_line(log: Path, needle: str) -> str:
    def found() -> str | None:
        lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
        return next((line for line in lines if needle in line), None)

    return wait_until(found, f"the log line {needle!r}")


def test_the_real_app_starts_polls_holds_an_item_and_stops_cleanly(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "config").mkdir(parents=True)
    (home / "config" / "settings.json").write_text(json.dumps({"user_login": "e2e", "poll_interval_s": 0.5}))
    env = dict(os.environ, REVIEW_DESK_HOME=str(home), QT_QPA_PLATFORM="offscreen")
    app = subprocess.Popen(
        [sys.executable, "-m", "ui.launcher", "--demo-if-empty"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    log = home / "logs" / "review-desk.log"
    database = Database(f"sqlite:///{home / 'data' / 'review-desk.sqlite3'}")
    try:
        wait_for_line(log, "desk ready for e2e")
        wait_for_line(log, "poll: 50 new webhook events")

        def held_by_e2e() -> int:
            with database.read() as session:
                return (
                    session.scalar(
                        select(func.count())
                        .select_from(ReviewItem)
                        .join(User, User.id == ReviewItem.claimed_by_id)
                        .where(User.login == "e2e")
                    )
                    or 0
                )

        wait_until(lambda: held_by_e2e() == 1, "the desk to open (and hold) the first item")
        app.send_signal(signal.SIGTERM)
        output, _ = app.communicate(timeout=PATIENCE_S)
        assert app.returncode == 0, output.decode(errors="replace")
        wait_for_line(log, "desk closed cleanly")
        assert held_by_e2e() == 0, "closing gives the open item back to the queue"
        assert b"Traceback" not in output
    finally:
        if app.poll() is None:
            app.kill()
            app.communicate()
        database.dispose()
