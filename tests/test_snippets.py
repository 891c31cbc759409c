"""Approved snippets on every backend: only supervisors write them, every change is audited
with the wording it replaced, and only active ones reach an AI prompt."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.ai.request import snippets_for
from app.identity import Actor
from app.services.errors import ActionRefused
from app.services.snippets import SnippetText, retire_snippet, save_snippet
from db.engine import Database
from db.models import AuditEntry, Client, User
from db.queries.snippets import SnippetRow, list_snippets
from db.vocab import Role


def people(database: Database) -> tuple[Actor, Actor, int]:
    with database.write() as session:
        boss = User(login="sam", display_name="Sam", role=Role.SUPERVISOR)
        reviewer = User(login="rae", display_name="Rae", role=Role.REVIEWER)
        client = Client(slug="acme-hvac", name="Acme HVAC")
        session.add_all([boss, reviewer, client])
        session.flush()
        return (
            Actor(boss.id, boss.login, Role.SUPERVISOR),
            Actor(reviewer.id, reviewer.login, Role.REVIEWER),
            client.id,
        )


def audit_actions(database: Database) -> list[tuple[str, str, str]]:
    with database.read() as session:
        return [(a.actor, a.action, a.outcome) for a in session.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def list_snippets_of(database: Database) -> list[SnippetRow]:
    with database.read() as session:
        return list_snippets(session)


def test_a_supervisor_writes_changes_and_retires_snippets_with_an_audit_trail(database: Database) -> None:
    boss, _, client = people(database)
    hours = save_snippet(database, boss, None, SnippetText(client, "AC repair", " Hours ", "Open 7am to 7pm. "))
    everyone = save_snippet(database, boss, None, SnippetText(None, "", "Callback", "We call back within a day."))
    rows = list_snippets_of(database)
    assert [(r.client, r.service, r.title, r.body, r.version) for r in rows] == [
        ("All clients", "", "Callback", "We call back within a day.", 1),
        ("Acme HVAC", "AC repair", "Hours", "Open 7am to 7pm.", 1),
    ]
    assert rows[1].approved_by == "sam"
    save_snippet(database, boss, hours, SnippetText(client, "AC repair", "Hours", "Open 8am to 6pm."))
    save_snippet(database, boss, hours, SnippetText(client, "AC repair", "Hours", "Open 8am to 6pm."))  # no change
    assert [(r.id, r.version, r.body) for r in list_snippets_of(database)][1] == (hours, 2, "Open 8am to 6pm.")
    with database.read() as session:
        offered = snippets_for(session, client, "AC repair")
        assert [s.id for s in offered] == [hours, everyone]
        assert snippets_for(session, client, "Plumbing") == tuple(s for s in offered if s.id == everyone)
    retire_snippet(database, boss, hours)
    with database.read() as session:
        assert [s.id for s in snippets_for(session, client, "AC repair")] == [everyone]
        edit = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "snippet.saved").order_by(AuditEntry.id.desc())
        ).first()
        assert edit.detail["before"]["body"] == "Open 7am to 7pm." and edit.detail["version"] == 2
    assert [r.id for r in list_snippets_of(database)] == [everyone]
    with database.read() as session:
        retired = [r for r in list_snippets(session, include_retired=True) if r.id == hours]
    assert retired and not retired[0].active
    assert audit_actions(database) == [("sam", "snippet.saved", "ok")] * 3 + [("sam", "snippet.retired", "ok")]


def test_a_reviewer_cannot_write_snippets_and_the_refusal_is_audited(database: Database) -> None:
    boss, reviewer, client = people(database)
    with pytest.raises(ActionRefused, match="Only supervisors or admins"):
        save_snippet(database, reviewer, None, SnippetText(client, "", "Price", "Free estimates."))
    kept = save_snippet(database, boss, None, SnippetText(client, "", "Price", "Free estimates."))
    with pytest.raises(ActionRefused):
        retire_snippet(database, reviewer, kept)
    assert [r.id for r in list_snippets_of(database)] == [kept]
    assert audit_actions(database) == [
        ("rae", "snippet.saved", "refused"),
        ("sam", "snippet.saved", "ok"),
        ("rae", "snippet.retired", "refused"),
    ]


@pytest.mark.parametrize(
    ("title", "body", "why"),
    [
        ("", "text", "needs a title and a text"),
        ("Title", "   ", "needs a title and a text"),
        ("Title", "x" * 2001, "Too long"),
    ],
)
def test_incomplete_or_oversized_snippets_are_refused_with_the_reason(
    sqlite_database: Database, title: str, body: str, why: str
) -> None:
    boss, _, client = people(sqlite_database)
    with pytest.raises(ActionRefused, match=why):
        save_snippet(sqlite_database, boss, None, SnippetText(client, "", title, body))
    assert list_snippets_of(sqlite_database) == []
