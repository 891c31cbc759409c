"""Auto-pause: when a credential, a delivery path or a provider's data is in doubt, the
matching scope pauses by itself, with the reason filled in, and the supervisor on duty gets
an owner task to look at it.

| rule | evidence | pauses |
| --- | --- | --- |
| ``auth_failures`` | 3 failed syncs of one integration account with a 401/403 in the last day | that account |
| ``crm_auth_failures`` | 3 CRM handoffs failing with 401/403 in the last day | workflow crm_handoff |
| ``quarantine_rate`` | a provider's deliveries in the last hour: at least 20, a quarter quarantined | that provider |
| ``stale_data`` | a data source past its freshness limit | its integration account |
| ``delivery_failures`` | 3 failed messages for one client in the last day | that client |
| ``complaint`` | complaint flags from 3 leads of one client in a day, a fifth of its leads | that client |

A rule counts only evidence newer than the last pause it made for the same scope, so a
supervisor's resume is not undone at once by the evidence that caused the pause; new
evidence pauses again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from app.duty import give, supervisor_on_duty
from app.services.pauses import PauseRequest, open_pause
from db.engine import Database
from db.models import (
    AutomationPause,
    CrmHandoff,
    DataSource,
    IntegrationAccount,
    IntegrationSyncRun,
    Message,
    OwnerTask,
    ReviewItem,
    RiskFlag,
    WebhookEvent,
)
from db.queries.pauses import ACTIVE
from db.types import utcnow
from db.vocab import FlagCode, MessageStatus, PauseScope, TaskStatus, WebhookStatus, Workflow

AUTH_FAILURES = 3
QUARANTINE_MIN_DELIVERIES = 20
QUARANTINE_SHARE = 0.25
DELIVERY_FAILURES = 3
COMPLAINING_LEADS = 3
COMPLAINT_SHARE = 0.2
DAY = timedelta(days=1)
HOUR = timedelta(hours=1)
TASK_DUE = timedelta(hours=1)
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Trip:
    """A rule's finding for one scope: what to pause and why."""

    key: str
    reason: str
    client_id: int | None = None


@dataclass(frozen=True)
class Rule:
    trigger: str
    scope: PauseScope
    window: timedelta | None  # None: any age of evidence counts
    rollback: str
    verification: str
    # (session, evidence newer than this, now) -> what is over the threshold, by key
    measure: Callable[[Session, datetime, datetime], dict[str, Trip]]


def _auth_error() -> ColumnElement[bool]:
    return or_(IntegrationSyncRun.error.contains("401"), IntegrationSyncRun.error.contains("403"))


def _auth_failures(session: Session, since: datetime, now: datetime) -> dict[str, Trip]:
    rows = session.execute(
        select(IntegrationSyncRun.integration_account_id, IntegrationAccount.client_id, func.count())
        .join(IntegrationAccount, IntegrationAccount.id == IntegrationSyncRun.integration_account_id)
        .where(IntegrationSyncRun.status == "failed", IntegrationSyncRun.started_at > since, _auth_error())
        .group_by(IntegrationSyncRun.integration_account_id, IntegrationAccount.client_id)
        .having(func.count() >= AUTH_FAILURES)
    )
    return {
        str(account): Trip(
            str(account), f"{count} sync runs refused with 401/403: the credential may be revoked or expired", client
        )
        for account, client, count in rows
    }


def _crm_auth_failures(session: Session, since: datetime, now: datetime) -> dict[str, Trip]:
    count = session.scalar(
        select(func.count())
        .select_from(CrmHandoff)
        .where(
            CrmHandoff.updated_at > since,
            or_(CrmHandoff.last_error.contains("HTTP 401"), CrmHandoff.last_error.contains("HTTP 403")),
        )
    )
    if (count or 0) < AUTH_FAILURES:
        return {}
    return {
        Workflow.CRM_HANDOFF: Trip(
            Workflow.CRM_HANDOFF, f"{count} CRM pushes refused with 401/403: the CRM token may be revoked or expired"
        )
    }


def _quarantine_rate(session: Session, since: datetime, now: datetime) -> dict[str, Trip]:
    quarantined = func.sum(case((WebhookEvent.status == WebhookStatus.QUARANTINED, 1), else_=0))
    rows = session.execute(
        select(WebhookEvent.provider, func.count(), quarantined)
        .where(WebhookEvent.received_at > since)
        .group_by(WebhookEvent.provider)
    )
    return {
        provider: Trip(
            provider,
            f"{bad} of the last {total} {provider} deliveries were quarantined: the "
            "webhook's shape or signature may have changed",
        )
        for provider, total, bad in rows
        if total >= QUARANTINE_MIN_DELIVERIES and (bad or 0) >= QUARANTINE_SHARE * total
    }


def _stale_data(session: Session, since: datetime, now: datetime) -> dict[str, Trip]:
    found: dict[str, Trip] = {}
    for source in session.scalars(
        select(DataSource).where(
            DataSource.status == "active",
            DataSource.integration_account_id.is_not(None),
            DataSource.last_synced_at.is_not(None),
        )
    ):  # never synced: nothing to be stale yet
        assert source.last_synced_at is not None
        stale_from = source.last_synced_at + timedelta(hours=source.freshness_hours)
        if since < stale_from <= now:
            key = str(source.integration_account_id)
            found[key] = Trip(
                key,
                f"{source.label} last synced {source.last_synced_at:%Y-%m-%d %H:%M} UTC, "
                f"past its {source.freshness_hours} h limit",
                source.client_id,
            )
    return found


