"""What left the desk: CRM pushes, messages queued, and messages blocked.

CRM handoffs (``crm_push_success_rate``, ``crm_push_latency_median``): the ``crm_handoffs``
rows whose outcome fell in [start, end), as they stand now: pushed (``pushed_at`` in the
period) or failed for good (status failed, ``updated_at`` in the period: the sender's give-up
is the row's last change until a person retries it). Rows still pending, sending or retrying
have no outcome yet; a failed row retried and then pushed counts once, as pushed. Two range
scans (``ix_crm_handoffs_status_pushed_at``, ``ix_crm_handoffs_status_updated_at``).

* ``crm_push_success_rate``: pushed / (pushed + failed).
* ``crm_push_latency_median`` (seconds): ``pushed_at - retry_from`` over the pushed rows
  (``retry_from`` is when the approval released it, or a person's retry started a new window;
  ``created_at`` when unset); nearest rank.

``messages_queued``: ``messages`` with ``queued_at`` in the period that are not internal
(owner alerts to staff are not messages to leads). Range scan of ``ix_messages_queued_at``.

``messages_blocked``: the message review items that something stopped in the period, each
counted once (``count(distinct)``), by cause (``breakdown(..., "blocked")``; an item stopped
twice for different causes counts once in the total and once under each cause):

* ``opt_out``: an approval refused, or a release blocked, because the contact opted out: the
  audit entries ``review_item.approve`` (outcome refused) and ``message.blocked`` whose reason
  says "opted out" (every opt-out sentence of ``app.services.approval_rules`` does);
* ``refused``: a release blocked for another reason (``message.blocked``: a bad experience
  since approval, the opt-out wording gone, no recipient);
* ``pause``: held by a pause (``review_item.held``, audited once per pause that holds it);
* ``quiet_hours``: decided in the period and waiting now for the client's quiet hours to end
  (``hold_reason`` "quiet hours ...", still approved). The release does not audit the wait, so
  a wait that has ended leaves no trace: this counts the ones waiting now.

Audit entries by the range scan of ``ix_audit_log_action_at``; the quiet-hour waits by that of
``ix_review_items_is_open_decided_at``. Lane and source are the item's (``review_items``);
client the row's own. None of these is a reviewer's doing, so none is by reviewer.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Float, cast, func, literal_column, null, or_, select, union_all
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from app.metrics import Dimension, Scope
from app.metrics.durations import MEDIAN, at_time, nearest_rank, ranks, seconds_between
from app.metrics.family import Family, Grouping, Rows, count, grouped, rate, seconds
from db.models import AuditEntry, CrmHandoff, Message, ReviewItem
from db.vocab import HandoffStatus, ItemKind, ItemStatus

OPTED_OUT = "%opted out%"
QUIET_HOURS = "quiet hours%"
_DIMENSIONS = frozenset({Dimension.CLIENT, Dimension.LANE, Dimension.SOURCE})
_FILTERS = frozenset({"client_id", "workflow", "provider"})


def _narrowed(query: Any, scope: Scope, client: ColumnElement[Any]) -> Any:
    """``query`` (outer-joined to ``review_items``) narrowed to the scope's client, lane, source.

    The item's columns go through ``coalesce``: a plain equality on them makes SQLite turn the
    outer join into an inner one and drive it from ``review_items`` (every item of the lane
    ever) instead of from the period's rows (``tests/test_metric_plans.py``)."""
    for value, column in (
        (scope.client_id, client),
        (scope.workflow, func.coalesce(ReviewItem.workflow, "")),
        (scope.provider, func.coalesce(ReviewItem.provider, "")),
    ):
        if value is not None:
            query = query.where(column == value)
    return query


def _key(grouping: Grouping, client: ColumnElement[Any], at: ColumnElement[Any]) -> ColumnElement[Any] | None:
    return grouping.key(
        {Dimension.CLIENT: client, Dimension.LANE: ReviewItem.workflow, Dimension.SOURCE: ReviewItem.provider}, at
    )


def _in(column: ColumnElement[Any], scope: Scope) -> list[ColumnElement[bool]]:
    return [column >= at_time(scope.start), column < at_time(scope.end)]


