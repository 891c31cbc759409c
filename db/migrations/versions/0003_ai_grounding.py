"""Approved snippets for grounding AI drafts, and what each draft was grounded on.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.types

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'approved_snippets',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('client_id', sa.Integer(), nullable=True),
        sa.Column('service', sa.String(length=200), nullable=False),
        sa.Column('title', sa.String(length=120), nullable=False),
        sa.Column('body', sa.String(length=2000), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('approved_by_id', sa.Integer(), nullable=True),
        sa.Column('approved_at', db.types.UtcDateTime(), nullable=False),
        sa.Column('created_at', db.types.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['approved_by_id'], ['users.id'], name='fk_approved_snippets_approved_by_id'),
        sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name='fk_approved_snippets_client_id'),
        sa.PrimaryKeyConstraint('id', name='pk_approved_snippets'),
    )
    op.create_index('ix_approved_snippets_client_id_active', 'approved_snippets', ['client_id', 'active'])
    op.add_column('drafts', sa.Column('grounding', db.types.Json, nullable=True))


def downgrade() -> None:
    op.drop_column('drafts', 'grounding')
    op.drop_table('approved_snippets')  # with its index (MySQL refuses to drop an index a foreign key uses)
