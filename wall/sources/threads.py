"""Threads: keyword and topic-tag search, recent first, within 2,200 queries a day."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from wall.configreader import Reader
from wall.models import Media, Post
from wall.sources import graph, http, polling
from wall.sources.base import Health, Item, Runtime, SourceError
from wall.sources.text import clip, parse_time

log = logging.getLogger(__name__)

THREADS_URL = "https://graph.threads.net/v1.0"
DAILY_QUERIES = 2200  # per user, across apps, in a rolling 24 hours
DAY = 24 * 3600.0
SHARE = 0.9  # of the daily queries this source plans to spend, leaving room for others
FIELDS = ("id,text,media_type,media_url,thumbnail_url,permalink,timestamp,username,"
          "is_quote_post,is_reply,children{media_type,media_url,thumbnail_url}")


@dataclass(frozen=True)
class ThreadsOptions:
    """Options of a type = "threads" source."""

    token_env: str
    api_url: str = THREADS_URL
    hashtags: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    interval: float = 60.0
    daily_queries: int = DAILY_QUERIES
    backfill: int = 25


def parse_options(r: Reader) -> ThreadsOptions:
    """Read the Threads source's options."""
    return ThreadsOptions(
        token_env=r.string("token_env", "", required=True, allow_empty=False),
        api_url=r.string("api_url", THREADS_URL, allow_empty=False).rstrip("/"),
        hashtags=tuple(t.lstrip("#") for t in r.strings("hashtags")),
        keywords=r.strings("keywords"),
        interval=r.number("interval", 60.0, low=5, high=86400),
        daily_queries=r.integer("daily_queries", DAILY_QUERIES, low=1, high=DAILY_QUERIES),
        backfill=r.integer("backfill", 25, low=0, high=100),
    )


def _still(raw: Mapping[str, Any]) -> str:
    if raw.get("media_type") == "VIDEO":
        return clip(raw.get("thumbnail_url"), 2000)
    if raw.get("media_type") == "CAROUSEL_ALBUM":
        children = raw.get("children")
        for child in children.get("data") or [] if isinstance(children, Mapping) else []:
            if isinstance(child, Mapping) and _still(child):
                return _still(child)
    return clip(raw.get("media_url"), 2000) if raw.get("media_type") == "IMAGE" else ""


def to_post(raw: Any, *, source: str) -> Post:
    """Turn one Threads media object from keyword_search into a Post."""
    if not isinstance(raw, Mapping) or not isinstance(raw.get("id"), str):
        raise SourceError("a Threads media object needs a string id")
    username = clip(raw.get("username"), 100)
    picture = _still(raw)
    return Post(
        source=source,
        external_id=raw["id"][:300],
        network="threads",
        author=username or "Threads user",
        handle=f"@{username}" if username else "",
        text=clip(raw.get("text"), 5000),
        url=clip(raw.get("permalink"), 2000) or None,
        created_at=parse_time(raw.get("timestamp"), "timestamp"),
        media=(Media(picture),) if picture else (),
        is_reply=raw.get("is_reply") is True,
    )


def wall_keywords(runtime: Runtime) -> tuple[str, ...]:
    """Return [wall] keywords once the runtime carries them (issue 12), else none."""
    found = getattr(runtime, "keywords", ())
    return tuple(k for k in found if isinstance(k, str) and k.strip())


class ThreadsSource:
    """Searches each hashtag (TAG mode) and keyword, RECENT, with `since` after the first poll."""

    def __init__(self, name: str, options: ThreadsOptions) -> None:
        self.name = name
        self.options = options
        self.graph = graph.Graph(options.api_url, options.token_env,
                                 "a Threads user access token")
        self.state: dict[str, Any] = {}
        self.day = polling.Window(options.daily_queries, DAY)

    def terms(self, runtime: Runtime) -> list[tuple[str, str]]:
        """Return (mode, query) pairs: TAG for hashtags, KEYWORD for keywords."""
        tags = self.options.hashtags or runtime.hashtags
        words = self.options.keywords or wall_keywords(runtime)
        return [("TAG", t) for t in tags] + [("KEYWORD", w) for w in words]

    def interval(self, terms: int) -> float:
        """Return the poll interval: at least enough to stay within the daily queries."""
        floor = DAY * max(1, terms) / (self.options.daily_queries * SHARE)
        return max(self.options.interval, floor) * self.graph.slow_factor()

    def posts(self, runtime: Runtime) -> Iterator[Item]:
        """Search every term, then wait the interval the quota allows."""
        self.state = polling.load_state(runtime.cursor(self.name), self.name)
        self.day = polling.Window(self.options.daily_queries, DAY, self.state.get("queries"))
        terms = self.terms(runtime)
        if not terms:
            raise SourceError("no hashtags or keywords: set [wall] hashtags or this "
                              "source's hashtags or keywords")
        graph.token_from(self.options.token_env, "a Threads user access token")
        parts: list[tuple[str, Callable[[], Iterator[Item]]]] = [
            (f"{mode.lower()} {q}", partial(self._search, mode, q)) for mode, q in terms]
        items = polling.loop(runtime, lambda: polling.run_parts(self.name, parts),
                             lambda: self.interval(len(terms)), self.status, self._cursor)
        return http.closing(self.graph.http, items)

    def _cursor(self) -> str:
        self.state["queries"] = self.day.spent
        return polling.dump_state(self.state)

    def status(self) -> str:
        """Return the quota for the sources panel."""
        return f"queries {self.day.used()}/{self.options.daily_queries} in 24 h"

    def _search(self, mode: str, query: str) -> Iterator[Item]:
        """Run one keyword_search, unless the day's queries are spent."""
        if not self.day.allows():
            hours = self.day.free_in() / 3600
            yield Health("paused", f"Threads quota spent: {self.status()}; "
                                   f"next query in {hours:.1f} h")
            return
        key = f"{mode}:{query.lower()}"
        seen: dict[str, float] = self.state.setdefault("since", {})
        params: dict[str, Any] = {"q": query, "search_type": "RECENT", "search_mode": mode,
                                  "fields": FIELDS, "limit": max(1, self.options.backfill)}
        if key in seen and seen[key]:
            params["since"] = int(seen[key]) + 1
        self.day.spend()  # counted even when empty (Meta would not): never overspends
        body = self.graph.get("keyword_search", params)
        data = body.get("data")
        if not isinstance(data, list):
            raise SourceError("keyword_search: expected a data list")
        yield from polling.fresh(self.name, seen, key, iter([data]),
                                 lambda raw: to_post(raw, source=self.name),
                                 self.options.backfill, self._cursor)


def build(name: str, options: ThreadsOptions) -> ThreadsSource:
    """Create a Threads source."""
    return ThreadsSource(name, options)
