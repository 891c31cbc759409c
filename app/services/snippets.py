"""Approved snippets: the facts and sentences an AI draft may use for a client.

Only supervisors and admins write them (the service refuses and audits anyone else), since
whatever is here can reach a client through a draft. A change bumps the snippet's version
rather than making a new row, and retiring keeps the row, so a draft that cited a snippet can
always be traced to it.
"""

from __future__ import annotations

from dataclasses import dataclass

from app import audit
from app.identity import Actor
from app.services.errors import ActionRefused
from app.services.refusals import SUPERVISING, require_role
from db.engine import Database
from db.models import ApprovedSnippet, Client
from db.types import utcnow

TITLE_MAX = 120
BODY_MAX = 2000
SERVICE_MAX = 200


@dataclass(frozen=True)
class SnippetText:
    client_id: int | None  # None: for every client
    service: str  # empty: for any service
    title: str
    body: str


def _checked(text: SnippetText) -> SnippetText:
    title, body, service = text.title.strip(), text.body.strip(), text.service.strip()
    if not title or not body:
        raise ActionRefused("A snippet needs a title and a text.")
    if len(title) > TITLE_MAX or len(body) > BODY_MAX or len(service) > SERVICE_MAX:
        raise ActionRefused(
            f"Too long: a title holds {TITLE_MAX} characters, a text {BODY_MAX}, a service {SERVICE_MAX}."
        )
    return SnippetText(text.client_id, service, title, body)


def save_snippet(
    database: Database, actor: Actor, snippet_id: int | None, text: SnippetText, source: str = "desk"
) -> int:
    """Create (``snippet_id`` None) or change a snippet; returns its id."""
    require_role(database, actor, SUPERVISING, "snippet.saved", source)
    text = _checked(text)
    with database.write() as session:
        if text.client_id is not None and session.get(Client, text.client_id) is None:
            raise ActionRefused("That client no longer exists.")
        if snippet_id is None:
            snippet = ApprovedSnippet(
                client_id=text.client_id,
                service=text.service,
                title=text.title,
                body=text.body,
                approved_by_id=actor.user_id,
            )
            session.add(snippet)
            session.flush()
            before = None
        else:
            snippet = session.get(ApprovedSnippet, snippet_id, with_for_update=True)
            if snippet is None:
                raise ActionRefused("That snippet no longer exists.")
            before = {
                "title": snippet.title,
                "body": snippet.body,
                "service": snippet.service,
                "client_id": snippet.client_id,
                "version": snippet.version,
            }
            unchanged = (snippet.title, snippet.body, snippet.service, snippet.client_id) == (
                text.title,
                text.body,
                text.service,
                text.client_id,
            )
            if unchanged and snippet.active:
                return snippet.id
            snippet.client_id, snippet.service = text.client_id, text.service
            snippet.title, snippet.body = text.title, text.body
            snippet.version += 1
            snippet.active = True
            snippet.approved_by_id, snippet.approved_at = actor.user_id, utcnow()
        audit.record(
            session,
            actor=actor.login,
            source=source,
            action="snippet.saved",
            entity="approved_snippet",
            entity_id=snippet.id,
            client_id=text.client_id,
            detail={"version": snippet.version, "before": before},
            recovery="the previous wording is in this entry's detail",
        )
        return snippet.id


def retire_snippet(database: Database, actor: Actor, snippet_id: int, source: str = "desk") -> None:
    """Stop offering a snippet to new drafts; drafts that used it still name it."""
    require_role(database, actor, SUPERVISING, "snippet.retired", source)
    with database.write() as session:
        snippet = session.get(ApprovedSnippet, snippet_id, with_for_update=True)
        if snippet is None:
            raise ActionRefused("That snippet no longer exists.")
        if not snippet.active:
            return
        snippet.active = False
        audit.record(
            session,
            actor=actor.login,
            source=source,
            action="snippet.retired",
            entity="approved_snippet",
            entity_id=snippet.id,
            client_id=snippet.client_id,
            detail={"version": snippet.version},
            recovery="save the snippet again to offer it to drafts once more",
        )
