"""The Decided view's order: decided items, newest decision first, read straight off an index.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02

Shaped like the other queue indexes ("open + order"): the Decided view is ``is_open = 0`` in
``decided_at`` order, so its first page of a million items is read off the index, not sorted.
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

NAME = "ix_review_items_is_open_decided_at"


def upgrade() -> None:
    op.create_index(NAME, "review_items", ["is_open", "decided_at"], unique=False)


def downgrade() -> None:
    op.drop_index(NAME, table_name="review_items")
