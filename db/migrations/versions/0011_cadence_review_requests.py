"""The shared cycle's old-lead follow-up cadence and review requests: each client's timing
rules, the lead's next cadence check and when it was won, a review request per won lead, and
the compliance wording a template requires.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03

Plain column adds, new tables and new indexes, as in 0009 (no batch rebuild). Existing leads
get ``follow_up_check_at`` NULL: "not looked at yet", which the sweep reads off the new
``(follow_up_check_at, last_event_at)`` index, so no UPDATE of every lead is needed here.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.types

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

LEAD_INDEXES = (
    ("ix_leads_follow_up_check_at_last_event_at", ["follow_up_check_at", "last_event_at"]),
    ("ix_leads_duplicate_of_id", ["duplicate_of_id"]),
    ("ix_leads_stage_won_at", ["stage", "won_at"]),
)
# MySQL made this index for the foreign key and dropped it once ix_leads_duplicate_of_id served.
MYSQL_FK_INDEX = "fk_leads_duplicate_of_id"


def upgrade() -> None:
    op.add_column("leads", sa.Column("follow_up_check_at", db.types.UtcDateTime(), nullable=True))
    op.add_column("leads", sa.Column("won_at", db.types.UtcDateTime(), nullable=True))
    for name, columns in LEAD_INDEXES:
        op.create_index(name, "leads", columns, unique=False)
    op.add_column(
        "message_templates", sa.Column("compliance_text", sa.String(length=255), server_default="", nullable=False)
    )
    op.create_table(
        "client_cadences",
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("follow_up_after_days", sa.Integer(), server_default="30", nullable=False),
        sa.Column("review_request_after_hours", sa.Integer(), server_default="48", nullable=False),
        sa.Column("updated_at", db.types.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"], name="fk_client_cadences_client_id"),
        sa.PrimaryKeyConstraint("client_id", name="pk_client_cadences"),
    )
    op.create_table(
        "review_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("won_at", db.types.UtcDateTime(), nullable=False),
        sa.Column("due_at", db.types.UtcDateTime(), nullable=False),
        sa.Column("review_item_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=255), server_default="", nullable=False),
        sa.Column("created_at", db.types.UtcDateTime(), nullable=False),
        sa.Column("updated_at", db.types.UtcDateTime(), nullable=False),
        sa.Column("owner", sa.String(length=120), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("recovery", sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(["lead_id"], ["leads.id"], name="fk_review_requests_lead_id"),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"], name="fk_review_requests_client_id"),
        sa.ForeignKeyConstraint(["review_item_id"], ["review_items.id"], name="fk_review_requests_review_item_id"),
        sa.PrimaryKeyConstraint("id", name="pk_review_requests"),
        sa.UniqueConstraint("lead_id", name="uq_review_requests_lead_id"),
    )
    op.create_index("ix_review_requests_status_due_at", "review_requests", ["status", "due_at"], unique=False)


def downgrade() -> None:
    op.drop_table("review_requests")
    op.drop_table("client_cadences")
    op.drop_column("message_templates", "compliance_text")
    if op.get_bind().dialect.name == "mysql":
        op.create_index(MYSQL_FK_INDEX, "leads", ["duplicate_of_id"], unique=False)
    for name, _ in reversed(LEAD_INDEXES):
        op.drop_index(name, table_name="leads")
    op.drop_column("leads", "won_at")
    op.drop_column("leads", "follow_up_check_at")
