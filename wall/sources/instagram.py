"""Instagram Graph API: recent media of the wall's hashtags and media the account is tagged in."""

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

HASHTAG_LIMIT = 30  # unique hashtags an account may query in a rolling 7 days
WEEK = 7 * 24 * 3600.0
FIELDS = ("id,caption,media_type,media_url,thumbnail_url,permalink,timestamp,"
          "children{media_type,media_url,thumbnail_url}")
TAG_FIELDS = FIELDS + ",username"
MAX_PAGES = 5


@dataclass(frozen=True)
class InstagramOptions:
    """Options of a type = "instagram" source."""

    user_id: str
    token_env: str
    graph_url: str = graph.GRAPH_URL
    hashtags: tuple[str, ...] = ()
    tagged: bool = True
    interval: float = 120.0
    backfill: int = 25


def parse_options(r: Reader) -> InstagramOptions:
    """Read the Instagram source's options."""
    return InstagramOptions(
        user_id=r.string("user_id", "", required=True, allow_empty=False),
        token_env=r.string("token_env", "", required=True, allow_empty=False),
        graph_url=r.string("graph_url", graph.GRAPH_URL, allow_empty=False).rstrip("/"),
        hashtags=tuple(t.lstrip("#") for t in r.strings("hashtags")),
        tagged=r.boolean("tagged", True),
        interval=r.number("interval", 120.0, low=10, high=86400),
        backfill=r.integer("backfill", 25, low=0, high=50),
    )


def _image(raw: Mapping[str, Any]) -> str:
    """Return a media object's still: the image, or a video's thumbnail."""
    if raw.get("media_type") == "VIDEO":
        return clip(raw.get("thumbnail_url"), 2000)
    return clip(raw.get("media_url"), 2000)


def _first_image(raw: Mapping[str, Any]) -> str:
    """Return the post's picture; a carousel gives its first child's."""
    children = raw.get("children")
    items = children.get("data") if isinstance(children, Mapping) else None
    if raw.get("media_type") == "CAROUSEL_ALBUM" and isinstance(items, list):
        for child in items:
            if isinstance(child, Mapping) and _image(child):
                return _image(child)
    return _image(raw)


def to_post(raw: Any, *, source: str, addressed: bool = False) -> Post:
    """Turn one Instagram media object into a Post (hashtag media carry no author)."""
    if not isinstance(raw, Mapping) or not isinstance(raw.get("id"), str):
        raise SourceError("an Instagram media object needs a string id")
    username = clip(raw.get("username"), 100)
    picture = _first_image(raw)
    return Post(
        source=source,
        external_id=raw["id"][:300],
        network="instagram",
        author=username or "Instagram",
        handle=f"@{username}" if username else "",
        text=clip(raw.get("caption"), 5000),
        url=clip(raw.get("permalink"), 2000) or None,
        created_at=parse_time(raw.get("timestamp"), "timestamp"),
        media=(Media(picture),) if picture else (),
        addressed=addressed,
    )


class InstagramSource:
    """Polls ig_hashtag_search/recent_media per hashtag and /{user-id}/tags."""

    def __init__(self, name: str, options: InstagramOptions) -> None:
        self.name = name
        self.options = options
        self.graph = graph.Graph(options.graph_url, options.token_env,
                                 "an Instagram user access token")
        self.state: dict[str, Any] = {}
        self.week = polling.Window(HASHTAG_LIMIT, WEEK)

    def posts(self, runtime: Runtime) -> Iterator[Item]:
        """Poll every hashtag and the tags edge, then wait the interval."""
        self.state = polling.load_state(runtime.cursor(self.name), self.name)
        self.week = polling.Window(HASHTAG_LIMIT, WEEK, self.state.get("week"))
        tags = self.options.hashtags or runtime.hashtags
        if not tags and not self.options.tagged:
            raise SourceError("nothing to read: set hashtags or tagged = true")
        graph.token_from(self.options.token_env, "an Instagram user access token")
        items = polling.loop(runtime, lambda: self._poll(tags),
                             lambda: self.options.interval * self.graph.slow_factor(),
                             self.status, self._cursor)
        return http.closing(self.graph.http, items)

    def _cursor(self) -> str:
        self.state["week"] = self.week.spent
        return polling.dump_state(self.state)

    def status(self) -> str:
        """Return the quotas for the sources panel."""
        return (f"hashtags {self.week.used()}/{HASHTAG_LIMIT} this week; "
                f"{self.graph.status()}")

    def _poll(self, tags: tuple[str, ...]) -> Iterator[Item]:
        parts: list[tuple[str, Callable[[], Iterator[Item]]]] = [
            (f"#{tag}", partial(self._hashtag, tag)) for tag in tags]
        if self.options.tagged:
            parts.append(("tags", self._tagged))
        yield from polling.run_parts(self.name, parts)

    def _hashtag(self, tag: str) -> Iterator[Item]:
        """Read a hashtag's recent media, within the 30-hashtags-a-week quota."""
        key = tag.lower()
        if not self.week.allows(key):
            days = self.week.free_in() / 86400
            yield Health("paused", f"#{tag} waits: {HASHTAG_LIMIT} hashtags used this week "
                                   f"(one frees in {days:.1f} days)")
            return
        ids: dict[str, str] = self.state.setdefault("ids", {})
        self.week.spend(key)  # the search itself counts for Meta: spend before asking
        if key not in ids:
            found = self.graph.get("ig_hashtag_search",
                                   {"user_id": self.options.user_id, "q": tag})
            data = found.get("data")
            if not isinstance(data, list) or not data or not isinstance(data[0], Mapping):
                raise SourceError(f"Instagram knows no hashtag #{tag}")
            ids[key] = str(data[0].get("id"))
        yield from self._edge(f"tag:{key}", f"{ids[key]}/recent_media",
                              {"user_id": self.options.user_id, "fields": FIELDS}, False)

    def _tagged(self) -> Iterator[Item]:
        yield from self._edge("tags", f"{self.options.user_id}/tags",
                              {"fields": TAG_FIELDS}, True)

    def _edge(self, key: str, path: str, params: dict[str, Any],
              addressed: bool) -> Iterator[Item]:
        """Read an edge newest first: a backfill at first, then only what is newer."""
        seen: dict[str, float] = self.state.setdefault("since", {})
        first = key not in seen
        params = {**params, "limit": max(1, self.options.backfill) if first else 50}
        pages = self.graph.pages(path, params, 1 if first else MAX_PAGES)
        yield from polling.fresh(
            self.name, seen, key, pages,
            lambda raw: to_post(raw, source=self.name, addressed=addressed),
            self.options.backfill, self._cursor)


def build(name: str, options: InstagramOptions) -> InstagramSource:
    """Create an Instagram source."""
    return InstagramSource(name, options)
