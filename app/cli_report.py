"""``review-desk report``: the KPIs, the decisions, the audit log and a client's report, for
scripts. Dates are days in UTC, ``--to`` included; a bad date or an unknown client is said in
one line with exit code 2."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TextIO

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.metrics import Dimension, Scope
from app.runtime import Runtime
from db.engine import Database
from db.models import Client


class ReportError(ValueError):
    """A date or a name the command cannot use; its text is the message to print."""


def add_report_parser(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    report = commands.add_parser(
        "report", parents=[common], help="KPIs, decisions, the audit log and client reports, for scripts"
    )
    reports = report.add_subparsers(dest="report_command", metavar="WHAT", required=True)
    period = argparse.ArgumentParser(add_help=False)
    period.add_argument("--from", dest="start", required=True, metavar="DATE", help="first day, YYYY-MM-DD (UTC)")
    period.add_argument("--to", dest="end", required=True, metavar="DATE", help="last day, included (UTC)")
    period.add_argument("--client", help="one client, by its name as the desk shows it")
    kpis = reports.add_parser("kpis", parents=[common, period], help="the KPI table of a period")
    kpis.add_argument("--by", choices=[d.value for d in Dimension], help="one row per client, lane, source...")
    kpis.add_argument("--format", choices=("csv", "json"), default="csv")
    kpis.add_argument("--output", type=Path, metavar="FILE", help="write to FILE (default: standard output)")
    for name, what in (("decisions", "the items decided in a period"), ("audit", "the audit log of a period")):
        export = reports.add_parser(name, parents=[common, period], help=f"CSV of {what}")
        export.add_argument("--output", type=Path, required=True, metavar="FILE")
    audit = reports.choices["audit"]
    audit.add_argument("--actor", help="only what this login (or component: pipeline, worker) did")
    audit.add_argument("--action", help="only actions starting with this (review_item., pause.)")
    client = reports.add_parser("client", parents=[common], help="a client's report for a month or a week")
    client.add_argument("name", help="the client's name")
    client.add_argument("--period", required=True, help="a month (2026-11) or an ISO week (2026-W47)")


def run_report(runtime: Runtime, args: argparse.Namespace) -> int:
    database = runtime.open_database()
    try:
        if args.report_command == "client":
            return _client_report(database, args)
        with database.read() as session:
            scope = _scope(session, args)
            if args.report_command == "kpis":
                return _kpis(session, scope, args)
            return _export(session, scope, args)
    except ReportError as problem:
        print(f"review-desk report {args.report_command}: {problem}", file=sys.stderr)
        return 2
    finally:
        database.dispose()


def _day(text: str, option: str) -> datetime:
    try:
        return datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        raise ReportError(f"{option} {text!r} is not a date: write it as YYYY-MM-DD (2026-11-01)") from None


def _scope(session: Session, args: argparse.Namespace) -> Scope:
    start, last = _day(args.start, "--from"), _day(args.end, "--to")
    if last < start:
        raise ReportError(f"--to {args.end} is before --from {args.start}")
    client_id = _client_id(session, args.client) if args.client else None
    return Scope(start, last + timedelta(days=1), client_id=client_id)


def _client_id(session: Session, name: str) -> int:
    wanted = name.strip().lower()
    found = session.scalar(
        select(Client.id).where(or_(func.lower(Client.name) == wanted, func.lower(Client.slug) == wanted))
    )
    if found is None:
        known = ", ".join(session.scalars(select(Client.name).order_by(Client.name))) or "none yet"
        raise ReportError(f"no client named {name!r} (clients: {known})")
    return found


@contextmanager
def _output(path: Path | None) -> Iterator[TextIO]:
    if path is None:
        yield sys.stdout
        return
    try:
        out = path.open("w", newline="", encoding="utf-8")
    except OSError as exc:
        raise ReportError(f"cannot write {path}: {exc.strerror}") from None
    with out:
        yield out


def _kpis(session: Session, scope: Scope, args: argparse.Namespace) -> int:
    from app.exports import kpis_as_json, named_filters, write_kpis
    from app.metrics.catalogue import METRICS
    from app.metrics.kpis import kpi_table

    by = Dimension(args.by) if args.by else None
    rows = kpi_table(session, scope, by=by)
    filters = named_filters(session, scope, by)
    with _output(args.output) as out:
        if args.format == "json":
            json.dump(kpis_as_json(rows, METRICS, scope, filters), out, indent=2, ensure_ascii=False)
            out.write("\n")
        else:
            write_kpis(out, rows, METRICS, scope, filters)
    return 0


def _export(session: Session, scope: Scope, args: argparse.Namespace) -> int:
    from app.exports import named_filters, write_audit, write_decisions

    if args.report_command == "decisions":
        filters = named_filters(session, scope)
        with _output(args.output) as out:
            count = write_decisions(session, out, scope, filters)
    else:
        filters = named_filters(session, scope, actor=args.actor, action=args.action)
        with _output(args.output) as out:
            count = write_audit(session, out, scope, filters, args.actor, args.action)
    print(f"wrote {count} {'decisions' if args.report_command == 'decisions' else 'audit entries'} to {args.output}")
    return 0


def _client_report(database: Database, args: argparse.Namespace) -> int:
    from app.services.client_reports import ReportUnavailable, report_for

    try:
        text = report_for(database, args.name, args.period)
    except ReportUnavailable as problem:
        raise ReportError(str(problem)) from None
    print(text)
    return 0
