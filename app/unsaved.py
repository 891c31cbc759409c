"""Text a reviewer is editing, kept on this computer until the desk has saved it.

Written (atomically) a moment after each change, so neither a lost database connection nor a
crash of the app loses what was typed; removed once the action that used it succeeded.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from db.types import utcnow


@dataclass(frozen=True)
class UnsavedEdit:
    item_id: int
    version: int
    text: str
    saved_at: str  # ISO 8601


class UnsavedEdits:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, item_id: int) -> Path:
        return self.folder / f"item-{int(item_id)}.json"

    def save(self, item_id: int, version: int, text: str, when: datetime | None = None) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        edit = UnsavedEdit(item_id, version, text, (when or utcnow()).isoformat())
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".edit-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(asdict(edit), handle, ensure_ascii=False)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self._path(item_id))
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def load(self, item_id: int) -> UnsavedEdit | None:
        try:
            data = json.loads(self._path(item_id).read_text(encoding="utf-8"))
            return UnsavedEdit(int(data["item_id"]), int(data["version"]), str(data["text"]), str(data["saved_at"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def discard(self, item_id: int) -> None:
        self._path(item_id).unlink(missing_ok=True)

    def pending(self) -> list[int]:
        """Items with text that never reached the database (shown on the next start)."""
        if not self.folder.exists():
            return []
        ids = []
        for path in self.folder.glob("item-*.json"):
            try:
                ids.append(int(path.stem.removeprefix("item-")))
            except ValueError:
                continue
        return sorted(ids)
