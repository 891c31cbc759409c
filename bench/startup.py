"""Cold start of the packaged app to the first painted page of a queue of 100,000 items.

Starts the frozen app (dist/review-desk, from ``make package``; without it, the installed
``review-desk`` script, and the JSON says so) on an existing SQLite database, as a reviewer
opens it in the morning, and times process start to the queue's first rows on screen.
Prints JSON with each run and the median. Target: 2 s.
Run: ``make bench`` or ``python bench/startup.py [--items N] [--runs R]``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FROZEN = ROOT / "dist" / "review-desk" / "review-desk"
sys.path.insert(0, str(ROOT))

from bench._support import emit  # noqa: E402


def start_once(command: list[str], home: Path, db: Path) -> float:
    env = dict(
        os.environ,
        REVIEW_DESK_HOME=str(home),
        REVIEW_DESK_STARTUP_PROBE="1",
        QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
    )
    started = time.perf_counter()
    process = subprocess.Popen(
        [*command, "--db", f"sqlite:///{db}"], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    watchdog = threading.Timer(60, process.kill)  # an app that never shows its queue is killed
    watchdog.start()
    try:
        for line in process.stdout:  # type: ignore[union-attr]
            if line.strip() == "first-page":
                elapsed = time.perf_counter() - started
                process.wait(30)
                return elapsed
    finally:
        watchdog.cancel()
    raise RuntimeError(
        f"the app ended without showing its queue (exit {process.wait()}); "
        "a frozen app older than this code? run make package"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    frozen = FROZEN.exists()
    command = [str(FROZEN)] if frozen else [str(Path(sys.executable).parent / "review-desk")]
    with tempfile.TemporaryDirectory(prefix="review-desk-startup-") as folder:
        home, db = Path(folder) / "home", Path(folder) / "queue.sqlite3"
        (home / "config").mkdir(parents=True)
        (home / "config" / "settings.json").write_text(json.dumps({"user_login": "bench"}))
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "bench" / "review_queue.py"),
                "--build-only",
                "--db",
                str(db),
                "--items",
                str(args.items),
            ],
            check=True,
        )
        start_once(command, home, db)  # the first start upgrades nothing but warms the disk cache once
        runs = [start_once(command, home, db) for _ in range(args.runs)]
    emit(
        "startup",
        {
            "targets": {"median_first_page_s": 2.0},
            "frozen_app": frozen,
            "items": args.items,
            "runs_s": [round(r, 2) for r in runs],
            "median_first_page_s": round(statistics.median(runs), 2),
        },
    )


if __name__ == "__main__":
    main()
