"""Screenshots of the real desk for the README: 1280×720 and 1920×1080, light and dark.

    .venv/bin/python packaging/screenshots.py            # writes docs/screenshots/desk-*.png

and one of the owner-task inbox (``tasks-1280x720-light.png``).

Each shot starts the real app (``ui.launcher``, ``--demo-if-empty``) in its own process with a
fresh home folder, under Xvfb (``xvfb-run``) when no display is set, with
``REVIEW_DESK_COLOR_SCHEME`` choosing the palette. Once the queue has rows and the first item
is open, the window is sized, grabbed and closed the normal way.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
SIZES = ((1280, 720), (1920, 1080))
SCHEMES = ("light", "dark")
SETTLE_MS = 1500  # after the first item opened: its timeline and the first polls land


def shot_path(width: int, height: int, scheme: str) -> Path:
    return OUT / f"desk-{width}x{height}-{scheme}.png"


def main() -> int:
    if not os.environ.get("DISPLAY"):
        screen = "-screen 0 1920x1080x24"
        return subprocess.call(["xvfb-run", "-a", "-s", screen, sys.executable, __file__, *sys.argv[1:]])
    OUT.mkdir(parents=True, exist_ok=True)
    failed = 0
    for width, height in SIZES:
        for scheme in SCHEMES:
            failed += _take(width, height, scheme)
    failed += _take(*SIZES[0], SCHEMES[0], tasks=True)
    return 1 if failed else 0


def _take(width: int, height: int, scheme: str, tasks: bool = False) -> int:
    with tempfile.TemporaryDirectory(prefix="review-desk-shot-") as home:
        config = Path(home) / "config"
        config.mkdir()
        settings = {"user_login": "grace", "poll_interval_s": 1.0, "undo_window_s": 10.0}
        (config / "settings.json").write_text(json.dumps(settings), encoding="utf-8")
        env = dict(
            os.environ,
            REVIEW_DESK_HOME=home,
            REVIEW_DESK_COLOR_SCHEME=scheme,
            QT_QPA_PLATFORM="xcb",
            PYTHONPATH=str(ROOT),
        )
        target = OUT / f"tasks-{width}x{height}-{scheme}.png" if tasks else shot_path(width, height, scheme)
        command = [sys.executable, __file__, "--shoot", str(width), str(height), str(target), "tasks" if tasks else ""]
        code = subprocess.call(command, env=env)
        print(f"{target.relative_to(ROOT)}: {'ok' if code == 0 and target.exists() else f'failed ({code})'}")
        return int(code != 0)


def shoot(width: int, height: int, target: Path, tasks: bool) -> None:
    """In the app's own process: start the real desk and grab its window once it is at work
    (``tasks``: with the inbox's Tasks view shown)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    import ui.startup
    from ui.main_window import MainWindow

    make_application = ui.startup.make_application

    def grab_when_ready() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        ready = windows and windows[0].controller.model.rowCount() > 0 and windows[0].session.current is not None
        if not ready:
            QTimer.singleShot(100, grab_when_ready)
            return
        window = windows[0]
        window.move(0, 0)
        window.resize(width, height)
        window.activateWindow()
        if tasks:
            window.task_views.select("tasks")

        def save() -> None:
            window.grab().save(str(target))
            window.close()

        QTimer.singleShot(SETTLE_MS, save)

    def make_and_watch() -> QApplication:
        app = make_application()
        QTimer.singleShot(0, grab_when_ready)
        return app

    ui.startup.make_application = make_and_watch  # the launcher builds the app through it
    sys.argv = ["review-desk", "--demo-if-empty"]
    from ui.launcher import main as launch

    launch()


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "--shoot":
        shoot(int(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4]), sys.argv[5] == "tasks")
    else:
        sys.exit(main())
