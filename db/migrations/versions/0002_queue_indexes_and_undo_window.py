"""Queue indexes shaped "filter + open states + priority order", and the undo window.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22

Plain operations rather than batch mode: SQLite adds a column and changes indexes in place,
where batch mode would copy the whole table. New indexes are created before the old ones are
dropped, because MySQL refuses to drop the last index a foreign key relies on.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.types

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

NEW = {
    "ix_review_items_claimed_by_id_status_priority_sla_due_at": ["claimed_by_id", "status", "priority", "sla_due_at"],
    "ix_review_items_client_id_status_priority_sla_due_at": ["client_id", "status", "priority", "sla_due_at"],
    "ix_review_items_kind_status_priority_sla_due_at": ["kind", "status", "priority", "sla_due_at"],
    "ix_review_items_provider_status_priority_sla_due_at": ["provider", "status", "priority", "sla_due_at"],
    "ix_review_items_status_release_at": ["status", "release_at"],
    "ix_review_items_status_top_severity_priority_sla_due_at": ["status", "top_severity", "priority", "sla_due_at"],
    "ix_review_items_workflow_status_priority_sla_due_at": ["workflow", "status", "priority", "sla_due_at"],
}
OLD = {
    "ix_review_items_claimed_by_id_status": ["claimed_by_id", "status"],
    "ix_review_items_client_id_status": ["client_id", "status"],
    "ix_review_items_kind_status": ["kind", "status"],
    "ix_review_items_top_severity_status": ["top_severity", "status"],
    "ix_review_items_workflow_status": ["workflow", "status"],
}


def upgrade() -> None:
    op.add_column('review_items', sa.Column('release_at', db.types.UtcDateTime(), nullable=True))
    for name, columns in NEW.items():
        op.create_index(name, 'review_items', columns, unique=False)
    for name in OLD:
        op.drop_index(name, table_name='review_items')


def downgrade() -> None:
    for name, columns in OLD.items():
        op.create_index(name, 'review_items', columns, unique=False)
    for name in NEW:
        op.drop_index(name, table_name='review_items')
    op.drop_column('review_items', 'release_at')
