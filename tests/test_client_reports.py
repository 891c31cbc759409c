"""Periodic client report notes: the period rule in the client's time zone; one report note per
period per client however many cycles run at once; stale or partial proof flagged; approval
publishes the note and marks exactly its snapshots reviewed proof; money figures from providers
are proof, not pricing. The database tests run on the three databases."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from app.demo import ensure_demo_catalog
from app.metrics import Figure, KpiRow
from app.pipeline.drafting import DraftResult
from app.pipeline.poller import PollConfig, drain
from app.pipeline.review_edge import find_review_edge
from app.reports.note import Coverage, Outcomes, Proof, ReportInputs, build
from app.reports.periods import ReportPeriod, containing, due, first_full, last_ended, parse
from app.services.client_reports import ReportUnavailable, create_due_reports, report_for
from app.services.review import approve, store_regenerated
from db.engine import Database
from db.models import (
    AuditEntry,
    Client,
    ClientReport,
    DataSource,
    Draft,
    MetricSnapshot,
    PortalNote,
    ReportProof,
    ReviewItem,
    RiskFlag,
)
from db.vocab import FlagCode, ItemKind, ItemStatus, LeadStage, Workflow
from tests.deliveries import add_delivery
from tests.helpers import make_actor
from tests.lifecycle import lead

CHICAGO = "America/Chicago"
NOVEMBER_START = datetime(2026, 11, 1, 5, tzinfo=UTC)  # midnight in Chicago (still CDT)
NOVEMBER_END = datetime(2026, 12, 1, 6, tzinfo=UTC)  # midnight in Chicago (CST)
NOW = datetime(2026, 12, 2, 15, tzinfo=UTC)  # November has ended, December has not
JOINED = datetime(2026, 9, 10, tzinfo=UTC)


# --- the period rule ------------------------------------------------------------------------


def test_a_month_ends_at_midnight_in_the_clients_time_zone() -> None:
    before = NOVEMBER_END - timedelta(minutes=1)  # 23:59 on 30 November in Chicago, 05:59 UTC
    assert last_ended(ReportPeriod.MONTHLY, CHICAGO, before).label == "2026-10"
    november = last_ended(ReportPeriod.MONTHLY, CHICAGO, NOVEMBER_END)
    assert (november.label, november.start, november.end) == ("2026-11", NOVEMBER_START, NOVEMBER_END)
    assert november.words == "November 2026"
    # In UTC the same moment is already December: its November ended six hours earlier.
    assert last_ended(ReportPeriod.MONTHLY, "UTC", before).end == datetime(2026, 12, 1, tzinfo=UTC)
    assert parse("2026-11", CHICAGO) == november
    assert containing(ReportPeriod.MONTHLY, CHICAGO, NOVEMBER_START) == november
    assert last_ended(ReportPeriod.MONTHLY, CHICAGO, datetime(2027, 1, 1, 6, tzinfo=UTC)).label == "2026-12"


def test_a_week_is_the_iso_week_monday_to_sunday_that_ended() -> None:
    monday_midnight = datetime(2026, 11, 23, 6, tzinfo=UTC)  # Monday 23 November, 00:00 in Chicago
    week = last_ended(ReportPeriod.WEEKLY, CHICAGO, monday_midnight)
    assert (week.label, week.start, week.end) == (
        "2026-W47",
        datetime(2026, 11, 16, 6, tzinfo=UTC),
        monday_midnight,
    )
    assert week.words == "the week of 16 Nov to 22 Nov 2026"
    assert last_ended(ReportPeriod.WEEKLY, CHICAGO, monday_midnight - timedelta(seconds=1)).label == "2026-W46"
    assert parse("2026-w47", CHICAGO) == week
    # The ISO year: 1 January 2027 (a Friday) is in 2026's week 53.
    assert containing(ReportPeriod.WEEKLY, "UTC", datetime(2027, 1, 1, 12, tzinfo=UTC)).label == "2026-W53"


def test_a_report_is_due_only_for_a_period_the_client_was_with_us_in() -> None:
    assert due("monthly", CHICAGO, JOINED, NOW).label == "2026-11"
    assert due("monthly", CHICAGO, NOVEMBER_END + timedelta(hours=1), NOW) is None, "joined after it ended"
    assert due("", CHICAGO, JOINED, NOW) is None, "no periodic report"
    assert due("weekly", CHICAGO, JOINED, NOW).label == "2026-W48"
    assert first_full(ReportPeriod.MONTHLY, CHICAGO, JOINED).label == "2026-10"
    assert first_full(ReportPeriod.MONTHLY, CHICAGO, datetime(2026, 10, 1, 5, tzinfo=UTC)).label == "2026-10"
    for label in ("2026-13", "November", "2026-W99"):
        with pytest.raises(ValueError, match="report period|week"):
            parse(label, CHICAGO)


# --- the note, as a pure function of its inputs ------------------------------------------------


def _row(key: str, label: str, leads: int, median: float | None, responses: int = 0) -> KpiRow:
    return KpiRow(key, label, {"leads": Figure(leads, leads), "first_response_median": Figure(median, responses)})


def _inputs(proofs: tuple[Proof, ...], coverage: tuple[Coverage, ...], baseline: bool = True) -> ReportInputs:
    november = parse("2026-11", CHICAGO)
    now = Outcomes(
        _row("all", "All", 12, 9.0, 11),
        (_row("web_form", "Web form", 8, 6.0, 8), _row("callrail", "CallRail", 4, 75.0, 3)),
        booked=3,
    )
    first = Outcomes(_row("all", "All", 7, 42.0, 7), (), booked=1)
    return ReportInputs(
        "Northside Plumbing",
        CHICAGO,
        november,
        now,
        proofs,
        coverage,
        (parse("2026-10", CHICAGO), first) if baseline else None,
    )


SPEND = Proof(7, "quickbooks", "spend", Decimal("182.0000"), "USD", NOVEMBER_START, NOVEMBER_END, "unreviewed")
QUICKBOOKS = Coverage("quickbooks", "QuickBooks Online", "", expected=True)


def test_the_note_says_volume_response_booked_proof_coverage_and_change_in_plain_words() -> None:
    note = build(_inputs((SPEND,), (QUICKBOOKS,)))
    assert note.draft.client_text.splitlines() == [
        "Northside Plumbing: your report for November 2026.",
        "Leads: 12 new leads (Web form 8, CallRail 4).",
        "Response time: half of new leads heard back within 9 min (Web form 6 min, CallRail 1 h 15 min).",
        "Booked jobs: 3 leads won.",
        "Figures from your data sources: QuickBooks: spend $182.00.",
        "Source coverage: QuickBooks Online delivered figures.",
        "Compared with October 2026, your first full month: leads went from 7 to 12, first response from 42 min"
        " to 9 min, booked jobs from 1 to 3.",
    ]
    assert "- #7 QuickBooks spend 182.0000 USD, 2026-11-01–2026-12-01, unreviewed" in note.draft.internal_summary
    assert (note.snapshot_ids, note.findings) == ((7,), ())
    first_report = build(_inputs((SPEND,), (QUICKBOOKS,), baseline=False)).draft.client_text
    assert first_report.endswith("This is your first full month with us; later reports compare with it.")


def test_partial_stale_or_missing_proof_raises_the_stale_data_flag() -> None:
    partial = Proof(8, "thumbtack", "leads", Decimal("5"), "count", NOVEMBER_START, NOVEMBER_END, "partial")
    stale = Coverage("search_console", "Search Console", "Search Console: last synced 120 h ago (limit 72 h)", True)
    thumbtack = Coverage("thumbtack", "Thumbtack", "", expected=True)
    note = build(_inputs((SPEND, partial), (QUICKBOOKS, stale, thumbtack)))
    assert {f.code for f in note.findings} == {FlagCode.STALE_PROVIDER_DATA}
    evidence = [f.evidence for f in note.findings]
    assert evidence == [
        partial.line,
        "Search Console: last synced 120 h ago (limit 72 h)",
        "Search Console: no figures this period",
    ]
    assert all(e in note.draft.internal_summary for e in evidence), "each flag points at its proof line"
    assert "Source coverage: QuickBooks Online, Thumbtack delivered figures; Search Console did not." in (
        note.draft.client_text
    )
    assert build(_inputs((SPEND,), (QUICKBOOKS,))).findings == ()


def test_provider_money_figures_are_proof_not_pricing() -> None:
    text = build(_inputs((SPEND,), (QUICKBOOKS,))).draft.client_text
    assert "spend $182.00" in text
    assert FlagCode.PRICING_PROMISE in {f.code for f in find_review_edge(text, "client_text")}, "a price elsewhere"
    assert find_review_edge(text, "client_text", figures_are_proof=True) == []


# --- in the database: the cycle's step ---------------------------------------------------------


def _client(db: Database, slug: str, period: str = "monthly", joined: datetime = JOINED) -> int:
    with db.write() as session:
        row = Client(slug=slug, name=slug.replace("-", " ").title(), timezone=CHICAGO, report_period=period)
        row.created_at = joined
        session.add(row)
        session.flush()
        return row.id


def _source(db: Database, client_id: int, provider: str, label: str, synced: datetime, hours: int = 48) -> None:
    with db.write() as session:
        session.add(
            DataSource(
                client_id=client_id,
                provider=provider,
                kind="sync",
                label=label,
                freshness_hours=hours,
                last_synced_at=synced,
            )
        )


def _snapshot(
    db: Database, client_id: int, provider: str, metric: str, value: str, end: datetime, status: str = "unreviewed"
) -> int:
    with db.write() as session:
        row = MetricSnapshot(
            client_id=client_id,
            metric=metric,
            value=Decimal(value),
            unit="USD" if metric == "spend" else "count",
            period_start=end - timedelta(days=30),
            period_end=end,
            source=provider,
            status=status,
        )
        session.add(row)
        session.flush()
        return row.id


def _report_item(db: Database, client_id: int) -> ReviewItem:
    with db.read() as session:
        report = session.scalar(select(ClientReport).where(ClientReport.client_id == client_id))
        return session.get(ReviewItem, report.review_item_id)


def _flags(db: Database, item_id: int) -> set[str]:
    with db.read() as session:
        return set(session.scalars(select(RiskFlag.code).where(RiskFlag.review_item_id == item_id)))


def _northside(db: Database) -> tuple[int, int, int]:
    """A monthly client with November leads and a QuickBooks spend snapshot for November (and
    an older October one). Returns the client, the November snapshot and the October one."""
    client_id = _client(db, "northside-plumbing")
    _source(db, client_id, "quickbooks", "QuickBooks Online", NOW - timedelta(hours=3))
    for n, at in enumerate((NOVEMBER_START + timedelta(days=2), NOVEMBER_END - timedelta(hours=1))):
        lead(db, client_id, at, phone=f"+1415555010{n}")
    won_at = NOVEMBER_START + timedelta(days=9)  # as the review-request sweep records it
    lead(db, client_id, NOVEMBER_START + timedelta(days=5), phone="+14155550109", stage=LeadStage.WON, won_at=won_at)
    november = _snapshot(db, client_id, "quickbooks", "spend", "182.00", NOVEMBER_END)
    october = _snapshot(db, client_id, "quickbooks", "spend", "95.00", NOVEMBER_START)
    return client_id, november, october


def test_the_due_report_is_a_report_note_in_review_with_its_proof(database: Database) -> None:
    client_id, november, october = _northside(database)
    _client(database, "no-reports", period="")
    _client(database, "joined-in-december", joined=NOVEMBER_END + timedelta(days=1))
    assert create_due_reports(database, NOW) == 1
    item = _report_item(database, client_id)
    assert (item.kind, item.workflow, item.status) == (ItemKind.REPORT_NOTE, Workflow.CLIENT_REPORT_NOTE, "pending")
    with database.read() as session:
        draft = session.scalar(select(Draft).where(Draft.review_item_id == item.id))
        proofs = set(session.scalars(select(ReportProof.snapshot_id).where(ReportProof.review_item_id == item.id)))
        audited = session.scalar(select(AuditEntry).where(AuditEntry.action == "client_report.drafted"))
    assert proofs == {november}, "the period's snapshot only, not October's"
    assert "Booked jobs: 1 lead won." in draft.client_text
    assert "QuickBooks: spend $182.00" in draft.client_text
    assert f"#{november} QuickBooks spend 182.0000 USD" in draft.internal_summary
    assert (audited.review_item_id, audited.detail["period"]) == (item.id, "2026-11")
    assert FlagCode.PRICING_PROMISE not in _flags(database, item.id), "spend $182.00 is proof, not a price"
    assert _flags(database, item.id) == set(), "fresh, complete proof raises nothing"
    assert create_due_reports(database, NOW + timedelta(days=3)) == 0, "a rerun drafts nothing"


def test_stale_or_partial_proof_flags_the_report_note(database: Database) -> None:
    client_id = _client(database, "cedar-roofing")
    _source(database, client_id, "search_console", "Search Console", NOW - timedelta(days=5), hours=72)
    _snapshot(database, client_id, "search_console", "clicks", "120", NOVEMBER_END, status="partial")
    assert create_due_reports(database, NOW) == 1
    item = _report_item(database, client_id)
    assert _flags(database, item.id) == {FlagCode.STALE_PROVIDER_DATA}
    with database.read() as session:
        evidence = set(session.scalars(select(RiskFlag.evidence).where(RiskFlag.review_item_id == item.id)))
    assert "Search Console: last synced 120 h ago (limit 72 h)" in evidence
    assert any("partial" in e for e in evidence)
    assert item.flag_codes == FlagCode.STALE_PROVIDER_DATA


def test_one_report_per_period_per_client_with_concurrent_cycles(database: Database) -> None:
    clients = [_client(database, f"client-{n}") for n in range(4)]
    start = threading.Barrier(3)
    drafted: list[int] = []
    failures: list[BaseException] = []

    def cycle() -> None:
        try:
            start.wait()
            drafted.append(create_due_reports(database, NOW))
        except BaseException as exc:  # reported by the assertion below
            failures.append(exc)

    threads = [threading.Thread(target=cycle) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert sum(drafted) == len(clients), drafted
    with database.read() as session:
        reports = session.scalars(select(ClientReport.client_id)).all()
        items = session.scalars(select(ReviewItem.client_id).where(ReviewItem.kind == ItemKind.REPORT_NOTE)).all()
    assert sorted(reports) == sorted(items) == clients, "one report note each, nothing left of the losers"
    assert create_due_reports(database, NOW) == 0


def test_approving_publishes_the_note_and_marks_exactly_its_snapshots_reviewed(database: Database) -> None:
    client_id, november, october = _northside(database)
    create_due_reports(database, NOW)
    item = _report_item(database, client_id)
    sam = make_actor(database, "sam")
    approve(database, sam, item.id, item.version)
    with database.read() as session:
        note = session.scalar(select(PortalNote).where(PortalNote.review_item_id == item.id))
        snapshots = {s.id: s for s in session.scalars(select(MetricSnapshot))}
        marked = session.scalar(select(AuditEntry).where(AuditEntry.action == "metric_snapshot.reviewed"))
        published = session.get(ReviewItem, item.id)
    assert (published.status, note.title) == (ItemStatus.PUBLISHED, "Report")
    assert "QuickBooks: spend $182.00" in note.body
    assert (snapshots[november].status, snapshots[november].owner) == ("reviewed", "sam")
    assert snapshots[october].status == "unreviewed", "a snapshot the note did not use stays unreviewed"
    assert marked.detail["snapshot_ids"] == [november]
    assert "published, approved by sam" in report_for(database, "Northside Plumbing", "2026-11")


def test_a_regenerated_report_draft_keeps_money_as_proof(database: Database) -> None:
    client_id, _, _ = _northside(database)
    create_due_reports(database, NOW)
    item = _report_item(database, client_id)
    text = "November: QuickBooks reports spend $182.00 and we answered leads within 9 min."
    result = DraftResult("ai", "Rewritten by the AI.", text, "Approve.", 0.9, "x")
    store_regenerated(database, make_actor(database, "riley"), item.id, item.version, result, "shorter")
    with database.read() as session:
        codes = set(session.scalars(select(RiskFlag.code).where(RiskFlag.review_item_id == item.id)))
    assert FlagCode.PRICING_PROMISE not in codes


def test_report_for_gives_the_periods_text_and_its_review_state(database: Database) -> None:
    client_id, _, _ = _northside(database)
    before = report_for(database, "northside-plumbing", "2026-11")
    assert before.startswith(
        "Northside Plumbing, 2026-11: no report note yet; built now from the records, not reviewed."
    )
    assert "Booked jobs: 1 lead won." in before
    create_due_reports(database, NOW)
    waiting = report_for(database, "Northside Plumbing", "2026-11")
    item = _report_item(database, client_id)
    assert waiting.startswith(f"Northside Plumbing, 2026-11: report note #{item.id}, pending, not approved.")
    assert "QuickBooks: spend $182.00" in waiting
    assert "Leads: 0 new leads." in report_for(database, "Northside Plumbing", "2026-W40")
    with pytest.raises(ReportUnavailable, match="No client"):
        report_for(database, "Nobody", "2026-11")
    with pytest.raises(ReportUnavailable, match="not a report period"):
        report_for(database, "Northside Plumbing", "last month")


def test_a_syncs_report_note_names_its_batchs_snapshots_and_approval_reviews_them(
    database: Database, poll_config: PollConfig
) -> None:
    with database.write() as session:
        client_id = ensure_demo_catalog(session)["cedar-roofing"]
    body = (Path(__file__).parent / "payloads" / "search_console" / "daily_by_date.json").read_text()
    add_delivery(database, "search_console", body, client_id)
    assert drain(database, poll_config).processed == 1
    older = _snapshot(database, client_id, "search_console", "clicks", "40", NOVEMBER_START)
    with database.read() as session:
        item = session.scalar(select(ReviewItem).where(ReviewItem.kind == ItemKind.REPORT_NOTE))
        batch = set(session.scalars(select(MetricSnapshot.id).where(MetricSnapshot.import_batch_id.is_not(None))))
        proofs = set(session.scalars(select(ReportProof.snapshot_id).where(ReportProof.review_item_id == item.id)))
    assert len(batch) >= 4 and proofs == batch
    approve(database, make_actor(database, "sam"), item.id, item.version)
    with database.read() as session:
        states = {row.id: row.status for row in session.execute(select(MetricSnapshot.id, MetricSnapshot.status))}
    assert {states[s] for s in batch} == {"reviewed"} and states[older] == "unreviewed"
