"""Owner alerts that reach a person with no desk open, review items assigned by the roster,
customers' ratings, and a CRM's own deal changes finding their lead.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03

- ``users``: phone, email, alert channel, and the last heartbeat of their desk.
- ``messages``: ``internal`` (an owner alert to staff) and the staff member it goes to.
- ``owner_alerts.message_id``: the internal message that carried the alert.
- ``review_items.assignee_id`` with its queue index; ``client_owners.assign_items``.
- ``lead_ratings``; an ``(adapter, external_id)`` index on ``crm_handoffs``.

Plain column adds, as in 0009. A column that references another table is added on SQLite by
``ALTER TABLE ... ADD COLUMN ... REFERENCES``, which SQLite runs natively when the column
defaults to NULL (Alembic would ask for a batch rebuild, which fails on a desk with data:
other rows point at ``review_items``). On PostgreSQL and MySQL the index comes before the
foreign key, so MySQL uses it for the key instead of making one of its own.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.types

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

# (table, column, referred table, index columns after the column or None for a plain index)
REFERENCES = (
    ("review_items", "assignee_id", "users", ("is_open", "priority", "sla_due_at")),
    ("messages", "user_id", "users", ()),
    ("owner_alerts", "message_id", "messages", ()),
)


def _index_name(table: str, columns: list[str]) -> str:
    return f"ix_{table}_{'_'.join(columns)}"


def _add_reference(table: str, column: str, referred: str, more: tuple[str, ...]) -> None:
    constraint = f"fk_{table}_{column}"
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            f"ALTER TABLE {table} ADD COLUMN {column} INTEGER CONSTRAINT {constraint} REFERENCES {referred} (id)"
        )
    else:
        op.add_column(table, sa.Column(column, sa.Integer(), nullable=True))
    columns = [column, *more]
    op.create_index(_index_name(table, columns), table, columns, unique=False)
    if op.get_bind().dialect.name != "sqlite":
        op.create_foreign_key(constraint, table, referred, [column], ["id"])


def upgrade() -> None:
    op.add_column("users", sa.Column("phone", sa.String(length=32), nullable=True))
    op.add_column("users", sa.Column("email", sa.String(length=254), nullable=True))
    op.add_column("users", sa.Column("alert_channel", sa.String(length=8), server_default="", nullable=False))
    op.add_column("users", sa.Column("desk_seen_at", db.types.UtcDateTime(), nullable=True))
    op.add_column("messages", sa.Column("internal", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column("client_owners", sa.Column("assign_items", sa.Boolean(), server_default=sa.false(), nullable=False))
    for table, column, referred, more in REFERENCES:
        _add_reference(table, column, referred, more)
    op.create_index("ix_crm_handoffs_adapter_external_id", "crm_handoffs", ["adapter", "external_id"], unique=False)
    op.create_table(
        "lead_ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("rating", sa.SmallInteger(), nullable=False),
        sa.Column("scale", sa.SmallInteger(), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("evidence", sa.String(length=500), nullable=False),
        sa.Column("recorded_by", sa.String(length=120), nullable=False),
        sa.Column("received_at", db.types.UtcDateTime(), nullable=False),
        sa.Column("created_at", db.types.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["lead_id"], ["leads.id"], name="fk_lead_ratings_lead_id"),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"], name="fk_lead_ratings_client_id"),
        sa.PrimaryKeyConstraint("id", name="pk_lead_ratings"),
    )
    op.create_index("ix_lead_ratings_lead_id", "lead_ratings", ["lead_id"], unique=False)


def downgrade() -> None:
    op.drop_table("lead_ratings")
    op.drop_index("ix_crm_handoffs_adapter_external_id", table_name="crm_handoffs")
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table, column, _, more in reversed(REFERENCES):
        if not sqlite:
            op.drop_constraint(f"fk_{table}_{column}", table, type_="foreignkey")
        op.drop_index(_index_name(table, [column, *more]), table_name=table)
        op.drop_column(table, column)
    op.drop_column("client_owners", "assign_items")
    op.drop_column("messages", "internal")
    for column in ("desk_seen_at", "alert_channel", "email", "phone"):
        op.drop_column("users", column)
