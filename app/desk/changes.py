"""What an operation changed, for the window to show: the one value every action returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from db.queries.pauses import Pause


@dataclass(frozen=True)
class Notice:
    """What to tell the reviewer. ``level``: info, warning or error; ``lead``: whom it is about."""

    text: str
    level: str = "info"
    lead: str = ""


@dataclass(frozen=True)
class Changes:
    """``left``: items that left the reviewer's queue (decided); ``returned``: back in it (an
    undo); ``updated``: still in it, changed (a new draft version); ``queue`` / ``counts``:
    re-read the rows / the sidebar counts; ``tasks``: re-read the tasks view and its counts;
    ``pauses``: the active pauses, when they changed; ``release_at``: when an approval leaves
    the desk (the undo countdown); ``background``: from the desk's own cycle (a poll, a push),
    not a reviewer's action, so its notices never take the place of that action's outcome."""

    left: tuple[int, ...] = ()
    returned: tuple[int, ...] = ()
    updated: tuple[int, ...] = ()
    queue: bool = False
    counts: bool = False
    tasks: bool = False
    pauses: tuple[Pause, ...] | None = None
    notices: tuple[Notice, ...] = field(default_factory=tuple)
    release_at: datetime | None = None
    background: bool = False

    @property
    def anything(self) -> bool:
        return bool(
            self.left
            or self.returned
            or self.updated
            or self.queue
            or self.counts
            or self.tasks
            or self.pauses is not None
            or self.notices
        )

    def merged(self, other: Changes) -> Changes:
        return Changes(
            left=self.left + other.left,
            returned=self.returned + other.returned,
            updated=self.updated + other.updated,
            queue=self.queue or other.queue,
            counts=self.counts or other.counts,
            tasks=self.tasks or other.tasks,
            pauses=other.pauses if other.pauses is not None else self.pauses,
            notices=self.notices + other.notices,
            release_at=other.release_at or self.release_at,
            background=self.background and other.background,
        )


NOTHING = Changes()
