"""Named moderator accounts kept in the wall's database (`socialwall moderator add`)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from wall.store import Store, schema

MIN_PASSWORD = 8
MAX_NAME = 60


class AccountError(Exception):
    """A moderator account that cannot be added or removed; says why."""


def _key(name: str) -> str:
    return name.strip().casefold()


def add(store: Store, name: str, password: str) -> str:
    """Store a new account with a hashed password; return its name."""
    name = name.strip()
    if not name or len(name) > MAX_NAME:
        raise AccountError(f"a moderator name has 1 to {MAX_NAME} characters")
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"use a password of at least {MIN_PASSWORD} characters")
    row = {"name_key": _key(name), "name": name, "created_at": datetime.now(UTC),
           "password_hash": generate_password_hash(password, method="scrypt")}
    try:
        with store.begin() as conn:
            conn.execute(insert(schema.moderator_accounts).values(**row))
    except IntegrityError:
        raise AccountError(f'a moderator named "{name}" exists already; remove it first '
                           "to change the password") from None
    return name


def remove(store: Store, name: str) -> bool:
    """Delete an account; False when there was none of that name."""
    table = schema.moderator_accounts
    with store.begin() as conn:
        done = conn.execute(delete(table).where(table.c.name_key == _key(name)))
    return bool(done.rowcount)


def names(store: Store) -> list[tuple[str, datetime]]:
    """Return every account's name and creation time, by name."""
    table = schema.moderator_accounts
    with store.read() as conn:
        rows = conn.execute(select(table.c.name, table.c.created_at)
                            .order_by(table.c.name_key)).all()
    return [(row[0], row[1]) for row in rows]


def count(store: Store) -> int:
    """Return how many accounts exist."""
    with store.read() as conn:
        return int(conn.execute(select(func.count())
                                .select_from(schema.moderator_accounts)).scalar_one())


def exists(store: Store, name: str) -> bool:
    """Tell whether an account of that name (any case) exists."""
    table = schema.moderator_accounts
    with store.read() as conn:
        return conn.execute(select(table.c.name_key)
                            .where(table.c.name_key == _key(name))).first() is not None


def login(store: Store, name: str, password: str) -> str | None:
    """Return the account's name when the password matches its hash, else None."""
    table = schema.moderator_accounts
    with store.read() as conn:
        row = conn.execute(select(table.c.name, table.c.password_hash)
                           .where(table.c.name_key == _key(name))).first()
    if row is None:
        return None
    return str(row[0]) if check_password_hash(row[1], password) else None
