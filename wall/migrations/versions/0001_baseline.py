"""Baseline: the schema of socialwall 0.1.0 (wall/store/schema.py when migrations came in).

Revision ID: 0001
Revises: none
Create Date: 2026-12-02

A database made by 0.1.0 has these tables and no alembic_version; `socialwall db
upgrade` stamps it at this revision instead of creating anything (wall/migrations).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table('audit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('reasons_json', sa.Text(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('before_status', sa.String(length=20), nullable=True),
    sa.Column('before_highlighted', sa.Boolean(), nullable=True),
    sa.Column('undone', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('audit', schema=None) as batch_op:
        batch_op.create_index('ix_audit_post_id', ['post_id'], unique=False)

    op.create_table('blocks',
    sa.Column('author_key', sa.String(length=400), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('author_key')
    )
    op.create_table('cursors',
    sa.Column('source', sa.String(length=100), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('source')
    )
    op.create_table('events',
    sa.Column('seq', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('type', sa.String(length=40), nullable=False),
    sa.Column('audience', sa.String(length=20), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=True),
    sa.Column('body_json', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('seq')
    )
    op.create_table('posts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=100), nullable=False),
    sa.Column('external_id', sa.String(length=300), nullable=False),
    sa.Column('network', sa.String(length=30), nullable=False),
    sa.Column('author', sa.String(length=300), nullable=False),
    sa.Column('handle', sa.String(length=300), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('avatar_url', sa.String(length=2000), nullable=True),
    sa.Column('avatar_local', sa.String(length=500), nullable=True),
    sa.Column('media_json', sa.Text(), nullable=False),
    sa.Column('hashtags_json', sa.Text(), nullable=False),
    sa.Column('language', sa.String(length=20), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('highlighted', sa.Boolean(), nullable=False),
    sa.Column('reasons_json', sa.Text(), nullable=False),
    sa.Column('decided_by', sa.String(length=200), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('media_state', sa.String(length=20), nullable=True),
    sa.Column('media_errors_json', sa.Text(), nullable=False),
    sa.Column('ambassador', sa.Boolean(), nullable=False),
    sa.Column('toxicity', sa.Float(), nullable=True),
    sa.Column('pinned', sa.Boolean(), nullable=False),
    sa.Column('facts_json', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('source', 'external_id', name='uq_posts_source_external_id')
    )
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.create_index('ix_posts_received_at', ['received_at'], unique=False)
        batch_op.create_index('ix_posts_status_id', ['status', 'id'], unique=False)

    op.create_table('screens',
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('screen', sa.String(length=40), nullable=False),
    sa.Column('last_seen', sa.DateTime(), nullable=False),
    sa.Column('shown', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('name')
    )
    op.create_table('wall_state',
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('post_tags',
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('tag', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('post_id', 'tag')
    )
    with op.batch_alter_table('post_tags', schema=None) as batch_op:
        batch_op.create_index('ix_post_tags_tag', ['tag'], unique=False)



def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table('post_tags', schema=None) as batch_op:
        batch_op.drop_index('ix_post_tags_tag')

    op.drop_table('post_tags')
    op.drop_table('wall_state')
    op.drop_table('screens')
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.drop_index('ix_posts_status_id')
        batch_op.drop_index('ix_posts_received_at')

    op.drop_table('posts')
    op.drop_table('events')
    op.drop_table('cursors')
    op.drop_table('blocks')
    with op.batch_alter_table('audit', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_post_id')

    op.drop_table('audit')
