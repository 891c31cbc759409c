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


async def show_then_delete(dialog: QDialog, loading: asyncio.Task[None] | None = None) -> None:
    """Show ``dialog`` until it closes; it is deleted once what it was loading has landed
    (a dialog closed at once must not be filled after it is gone)."""
    await run_dialog(dialog)
    if loading is not None:
        await asyncio.gather(loading, return_exceptions=True)  # a failure is reported by its own task
    dialog.deleteLater()
