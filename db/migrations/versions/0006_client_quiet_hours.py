"""Quiet hours per client: no message is queued to its leads inside them.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('clients', sa.Column('quiet_hours', sa.String(length=11), nullable=True))


def downgrade() -> None:
    op.drop_column('clients', 'quiet_hours')
