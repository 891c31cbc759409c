"""CSV exports: what is written reads back the same, the header and the file name say the
period and the filters, formulas are defused, and the audit log is streamed."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event, insert

from app.demo import ensure_demo_catalog
from app.exports import (
    DECISION_COLUMNS,
    EOL,
    STREAM_ROWS,
    export_name,
    named_filters,
    scope_filters,
    write_audit,
    write_decisions,
    write_kpi_csv,
    write_kpis,
)
from app.metrics import Dimension, Figure, KpiRow, Scope
from app.metrics.catalogue import METRICS
from db.engine import Database
from db.models import AuditEntry, ReviewItem, User
from db.vocab import EditClass, ItemKind, ItemStatus

NOVEMBER = Scope(datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC))


def read_back(text: str) -> tuple[list[str], list[dict[str, str]]]:
    """The comment lines, and the rows as the csv module reads them."""
    comments = []
    while text.startswith("#"):
        line, text = text.split(EOL, 1)
        comments.append(line)
    return comments, list(csv.DictReader(io.StringIO(text, newline="")))


def test_the_file_name_carries_the_period_and_the_filters() -> None:
    scope = Scope(NOVEMBER.start, NOVEMBER.end, client_id=3, workflow="quote_follow_up")
    filters = scope_filters(scope, Dimension.LANE, client="Acme Plumbing & Sons")
    assert (
        export_name("kpis", scope, filters)
        == "kpis_2026-11-01_2026-11-30_client-acme-plumbing-sons_lane-quote-follow-up_by-lane.csv"
    )
    assert export_name("audit", NOVEMBER, scope_filters(NOVEMBER)) == "audit_2026-11-01_2026-11-30.csv"
    assert scope_filters(scope).in_words() == "client = 3; lane = quote_follow_up"


def test_a_kpi_table_reads_back_the_same_with_its_header(tmp_path: Path) -> None:
    rows = [
        KpiRow("all", "All", {"decided": Figure(12, 12), "sla_hit_rate": Figure(0.75, 12), "leads": Figure(None)}),
        KpiRow("=cmd|'/c calc'!A1", "@SUM(A1:A9)", {"reject_rate": Figure(0.5, 4)}),
    ]
    scope = Scope(NOVEMBER.start, NOVEMBER.end, client_id=1)
    path = write_kpi_csv(
        tmp_path / "kpis.csv", rows, scope, Dimension.CLIENT, scope_filters(scope, Dimension.CLIENT, "Acme")
    )
    comments, lines = read_back(path.read_bytes().decode("utf-8"))
    assert comments[0] == "# Review Desk: KPI table"
    assert comments[1].startswith("# period: 2026-11-01 to 2026-11-30 (UTC")
    assert comments[2] == "# filters: client = Acme; by = client"
    got = [(r["group"], r["group_label"], r["metric"], r["unit"], r["value"], r["count"]) for r in lines]
    order = [m.key for m in METRICS]
    assert [r[2] for r in got[:3]] == sorted(["decided", "sla_hit_rate", "leads"], key=order.index)
    assert ("all", "All", "sla_hit_rate", "rate", "0.75", "12") in got
    assert ("all", "All", "leads", "count", "", "0") in got  # nothing to compute: empty, never 0
    # A cell a spreadsheet would run as a formula starts with an apostrophe.
    assert ("'=cmd|'/c calc'!A1", "'@SUM(A1:A9)", "reject_rate", "rate", "0.5", "4") in got


def test_text_cells_that_start_like_a_formula_are_defused() -> None:
    labels = ["=1+1", "+12025550101", "-2", "@A1", "\tx", "\rx", "plain", "a=b"]
    rows = [KpiRow(str(n), label, {"decided": Figure(-1, 1)}) for n, label in enumerate(labels)]
    out = io.StringIO()
    write_kpis(out, rows, METRICS, NOVEMBER, scope_filters(NOVEMBER))
    _, lines = read_back(out.getvalue())
    assert [r["group_label"] for r in lines] == [
        "'=1+1",
        "'+12025550101",
        "'-2",
        "'@A1",
        "'\tx",
        "'\rx",
        "plain",
        "a=b",
    ]
    assert {r["value"] for r in lines} == {"-1"}  # numbers are numbers


def _item(client_id: int, user_id: int, at: datetime, label: str, **more: Any) -> ReviewItem:
    fields: dict[str, Any] = {
        "status": ItemStatus.QUEUED,
        "edit_class": EditClass.UNCHANGED,
        "workflow": "new_lead_follow_up",
        "provider": "web_form",
    }
    fields.update(more)
    return ReviewItem(
        kind=ItemKind.MESSAGE,
        client_id=client_id,
        arrived_at=at - timedelta(minutes=9),
        sla_due_at=at + timedelta(hours=1),
        lead_label=label,
        decided_by_id=user_id,
        decided_at=at,
        source=fields["provider"],
        final_text="Hi Maria, thanks for reaching out. Reply STOP to opt out.",
        **fields,
    )


def test_decisions_read_back_the_same(database: Database) -> None:
    day = datetime(2026, 11, 12, 15, 30, tzinfo=UTC)
    with database.write() as session:
        clients = ensure_demo_catalog(session)
        northside, cedar = clients["northside-plumbing"], clients["cedar-roofing"]
        riley = User(login="riley", display_name="Riley")
        session.add(riley)
        session.flush()
        items = [
            _item(northside, riley.id, day, "Maria Lopez", flag_codes="pricing_promise,pii_phone"),
            _item(
                northside,
                riley.id,
                day + timedelta(hours=1),
                '=HYPERLINK("http://x")',
                edit_class="light_edit",
                status=ItemStatus.PUBLISHED,
            ),
            _item(
                northside,
                riley.id,
                day + timedelta(hours=2),
                "+1 202 555 0101",
                status=ItemStatus.REJECTED,
                edit_class=None,
                reject_reason="tone",
                workflow="quote_follow_up",
            ),
            _item(cedar, riley.id, day, "Other client"),  # filtered out
            _item(northside, riley.id, day + timedelta(days=30), "December"),  # outside the period
        ]
        session.add_all(items)
        session.flush()
        session.add(
            AuditEntry(
                actor="riley",
                source="desk",
                action="review_item.escalated",
                entity="review_item",
                entity_id=items[2].id,
                review_item_id=items[2].id,
                client_id=northside,
            )
        )
    scope = Scope(NOVEMBER.start, NOVEMBER.end, client_id=northside)
    out = io.StringIO()
    with database.read() as session:
        filters = named_filters(session, scope)
        assert write_decisions(session, out, scope, filters) == 3
    comments, rows = read_back(out.getvalue())
    assert comments[2] == "# filters: client = Northside Plumbing"
    assert list(rows[0]) == list(DECISION_COLUMNS)
    assert [
        (
            r["item_id"],
            r["decided_at"],
            r["reviewer"],
            r["client"],
            r["lead"],
            r["decision"],
            r["edit_class"],
            r["reject_reason"],
            r["escalated"],
            r["flags"],
            r["lane"],
            r["status_now"],
        )
        for r in rows
    ] == [
        (
            str(items[0].id),
            day.isoformat(),
            "riley",
            "Northside Plumbing",
            "Maria Lopez",
            "approved",
            "unchanged",
            "",
            "no",
            "pricing_promise,pii_phone",
            "new_lead_follow_up",
            "queued",
        ),
        (
            str(items[1].id),
            (day + timedelta(hours=1)).isoformat(),
            "riley",
            "Northside Plumbing",
            '\'=HYPERLINK("http://x")',
            "edited",
            "light_edit",
            "",
            "no",
            "",
            "new_lead_follow_up",
            "published",
        ),
        (
            str(items[2].id),
            (day + timedelta(hours=2)).isoformat(),
            "riley",
            "Northside Plumbing",
            "'+1 202 555 0101",
            "rejected",
            "",
            "tone",
            "yes",
            "",
            "quote_follow_up",
            "rejected",
        ),
    ]
    assert "Reply STOP" not in out.getvalue()  # no text of what was sent


def test_the_audit_log_is_streamed_with_its_filters(database: Database) -> None:
    """More rows than one batch of the stream, read through a server-side cursor where the
    database has one; entries outside the period or of another client are left out."""
    start = NOVEMBER.start
    with database.write() as session:
        clients = ensure_demo_catalog(session)
        northside, cedar = clients["northside-plumbing"], clients["cedar-roofing"]
        rows = [
            {
                "at": start + timedelta(minutes=n),
                "actor": "riley" if n % 2 else "pipeline",
                "source": "desk",
                "action": "review_item.approved" if n % 3 else "owner_task.completed",
                "outcome": "ok",
                "recovery": "",
                "entity": "review_item",
                "entity_id": n,
                "review_item_id": None,
                "lead_id": None,
                "client_id": northside if n % 5 else cedar,
                "detail": {"n": n, "note": "=not a formula"},
            }
            for n in range(-10, STREAM_ROWS * 2 + 10)
        ]
        session.execute(insert(AuditEntry.__table__), rows)
    streamed: list[bool] = []

    def seen(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        if "FROM audit_log" in statement:
            streamed.append(bool(context.execution_options.get("stream_results")))

    scope = Scope(start, start + timedelta(days=7), client_id=northside)
    out = io.StringIO()
    event.listen(database.engine, "before_cursor_execute", seen)
    try:
        with database.read() as session:
            written = write_audit(
                session, out, scope, named_filters(session, scope, action="review_item."), action="review_item."
            )
    finally:
        event.remove(database.engine, "before_cursor_execute", seen)
    expected = [r for r in rows if r["at"] >= start and r["client_id"] == northside and r["entity_id"] % 3]
    assert streamed == [True]
    comments, lines = read_back(out.getvalue())
    assert comments[2] == "# filters: client = Northside Plumbing; action = review_item."
    assert written == len(lines) == len(expected) > STREAM_ROWS
    assert [json.loads(line["detail"]) for line in lines] == [r["detail"] for r in expected]
    assert [int(line["id"]) for line in lines] == sorted(int(line["id"]) for line in lines)
    assert {line["action"] for line in lines} == {"review_item.approved"}
    assert lines[0]["at"] == expected[0]["at"].isoformat()
