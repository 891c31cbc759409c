"""Queue indexes shaped "filter + open + order", the derived is_open column, the undo window.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22

Plain operations rather than batch mode: SQLite adds a (virtual) generated column and changes
indexes in place, where batch mode would copy the whole table. New indexes are created before
the old ones are dropped, because MySQL refuses to drop the last index a foreign key relies on.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.types

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

# Frozen here (not imported) so the migration keeps meaning what it meant when written.
IS_OPEN_SQL = "CASE WHEN status IN ('pending', 'in_review', 'escalated', 'held') THEN 1 ELSE 0 END"
NEW = {
    "ix_review_items_is_open_priority_sla_due_at": ["is_open", "priority", "sla_due_at"],
    "ix_review_items_is_open_arrived_at": ["is_open", "arrived_at"],
    "ix_review_items_is_open_sla_due_at": ["is_open", "sla_due_at"],
    "ix_review_items_is_open_top_severity_priority_sla_due_at": ["is_open", "top_severity", "priority", "sla_due_at"],
    "ix_review_items_kind_is_open_priority_sla_due_at": ["kind", "is_open", "priority", "sla_due_at"],
    "ix_review_items_client_id_is_open_priority_sla_due_at": ["client_id", "is_open", "priority", "sla_due_at"],
    "ix_review_items_workflow_is_open_priority_sla_due_at": ["workflow", "is_open", "priority", "sla_due_at"],
    "ix_review_items_provider_is_open_priority_sla_due_at": ["provider", "is_open", "priority", "sla_due_at"],
    "ix_review_items_claimed_by_id_is_open_priority_sla_due_at": ["claimed_by_id", "is_open", "priority", "sla_due_at"],
    "ix_review_items_status_release_at": ["status", "release_at"],
    "ix_review_items_arrived_at": ["arrived_at"],
}
OLD = {
    "ix_review_items_status_priority_sla_due_at": ["status", "priority", "sla_due_at"],
    "ix_review_items_status_arrived_at": ["status", "arrived_at"],
    "ix_review_items_status_sla_due_at": ["status", "sla_due_at"],
    "ix_review_items_claimed_by_id_status": ["claimed_by_id", "status"],
    "ix_review_items_client_id_status": ["client_id", "status"],
    "ix_review_items_kind_status": ["kind", "status"],
    "ix_review_items_top_severity_status": ["top_severity", "status"],
    "ix_review_items_workflow_status": ["workflow", "status"],
}


def upgrade() -> None:
    op.add_column('review_items', sa.Column('release_at', db.types.UtcDateTime(), nullable=True))
    # PostgreSQL (before 18) only stores generated columns; SQLite can only add virtual ones.
    stored = op.get_bind().dialect.name == "postgresql"
    op.add_column('review_items', sa.Column(
        'is_open', sa.SmallInteger(), sa.Computed(IS_OPEN_SQL, persisted=stored), nullable=True))
    for name, columns in NEW.items():
        op.create_index(name, 'review_items', columns, unique=False)
    for name in OLD:
        op.drop_index(name, table_name='review_items')


def downgrade() -> None:
    for name, columns in OLD.items():
        op.create_index(name, 'review_items', columns, unique=False)
    for name in NEW:
        op.drop_index(name, table_name='review_items')
    op.drop_column('review_items', 'is_open')
    op.drop_column('review_items', 'release_at')
