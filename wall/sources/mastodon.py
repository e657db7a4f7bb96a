"""Mastodon: hashtag timelines polled politely on several instances, streaming with a token."""

from __future__ import annotations

import json
import logging
import os
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit

from wall.configreader import Reader
from wall.listening import Listening, read_listening
from wall.sources import http
from wall.sources.base import Checkpoint, Health, Item, Runtime, SourceError, listened
from wall.sources.mastodon_status import to_post as to_post

log = logging.getLogger(__name__)

PAGE = 40
BUDGET_REQUESTS = 300  # Mastodon's default: 300 requests per 5 minutes per client
BUDGET_WINDOW = 300.0
MAX_PAGES = 10  # per tag per poll, so one busy tag cannot starve the others
KNOWN_IDS = 5000


@dataclass(frozen=True)
class MastodonOptions:
    """Options of a type = "mastodon" source."""

    instances: tuple[str, ...]
    interval: float = 30.0
    token_env: str = ""
    hashtags: tuple[str, ...] = ()
    streaming_url: str = ""  # when the instance streams from another host
    listening: Listening = field(default_factory=Listening)
    notifications: bool = True
    search: bool = True


@dataclass(frozen=True)
class Feed:
    """One timeline polled with min_id: a hashtag, the token's mentions, or a keyword search."""

    key: str  # its position's name in the saved cursor
    path: str
    params: tuple[tuple[str, str], ...] = ()
    kind: str = "statuses"  # or "notifications", "search"
    tag: str = ""  # the hashtag, as the config writes it


def parse_options(r: Reader) -> MastodonOptions:
    """Read the Mastodon source's options."""
    listening = read_listening(r)
    instances = r.strings("instances", ("https://mastodon.social",))
    for i, url in enumerate(instances):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            r.problem(f"instances[{i}]", f'must be a base URL such as "https://mastodon.social"'
                      f" (got {url!r})")
    return MastodonOptions(
        instances=tuple(u.rstrip("/") for u in instances),
        interval=r.number("interval", 30.0, low=1, high=3600),
        token_env=r.string("token_env", ""),
        hashtags=listening.hashtags,
        listening=listening,
        streaming_url=r.string("streaming_url", "").rstrip("/"),
        notifications=r.boolean("notifications", True),
        search=r.boolean("search", True),
    )


def _newer(a: str, b: str | None) -> bool:
    """Return True when status id a is newer than b (ids are numbers in strings)."""
    if b is None:
        return True
    try:
        return int(a) > int(b)
    except ValueError:
        return a > b



def feeds(base: str, listening: Listening, options: MastodonOptions, *,
          first: bool, token: bool) -> list[Feed]:
    """Return what to poll on one instance: hashtags everywhere; with the token, on the
    token's instance (the first), its mentions and a search for each keyword."""
    out = [Feed(f"{base}#{t.lower()}", f"{base}/api/v1/timelines/tag/{quote(t, safe='')}",
                tag=t) for t in listening.hashtags]
    if first and token and options.notifications and listening.handles_on("mastodon"):
        out.append(Feed(f"{base}@mentions", f"{base}/api/v1/notifications",
                        (("types[]", "mention"),), "notifications"))
    if first and token and options.search:
        out += [Feed(f"{base}?{k.lower()}", f"{base}/api/v2/search",
                     (("q", k), ("type", "statuses"), ("resolve", "false")), "search")
                for k in listening.keywords]
    return out


def _statuses(feed: Feed, body: Any, url: str) -> list[Any]:
    """Return a feed reply's items (statuses, or mention notifications)."""
    if feed.kind == "search":
        body = body.get("statuses") if isinstance(body, dict) else None
    if not isinstance(body, list):
        raise SourceError(f"{url}: expected a list of statuses")
    return body


def status_of(item: Mapping[str, Any]) -> Any:
    """Return the status an item carries: itself, or a mention notification's status."""
    if "status" in item and "type" in item:  # a Notification entity
        return item["status"] if item.get("type") == "mention" else None
    return item


