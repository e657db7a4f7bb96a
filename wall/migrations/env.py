"""Alembic's environment: the connection comes from wall.migrations, never from an ini file."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from wall.store import schema

connection = context.config.attributes.get("connection")
if not isinstance(connection, Connection):
    raise RuntimeError("run migrations with `socialwall db upgrade`, not the alembic command")

# render_as_batch: SQLite alters a table by copying it, which batch operations do.
context.configure(connection=connection, target_metadata=schema.metadata,
                  render_as_batch=True, compare_type=True)
with context.begin_transaction():
    context.run_migrations()
