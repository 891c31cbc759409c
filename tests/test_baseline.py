"""Baseline against now: the readout's rules on plain figures, and once through a database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.demo import ensure_demo_catalog
from app.metrics import Figure, Scope
from app.metrics.baseline import (
    FLAT,
    KEEP_ALL,
    OVERLAP,
    RULES,
    Verdict,
    compare,
    compare_lanes,
    default_periods,
    judge,
    rules_in_words,
)
from app.metrics.catalogue import METRIC_BY_KEY, METRICS
from db.engine import Database
from db.models import ReviewItem, User
from db.vocab import EditClass, ItemKind, ItemStatus

ENOUGH = Figure(40, 40)


def week(**figures: tuple[float, float]) -> dict[str, tuple[Figure, Figure]]:
    """Forty decided items in each week, and each named rate or duration as (baseline, latest),
    computed over forty things."""
    return {"decided": (ENOUGH, ENOUGH)} | {
        key: (Figure(base, 40), Figure(latest, 40)) for key, (base, latest) in figures.items()
    }


def test_every_rule_reads_as_a_sentence() -> None:
    words = rules_in_words()
    assert "SLA hit rate fell by 10 points or more → needs attention" in words
    assert "Median review turnaround rose by 50% or more → needs attention" in words
    assert "Drafts approved as they were rose by 10 points or more → keep" in words
    assert words[0].startswith("Fewer than 10 decided items in either week")
    assert all(rule.key in METRIC_BY_KEY for rule in RULES)


def test_a_lane_that_improved_is_kept_with_the_rules_that_held() -> None:
    verdict, reasons = judge(week(approved_as_is_rate=(0.45, 0.75), sla_hit_rate=(0.62, 0.92)))
    assert verdict is Verdict.KEEP
    assert "Drafts approved as they were rose by 10 points or more → keep (45% → 75%, +30 points)" in reasons
    assert "SLA hit rate rose by 5 points or more → keep (62% → 92%, +30 points)" in reasons
    assert reasons[-1] == KEEP_ALL


def test_a_flat_lane_is_narrowed() -> None:
    verdict, reasons = judge(
        week(approved_as_is_rate=(0.60, 0.62), sla_hit_rate=(0.85, 0.83), review_turnaround_median=(33.5, 35.4))
    )
    assert (verdict, reasons) == (Verdict.NARROW, (FLAT,))


def test_one_clear_worsening_outweighs_any_improvement() -> None:
    verdict, reasons = judge(week(approved_as_is_rate=(0.40, 0.70), sla_hit_rate=(0.85, 0.75)))
    assert verdict is Verdict.NEEDS_ATTENTION
    assert reasons == ("SLA hit rate fell by 10 points or more → needs attention (85% → 75%, -10 points)",)


def test_a_duration_is_judged_in_per_cent_of_its_baseline() -> None:
    assert judge(week(review_turnaround_median=(20, 30)))[0] is Verdict.NEEDS_ATTENTION
    assert judge(week(review_turnaround_median=(20, 29)))[0] is Verdict.NARROW
    verdict, reasons = judge(week(review_turnaround_median=(20, 16)))
    assert verdict is Verdict.KEEP
    assert "Median review turnaround fell by 20% or more → keep (20.0 → 16.0 min, -20%)" in reasons


def test_too_few_decisions_in_either_week_is_not_enough_evidence() -> None:
    figures = week(approved_as_is_rate=(0.4, 0.9)) | {"decided": (Figure(40, 40), Figure(8, 8))}
    verdict, reasons = judge(figures)
    assert verdict is Verdict.NARROW
    assert reasons == (
        "Fewer than 10 decided items in either week → not enough evidence: narrow (40 in the baseline, 8 latest)",
    )


def test_a_figure_over_a_handful_never_decides() -> None:
    """One CRM push of one failed in the latest week: 100% -> 0%, counted over 1."""
    figures = week(crm_push_success_rate=(1.0, 0.0))
    figures["crm_push_success_rate"] = (Figure(1.0, 30), Figure(0.0, 1))
    assert judge(figures) == (Verdict.NARROW, (FLAT,))


def test_a_lane_with_no_baseline_or_overlapping_weeks_is_too_early() -> None:
    assert judge({"decided": (Figure(None), ENOUGH)})[0] is Verdict.NARROW
    verdict, reasons = judge(week(approved_as_is_rate=(0.4, 0.9)), overlap=True)
    assert verdict is Verdict.NARROW and OVERLAP in reasons


def test_the_rows_follow_the_catalogue_with_their_change() -> None:
    rows = compare(
        METRICS,
        {"decided": Figure(40, 40), "sla_hit_rate": Figure(0.8, 40)},
        {"sla_hit_rate": Figure(0.9, 30), "stale_sources": Figure(2, 2)},
    )
    assert [row.metric.key for row in rows] == ["decided", "sla_hit_rate", "stale_sources"]
    assert rows[0].latest == Figure(None) and rows[0].change is None
    assert abs(rows[1].change - 0.1) < 1e-9


def test_default_periods_are_the_first_and_the_latest_full_weeks() -> None:
    first = datetime(2026, 10, 25, 16, 0, tzinfo=UTC)  # a Sunday afternoon
    now = datetime(2026, 12, 3, 19, 0, tzinfo=UTC)  # a Thursday
    baseline, latest = default_periods(first, now)
    assert (baseline.start, baseline.end) == (datetime(2026, 10, 26, tzinfo=UTC), datetime(2026, 11, 2, tzinfo=UTC))
    assert (latest.start, latest.end) == (datetime(2026, 11, 23, tzinfo=UTC), datetime(2026, 11, 30, tzinfo=UTC))
    monday = datetime(2026, 11, 23, tzinfo=UTC)
    assert default_periods(monday, now)[0].start == monday
    one_week = default_periods(datetime(2026, 11, 22, tzinfo=UTC), now)
    assert one_week[0] == one_week[1] == Scope(monday, monday + timedelta(days=7))
    too_soon = default_periods(datetime(2026, 11, 30, 9, tzinfo=UTC), now)
    assert too_soon[0] == too_soon[1] == Scope(now - timedelta(days=7), now)


def _decided(lane: str, client_id: int, user_id: int, at: datetime, on_time: bool) -> ReviewItem:
    arrived = at - timedelta(minutes=20)
    return ReviewItem(
        kind=ItemKind.MESSAGE,
        client_id=client_id,
        workflow=lane,
        provider="web_form",
        arrived_at=arrived,
        sla_due_at=arrived + timedelta(minutes=30 if on_time else 10),
        status=ItemStatus.QUEUED,
        edit_class=EditClass.UNCHANGED,
        decided_by_id=user_id,
        decided_at=at,
        source="web_form",
    )


def test_compare_lanes_reads_both_weeks_from_the_database(database: Database) -> None:
    """Quote follow-up decided on time in week one and late in the latest week; new-lead
    follow-up the same in both; a lane with items only in the latest week."""
    baseline = Scope(datetime(2026, 10, 26, tzinfo=UTC), datetime(2026, 11, 2, tzinfo=UTC))
    latest = Scope(datetime(2026, 11, 23, tzinfo=UTC), datetime(2026, 11, 30, tzinfo=UTC))
    with database.write() as session:
        client_id = next(iter(ensure_demo_catalog(session).values()))
        user = User(login="riley", display_name="Riley")
        session.add(user)
        session.flush()
        for n in range(12):
            for period, late in ((baseline, False), (latest, True)):
                at = period.start + timedelta(hours=9 + n)
                session.add(_decided("quote_follow_up", client_id, user.id, at, on_time=not late))
                session.add(_decided("new_lead_follow_up", client_id, user.id, at, on_time=True))
        for n in range(3):
            session.add(_decided("review_request", client_id, user.id, latest.start + timedelta(hours=n), True))
    with database.read() as session:
        lanes = {lane.lane: lane for lane in compare_lanes(session, baseline, latest)}
    assert lanes["quote_follow_up"].verdict is Verdict.NEEDS_ATTENTION
    assert lanes["quote_follow_up"].reasons == (
        "SLA hit rate fell by 10 points or more → needs attention (100% → 0%, -100 points)",
    )
    assert (lanes["new_lead_follow_up"].verdict, lanes["new_lead_follow_up"].reasons) == (Verdict.NARROW, (FLAT,))
    assert lanes["review_request"].verdict is Verdict.NARROW
    sla = next(row for row in lanes["quote_follow_up"].rows if row.metric.key == "sla_hit_rate")
    assert (sla.baseline, sla.latest, sla.change) == (Figure(1.0, 12), Figure(0.0, 12), -1.0)
