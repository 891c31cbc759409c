"""Five weeks of history for the demo, so its Reports view has something to judge.

The weeks before the current one hold what a small agency's desk would have recorded: leads per
source with their first responses, review items decided (approved as drafted, lightly edited,
rewritten, rejected with a reason; some escalated and decided by the supervisor), drafts from
two prompt versions, owner tasks done on time and late, CRM handoffs pushed and failed, messages
sent, a few blocked, a pause that held some, a few quarantined deliveries, and weekly metric
snapshots from Search Console and QuickBooks. Each lane tells one story against its week one:

* missed-call text-back gets better every week (the readout: keep),
* new-lead follow-up stays where it was (narrow),
* quote follow-up gets worse (needs attention).

The stories are quotas, not dice: each week's mix of decisions and its share decided within the
SLA are exact, and the turnarounds evenly spread, so the readouts are the same on every run;
the dice only pick names, times of day and which item gets which outcome.

Plain bulk inserts with consistent timestamps (a few hundred rows per table), written once.
Nothing is left in the open queue, nothing is due from the cycle later (no lead is due an
old-lead follow-up or a review request), and the audit rows are inserts only, as the log's
trigger requires. Phone numbers use area codes the live demo deliveries do not, in the 555-01xx
range reserved for fiction.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from dataclasses import astuple, dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Table, func, insert, select, update
from sqlalchemy.orm import Session

from app.demo import DEMO_CLIENTS, DEMO_CRM_CLIENT, DEMO_USERS, ensure_demo_catalog
from db.models import (
    AuditEntry,
    AutomationPause,
    Client,
    CrmHandoff,
    DataSource,
    Draft,
    Event,
    IntegrationAccount,
    Lead,
    Message,
    MessageTemplate,
    MetricSnapshot,
    OwnerTask,
    ReviewItem,
    RiskFlag,
    User,
    WebhookEvent,
)
from db.types import utcnow
from db.vocab import (
    EditClass,
    EventType,
    HandoffStatus,
    ItemKind,
    ItemStatus,
    LeadStage,
    MessageStatus,
    PauseScope,
    Role,
    TaskStatus,
    WebhookStatus,
    Workflow,
)

WEEKS = 5
WEEK = timedelta(days=7)
UNDO = timedelta(seconds=10)
SEED = 18
STOP = "Reply STOP to opt out."
ACTOR = "demo"
# People who worked the queue in those weeks besides the demo's own two.
HISTORY_REVIEWERS = (("ana.ortiz", "Ana Ortiz"), ("ben.walsh", "Ben Walsh"))
_AREAS = ("773", "872", "630", "708", "847", "331", "815", "779")
_FIRST = ("Alma", "Jonah", "Ivy", "Marcus", "Nora", "Felix", "Ruby", "Theo", "Clara", "Hugo", "Zara", "Owen", "Lila")
_LAST = ("Reyes", "Pike", "Chen", "Bell", "Quinn", "Ortega", "Stone", "Grant", "Vance", "Lind", "Malik", "Hart", "Ward")
_REJECTS = ("inaccurate", "tone", "not_client_safe", "duplicate", "spam")
_REJECT_NOTES = {
    "inaccurate": "Says we can come today; the client has no slot until Thursday.",
    "tone": "Too pushy for a first message.",
    "not_client_safe": "Mentions the other quote the lead got.",
    "duplicate": "Same caller as the item before, already answered.",
    "spam": "Robocall, not a lead.",
}
_SERVICES = {
    "northside-plumbing": ("Water heater repair", "Drain cleaning", "Leak detection"),
    "brightline-hvac": ("Furnace repair", "AC installation", "Heat pump service"),
    "cedar-roofing": ("Roof inspection", "Gutter repair", "Storm damage repair"),
}


@dataclass(frozen=True)
class Mix:
    """One week of a lane: the shares approved as drafted, lightly edited, rewritten (the rest
    rejected), and the share decided within the SLA."""

    as_is: float
    light: float
    rewrite: float
    on_time: float


@dataclass(frozen=True)
class Story:
    workflow: str
    kind: ItemKind
    providers: tuple[str, ...]
    per_week: int
    sla: timedelta
    first: Mix
    last: Mix
    clients: tuple[str, ...] = ()  # empty: every demo client

    def mix(self, week: int) -> Mix:
        """Week one's mix moving in a straight line to the last week's."""
        t = week / (WEEKS - 1)
        a, b = self.first, self.last
        return Mix(*(x + (y - x) * t for x, y in zip(astuple(a), astuple(b), strict=True)))


STORIES = (
    Story(
        Workflow.MISSED_CALL_TEXTBACK,
        ItemKind.MESSAGE,
        ("callrail",),
        36,
        timedelta(minutes=15),
        Mix(0.45, 0.20, 0.15, 0.62),
        Mix(0.75, 0.15, 0.05, 0.92),
    ),
    Story(
        Workflow.NEW_LEAD_FOLLOW_UP,
        ItemKind.MESSAGE,
        ("web_form", "thumbtack", "angi"),
        40,
        timedelta(minutes=60),
        Mix(0.60, 0.20, 0.10, 0.85),
        Mix(0.60, 0.20, 0.10, 0.85),
    ),
    Story(
        Workflow.QUOTE_FOLLOW_UP,
        ItemKind.MESSAGE,
        ("web_form",),
        28,
        timedelta(minutes=120),
        Mix(0.65, 0.20, 0.05, 0.90),
        Mix(0.40, 0.20, 0.15, 0.64),
    ),
    Story(
        Workflow.CRM_HANDOFF,
        ItemKind.CRM_HANDOFF,
        ("web_form",),
        12,
        timedelta(minutes=60),
        Mix(0.70, 0.20, 0.05, 0.85),
        Mix(0.70, 0.20, 0.05, 0.85),
        (DEMO_CRM_CLIENT,),
    ),
)


def write_weeks_of_history(session: Session, now: datetime | None = None) -> int:
    """The weeks before the current one (Monday 00:00 UTC), once; returns how many review
    items were written (0 when the history is there already)."""
    if session.scalar(select(func.count()).select_from(Lead).where(Lead.phone == _phone(0))):
        return 0
    now = now or utcnow()
    this_monday = (now - timedelta(days=now.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    return _History(session, this_monday - WEEKS * WEEK, now).write()


def _phone(n: int) -> str:
    return f"+1{_AREAS[n // 100 % len(_AREAS)]}5550{100 + n % 100}"


def _insert(session: Session, model: type[Any], rows: Sequence[dict[str, Any]]) -> list[int]:
    """Insert ``rows`` and return their ids, in order."""
    if not rows:
        return []
    table: Table = model.__table__
    return list(session.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), rows).scalars())


def _tracked(at: datetime, source: str, status: str, owner: str = ACTOR, recovery: str = "") -> dict[str, Any]:
    return {
        "created_at": at,
        "updated_at": at,
        "owner": owner,
        "source": source,
        "status": status,
        "recovery": recovery,
    }


@dataclass
class _Item:
    """One lead and the item about it, as the history decides them before writing."""

    story: Story
    client: str
    provider: str
    arrived: datetime
    decided: datetime
    outcome: str  # as_is | light | rewrite | rejected
    decider: str
    escalated_by: str | None
    prompt: tuple[str, str | None, str | None]  # drafter, model, prompt version
    name: str
    phone: str
    service: str
    flag: tuple[str, int] | None
    blocked: bool = False
    held: bool = False
    left: datetime | None = None  # when the approval left the desk (None: rejected or blocked)
    task_done: datetime | None = None  # a missed call's owner task, done then

    @property
    def responded(self) -> datetime | None:
        """The lead's first response: the message sent, or the call back if it came first."""
        moments = [m for m in (self.left if self.story.kind is ItemKind.MESSAGE else None, self.task_done) if m]
        return min(moments, default=None)


