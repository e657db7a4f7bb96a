"""X (Twitter) through tweepy: recent search to backfill, the filtered stream live."""

from __future__ import annotations

import html
import json
import logging
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from wall.configreader import Reader
from wall.listening import Listening, read_listening
from wall.models import Media, Post
from wall.sources.base import SourceError, parser
from wall.sources.text import clip, optional_time, parse_time

log = logging.getLogger(__name__)

X_API = "https://api.twitter.com"
EXPANSIONS = ["author_id", "attachments.media_keys", "referenced_tweets.id"]
TWEET_FIELDS = ["created_at", "lang", "possibly_sensitive", "referenced_tweets",
                "attachments", "entities", "note_tweet", "edit_history_tweet_ids"]
USER_FIELDS = ["name", "username", "profile_image_url", "created_at", "public_metrics",
               "description", "verified"]
MEDIA_FIELDS = ["type", "url", "preview_image_url", "alt_text"]


@dataclass(frozen=True)
class XOptions:
    """Options of a type = "x" source."""

    bearer_token_env: str
    read_budget: int = 0
    languages: tuple[str, ...] = ()
    retweets: bool = False
    replies: bool = True
    stream: bool = True
    backfill_pages: int = 5
    hashtags: tuple[str, ...] = ()
    api_url: str = X_API
    listening: Listening = field(default_factory=Listening)
    max_query_length: int = 512


def parse_options(r: Reader) -> XOptions:
    """Read the X source's options."""
    listening = read_listening(r)
    return XOptions(
        bearer_token_env=r.string("bearer_token_env", "", required=True, allow_empty=False),
        read_budget=r.integer("read_budget", 0, low=0, high=10_000_000),
        languages=r.strings("languages"),
        retweets=r.boolean("retweets", False),
        replies=r.boolean("replies", True),
        stream=r.boolean("stream", True),
        backfill_pages=r.integer("backfill_pages", 5, low=0, high=100),
        hashtags=listening.hashtags,
        api_url=r.string("api_url", X_API, allow_empty=False).rstrip("/"),
        listening=listening,
        # 512 on the Basic and self-serve tiers, 1024 on Pro, 4096 on Enterprise.
        max_query_length=r.integer("max_query_length", 512, low=64, high=4096),
    )


def _quoted(phrase: str) -> str:
    return '"' + phrase.replace('"', " ").strip() + '"'


def query_terms(listening: Listening) -> list[str]:
    """Return the X operators for what the wall follows: #tag, "keyword", @handle."""
    terms = [f"#{t}" for t in listening.hashtags]
    terms += [_quoted(k) for k in listening.keywords]
    terms += [f"@{h}" for h in listening.handles_on("x") if "@" not in h and "." not in h]
    return list(dict.fromkeys(terms))


def build_queries(listening: Listening, options: XOptions) -> list[str]:
    """Build the search queries / stream rules, each within X's length limit.

    The terms are OR-ed and split over several queries when one would be too long;
    each query carries the same exclusions and filters.
    """
    terms = query_terms(listening)
    if not terms:
        raise SourceError("nothing to follow: set [wall] hashtags, keywords or mentions "
                          "(or this source's own)")
    suffix = "".join(f" -{_quoted(k)}" for k in listening.exclude_keywords)
    if len(options.languages) == 1:
        suffix += f" lang:{options.languages[0]}"
    elif options.languages:
        suffix += " (" + " OR ".join(f"lang:{lang}" for lang in options.languages) + ")"
    if not options.retweets:
        suffix += " -is:retweet"
    if not options.replies:
        suffix += " -is:reply"
    room = options.max_query_length - len(suffix) - 2
    queries: list[list[str]] = [[]]
    for term in terms:
        if len(term) > room:
            raise SourceError(f"X query too long: {term[:40]} and the exclusions, languages "
                              f"and filters exceed {options.max_query_length} characters; "
                              "remove exclude_keywords or raise max_query_length")
        if queries[-1] and len(" OR ".join([*queries[-1], term])) > room:
            queries.append([])
        queries[-1].append(term)
    return ["(" + " OR ".join(group) + ")" + suffix for group in queries]


def _by_key(items: Any, key: str) -> dict[str, Mapping[str, Any]]:
    if not isinstance(items, list):
        return {}
    return {str(i[key]): i for i in items if isinstance(i, Mapping) and key in i}


def _entities(tweet: Mapping[str, Any], kind: str) -> list[Mapping[str, Any]]:
    found = (tweet.get("entities") or {}).get(kind) if isinstance(
        tweet.get("entities"), Mapping) else None
    return [e for e in found if isinstance(e, Mapping)] if isinstance(found, list) else []


def _text_and_links(tweet: Mapping[str, Any], text: str) -> tuple[str, tuple[str, ...]]:
    """Unescape X's HTML entities; put links back in place of t.co, drop media links."""
    note = tweet.get("note_tweet")
    entities = note if isinstance(note, Mapping) and note.get("entities") else tweet
    links: list[str] = []
    text = html.unescape(text)  # first: an address put in below stays as X gave it
    for item in _entities(entities, "urls"):
        short, full = item.get("url"), item.get("unwound_url") or item.get("expanded_url")
        if not isinstance(short, str) or not short:
            continue
        display = str(item.get("display_url") or "")
        if item.get("media_key") or display.startswith(("pic.x.com", "pic.twitter.com")):
            text = text.replace(short, "")  # the image is on the card already
        elif isinstance(full, str) and full.startswith(("http://", "https://")):
            text = text.replace(short, full[:2000])
            links.append(full[:2000])
    return text.strip(), tuple(dict.fromkeys(links))


