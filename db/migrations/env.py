"""Alembic environment: always driven programmatically by ``db.migrate`` with a connection."""

from __future__ import annotations

from alembic import context

import db.models  # noqa: F401  (registers every table)
from db.base import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `review-desk db upgrade`, not the alembic CLI")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    # SQLite cannot ALTER most things; batch mode rebuilds the table instead.
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    user_module_prefix="db.types.",
)
with context.begin_transaction():
    context.run_migrations()
