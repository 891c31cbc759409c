"""CRM handoffs as the desk sees them: the preview of one (the database part, then the CRM's
part on the I/O lane) and a supervisor's retry."""

from __future__ import annotations

from app.crm.adapters import Adapter, Outgoing
from app.crm.preview import preview, read_outgoing
from app.crm.sender import retry_handoff
from app.desk.changes import Changes, Notice
from app.identity import Actor
from db.engine import Database


def outgoing_of(database: Database, item_id: int) -> Outgoing | None:
    """What the item's handoff would send (database lane)."""
    with database.read() as session:
        return read_outgoing(session, item_id)


def preview_text(outgoing: Outgoing, adapter: Adapter | None) -> str:
    """Where it goes and what it sends, asking the CRM when the adapter can (I/O lane)."""
    return preview(outgoing, adapter).as_text()


def retry_push(database: Database, actor: Actor, item_id: int) -> Changes:
    retry_handoff(database, actor, item_id)
    return Changes(updated=(item_id,), notices=(Notice("The handoff goes to the CRM again on the next poll."),))
