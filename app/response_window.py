"""How long a client allows for answering: the due time of a new review item or owner task.

In order: the client's own policy for the lead's source (``client_sla_policies``), else the
response window of the approved template for the workflow (the client's own, else the
agency-wide one; the shortest over its channels), else the desk's default for the priority.

A client's policy is its own decision and is taken as it is, longer or shorter. A template's
window only ever shortens the default: every template has one (60 minutes unless someone set
it), and an emergency's 15 minutes must not become an hour because a template kept the column
default. Read once per batch for the batch's clients: the pipeline pays two queries.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from db.models import ClientSlaPolicy, MessageTemplate


@dataclass(frozen=True)
class ResponseRules:
    policies: dict[tuple[int, str], int]  # (client, source) -> minutes
    windows: dict[tuple[int | None, str], int]  # (client or None for every client, workflow) -> minutes

    def window(self, client_id: int | None, source: str, workflow: str | None, default: timedelta) -> timedelta:
        """The time allowed for a lead of ``client_id`` from ``source`` in ``workflow``."""
        if client_id is not None and (minutes := self.policies.get((client_id, source))) is not None:
            return timedelta(minutes=minutes)
        template = self.windows.get((client_id, workflow or ""))
        if template is None:
            template = self.windows.get((None, workflow or ""))
        return min(default, timedelta(minutes=template)) if template is not None else default


def load_rules(session: Session, client_ids: Iterable[int | None]) -> ResponseRules:
    ids = sorted({c for c in client_ids if c is not None})
    if not ids:
        return ResponseRules({}, {})
    policies = {
        (client_id, source): minutes
        for client_id, source, minutes in session.execute(
            select(ClientSlaPolicy.client_id, ClientSlaPolicy.source, ClientSlaPolicy.response_minutes).where(
                ClientSlaPolicy.client_id.in_(ids)
            )
        )
    }
    windows = {
        (client_id, workflow): minutes
        for client_id, workflow, minutes in session.execute(
            select(
                MessageTemplate.client_id, MessageTemplate.workflow, func.min(MessageTemplate.response_window_minutes)
            )
            .where(
                MessageTemplate.approved.is_(True),
                MessageTemplate.active.is_(True),
                or_(MessageTemplate.client_id.in_(ids), MessageTemplate.client_id.is_(None)),
            )
            .group_by(MessageTemplate.client_id, MessageTemplate.workflow)
        )
    }
    return ResponseRules(policies, windows)
