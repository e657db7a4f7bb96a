"""Mastodon: hashtag timelines polled politely on several instances, streaming with a token."""

from __future__ import annotations

import json
import logging
import os
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from wall.configreader import Reader
from wall.models import Media, Post
from wall.sources import http
from wall.sources.base import Checkpoint, Health, Item, Runtime, SourceError, parser
from wall.sources.text import clip, html_to_text, optional_time, parse_time

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


def parse_options(r: Reader) -> MastodonOptions:
    """Read the Mastodon source's options."""
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
        hashtags=tuple(t.lstrip("#") for t in r.strings("hashtags")),
        streaming_url=r.string("streaming_url", "").rstrip("/"),
    )


def _media(items: Any) -> tuple[Media, ...]:
    out = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, Mapping) and item.get("type") in ("image", "gifv") \
                and isinstance(item.get("url"), str):
            out.append(Media(item["url"][:2000], clip(item.get("description"), 1500)))
    return tuple(out[:8])


@parser
def to_post(raw: Any, *, source: str) -> Post:
    """Turn one Mastodon Status entity into a Post; a boost becomes the boosted status."""
    if not isinstance(raw, Mapping):
        raise SourceError("a status must be a JSON object")
    reblog = raw.get("reblog")
    status: Mapping[str, Any] = reblog if isinstance(reblog, Mapping) else raw
    account = status.get("account")
    if not isinstance(account, Mapping) or not isinstance(status.get("uri"), str):
        raise SourceError("a status needs an account object and a uri")
    acct = clip(account.get("acct"))
    if "@" not in acct:  # a local account: add the instance so handles are unique
        host = urlsplit(clip(account.get("url"), 2000)).netloc
        acct = f"{acct}@{host}" if host else acct
    followers = account.get("followers_count")
    return Post(
        source=source,
        external_id=status["uri"][:300],
        network="mastodon",
        author=clip(account.get("display_name")) or clip(account.get("username")) or acct,
        handle="@" + acct,
        text=html_to_text(clip(status.get("content"), 50_000)),
        url=clip(status.get("url"), 2000) or status["uri"][:2000],
        created_at=parse_time(status.get("created_at")),
        avatar_url=clip(account.get("avatar"), 2000) or None,
        media=_media(status.get("media_attachments")),
        language=clip(status.get("language"), 20) or None,
        is_reply=bool(status.get("in_reply_to_id")),
        sensitive=bool(status.get("sensitive")),
        spoiler_text=clip(status.get("spoiler_text"), 500),
        author_bot=bool(account.get("bot")),
        author_followers=followers if isinstance(followers, int) else None,
        author_created_at=optional_time(account.get("created_at")),
        author_noindex=bool(account.get("noindex")),
        author_discoverable=account.get("discoverable")
        if isinstance(account.get("discoverable"), bool) else None,
        author_bio=html_to_text(clip(account.get("note"), 10_000)),
        uri=status["uri"][:2000],
        edited_at=optional_time(status.get("edited_at")),
    )


def _newer(a: str, b: str | None) -> bool:
    """Return True when status id a is newer than b (ids are numbers in strings)."""
    if b is None:
        return True
    try:
        return int(a) > int(b)
    except ValueError:
        return a > b


class MastodonSource:
    """Polls /api/v1/timelines/tag/:tag with min_id on each instance; streams with a token."""

    def __init__(self, name: str, options: MastodonOptions) -> None:
        self.name = name
        self.options = options
        self.http = http.session()
        self.positions: dict[str, str] = {}
        self.known: OrderedDict[str, str] = OrderedDict()

    def _tags(self, runtime: Runtime) -> tuple[str, ...]:
        return self.options.hashtags or runtime.hashtags

    def interval(self, tags: int) -> float:
        """Return the poll interval, clamped so each instance sees at most 300 requests/5 min."""
        floor = BUDGET_WINDOW / BUDGET_REQUESTS * max(1, tags) * 2  # half the budget at most
        return max(self.options.interval, floor)

    def _cursor(self) -> str:
        return json.dumps(self.positions, sort_keys=True)

    def posts(self, runtime: Runtime) -> Iterator[Item]:
        """Poll every instance and tag, oldest first, then wait the clamped interval."""
        return http.closing(self.http, self._run(runtime))

    def _run(self, runtime: Runtime) -> Iterator[Item]:
        saved = runtime.cursor(self.name)
        if saved:
            try:
                self.positions = {str(k): str(v) for k, v in json.loads(saved).items()}
            except (ValueError, AttributeError):
                log.warning("source %s: saved cursor unreadable; starting fresh", self.name)
        tags = self._tags(runtime)
        if not tags:
            raise SourceError("no hashtags: set [wall] hashtags or this source's hashtags")
        token = os.environ.get(self.options.token_env, "") if self.options.token_env else ""
        if token:
            self.http.headers["Authorization"] = f"Bearer {token}"
        while not runtime.stopping():
            waits: list[float] = []
            errors: list[str] = []
            for base in self.options.instances:
                for tag in tags:
                    yield from self._poll_one(base, tag, runtime, waits, errors)
            if len(errors) == len(self.options.instances) * len(tags):
                raise SourceError(errors[0])  # every instance failed: back off
            if token and not waits and not errors:
                from wall.sources.mastodon_stream import stream  # websocket-client: lazily

                yield from stream(self, token, tags, runtime)
            problems = errors or (["rate limited"] if waits else [])
            yield Health("degraded", "; ".join(problems)[:500]) if problems else Health("ok")
            runtime.sleep(max([self.interval(len(tags)), *waits]))

    def _poll_one(self, base: str, tag: str, runtime: Runtime, waits: list[float],
                  errors: list[str]) -> Iterator[Item]:
        """Poll one instance and tag; its failure is noted, the other instances go on."""
        try:
            yield from self.poll(base, tag, runtime)
        except http.RateLimited as exc:
            yield Health("degraded", str(exc))
            waits.append(exc.wait)
        except SourceError as exc:
            log.warning("source %s: %s", self.name, exc)
            errors.append(str(exc))

    def poll(self, base: str, tag: str, runtime: Runtime) -> Iterator[Item]:
        """Page forward from the last seen id until the instance has nothing newer."""
        key = f"{base}#{tag.lower()}"
        url = f"{base}/api/v1/timelines/tag/{quote(tag, safe='')}"
        for _ in range(MAX_PAGES):
            params: dict[str, Any] = {"limit": PAGE}
            if key in self.positions:
                params["min_id"] = self.positions[key]
            reply = http.get(self.http, url, params=params)
            page = http.json_body(reply)
            if not isinstance(page, list):
                raise SourceError(f"{url}: expected a list of statuses")
            yield from self.page_items(key, page)
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
            try:
                post = to_post(raw, source=self.name)
                self._remember(ident, post.external_id)
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
