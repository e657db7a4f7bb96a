"""Alembic migrations, run from the `socialwall` CLI: no alembic.ini for users to keep."""

from __future__ import annotations

import logging
from importlib.resources import files
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect

from wall.store import schema

log = logging.getLogger(__name__)

BASELINE = "0001"
# PostgreSQL: one process at a time migrates (two servers started together on a new database).
_PG_MIGRATE_LOCK = 7_305_662


# Columns of `posts` in the baseline; a database without one of them predates 0.1.0.
_BASELINE_POSTS = ("external_id", "network", "media_state", "ambassador", "toxicity", "pinned",
                   "facts_json")


class SchemaError(Exception):
    """The database's schema cannot be used as it is; the message says what to run."""


def _location() -> Path:
    resource = files("wall").joinpath("migrations")
    assert isinstance(resource, Path), "socialwall must be installed as files"
    return resource


def alembic_config(connection: Connection | None = None) -> Config:
    """Return an Alembic config pointing at wall/migrations, bound to a connection."""
    config = Config()
    config.set_main_option("script_location", str(_location()))
    config.attributes["connection"] = connection
    return config


def head() -> str:
    """Return the newest revision this build knows."""
    revision = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert revision is not None
    return revision


def current(engine: Engine) -> str | None:
    """Return the database's revision; None for an empty or unversioned database."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _unversioned_tables(conn: Connection) -> bool:
    """Return True when the tables exist without a revision: a database from 0.1.0."""
    names = set(inspect(conn).get_table_names())
    return "posts" in names and "alembic_version" not in names


def _check_baseline(conn: Connection) -> None:
    """Refuse tables older than the baseline: they predate the first release."""
    found = inspect(conn)
    have = {c["name"] for c in found.get_columns("posts")}
    missing = [f"posts.{name}" for name in _BASELINE_POSTS if name not in have]
    if missing:
        raise SchemaError(
            f"the database was created by a development build older than 0.1.0 (missing "
            f"{', '.join(missing)}); export what you need with `socialwall export posts` "
            "and start from an empty database")


def upgrade(engine: Engine, revision: str = "heads") -> tuple[str | None, str]:
    """Bring the database to `revision`; return (revision before, revision after)."""
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_MIGRATE_LOCK})")
        before = MigrationContext.configure(conn).get_current_revision()
        config = alembic_config(conn)
        if before is None and _unversioned_tables(conn):
            _check_baseline(conn)  # today's release made these tables: adopt them as-is
            command.stamp(config, BASELINE)
        command.upgrade(config, revision)
        after = MigrationContext.configure(conn).get_current_revision()
    if before != after:
        log.info("database schema upgraded from %s to %s", before or "none", after)
    return before, after or ""


def ensure_current(engine: Engine) -> None:
    """Start-up check: migrate SQLite or a new database; refuse an old shared one."""
    if engine.dialect.name == "sqlite":
        upgrade(engine)  # one process owns a SQLite file: it upgrades on start
        return
    with engine.connect() as conn:
        names = set(inspect(conn).get_table_names())
    if not names & {table.name for table in schema.metadata.sorted_tables}:
        upgrade(engine)  # a new, empty database: nothing to lose, create the schema
        return
    found, wanted = current(engine), head()
    if found != wanted:
        url = engine.url.render_as_string(hide_password=True)
        raise SchemaError(
            f"the database {url} is at schema revision {found or 'none (0.1.0)'} and this "
            f"socialwall needs {wanted}. Stop every socialwall process, back the database "
            "up, run `socialwall db upgrade --config FILE` once, then start them again.")
