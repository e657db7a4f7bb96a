"""Any post a network sends fits the store: long names, ids and URLs, NUL, lone surrogates.

SQLite stores whatever it is given; PostgreSQL refuses a value longer than its column,
a NUL in text and text that is not valid UTF-8, and the whole transaction (a webhook
batch, a source burst) fails with it. Each case here is stored on both, and read back.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.pg import fresh_database
from wall import stats
from wall.models import Decision, Post
from wall.store import Store

APPROVED = Decision("approved")


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A store on SQLite and on the real PostgreSQL."""
    if request.param == "sqlite":
        db = Store(f"sqlite:///{tmp_path / 'wall.db'}")
        db.create_all()
        yield db
        db.close()
        return
    with fresh_database("socialwall_fit") as url:
        db = Store(url)
        db.create_all()
        yield db
        db.close()


def _post(ident: str, **fields: object) -> Post:
    values: dict[str, object] = {"author": "Ada", "text": "hello #wall"}
    values.update(fields)
    return Post("rss", ident, "rss", **values)  # type: ignore[arg-type]


def test_long_names_and_urls_are_stored_with_the_rest_of_the_batch(store: Store) -> None:
    long_url = "https://example.com/" + "a" * 3000
    changes = store.ingest_many([
        (_post("1", author="N" * 1000, handle="h" * 500), APPROVED),
        (_post("2", url=long_url, avatar_url=long_url), APPROVED),
        (_post("3", author='"\\' * 300, handle='"' * 300), APPROVED),
        (_post("4", text="fine"), APPROVED),
    ])
    assert all(c.created for c in changes)
    posts = {p["text"] if p["text"] == "fine" else p["author"][:1]: p
             for p in store.posts("approved", 10)}
    assert len(posts) == 4
    assert posts["N"]["author"] == "N" * 300 and posts["N"]["handle"] == "h" * 300
    assert not posts["A"].get("url")  # the 3,000-character URL is dropped, not cut
    assert posts["fine"]["author"] == "Ada"
    top = {a["author"] for a in stats.compute(store)["top_authors"]}
    assert "N" * 300 in top


def test_nul_and_lone_surrogates_are_cleaned_not_refused(store: Store) -> None:
    store.ingest_many([
        (_post("nul", text="before\x00after #wall", author="A\x00da"), APPROVED),
        (_post("sur", text="broken \ud83d pair", author="B\udc00ob"), APPROVED),
    ])
    texts = sorted(p["text"] for p in store.posts("approved", 10))
    assert texts == ["before" "after #wall", "broken \ufffd pair"]
    assert sorted(p["author"] for p in store.posts("approved", 10)) == ["Ada", "B\ufffdob"]


def test_long_ids_stay_distinct_and_idempotent(store: Store) -> None:
    one, two = "x" * 400 + "1", "x" * 400 + "2"
    first = store.ingest_many([(_post(one), APPROVED), (_post(two), APPROVED)])
    again = store.ingest_many([(_post(one), APPROVED)])
    assert [c.created for c in first] == [True, True]
    assert not again[0].created and again[0].post["id"] == first[0].post["id"]


def test_network_tags_sharing_a_long_prefix_do_not_collide(store: Store) -> None:
    tags = ("a" * 250 + "x", "a" * 250 + "y")
    changes = store.ingest_many([(_post("t", text="no hashtag here", tags=tags), APPROVED)])
    assert changes[0].created
    assert len(store.posts("approved", 10)) == 1
