"""RSS and Atom feeds through feedparser, fetched with conditional GET."""

from __future__ import annotations

import calendar
import hashlib
import json
import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from wall.configreader import Reader
from wall.listening import Listening, read_listening
from wall.models import Media, Post, utcnow
from wall.offload import off_loop
from wall.sources import http
from wall.sources.base import Checkpoint, Health, Item, Runtime, SourceError, listened, parser
from wall.sources.text import clip, html_to_text

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RssOptions:
    """Options of a type = "rss" source."""

    url: str
    interval: float = 300.0
    author: str = ""
    listening: Listening = field(default_factory=Listening)


def parse_options(r: Reader) -> RssOptions:
    """Read the RSS source's options."""
    options = RssOptions(
        url=r.string("url", "", required=True, allow_empty=False),
        interval=r.number("interval", 300.0, low=10, high=86_400),
        author=r.string("author", ""),
        listening=read_listening(r),
    )
    parts = urlsplit(options.url)
    if options.url and (parts.scheme not in ("http", "https") or not parts.netloc):
        r.problem("url", f'must be an http(s) feed URL (got "{options.url}")')
    return options


def _when(entry: Mapping[str, Any]) -> datetime:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if parsed:
        return datetime.fromtimestamp(calendar.timegm(parsed), UTC)
    return utcnow()


IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif")


def _is_image(item: Mapping[str, Any], url: str) -> bool:
    """Tell an image by its type, else its medium, else (neither given) its extension."""
    kind, medium = str(item.get("type") or ""), str(item.get("medium") or "")
    if kind:
        return kind.startswith("image/")
    if medium:
        return medium == "image"
    return urlsplit(url).path.lower().endswith(IMAGE_EXTENSIONS)


def _width(item: Mapping[str, Any]) -> int:
    width = str(item.get("width") or "")
    return int(width) if width.isdigit() else 0


def _media(entry: Mapping[str, Any]) -> tuple[Media, ...]:
    # One picture per address path: feeds list an image at several widths (the Guardian
    # gives 140 and 460 px); the widest one is kept.
    best: dict[str, tuple[int, str]] = {}
    items = [*(entry.get("media_content") or []), *(entry.get("enclosures") or [])]
    for item in items:
        url = item.get("url") or item.get("href") if isinstance(item, Mapping) else None
        if isinstance(url, str) and url.startswith(("http://", "https://")) \
                and _is_image(item, url):
            key = urlsplit(url).path
            if key not in best or _width(item) > best[key][0]:
                best[key] = (_width(item), url[:2000])
    out = [Media(url) for _width_, url in best.values()]
    if not out:  # a thumbnail is the feed's picture of the entry when nothing else is
        for item in entry.get("media_thumbnail") or []:
            url = item.get("url") if isinstance(item, Mapping) else None
            if isinstance(url, str) and url.startswith(("http://", "https://")):
                out.append(Media(url[:2000]))
    return tuple(out[:4])


@parser
def to_post(entry: Any, feed_title: str, *, source: str, author: str = "") -> Post:
    """Turn one feedparser entry into a Post: title and summary as plain text."""
    if not isinstance(entry, Mapping):
        raise SourceError("a feed entry must be a mapping")
    link = clip(entry.get("link"), 2000)
    ident = clip(entry.get("id"), 300) or link
    title = " ".join(html_to_text(clip(entry.get("title"), 2000)).split())
    summary = html_to_text(clip(entry.get("summary"), 50_000))
    if not ident:
        ident = "h-" + hashlib.sha256(f"{title}\0{summary}".encode()).hexdigest()[:32]
    if not title and not summary:
        raise SourceError(f"entry {ident[:60]} has neither title nor summary")
    text = title if not summary or summary == title else f"{title}\n{summary}"
    return Post(
        source=source,
        external_id=ident,
        network="rss",
        author=author or clip(entry.get("author")) or feed_title or "Feed",
        handle=feed_title[:300],
        text=text[:2000],
        url=link or None,
        created_at=_when(entry),
        media=_media(entry),
    )


class RssSource:
    """Fetches one feed every `interval` seconds; 304 Not Modified costs nothing."""

    def __init__(self, name: str, options: RssOptions) -> None:
        self.name = name
        self.options = options
        self.http = http.session()
        self.validators: dict[str, str] = {}

    def posts(self, runtime: Runtime) -> Iterator[Item]:
        """Poll the feed forever, yielding new entries oldest first (those it follows)."""
        return listened(self.name, http.closing(self.http, self._run(runtime)),
                        self.listening(runtime))

    def listening(self, runtime: Runtime) -> Listening:
        """Return what entries must match: the source's own terms, if it sets any.

        A feed is often the brand's own (a press room, a blog): without terms of its
        own, every entry is kept, save those with an excluded keyword.
        """
        own = self.options.listening
        if own.empty:
            return Listening(exclude_keywords=own.exclude_keywords
                             or runtime.listening.exclude_keywords)
        return runtime.follows(own)

    def _run(self, runtime: Runtime) -> Iterator[Item]:
        saved = runtime.cursor(self.name)
        if saved and not self.validators:
            try:
                self.validators = dict(json.loads(saved))
            except (ValueError, TypeError):
                log.warning("source %s: saved cursor unreadable", self.name)
        while not runtime.stopping():
            wait = self.options.interval
            try:
                yield from self.fetch()
                yield Health("ok")
            except http.RateLimited as exc:
                yield Health("degraded", str(exc))
                wait = max(wait, exc.wait)
            runtime.sleep(wait)

    def fetch(self) -> Iterator[Item]:
        """GET the feed with its validators and yield what is new."""
        headers = {}
        if "etag" in self.validators:
            headers["If-None-Match"] = self.validators["etag"]
        if "modified" in self.validators:
            headers["If-Modified-Since"] = self.validators["modified"]
        reply = http.get(self.http, self.options.url, headers=headers)
        if reply.status_code == 304:
            return
        import feedparser  # imports urllib.request (and ssl): only once running
        content = http.refuse_entities(reply.content, self.options.url)
        # Parsing a large feed takes the CPU for a while: a real thread, not the event loop.
        parsed = off_loop(feedparser.parse, content, response_headers={
            k.lower(): v for k, v in reply.headers.items()})
        if not parsed.entries and (parsed.get("bozo") or not parsed.get("version")):
            raise SourceError(f"{http.where(self.options.url)}: not a readable RSS or Atom feed "
                              f"({type(parsed.get('bozo_exception')).__name__})")
        validators = {k: v for k, v in (("etag", reply.headers.get("ETag")),
                                        ("modified", reply.headers.get("Last-Modified"))) if v}
        title = html_to_text(str(parsed.feed.get("title") or ""))[:300]
        entries = sorted(parsed.entries, key=_when)
        cursor = json.dumps(validators)
        for i, entry in enumerate(entries):
            try:
                post = to_post(entry, title, source=self.name, author=self.options.author)
            except SourceError as exc:
                log.warning("source %s: entry skipped: %s", self.name, exc)
                continue
            # The validators are saved with the last entry only: a crash re-reads the feed.
            yield Checkpoint(cursor, post) if i == len(entries) - 1 else post
        self.validators = validators
        if not entries or not isinstance(entries, list):
            yield Checkpoint(cursor)


def build(name: str, options: RssOptions) -> RssSource:
    """Create an RSS source."""
    return RssSource(name, options)
