"""Keeping Python's full garbage collections out of the reviewer's way.

A full (generation 2) collection walks every tracked object: with Qt wrappers, SQLAlchemy's
metadata and the openai SDK's models loaded that took 100-200 ms here, and while it runs the
window cannot repaint (measured by ``bench/ai_drafts.py``). The objects made while starting
up (modules, classes, the schema) live as long as the process, so they are frozen out of
collection once they exist; what the desk creates afterwards is collected as usual.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


def freeze_long_lived() -> None:
    """Move every object alive now to the permanent generation (``gc.freeze``). Call it after
    a phase that loads long-lived things: start-up, the first import of the AI SDK."""
    gc.freeze()


@contextmanager
def loading_modules() -> Iterator[None]:
    """Import under this, then freeze what was imported. Nothing an import makes is garbage,
    yet the collector runs dozens of times while SQLAlchemy and the models load: about 70 ms
    of a worker's start here (``bench/worker_start.py``)."""
    gc.disable()
    try:
        yield
    finally:
        freeze_long_lived()
        gc.enable()
