"""Text a reviewer is editing, kept on this computer until the desk has saved it.

Written (atomically) a moment after each change, so neither a lost database connection nor a
crash of the app loses what was typed; removed once the action that used it succeeded.

Text belongs to the user who typed it: each user's edits are kept in their own subfolder and
record their owner, so another user signing in on the same data folder is never offered them.
"""

from __future__ import annotations

import hashlib
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
    owner: str  # the login of the user who typed it


def _subfolder(login: str) -> str:
    """A folder name for any login (logins may hold characters no file system takes)."""
    return "user-" + hashlib.sha256(login.encode("utf-8")).hexdigest()[:16]


class UnsavedEdits:
    def __init__(self, folder: Path, owner_login: str) -> None:
        self.owner = owner_login
        self.folder = folder / _subfolder(owner_login)

    def _path(self, item_id: int) -> Path:
        return self.folder / f"item-{int(item_id)}.json"

    def save(self, item_id: int, version: int, text: str, when: datetime | None = None) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        edit = UnsavedEdit(item_id, version, text, (when or utcnow()).isoformat(), self.owner)
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
            edit = UnsavedEdit(
                int(data["item_id"]), int(data["version"]), str(data["text"]), str(data["saved_at"]), str(data["owner"])
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return edit if edit.owner == self.owner else None

    def discard(self, item_id: int) -> None:
        self._path(item_id).unlink(missing_ok=True)

    def pending(self) -> list[int]:
        """Items with this user's text that never reached the database (shown on the next start)."""
        if not self.folder.exists():
            return []
        ids = []
        for path in self.folder.glob("item-*.json"):
            try:
                item_id = int(path.stem.removeprefix("item-"))
            except ValueError:
                continue
            if self.load(item_id) is not None:
                ids.append(item_id)
        return sorted(ids)

    def texts(self) -> dict[int, str]:
        """Every item's kept text (read once when the desk starts, off the GUI thread)."""
        kept = {item_id: self.load(item_id) for item_id in self.pending()}
        return {item_id: edit.text for item_id, edit in kept.items() if edit is not None}
