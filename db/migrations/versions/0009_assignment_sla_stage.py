"""Owner tasks reach a person: client owners and escalation contacts, SLA policies per source,
the duty roster, owner alerts, the assignment and escalation of a task, and the lead's stage.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03

Only new tables and plain column adds, which SQLite runs natively: no batch rebuild. A rebuild
of ``clients`` or ``leads`` (create, copy, drop, rename) would fail on a desk with data, since
with ``PRAGMA foreign_keys=ON`` SQLite refuses to drop a table other rows point at; so a
client's owner and escalation contact have their own table, ``client_owners``.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.types

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "duty_shifts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", db.types.UtcDateTime(), nullable=False),
        sa.Column("ends_at", db.types.UtcDateTime(), nullable=False),
        sa.Column("created_at", db.types.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_duty_shifts_user_id"),
        sa.PrimaryKeyConstraint("id", name="pk_duty_shifts"),
    )
    op.create_index("ix_duty_shifts_user_id", "duty_shifts", ["user_id"])
    op.create_index("ix_duty_shifts_ends_at_starts_at", "duty_shifts", ["ends_at", "starts_at"])
    op.create_table(
        "client_sla_policies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("response_minutes", sa.Integer(), nullable=False),
        sa.Column("created_at", db.types.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"], name="fk_client_sla_policies_client_id"),
        sa.PrimaryKeyConstraint("id", name="pk_client_sla_policies"),
        sa.UniqueConstraint("client_id", "source", name="uq_client_sla_policies_client_id_source"),
    )
    op.create_table(
        "owner_alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("owner_task_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("lead_id", sa.Integer(), nullable=True),
        sa.Column("message", sa.String(length=255), nullable=False),
        sa.Column("created_at", db.types.UtcDateTime(), nullable=False),
        sa.Column("read_at", db.types.UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_owner_alerts_user_id"),
        sa.ForeignKeyConstraint(["owner_task_id"], ["owner_tasks.id"], name="fk_owner_alerts_owner_task_id"),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"], name="fk_owner_alerts_client_id"),
        sa.ForeignKeyConstraint(["lead_id"], ["leads.id"], name="fk_owner_alerts_lead_id"),
        sa.PrimaryKeyConstraint("id", name="pk_owner_alerts"),
    )
    op.create_index("ix_owner_alerts_owner_task_id", "owner_alerts", ["owner_task_id"])
    op.create_index("ix_owner_alerts_user_id_read_at", "owner_alerts", ["user_id", "read_at"])
    op.create_table(
        "client_owners",
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("escalation_contact_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", db.types.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"], name="fk_client_owners_client_id"),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"], name="fk_client_owners_owner_id"),
        sa.ForeignKeyConstraint(["escalation_contact_id"], ["users.id"], name="fk_client_owners_escalation_contact_id"),
        sa.PrimaryKeyConstraint("client_id", name="pk_client_owners"),
    )
    op.add_column("owner_tasks", sa.Column("assigned_reason", sa.String(length=255), server_default="", nullable=False))
    op.add_column("owner_tasks", sa.Column("assigned_at", db.types.UtcDateTime(), nullable=True))
    op.add_column("owner_tasks", sa.Column("escalated_at", db.types.UtcDateTime(), nullable=True))
    op.add_column("leads", sa.Column("stage", sa.String(length=16), server_default="new", nullable=False))
    op.add_column("leads", sa.Column("next_action_due_at", db.types.UtcDateTime(), nullable=True))


def downgrade() -> None:
    op.drop_column("leads", "next_action_due_at")
    op.drop_column("leads", "stage")
    op.drop_column("owner_tasks", "escalated_at")
    op.drop_column("owner_tasks", "assigned_at")
    op.drop_column("owner_tasks", "assigned_reason")
    op.drop_table("client_owners")
    op.drop_table("owner_alerts")
    op.drop_table("client_sla_policies")
    op.drop_table("duty_shifts")  # its indexes go with it (MySQL refuses to drop an FK's index first)
