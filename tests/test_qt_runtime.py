"""Canaries for the Qt binding itself: a desk runs all day, so a per-call leak is fatal."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    changed = Signal(int)
    flag = Signal(bool)


def test_emitting_signals_does_not_drop_references_to_true(qapp) -> None:
    """PySide6 6.12.0 decrements True on every emit(); a day's work then crashes the desk."""
    emitter = _Emitter()
    received: list[object] = []
    emitter.changed.connect(received.append)
    emitter.flag.connect(received.append)
    before = sys.getrefcount(True)
    for i in range(500):  # enough to see a per-call leak, too few to crash the run with it
        emitter.changed.emit(i)
        emitter.flag.emit(i % 2 == 0)
    received.clear()
    drift = sys.getrefcount(True) - before
    assert abs(drift) < 10, f"True lost {-drift} references over 1,000 emits"
