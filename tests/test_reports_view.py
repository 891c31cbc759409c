"""The Reports window, worked from the keyboard on a small SQLite history: the filters change
the tiles and the table, every model passes Qt's model tester, a reviewer sees only their own
figures, the client PDF holds the approved report text only, and a read overtaken by a newer
filter is dropped."""

from __future__ import annotations

import re
import unicodedata
import zlib
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox

from app.desk import reports as ops
from app.desk.reports import ReportFilters
from app.identity import Actor
from app.metrics import Dimension
from db.engine import Database
from db.models import Client, Draft, PortalNote, ReviewItem
from db.types import utcnow
from db.vocab import ItemKind, ItemStatus, Role, Workflow
from tests.desk_fixtures import DeskFactory
from tests.helpers import actor_with
from ui.desktop import Desk
from ui.reports.pdf import report_text
from ui.reports.view import ReportsWindow

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier
APPROVED = "Forty-two leads came in this month; 38 were answered within fifteen minutes."
NOT_APPROVED = "DRAFT WORDING nobody approved"
INTERNAL = "INTERNAL proof: spend 182.00 from the QuickBooks snapshot"


def pdf_text(data: bytes) -> str:
    """The glyphs a PDF from Qt's writer draws, as text through its ToUnicode map, without
    whitespace (Qt positions each glyph; its map gives a space as a tab). Enough to read back
    plain text in one font, with no PDF library installed."""
    streams = []
    for raw in re.findall(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            streams.append(zlib.decompress(raw))
        except zlib.error:
            streams.append(raw)
    glyphs: dict[str, str] = {}
    for cmap in (s for s in streams if b"begincmap" in s):
        for first, listed in re.findall(rb"<([0-9A-F]{4})> <[0-9A-F]{4}> \[([^\]]*)\]", cmap):
            for offset, code in enumerate(re.findall(rb"<([0-9A-F]{4})>", listed)):
                glyphs[f"{int(first, 16) + offset:04X}"] = chr(int(code, 16))
        for glyph, code in re.findall(rb"<([0-9A-F]{4})> <([0-9A-F]{4})>\n", cmap.split(b"beginbfchar")[-1]):
            glyphs.setdefault(glyph.decode(), chr(int(code, 16)))
    drawn = b"".join(re.findall(rb"<([0-9A-F]+)> Tj", b"".join(s for s in streams if b" Tj" in s))).decode()
    return "".join("".join(glyphs.get(drawn[i : i + 4], "?") for i in range(0, len(drawn), 4)).split())


def squeezed(text: str) -> str:
    """Without white space, and with the PDF's ligatures ("ﬁ") read back as their letters."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def clients_of(database: Database) -> list[int]:
    with database.read() as session:
        return sorted(c.id for c in session.query(Client).filter(Client.active.is_(True)))


def decided(
    database: Database,
    client_id: int,
    reviewer: Actor,
    count: int,
    days_ago: float,
    workflow: str = Workflow.NEW_LEAD_FOLLOW_UP,
    edit_class: str | None = "unchanged",
    status: str = ItemStatus.PUBLISHED,
) -> None:
    """``count`` items decided by ``reviewer`` ``days_ago`` days back, each in 10 minutes."""
    decided_at = utcnow() - timedelta(days=days_ago)
    with database.write() as session:
        for n in range(count):
            arrived = decided_at - timedelta(minutes=10)
            session.add(
                ReviewItem(
                    kind=ItemKind.PORTAL_NOTE,
                    client_id=client_id,
                    workflow=workflow,
                    provider="webform",
                    arrived_at=arrived,
                    sla_due_at=arrived + timedelta(hours=1),
                    lead_label=f"History lead {reviewer.login} {days_ago}-{n}",
                    source="webform",
                    status=status,
                    edit_class=edit_class,
                    decided_by_id=reviewer.user_id,
                    decided_at=decided_at,
                )
            )


def report_note(database: Database, client_id: int, published_at: datetime) -> None:
    """A published report note: its draft and internal summary say other things than the
    approved text the client was shown."""
    with database.write() as session:
        item = ReviewItem(
            kind=ItemKind.REPORT_NOTE,
            client_id=client_id,
            workflow=Workflow.CLIENT_REPORT_NOTE,
            provider="quickbooks",
            arrived_at=published_at - timedelta(hours=1),
            sla_due_at=published_at + timedelta(hours=1),
            source="quickbooks",
            status=ItemStatus.PUBLISHED,
            final_text=APPROVED,
            edit_class="rewrite",
            decided_at=published_at,
        )
        session.add(item)
        session.flush()
        session.add(
            Draft(
                review_item_id=item.id,
                drafter="offline",
                internal_summary=INTERNAL,
                client_text=NOT_APPROVED,
                source="drafter",
                status="current",
            )
        )
        session.add(
            PortalNote(
                client_id=client_id,
                review_item_id=item.id,
                title="Your month in review",
                body=APPROVED,
                published_at=published_at,
                source="desk",
                status="published",
            )
        )


def people(database: Database) -> tuple[Actor, Actor, Actor]:
    """A supervisor and two reviewers."""
    return (
        actor_with(database, "sam", Role.SUPERVISOR),
        actor_with(database, "ana", Role.REVIEWER),
        actor_with(database, "ben", Role.REVIEWER),
    )


def history(database: Database, ana: Actor, ben: Actor) -> list[int]:
    """Ana decided 6 items for the first client (4 today, 2 rejected 20 days ago), Ben 3
    rewrites for the second yesterday, in another lane. (The clients come with the desk's
    demo deliveries.)"""
    first, second, *_ = clients_of(database)
    decided(database, first, ana, 4, days_ago=0)
    decided(database, first, ana, 2, days_ago=20, edit_class=None, status=ItemStatus.REJECTED)
    decided(database, second, ben, 3, days_ago=1, workflow=Workflow.QUOTE_FOLLOW_UP, edit_class="rewrite")
    return [first, second]


def open_reports(qtbot: Any, desk: Desk) -> ReportsWindow:
    qtbot.keyClick(desk.window, Qt.Key.Key_K, CTRL_SHIFT)
    qtbot.waitUntil(lambda: desk.reports is not None and desk.reports.isVisible())
    reports = desk.reports
    assert reports is not None
    qtbot.waitUntil(lambda: reports.page is not None and not desk.runner.busy)
    return reports


def tile(reports: ReportsWindow, label: str) -> str:
    (found,) = [t for t in reports.tiles if t.name.text() == label]
    return found.value.text()


def table_labels(reports: ReportsWindow) -> list[str]:
    model = reports.kpi_model
    return [model.data(model.index(row, 0)) for row in range(model.rowCount())]


def choose(qtbot: Any, desk: Desk, mnemonic: Qt.Key, combo: QComboBox, value: object) -> None:
    """The filter's mnemonic, then Home and the arrow keys down to ``value``; each choice reads
    the page again, and the last one is shown."""
    reports = desk.reports
    assert reports is not None
    qtbot.keyClick(reports, mnemonic, ALT)
    assert QApplication.focusWidget() is combo
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    for _ in range(combo.findData(value)):
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentData() == value
    qtbot.waitUntil(lambda: not desk.runner.busy and reports.page.filters == reports.filters())


def test_the_filters_from_the_keyboard_change_the_tiles_and_the_table(
    qtbot: Any, make_desk: DeskFactory, sqlite_database: Database
) -> None:
    supervisor, ana, ben = people(sqlite_database)
    desk = make_desk(sqlite_database, actor=supervisor)
    first, _second = history(sqlite_database, ana, ben)
    reports = open_reports(qtbot, desk)
    assert reports.period.currentData() == "last_4_weeks"
    assert tile(reports, "Items decided") == "9"
    (turnaround,) = [t for t in reports.tiles if t.name.text() == "Review turnaround, median"]
    assert turnaround.value.text() == "10.0 min" and turnaround.over.text() == "over 9"
    lanes = {row.key: row for row in reports.page.rows}
    assert table_labels(reports) == [row.label for row in reports.page.rows]
    assert lanes[Workflow.QUOTE_FOLLOW_UP].figures["decided"].value == 3
    assert lanes[Workflow.NEW_LEAD_FOLLOW_UP].figures["decided"].value == 6
    # Alt+C: the first client only (Ana's six items).
    choose(qtbot, desk, Qt.Key.Key_C, reports.client, first)
    assert tile(reports, "Items decided") == "6" and tile(reports, "Rejected") == "33%"
    # Alt+P: this week, without Ana's rejections of 20 days ago; the dates follow.
    this_week = ops.period_range("this_week", *_today())
    choose(qtbot, desk, Qt.Key.Key_P, reports.period, "this_week")
    assert reports.page.filters.start == this_week[0]
    assert reports.start_date.date().toPython() == this_week[0].astimezone().date()
    assert tile(reports, "Items decided") == "4" and tile(reports, "Rejected") == "0%"
    # Alt+C, Alt+P, Alt+G: everyone's last 4 weeks by reviewer, one row per reviewer.
    choose(qtbot, desk, Qt.Key.Key_C, reports.client, None)
    choose(qtbot, desk, Qt.Key.Key_P, reports.period, "last_4_weeks")
    choose(qtbot, desk, Qt.Key.Key_G, reports.by, Dimension.REVIEWER)
    assert reports.page.filters.by is Dimension.REVIEWER and reports.kpi_model.group == "Reviewer"
    assert sorted(table_labels(reports)) == ["ana", "ben"]
    qtbot.keyClick(reports, Qt.Key.Key_Escape)
    assert not reports.isVisible()


def _today() -> tuple[Any, Any]:
    now = datetime.now().astimezone()
    return now.date(), now.tzinfo


def test_every_model_passes_the_model_tester(
    qtbot: Any, qtmodeltester: Any, make_desk: DeskFactory, sqlite_database: Database
) -> None:
    supervisor, ana, ben = people(sqlite_database)
    desk = make_desk(sqlite_database, actor=supervisor)
    first, _second = history(sqlite_database, ana, ben)
    # A week one and a latest full week for the baseline panel, however today falls.
    monday = ops.period_range("this_week", *_today())[0]
    for days_ago in (21, 12, 5):
        decided(sqlite_database, first, ana, 3, days_ago=(utcnow() - monday).total_seconds() / 86400 + days_ago)
    reports = open_reports(qtbot, desk)
    assert reports.lane_model.rowCount() >= 1  # the baseline panel has its lanes
    assert reports.comparison_model.rowCount() >= 1 and reports.verdict.text()
    for model in (reports.kpi_model, reports.comparison_model, reports.lane_model, reports.breakdown_model):
        qtmodeltester.check(model, force_py=True)


def test_a_reviewer_sees_only_their_own_figures(qtbot: Any, make_desk: DeskFactory, sqlite_database: Database) -> None:
    _supervisor, ana, ben = people(sqlite_database)
    desk = make_desk(sqlite_database, actor=ana)
    history(sqlite_database, ana, ben)
    # Asked for everyone by reviewer, the operation still answers with Ana's own decisions.
    page = ops.report_page(
        sqlite_database, ana, ReportFilters(utcnow() - timedelta(days=28), utcnow(), by=Dimension.REVIEWER)
    )
    assert page.own and page.scope.reviewer_id == ana.user_id and page.filters.by is None
    assert page.lanes == () and [row.label for row in page.rows] == ["All"]
    assert {t.metric.key for t in page.tiles} <= set(ops.SELF_KEYS)
    reports = open_reports(qtbot, desk)
    assert reports.by.findData(Dimension.REVIEWER) == -1
    assert not reports.tabs.isTabVisible(reports.baseline_tab)
    assert tile(reports, "Items decided") == "6"
    shown = " ".join(table_labels(reports)) + " ".join(t.accessibleName() for t in reports.tiles)
    assert "ben" not in shown
    assert "Your own decisions" in reports.status.text()


def test_the_client_pdf_holds_the_approved_report_text_only(
    qtbot: Any, make_desk: DeskFactory, sqlite_database: Database, tmp_path: Path
) -> None:
    supervisor, ana, ben = people(sqlite_database)
    desk = make_desk(sqlite_database, actor=supervisor)
    first, second = history(sqlite_database, ana, ben)
    report_note(sqlite_database, first, utcnow() - timedelta(days=2))
    report_note(sqlite_database, second, utcnow() - timedelta(days=3))  # another client's
    reports = open_reports(qtbot, desk)
    reports.client.setCurrentIndex(reports.client.findData(first))
    qtbot.waitUntil(lambda: reports.page.filters.client_id == first and not desk.runner.busy)
    assert reports.export_pdf_button.isEnabled()
    path = tmp_path / desk.reports.controller.file_name("pdf")
    assert path.name.startswith("report_") and path.suffix == ".pdf"
    reports.controller.export_pdf(path, first)
    qtbot.waitUntil(lambda: path.exists() and not desk.runner.busy)
    data = path.read_bytes()
    assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF") and len(data) > 1000
    assert str(path) in reports.status.text() and "1 approved note" in reports.status.text()
    drawn = squeezed(pdf_text(data))
    assert squeezed(APPROVED) in drawn and squeezed("Your month in review") in drawn
    assert squeezed(NOT_APPROVED) not in drawn and "INTERNAL" not in drawn and "182.00" not in drawn
    # The second client's note is not in the first client's report.
    report = ops.client_report(sqlite_database, first, reports.page.scope.start, reports.page.scope.end)
    assert len(report.notes) == 1 and report_text(report).count(APPROVED) == 1


def test_the_kpi_csv_is_the_table_shown(qtbot: Any, make_desk: DeskFactory, sqlite_database: Database, tmp_path: Path):
    supervisor, ana, ben = people(sqlite_database)
    desk = make_desk(sqlite_database, actor=supervisor)
    history(sqlite_database, ana, ben)
    reports = open_reports(qtbot, desk)
    name = reports.controller.file_name("csv")
    assert name.startswith("kpis_") and name.endswith("_by-lane.csv")
    path = tmp_path / name
    reports.controller.export_csv(path)
    qtbot.waitUntil(lambda: path.exists() and not desk.runner.busy)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# Review Desk") and any("by = lane" in line for line in lines[:4])
    assert sum(",decided," in line for line in lines) == len(table_labels(reports))


def test_an_answer_overtaken_by_a_newer_filter_is_dropped(
    qtbot: Any, make_desk: DeskFactory, sqlite_database: Database
) -> None:
    supervisor, ana, ben = people(sqlite_database)
    desk = make_desk(sqlite_database, actor=supervisor)
    first, _second = history(sqlite_database, ana, ben)
    reports = open_reports(qtbot, desk)
    shown: list[ReportFilters] = []
    reports.controller.page_ready.connect(lambda page: shown.append(page.filters))
    older = reports.filters()
    newer = ReportFilters(older.start, older.end, first, None, Dimension.SOURCE)
    reports.controller.load(older)
    assert reports.status.text() == "Loading…"
    reports.controller.load(newer)
    qtbot.waitUntil(lambda: not desk.runner.busy)
    assert shown == [newer]
    assert reports.page.filters == newer and reports.kpi_model.group == "Source"
