"""Every draft of the open item, newest first: who or what wrote it, how, and on what."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from app.desk.types import DraftVersion
from ui.table_model import Index, ReadOnlyTableModel

DRAFTERS = {"offline-rules": "offline rules", "ai": "AI"}


def drafter_label(drafter: str) -> str:
    return DRAFTERS.get(drafter, drafter)


def describe(version: DraftVersion) -> str:
    """How a version was made, in one line: "AI · gpt-4o-mini · draft-v2 · 1.4 s · 812→96 tokens"."""
    parts = [drafter_label(version.drafter)]
    if version.model:
        parts.append(version.model)
    if version.prompt_version:
        parts.append(version.prompt_version)
    if version.latency_ms is not None:
        parts.append(f"{version.latency_ms / 1000:.1f} s")
    if version.tokens_in is not None and version.tokens_out is not None:
        parts.append(f"{version.tokens_in}→{version.tokens_out} tokens")
    return " · ".join(parts)


class VersionsModel(ReadOnlyTableModel):
    COLUMNS = ("Version", "Written by", "Asked for", "Grounded on", "When")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._versions: tuple[DraftVersion, ...] = ()

    def set_versions(self, versions: tuple[DraftVersion, ...]) -> None:
        self.beginResetModel()
        self._versions = versions
        self.endResetModel()

    def version_at(self, row: int) -> DraftVersion | None:
        return self._versions[row] if 0 <= row < len(self._versions) else None

    def _row_count(self) -> int:
        return len(self._versions)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        version = self.version_at(index.row()) if index.isValid() else None
        if version is None or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        return (
            f"v{version.version_no}" + (" (current)" if index.row() == 0 else ""),
            describe(version),
            version.instruction or "",
            ", ".join(version.grounded_on) or "catalog only",
            f"{version.created_at.astimezone():%b %d %H:%M}",
        )[index.column()]