def _delivery_failures(session: Session, since: datetime, now: datetime) -> dict[str, Trip]:
    rows = session.execute(
        select(Message.client_id, func.count())
        # Only messages to leads: a failed owner alert to staff says nothing of the client's sending.
        .where(Message.status == MessageStatus.FAILED, Message.updated_at > since, Message.internal.is_(False))
        .group_by(Message.client_id)
        .having(func.count() >= DELIVERY_FAILURES)
    )
    return {
        str(client): Trip(
            str(client),
            f"{count} messages failed to deliver: the sending number or the recipients' consent may be in doubt",
            client,
        )
        for client, count in rows
    }


def _complaints(session: Session, since: datetime, now: datetime) -> dict[str, Trip]:
    """One upset lead is the reviewer's to handle (the flag already stops that draft); several
    in a day, and a good share of the client's leads, say something about the client."""
    upset = dict(
        session.execute(
            select(ReviewItem.client_id, func.count(ReviewItem.lead_id.distinct()))
            .join(RiskFlag, RiskFlag.review_item_id == ReviewItem.id)
            .where(RiskFlag.code == FlagCode.COMPLAINT, RiskFlag.created_at > since)
            .group_by(ReviewItem.client_id)
        ).all()
    )
    over = [client for client, count in upset.items() if count >= COMPLAINING_LEADS]
    if not over:
        return {}
    leads = dict(
        session.execute(
            select(ReviewItem.client_id, func.count(ReviewItem.lead_id.distinct()))
            .where(ReviewItem.client_id.in_(over), ReviewItem.created_at > since)
            .group_by(ReviewItem.client_id)
        ).all()
    )
    return {
        str(client): Trip(
            str(client),
            f"{upset[client]} of {leads[client]} leads in the last day complained: "
            "nothing more goes out for this client until someone has looked",
            client,
        )
        for client in over
        if upset[client] >= COMPLAINT_SHARE * leads.get(client, 0)
    }


RULES = (
    Rule(
        "auth_failures",
        PauseScope.INTEGRATION,
        DAY,
        "reconnect the account in its provider's settings",
        "run a sync of the account and see it succeed",
        _auth_failures,
    ),
    Rule(
        "crm_auth_failures",
        PauseScope.WORKFLOW,
        DAY,
        "replace the CRM token in Settings",
        "use Test in Settings → CRM and see it succeed",
        _crm_auth_failures,
    ),
    Rule(
        "quarantine_rate",
        PauseScope.PROVIDER,
        HOUR,
        "fix the webhook or the normalizer, then replay the quarantined deliveries",
        "replay the quarantined deliveries and see them processed",
        _quarantine_rate,
    ),
    Rule(
        "stale_data",
        PauseScope.INTEGRATION,
        None,
        "reconnect or re-run the provider's sync",
        "see the data source's last sync inside its limit",
        _stale_data,
    ),
    Rule(
        "delivery_failures",
        PauseScope.CLIENT,
        DAY,
        "fix the sending number or the template, then retry",
        "send a test message and see it delivered",
        _delivery_failures,
    ),
    Rule(
        "complaint",
        PauseScope.CLIENT,
        DAY,
        "answer the complaint; reject or rewrite the held drafts",
        "confirm with the account manager that the client may be contacted again",
        _complaints,
    ),
)


def check(database: Database, source: str = "desk", on_duty: str = "") -> list[int]:
    """Run every rule; pause what trips. Returns the new pauses' ids."""
    with database.write() as session:
        now = utcnow()
        made: list[int] = []
        for rule, trip in _trips(session, now):
            pause_id = open_pause(
                session,
                PauseRequest(rule.scope, trip.key, trip.reason, rule.rollback, rule.verification),
                f"rule:{rule.trigger}",
                rule.trigger,
                source,
                trip.client_id,
            )
            _task_for_supervisor(session, rule, trip, pause_id, on_duty, now)
            made.append(pause_id)
        return made


def _trips(session: Session, now: datetime) -> Iterator[tuple[Rule, Trip]]:
    """What trips: over a rule's threshold, not paused already (by hand or by a rule), and
    counting only evidence newer than this rule's last pause of the same scope."""
    active = {
        (scope, key)
        for scope, key in session.execute(
            select(AutomationPause.scope, AutomationPause.scope_key).where(AutomationPause.status == ACTIVE)
        )
    }
    for rule in RULES:
        start = now - rule.window if rule.window else EPOCH
        for key, trip in rule.measure(session, start, now).items():
            if (rule.scope, key) in active:
                continue
            last = session.scalar(
                select(func.max(AutomationPause.started_at)).where(
                    AutomationPause.scope == rule.scope,
                    AutomationPause.scope_key == key,
                    AutomationPause.trigger == rule.trigger,
                )
            )
            if last is None:
                yield rule, trip
            elif key in (fresh := rule.measure(session, max(start, last), now)):
                yield rule, fresh[key]
            active.add((rule.scope, key))


def _task_for_supervisor(session: Session, rule: Rule, trip: Trip, pause_id: int, on_duty: str, now: datetime) -> None:
    person, reason = supervisor_on_duty(session, on_duty, now)
    task = OwnerTask(
        client_id=trip.client_id,
        title=f"Automation paused ({rule.trigger}): {rule.scope} {trip.key}"[:200],
        reason=trip.reason[:255],
        priority=1,
        due_at=now + TASK_DUE,
        attempts=0,
        source="auto_pause",
        status=TaskStatus.OPEN,
        recovery=f"verify ({rule.verification}), then resume pause #{pause_id} from the pause board",
    )
    session.add(task)
    session.flush()
    give(session, task, person, reason, actor=f"rule:{rule.trigger}", source="auto_pause", now=now)
