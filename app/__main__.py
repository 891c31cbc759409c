"""``python -m app``: the headless command line (worker, demo, db) without the desktop."""

import sys

from app.cli import main

sys.exit(main())
