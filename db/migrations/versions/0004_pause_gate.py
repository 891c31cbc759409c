"""The lock row that orders pauses against releases, owner tasks about no one client, and
the index the quarantine-rate rule reads deliveries by.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    locks = op.create_table(
        'control_locks',
        sa.Column('name', sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint('name', name='pk_control_locks'),
    )
    op.bulk_insert(locks, [{'name': 'pauses'}])
    with op.batch_alter_table('owner_tasks') as batch:
        batch.alter_column('client_id', existing_type=sa.Integer(), nullable=True)
    op.create_index('ix_webhook_events_received_at_status', 'webhook_events', ['received_at', 'status'])


def downgrade() -> None:
    op.drop_index('ix_webhook_events_received_at_status', table_name='webhook_events')
    with op.batch_alter_table('owner_tasks') as batch:
        batch.alter_column('client_id', existing_type=sa.Integer(), nullable=False)
    op.drop_table('control_locks')
