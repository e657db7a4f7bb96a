"""Posts remember when they were put on the screens, so a reloaded screen keeps the order.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02

`shown_seq` is the seq of the post's latest `post_added` event: screens show posts in
the order they became visible (a post approved ten minutes after it arrived goes on
top, live), and a screen that loads a snapshot now gets that same order instead of the
order of arrival. Posts already on the wall take the seq of their newest `post_added`
still logged; older ones take 0 and are listed after them, by id, as before. Posts not
approved keep NULL until they are.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add posts.shown_seq, fill it from the event log, index it for the snapshot."""
    with op.batch_alter_table("posts") as batch:
        batch.add_column(sa.Column("shown_seq", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE posts SET shown_seq = (SELECT MAX(events.seq) FROM events"
        " WHERE events.post_id = posts.id AND events.type = 'post_added'"
        " AND events.audience = 'public') WHERE posts.status = 'approved'")
    # Approved posts whose post_added was pruned from the log go after the others.
    op.execute("UPDATE posts SET shown_seq = 0 WHERE status = 'approved' AND shown_seq IS NULL")
    op.create_index("ix_posts_status_shown_seq", "posts", ["status", "shown_seq", "id"])
    # Highlights are a few posts among all: found by index, not by reading every post.
    op.create_index("ix_posts_highlighted_shown_seq", "posts",
                    ["highlighted", "status", "shown_seq", "id"])


def downgrade() -> None:
    """Drop posts.shown_seq."""
    op.drop_index("ix_posts_highlighted_shown_seq", table_name="posts")
    op.drop_index("ix_posts_status_shown_seq", table_name="posts")
    with op.batch_alter_table("posts") as batch:
        batch.drop_column("shown_seq")
