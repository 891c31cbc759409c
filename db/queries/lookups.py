"""Small lists the desk offers as choices: clients and users. (Providers and workflows come
from the code's own vocabularies, not from a scan of the queue.)"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Client, IntegrationAccount, User


@dataclass(frozen=True)
class Choice:
    value: int | str
    label: str


def clients(session: Session) -> list[Choice]:
    return [
        Choice(i, n)
        for i, n in session.execute(select(Client.id, Client.name).where(Client.active.is_(True)).order_by(Client.name))
    ]


@dataclass(frozen=True)
class UserRow:
    id: int
    login: str
    display_name: str
    role: str
    active: bool


def users(session: Session) -> list[UserRow]:
    return [
        UserRow(*r)
        for r in session.execute(
            select(User.id, User.login, User.display_name, User.role, User.active).order_by(User.login)
        )
    ]


def integration_accounts(session: Session) -> list[Choice]:
    """Every client's provider accounts, as "Client · provider · label"."""
    return [
        Choice(i, f"{client or 'agency'} · {provider} · {label}")
        for i, provider, label, client in session.execute(
            select(IntegrationAccount.id, IntegrationAccount.provider, IntegrationAccount.label, Client.name)
            .outerjoin(Client, Client.id == IntegrationAccount.client_id)
            .order_by(Client.name, IntegrationAccount.provider, IntegrationAccount.label)
        )
    ]
