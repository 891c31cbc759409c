"""Consent per contact (contact_consents), filled from the leads opted out so far; the template
version a message was approved under.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.types

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'contact_consents',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('client_id', sa.Integer(), nullable=False),
        sa.Column('contact_kind', sa.String(length=8), nullable=False),
        sa.Column('contact', sa.String(length=254), nullable=False),
        sa.Column('method', sa.String(length=32), nullable=False),
        sa.Column('evidence', sa.String(length=500), nullable=False),
        sa.Column('occurred_at', db.types.UtcDateTime(), nullable=False),
        sa.Column('webhook_event_id', sa.Integer(), nullable=True),
        sa.Column('lead_id', sa.Integer(), nullable=True),
        sa.Column('created_at', db.types.UtcDateTime(), nullable=False),
        sa.Column('updated_at', db.types.UtcDateTime(), nullable=False),
        sa.Column('owner', sa.String(length=120), nullable=False),
        sa.Column('source', sa.String(length=64), nullable=False),
        sa.Column('status', sa.String(length=32), nullable=False),
        sa.Column('recovery', sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name='fk_contact_consents_client_id'),
        sa.ForeignKeyConstraint(['lead_id'], ['leads.id'], name='fk_contact_consents_lead_id'),
        sa.ForeignKeyConstraint(['webhook_event_id'], ['webhook_events.id'],
                                name='fk_contact_consents_webhook_event_id'),
        sa.PrimaryKeyConstraint('id', name='pk_contact_consents'),
    )
    op.create_index('ix_contact_consents_client_id_contact_kind_contact_occurred_at', 'contact_consents',
                    ['client_id', 'contact_kind', 'contact', 'occurred_at'])
    op.add_column('messages', sa.Column('template_version', sa.Integer(), nullable=True))
    _fill_from_opted_out_leads()


def _fill_from_opted_out_leads() -> None:
    """Every lead opted out before this table: its phone and its email, opted out since then."""
    when = "COALESCE(opted_out_at, updated_at)"
    common = ("'from_lead', 'lead #' || CAST(id AS VARCHAR(20)) || ' was opted out', " + when +
              ", NULL, id, " + when + ", " + when + ", 'migration', 'migration 0007', 'opted_out', "
              "'an explicit opt-in (START) from the same contact lifts it'")
    if op.get_bind().dialect.name in ("mysql", "mariadb"):
        common = common.replace("'lead #' || CAST(id AS VARCHAR(20)) || ' was opted out'",
                                "CONCAT('lead #', id, ' was opted out')")
    columns = ("client_id, contact_kind, contact, method, evidence, occurred_at, webhook_event_id, "
               "lead_id, created_at, updated_at, owner, source, status, recovery")
    op.execute(f"INSERT INTO contact_consents ({columns}) SELECT client_id, 'phone', phone, {common} "
               "FROM leads WHERE opted_out = true AND phone IS NOT NULL")
    op.execute(f"INSERT INTO contact_consents ({columns}) SELECT client_id, 'email', LOWER(email), {common} "
               "FROM leads WHERE opted_out = true AND email IS NOT NULL")


def downgrade() -> None:
    op.drop_column('messages', 'template_version')
    op.drop_table('contact_consents')
