"""One cycle of the desk's automation, the same for ``review-desk worker`` and an open desk.

In order: poll new deliveries, run the AI drafting stage (or release what waits for an AI that
is no longer configured), release approvals whose undo window has passed, expire stale claims,
escalate owner tasks past due, alert the people whose tasks are due in minutes, draft the
old-lead follow-ups, review requests and client report notes that came due, run the auto-pause
rules, push CRM handoffs. Each step is bounded (batches) and resumable: a cycle killed at any point leaves every
row as the next cycle expects it, so a team whose desks are closed at night still sends at 18:00
what was approved at 17:59.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from app.pipeline.poller import PollConfig, PollResult, drain
from app.services import auto_pause
from app.services.cadence import sweep_old_leads
from app.services.claims import release_expired_claims
from app.services.client_reports import create_due_reports
from app.services.drafts import release_without_ai
from app.services.outbound import release_due
from app.services.review_request import ReviewRequestRun, sweep_review_requests
from app.services.sla import alert_due_soon, escalate_breaches
from db.engine import Database

if TYPE_CHECKING:
    from app.ai.stage import StageResult
    from app.crm.sender import SendRun


ESCALATION_ACTOR = "escalation rule"
REPORT_ACTOR = "report schedule"  # who drafts a client's periodic report note, whichever desk ran it


@dataclass
class CycleResult:
    polled: PollResult = field(default_factory=PollResult)
    drafted: StageResult | None = None
    released_without_ai: int = 0
    released: int = 0
    claims_expired: int = 0
    escalated: int = 0
    due_soon: int = 0
    followed_up: int = 0
    review_requests: ReviewRequestRun = field(default_factory=ReviewRequestRun)
    reports: int = 0
    paused: list[int] = field(default_factory=list)
    pushed: SendRun | None = None

    def summary(self) -> str:
        """One line for the worker's output (the polled part is said by the caller)."""
        parts = []
        if self.drafted is not None and self.drafted.changed:
            parts.append(f"{self.drafted.drafted} AI drafts, {self.drafted.fell_back + self.drafted.released} offline")
        if self.released:
            parts.append(f"{self.released} approvals released")
        if self.claims_expired:
            parts.append(f"{self.claims_expired} stale claims expired")
        if self.escalated:
            parts.append(f"{self.escalated} owner tasks past due escalated")
        if self.due_soon:
            parts.append(f"{self.due_soon} owner alerts: tasks due in minutes")
        if self.followed_up:
            parts.append(f"{self.followed_up} old-lead follow-ups drafted")
        if self.review_requests.drafted:
            parts.append(f"{self.review_requests.drafted} review requests drafted")
        if self.review_requests.paused:
            parts.append(f"{self.review_requests.paused} review requests paused by a complaint")
        if self.reports:
            parts.append(f"{self.reports} client report notes drafted")
        if self.pushed is not None and self.pushed.claimed:
            parts.append(
                f"CRM: {self.pushed.delivered} pushed, {self.pushed.retrying} to retry, {self.pushed.failed} failed"
            )
        if self.paused:
            parts.append(f"auto-paused: {len(self.paused)} scope(s), see the pause board")
        return "; ".join(parts)


def run_cycle(
    database: Database,
    poll: PollConfig,
    *,
    actor: str,
    source: str,
    drafting: Callable[[], StageResult | None] | None = None,
    push: Callable[[], SendRun] | None = None,
    on_duty: str = "",
    rules: bool = True,
    max_batches: int | None = None,
) -> CycleResult:
    """One cycle; ``actor`` and ``source`` are who releases approvals ("worker", "desk").

    ``drafting``: the AI drafting step (None: AI is off, and what waits for it joins the queue
    now); ``push``: the CRM sender's step (None: no CRM, or the desk pushes on its I/O lane);
    ``rules``: run the auto-pause rules this time; ``max_batches``: poll at most this many
    batches (the desk polls one, so a reviewer's action never waits long behind a poll)."""
    result = CycleResult(polled=drain(database, poll, max_batches))
    if drafting is not None:
        result.drafted = drafting()
    else:
        result.released_without_ai = release_without_ai(database, source)
    result.released = release_due(database, actor, source)
    result.claims_expired = release_expired_claims(database)
    # The rule escalates, not the person whose desk ran the cycle (``source`` says which ran it).
    result.escalated = escalate_breaches(database, actor=ESCALATION_ACTOR, source=source, on_duty=on_duty)
    result.due_soon = alert_due_soon(database, actor=ESCALATION_ACTOR, source=source)
    result.followed_up = sweep_old_leads(database, actor=actor, source=source)
    result.review_requests = sweep_review_requests(database, actor=actor, source=source)
    result.reports = create_due_reports(database, actor=REPORT_ACTOR, source=source)
    if rules:
        result.paused = auto_pause.check(database, source, on_duty)
    if push is not None:
        result.pushed = push()
    return result
