"""Periodic client report notes and the metric snapshots each report note used as proof.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03

- ``clients.report_period``: "weekly", "monthly" or "" (no periodic report). Existing clients
  get "": a report note is client-facing, so an upgrade does not start drafting them for every
  client at once; the agency opts a client in.
- ``client_reports``: one row per client and period; its unique key is what makes the periodic
  report note exist once, whichever desk or worker drafts it first.
- ``report_proofs``: the snapshots a report note was built from, marked reviewed proof when
  the note is approved.

New tables and a plain column add with a server default, as in 0011 (no batch rebuild).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.types

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("clients", sa.Column("report_period", sa.String(length=8), server_default="", nullable=False))
    op.create_table(
        "client_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("period_start", db.types.UtcDateTime(), nullable=False),
        sa.Column("period_end", db.types.UtcDateTime(), nullable=False),
        sa.Column("review_item_id", sa.Integer(), nullable=False),
        sa.Column("created_at", db.types.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"], name="fk_client_reports_client_id"),
        sa.ForeignKeyConstraint(["review_item_id"], ["review_items.id"], name="fk_client_reports_review_item_id"),
        sa.PrimaryKeyConstraint("id", name="pk_client_reports"),
        sa.UniqueConstraint(
            "client_id", "period_start", "period_end", name="uq_client_reports_client_id_period_start_period_end"
        ),
    )
    op.create_table(
        "report_proofs",
        sa.Column("review_item_id", sa.Integer(), nullable=False),
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["review_item_id"], ["review_items.id"], name="fk_report_proofs_review_item_id"),
        sa.ForeignKeyConstraint(["snapshot_id"], ["metric_snapshots.id"], name="fk_report_proofs_snapshot_id"),
        sa.PrimaryKeyConstraint("review_item_id", "snapshot_id", name="pk_report_proofs"),
    )


def downgrade() -> None:
    op.drop_table("report_proofs")
    op.drop_table("client_reports")
    op.drop_column("clients", "report_period")
