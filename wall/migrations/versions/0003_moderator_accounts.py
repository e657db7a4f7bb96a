"""Named moderator accounts stored in the wall's database (`socialwall moderator add`).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the moderator_accounts table."""
    op.create_table(
        "moderator_accounts",
        sa.Column("name_key", sa.String(length=60), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("password_hash", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name_key"),
    )


def downgrade() -> None:
    """Drop the moderator_accounts table."""
    op.drop_table("moderator_accounts")
