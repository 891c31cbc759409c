"""``python -m app``: the headless command line (worker, demo, db) without the desktop."""

from app.memory import loading_modules

with loading_modules():
    from app.cli import run

run()
