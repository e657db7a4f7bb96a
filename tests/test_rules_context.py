"""The rules' context kept between groups: exact in this process, fresh from others within a second.

Two walls on one SQLite file stand in for two server processes (each has its own store,
connection pool and pipeline, as a second process would).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import make_post, write_config
from wall import desk
from wall.config import load_config

RULES = "author_max_posts = 1\nauthor_window_minutes = 10\n"


@pytest.fixture
def walls(tmp_path: Path) -> Iterator[tuple[Any, Any]]:
    """Two walls sharing one database, like two processes of one deployment."""
    from wall import create_app

    config = load_config(write_config(tmp_path, mode="post", async_mode="threading",
                                      moderation=RULES))
    apps = [create_app(config, {"TESTING": True}) for _ in range(2)]
    yield tuple(app.extensions["socialwall"] for app in apps)  # type: ignore[misc]
    for app in apps:
        app.extensions["socialwall"].store.close()


def send(wall: Any, handle: str, text: str) -> dict[str, Any]:
    """Submit one post through the wall's pipeline; return its stored payload."""
    post: dict[str, Any] = wall.pipeline.submit(
        make_post(author=handle.strip("@").title(), handle=handle, text=text)).post
    return post


def test_posts_this_process_stored_count_at_once(walls: tuple[Any, Any]) -> None:
    one, _ = walls
    assert send(one, "@sam", "first")["status"] == "approved"
    second = send(one, "@sam", "second")  # well within the refresh: from what was stored
    assert second["status"] == "pending"
    assert any("2 posts by this author" in r for r in second["reasons"])


def test_another_process_posts_and_blocks_reach_the_rules_within_the_refresh(
        walls: tuple[Any, Any]) -> None:
    one, other = walls
    assert send(one, "@ola", "hello")["status"] == "approved"  # `one` has read its context
    assert send(other, "@ola", "again")["status"] == "pending"  # `other` reads the database
    pest = send(other, "@pest", "buy now")
    desk.block_author(other.store, pest["id"], "moderator")
    time.sleep(desk.CONTEXT_REFRESH + 0.2)
    assert send(one, "@ola", "third")["status"] == "pending"
    late = send(one, "@pest", "buy more")
    assert late["status"] == "rejected" and any("blocked" in r for r in late["reasons"])


def test_a_block_and_an_unblock_here_apply_to_the_next_post(walls: tuple[Any, Any]) -> None:
    one, _ = walls
    first = send(one, "@pest", "buy now")  # the context is read and kept from here on
    desk.block_author(one.store, first["id"], "moderator")
    blocked = send(one, "@pest", "buy again")
    assert blocked["status"] == "rejected"
    from wall import desk_lists

    assert desk_lists.unblock(one.store, "webhook:pest", "moderator")
    sorry = send(one, "@pest", "sorry")  # held by the author limit, no longer blocked
    assert sorry["status"] == "pending" and not any("blocked" in r for r in sorry["reasons"])
