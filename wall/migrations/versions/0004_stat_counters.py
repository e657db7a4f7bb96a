"""Stats counters kept with the posts, so stats cost the same at any number of posts.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02

The counters of a database upgraded from an earlier revision are filled once, from
its stored posts, when the store starts (Store.count_again_if_needed).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add stat_counters and stat_posts."""
    op.create_table(
        "stat_counters",
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("key", sa.String(length=700), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "key"),
    )
    op.create_index("ix_stat_counters_kind_count", "stat_counters", ["kind", "count"])
    op.create_table(
        "stat_posts",
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("counted_json", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("post_id"),
    )


def downgrade() -> None:
    """Drop the counters."""
    op.drop_table("stat_posts")
    op.drop_index("ix_stat_counters_kind_count", table_name="stat_counters")
    op.drop_table("stat_counters")
