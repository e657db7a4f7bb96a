"""SQLite's hot writes through the DB-API cursor, inside SQLAlchemy's transaction.

Why not SQLAlchemy's Core here: a statement costs 50-90 us of Python in SQLAlchemy
(compiled-cache lookup, execution context, bind processing per parameter) before SQLite
sees it, and a post's ingest runs seven of them: a quarter of a webhook batch's CPU in
the profile (docs/benchmarks.md). On SQLite the few statements of the ingest path go to
the `sqlite3` cursor of the same connection instead, in the same transaction (SQLAlchemy
opened it: BEGIN IMMEDIATE, store.connections), built from the tables in wall.store.schema
and converting values with SQLAlchemy's own bind processors, so a row written here reads
back exactly as one written through Core (tests/test_store_raw.py). PostgreSQL and every
other write keep Core.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy import insert as sa_insert
from sqlalchemy.dialects import sqlite
from sqlalchemy.exc import DBAPIError

_DIALECT = sqlite.dialect()
# SQLite refuses a statement with more bound values than this (SQLITE_MAX_VARIABLE_NUMBER
# is 32,766 since SQLite 3.32; Debian 12 has 3.40).
MAX_VALUES = 32_766

Processor = Callable[[Any], Any] | None


@dataclass(frozen=True)
class Plan:
    """How rows with given keys go into a table: columns, SQLAlchemy's converters, defaults."""

    table: Table
    keys: tuple[str, ...]  # the rows' keys
    columns: tuple[str, ...]  # the rows' keys, then the columns they leave out (defaults)
    convert: tuple[tuple[int, Callable[[Any], Any]], ...]  # (index in keys, bind processor)
    fixed: tuple[Any, ...]  # the defaults' values, already converted

    @property
    def names(self) -> str:
        return ", ".join(f'"{name}"' for name in self.columns)

    def values(self, row: Mapping[str, Any]) -> tuple[Any, ...]:
        """Return a row's parameters in column order, converted as SQLAlchemy would."""
        out = [row[key] for key in self.keys]
        for index, convert in self.convert:
            if out[index] is not None:
                out[index] = convert(out[index])
        return (*out, *self.fixed)


@cache
def plan(table: Table, keys: tuple[str, ...]) -> Plan:
    """Return the plan for rows holding `keys` (built once per table and key set)."""
    unknown = set(keys) - set(table.c.keys())
    if unknown:
        raise ValueError(f"{table.name} has no column {', '.join(sorted(unknown))}")
    defaults = []
    for column in table.columns:
        if column.key in keys or column.default is None:
            continue  # given, or NULL (an id: SQLite numbers it) as SQLAlchemy would leave it
        if not column.default.is_scalar:
            raise ValueError(f"{table.name}.{column.key} has a computed default: give it")
        defaults.append((column.key, column.default.arg))  # type: ignore[attr-defined]

    def processor(name: str) -> Processor:
        return table.c[name].type.dialect_impl(_DIALECT).bind_processor(_DIALECT)

    convert = tuple((i, fn) for i, fn in enumerate(map(processor, keys)) if fn is not None)
    fixed = tuple(value if value is None or (fn := processor(name)) is None else fn(value)
                  for name, value in defaults)
    return Plan(table, keys, (*keys, *(name for name, _ in defaults)), convert, fixed)


def _cursor(conn: Connection) -> Any:
    driver = conn.connection.driver_connection
    assert driver is not None, "the connection is closed"
    return driver.cursor()


@contextmanager
def _as_sqlalchemy(sql: str) -> Iterator[None]:
    """Raise sqlite3's errors as SQLAlchemy's (IntegrityError, OperationalError...).

    Callers handle SQLAlchemy's exceptions (a refused post fails alone, a locked database
    answers 503): a raw write must fail the same way a Core one does.
    """
    try:
        yield
    except sqlite3.Error as exc:
        raise DBAPIError.instance(sql, None, exc, sqlite3.Error) from exc


def insert(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]],
           *, tail: str = "") -> None:
    """Insert rows (all with the same keys) with one executemany; `tail` follows VALUES."""
    if not rows:
        return
    p = plan(table, tuple(rows[0]))
    marks = ", ".join("?" * len(p.columns))
    sql = f'INSERT INTO "{table.name}" ({p.names}) VALUES ({marks}){tail}'
    with _as_sqlalchemy(sql):
        _cursor(conn).executemany(sql, [p.values(row) for row in rows])


def insert_rows(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert rows: through the DB-API cursor on SQLite, through Core elsewhere."""
    if not rows:
        return
    if conn.dialect.name == "sqlite":
        insert(conn, table, rows)
    else:
        conn.execute(sa_insert(table), list(rows))


def insert_returning(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]],
                     tail: str, returning: Sequence[str]) -> list[tuple[Any, ...]]:
    """Insert rows with multi-row VALUES statements; return the RETURNING rows (any order)."""
    if not rows:
        return []
    p = plan(table, tuple(rows[0]))
    one = "(" + ", ".join("?" * len(p.columns)) + ")"
    back = ", ".join(f'"{name}"' for name in returning)
    cursor = _cursor(conn)
    out: list[tuple[Any, ...]] = []
    step = max(1, MAX_VALUES // len(p.columns))
    for first in range(0, len(rows), step):
        chunk = rows[first:first + step]
        sql = (f'INSERT INTO "{table.name}" ({p.names}) VALUES '
               f'{", ".join([one] * len(chunk))}{tail} RETURNING {back}')
        with _as_sqlalchemy(sql):
            cursor.execute(sql, [value for row in chunk for value in p.values(row)])
            out.extend(cursor.fetchall())
    return out


def scalar(conn: Connection, sql: str) -> Any:
    """Return the first column of the first row of a query (None when there is none)."""
    with _as_sqlalchemy(sql):
        row = _cursor(conn).execute(sql).fetchone()
    return None if row is None else row[0]


def execute_many(conn: Connection, sql: str, params: Iterable[Sequence[Any]]) -> None:
    """Run one statement for each set of parameters (already in SQLite's types)."""
    with _as_sqlalchemy(sql):
        _cursor(conn).executemany(sql, params)
