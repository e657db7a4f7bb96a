"""RSS and Atom: entries to posts, conditional GET against a local feed server."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import feedparser
import pytest

from tests.standins import HttpStandIn, Reply, Seen, fixture, start_source, wait_for
from wall.runtime import get_wall
from wall.sources.base import SourceError
from wall.sources.rss import RssOptions, RssSource, to_post

RSS_TYPE = {"Content-Type": "application/rss+xml; charset=utf-8"}


def test_rss_item_becomes_plain_text_post() -> None:
    feed = feedparser.parse(fixture("rss/blog.xml"))
    post = to_post(feed.entries[0], feed.feed.title, source="blog")
    assert post.text == ("Notre stand aux #TestDays\n"
                         "Venez essayer nos vélos cargo & repartez avec un café.")
    assert "alert" not in post.text and "<" not in post.text
    assert post.external_id == "velocia-blog-1042" and post.author == "Camille Roux"
    assert post.handle == "Vélocia & Co — Le blog"
    assert post.media[0].url == "https://blog.velocia.example/img/stand.jpg"
    assert post.created_at.isoformat() == "2026-11-22T10:30:00+00:00"
    second = to_post(feed.entries[1], feed.feed.title, source="blog")
    assert second.media[0].url.endswith("camion.jpg")


def test_atom_entry_and_an_empty_entry() -> None:
    feed = feedparser.parse(fixture("rss/press.atom"))
    post = to_post(feed.entries[0], feed.feed.title, source="press")
    assert post.text.startswith("Record attendance on day one #TestDays\n12,000 visitors")
    assert post.url == "https://press.testdays.example/releases/7"
    with pytest.raises(SourceError):
        to_post(feed.entries[1], feed.feed.title, source="press")


class Feed:
    """A blog that answers 304 to a matching ETag or Last-Modified."""

    etag = '"v1-5f2a"'
    modified = "Sun, 22 Nov 2026 10:30:00 GMT"

    def __init__(self, body: str) -> None:
        self.body = body
        self.fail: list[Reply] = []

    def __call__(self, seen: Seen) -> Reply:
        if self.fail:
            return self.fail.pop(0)
        if seen.headers.get("If-None-Match") == self.etag:
            return Reply(304, b"", {"ETag": self.etag})
        return Reply(200, self.body, {**RSS_TYPE, "ETag": self.etag,
                                      "Last-Modified": self.modified})


@pytest.fixture
def blog() -> Iterator[HttpStandIn]:
    server = HttpStandIn()
    yield server
    server.close()


def _source(server: HttpStandIn) -> RssSource:
    return RssSource("blog", RssOptions(url=server.url + "/feed.xml", interval=0.2))


def _all(app: Any) -> list[dict[str, Any]]:
    store = get_wall(app).store
    return [p for s in ("approved", "pending", "rejected") for p in store.posts(s, 500)]


def test_conditional_get_then_resume_after_restart(app: Any, blog: HttpStandIn) -> None:
    feed = Feed(fixture("rss/blog.xml"))
    blog.routes["/feed.xml"] = feed
    running = start_source(_source(blog), get_wall(app).pipeline)
    wait_for(lambda: len(blog.requests_to("/feed.xml")) >= 3, what="three polls")
    running.halt()
    calls = blog.requests_to("/feed.xml")
    assert "If-None-Match" not in calls[0].headers
    assert calls[1].headers["If-None-Match"] == Feed.etag
    assert calls[1].headers["If-Modified-Since"] == Feed.modified
    assert len(_all(app)) == 2
    oldest_first = get_wall(app).store.posts("approved", oldest_first=True)
    assert oldest_first[0]["text"].startswith("Préparatifs")
    # A new process sends the saved validators at once; a changed feed brings only what is new.
    before = len(blog.seen)
    running = start_source(_source(blog), get_wall(app).pipeline)
    wait_for(lambda: len(blog.seen) > before, what="the first poll after restart")
    assert blog.seen[before].headers["If-None-Match"] == Feed.etag
    feed.etag = '"v2-77c1"'
    feed.body = feed.body.replace("<item>", """<item>
      <title>Jour deux #TestDays</title><guid>velocia-blog-1043</guid>
      <pubDate>Mon, 23 Nov 2026 09:00:00 +0000</pubDate><description>Encore!</description>
    </item><item>""", 1)
    wait_for(lambda: len(_all(app)) == 3, what="the new entry")
    running.halt()
    assert len({p["external_id"] for p in _all(app)}) == 3


def test_rate_limits_errors_and_a_broken_feed_do_not_stop_it(app: Any, blog: HttpStandIn) -> None:
    feed = Feed(fixture("rss/press.atom"))
    feed.fail = [Reply(429, "slow down", {"Retry-After": "1", "Content-Type": "text/plain"}),
                 Reply(200, fixture("rss/broken.xml"), {"Content-Type": "text/html"}),
                 Reply(500, "oops", {"Content-Type": "text/plain"})]
    blog.routes["/feed.xml"] = feed
    running = start_source(_source(blog), get_wall(app).pipeline)
    wait_for(lambda: _all(app), timeout=30, what="the feed's entry after the failures")
    wait_for(lambda: running.runner.health.state == "ok", what="the ok state")
    running.halt()
    calls = blog.requests_to("/feed.xml")
    assert calls[1].at - calls[0].at >= 0.9
    assert {"degraded", "ok"} <= set(running.states)
    assert [p["text"][:16] for p in _all(app)] == ["Record attendanc"]


def test_errors_shown_on_healthz_leave_out_the_query(app: Any, blog: HttpStandIn) -> None:
    blog.routes["/private.xml"] = lambda seen: Reply(403, "no", {"Content-Type": "text/plain"})
    source = RssSource("blog", RssOptions(url=blog.url + "/private.xml?key=s3cret", interval=10))
    running = start_source(source, get_wall(app).pipeline)
    wait_for(lambda: running.runner.health.last_error, what="the error")
    running.halt()
    error = running.runner.health.last_error or ""
    assert error.endswith("/private.xml: HTTP 403") and "s3cret" not in error
    assert blog.requests_to("/private.xml")[0].query == {"key": "s3cret"}
