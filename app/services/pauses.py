"""Pausing and resuming automations.

A pause names what it holds (a workflow, a client, a provider, an integration account, or
everything), why, who owns it, how to roll back and what must be verified before it ends.
While it is active nothing it covers leaves the desk (``app.services.outbound``); ingestion
and review go on. Resuming needs the verification to be recorded as done first; the held
approvals then leave in the order they were due, each once.

Only supervisors and admins pause or resume by hand; the service refuses anyone else and
audits the attempt. The auto-pause rules call ``open_pause`` with the rule as the owner.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit
from app.identity import Actor
from app.services.errors import ActionRefused
from app.services.refusals import SUPERVISING, require_role
from db.engine import Database
from db.models import AutomationPause, Client, Event, IntegrationAccount
from db.queries.pauses import ACTIVE, RESUMED, lock_gate
from db.types import utcnow
from db.vocab import EventType, PauseScope, Workflow


@dataclass(frozen=True)
class PauseRequest:
    scope: PauseScope
    key: str  # workflow name, client id, provider name, account id; "" for everything
    reason: str
    rollback: str
    verification: str
    planned_resume_at: datetime | None = None


def pause(database: Database, actor: Actor, request: PauseRequest, source: str = "desk") -> int:
    """Pause a scope by hand; returns the pause's id (an existing active pause of the same
    scope is returned rather than doubled)."""
    require_role(database, actor, SUPERVISING, "automation.pause", source)
    for field, value in (
        ("a reason", request.reason),
        ("a rollback path", request.rollback),
        ("a verification step", request.verification),
    ):
        if not value.strip():
            raise ActionRefused(f"A pause needs {field}: it is what explains the pause later.")
    with database.write() as session:
        _check_scope(session, request.scope, request.key)
        return open_pause(session, request, actor.login, "manual", source)


def open_pause(
    session: Session, request: PauseRequest, owner: str, trigger: str, source: str, client_id: int | None = None
) -> int:
    """In the caller's transaction: take the gate, then record the pause, its
    ``automation.paused`` event and its audit entry. Returns the pause's id."""
    lock_gate(session, exclusive=True)
    existing = session.scalar(
        select(AutomationPause).where(
            AutomationPause.status == ACTIVE,
            AutomationPause.scope == request.scope,
            AutomationPause.scope_key == request.key,
        )
    )
    if existing is not None:
        return existing.id
    now = utcnow()
    row = AutomationPause(
        scope=request.scope,
        scope_key=request.key,
        reason=request.reason.strip()[:2000],
        rollback=request.rollback.strip(),
        verification=request.verification.strip(),
        trigger=trigger,
        started_at=now,
        planned_resume_at=request.planned_resume_at,
        owner=owner,
        source=source,
        status=ACTIVE,
        recovery="resume from the pause board once the verification is done",
    )
    session.add(row)
    session.flush()
    if client_id is None and request.scope == PauseScope.CLIENT and request.key.isdigit():
        client_id = int(request.key)
    session.add(
        Event(
            type=EventType.AUTOMATION_PAUSED,
            idempotency_key=f"automation.paused:{row.id}",
            client_id=client_id,
            provider="review_desk",
            occurred_at=now,
            data={
                "pause_id": row.id,
                "scope": str(request.scope),
                "key": request.key,
                "reason": row.reason,
                "trigger": trigger,
                "owner": owner,
            },
        )
    )
    audit.record(
        session,
        actor=owner,
        source=source,
        action="automation.paused",
        entity="automation_pause",
        entity_id=row.id,
        client_id=client_id,
        recovery=row.recovery,
        detail={
            "scope": str(request.scope),
            "key": request.key,
            "reason": row.reason,
            "trigger": trigger,
            "rollback": row.rollback,
            "verification": row.verification,
        },
    )
    return row.id


def record_verification(database: Database, actor: Actor, pause_id: int, note: str, source: str = "desk") -> None:
    """Record that the pause's verification step was done (what was checked, in ``note``)."""
    require_role(database, actor, SUPERVISING, "automation.verify", source)
    if not note.strip():
        raise ActionRefused("Say what you checked: the note is what shows the pause was verified.")
    with database.write() as session:
        row = _active(session, pause_id)
        row.verified_at, row.verified_by = utcnow(), actor.login
        audit.record(
            session,
            actor=actor.login,
            source=source,
            action="automation.verified",
            entity="automation_pause",
            entity_id=row.id,
            detail={"note": note.strip()},
        )


def resume(database: Database, actor: Actor, pause_id: int, source: str = "desk") -> None:
    """End a verified pause; what it held is released on the next poll, in order."""
    require_role(database, actor, SUPERVISING, "automation.resume", source)
    with database.write() as session:
        lock_gate(session, exclusive=True)
        row = _active(session, pause_id)
        if row.verified_at is None:
            raise ActionRefused(f"Verify first: {row.verification} Then resume.")
        row.status, row.resumed_at, row.resumed_by = RESUMED, utcnow(), actor.login
        audit.record(
            session,
            actor=actor.login,
            source=source,
            action="automation.resumed",
            entity="automation_pause",
            entity_id=row.id,
            detail={
                "scope": row.scope,
                "key": row.scope_key,
                "paused_for_s": round((row.resumed_at - row.started_at).total_seconds()),
            },
        )


def _active(session: Session, pause_id: int) -> AutomationPause:
    row = session.get(AutomationPause, pause_id, with_for_update=True)
    if row is None or row.status != ACTIVE:
        raise ActionRefused("That pause is no longer active (someone resumed it).")
    return row


def _check_scope(session: Session, scope: PauseScope, key: str) -> None:
    known = {
        PauseScope.ALL: lambda: key == "",
        PauseScope.WORKFLOW: lambda: key in set(Workflow),
        PauseScope.CLIENT: lambda: key.isdigit() and session.get(Client, int(key)) is not None,
        PauseScope.PROVIDER: lambda: bool(key.strip()),
        PauseScope.INTEGRATION: lambda: key.isdigit() and session.get(IntegrationAccount, int(key)) is not None,
    }[scope]
    if not known():
        raise ActionRefused(f"There is no {scope} {key!r} to pause.")
