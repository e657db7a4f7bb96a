"""Ambassadors: enrolments and their claimed handles (issue 15).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the enrolments and their handles."""
    _enrolments()
    _handles()


def _enrolments() -> None:
    op.create_table('ambassador_enrolments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('team', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('charter_version', sa.String(length=80), nullable=False),
    sa.Column('accepted_at', sa.DateTime(), nullable=False),
    sa.Column('consent_at', sa.DateTime(), nullable=False),
    sa.Column('phrase', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('decided_by', sa.String(length=200), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('left_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token')
    )
    op.create_index('ix_ambassador_enrolments_status', 'ambassador_enrolments', ['status'],
                    unique=False)


def _handles() -> None:
    op.create_table('ambassador_handles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enrolment_id', sa.Integer(), nullable=False),
    sa.Column('network', sa.String(length=30), nullable=False),
    sa.Column('handle', sa.String(length=300), nullable=False),
    sa.Column('verified_at', sa.DateTime(), nullable=True),
    sa.Column('verified_post_id', sa.Integer(), nullable=True),
    sa.Column('waived_by', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['enrolment_id'], ['ambassador_enrolments.id'],
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_ambassador_handles_enrolment', 'ambassador_handles', ['enrolment_id'],
                    unique=False)


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index('ix_ambassador_handles_enrolment', table_name='ambassador_handles')
    op.drop_table('ambassador_handles')
    op.drop_index('ix_ambassador_enrolments_status', table_name='ambassador_enrolments')
    op.drop_table('ambassador_enrolments')
