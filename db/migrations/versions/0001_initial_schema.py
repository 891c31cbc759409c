"""initial schema

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.types

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('automation_pauses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.String(length=16), nullable=False),
    sa.Column('scope_key', sa.String(length=120), nullable=False),
    sa.Column('reason', db.types.BigText, nullable=False),
    sa.Column('rollback', db.types.BigText, nullable=False),
    sa.Column('verification', db.types.BigText, nullable=False),
    sa.Column('trigger', sa.String(length=48), nullable=False),
    sa.Column('started_at', db.types.UtcDateTime(), nullable=False),
    sa.Column('planned_resume_at', db.types.UtcDateTime(), nullable=True),
    sa.Column('verified_at', db.types.UtcDateTime(), nullable=True),
    sa.Column('verified_by', sa.String(length=120), nullable=True),
    sa.Column('resumed_at', db.types.UtcDateTime(), nullable=True),
    sa.Column('resumed_by', sa.String(length=120), nullable=True),
    sa.Column('created_at', db.types.UtcDateTime(), nullable=False),
    sa.Column('updated_at', db.types.UtcDateTime(), nullable=False),
    sa.Column('owner', sa.String(length=120), nullable=False),
    sa.Column('source', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('recovery', sa.String(length=255), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_automation_pauses'))
    )
    op.create_index(op.f('ix_automation_pauses_status_scope_scope_key'), 'automation_pauses', ['status', 'scope', 'scope_key'], unique=False)

    op.create_table('clients',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('high_value_threshold', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', db.types.UtcDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clients')),
    sa.UniqueConstraint('slug', name=op.f('uq_clients_slug'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('login', sa.String(length=120), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', db.types.UtcDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('login', name=op.f('uq_users_login'))
    )
    op.create_table('integration_accounts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=True),
    sa.Column('provider', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('external_account_id', sa.String(length=120), nullable=True),
    sa.Column('secret_ref', sa.String(length=200), nullable=True),
    sa.Column('config', db.types.Json, nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.Column('created_at', db.types.UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_integration_accounts_client_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_integration_accounts'))
    )
    op.create_index(op.f('ix_integration_accounts_client_id'), 'integration_accounts', ['client_id'], unique=False)
    op.create_index(op.f('ix_integration_accounts_provider_external_account_id'), 'integration_accounts', ['provider', 'external_account_id'], unique=False)

    op.create_table('leads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=32), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('service', sa.String(length=200), nullable=False),
    sa.Column('urgency', sa.String(length=16), nullable=False),
    sa.Column('consent', sa.String(length=16), nullable=False),
    sa.Column('attribution', db.types.Json, nullable=False),
    sa.Column('opted_out', sa.Boolean(), nullable=False),
    sa.Column('opted_out_at', db.types.UtcDateTime(), nullable=True),
    sa.Column('duplicate_of_id', sa.Integer(), nullable=True),
    sa.Column('first_seen_at', db.types.UtcDateTime(), nullable=False),
    sa.Column('last_event_at', db.types.UtcDateTime(), nullable=False),
    sa.Column('first_response_at', db.types.UtcDateTime(), nullable=True),
    sa.Column('outcome', sa.String(length=32), nullable=True),
    sa.Column('lost_reason', sa.String(length=200), nullable=True),
    sa.Column('next_action', sa.String(length=255), nullable=False),
    sa.Column('created_at', db.types.UtcDateTime(), nullable=False),
    sa.Column('updated_at', db.types.UtcDateTime(), nullable=False),
    sa.Column('owner', sa.String(length=120), nullable=False),
    sa.Column('source', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('recovery', sa.String(length=255), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_leads_client_id')),
    sa.ForeignKeyConstraint(['duplicate_of_id'], ['leads.id'], name=op.f('fk_leads_duplicate_of_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_leads'))
    )
    op.create_index(op.f('ix_leads_client_id_email'), 'leads', ['client_id', 'email'], unique=False)
    op.create_index(op.f('ix_leads_client_id_last_event_at'), 'leads', ['client_id', 'last_event_at'], unique=False)
    op.create_index(op.f('ix_leads_client_id_phone'), 'leads', ['client_id', 'phone'], unique=False)

    op.create_table('message_templates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('workflow', sa.String(length=48), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('body', db.types.BigText, nullable=False),
    sa.Column('opt_out_text', sa.String(length=255), nullable=False),
    sa.Column('response_window_minutes', sa.Integer(), nullable=False),
    sa.Column('escalation_rule', sa.String(length=255), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('approved', sa.Boolean(), nullable=False),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.Column('approved_at', db.types.UtcDateTime(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', db.types.UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['approved_by_id'], ['users.id'], name=op.f('fk_message_templates_approved_by_id')),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_message_templates_client_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_message_templates'))
    )
    op.create_index(op.f('ix_message_templates_client_id_workflow_channel'), 'message_templates', ['client_id', 'workflow', 'channel'], unique=False)

    op.create_table('projects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('created_at', db.types.UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_projects_client_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_projects'))
    )
    op.create_index(op.f('ix_projects_client_id'), 'projects', ['client_id'], unique=False)

    op.create_table('client_services',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('created_at', db.types.UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_client_services_client_id')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_client_services_project_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_client_services')),
    sa.UniqueConstraint('client_id', 'code', name=op.f('uq_client_services_client_id_code'))
    )
    op.create_table('data_sources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('integration_account_id', sa.Integer(), nullable=True),
    sa.Column('provider', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('freshness_hours', sa.Integer(), nullable=False),
    sa.Column('last_synced_at', db.types.UtcDateTime(), nullable=True),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('created_at', db.types.UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_data_sources_client_id')),
    sa.ForeignKeyConstraint(['integration_account_id'], ['integration_accounts.id'], name=op.f('fk_data_sources_integration_account_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_data_sources'))
    )
    op.create_index(op.f('ix_data_sources_client_id'), 'data_sources', ['client_id'], unique=False)

    op.create_table('integration_sync_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('integration_account_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('idempotency_key', sa.String(length=160), nullable=True),
    sa.Column('started_at', db.types.UtcDateTime(), nullable=False),
    sa.Column('finished_at', db.types.UtcDateTime(), nullable=True),
    sa.Column('items_total', sa.Integer(), nullable=False),
    sa.Column('items_ok', sa.Integer(), nullable=False),
    sa.Column('items_failed', sa.Integer(), nullable=False),
    sa.Column('error', db.types.BigText, nullable=True),
    sa.Column('created_at', db.types.UtcDateTime(), nullable=False),
    sa.Column('updated_at', db.types.UtcDateTime(), nullable=False),
    sa.Column('owner', sa.String(length=120), nullable=False),
    sa.Column('source', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('recovery', sa.String(length=255), nullable=False),
    sa.ForeignKeyConstraint(['integration_account_id'], ['integration_accounts.id'], name=op.f('fk_integration_sync_runs_integration_account_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_integration_sync_runs')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_integration_sync_runs_idempotency_key'))
    )
    op.create_index(op.f('ix_integration_sync_runs_integration_account_id_started_at'), 'integration_sync_runs', ['integration_account_id', 'started_at'], unique=False)

    op.create_table('webhook_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('provider', sa.String(length=64), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=True),
    sa.Column('integration_account_id', sa.Integer(), nullable=True),
    sa.Column('received_at', db.types.UtcDateTime(), nullable=False),
    sa.Column('content_type', sa.String(length=128), nullable=False),
    sa.Column('headers', db.types.Json, nullable=False),
    sa.Column('body', db.types.RawBytes, nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('processed_at', db.types.UtcDateTime(), nullable=True),
    sa.Column('event_count', sa.Integer(), nullable=False),
    sa.Column('error', sa.String(length=1000), nullable=True),
    sa.Column('created_at', db.types.UtcDateTime(), nullable=False),
    sa.Column('updated_at', db.types.UtcDateTime(), nullable=False),
    sa.Column('owner', sa.String(length=120), nullable=False),
    sa.Column('source', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('recovery', sa.String(length=255), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_webhook_events_client_id')),
    sa.ForeignKeyConstraint(['integration_account_id'], ['integration_accounts.id'], name=op.f('fk_webhook_events_integration_account_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_events'))
    )
    op.create_index(op.f('ix_webhook_events_client_id'), 'webhook_events', ['client_id'], unique=False)
    op.create_index(op.f('ix_webhook_events_status_id'), 'webhook_events', ['status', 'id'], unique=False)

    op.create_table('events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('type', sa.String(length=32), nullable=False),
    sa.Column('idempotency_key', sa.String(length=160), nullable=False),
    sa.Column('webhook_event_id', sa.Integer(), nullable=True),
    sa.Column('client_id', sa.Integer(), nullable=True),
    sa.Column('lead_id', sa.Integer(), nullable=True),
    sa.Column('provider', sa.String(length=64), nullable=False),
    sa.Column('occurred_at', db.types.UtcDateTime(), nullable=False),
    sa.Column('created_at', db.types.UtcDateTime(), nullable=False),
    sa.Column('data', db.types.Json, nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_events_client_id')),
    sa.ForeignKeyConstraint(['lead_id'], ['leads.id'], name=op.f('fk_events_lead_id')),
    sa.ForeignKeyConstraint(['webhook_event_id'], ['webhook_events.id'], name=op.f('fk_events_webhook_event_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_events_idempotency_key'))
    )
    op.create_index(op.f('ix_events_client_id'), 'events', ['client_id'], unique=False)
    op.create_index(op.f('ix_events_lead_id_occurred_at'), 'events', ['lead_id', 'occurred_at'], unique=False)
    op.create_index(op.f('ix_events_webhook_event_id'), 'events', ['webhook_event_id'], unique=False)

    op.create_table('provider_import_batches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('data_source_id', sa.Integer(), nullable=True),
    sa.Column('provider', sa.String(length=64), nullable=False),
    sa.Column('external_batch_id', sa.String(length=160), nullable=True),
    sa.Column('rows_total', sa.Integer(), nullable=False),
    sa.Column('rows_imported', sa.Integer(), nullable=False),
    sa.Column('rows_quarantined', sa.Integer(), nullable=False),
    sa.Column('started_at', db.types.UtcDateTime(), nullable=False),
    sa.Column('finished_at', db.types.UtcDateTime(), nullable=True),
    sa.Column('error', db.types.BigText, nullable=True),
    sa.Column('created_at', db.types.UtcDateTime(), nullable=False),
    sa.Column('updated_at', db.types.UtcDateTime(), nullable=False),
    sa.Column('owner', sa.String(length=120), nullable=False),
    sa.Column('source', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('recovery', sa.String(length=255), nullable=False),
    sa.ForeignKeyConstraint(['data_source_id'], ['data_sources.id'], name=op.f('fk_provider_import_batches_data_source_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_provider_import_batches'))
    )
    op.create_index(op.f('ix_provider_import_batches_data_source_id'), 'provider_import_batches', ['data_source_id'], unique=False)

    op.create_table('metric_snapshots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('data_source_id', sa.Integer(), nullable=True),
    sa.Column('import_batch_id', sa.Integer(), nullable=True),
    sa.Column('metric', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Numeric(precision=18, scale=4), nullable=False),
    sa.Column('unit', sa.String(length=16), nullable=False),
    sa.Column('period_start', db.types.UtcDateTime(), nullable=True),
    sa.Column('period_end', db.types.UtcDateTime(), nullable=True),
    sa.Column('created_at', db.types.UtcDateTime(), nullable=False),
    sa.Column('updated_at', db.types.UtcDateTime(), nullable=False),
    sa.Column('owner', sa.String(length=120), nullable=False),
    sa.Column('source', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('recovery', sa.String(length=255), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_metric_snapshots_client_id')),
    sa.ForeignKeyConstraint(['data_source_id'], ['data_sources.id'], name=op.f('fk_metric_snapshots_data_source_id')),
    sa.ForeignKeyConstraint(['import_batch_id'], ['provider_import_batches.id'], name=op.f('fk_metric_snapshots_import_batch_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_metric_snapshots'))
    )
    op.create_index(op.f('ix_metric_snapshots_client_id_metric_period_end'), 'metric_snapshots', ['client_id', 'metric', 'period_end'], unique=False)

    op.create_table('owner_tasks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=True),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('reason', sa.String(length=255), nullable=False),
    sa.Column('priority', sa.SmallInteger(), nullable=False),
    sa.Column('due_at', db.types.UtcDateTime(), nullable=False),
    sa.Column('done_at', db.types.UtcDateTime(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('created_at', db.types.UtcDateTime(), nullable=False),
    sa.Column('updated_at', db.types.UtcDateTime(), nullable=False),
    sa.Column('owner', sa.String(length=120), nullable=False),
    sa.Column('source', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('recovery', sa.String(length=255), nullable=False),
    sa.ForeignKeyConstraint(['assignee_id'], ['users.id'], name=op.f('fk_owner_tasks_assignee_id')),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_owner_tasks_client_id')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_owner_tasks_event_id')),
    sa.ForeignKeyConstraint(['lead_id'], ['leads.id'], name=op.f('fk_owner_tasks_lead_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_owner_tasks'))
    )
    op.create_index(op.f('ix_owner_tasks_client_id'), 'owner_tasks', ['client_id'], unique=False)
    op.create_index(op.f('ix_owner_tasks_lead_id'), 'owner_tasks', ['lead_id'], unique=False)
    op.create_index(op.f('ix_owner_tasks_status_due_at'), 'owner_tasks', ['status', 'due_at'], unique=False)

    op.create_table('review_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=True),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('workflow', sa.String(length=48), nullable=False),
    sa.Column('provider', sa.String(length=64), nullable=False),
    sa.Column('priority', sa.SmallInteger(), nullable=False),
    sa.Column('arrived_at', db.types.UtcDateTime(), nullable=False),
    sa.Column('sla_due_at', db.types.UtcDateTime(), nullable=False),
    sa.Column('lead_label', sa.String(length=200), nullable=False),
    sa.Column('top_severity', sa.SmallInteger(), nullable=False),
    sa.Column('flag_codes', sa.String(length=255), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('claimed_by_id', sa.Integer(), nullable=True),
    sa.Column('lease_expires_at', db.types.UtcDateTime(), nullable=True),
    sa.Column('final_text', db.types.BigText, nullable=True),
    sa.Column('edit_class', sa.String(length=16), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', db.types.UtcDateTime(), nullable=True),
    sa.Column('reject_reason', sa.String(length=64), nullable=True),
    sa.Column('reject_note', sa.String(length=1000), nullable=True),
    sa.Column('hold_reason', sa.String(length=255), nullable=True),
    sa.Column('created_at', db.types.UtcDateTime(), nullable=False),
    sa.Column('updated_at', db.types.UtcDateTime(), nullable=False),
    sa.Column('owner', sa.String(length=120), nullable=False),
    sa.Column('source', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('recovery', sa.String(length=255), nullable=False),
    sa.ForeignKeyConstraint(['claimed_by_id'], ['users.id'], name=op.f('fk_review_items_claimed_by_id')),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_review_items_client_id')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_review_items_decided_by_id')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_review_items_event_id')),
    sa.ForeignKeyConstraint(['lead_id'], ['leads.id'], name=op.f('fk_review_items_lead_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_items'))
    )
    op.create_index(op.f('ix_review_items_claimed_by_id_status'), 'review_items', ['claimed_by_id', 'status'], unique=False)
    op.create_index(op.f('ix_review_items_client_id_status'), 'review_items', ['client_id', 'status'], unique=False)
    op.create_index(op.f('ix_review_items_kind_status'), 'review_items', ['kind', 'status'], unique=False)
    op.create_index(op.f('ix_review_items_lead_id'), 'review_items', ['lead_id'], unique=False)
    op.create_index(op.f('ix_review_items_status_priority_sla_due_at'), 'review_items', ['status', 'priority', 'sla_due_at'], unique=False)
    op.create_index(op.f('ix_review_items_status_arrived_at'), 'review_items', ['status', 'arrived_at'], unique=False)
    op.create_index(op.f('ix_review_items_status_sla_due_at'), 'review_items', ['status', 'sla_due_at'], unique=False)
    op.create_index(op.f('ix_review_items_top_severity_status'), 'review_items', ['top_severity', 'status'], unique=False)
    op.create_index(op.f('ix_review_items_workflow_status'), 'review_items', ['workflow', 'status'], unique=False)

    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', db.types.UtcDateTime(), nullable=False),
    sa.Column('actor', sa.String(length=120), nullable=False),
    sa.Column('source', sa.String(length=32), nullable=False),
    sa.Column('action', sa.String(length=48), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('recovery', sa.String(length=255), nullable=False),
    sa.Column('entity', sa.String(length=32), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=True),
    sa.Column('review_item_id', sa.Integer(), nullable=True),
    sa.Column('lead_id', sa.Integer(), nullable=True),
    sa.Column('client_id', sa.Integer(), nullable=True),
    sa.Column('detail', db.types.Json, nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_audit_log_client_id')),
    sa.ForeignKeyConstraint(['lead_id'], ['leads.id'], name=op.f('fk_audit_log_lead_id')),
    sa.ForeignKeyConstraint(['review_item_id'], ['review_items.id'], name=op.f('fk_audit_log_review_item_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    op.create_index(op.f('ix_audit_log_entity_entity_id'), 'audit_log', ['entity', 'entity_id'], unique=False)
    op.create_index(op.f('ix_audit_log_lead_id_at'), 'audit_log', ['lead_id', 'at'], unique=False)
    op.create_index(op.f('ix_audit_log_review_item_id_at'), 'audit_log', ['review_item_id', 'at'], unique=False)

    op.create_table('crm_handoffs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_item_id', sa.Integer(), nullable=True),
    sa.Column('lead_id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('integration_account_id', sa.Integer(), nullable=True),
    sa.Column('adapter', sa.String(length=32), nullable=False),
    sa.Column('idempotency_key', sa.String(length=160), nullable=False),
    sa.Column('payload', db.types.Json, nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', db.types.UtcDateTime(), nullable=True),
    sa.Column('last_error', sa.String(length=1000), nullable=True),
    sa.Column('external_id', sa.String(length=120), nullable=True),
    sa.Column('pushed_at', db.types.UtcDateTime(), nullable=True),
    sa.Column('created_at', db.types.UtcDateTime(), nullable=False),
    sa.Column('updated_at', db.types.UtcDateTime(), nullable=False),
    sa.Column('owner', sa.String(length=120), nullable=False),
    sa.Column('source', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('recovery', sa.String(length=255), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_crm_handoffs_client_id')),
    sa.ForeignKeyConstraint(['integration_account_id'], ['integration_accounts.id'], name=op.f('fk_crm_handoffs_integration_account_id')),
    sa.ForeignKeyConstraint(['lead_id'], ['leads.id'], name=op.f('fk_crm_handoffs_lead_id')),
    sa.ForeignKeyConstraint(['review_item_id'], ['review_items.id'], name=op.f('fk_crm_handoffs_review_item_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_handoffs')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_crm_handoffs_idempotency_key'))
    )
    op.create_index(op.f('ix_crm_handoffs_lead_id'), 'crm_handoffs', ['lead_id'], unique=False)
    op.create_index(op.f('ix_crm_handoffs_review_item_id'), 'crm_handoffs', ['review_item_id'], unique=False)
    op.create_index(op.f('ix_crm_handoffs_status_next_attempt_at'), 'crm_handoffs', ['status', 'next_attempt_at'], unique=False)

    op.create_table('drafts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_item_id', sa.Integer(), nullable=False),
    sa.Column('version_no', sa.Integer(), nullable=False),
    sa.Column('drafter', sa.String(length=32), nullable=False),
    sa.Column('internal_summary', db.types.BigText, nullable=False),
    sa.Column('client_text', db.types.BigText, nullable=False),
    sa.Column('next_action', sa.String(length=255), nullable=False),
    sa.Column('confidence', sa.Float(), nullable=False),
    sa.Column('model', sa.String(length=120), nullable=True),
    sa.Column('prompt_version', sa.String(length=32), nullable=True),
    sa.Column('latency_ms', sa.Integer(), nullable=True),
    sa.Column('tokens_in', sa.Integer(), nullable=True),
    sa.Column('tokens_out', sa.Integer(), nullable=True),
    sa.Column('input_hash', sa.String(length=64), nullable=False),
    sa.Column('instruction', sa.String(length=500), nullable=True),
    sa.Column('created_at', db.types.UtcDateTime(), nullable=False),
    sa.Column('updated_at', db.types.UtcDateTime(), nullable=False),
    sa.Column('owner', sa.String(length=120), nullable=False),
    sa.Column('source', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('recovery', sa.String(length=255), nullable=False),
    sa.ForeignKeyConstraint(['review_item_id'], ['review_items.id'], name=op.f('fk_drafts_review_item_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_drafts')),
    sa.UniqueConstraint('review_item_id', 'version_no', name=op.f('uq_drafts_review_item_id_version_no'))
    )
    op.create_table('messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_item_id', sa.Integer(), nullable=True),
    sa.Column('lead_id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('template_id', sa.Integer(), nullable=True),
    sa.Column('idempotency_key', sa.String(length=160), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('recipient', sa.String(length=254), nullable=False),
    sa.Column('body', db.types.BigText, nullable=False),
    sa.Column('compliance_note', sa.String(length=255), nullable=False),
    sa.Column('queued_at', db.types.UtcDateTime(), nullable=True),
    sa.Column('sent_at', db.types.UtcDateTime(), nullable=True),
    sa.Column('error', sa.String(length=1000), nullable=True),
    sa.Column('created_at', db.types.UtcDateTime(), nullable=False),
    sa.Column('updated_at', db.types.UtcDateTime(), nullable=False),
    sa.Column('owner', sa.String(length=120), nullable=False),
    sa.Column('source', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('recovery', sa.String(length=255), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_messages_client_id')),
    sa.ForeignKeyConstraint(['lead_id'], ['leads.id'], name=op.f('fk_messages_lead_id')),
    sa.ForeignKeyConstraint(['review_item_id'], ['review_items.id'], name=op.f('fk_messages_review_item_id')),
    sa.ForeignKeyConstraint(['template_id'], ['message_templates.id'], name=op.f('fk_messages_template_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_messages')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_messages_idempotency_key'))
    )
    op.create_index(op.f('ix_messages_lead_id'), 'messages', ['lead_id'], unique=False)
    op.create_index(op.f('ix_messages_review_item_id'), 'messages', ['review_item_id'], unique=False)
    op.create_index(op.f('ix_messages_status_queued_at'), 'messages', ['status', 'queued_at'], unique=False)

    op.create_table('portal_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=True),
    sa.Column('review_item_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', db.types.BigText, nullable=False),
    sa.Column('published_at', db.types.UtcDateTime(), nullable=False),
    sa.Column('created_at', db.types.UtcDateTime(), nullable=False),
    sa.Column('updated_at', db.types.UtcDateTime(), nullable=False),
    sa.Column('owner', sa.String(length=120), nullable=False),
    sa.Column('source', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('recovery', sa.String(length=255), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_portal_notes_client_id')),
    sa.ForeignKeyConstraint(['lead_id'], ['leads.id'], name=op.f('fk_portal_notes_lead_id')),
    sa.ForeignKeyConstraint(['review_item_id'], ['review_items.id'], name=op.f('fk_portal_notes_review_item_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_portal_notes')),
    sa.UniqueConstraint('review_item_id', name=op.f('uq_portal_notes_review_item_id'))
    )
    op.create_index(op.f('ix_portal_notes_client_id'), 'portal_notes', ['client_id'], unique=False)

    op.create_table('risk_flags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_item_id', sa.Integer(), nullable=False),
    sa.Column('draft_id', sa.Integer(), nullable=True),
    sa.Column('code', sa.String(length=48), nullable=False),
    sa.Column('severity', sa.SmallInteger(), nullable=False),
    sa.Column('reason', sa.String(length=255), nullable=False),
    sa.Column('evidence', sa.String(length=1000), nullable=False),
    sa.Column('field', sa.String(length=32), nullable=True),
    sa.Column('span_start', sa.Integer(), nullable=True),
    sa.Column('span_end', sa.Integer(), nullable=True),
    sa.Column('created_at', db.types.UtcDateTime(), nullable=False),
    sa.Column('updated_at', db.types.UtcDateTime(), nullable=False),
    sa.Column('owner', sa.String(length=120), nullable=False),
    sa.Column('source', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('recovery', sa.String(length=255), nullable=False),
    sa.ForeignKeyConstraint(['draft_id'], ['drafts.id'], name=op.f('fk_risk_flags_draft_id')),
    sa.ForeignKeyConstraint(['review_item_id'], ['review_items.id'], name=op.f('fk_risk_flags_review_item_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_risk_flags'))
    )
    op.create_index(op.f('ix_risk_flags_review_item_id'), 'risk_flags', ['review_item_id'], unique=False)
    _make_audit_log_append_only()


_APPEND_ONLY = "audit_log is append-only"


def _make_audit_log_append_only() -> None:
    """Refuse UPDATE and DELETE on audit_log in the database itself, not only in Python."""
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_log_no_{verb.lower()} BEFORE {verb} ON audit_log "
                f"BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END"
            )
    elif dialect == "postgresql":
        op.execute(
            "CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN RAISE EXCEPTION '{_APPEND_ONLY}'; END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
            "FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change()"
        )
    else:  # MySQL / MariaDB
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_log_no_{verb.lower()} BEFORE {verb} ON audit_log "
                f"FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '{_APPEND_ONLY}'"
            )


def downgrade() -> None:
    for table in (
        'risk_flags',
        'portal_notes',
        'messages',
        'drafts',
        'crm_handoffs',
        'audit_log',
        'review_items',
        'owner_tasks',
        'metric_snapshots',
        'provider_import_batches',
        'events',
        'webhook_events',
        'integration_sync_runs',
        'data_sources',
        'client_services',
        'projects',
        'message_templates',
        'leads',
        'integration_accounts',
        'users',
        'clients',
        'automation_pauses',
    ):
        op.drop_table(table)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION audit_log_refuse_change()")
