"""The schema comes from Alembic migrations and matches the models, on every backend."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

from app.paths import AppPaths
from app.runtime import Runtime
from app.settings import Settings
from db.base import Base
from db.engine import Database
from db.migrate import alembic_config, current_revision, head_revision, upgrade
from db.types import utcnow

EXPECTED_TABLES = {
    # the operating guides' eight
    "projects",
    "client_services",
    "data_sources",
    "metric_snapshots",
    "integration_accounts",
    "integration_sync_runs",
    "provider_import_batches",
    "webhook_events",
    # the desk's own
    "clients",
    "leads",
    "events",
    "review_items",
    "drafts",
    "risk_flags",
    "messages",
    "message_templates",
    "crm_handoffs",
    "owner_tasks",
    "automation_pauses",
    "users",
    "portal_notes",
    "audit_log",
    # who gets an owner task, by when, and what they are told
    "duty_shifts",
    "client_sla_policies",
    "owner_alerts",
}


def test_the_known_head_is_the_newest_migration_script() -> None:
    from db.migrate import HEAD

    assert head_revision() == HEAD, "update db.migrate.HEAD with each new migration"


def test_upgrade_creates_every_table_and_matches_the_models(empty_db_url: str) -> None:
    database = Database(empty_db_url)
    try:
        assert current_revision(database.engine) is None
        assert upgrade(database.engine) == head_revision()
        tables = set(inspect(database.engine).get_table_names())
        assert tables >= EXPECTED_TABLES
        with database.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
        # A second upgrade is a no-op.
        assert upgrade(database.engine) == head_revision()
    finally:
        database.dispose()


def test_every_output_table_carries_the_explaining_columns(empty_db_url: str) -> None:
    database = Database(empty_db_url)
    try:
        upgrade(database.engine)
        inspector = inspect(database.engine)
        for table in (
            "webhook_events",
            "leads",
            "review_items",
            "drafts",
            "risk_flags",
            "messages",
            "crm_handoffs",
            "owner_tasks",
            "automation_pauses",
            "portal_notes",
            "metric_snapshots",
            "integration_sync_runs",
            "provider_import_batches",
        ):
            columns = {c["name"] for c in inspector.get_columns(table)}
            assert {"created_at", "owner", "source", "status", "recovery"} <= columns, table
    finally:
        database.dispose()


def test_audit_log_is_append_only_in_the_database(database: Database) -> None:
    with database.write() as session:
        session.execute(
            text(
                "INSERT INTO audit_log (at, actor, source, action, outcome, recovery, entity, detail)"
                " VALUES (:at, 'a', 'test', 'x', 'ok', '', 'e', '{}')"
            ),
            {"at": utcnow().replace(tzinfo=None)},
        )
    for statement in ("UPDATE audit_log SET actor = 'forged'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="append-only"), database.write() as session:
            session.execute(text(statement))
    with database.read() as session:
        assert session.execute(text("SELECT actor FROM audit_log")).scalars().all() == ["a"]


def test_the_desk_upgrades_an_older_database_when_it_opens_it(empty_db_url: str, tmp_path) -> None:
    database = Database(empty_db_url)
    upgrade(database.engine)
    with database.engine.connect() as conn:  # take it back to before the first revision
        command.downgrade(alembic_config(conn), "base")
        conn.commit()
    assert current_revision(database.engine) is None
    database.dispose()
    paths = AppPaths(tmp_path / "d", tmp_path / "c", tmp_path / "l")
    opened = Runtime(paths, Settings(), empty_db_url).open_database()
    try:
        assert current_revision(opened.engine) == head_revision()
    finally:
        opened.dispose()
