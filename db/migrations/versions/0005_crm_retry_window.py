"""When a CRM handoff's retry window began (the approval, or a manual retry).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.types

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('crm_handoffs', sa.Column('retry_from', db.types.UtcDateTime(), nullable=True))


def downgrade() -> None:
    op.drop_column('crm_handoffs', 'retry_from')