class MastodonSource:
    """Polls hashtag timelines (min_id) on each instance, mentions and keyword search with a
    token, and streams with a token."""

    def __init__(self, name: str, options: MastodonOptions) -> None:
        self.name = name
        self.options = options
        self.http = http.session()
        self.positions: dict[str, str] = {}
        self.known: OrderedDict[str, str] = OrderedDict()
        self.listening = options.listening
        self.token = ""
        self.unsearchable: set[str] = set()  # instances that refused a search

    def interval(self, feeds: int) -> float:
        """Return the poll interval, clamped so each instance sees at most 300 requests/5 min."""
        floor = BUDGET_WINDOW / BUDGET_REQUESTS * max(1, feeds) * 2  # half the budget at most
        return max(self.options.interval, floor)

    def _cursor(self) -> str:
        return json.dumps(self.positions, sort_keys=True)

    def feeds(self, base: str) -> list[Feed]:
        """Return the feeds to poll on an instance."""
        return feeds(base, self.listening, self.options, first=base == self.options.instances[0],
                     token=bool(self.token))

    def posts(self, runtime: Runtime) -> Iterator[Item]:
        """Poll every instance and feed, oldest first; keep what the wall follows."""
        self.listening = runtime.follows(self.options.listening, self.options.hashtags)
        return listened(self.name, http.closing(self.http, self._run(runtime)), self.listening)

    def _run(self, runtime: Runtime) -> Iterator[Item]:
        saved = runtime.cursor(self.name)
        if saved:
            try:
                self.positions = {str(k): str(v) for k, v in json.loads(saved).items()}
            except (ValueError, AttributeError):
                log.warning("source %s: saved cursor unreadable; starting fresh", self.name)
        token = os.environ.get(self.options.token_env, "") if self.options.token_env else ""
        if token:
            self.token = token
            self.http.headers["Authorization"] = f"Bearer {token}"
        everything = [f for base in self.options.instances for f in self.feeds(base)]
        if not everything:
            raise SourceError("nothing to follow: set [wall] hashtags (keywords and mentions "
                              "need token_env, a token of the brand's account)")
        while not runtime.stopping():
            waits: list[float] = []
            errors: list[str] = []
            for feed in everything:
                yield from self._poll_one(feed, runtime, waits, errors)
            if len(errors) == len(everything):
                raise SourceError(errors[0])  # every instance failed: back off
            if token and not waits and not errors:
                from wall.sources.mastodon_stream import stream  # websocket-client: lazily

                yield from stream(self, token, runtime)
            problems = errors or (["rate limited"] if waits else [])
            yield Health("degraded", "; ".join(problems)[:500]) if problems else Health("ok")
            runtime.sleep(max([self.interval(len(everything)), *waits]))

    def _poll_one(self, feed: Feed, runtime: Runtime, waits: list[float],
                  errors: list[str]) -> Iterator[Item]:
        """Poll one feed; its failure is noted, the other feeds go on."""
        if feed.kind == "search" and feed.path in self.unsearchable:
            return
        try:
            yield from self.poll(feed, runtime)
        except http.RateLimited as exc:
            yield Health("degraded", str(exc))
            waits.append(exc.wait)
        except SourceError as exc:
            if feed.kind == "search":  # full-text search is an instance's choice
                log.warning("source %s: keyword search unavailable (%s); keywords are matched "
                            "on hashtag and mention posts only", self.name, exc)
                self.unsearchable.add(feed.path)
                return
            log.warning("source %s: %s", self.name, exc)
            errors.append(str(exc))

    def poll(self, feed: Feed, runtime: Runtime) -> Iterator[Item]:
        """Page forward from the last seen id until the instance has nothing newer."""
        for _ in range(MAX_PAGES):
            params: dict[str, Any] = {"limit": PAGE, **dict(feed.params)}
            if feed.key in self.positions:
                params["min_id"] = self.positions[feed.key]
            reply = http.get(self.http, feed.path, params=params)
            page = _statuses(feed, http.json_body(reply), feed.path)
            yield from self.page_items(feed.key, page)
            self._respect_budget(reply.headers, runtime)
            if len(page) < PAGE or runtime.stopping():
                return

    def page_items(self, key: str, page: list[Any]) -> Iterator[Item]:
        """Yield a page oldest first, each post saved with the position it brings."""
        ordered = sorted((s for s in page if isinstance(s, Mapping) and "id" in s),
                         key=lambda s: (len(str(s["id"])), str(s["id"])))
        for raw in ordered:
            ident = str(raw["id"])
            if _newer(ident, self.positions.get(key)):
                self.positions[key] = ident
            status = status_of(raw)
            if status is None:
                yield Checkpoint(self._cursor())
                continue
            try:
                post = to_post(status, source=self.name)
                self._remember(str(status.get("id")), post.external_id)
            except SourceError as exc:
                log.warning("source %s: status %s skipped: %s", self.name, ident[:40], exc)
                yield Checkpoint(self._cursor())
                continue
            yield Checkpoint(self._cursor(), post)
        if len(ordered) < len(page):
            log.warning("source %s: %d malformed status(es) skipped", self.name,
                        len(page) - len(ordered))

    def _remember(self, ident: str, uri: str) -> None:
        """Keep the uri of a recent status id, to turn a streamed "delete" into a post key."""
        self.known[ident] = uri
        self.known.move_to_end(ident)
        while len(self.known) > KNOWN_IDS:
            self.known.popitem(last=False)

    def _respect_budget(self, headers: Mapping[str, str], runtime: Runtime) -> None:
        """Wait for the reset when the instance says few requests remain."""
        remaining = headers.get("X-RateLimit-Remaining")
        if remaining is not None and remaining.isdigit() and int(remaining) <= 1:
            wait = http.parse_when(headers.get("X-RateLimit-Reset"))
            if wait:
                log.info("source %s: rate limit nearly spent; waiting %.0fs", self.name, wait)
                runtime.sleep(min(wait, BUDGET_WINDOW))


def build(name: str, options: MastodonOptions) -> MastodonSource:
    """Create a Mastodon source."""
    return MastodonSource(name, options)
