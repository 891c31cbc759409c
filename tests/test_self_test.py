"""The installed command's self-test, run as a real subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.waiting import PATIENCE_S


def test_review_desk_self_test_exits_zero_and_reports_each_step(tmp_path: Path) -> None:
    env = dict(os.environ, REVIEW_DESK_HOME=str(tmp_path / "home"))
    env.pop("QT_QPA_PLATFORM", None)  # the self-test must choose offscreen by itself
    completed = subprocess.run(
        [sys.executable, "-m", "ui.launcher", "--self-test"],
        capture_output=True,
        text=True,
        timeout=PATIENCE_S,
        env=env,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    out = completed.stdout
    for expected in (
        "created, schema",
        "demo data:",
        "pipeline:",
        "queue rendered:",
        "portal note was published",
        "self-test: ok",
    ):
        assert expected in out, out
    assert "0 quarantined" in out
    assert not (tmp_path / "home").exists() or not any((tmp_path / "home").rglob("*.sqlite3")), (
        "the self-test works in a temporary folder, not the user's data"
    )
