"""The choices the window offers: clients, providers, workflows, accounts, users."""

from __future__ import annotations

from app import words
from app.pipeline.normalizers import PROVIDERS
from db.engine import Database
from db.queries.lookups import Choice, UserRow, clients, integration_accounts, users
from db.vocab import Workflow


def client_choices(database: Database) -> list[Choice]:
    with database.read() as session:
        return clients(session)


def provider_choices() -> list[Choice]:
    return [Choice(p, words.source(p)) for p in PROVIDERS]


def workflow_choices() -> list[Choice]:
    return [Choice(w.value, words.workflow(w.value)) for w in Workflow]


def account_choices(database: Database) -> list[Choice]:
    with database.read() as session:
        return integration_accounts(session)


def user_rows(database: Database) -> list[UserRow]:
    with database.read() as session:
        return users(session)
