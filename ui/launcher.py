"""The ``review-desk`` console script: the headless command line plus the desktop.

This is the composition root that knows both layers; ``app.cli`` stays free of Qt and the
desktop modules are imported only when the desktop is what was asked for.
"""

from __future__ import annotations

import argparse
import sys

from app.cli import main as cli_main
from app.runtime import Runtime


def _desktop(runtime: Runtime, args: argparse.Namespace) -> int:
    from ui.startup import run

    return run(runtime, args)


def main() -> int:
    return cli_main(sys.argv[1:], desktop=_desktop)


if __name__ == "__main__":
    sys.exit(main())
