"""Indexes for the KPIs (``app.metrics``): every metric reads its period off an index range.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03

- ``leads (first_seen_at)``: the leads first seen in the period.
- ``audit_log (action, at)``: the messages blocked (refusals, holds) in the period.
- ``owner_tasks (done_at)``: the tasks done in the period.
- ``crm_handoffs (status, pushed_at)`` and ``(status, updated_at)``: the pushes and the
  failures whose outcome fell in the period.
- ``messages (queued_at)``: the messages queued in the period, whatever their send state.

The decided items already have ``review_items (is_open, decided_at)`` (0008) and the
deliveries ``webhook_events (received_at, status)``. Plain index creation, on every backend.
"""

from __future__ import annotations

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

INDEXES = (
    ("leads", ("first_seen_at",)),
    ("audit_log", ("action", "at")),
    ("owner_tasks", ("done_at",)),
    ("crm_handoffs", ("status", "pushed_at")),
    ("crm_handoffs", ("status", "updated_at")),
    ("messages", ("queued_at",)),
)


def _name(table: str, columns: tuple[str, ...]) -> str:
    return f"ix_{table}_{'_'.join(columns)}"


def upgrade() -> None:
    for table, columns in INDEXES:
        op.create_index(_name(table, columns), table, list(columns), unique=False)


def downgrade() -> None:
    for table, columns in reversed(INDEXES):
        op.drop_index(_name(table, columns), table_name=table)