def _crm(session: Session, scope: Scope, grouping: Grouping, now: datetime) -> Rows:
    latency = seconds_between(func.coalesce(CrmHandoff.retry_from, CrmHandoff.created_at), CrmHandoff.pushed_at)
    row = (CrmHandoff.client_id, CrmHandoff.review_item_id)
    pushed = select(
        *row, literal_column("1").label("pushed"), latency.label("latency"), CrmHandoff.pushed_at.label("at")
    )
    failed = select(*row, literal_column("0"), cast(null(), Float), CrmHandoff.updated_at)
    outcomes = union_all(
        pushed.where(CrmHandoff.status == HandoffStatus.PUSHED, *_in(CrmHandoff.pushed_at, scope)),
        failed.where(CrmHandoff.status == HandoffStatus.FAILED, *_in(CrmHandoff.updated_at, scope)),
    ).subquery()
    key = _key(grouping, outcomes.c.client_id, outcomes.c.at)
    rank, of = ranks(outcomes.c.latency, key)
    inner = select(outcomes.c.pushed, outcomes.c.latency, rank.label("rank"), of.label("of")).outerjoin(
        ReviewItem, ReviewItem.id == outcomes.c.review_item_id
    )
    inner = _narrowed(inner, scope, outcomes.c.client_id)

    def aggregates(c: Any) -> list[ColumnElement[Any]]:
        return [
            func.count().label("outcomes"),
            func.sum(c.pushed).label("pushed"),
            nearest_rank(c.latency, c.rank, c.of, MEDIAN).label("median"),
        ]

    return {
        group: {
            "crm_push_success_rate": rate(row.pushed, row.outcomes),
            "crm_push_latency_median": seconds(row.median, row.pushed),
        }
        for group, row in grouped(session, inner, key, aggregates).items()
    }


def _queued(session: Session, scope: Scope, grouping: Grouping, now: datetime) -> Rows:
    key = _key(grouping, Message.client_id, Message.queued_at)
    inner = (
        select(Message.id)
        .outerjoin(ReviewItem, ReviewItem.id == Message.review_item_id)
        .where(*_in(Message.queued_at, scope), Message.internal.is_(False))
    )
    inner = _narrowed(inner, scope, Message.client_id)
    rows = grouped(session, inner, key, lambda c: [func.count().label("queued")])
    return {group: {"messages_queued": count(row.queued)} for group, row in rows.items()}


def blocked_items(scope: Scope) -> Any:
    """Every (cause, review item, client, when) of a message stopped in the period, as a
    subquery (see the module for the causes)."""
    reason = AuditEntry.detail["reason"].as_string()
    audited = (AuditEntry.review_item_id, AuditEntry.client_id, AuditEntry.at)

    def entries(cause: str, *where: ColumnElement[bool]) -> Any:
        return select(literal_column(f"'{cause}'").label("cause"), *audited).where(*_in(AuditEntry.at, scope), *where)

    refusals = (AuditEntry.action.in_(("review_item.approve", "message.blocked")), AuditEntry.outcome == "refused")
    waiting = select(literal_column("'quiet_hours'"), ReviewItem.id, ReviewItem.client_id, ReviewItem.decided_at).where(
        ReviewItem.is_open == 0,
        *_in(ReviewItem.decided_at, scope),
        ReviewItem.kind == ItemKind.MESSAGE,
        ReviewItem.status.in_((ItemStatus.APPROVED, ItemStatus.EDITED)),
        ReviewItem.hold_reason.like(QUIET_HOURS),
    )
    return union_all(
        entries("opt_out", *refusals, reason.like(OPTED_OUT)),
        entries("refused", AuditEntry.action == "message.blocked", or_(reason.is_(None), ~reason.like(OPTED_OUT))),
        entries("pause", AuditEntry.action == "review_item.held"),
        waiting,
    ).subquery()


def blocked_rows(scope: Scope) -> tuple[Any, Any]:
    """The stopped message items of the scope joined to their item, and the subquery of
    ``blocked_items`` whose columns (cause, client_id, at) group them."""
    stopped = blocked_items(scope)
    inner = (
        select(stopped.c.review_item_id.label("item"))
        .join(ReviewItem, ReviewItem.id == stopped.c.review_item_id)
        .where(ReviewItem.kind == ItemKind.MESSAGE)
    )
    return _narrowed(inner, scope, stopped.c.client_id), stopped


def distinct_items(c: Any) -> list[ColumnElement[Any]]:
    return [func.count(c.item.distinct()).label("blocked")]


def _blocked(session: Session, scope: Scope, grouping: Grouping, now: datetime) -> Rows:
    inner, stopped = blocked_rows(scope)
    key = _key(grouping, stopped.c.client_id, stopped.c.at)
    rows = grouped(session, inner, key, distinct_items)
    return {group: {"messages_blocked": count(row.blocked)} for group, row in rows.items()}


CRM = Family(("crm_push_success_rate", "crm_push_latency_median"), _DIMENSIONS, _FILTERS, _crm)
QUEUED = Family(("messages_queued",), _DIMENSIONS, _FILTERS, _queued)
BLOCKED = Family(("messages_blocked",), _DIMENSIONS, _FILTERS, _blocked)
