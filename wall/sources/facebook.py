"""Facebook Page: visitors' posts, posts the Page is tagged in, ratings and recommendations."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from wall.configreader import Reader
from wall.models import Media, Post
from wall.sources import graph, http, polling
from wall.sources.base import Item, Runtime, SourceError
from wall.sources.text import clip, parse_time

log = logging.getLogger(__name__)

POST_FIELDS = "id,message,created_time,permalink_url,full_picture,from{id,name,picture}"
RATING_FIELDS = ("created_time,recommendation_type,review_text,rating,has_rating,has_review,"
                 "reviewer{id,name,picture},open_graph_story{id}")
MAX_PAGES = 5
# A recommendation without stars is shown as the stars it stands for.
RECOMMENDATION_STARS = {"positive": 5, "negative": 1}


@dataclass(frozen=True)
class FacebookOptions:
    """Options of a type = "facebook" source."""

    page_id: str
    token_env: str
    graph_url: str = graph.GRAPH_URL
    visitor_posts: bool = True
    tagged: bool = True
    ratings: bool = True
    interval: float = 120.0
    backfill: int = 25


def parse_options(r: Reader) -> FacebookOptions:
    """Read the Facebook Page source's options."""
    options = FacebookOptions(
        page_id=r.string("page_id", "", required=True, allow_empty=False),
        token_env=r.string("token_env", "", required=True, allow_empty=False),
        graph_url=r.string("graph_url", graph.GRAPH_URL, allow_empty=False).rstrip("/"),
        visitor_posts=r.boolean("visitor_posts", True),
        tagged=r.boolean("tagged", True),
        ratings=r.boolean("ratings", True),
        interval=r.number("interval", 120.0, low=10, high=86400),
        backfill=r.integer("backfill", 25, low=0, high=100),
    )
    if not (options.visitor_posts or options.tagged or options.ratings):
        r.problem("ratings", "visitor_posts, tagged and ratings are all off: nothing to read")
    return options


def _picture(person: Mapping[str, Any]) -> str | None:
    picture = person.get("picture")
    data = picture.get("data") if isinstance(picture, Mapping) else None
    return clip(data.get("url"), 2000) or None if isinstance(data, Mapping) else None


def post_to_post(raw: Any, *, source: str) -> Post:
    """Turn a Page feed post (visitor post or tagged post) into a Post."""
    if not isinstance(raw, Mapping) or not isinstance(raw.get("id"), str):
        raise SourceError("a Facebook post needs a string id")
    person = polling.obj(raw.get("from"))
    picture = clip(raw.get("full_picture"), 2000)
    return Post(
        source=source,
        external_id=raw["id"][:300],
        network="facebook",
        author=clip(person.get("name")) or "Facebook user",
        text=clip(raw.get("message"), 5000),
        url=clip(raw.get("permalink_url"), 2000) or f"https://www.facebook.com/{raw['id']}",
        created_at=parse_time(raw.get("created_time"), "created_time"),
        avatar_url=_picture(person),
        media=(Media(picture),) if picture else (),
        author_id=clip(person.get("id"), 100),
        addressed=True,
    )


def rating_to_post(raw: Any, *, source: str, page_id: str) -> Post:
    """Turn a Page rating or recommendation into a Post with its stars."""
    if not isinstance(raw, Mapping):
        raise SourceError("a Facebook rating must be a JSON object")
    reviewer = polling.obj(raw.get("reviewer"))
    created = parse_time(raw.get("created_time"), "created_time")
    stars = raw.get("rating")
    kind = clip(raw.get("recommendation_type"), 20)
    if not isinstance(stars, int) or isinstance(stars, bool) or not 1 <= stars <= 5:
        stars = RECOMMENDATION_STARS.get(kind)
    story = raw.get("open_graph_story")
    ident = clip(story.get("id"), 200) if isinstance(story, Mapping) else ""
    if not ident:  # no story id: the reviewer and the time name a review for good
        seed = f"{page_id}|{reviewer.get('id')}|{raw.get('created_time')}"
        ident = "rating-" + hashlib.sha256(seed.encode()).hexdigest()[:24]
    text = clip(raw.get("review_text"), 5000)
    if not text and kind:
        text = "Recommends" if kind == "positive" else "Does not recommend"
    return Post(
        source=source,
        external_id=ident,
        network="facebook",
        author=clip(reviewer.get("name")) or "Facebook user",
        text=text,
        url=f"https://www.facebook.com/{page_id}/reviews",
        created_at=created,
        avatar_url=_picture(reviewer),
        author_id=clip(reviewer.get("id"), 100),
        rating=stars,
        addressed=True,
    )


class FacebookSource:
    """Polls a Page's visitor_posts, tagged and ratings edges with a Page token."""

    def __init__(self, name: str, options: FacebookOptions) -> None:
        self.name = name
        self.options = options
        self.graph = graph.Graph(options.graph_url, options.token_env, "a Page access token")
        self.state: dict[str, Any] = {}

    def posts(self, runtime: Runtime) -> Iterator[Item]:
        """Poll the switched-on edges, then wait the interval."""
        self.state = polling.load_state(runtime.cursor(self.name), self.name)
        graph.token_from(self.options.token_env, "a Page access token")
        items = polling.loop(runtime, self._poll,
                             lambda: self.options.interval * self.graph.slow_factor(),
                             self.graph.status, lambda: polling.dump_state(self.state))
        return http.closing(self.graph.http, items)

    def _poll(self) -> Iterator[Item]:
        o = self.options
        parts = []
        if o.visitor_posts:
            parts.append(("visitor_posts", lambda: self._feed("visitor_posts")))
        if o.tagged:
            parts.append(("tagged", lambda: self._feed("tagged")))
        if o.ratings:
            parts.append(("ratings", self._ratings))
        yield from polling.run_parts(self.name, parts)

    def _edge(self, edge: str, fields: str, convert: Any) -> Iterator[Item]:
        seen: dict[str, float] = self.state.setdefault("since", {})
        first = edge not in seen
        params: dict[str, Any] = {"fields": fields,
                                  "limit": max(1, self.options.backfill) if first else 50}
        if not first and edge != "ratings":  # ratings take no since
            params["since"] = int(seen[edge])
        pages = self.graph.pages(f"{self.options.page_id}/{edge}", params,
                                 1 if first else MAX_PAGES)
        yield from polling.fresh(self.name, seen, edge, pages, convert, self.options.backfill,
                                 lambda: polling.dump_state(self.state))

    def _feed(self, edge: str) -> Iterator[Item]:
        yield from self._edge(edge, POST_FIELDS,
                              lambda raw: post_to_post(raw, source=self.name))

    def _ratings(self) -> Iterator[Item]:
        yield from self._edge("ratings", RATING_FIELDS, lambda raw: rating_to_post(
            raw, source=self.name, page_id=self.options.page_id))


def build(name: str, options: FacebookOptions) -> FacebookSource:
    """Create a Facebook Page source."""
    return FacebookSource(name, options)
