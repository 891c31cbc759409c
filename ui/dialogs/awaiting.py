"""Awaiting a dialog without nesting an event loop: ``open()`` and its ``finished`` signal."""

from __future__ import annotations

import asyncio

from PySide6.QtWidgets import QDialog


async def run_dialog(dialog: QDialog) -> int:
    """Show ``dialog`` window-modally and return its result once it closes. The window
    beneath gets the keyboard back, so the desk's single-key shortcuts work at once."""
    done: asyncio.Future[int] = asyncio.get_running_loop().create_future()
    dialog.finished.connect(lambda code: done.done() or done.set_result(int(code)))
    dialog.open()
    code = await done
    owner = dialog.parentWidget()
    if owner is not None:
        owner.window().activateWindow()
    return code
