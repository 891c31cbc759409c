"""Indexes for the KPIs (``app.metrics``): every metric reads its period off an index range.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03

- ``leads (duplicate_of_id, first_seen_at)``: the leads first seen in the period, duplicates
  left out (``duplicate_of_id`` first: on ``leads (first_seen_at)`` alone SQLite's planner
  prefers the ``duplicate_of_id IS NULL`` equality and reads every non-duplicate lead).
- ``audit_log (action, at)``: the messages blocked (refusals, holds) in the period, and
  ``(review_item_id, action)``: whether a decided item was escalated (on ``(review_item_id,
  at)`` SQLite's planner takes ``(action, at)`` and reads every escalation per item).
- ``owner_tasks (done_at)``: the tasks done in the period.
- ``crm_handoffs (status, pushed_at)`` and ``(status, updated_at)``: the pushes and the
  failures whose outcome fell in the period.
- ``messages (queued_at)``: the messages queued in the period, whatever their send state.

- ``webhook_events (status, received_at)``: the quarantined deliveries of the period (with
  only ``(status, id)`` and ``(received_at, status)`` SQLite takes the first and reads every
  quarantined delivery ever).

The decided items already have ``review_items (is_open, decided_at)`` (0008).
Plain index creation, on every backend. ``tests/test_metric_plans.py`` holds every KPI query
to these ranges.
"""

from __future__ import annotations

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

INDEXES = (
    ("leads", ("duplicate_of_id", "first_seen_at")),
    ("audit_log", ("action", "at")),
    ("audit_log", ("review_item_id", "action")),
    ("webhook_events", ("status", "received_at")),
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
