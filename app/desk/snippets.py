"""The supervisor's approved snippets, as the snippets dialog reads and changes them."""

from __future__ import annotations

from app.identity import Actor
from app.services.snippets import SnippetText, retire_snippet, save_snippet
from db.engine import Database
from db.queries.lookups import Choice, clients
from db.queries.snippets import SnippetRow, list_snippets


def snippets_and_clients(database: Database) -> tuple[list[SnippetRow], list[Choice]]:
    with database.read() as session:
        return list_snippets(session), clients(session)


def save(database: Database, actor: Actor, snippet_id: int | None, text: SnippetText) -> int:
    return save_snippet(database, actor, snippet_id, text)


def retire(database: Database, actor: Actor, snippet_id: int) -> None:
    retire_snippet(database, actor, snippet_id)
