"""Reading pauses: which are active, what they hold, and the gate that orders them against
releases of outbound work.

An item is held when an active pause covers it: its workflow, its client, its provider, the
integration account it came through (that account's client and provider), or everything.
The rule is written twice on purpose, once as SQL (to pick what may be released without
reading held rows) and once in Python (to show "held" beside a row the queue has already
read); ``tests/test_pauses.py`` checks that the two agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, and_, false, or_, select, true
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from db.models import AutomationPause, Client, ControlLock, IntegrationAccount, ReviewItem
from db.vocab import PauseScope

GATE = "pauses"
ACTIVE = "active"
RESUMED = "resumed"


@dataclass(frozen=True)
class Pause:
    id: int
    scope: PauseScope
    key: str
    label: str  # what is paused, in words: "client Acme HVAC", "workflow missed_call_textback"
    reason: str
    trigger: str  # "manual", or the auto-pause rule that fired
    owner: str
    rollback: str
    verification: str
    started_at: datetime
    planned_resume_at: datetime | None
    verified_at: datetime | None
    verified_by: str | None
    resumed_at: datetime | None
    resumed_by: str | None
    # For an integration account: the client and provider it stands for.
    account_client_id: int | None = None
    account_provider: str | None = None

    def covers(self, workflow: str, client_id: int, provider: str) -> bool:
        if self.scope == PauseScope.ALL:
            return True
        if self.scope == PauseScope.WORKFLOW:
            return workflow == self.key
        if self.scope == PauseScope.CLIENT:
            return str(client_id) == self.key
        if self.scope == PauseScope.PROVIDER:
            return provider == self.key
        return client_id == self.account_client_id and provider == self.account_provider


def lock_gate(session: Session, exclusive: bool) -> None:
    """Take the pause gate: shared to release outbound work, exclusive to pause or resume."""
    found = session.scalar(select(ControlLock.name).where(ControlLock.name == GATE).with_for_update(read=not exclusive))
    if found is None:  # the row is made by migration 0004; should it be gone, make it again
        session.add(ControlLock(name=GATE))
        session.flush()


def active_pauses(session: Session) -> list[Pause]:
    """Active pauses, oldest first."""
    return _pauses(
        session,
        select(AutomationPause)
        .where(AutomationPause.status == ACTIVE)
        .order_by(AutomationPause.started_at, AutomationPause.id),
    )


def pause_history(session: Session, limit: int = 500) -> list[Pause]:
    """Resumed pauses, the latest resumed first: the incident history."""
    return _pauses(
        session,
        select(AutomationPause)
        .where(AutomationPause.status == RESUMED)
        .order_by(AutomationPause.resumed_at.desc(), AutomationPause.id.desc())
        .limit(limit),
    )


def _pauses(session: Session, query: Select[tuple[AutomationPause]]) -> list[Pause]:
    rows = list(session.scalars(query))
    ids: dict[PauseScope, set[int]] = {PauseScope.CLIENT: set(), PauseScope.INTEGRATION: set()}
    for p in rows:
        if p.scope in ids and p.scope_key.isdigit():
            ids[PauseScope(p.scope)].add(int(p.scope_key))
    clients = dict(session.execute(select(Client.id, Client.name).where(Client.id.in_(ids[PauseScope.CLIENT]))).all())
    accounts = {
        a.id: a
        for a in session.scalars(
            select(IntegrationAccount).where(IntegrationAccount.id.in_(ids[PauseScope.INTEGRATION]))
        )
    }
    return [_pause(p, clients, accounts) for p in rows]


def _pause(p: AutomationPause, clients: dict[int, str], accounts: dict[int, IntegrationAccount]) -> Pause:
    scope = PauseScope(p.scope)
    number = int(p.scope_key) if p.scope_key.isdigit() else None
    account = accounts.get(number) if scope == PauseScope.INTEGRATION and number is not None else None
    label = {
        PauseScope.ALL: "everything",
        PauseScope.WORKFLOW: f"workflow {p.scope_key}",
        PauseScope.CLIENT: f"client {clients.get(number or 0, '#' + p.scope_key)}",
        PauseScope.PROVIDER: f"provider {p.scope_key}",
        PauseScope.INTEGRATION: f"account {account.label if account else '#' + p.scope_key}",
    }[scope]
    return Pause(
        p.id,
        scope,
        p.scope_key,
        label,
        p.reason,
        p.trigger,
        p.owner,
        p.rollback,
        p.verification,
        p.started_at,
        p.planned_resume_at,
        p.verified_at,
        p.verified_by,
        p.resumed_at,
        p.resumed_by,
        account_client_id=account.client_id if account else None,
        account_provider=account.provider if account else None,
    )


def not_held(pauses: list[Pause]) -> ColumnElement[bool]:
    """SQL: the review items no active pause in ``pauses`` covers."""
    if any(p.scope == PauseScope.ALL for p in pauses):
        return false()
    workflows = [p.key for p in pauses if p.scope == PauseScope.WORKFLOW]
    clients = [int(p.key) for p in pauses if p.scope == PauseScope.CLIENT and p.key.isdigit()]
    providers = [p.key for p in pauses if p.scope == PauseScope.PROVIDER]
    held: list[ColumnElement[bool]] = []
    if workflows:
        held.append(ReviewItem.workflow.in_(workflows))
    if clients:
        held.append(ReviewItem.client_id.in_(clients))
    if providers:
        held.append(ReviewItem.provider.in_(providers))
    held += [
        and_(ReviewItem.client_id == p.account_client_id, ReviewItem.provider == p.account_provider)
        for p in pauses
        if p.scope == PauseScope.INTEGRATION and p.account_client_id is not None
    ]
    return ~or_(*held) if held else true()


def pause_covering(pauses: list[Pause], workflow: str, client_id: int, provider: str) -> Pause | None:
    """The oldest active pause that holds an item, if any."""
    return next((p for p in pauses if p.covers(workflow, client_id, provider)), None)
