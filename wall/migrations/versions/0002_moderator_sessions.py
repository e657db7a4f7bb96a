"""Moderator sessions kept server-side, so logout and "end all sessions" revoke them.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the moderator_sessions table."""
    op.create_table(
        "moderator_sessions",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("moderator", sa.String(length=200), nullable=False),
        sa.Column("csrf", sa.String(length=64), nullable=False),
        sa.Column("credential", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("seen_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("ended_reason", sa.String(length=100), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_moderator_sessions_moderator", "moderator_sessions", ["moderator"])


def downgrade() -> None:
    """Drop the moderator_sessions table."""
    op.drop_index("ix_moderator_sessions_moderator", table_name="moderator_sessions")
    op.drop_table("moderator_sessions")