def _media(tweet: Mapping[str, Any], media: Mapping[str, Mapping[str, Any]]) -> tuple[Media, ...]:
    keys = (tweet.get("attachments") or {}).get("media_keys") or []
    out = []
    for key in keys if isinstance(keys, list) else []:
        item = media.get(str(key))
        url = item and (item.get("url") or item.get("preview_image_url"))
        if item and isinstance(url, str):
            out.append(Media(url[:2000], clip(item.get("alt_text"), 1500)))
    return tuple(out[:8])


@parser
def to_post(tweet: Any, includes: Any, *, source: str) -> Post:
    """Turn one X API v2 tweet object and its expansions (includes) into a Post."""
    if not isinstance(tweet, Mapping) or not isinstance(tweet.get("id"), str):
        raise SourceError("a tweet must be an object with a string id")
    includes = includes if isinstance(includes, Mapping) else {}
    user = _by_key(includes.get("users"), "id").get(str(tweet.get("author_id")), {})
    username = clip(user.get("username"), 100)
    refs = [r.get("type") for r in tweet.get("referenced_tweets") or [] if isinstance(r, Mapping)]
    note = tweet.get("note_tweet")
    text = note.get("text") if isinstance(note, Mapping) else tweet.get("text")
    if not isinstance(text, str):
        raise SourceError(f"tweet {tweet['id'][:30]} has no text")
    metrics = user.get("public_metrics") or {}
    followers = metrics.get("followers_count") if isinstance(metrics, Mapping) else None
    edits = tweet.get("edit_history_tweet_ids")
    edits = [str(e) for e in edits] if isinstance(edits, list) and edits else [tweet["id"]]
    text, links = _text_and_links(tweet, text)
    return Post(
        source=source,
        # Each edit of a tweet has a new id; the first one names the post, so an edit
        # replaces what the wall shows instead of appearing beside it.
        external_id=edits[0][:300],
        network="x",
        author=clip(user.get("name")) or username or "X user",
        handle=f"@{username}" if username else "",
        text=text[:5000],
        url=f"https://x.com/{username or 'i'}/status/{tweet['id']}",
        created_at=parse_time(tweet.get("created_at")),
        avatar_url=clip(user.get("profile_image_url"), 2000) or None,
        media=_media(tweet, _by_key(includes.get("media"), "media_key")),
        language=clip(tweet.get("lang"), 20) or None,
        is_reply="replied_to" in refs,
        is_repost="retweeted" in refs,
        sensitive=bool(tweet.get("possibly_sensitive")),
        author_followers=followers if isinstance(followers, int) else None,
        author_created_at=optional_time(user.get("created_at")),
        author_bio=clip(user.get("description"), 2000),
        edited_at=parse_time(tweet.get("created_at")) if len(edits) > 1 else None,
        author_id=clip(tweet.get("author_id"), 100),
        links=links,
        tags=tuple(clip(h.get("tag"), 100) for h in _entities(tweet, "hashtags") if h.get("tag")),
        mentioned=tuple(clip(m.get("username"), 100).lower()
                        for m in _entities(tweet, "mentions") if m.get("username")),
    )


def tweets_of(body: Any, *, source: str) -> Iterator[tuple[str, Post]]:
    """Yield (tweet id, post) for one search page or stream message; bad tweets are logged."""
    if not isinstance(body, Mapping):
        raise SourceError("X replied with something that is not a JSON object")
    data = body.get("data") or []
    for tweet in data if isinstance(data, list) else [data]:
        try:
            yield str(tweet["id"]), to_post(tweet, body.get("includes"), source=source)
        except SourceError as exc:
            log.warning("source %s: tweet skipped: %s", source, exc)


def posts_of(body: Any, *, source: str) -> Iterator[Post]:
    """Yield the posts of one search page or stream message; malformed tweets are logged."""
    for _ident, post in tweets_of(body, source=source):
        yield post


class XState:
    """The persisted position of an X source: newest id seen and reads spent."""

    def __init__(self, saved: str | None) -> None:
        data: dict[str, Any] = {}
        try:
            data = json.loads(saved) if saved else {}
        except ValueError:
            log.warning("unreadable X cursor %r; starting fresh", (saved or "")[:60])
        self.since_id: str | None = data.get("since_id")
        self.reads: int = int(data.get("reads", 0))

    def advance(self, tweet_id: str) -> str:
        """Move past a tweet and return the cursor to save with it."""
        if self.since_id is None or int(tweet_id) > int(self.since_id):
            self.since_id = tweet_id
        return json.dumps({"since_id": self.since_id, "reads": self.reads})


def token(options: XOptions) -> str:
    """Return the bearer token from the environment, or raise a clear SourceError."""
    value = os.environ.get(options.bearer_token_env, "")
    if not value:
        raise SourceError(f"environment variable {options.bearer_token_env} is not set; "
                          "put your X API bearer token in it")
    return value
