"""Describing an unexpected error without echoing the input that caused it.

An exception's message can quote payload text (a ``KeyError`` names the key, a ``ValueError``
quotes the value), and log lines must never carry raw payload text. What an operator needs is
which kind of error happened where: the type and the innermost project frame.
"""

from __future__ import annotations

import traceback
from pathlib import Path

_PROJECT = Path(__file__).resolve().parents[2]


def where(exc: BaseException) -> str:
    """``TypeError at app/pipeline/normalizers/twilio.py:123``, without the message."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if Path(f.filename).resolve().is_relative_to(_PROJECT)]
    frame = (ours or frames or [None])[-1]
    if frame is None:
        return type(exc).__name__
    path = Path(frame.filename).resolve()
    shown = path.relative_to(_PROJECT) if path.is_relative_to(_PROJECT) else path.name
    return f"{type(exc).__name__} at {shown}:{frame.lineno}"
