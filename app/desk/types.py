"""The data the desk's operations hand to the window: plain, immutable values.

They are defined where they are read (``db.queries``) and named here, so the window depends on
the operations' interface and never on a query module.
"""

from db.engine import Database, DatabaseUrlError
from db.queries.detail import Acknowledged, DraftVersion, Escalation, FlagView, ItemDetail
from db.queries.lookups import Choice, UserRow
from db.queries.pauses import Pause, pause_covering
from db.queries.queue import QueueCounts, QueueFilter, QueueRow, QueueSort
from db.queries.snippets import SnippetRow
from db.queries.timeline import TimelineEntry

__all__ = [
    "Acknowledged",
    "Choice",
    "Database",
    "DatabaseUrlError",
    "DraftVersion",
    "Escalation",
    "FlagView",
    "ItemDetail",
    "Pause",
    "QueueCounts",
    "QueueFilter",
    "QueueRow",
    "QueueSort",
    "SnippetRow",
    "TimelineEntry",
    "UserRow",
    "pause_covering",
]
