"""The ``review-desk`` command line.

``review-desk`` with no command starts the desktop app (and ``--self-test`` checks it
offscreen); the desktop itself lives in ``ui`` and is handed in by the launcher, so this module
and the headless commands never import Qt. Every command reaches the database the desk does:
the URL from the settings with its password from the keyring (``Runtime.create``).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from sqlalchemy.exc import DBAPIError, OperationalError

import app
from app.cli_report import add_report_parser, run_report
from app.crm.sender import push_due
from app.cycle import run_cycle
from app.database_failure import FailureKind, explain
from app.identity import default_login
from app.logging_setup import configure_logging
from app.pipeline.model import Quarantined
from app.pipeline.normalizers import PROVIDERS, normalize
from app.pipeline.poller import PollResult
from app.runtime import Runtime
from app.services.intake import REPLAYABLE, replay
from db.engine import Database, DatabaseUrlError, normalize_url
from db.migrate import current_revision, head_revision
from db.types import utcnow
from db.vocab import WebhookStatus

DesktopEntry = Callable[[Runtime, argparse.Namespace], int]
log = logging.getLogger(__name__)


class _PrintVersion(argparse.Action):
    """``--version``, with the version read only when it is asked for."""

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        parser.exit(message=f"review-desk {app.__version__}\n")


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        metavar="URL",
        default=argparse.SUPPRESS,
        help="database URL (default: $REVIEW_DESK_DB_URL, the settings, or SQLite in the data folder)",
    )
    common.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help="log debug details")
    parser = argparse.ArgumentParser(
        prog="review-desk",
        parents=[common],
        description="Review Desk: approve, edit or reject what the automation wants to send.",
    )
    parser.add_argument("--version", action=_PrintVersion, nargs=0, help="print the version and exit")
    parser.add_argument(
        "--self-test", action="store_true", help="start offscreen on a temporary database, run the route once, exit"
    )
    parser.add_argument(
        "--demo-if-empty", action="store_true", help="load demo data when the database has no webhook events yet"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = commands.add_parser("demo", parents=[common], help="write realistic raw provider webhook events")
    demo.add_argument("--events", type=int, default=200, metavar="N", help="how many deliveries to write (default 200)")
    demo.add_argument("--seed", type=int, default=None, help="random seed, for repeatable data")

    worker = commands.add_parser("worker", parents=[common], help="run the pipeline headless")
    worker.add_argument("--once", action="store_true", help="drain what is waiting, then exit")

    normalize_cmd = commands.add_parser(
        "normalize",
        help="print the normalized events of one payload file as JSON",
        description="Exit 0 with the events as JSON, or exit 2 with the quarantine reason. "
        "FILE is the raw body, or a JSON object with 'headers' and 'body'.",
    )
    normalize_cmd.add_argument(
        "provider", choices=PROVIDERS, metavar="PROVIDER", help="one of: " + ", ".join(PROVIDERS)
    )
    normalize_cmd.add_argument("file", type=Path, metavar="FILE")

    replay_cmd = commands.add_parser(
        "replay",
        parents=[common],
        help="send quarantined or held deliveries through the pipeline again",
    )
    replay_cmd.add_argument("status", choices=[s.value for s in REPLAYABLE])
    replay_cmd.add_argument("--provider", help="only deliveries from this provider")
    replay_cmd.add_argument(
        "--id", dest="ids", type=int, action="append", metavar="N", help="only this webhook event (repeatable)"
    )

    consent = commands.add_parser(
        "consent",
        parents=[common],
        help="a client's do-not-contact entry, or an opt-in (supervisors)",
        description="Recorded for the contact: every lead of the client with that phone or email "
        "follows, whatever its age, until the opposite is recorded.",
    )
    consent.add_argument(
        "state", choices=("stop", "start"), help="stop: do not contact; start: the contact asked to hear from us again"
    )
    consent.add_argument("--client", required=True, help="the client's name, as the desk shows it")
    consent.add_argument("--phone", default="", help="the contact's phone number")
    consent.add_argument("--email", default="", help="the contact's email address")
    consent.add_argument("--note", required=True, help="where this comes from (who asked, when)")

    users = commands.add_parser("users", parents=[common], help="the desk's people")
    users_commands = users.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    contact = users_commands.add_parser(
        "contact",
        parents=[common],
        help="where a person's owner alerts reach them when no desk of theirs is open",
        description="Supervisors and admins, or the person themselves. A --phone or --email left out stays "
        "as it is; --channel left out is none (the desk only).",
    )
    contact.add_argument("login", help="the person's login")
    contact.add_argument("--phone", help="their phone number for SMS alerts ('' clears it)")
    contact.add_argument("--email", help="their email address for email alerts ('' clears it)")
    contact.add_argument("--channel", choices=("sms", "email", "none"), default="none", help="how alerts reach them")

    add_report_parser(commands, common)

    database = commands.add_parser("db", parents=[common], help="database maintenance")
    db_commands = database.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    db_commands.add_parser("upgrade", parents=[common], help="migrate the schema to the newest version")
    db_commands.add_parser("current", parents=[common], help="print the schema version in place")
    return parser


def _summary(result: PollResult) -> str:
    return (
        f"processed {result.processed} webhook events ({result.quarantined} quarantined): "
        f"{result.events} events, {result.duplicates} repeated deliveries, "
        f"{result.items} review items"
    )


def run_demo(runtime: Runtime, args: argparse.Namespace) -> int:
    if args.events < 1:
        print("review-desk demo: --events must be at least 1", file=sys.stderr)
        return 2
    from app.demo import write_demo_events
    from app.demo_team import ensure_demo_operations, write_demo_history

    database = runtime.open_database()
    try:
        with database.write() as session:
            written = write_demo_events(session, args.events, args.seed)
            ensure_demo_operations(session)
            write_demo_history(session)
    finally:
        database.dispose()
    print(f"wrote {written} demo webhook events to {database.display_url}")
    return 0


def run_worker(runtime: Runtime, args: argparse.Namespace) -> int:
    database = runtime.open_database()
    log.info("worker %d started on %s", os.getpid(), database.display_url)
    ai = runtime.ai_config()
    config = runtime.poll_config(source="worker", ai_on=ai is not None)
    stage = runtime.drafting_stage(database, ai, "worker") if ai is not None else None
    crm = runtime.crm_adapter()
    stop = threading.Event()
    if not args.once:
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
    try:
        while True:
            cycle = run_cycle(
                database,
                config,
                actor="worker",
                source="worker",
                drafting=(lambda: stage.drain(stop)) if stage is not None else None,
                push=(lambda: push_due(database, crm, "worker")) if crm is not None else None,
                on_duty=runtime.settings.supervisor_on_duty,
            )
            more = cycle.summary()
            if cycle.polled.claimed or args.once or more:
                print(_summary(cycle.polled) + (f"; {more}" if more else ""), flush=True)
            if args.once or stop.wait(runtime.settings.poll_interval_s):
                return 0
    finally:
        if stage is not None:
            stage.close()
        database.dispose()


def run_normalize(args: argparse.Namespace, max_body_bytes: int) -> int:
    """No database involved: what would the pipeline make of this payload?"""
    from app.pipeline.payload_file import event_as_json, read_delivery

    try:
        delivery = read_delivery(args.provider, args.file, utcnow())
    except OSError as exc:
        print(f"review-desk normalize: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 1
    try:
        events = normalize(delivery, max_body_bytes)
    except Quarantined as exc:
        print(f"quarantined: {exc.reason}")
        return 2
    print(json.dumps([event_as_json(e) for e in events], indent=2, ensure_ascii=False))
    return 0


def run_replay(runtime: Runtime, args: argparse.Namespace) -> int:
    database = runtime.open_database()
    try:
        count = replay(
            database, default_login(runtime.settings.user_login), WebhookStatus(args.status), args.provider, args.ids
        )
    finally:
        database.dispose()
    print(f"{count} {args.status} webhook events sent back to the pipeline")
    return 0


def run_consent(runtime: Runtime, args: argparse.Namespace) -> int:
    from app.services.consent import set_contact_consent
    from app.services.errors import ActionRefused

    database = runtime.open_database()
    try:
        actor = runtime.identify(database)
        leads = set_contact_consent(
            database, actor, args.client, args.phone, args.email, args.state == "stop", args.note, source="cli"
        )
    except ActionRefused as refused:
        print(f"review-desk consent: {refused}", file=sys.stderr)
        return 2
    finally:
        database.dispose()
    what = "opted out (do not contact)" if args.state == "stop" else "opted in"
    print(f"{args.client}: the contact is {what}; {leads} lead(s) with it")
    return 0


def run_users(runtime: Runtime, args: argparse.Namespace) -> int:
    from app.services.errors import ActionRefused
    from app.services.users import set_alert_contact

    database = runtime.open_database()
    channel = "" if args.channel == "none" else args.channel
    try:
        actor = runtime.identify(database)
        set_alert_contact(database, actor, args.login, args.phone, args.email, channel, source="cli")
    except ActionRefused as refused:
        print(f"review-desk users contact: {refused}", file=sys.stderr)
        return 2
    finally:
        database.dispose()
    print(f"{args.login}: owner alerts reach them " + (f"by {channel}" if channel else "at the desk only"))
    return 0


def run_db(runtime: Runtime, args: argparse.Namespace) -> int:
    if args.db_command == "upgrade":
        database = runtime.open_database()
        print(f"{database.display_url} is at schema {current_revision(database.engine)} (newest)")
    else:
        database = Database(runtime.database_url)
        current = current_revision(database.engine)
        state = "newest" if current == head_revision() else f"newest is {head_revision()}"
        print(f"{database.display_url} is at schema {current or 'none'} ({state})")
    database.dispose()
    return 0


def run(desktop: DesktopEntry | None = None) -> NoReturn:
    """The entry point of ``review-desk`` and ``python -m app``. A headless command ends
    without the interpreter's teardown: unwinding SQLAlchemy's module graph takes 0.15-0.3 s
    here and frees nothing the operating system does not free at exit. The desktop, which owns
    Qt objects, exits the ordinary way."""
    ran_desktop = False

    def desktop_entry(runtime: Runtime, args: argparse.Namespace) -> int:
        nonlocal ran_desktop
        ran_desktop = True
        assert desktop is not None
        return desktop(runtime, args)

    code = main(sys.argv[1:], desktop_entry if desktop is not None else None)
    if ran_desktop:
        sys.exit(code)
    sys.stdout.flush()
    sys.stderr.flush()
    logging.shutdown()
    os._exit(code)


def main(argv: Sequence[str] | None = None, desktop: DesktopEntry | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        runtime = Runtime.create(getattr(args, "db", None))
    except OSError as exc:
        print(f"review-desk: cannot prepare the data folders: {exc}", file=sys.stderr)
        return 1
    configure_logging(runtime.paths.log_file, verbose=getattr(args, "verbose", False))
    for problem in runtime.settings_problems:
        print(f"review-desk: settings: {problem}", file=sys.stderr)
        log.warning("settings: %s", problem)
    handlers = {
        "demo": run_demo,
        "worker": run_worker,
        "db": run_db,
        "replay": run_replay,
        "consent": run_consent,
        "users": run_users,
        "report": run_report,
    }
    try:
        if args.command == "normalize":
            return run_normalize(args, runtime.settings.max_body_bytes)
        if args.command in handlers:
            return handlers[args.command](runtime, args)
        if desktop is None:
            print("review-desk: the desktop app is not available in this build", file=sys.stderr)
            return 2
        return desktop(runtime, args)
    except DatabaseUrlError as exc:
        print(f"review-desk: {exc}", file=sys.stderr)
        return 2
    except DBAPIError as exc:
        log.exception("database error")
        where = normalize_url(runtime.database_url).render_as_string(hide_password=True)
        detail = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
        verb = "cannot reach the database" if isinstance(exc, OperationalError) else "database error"
        print(f"review-desk: {verb} at {where}: {detail}", file=sys.stderr)
        failure = explain(exc, runtime.database_url)
        if failure.kind is not FailureKind.OTHER:
            print(f"review-desk: {failure.headline} {failure.advice}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
