"""How long ``review-desk worker --once`` takes on an empty, current database: process start,
imports, opening the database, one round of every step, exit.

Runs the worker as a real subprocess with ``PYTHONDONTWRITEBYTECODE=1`` (as on the staff and CI
machines, so the desk's own modules are compiled at every start), against a SQLite database
migrated beforehand, with a fresh data folder and no AI key or CRM configured. One warm-up run
is not counted (it fills the operating system's file cache). Target: median ≤ 1.0 s.
Run: ``make bench`` or ``python bench/worker_start.py [--runs R]``. With ``--importtime``
it also prints the ten slowest imports of one run (``python -X importtime``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._support import emit  # noqa: E402

TARGET_S = 1.0


def _worker(home: Path, url: str, *extra: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, REVIEW_DESK_HOME=str(home), PYTHONDONTWRITEBYTECODE="1")
    env.pop("REVIEW_DESK_DB_URL", None)
    completed = subprocess.run(
        [sys.executable, *extra, "-m", "app", "worker", "--once", "--db", url],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"the worker failed: {completed.stderr.strip()[-500:]}")
    return completed


def _slowest_imports(stderr: str, count: int = 10) -> list[dict[str, object]]:
    """Top-level imports (not nested under another) by their cumulative time."""
    rows = []
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _, cumulative, name = line.split("|")
        if cumulative.strip().isdigit() and not name.startswith("  ") and name.strip():
            rows.append({"module": name.strip(), "ms": round(int(cumulative) / 1000, 1)})
    return sorted(rows, key=lambda r: -float(r["ms"]))[:count]  # type: ignore[arg-type]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--importtime", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="review-desk-worker-start-") as folder:
        home, url = Path(folder) / "home", f"sqlite:///{Path(folder) / 'desk.sqlite3'}"
        _worker(home, url)  # migrates the new database, and warms the file cache
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            _worker(home, url)
            times.append(time.perf_counter() - started)
        figures: dict[str, object] = {
            "runs": [round(t, 3) for t in times],
            "median_s": round(statistics.median(times), 3),
            "min_s": round(min(times), 3),
            "max_s": round(max(times), 3),
            "target_median_s": TARGET_S,
            "met": statistics.median(times) <= TARGET_S,
        }
        if args.importtime:
            figures["slowest_imports"] = _slowest_imports(_worker(home, url, "-X", "importtime").stderr)
    emit("worker_start", figures)


if __name__ == "__main__":
    main()
