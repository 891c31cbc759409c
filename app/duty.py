"""Who a new owner task goes to: the duty roster, and the choice with its reason in words.

In order: the client's owner if on duty; else the reviewer on duty with the fewest open tasks
(ties: who was assigned least recently, then login), so a day's tasks spread evenly; else the
supervisor on duty; else nobody, and the task says so. The pipeline, the auto-pause rules,
reassignment and escalation all write an assignment through ``give``: the task's fields, its
audit entry and the person's alert, in the caller's transaction.

The on-duty users' rows are locked (in id order) before their open tasks are counted, so two
workers assigning at once take turns and never both pick the same "fewest" person.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import audit, owner_alerts
from db.models import ClientOwner, DutyShift, OwnerTask, User
from db.vocab import AlertKind, Role, TaskStatus

NOBODY = "nobody on duty"
UNASSIGNED = "unassigned"
_NEVER = datetime.min.replace(tzinfo=UTC)


@dataclass
class OnDuty:
    id: int
    login: str
    role: str
    open_work: int  # open tasks, or open items: what the roster counts
    last_assigned_at: datetime

    @property
    def order(self) -> tuple[int, datetime, str]:
        return self.open_work, self.last_assigned_at, self.login


Loads = tuple[dict[int, int], dict[int, datetime]]


@dataclass(frozen=True)
class Workload:
    """What "fewest" counts: ``read`` gives each person's open count and when they were last
    given one (absent: never); ``noun`` names it in the reason."""

    read: Callable[[Session, list[int]], Loads]
    noun: str


def _open_tasks(session: Session, ids: list[int]) -> Loads:
    """Each person's open tasks, and when they were last given one."""
    counts = dict(
        session.execute(
            select(OwnerTask.assignee_id, func.count())
            .where(OwnerTask.assignee_id.in_(ids), OwnerTask.status == TaskStatus.OPEN)
            .group_by(OwnerTask.assignee_id)
        ).all()
    )
    last = dict(
        session.execute(
            select(OwnerTask.assignee_id, func.max(OwnerTask.assigned_at))
            .where(OwnerTask.assignee_id.in_(ids))
            .group_by(OwnerTask.assignee_id)
        ).all()
    )
    return counts, last


TASKS = Workload(_open_tasks, "open tasks")


class Roster:
    """The people on duty at ``now`` with their open work (``workload``: owner tasks unless
    told otherwise), kept current as work is given out, so one batch of many tasks spreads
    them as evenly as one task at a time would."""

    def __init__(self, session: Session, now: datetime, workload: Workload = TASKS) -> None:
        self.now = now
        self.noun = workload.noun
        on_duty = session.scalars(
            select(User.id)
            .join(DutyShift, DutyShift.user_id == User.id)
            .where(User.active.is_(True), DutyShift.starts_at <= now, DutyShift.ends_at > now)
            .distinct()
        ).all()
        ids = sorted(on_duty)
        self._session = session
        self._client_users: dict[int, ClientOwner | None] = {}
        self.people: dict[int, OnDuty] = {}
        if not ids:
            return
        users = session.execute(
            select(User.id, User.login, User.role).where(User.id.in_(ids)).order_by(User.id).with_for_update()
        ).all()
        counts, last = workload.read(session, ids)
        self.people = {
            u.id: OnDuty(u.id, u.login, u.role, counts.get(u.id, 0), last.get(u.id) or _NEVER) for u in users
        }

    def _least_busy(self, roles: Iterable[str]) -> OnDuty | None:
        wanted = set(roles)
        candidates = [p for p in self.people.values() if p.role in wanted]
        return min(candidates, key=lambda p: p.order) if candidates else None

    def supervisor(self) -> OnDuty | None:
        return self._least_busy((Role.SUPERVISOR, Role.ADMIN))

    def client_user(self, client_id: int | None, column: str) -> int | None:
        """The client's ``owner_id`` or ``escalation_contact_id``, read once per client."""
        if client_id is None:
            return None
        if client_id not in self._client_users:
            self._client_users[client_id] = self._session.get(ClientOwner, client_id)
        row = self._client_users[client_id]
        return getattr(row, column) if row is not None else None

    def choose(self, client_id: int | None) -> tuple[OnDuty | None, str]:
        owner = self.people.get(self.client_user(client_id, "owner_id") or 0)
        if owner is not None:
            return owner, "client owner on duty"
        reviewer = self._least_busy((Role.REVIEWER,))
        if reviewer is not None:
            count = sum(1 for p in self.people.values() if p.role == Role.REVIEWER)
            return reviewer, f"fewest {self.noun} among {count} reviewer{'s' if count != 1 else ''} on duty"
        supervisor = self.supervisor()
        if supervisor is not None:
            return supervisor, "supervisor on duty (no reviewer on duty)"
        return None, NOBODY

    def took(self, person: OnDuty | None) -> None:
        if person is not None:
            person.open_work += 1
            person.last_assigned_at = self.now


def give(
    session: Session,
    task: OwnerTask,
    person: OnDuty | User | None,
    reason: str,
    *,
    actor: str,
    source: str,
    now: datetime,
    alert: AlertKind = AlertKind.ASSIGNED,
    action: str = "owner_task.assigned",
) -> None:
    """Give ``task`` to ``person`` (None: to nobody) for ``reason``: the task, its audit entry
    and the person's alert. The task must have its id (flushed)."""
    previous = task.assignee_id
    task.assignee_id = person.id if person is not None else None
    task.owner = person.login if person is not None else UNASSIGNED
    task.assigned_reason = reason[:255]
    task.assigned_at = now
    audit.record(
        session,
        actor=actor,
        source=source,
        action=action,
        entity="owner_task",
        entity_id=task.id,
        lead_id=task.lead_id,
        client_id=task.client_id,
        recovery="a supervisor can reassign it",
        detail={"to": person.login if person is not None else None, "from_user_id": previous, "reason": reason},
    )
    if person is not None:
        user = person if isinstance(person, User) else session.get(User, person.id)
        owner_alerts.alert(session, task, user, alert, f"{task.title} ({reason})", now=now, actor=actor, source=source)


def assign_new(session: Session, tasks: Sequence[OwnerTask], *, actor: str, source: str, now: datetime) -> None:
    """Assign new tasks by the roster, one after another, in the caller's transaction."""
    if not tasks:
        return
    roster = Roster(session, now)
    for task in tasks:
        person, reason = roster.choose(task.client_id)
        give(session, task, person, reason, actor=actor, source=source, now=now)
        roster.took(person)


def supervisor_on_duty(
    session: Session, login: str, now: datetime, roster: Roster | None = None
) -> tuple[User | OnDuty | None, str]:
    """Whom a pause's task goes to, and why: the named supervisor (Settings → supervisor on
    duty) when set and active; else the supervisor on the duty roster; else the first active
    supervisor by login, then the first admin (a pause must reach someone even off the roster)."""
    if login:
        named = session.scalar(select(User).where(User.login == login, User.active.is_(True)))
        if named is not None:
            return named, "supervisor on duty (named in settings)"
    rostered = (roster or Roster(session, now)).supervisor()
    if rostered is not None:
        return rostered, "supervisor on duty"
    for role in (Role.SUPERVISOR, Role.ADMIN):
        found = session.scalar(select(User).where(User.role == role, User.active.is_(True)).order_by(User.login))
        if found is not None:
            return found, f"first {role} (nobody on the duty roster)"
    return None, NOBODY
