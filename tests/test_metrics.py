"""Every KPI on a hand-built week with known answers, on SQLite, PostgreSQL and MariaDB (the
same numbers on all three, since each backend runs the same assertions).

The week is ``START`` to ``END``; each family has rows just outside it, rows its definition
leaves out (a duplicate lead, an open item, a refused escalation, an internal alert, a task
still open, a pending handoff, a paused data source) and one row exactly on a bucket boundary.
The expected figures are worked out by hand in the comments beside the rows.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from app.metrics import Dimension, Figure, Scope
from app.metrics.catalogue import BLOCKED_CAUSES, METRICS
from app.metrics.kpis import DISTRIBUTION_BUCKETS, breakdown, distribution, kpi_table, trend
from app.pipeline.drafting import OFFLINE_DRAFTER
from db.engine import Database
from db.models import (
    AuditEntry,
    Client,
    CrmHandoff,
    DataSource,
    Draft,
    Event,
    Lead,
    Message,
    OwnerTask,
    ReviewItem,
    User,
    WebhookEvent,
)
from db.vocab import EditClass, EventType, HandoffStatus, ItemKind, ItemStatus, Role, Workflow

START = datetime(2026, 11, 2, tzinfo=UTC)
END = START + timedelta(days=7)
NOW = END + timedelta(hours=12)
H = timedelta(hours=1)
M = timedelta(minutes=1)
NLFU, MCT, CRM_LANE = Workflow.NEW_LEAD_FOLLOW_UP, Workflow.MISSED_CALL_TEXTBACK, Workflow.CRM_HANDOFF
AI_PROMPT = "v2 · gpt-4o-mini"
OFFLINE_PROMPT = f" · {OFFLINE_DRAFTER}"

# The whole week, every metric: (value, what it was computed over).
EXPECTED: dict[str, tuple[float | None, int]] = {
    # Leads L1..L5 (L6 a duplicate, L7 first seen before the week). Responses 10, 30, 2, none,
    # 60 min: sorted 2, 10, 30, 60; median rank ceil(0.5*4)=2, p90 rank ceil(0.9*4)=4.
    "leads": (5, 5),
    "first_response_median": (10, 4),
    "first_response_p90": (60, 4),
    "qualified_handoff_rate": (2 / 5, 5),  # L1 and L3
    # Decided I1..I6, I10 (I7 open, I8 decided before, I9 escalated and open). Turnarounds
    # 5, 20, 40, 10, 90, 3, 30 min: sorted 3 5 10 20 30 40 90; median rank 4, p90 rank 7.
    "decided": (7, 7),
    "review_turnaround_median": (20, 7),
    "review_turnaround_p90": (90, 7),
    "sla_hit_rate": (4 / 7, 7),  # I1, I3, I4, I6
    "approved_as_is_rate": (3 / 7, 7),  # I1, I5, I6
    "light_edit_rate": (1 / 7, 7),  # I2
    "rewrite_rate": (1 / 7, 7),  # I3
    "reject_rate": (2 / 7, 7),  # I4, I10
    "escalation_rate": (2 / 7, 7),  # I3, I5 (I1's escalation was refused)
    "escalation_precision": (1 / 2, 2),  # I3 rewritten: upheld; I5 approved as drafted: reversed
    "task_on_time_rate": (1 / 3, 3),  # T1 (T2 late, T3 escalated; T4 done before, T5 open)
    "crm_push_success_rate": (3 / 4, 4),  # H1, H2, H6 pushed, H3 failed (H4 pending, H5 before)
    "crm_push_latency_median": (30, 3),  # 10, 30, 50 s
    "messages_queued": (2, 2),  # M1, M2 (M3 internal, M4 before)
    "messages_blocked": (3, 3),  # I4 opted out, I2 refused and in quiet hours, I1 held twice
    "quarantine_rate": (1 / 4, 4),  # W2 of W1..W4 (W5 before)
    "stale_sources": (2, 3),  # DS2 past its limit, DS3 never synced (DS4 paused)
}


def test_every_metric_of_the_catalogue_has_a_known_answer() -> None:
    assert set(EXPECTED) == {metric.key for metric in METRICS}


def _people(session: Any) -> dict[str, int]:
    users = {
        "riley": User(login="riley", display_name="Riley Reviewer", role=Role.REVIEWER),
        "sam": User(login="sam", display_name="Sam Reviewer", role=Role.REVIEWER),
        "sue": User(login="sue", display_name="Sue Supervisor", role=Role.SUPERVISOR),
    }
    clients = {
        "a": Client(slug="acme", name="Acme Plumbing", timezone="UTC"),
        "b": Client(slug="bolt", name="Bolt Electric", timezone="UTC"),
    }
    session.add_all([*users.values(), *clients.values()])
    session.flush()
    return {**{k: u.id for k, u in users.items()}, **{k: c.id for k, c in clients.items()}}


def _lead(session: Any, client: int, source: str, seen: datetime, response: timedelta | None, **kw: Any) -> Lead:
    lead = Lead(
        client_id=client,
        name="Lead",
        source=source,
        status="new",
        first_seen_at=seen,
        last_event_at=seen,
        first_response_at=None if response is None else seen + response,
        **kw,
    )
    session.add(lead)
    session.flush()
    return lead


def _qualified(session: Any, lead: Lead) -> None:
    session.add(
        Event(
            type=EventType.LEAD_QUALIFIED,
            idempotency_key=f"lead.qualified:lead:{lead.id}",
            client_id=lead.client_id,
            lead_id=lead.id,
            provider="desk",
            occurred_at=lead.first_seen_at + H,
        )
    )


def _item(
    session: Any,
    lead: Lead,
    kind: str,
    workflow: str,
    provider: str,
    arrived: datetime,
    status: str,
    *,
    turnaround: timedelta | None = None,
    sla: timedelta = 15 * M,
    edit: str | None = None,
    by: int | None = None,
    model: str | None = None,
    **kw: Any,
) -> ReviewItem:
    item = ReviewItem(
        kind=kind,
        client_id=lead.client_id,
        lead_id=lead.id,
        workflow=workflow,
        provider=provider,
        arrived_at=arrived,
        sla_due_at=arrived + sla,
        decided_at=None if turnaround is None else arrived + turnaround,
        decided_by_id=by,
        edit_class=edit,
        source=provider,
        status=status,
        **kw,
    )
    session.add(item)
    session.flush()
    status = "current" if model is None else "superseded"
    session.add(
        Draft(
            review_item_id=item.id,
            drafter=OFFLINE_DRAFTER,
            internal_summary="s",
            client_text="t",
            source="offline",
            status=status,
        )
    )
    if model is not None:  # a newer AI draft: the one that was decided
        session.add(
            Draft(
                review_item_id=item.id,
                version_no=2,
                drafter="ai",
                model=model,
                prompt_version="v2",
                internal_summary="s",
                client_text="t",
                source="ai",
                status="current",
            )
        )
    return item


def _audit(session: Any, action: str, item: ReviewItem, at: datetime, outcome: str = "ok", **detail: Any) -> None:
    session.add(
        AuditEntry(
            at=at,
            actor="riley",
            source="desk",
            action=action,
            outcome=outcome,
            entity="review_item",
            entity_id=item.id,
            review_item_id=item.id,
            client_id=item.client_id,
            detail=detail,
        )
    )


def _build(database: Database) -> dict[str, int]:
    t = START
    with database.write() as s:
        ids = _people(s)
        a, b, riley, sam, sue = ids["a"], ids["b"], ids["riley"], ids["sam"], ids["sue"]
        # --- leads
        l1 = _lead(s, a, "web_form", t + H, 10 * M)
        l2 = _lead(s, a, "web_form", t + 2 * H, 30 * M)
        l3 = _lead(s, a, "callrail", t + 3 * H, 2 * M)
        l4 = _lead(s, b, "callrail", t + 4 * H, None)
        l5 = _lead(s, b, "web_form", t + 5 * H, 60 * M)
        _lead(s, a, "web_form", t + 6 * H, 1 * M, duplicate_of_id=l1.id)  # L6: the same lead again
        l7 = _lead(s, a, "web_form", t - 24 * H, 5 * M)  # L7: before the week
        for lead in (l1, l3, l7):
            _qualified(s, lead)
        # --- review items, each lead's first item naming its lane
        message, handoff = ItemKind.MESSAGE, ItemKind.CRM_HANDOFF
        i1 = _item(
            s,
            l1,
            message,
            NLFU,
            "web_form",
            t + H,
            ItemStatus.QUEUED,
            turnaround=5 * M,
            edit=EditClass.UNCHANGED,
            by=riley,
        )
        i2 = _item(
            s,
            l2,
            message,
            NLFU,
            "web_form",
            t + 2 * H,
            ItemStatus.EDITED,
            turnaround=20 * M,
            edit=EditClass.LIGHT_EDIT,
            by=riley,
            model="gpt-4o-mini",
            hold_reason="quiet hours until 08:00 (UTC)",
        )
        i3 = _item(
            s,
            l3,
            message,
            MCT,
            "callrail",
            t + 3 * H,
            ItemStatus.QUEUED,
            turnaround=40 * M,
            sla=60 * M,
            edit=EditClass.REWRITE,
            by=sue,
            model="gpt-4o-mini",
        )
        i4 = _item(
            s,
            l4,
            message,
            MCT,
            "callrail",
            t + 4 * H,
            ItemStatus.REJECTED,
            turnaround=10 * M,
            by=sam,
            reject_reason="tone",
        )
        i5 = _item(
            s,
            l5,
            handoff,
            CRM_LANE,
            "web_form",
            t + 5 * H,
            ItemStatus.PUSHED,
            turnaround=90 * M,
            sla=60 * M,
            edit=EditClass.UNCHANGED,
            by=sue,
        )
        # I6 decided exactly at the first day's end: it opens the second day's bucket.
        i6 = _item(
            s,
            l1,
            handoff,
            CRM_LANE,
            "web_form",
            t + 24 * H - 3 * M,
            ItemStatus.PUSHED,
            turnaround=3 * M,
            edit=EditClass.UNCHANGED,
            by=riley,
        )
        _item(s, l2, message, NLFU, "web_form", t + 7 * H, ItemStatus.PENDING)  # I7: open
        i8 = _item(
            s,
            l7,
            message,
            NLFU,
            "web_form",
            t - 2 * H,
            ItemStatus.QUEUED,
            turnaround=5 * M,
            edit=EditClass.UNCHANGED,
            by=riley,
        )  # I8: before the week
        i9 = _item(s, l3, message, MCT, "callrail", t + 8 * H, ItemStatus.ESCALATED)  # I9: escalated, open
        _item(  # I10
            s,
            l2,
            message,
            NLFU,
            "web_form",
            t + 6 * H,
            ItemStatus.REJECTED,
            turnaround=30 * M,
            by=riley,
            reject_reason="duplicate",
        )
        _audit(s, "review_item.escalated", i3, t + 3 * H + 5 * M)
        _audit(s, "review_item.escalated", i5, t + 5 * H + 5 * M)
        _audit(s, "review_item.escalated", i9, t + 8 * H + 5 * M)
        _audit(s, "review_item.escalated", i1, t + H + M, outcome="refused", reason="already decided")
        # --- what stopped messages
        _audit(s, "review_item.approve", i4, t + 4 * H + 5 * M, "refused", reason="The contact opted out of messages.")
        _audit(s, "message.blocked", i2, t + 2 * H + 30 * M, "refused", reason="the opt-out wording is missing")
        _audit(s, "review_item.held", i1, t + H + 6 * M, pause_id=1)
        _audit(s, "review_item.held", i1, t + 30 * H, pause_id=2)  # held again: still one item
        _audit(s, "review_item.held", i5, t + 5 * H + 95 * M, pause_id=1)  # not a message
        _audit(s, "review_item.held", i8, t - H, pause_id=3)  # before the week

        # --- owner tasks
        def task(client: int, lead: Lead, who: int, due: datetime, done: datetime | None, **kw: Any) -> None:
            s.add(
                OwnerTask(
                    client_id=client,
                    lead_id=lead.id,
                    assignee_id=who,
                    title="Call",
                    reason="urgent",
                    due_at=due,
                    done_at=done,
                    source="routing",
                    status="done" if done else "open",
                    **kw,
                )
            )

        task(a, l1, riley, t + 2 * H, t + 90 * M)  # T1: on time
        task(a, l2, riley, t + 3 * H, t + 4 * H)  # T2: late
        task(b, l4, sam, t + 5 * H, t + 4 * H, escalated_at=t + 3 * H)  # T3: escalated, then done
        task(b, l5, sam, t - 2 * H, t - H)  # T4: done before the week
        task(a, l3, riley, t + 9 * H, None)  # T5: still open

        # --- CRM handoffs
        def push(n: int, client: int, lead: Lead, item: ReviewItem | None, status: str, **kw: Any) -> None:
            s.add(
                CrmHandoff(
                    client_id=client,
                    lead_id=lead.id,
                    review_item_id=item.id if item else None,
                    adapter="hubspot",
                    idempotency_key=f"h{n}",
                    source="desk",
                    status=status,
                    **kw,
                )
            )

        pushed = HandoffStatus.PUSHED
        push(
            1,
            a,
            l1,
            i6,
            pushed,
            pushed_at=t + 24 * H + 10 * M,
            retry_from=t + 24 * H + 10 * M - 10 * timedelta(seconds=1),
        )
        push(2, b, l5, i5, pushed, pushed_at=t + 7 * H, created_at=t + 7 * H - timedelta(seconds=30))
        push(3, a, l2, None, HandoffStatus.FAILED, created_at=t + 3 * H, updated_at=t + 4 * H)
        push(4, a, l3, None, HandoffStatus.PENDING, created_at=t + 5 * H, updated_at=t + 5 * H)
        push(5, a, l7, None, pushed, pushed_at=t - H, retry_from=t - 2 * H)
        push(6, a, l3, None, pushed, pushed_at=t + 50 * H, retry_from=t + 50 * H - timedelta(seconds=50))

        # --- messages
        def sms(n: int, client: int, lead: Lead, item: ReviewItem | None, queued: datetime, **kw: Any) -> None:
            s.add(
                Message(
                    client_id=client,
                    lead_id=lead.id,
                    review_item_id=item.id if item else None,
                    idempotency_key=f"m{n}",
                    channel="sms",
                    recipient="+15125550100",
                    body="Hi",
                    queued_at=queued,
                    source="desk",
                    status="queued",
                    **kw,
                )
            )

        sms(1, a, l1, i1, t + H + 10 * M)
        sms(2, a, l3, i3, t + 4 * H)
        sms(3, a, l1, None, t + 2 * H, internal=True)  # an owner alert to staff
        sms(4, b, l7, i8, t - H)
        # --- deliveries
        for n, (client, provider, at, status) in enumerate(
            (
                (a, "web_form", t + H, "processed"),
                (a, "web_form", t + 2 * H, "quarantined"),
                (b, "callrail", t + 3 * H, "processed"),
                (b, "callrail", t + 4 * H, "processed"),
                (b, "callrail", t - H, "quarantined"),
            )
        ):
            s.add(
                WebhookEvent(
                    provider=provider,
                    client_id=client,
                    received_at=at,
                    body=b"{}",
                    source=provider,
                    status=status,
                    content_type="application/json",
                    headers={"n": str(n)},
                )
            )
        # --- data sources, as they stand at NOW
        for client, provider, hours, synced, status in (
            (a, "callrail", 24, NOW - 2 * H, "active"),  # DS1 fresh
            (a, "quickbooks", 48, NOW - 50 * H, "active"),  # DS2 past its limit
            (b, "callrail", 24, None, "active"),  # DS3 never synced
            (b, "quickbooks", 48, NOW - 90 * H, "paused"),  # DS4 paused: not looked at
        ):
            s.add(
                DataSource(
                    client_id=client,
                    provider=provider,
                    kind="x",
                    label=provider,
                    freshness_hours=hours,
                    last_synced_at=synced,
                    status=status,
                )
            )
    return ids


@pytest.fixture
def week(database: Database) -> tuple[Database, dict[str, int]]:
    return database, _build(database)


def _table(database: Database, scope: Scope, by: Dimension | None = None) -> dict[str, dict[str, Figure]]:
    with database.read() as session:
        return {row.key: row.figures for row in kpi_table(session, scope, by, now=NOW)}


def _assert_figures(figures: dict[str, Figure], expected: dict[str, tuple[float | None, int]]) -> None:
    assert set(figures) == set(expected)
    for key, (value, over) in expected.items():
        figure = figures[key]
        assert figure.count == over, key
        if value is None:
            assert figure.value is None, key
        else:
            assert figure.value == pytest.approx(value), key


def test_the_whole_week_gives_every_known_answer(week: tuple[Database, dict[str, int]]) -> None:
    database, _ = week
    table = _table(database, Scope(START, END))
    assert list(table) == ["all"]
    _assert_figures(table["all"], EXPECTED)


def test_by_client(week: tuple[Database, dict[str, int]]) -> None:
    database, ids = week
    table = _table(database, Scope(START, END), Dimension.CLIENT)
    assert set(table) == {str(ids["a"]), str(ids["b"])}
    acme, bolt = table[str(ids["a"])], table[str(ids["b"])]
    # Acme: leads L1-L3 (responses 10, 30, 2), items I1 I2 I3 I6 I10 (5, 20, 40, 3, 30 min).
    assert (acme["leads"].value, acme["first_response_median"].value, acme["first_response_p90"].value) == (3, 10, 30)
    assert acme["qualified_handoff_rate"].value == pytest.approx(2 / 3)
    assert (acme["decided"].value, acme["review_turnaround_median"].value) == (5, 20)
    assert acme["sla_hit_rate"].value == pytest.approx(3 / 5)
    assert acme["escalation_precision"] == Figure(1.0, 1)
    assert acme["task_on_time_rate"] == Figure(0.5, 2)
    assert acme["crm_push_success_rate"] == Figure(2 / 3, 3)
    assert acme["crm_push_latency_median"] == Figure(pytest.approx(10), 2)  # 10 and 50 s: the lower
    assert acme["messages_queued"] == Figure(2, 2)
    assert acme["messages_blocked"] == Figure(2, 2)  # I1 held, I2 refused and waiting
    assert acme["quarantine_rate"] == Figure(0.5, 2)
    assert acme["stale_sources"] == Figure(1, 2)
    # Bolt: L4 (no response) and L5 (60 min); I4 rejected, I5 approved late after an escalation.
    assert (bolt["leads"].value, bolt["first_response_median"].value) == (2, 60)
    assert bolt["first_response_median"].count == 1
    assert bolt["qualified_handoff_rate"] == Figure(0.0, 2)  # known: none of two, not a dash
    assert (bolt["decided"].value, bolt["reject_rate"].value, bolt["approved_as_is_rate"].value) == (2, 0.5, 0.5)
    assert bolt["escalation_precision"] == Figure(0.0, 1)
    assert bolt["task_on_time_rate"] == Figure(0.0, 1)
    assert bolt["messages_queued"] == Figure(0, 0)
    assert bolt["quarantine_rate"] == Figure(0.0, 2)
    assert bolt["stale_sources"] == Figure(1, 1)


def test_by_lane_source_reviewer_and_prompt(week: tuple[Database, dict[str, int]]) -> None:
    database, ids = week
    lanes = _table(database, Scope(START, END), Dimension.LANE)
    assert set(lanes) == {NLFU, MCT, CRM_LANE, "none"}
    # H3 and H6 were pushed with no review item: an outcome of no lane, in its own row.
    assert lanes["none"]["crm_push_success_rate"] == Figure(0.5, 2)
    assert lanes["none"]["leads"] == Figure(0, 0)
    # A lead's lane is its first item's: L1 L2 new-lead follow-up, L3 L4 text-back, L5 handoff.
    assert [lanes[lane]["leads"].value for lane in (NLFU, MCT, CRM_LANE)] == [2, 2, 1]
    assert [lanes[lane]["decided"].value for lane in (NLFU, MCT, CRM_LANE)] == [3, 2, 2]
    assert lanes[NLFU]["reject_rate"].value == pytest.approx(1 / 3)
    assert lanes[MCT]["messages_blocked"] == Figure(1, 1)
    assert "task_on_time_rate" not in lanes[NLFU]  # tasks have no lane: absent, not zero

    sources = _table(database, Scope(START, END), Dimension.SOURCE)
    # QuickBooks is a data source only (its freshness); "none" holds the handoffs of no item.
    assert set(sources) == {"web_form", "callrail", "quickbooks", "none"}
    assert sources["quickbooks"]["stale_sources"] == Figure(1, 1)
    assert sources["quickbooks"]["decided"] == Figure(0, 0)  # nothing decided: a known zero
    web, calls = sources["web_form"], sources["callrail"]
    assert (web["leads"].value, web["first_response_median"].value, web["first_response_p90"].value) == (3, 30, 60)
    assert (calls["leads"].value, calls["first_response_median"].value) == (2, 2)
    assert calls["qualified_handoff_rate"] == Figure(0.5, 2)
    assert web["decided"].value == 5 and calls["decided"].value == 2

    reviewers = _table(database, Scope(START, END), Dimension.REVIEWER)
    assert set(reviewers) == {str(ids["riley"]), str(ids["sam"]), str(ids["sue"])}
    riley = reviewers[str(ids["riley"])]  # I1 I2 I6 I10: 5, 20, 3, 30 min
    assert (riley["decided"].value, riley["review_turnaround_median"].value, riley["review_turnaround_p90"].value) == (
        4,
        5,
        30,
    )
    assert (riley["sla_hit_rate"].value, riley["approved_as_is_rate"].value, riley["reject_rate"].value) == (
        0.5,
        0.5,
        0.25,
    )
    assert riley["task_on_time_rate"] == Figure(0.5, 2)  # the tasks assigned to Riley
    assert "escalation_rate" not in riley and "leads" not in riley

    prompts = _table(database, Scope(START, END), Dimension.PROMPT)
    assert set(prompts) == {AI_PROMPT, OFFLINE_PROMPT}
    ai = prompts[AI_PROMPT]  # I2 light edit, I3 rewrite
    assert (ai["decided"].value, ai["light_edit_rate"].value, ai["rewrite_rate"].value) == (2, 0.5, 0.5)
    assert prompts[OFFLINE_PROMPT]["approved_as_is_rate"].value == pytest.approx(3 / 5)
    with database.read() as session:
        labels = {row.key: row.label for row in kpi_table(session, Scope(START, END), Dimension.PROMPT, now=NOW)}
    assert labels == {AI_PROMPT: AI_PROMPT, OFFLINE_PROMPT: "Offline rules"}


def test_filters_narrow_and_drop_the_metrics_they_do_not_apply_to(week: tuple[Database, dict[str, int]]) -> None:
    database, ids = week
    lane = _table(database, Scope(START, END, workflow=MCT))["all"]
    assert (lane["leads"].value, lane["decided"].value, lane["messages_queued"].value) == (2, 2, 1)
    assert "task_on_time_rate" not in lane and "quarantine_rate" not in lane
    source = _table(database, Scope(START, END, provider="callrail"))["all"]
    assert (source["leads"].value, source["quarantine_rate"].value, source["stale_sources"].value) == (2, 0.0, 1)
    mine = _table(database, Scope(START, END, reviewer_id=ids["sam"]))["all"]
    assert set(mine) == {
        "decided",
        "review_turnaround_median",
        "review_turnaround_p90",
        "sla_hit_rate",
        "approved_as_is_rate",
        "light_edit_rate",
        "rewrite_rate",
        "reject_rate",
        "task_on_time_rate",
    }
    assert (mine["decided"].value, mine["reject_rate"].value, mine["task_on_time_rate"].value) == (1, 1.0, 0.0)


def test_an_empty_period_gives_zero_counts_and_dashes(week: tuple[Database, dict[str, int]]) -> None:
    database, _ = week
    empty = _table(database, Scope(END + timedelta(days=30), END + timedelta(days=31)))["all"]
    assert empty["leads"] == Figure(0.0, 0) and empty["decided"] == Figure(0.0, 0)
    for key in ("first_response_median", "sla_hit_rate", "escalation_precision", "crm_push_latency_median"):
        assert empty[key] == Figure(None, 0), key
    assert empty["stale_sources"] == Figure(2, 3)  # a figure of now, whatever the period


def test_the_daily_trend_puts_a_row_on_a_boundary_in_the_next_day(week: tuple[Database, dict[str, int]]) -> None:
    database, _ = week
    with database.read() as session:
        decided = trend(session, Scope(START, END), "decided")
        sla = trend(session, Scope(START, END), "sla_hit_rate")
        stale = trend(session, Scope(START, END), "stale_sources")
    assert [at for at, _ in decided] == [START + n * timedelta(days=1) for n in range(7)]
    assert [figure.value for _, figure in decided] == [6, 1, 0, 0, 0, 0, 0]
    # Day one: I1 I3 I4 on time of I1 I2 I3 I4 I5 I10; day two: I6 on time; then nothing.
    assert [figure.value for _, figure in sla] == [0.5, 1.0, None, None, None, None, None]
    assert stale == []


def test_distributions_and_breakdowns(week: tuple[Database, dict[str, int]]) -> None:
    database, ids = week
    labels = [label for _, label in DISTRIBUTION_BUCKETS]
    with database.read() as session:
        turnaround = distribution(session, Scope(START, END), "review_turnaround")
        response = distribution(session, Scope(START, END), "first_response")
        reasons = breakdown(session, Scope(START, END), "reject_reasons")
        blocked = breakdown(session, Scope(START, END), "blocked")
        quarantined = breakdown(session, Scope(START, END), "quarantine_by_provider")
        not_by_reviewer = breakdown(session, Scope(START, END, reviewer_id=ids["riley"]), "blocked")
    # 3 | 5 10 | 20 30 40 | 90 minutes; a value on a bound belongs to the bucket above it.
    assert turnaround == list(zip(labels, [1, 2, 3, 1, 0, 0], strict=True))
    assert response == list(zip(labels, [1, 1, 1, 1, 0, 0], strict=True))  # 2 | 10 | 30 | 60 min
    assert reasons == [("duplicate", 1), ("tone", 1)]
    assert blocked == [(cause, 1) for cause in BLOCKED_CAUSES]
    assert quarantined == [("web_form", 1)]
    assert not_by_reviewer == []
    with pytest.raises(ValueError, match="no breakdown"), database.read() as session:
        breakdown(session, Scope(START, END), "mood")
