"""The approved snippets as the supervisor's editor lists them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import ApprovedSnippet, Client, User


@dataclass(frozen=True)
class SnippetRow:
    id: int
    client_id: int | None
    client: str  # "All clients" when the snippet is for every client
    service: str
    title: str
    body: str
    version: int
    active: bool
    approved_by: str
    approved_at: datetime


def list_snippets(session: Session, include_retired: bool = False) -> list[SnippetRow]:
    """Every client's snippets, the ones for all clients first, then by client and title."""
    query = (
        select(ApprovedSnippet, Client.name, User.login)
        .outerjoin(Client, Client.id == ApprovedSnippet.client_id)
        .outerjoin(User, User.id == ApprovedSnippet.approved_by_id)
        .order_by(ApprovedSnippet.client_id.is_not(None), Client.name, ApprovedSnippet.title, ApprovedSnippet.id)
    )
    if not include_retired:
        query = query.where(ApprovedSnippet.active.is_(True))
    return [
        SnippetRow(
            s.id,
            s.client_id,
            client or "All clients",
            s.service,
            s.title,
            s.body,
            s.version,
            s.active,
            login or "",
            s.approved_at,
        )
        for s, client, login in session.execute(query)
    ]
