"""The owner-task inbox's order: open tasks soonest due, then by priority, read off an index.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03

The inbox lists open tasks by ``(due_at, priority)``, all of them, the overdue ones, or one
person's. ``(status, due_at)`` gave the first key only: tasks a batch created at one moment
share their due time, so every backend sorted all open tasks to find the first page (MariaDB
by a filesort of each one). ``(status, due_at, priority)`` replaces it (escalation's
``status, due_at`` scan still reads it), and ``(assignee_id, status, due_at, priority)`` serves
"My tasks" and the roster's count of each person's open tasks.
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

TABLE = "owner_tasks"
OLD = ("ix_owner_tasks_status_due_at", ["status", "due_at"])
FK_INDEX = "ix_owner_tasks_assignee_id"
NEW = (
    ("ix_owner_tasks_status_due_at_priority", ["status", "due_at", "priority"]),
    ("ix_owner_tasks_assignee_id_status_due_at_priority", ["assignee_id", "status", "due_at", "priority"]),
)


def upgrade() -> None:
    for name, columns in NEW:
        op.create_index(name, TABLE, columns, unique=False)
    op.drop_index(OLD[0], table_name=TABLE)


def downgrade() -> None:
    op.create_index(OLD[0], TABLE, OLD[1], unique=False)
    if op.get_bind().dialect.name == "mysql":
        # MySQL dropped its own index for the ``assignee_id`` foreign key when the composite
        # one could serve it, and refuses to drop that one while nothing else does.
        op.create_index(FK_INDEX, TABLE, ["assignee_id"], unique=False)
    for name, _ in reversed(NEW):
        op.drop_index(name, table_name=TABLE)
