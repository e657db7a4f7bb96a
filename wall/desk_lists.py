"""The desk's lists: posts by status (paged, filtered), blocked authors, unblock, screens.

Reads use the store's read connection and the wall.store.schema tables; writes commit
in one transaction. Nothing here is broadcast: the lists are what one tablet asks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, func, or_, select

from wall.payloads import iso, post_payload
from wall.store import Store, schema

# Tabs of the desk and the post statuses they list, newest decision first.
TABS = {"shown": "approved", "rejected": "rejected", "pending": "pending"}
PAGE_MAX = 100


@dataclass(frozen=True)
class Page:
    """One page of a list: its items, the total that matches, the cursor of the next page."""

    items: list[dict[str, Any]]
    total: int
    next_before: int | None


def _like(text: str) -> str:
    """Escape a search for LIKE: the moderator's % and _ are literal characters."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.lower()}%"


def _filters(status: str, network: str | None, query: str | None) -> list[ColumnElement[bool]]:
    """Build the WHERE clauses of a list: its status, one network, a text search."""
    p = schema.posts.c
    where: list[ColumnElement[bool]] = [p.status == status]
    if network:
        where.append(p.network == network)
    if query:
        pattern = _like(query)
        where.append(or_(func.lower(p.text).like(pattern, escape="\\"),
                         func.lower(p.author).like(pattern, escape="\\"),
                         func.lower(p.handle).like(pattern, escape="\\")))
    return where


def list_posts(store: Store, tab: str, *, network: str | None = None, query: str | None = None,
               before: int | None = None, limit: int = 50) -> Page:
    """Return a page of a tab's posts: pending oldest first, the others newest first."""
    p = schema.posts.c
    status = TABS[tab]
    where = _filters(status, network, query)
    oldest_first = tab == "pending"
    paged = list(where)
    if before is not None:
        paged.append(p.id > before if oldest_first else p.id < before)
    order = p.id.asc() if oldest_first else p.id.desc()
    limit = max(1, min(PAGE_MAX, limit))
    with store.read() as conn:
        total = int(conn.execute(select(func.count()).select_from(schema.posts)
                                 .where(and_(*where))).scalar() or 0)
        rows = conn.execute(select(schema.posts).where(and_(*paged)).order_by(order)
                            .limit(limit + 1)).mappings().all()
    items = [post_payload(dict(r)) for r in rows[:limit]]
    more = len(rows) > limit
    return Page(items, total, int(items[-1]["id"]) if more and items else None)


def networks(store: Store) -> list[str]:
    """Return the networks of the stored posts, for the filter menu."""
    p = schema.posts.c
    with store.read() as conn:
        found = conn.execute(select(p.network).distinct().order_by(p.network)).scalars().all()
    return [str(n) for n in found]


def list_blocks(store: Store) -> list[dict[str, Any]]:
    """Return the authors moderators blocked, newest first, with who blocked them."""
    b = schema.blocks.c
    with store.read() as conn:
        rows = conn.execute(select(schema.blocks).order_by(b.at.desc(), b.author_key)
                            ).mappings().all()
    blocks = []
    for row in rows:
        network, _, who = str(row["author_key"]).partition(":")
        blocks.append({"key": row["author_key"], "network": network, "author": who,
                       "by": row["actor"], "at": iso(row["at"])})
    return blocks


def unblock(store: Store, key: str, actor: str) -> bool:
    """Lift a block so the author's next posts go through the rules again; False if none."""
    with store.begin() as conn:
        done = conn.execute(delete(schema.blocks).where(schema.blocks.c.author_key == key))
        if done.rowcount != 1:
            return False
        store._audit(conn, None, "unblock_author", actor, [f"author {key} unblocked"])
    store.blocks_changed()
    return True


def remove_screen(store: Store, name: str) -> bool:
    """Forget a screen that no longer exists; False if no screen has that name."""
    with store.begin() as conn:
        done = conn.execute(delete(schema.screens).where(schema.screens.c.name == name))
    return done.rowcount == 1
