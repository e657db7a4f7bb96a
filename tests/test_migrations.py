"""Alembic migrations: a 0.1.0 database upgrades in place; revisions match the store schema."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine

from tests.conftest import ROOT
from tests.pg import fresh_database
from wall import migrations
from wall.store import SchemaError, Store, schema

RELEASE_010 = ROOT / "tests" / "fixtures" / "release_0_1_0" / "socialwall-0.1.0.sqlite3"


def cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "wall.cli", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def _copy_of_release(tmp_path: Path) -> Path:
    db = tmp_path / "old.sqlite3"
    shutil.copy(RELEASE_010, db)
    return db


def _rows(db: Path) -> dict[str, list[tuple[object, ...]]]:
    with sqlite3.connect(db) as conn:
        return {
            "posts": conn.execute("SELECT id, source, external_id, author, text, status, "
                                  "highlighted, decided_by FROM posts ORDER BY id").fetchall(),
            "audit": conn.execute("SELECT post_id, action, actor FROM audit ORDER BY id")
            .fetchall(),
            "cursors": conn.execute("SELECT source, value FROM cursors ORDER BY source")
            .fetchall(),
            "events": conn.execute("SELECT seq, type FROM events ORDER BY seq").fetchall(),
        }


def test_a_database_from_0_1_0_upgrades_in_place_keeping_everything(tmp_path: Path) -> None:
    db = _copy_of_release(tmp_path)
    before = _rows(db)
    assert [p[5] for p in before["posts"]] == ["approved", "rejected", "approved"]
    store = Store(f"sqlite:///{db}")
    try:
        store.create_all()  # what `socialwall run` does on start with SQLite
        assert migrations.current(store.engine) == migrations.head()
        assert store.get(3)["highlighted"] is True
        assert store.cursor("mastodon") == "109"
    finally:
        store.close()
    assert _rows(db) == before
    with sqlite3.connect(db) as conn:  # 0006: each shown post's place from its post_added
        shown = conn.execute("SELECT id, shown_seq FROM posts ORDER BY id").fetchall()
    assert shown == [(1, 4), (2, None), (3, 7)]


@pytest.mark.slow
def test_db_upgrade_and_current_commands(tmp_path: Path) -> None:
    db = _copy_of_release(tmp_path)
    config = tmp_path / "wall.toml"
    config.write_text(f'[server]\ndatabase = "sqlite:///{db}"\ninstance_dir = "{tmp_path}"\n',
                      encoding="utf-8")
    first = cli("db", "current", "--config", str(config))
    assert first.returncode == 0 and "revision none" in first.stdout
    assert "socialwall db upgrade" in first.stdout
    upgraded = cli("db", "upgrade", "--config", str(config))
    assert upgraded.returncode == 0, upgraded.stderr
    assert f"to {migrations.head()}" in upgraded.stdout
    again = cli("db", "upgrade", "--config", str(config))
    assert "nothing to do" in again.stdout
    assert "up to date" in cli("db", "current", "--config", str(config)).stdout


def test_migrated_schema_equals_wall_schema(tmp_path: Path) -> None:
    """A change to wall/store/schema.py without a revision in wall/migrations fails here."""
    engine = create_engine(f"sqlite:///{tmp_path / 'new.db'}")
    migrations.upgrade(engine)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), schema.metadata)
    assert diff == [], "wall/store/schema.py differs from the migrations; add a revision " \
        f"(see docs/deploy.md, Upgrades): {diff}"


@pytest.mark.slow
def test_a_database_older_than_0_1_0_is_refused_with_what_to_do(tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    with sqlite3.connect(old) as db:
        db.execute("CREATE TABLE posts (id INTEGER PRIMARY KEY, source TEXT, text TEXT)")
    config = tmp_path / "wall.toml"
    config.write_text(f'[server]\ndatabase = "sqlite:///{old}"\ninstance_dir = "{tmp_path}"\n',
                      encoding="utf-8")
    result = cli("run", "--config", str(config), "--port", "0")
    assert result.returncode == 1
    assert "older than 0.1.0" in result.stderr and "socialwall export posts" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database, dropped afterwards."""
    with fresh_database("socialwall_mig") as url:
        yield url


@pytest.mark.slow
def test_postgres_refuses_an_old_schema_until_db_upgrade(tmp_path: Path, pg_url: str) -> None:
    engine = create_engine(pg_url)
    migrations.upgrade(engine, "0001")  # the tables as 0.1.0 made them (the baseline)...
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE alembic_version")  # ...and no revision
    engine.dispose()
    store = Store(pg_url)
    with pytest.raises(SchemaError, match="socialwall db upgrade"):
        store.create_all()  # several processes share it: none migrates on its own
    config = tmp_path / "wall.toml"
    config.write_text(f'[server]\ndatabase = "{pg_url}"\ninstance_dir = "{tmp_path}"\n',
                      encoding="utf-8")
    refused = cli("run", "--config", str(config), "--port", "0", "--no-sources")
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "run `socialwall db upgrade --config FILE` once" in refused.stderr
    assert cli("db", "upgrade", "--config", str(config)).returncode == 0
    store.create_all()
    with store.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), schema.metadata) == []
    store.close()


def test_postgres_new_database_gets_the_schema_on_first_start(pg_url: str) -> None:
    store = Store(pg_url)
    store.create_all()
    assert migrations.current(store.engine) == migrations.head()
    store.close()