class _History:
    def __init__(self, session: Session, start: datetime, now: datetime) -> None:
        self.session, self.start, self.now = session, start, now
        self.rng = random.Random(SEED)
        self.clients = ensure_demo_catalog(session)
        # Clients with weeks of work behind them are reported monthly, from the history's start:
        # last month's report note arrives through review on the first cycle.
        session.execute(
            update(Client).where(Client.id.in_(self.clients.values())).values(report_period="monthly", created_at=start)
        )
        self.users = self._users()
        self.templates = {
            (workflow, channel): template_id
            for template_id, workflow, channel in session.execute(
                select(MessageTemplate.id, MessageTemplate.workflow, MessageTemplate.channel).where(
                    MessageTemplate.client_id.is_(None)
                )
            )
        }
        self.audit: list[dict[str, Any]] = []

    def _users(self) -> dict[str, int]:
        for login, display in HISTORY_REVIEWERS:
            if self.session.scalar(select(User.id).where(User.login == login)) is None:
                self.session.add(User(login=login, display_name=display, role=Role.REVIEWER, created_at=self.start))
        self.session.flush()
        logins = [u[0] for u in DEMO_USERS] + [r[0] for r in HISTORY_REVIEWERS]
        return {
            login: user_id
            for login, user_id in self.session.execute(select(User.login, User.id).where(User.login.in_(logins)))
        }

    # --- planning ---------------------------------------------------------------------------

    def plan(self) -> list[_Item]:
        reviewers = [DEMO_USERS[0][0], *(r[0] for r in HISTORY_REVIEWERS)]
        supervisor = DEMO_USERS[1][0]
        items: list[_Item] = []
        for story in STORIES:
            clients = story.clients or tuple(self.clients)
            # A quiet Sunday before week one: the lane's first activity, so week one is a full week.
            lead_in = [(self.start - timedelta(hours=8), "as_is", True)]
            for week in range(WEEKS):
                lead_in += self._week(story, week)
            for n, (arrived, outcome, on_time) in enumerate(lead_in):
                share = 0.25 + 0.6 * self.rng.random() if on_time else 1.2 + 1.8 * self.rng.random()
                decided = arrived + story.sla * share
                escalated = outcome != "as_is" and self.rng.random() < 0.12
                week = max(0, (arrived - self.start) // WEEK)
                items.append(
                    _Item(
                        story=story,
                        client=clients[n % len(clients)],
                        provider=story.providers[n % len(story.providers)],
                        arrived=arrived,
                        decided=decided,
                        outcome=outcome,
                        decider=supervisor if escalated else reviewers[n % len(reviewers)],
                        escalated_by=reviewers[(n + 1) % len(reviewers)] if escalated else None,
                        prompt=self._prompt(week),
                        name=f"{self.rng.choice(_FIRST)} {self.rng.choice(_LAST)}",
                        phone="",
                        service="",
                        flag=self.rng.choice((None, None, None, None, ("low_confidence", 1), ("pricing_promise", 3))),
                        blocked=story.workflow == Workflow.QUOTE_FOLLOW_UP and outcome != "rejected" and n % 23 == 5,
                    )
                )
        items.sort(key=lambda i: i.arrived)
        pause = self.pause_window()
        for n, item in enumerate(items):
            item.phone = _phone(n)
            item.service = _SERVICES.get(item.client, ("Service call",))[n % 3]
            if item.outcome != "rejected" and not item.blocked:
                item.held = item.story.workflow == pause[0] and pause[1] <= item.decided < pause[2]
                item.left = pause[2] if item.held else item.decided + UNDO
            if item.provider == "callrail":  # its owner task: on time more often week by week
                late = n % 10 < 4 - 0.8 * self.week_of(item)
                item.task_done = item.arrived + timedelta(minutes=40 if late else 6 + n % 8)
        return items

    def week_of(self, item: _Item) -> int:
        return max(0, (item.arrived - self.start) // WEEK)

    def pause_window(self) -> tuple[str, datetime, datetime]:
        """Week four's Tuesday afternoon: quote follow-ups paused for a template fix."""
        begins = self.start + 3 * WEEK + timedelta(days=1, hours=12)
        return Workflow.QUOTE_FOLLOW_UP, begins, begins + timedelta(hours=6)

    def _week(self, story: Story, week: int) -> list[tuple[datetime, str, bool]]:
        """The week's items: arrival times in working hours, the exact mix of outcomes and of
        decisions within the SLA, shuffled."""
        mix, count = story.mix(week), story.per_week
        outcomes = (
            ["as_is"] * round(count * mix.as_is)
            + ["light"] * round(count * mix.light)
            + ["rewrite"] * round(count * mix.rewrite)
        )
        outcomes += ["rejected"] * (count - len(outcomes))
        on_time = [n < round(count * mix.on_time) for n in range(count)]
        self.rng.shuffle(outcomes)
        self.rng.shuffle(on_time)
        monday = self.start + week * WEEK
        arrivals = [
            monday + timedelta(days=n % 6, hours=8 + (n * 7) % 10, minutes=self.rng.randint(0, 59))
            for n in range(count)
        ]
        return list(zip(sorted(arrivals), outcomes, on_time, strict=True))

    def _prompt(self, week: int) -> tuple[str, str | None, str | None]:
        """Weeks one and two drafted with the first prompt, then the second; a few offline."""
        if self.rng.random() < 0.1:
            return "offline-rules", None, None
        return "ai", "gpt-4o-mini", "draft-v1" if week < 2 else "draft-v2"

    # --- writing ----------------------------------------------------------------------------

    def write(self) -> int:
        items = self.plan()
        webhook_ids = self._webhooks(items)
        lead_ids = self._leads(items)
        event_ids = self._events(items, lead_ids, webhook_ids)
        item_ids = self._items(items, lead_ids, event_ids)
        self._drafts_and_flags(items, item_ids)
        self._outbound(items, item_ids, lead_ids)
        self._tasks(items, lead_ids)
        self._decisions(items, item_ids, lead_ids)
        self._pause(items, item_ids)
        self._quarantined()
        self._snapshots()
        self.session.execute(insert(AuditEntry.__table__), sorted(self.audit, key=lambda row: row["at"]))
        self.session.flush()
        return len(items)

    def _record(self, at: datetime, actor: str, action: str, entity: str, entity_id: int | None, **more: Any) -> None:
        detail = more.pop("detail", {})
        self.audit.append(
            {
                "at": at,
                "actor": actor,
                "source": more.pop("source", "desk"),
                "action": action,
                "outcome": more.pop("outcome", "ok"),
                "recovery": "",
                "entity": entity,
                "entity_id": entity_id,
                "review_item_id": more.pop("review_item_id", None),
                "lead_id": more.pop("lead_id", None),
                "client_id": more.pop("client_id", None),
                "detail": detail,
            }
        )

    def _webhooks(self, items: list[_Item]) -> list[int]:
        rows = []
        for item in items:
            received = item.arrived - timedelta(seconds=4)
            body = {"name": item.name, "phone": item.phone, "service": item.service, "at": received.isoformat()}
            rows.append(
                {
                    "provider": item.provider,
                    "client_id": self.clients[item.client],
                    "integration_account_id": None,
                    "received_at": received,
                    "content_type": "application/json",
                    "headers": {"User-Agent": "demo-history"},
                    "body": json.dumps(body).encode(),
                    "attempts": 1,
                    "processed_at": item.arrived,
                    "event_count": 1,
                    "error": None,
                    **_tracked(received, item.provider, WebhookStatus.PROCESSED, "intake", "replay: set status to new"),
                }
            )
        return _insert(self.session, WebhookEvent, rows)

    def _stage(self, item: _Item, n: int) -> dict[str, Any]:
        """Where the lead stands now: rejected spam is lost, approved ones were contacted and
        some went on; leads still open are not due a follow-up before the demo ends."""
        if item.outcome == "rejected" or item.blocked:
            return {"stage": LeadStage.LOST, "lost_reason": "spam_or_invalid" if n % 2 else "no_response"}
        stage = (LeadStage.WON, LeadStage.BOOKED, LeadStage.QUALIFIED, LeadStage.CONTACTED, LeadStage.LOST)[n % 5]
        if item.story.kind is ItemKind.CRM_HANDOFF and stage == LeadStage.CONTACTED:
            stage = LeadStage.QUALIFIED
        return {"stage": stage, "lost_reason": "price" if stage == LeadStage.LOST else None}

    def _leads(self, items: list[_Item]) -> list[int]:
        """The leads, and the ``lead.qualified`` event of those that went on to qualified or
        further (a lost one lost on price after its quote)."""
        rows, qualified = [], []
        for n, item in enumerate(items):
            stage = self._stage(item, n)
            went_on = stage["stage"] in (LeadStage.QUALIFIED, LeadStage.BOOKED, LeadStage.WON) or (
                stage["lost_reason"] == "price"
            )
            qualified.append(item.decided + timedelta(days=1) if went_on else None)
            last = item.decided + timedelta(days=2) if stage["stage"] != LeadStage.CONTACTED else item.decided
            rows.append(
                {
                    "client_id": self.clients[item.client],
                    "name": item.name,
                    "phone": item.phone,
                    "email": None,
                    "service": item.service,
                    "urgency": "high" if item.story.workflow == Workflow.MISSED_CALL_TEXTBACK else "normal",
                    "consent": "denied" if item.blocked else "granted",
                    "attribution": {"source": item.provider},
                    "opted_out": item.blocked,
                    "opted_out_at": item.arrived + timedelta(minutes=1) if item.blocked else None,
                    "duplicate_of_id": None,
                    "first_seen_at": item.arrived,
                    "last_event_at": last,
                    "first_response_at": item.responded,
                    "outcome": stage["stage"] if stage["stage"] in (LeadStage.WON, LeadStage.LOST) else None,
                    "lost_reason": stage["lost_reason"],
                    "next_action": "",
                    "stage": stage["stage"],
                    "next_action_due_at": None,
                    # Checked by the cadence already: its next look is one window from now.
                    "follow_up_check_at": self.now + timedelta(days=30),
                    "won_at": last if stage["stage"] == LeadStage.WON else None,
                    **_tracked(item.arrived, item.provider, "qualified" if went_on else "new", "pipeline"),
                }
            )
        ids = _insert(self.session, Lead, rows)
        events = [
            {
                "type": EventType.LEAD_QUALIFIED,
                "idempotency_key": f"lead.qualified:lead:{lead_id}",
                "webhook_event_id": None,
                "client_id": row["client_id"],
                "lead_id": lead_id,
                "provider": "review_desk",
                "occurred_at": at,
                "created_at": at,
                "data": {
                    "qualified_by": item.decider,
                    "score": 80,
                    "reasons": ["asked for a visit"],
                    "next_action": "",
                },
            }
            for lead_id, row, at, item in zip(ids, rows, qualified, items, strict=True)
            if at is not None
        ]
        _insert(self.session, Event, events)
        return ids

    def _events(self, items: list[_Item], lead_ids: list[int], webhook_ids: list[int]) -> list[int]:
        rows = [
            {
                "type": EventType.CALL_MISSED if item.provider == "callrail" else EventType.LEAD_CREATED,
                "idempotency_key": f"demo-history:{webhook_id}",
                "webhook_event_id": webhook_id,
                "client_id": self.clients[item.client],
                "lead_id": lead_id,
                "provider": item.provider,
                "occurred_at": item.arrived,
                "created_at": item.arrived,
                "data": {"service": item.service, "source": item.provider},
            }
            for item, lead_id, webhook_id in zip(items, lead_ids, webhook_ids, strict=True)
        ]
        return _insert(self.session, Event, rows)

    def _items(self, items: list[_Item], lead_ids: list[int], event_ids: list[int]) -> list[int]:
        rows = []
        for item, lead_id, event_id in zip(items, lead_ids, event_ids, strict=True):
            rows.append(
                {
                    "kind": item.story.kind,
                    "client_id": self.clients[item.client],
                    "lead_id": lead_id,
                    "event_id": event_id,
                    "workflow": item.story.workflow,
                    "provider": item.provider,
                    "priority": 1 if item.story.workflow == Workflow.MISSED_CALL_TEXTBACK else 3,
                    "arrived_at": item.arrived,
                    "sla_due_at": item.arrived + item.story.sla,
                    "lead_label": item.name,
                    "top_severity": item.flag[1] if item.flag else 0,
                    "flag_codes": item.flag[0] if item.flag else "",
                    "version": 3 if item.escalated_by else 2,
                    "claimed_by_id": None,
                    "assignee_id": None,
                    "lease_expires_at": None,
                    "final_text": None if item.outcome == "rejected" else self._final(item),
                    "edit_class": _EDIT_CLASS.get(item.outcome),
                    "decided_by_id": self.users[item.decider],
                    "decided_at": item.decided,
                    "reject_reason": _reason(item) if item.outcome == "rejected" else None,
                    "reject_note": _REJECT_NOTES[_reason(item)] if item.outcome == "rejected" else None,
                    "hold_reason": "not sent: the contact opted out" if item.blocked else None,
                    "release_at": item.left,
                    **_tracked(item.arrived, item.provider, self._status(item), item.decider),
                }
            )
        return _insert(self.session, ReviewItem, rows)

    @staticmethod
    def _status(item: _Item) -> str:
        if item.outcome == "rejected":
            return ItemStatus.REJECTED
        if item.blocked:
            return ItemStatus.FAILED
        if item.story.kind is ItemKind.CRM_HANDOFF:
            return ItemStatus.FAILED if _push_fails(item) else ItemStatus.PUSHED
        return ItemStatus.QUEUED

    def _draft(self, item: _Item) -> str:
        first = item.name.split()[0]
        client = DEMO_CLIENTS[item.client][0]
        if item.story.workflow == Workflow.MISSED_CALL_TEXTBACK:
            return f"Hi {first}, sorry we missed your call to {client}. We'll call you back shortly. {STOP}"
        if item.story.kind is ItemKind.CRM_HANDOFF:
            return f"{item.name} asked for a quote for {item.service.lower()}; wants a visit this week."
        return (
            f"Hi {first}, thanks for contacting {client} about {item.service.lower()}. "
            f"When is a good time for a quick call? {STOP}"
        )

    def _final(self, item: _Item) -> str:
        drafted = self._draft(item)
        if item.outcome == "light":
            return f"{drafted} Mornings suit them best."
        if item.outcome == "rewrite":
            return f"Hello {item.name.split()[0]}, this is the office. Could we call you tomorrow morning? {STOP}"
        return drafted

    def _drafts_and_flags(self, items: list[_Item], item_ids: list[int]) -> None:
        rows = []
        for item, item_id in zip(items, item_ids, strict=True):
            drafter, model, prompt = item.prompt
            channel = "sms" if item.story.kind is ItemKind.MESSAGE else None
            template = self.templates.get((item.story.workflow, channel)) if channel else None
            rows.append(
                {
                    "review_item_id": item_id,
                    "version_no": 1,
                    "drafter": drafter,
                    "internal_summary": f"{item.provider} lead: {item.name}, {item.service}.",
                    "client_text": self._draft(item),
                    "next_action": "call back" if item.provider == "callrail" else "",
                    "confidence": 0.55 if item.flag and item.flag[0] == "low_confidence" else 0.86,
                    "model": model,
                    "prompt_version": prompt,
                    "latency_ms": 1400 if model else None,
                    "tokens_in": 900 if model else None,
                    "tokens_out": 120 if model else None,
                    "input_hash": "",
                    "instruction": None,
                    "grounding": {"template_id": template, "snippet_ids": []},
                    **_tracked(item.arrived, drafter, "current", "pipeline", "regenerate from the desk"),
                }
            )
        draft_ids = _insert(self.session, Draft, rows)
        flags = [
            {
                "review_item_id": item_id,
                "draft_id": draft_id,
                "code": item.flag[0],
                "severity": item.flag[1],
                "reason": "The draft states a price." if item.flag[1] == 3 else "The drafter was not sure.",
                "evidence": "",
                "field": "client_text",
                "span_start": None,
                "span_end": None,
                **_tracked(item.arrived, "rule", "open", "pipeline"),
            }
            for item, item_id, draft_id in zip(items, item_ids, draft_ids, strict=True)
            if item.flag
        ]
        _insert(self.session, RiskFlag, flags)

    def _outbound(self, items: list[_Item], item_ids: list[int], lead_ids: list[int]) -> None:
        """What the approvals left behind: a message sent, or a CRM push (some failed)."""
        crm_account = self.session.scalar(
            select(IntegrationAccount.id).where(
                IntegrationAccount.client_id == self.clients[DEMO_CRM_CLIENT], IntegrationAccount.provider == "hubspot"
            )
        )
        messages, handoffs = [], []
        for item, item_id, lead_id in zip(items, item_ids, lead_ids, strict=True):
            if item.left is None:
                continue
            on = _on(item_id, lead_id, self.clients[item.client])
            row = {"review_item_id": item_id, "lead_id": lead_id, "client_id": on["client_id"]}
            if item.story.kind is ItemKind.MESSAGE:
                messages.append((item, on, row | self._message(item, item_id)))
            else:
                handoffs.append((item, on, row | self._handoff(item, item_id, crm_account)))
        message_ids = _insert(self.session, Message, [row for _, _, row in messages])
        for (item, on, _), message_id in zip(messages, message_ids, strict=True):
            self._record(item.left, item.decider, "message.queued", "message", message_id, **on)
        handoff_ids = _insert(self.session, CrmHandoff, [row for _, _, row in handoffs])
        for (item, on, row), handoff_id in zip(handoffs, handoff_ids, strict=True):
            self._record(item.left, item.decider, "crm_handoff.queued", "crm_handoff", handoff_id, **on)
            failed = row["status"] == HandoffStatus.FAILED
            self._record(
                row["pushed_at"] or item.left + timedelta(minutes=30),
                "worker",
                "crm_handoff.failed" if failed else "crm_handoff.pushed",
                "crm_handoff",
                handoff_id,
                source="worker",
                outcome="failed" if failed else "ok",
                **on,
            )

    def _message(self, item: _Item, item_id: int) -> dict[str, Any]:
        assert item.left is not None
        return {
            "template_id": self.templates.get((item.story.workflow, "sms")),
            "template_version": 1,
            "idempotency_key": f"review_item:{item_id}",
            "channel": "sms",
            "recipient": item.phone,
            "body": self._final(item),
            "compliance_note": "verified at approval and at queueing; contact not opted out",
            "queued_at": item.left,
            "sent_at": item.left + timedelta(seconds=40),
            "error": None,
            "internal": False,
            "user_id": None,
            **_tracked(item.left, "review_desk", MessageStatus.SENT, item.decider),
        }

    @staticmethod
    def _handoff(item: _Item, item_id: int, account: int | None) -> dict[str, Any]:
        assert item.left is not None
        fails = _push_fails(item)
        return {
            "integration_account_id": account,
            "adapter": "hubspot",
            "idempotency_key": f"review_item:{item_id}",
            "payload": {"review_desk_id": f"review_item:{item_id}", "deal": {"service": item.service}},
            "attempts": 5 if fails else 1,
            "next_attempt_at": None,
            "last_error": "HubSpot answered 503 Service Unavailable five times" if fails else None,
            "external_id": None if fails else f"demo-deal-{item_id}",
            "pushed_at": None if fails else item.left + timedelta(seconds=5 + item_id * 7 % 40),
            "retry_from": item.left,
            **_tracked(item.left, "review_desk", HandoffStatus.FAILED if fails else HandoffStatus.PUSHED, item.decider),
        }

    def _tasks(self, items: list[_Item], lead_ids: list[int]) -> None:
        """A missed call's owner task, due 15 minutes after the call, done and audited."""
        tasks = [(item, lead_id) for item, lead_id in zip(items, lead_ids, strict=True) if item.task_done]
        rows = []
        for item, lead_id in tasks:
            due = item.arrived + timedelta(minutes=15)
            assert item.task_done is not None
            rows.append(
                {
                    "client_id": self.clients[item.client],
                    "lead_id": lead_id,
                    "event_id": None,
                    "assignee_id": self.users[item.decider],
                    "title": f"Call back {item.name}",
                    "reason": "missed call from a new caller",
                    "priority": 1,
                    "due_at": due,
                    "done_at": item.task_done,
                    "attempts": 1,
                    "assigned_reason": "reviewer on duty",
                    "assigned_at": item.arrived,
                    "escalated_at": due if item.task_done > due else None,
                    **_tracked(item.arrived, "routing", TaskStatus.DONE, item.decider),
                }
            )
        for (item, lead_id), task_id in zip(tasks, _insert(self.session, OwnerTask, rows), strict=True):
            assert item.task_done is not None
            self._record(
                item.task_done,
                item.decider,
                "owner_task.completed",
                "owner_task",
                task_id,
                lead_id=lead_id,
                client_id=self.clients[item.client],
                detail={"outcome": "reached", "note": "", "responded": item.responded == item.task_done},
            )

    def _decisions(self, items: list[_Item], item_ids: list[int], lead_ids: list[int]) -> None:
        for item, item_id, lead_id in zip(items, item_ids, lead_ids, strict=True):
            on = _on(item_id, lead_id, self.clients[item.client])
            entity = {"entity": "review_item", "entity_id": item_id}
            if item.escalated_by:
                at = item.arrived + (item.decided - item.arrived) / 2
                self._record(
                    at,
                    item.escalated_by,
                    "review_item.escalated",
                    **entity,
                    **on,
                    detail={"note": "Not sure about the wording: please check.", "version": 2},
                )
            version = 3 if item.escalated_by else 2
            if item.outcome == "rejected":
                reason = _reason(item)
                detail = {"reason": reason, "note": _REJECT_NOTES[reason], "version": version}
                self._record(item.decided, item.decider, "review_item.rejected", **entity, **on, detail=detail)
                continue
            detail = {
                "edit_class": _EDIT_CLASS[item.outcome],
                "version": version,
                "undo_window_s": UNDO.total_seconds(),
            }
            self._record(item.decided, item.decider, "review_item.approved", **entity, **on, detail=detail)
            if item.blocked:
                self._record(
                    item.decided + UNDO,
                    item.decider,
                    "message.blocked",
                    **entity,
                    **on,
                    outcome="refused",
                    detail={"reason": "the contact opted out"},
                )

    def _pause(self, items: list[_Item], item_ids: list[int]) -> None:
        """The pause of ``pause_window``: the approvals made meanwhile were held, audited, and
        left when it was resumed."""
        held = [(item, item_id) for item, item_id in zip(items, item_ids, strict=True) if item.held]
        if not held:
            return
        workflow, started, resumed = self.pause_window()
        supervisor = DEMO_USERS[1][0]
        row = {
            "scope": PauseScope.WORKFLOW,
            "scope_key": workflow,
            "reason": "The quote template promised a visit within a day.",
            "rollback": "Resume once the template is fixed.",
            "verification": "Read the new template's text.",
            "trigger": "manual",
            "started_at": started,
            "planned_resume_at": None,
            "verified_at": resumed,
            "verified_by": supervisor,
            "resumed_at": resumed,
            "resumed_by": supervisor,
            **_tracked(started, "desk", "resumed", supervisor),
        }
        pause_id = _insert(self.session, AutomationPause, [row])[0]
        for item, item_id in held:
            self._record(
                item.decided + UNDO,
                "desk",
                "review_item.held",
                "review_item",
                item_id,
                review_item_id=item_id,
                client_id=self.clients[item.client],
                detail={"pause_id": pause_id},
            )

    def _quarantined(self) -> None:
        rows = []
        for week in range(WEEKS):
            for n, provider in enumerate(("callrail", "web_form", "thumbtack")[: 1 + week % 3]):
                at = self.start + week * WEEK + timedelta(days=2 + n, hours=11)
                rows.append(
                    {
                        "provider": provider,
                        "client_id": None,
                        "integration_account_id": None,
                        "received_at": at,
                        "content_type": "application/json",
                        "headers": {"User-Agent": "demo-history"},
                        "body": b'{"lead": {"name": "',
                        "attempts": 1,
                        "processed_at": at,
                        "event_count": 0,
                        "error": "the body is not valid JSON (it ends mid-value)",
                        **_tracked(at, provider, WebhookStatus.QUARANTINED, "intake", "replay: set status to new"),
                    }
                )
        for webhook_id, row in zip(_insert(self.session, WebhookEvent, rows), rows, strict=True):
            self._record(
                row["received_at"],
                "pipeline",
                "webhook.quarantined",
                "webhook_event",
                webhook_id,
                source="pipeline",
                outcome="failed",
                detail={"reason": row["error"], "provider": row["provider"]},
            )

    def _snapshots(self) -> None:
        """Each client's weekly Search Console and QuickBooks figures, unreviewed until a
        report note that uses them is approved."""
        rows = []
        for number, client_id in enumerate(self.clients.values()):
            sources = self._snapshot_sources(client_id)
            for week in range(WEEKS):
                begins = self.start + week * WEEK
                grow = 1 + 0.06 * week
                for provider, metric, unit, value in (
                    ("search_console", "clicks", "clicks", (180 + 40 * number) * grow),
                    ("search_console", "impressions", "impressions", (5200 + 900 * number) * grow),
                    ("quickbooks", "ad_spend", "USD", 182 + 15 * number + 4 * week),
                    ("quickbooks", "invoiced", "USD", (3900 + 700 * number) * grow),
                ):
                    rows.append(
                        {
                            "client_id": client_id,
                            "data_source_id": sources[provider],
                            "import_batch_id": None,
                            "metric": metric,
                            "value": Decimal(f"{value:.2f}"),
                            "unit": unit,
                            "period_start": begins,
                            "period_end": begins + WEEK,
                            **_tracked(
                                begins + WEEK + timedelta(hours=3),
                                provider,
                                "unreviewed",
                                "pipeline",
                                "review as client-safe proof before use",
                            ),
                        }
                    )
        _insert(self.session, MetricSnapshot, rows)

    def _snapshot_sources(self, client_id: int) -> dict[str, int]:
        """The client's Search Console source, and a QuickBooks one (weekly) added if missing."""
        rows = self.session.execute(
            select(DataSource.provider, DataSource.id).where(
                DataSource.client_id == client_id, DataSource.provider.in_(("search_console", "quickbooks"))
            )
        )
        found = {provider: source_id for provider, source_id in rows}
        if "quickbooks" not in found:
            self.session.add(
                source := DataSource(
                    client_id=client_id,
                    provider="quickbooks",
                    kind="accounting",
                    label="QuickBooks Online",
                    freshness_hours=24 * 8,
                    last_synced_at=self.start + WEEKS * WEEK + timedelta(hours=3),
                    created_at=self.start,
                )
            )
            self.session.flush()
            found["quickbooks"] = source.id
        return found


_EDIT_CLASS = {"as_is": EditClass.UNCHANGED, "light": EditClass.LIGHT_EDIT, "rewrite": EditClass.REWRITE}


def _reason(item: _Item) -> str:
    # By the minute of arrival: arrivals fall on whole minutes, so the seconds would give one reason.
    return _REJECTS[int(item.arrived.timestamp()) // 60 % len(_REJECTS)]


def _push_fails(item: _Item) -> bool:
    return item.arrived.day % 6 == 0


def _on(item_id: int, lead_id: int, client_id: int) -> dict[str, int]:
    return {"review_item_id": item_id, "lead_id": lead_id, "client_id": client_id}
