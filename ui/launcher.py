"""The ``review-desk`` console script: the headless command line plus the desktop.

This is the composition root that knows both layers; ``app.cli`` stays free of Qt and the
desktop modules are imported only when the desktop is what was asked for.
"""

from __future__ import annotations

import argparse

from app.memory import loading_modules

with loading_modules():
    from app.cli import run
    from app.runtime import Runtime


def _desktop(runtime: Runtime, args: argparse.Namespace) -> int:
    from ui.startup import run as run_desktop

    return run_desktop(runtime, args)


def main() -> None:
    run(desktop=_desktop)


if __name__ == "__main__":
    main()
