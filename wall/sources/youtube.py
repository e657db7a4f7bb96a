"""YouTube Data API: a live stream's chat at the pace it asks for, and comments on videos."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from wall.configreader import Reader
from wall.models import Post
from wall.sources import graph, http, polling
from wall.sources.base import Checkpoint, Deletion, Health, Item, Runtime, SourceError
from wall.sources.text import clip, html_to_text, parse_time

log = logging.getLogger(__name__)

API_URL = "https://www.googleapis.com/youtube/v3"
PACIFIC = ZoneInfo("America/Los_Angeles")  # YouTube's daily quota resets at Pacific midnight
COST = {"videos": 1, "liveChat/messages": 5, "commentThreads": 1}  # units per call
ENDED = {"liveChatEnded", "liveChatNotFound", "liveChatDisabled", "forbidden"}
MIN_CHAT_WAIT = 1.0  # seconds, should the API ever ask for less


@dataclass(frozen=True)
class YouTubeOptions:
    """Options of a type = "youtube" source."""

    key_env: str
    api_url: str = API_URL
    video_id: str = ""
    video_ids: tuple[str, ...] = ()
    interval: float = 300.0
    daily_units: int = 10_000
    backfill: int = 20


def parse_options(r: Reader) -> YouTubeOptions:
    """Read the YouTube source's options."""
    options = YouTubeOptions(
        key_env=r.string("key_env", "", required=True, allow_empty=False),
        api_url=r.string("api_url", API_URL, allow_empty=False).rstrip("/"),
        video_id=r.string("video_id", ""),
        video_ids=r.strings("video_ids"),
        interval=r.number("interval", 300.0, low=10, high=86400),
        daily_units=r.integer("daily_units", 10_000, low=1, high=100_000_000),
        backfill=r.integer("backfill", 20, low=0, high=100),
    )
    if not options.video_id and not options.video_ids:
        r.problem("video_id", "set video_id (a live stream's chat) or video_ids (comments)")
    return options


def chat_to_post(raw: Any, *, source: str, video_id: str) -> Post:
    """Turn one liveChatMessage (text or Super Chat) into a Post."""
    if not isinstance(raw, Mapping) or not isinstance(raw.get("id"), str):
        raise SourceError("a live chat message needs a string id")
    snippet = polling.obj(raw.get("snippet"))
    author = polling.obj(raw.get("authorDetails"))
    details = snippet.get("textMessageDetails")
    text = clip(snippet.get("displayMessage"), 5000) or (
        clip(details.get("messageText"), 5000) if isinstance(details, Mapping) else "")
    if not text:
        raise SourceError(f"chat event {clip(snippet.get('type'), 40)} has no text")
    return Post(
        source=source,
        external_id=raw["id"][:300],
        network="youtube",
        author=clip(author.get("displayName")) or "YouTube viewer",
        text=text,
        url=f"https://www.youtube.com/watch?v={video_id}",
        created_at=parse_time(snippet.get("publishedAt"), "publishedAt"),
        avatar_url=clip(author.get("profileImageUrl"), 2000) or None,
        author_id=clip(author.get("channelId"), 100),
        addressed=True,
    )


def comment_to_post(raw: Any, *, source: str) -> Post:
    """Turn one commentThread (its top-level comment) into a Post."""
    if not isinstance(raw, Mapping) or not isinstance(raw.get("id"), str):
        raise SourceError("a comment thread needs a string id")
    outer = polling.obj(raw.get("snippet"))
    top = outer.get("topLevelComment")
    snippet = top.get("snippet") if isinstance(top, Mapping) else None
    if not isinstance(snippet, Mapping):
        raise SourceError("a comment thread needs snippet.topLevelComment.snippet")
    channel = snippet.get("authorChannelId")
    video = clip(snippet.get("videoId") or outer.get("videoId"), 40)
    text = clip(snippet.get("textOriginal"), 5000) or html_to_text(
        clip(snippet.get("textDisplay"), 10_000))
    created = parse_time(snippet.get("publishedAt"), "publishedAt")
    updated = parse_time(snippet.get("updatedAt") or snippet.get("publishedAt"), "updatedAt")
    return Post(
        source=source,
        external_id=raw["id"][:300],
        network="youtube",
        author=clip(snippet.get("authorDisplayName")) or "YouTube viewer",
        text=text,
        url=f"https://www.youtube.com/watch?v={video}&lc={raw['id']}" if video else None,
        created_at=created,
        avatar_url=clip(snippet.get("authorProfileImageUrl"), 2000) or None,
        author_id=clip(channel.get("value"), 100) if isinstance(channel, Mapping) else "",
        edited_at=updated if updated > created else None,
        addressed=True,
    )


class YouTubeSource:
    """Finds the video's activeLiveChatId, pages its chat, and polls comments on an interval."""

    def __init__(self, name: str, options: YouTubeOptions,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.name = name
        self.options = options
        self.http = http.session()
        self.clock = clock
        self.state: dict[str, Any] = {}
        self.chat_id = ""
        self.page_token = ""
        self.chat_wait = options.interval
        self.chat_note = ""

    def units(self) -> int:
        """Return the quota units spent today (Pacific time)."""
        day = datetime.now(PACIFIC).date().isoformat()
        spent = self.state.get("units")
        if not isinstance(spent, dict) or spent.get("day") != day:
            self.state["units"] = spent = {"day": day, "used": 0}
        return int(spent.get("used", 0))

    def get(self, endpoint: str, params: dict[str, Any]) -> Mapping[str, Any]:
        """GET an endpoint with the API key; count its quota cost; name Google's reason."""
        if self.units() + COST[endpoint] > self.options.daily_units:
            raise http.RateLimited(f"YouTube quota spent: {self.status()}", self._to_midnight())
        key = graph.token_from(self.options.key_env, "a YouTube Data API key")
        self.state["units"]["used"] += COST[endpoint]
        reply = http.send(self.http, "GET", f"{self.options.api_url}/{endpoint}",
                          params={**params, "key": key})
        if reply.status_code >= 400:
            reason = _reason(reply)
            if reason in ("quotaExceeded", "dailyLimitExceeded"):
                raise http.RateLimited(f"YouTube quota exceeded ({reason})", self._to_midnight())
            if reason in ("rateLimitExceeded", "userRateLimitExceeded"):
                raise http.RateLimited(f"YouTube rate limited ({reason})", 60.0)
            if endpoint == "liveChat/messages" and reason in ENDED:
                raise ChatEnded(reason)
            http.check(reply, reason)
        body = http.json_body(reply)
        if not isinstance(body, Mapping):
            raise SourceError(f"{endpoint}: expected a JSON object")
        return body

    def _to_midnight(self) -> float:
        now = datetime.now(PACIFIC)
        tomorrow = now.replace(hour=0, minute=0, second=0, microsecond=0).timestamp() + 86400
        return max(60.0, tomorrow - now.timestamp())

    def status(self) -> str:
        """Return the chat's state and the day's quota, for the sources panel."""
        quota = f"quota {self.units()}/{self.options.daily_units} units today"
        return f"{self.chat_note}; {quota}" if self.chat_note else quota

    def posts(self, runtime: Runtime) -> Iterator[Item]:
        """Poll the chat at the API's pace and the comments at the interval."""
        self.state = polling.load_state(runtime.cursor(self.name), self.name)
        graph.token_from(self.options.key_env, "a YouTube Data API key")
        return http.closing(self.http, self._run(runtime))

    def _run(self, runtime: Runtime) -> Iterator[Item]:
        next_comments = 0.0
        next_lookup = 0.0
        while not runtime.stopping():
            parts: list[tuple[str, Callable[[], Iterator[Item]]]] = []
            now = self.clock()
            if self.options.video_id and (self.chat_id or now >= next_lookup):
                parts.append(("live chat", self._chat))
                if not self.chat_id:
                    next_lookup = now + self.options.interval
            if self.options.video_ids and now >= next_comments:
                parts += [(f"comments {v}", partial(self._comments, v))
                          for v in self.options.video_ids]
                next_comments = now + self.options.interval
            yield from polling.loop_once(
                runtime, partial(polling.run_parts, self.name, parts), self.status,
                partial(polling.dump_state, self.state),
                partial(self._wait, next_lookup, next_comments))

    def _wait(self, next_lookup: float, next_comments: float) -> float:
        """Return the time to the next due call: a chat page, a live check, or comments."""
        now = self.clock()
        waits = []
        if self.options.video_id:
            waits.append(self.chat_wait if self.chat_id else next_lookup - now)
        if self.options.video_ids:
            waits.append(next_comments - now)
        return max(MIN_CHAT_WAIT, min(waits, default=self.options.interval))

    def _chat(self) -> Iterator[Item]:
        """Find the live chat, then read one page of it; note when it ended."""
        if not self.chat_id:
            body = self.get("videos", {"part": "liveStreamingDetails",
                                       "id": self.options.video_id})
            items = body.get("items")
            details = items[0].get("liveStreamingDetails") \
                if isinstance(items, list) and items and isinstance(items[0], Mapping) else None
            chat = details.get("activeLiveChatId") if isinstance(details, Mapping) else None
            if not isinstance(chat, str) or not chat:
                self.chat_note = f"video {self.options.video_id} has no live chat now"
                yield Health("paused", self.status())
                return
            self.chat_id, self.page_token = chat, ""
        try:
            yield from self._chat_page()
        except ChatEnded as exc:
            self._ended(str(exc))
            yield Health("paused", self.status())

    def _ended(self, why: str) -> None:
        log.info("source %s: live chat of %s ended (%s)", self.name, self.options.video_id, why)
        self.chat_id, self.page_token = "", ""
        self.chat_note = f"live chat of {self.options.video_id} ended"

    def _chat_page(self) -> Iterator[Item]:
        params = {"liveChatId": self.chat_id, "part": "snippet,authorDetails",
                  "maxResults": 2000}
        if self.page_token:
            params["pageToken"] = self.page_token
        body = self.get("liveChat/messages", params)
        first = not self.page_token
        millis = body.get("pollingIntervalMillis")
        self.chat_wait = max(MIN_CHAT_WAIT, millis / 1000) \
            if isinstance(millis, int | float) else self.options.interval
        self.page_token = clip(body.get("nextPageToken"), 500)
        self.chat_note = f"live chat every {self.chat_wait:.1f}s"
        found = body.get("items")
        items: list[Any] = found if isinstance(found, list) else []
        if first:  # the chat's history: keep only the backfill's worth
            items = items[len(items) - self.options.backfill:] if self.options.backfill else []
        for raw in items:
            yield from self._chat_item(raw)
        if body.get("offlineAt"):
            self._ended("offlineAt")
            yield Health("paused", self.status())

    def _chat_item(self, raw: Any) -> Iterator[Item]:
        snippet = raw.get("snippet") if isinstance(raw, Mapping) else None
        kind = snippet.get("type") if isinstance(snippet, Mapping) else None
        if kind == "messageDeletedEvent":
            gone = snippet.get("messageDeletedDetails") if isinstance(snippet, Mapping) else None
            if isinstance(gone, Mapping) and isinstance(gone.get("deletedMessageId"), str):
                yield Deletion(gone["deletedMessageId"][:300])
            return
        if kind not in ("textMessageEvent", "superChatEvent", "superStickerEvent"):
            return  # memberships, polls, bans: nothing to show
        try:
            post = chat_to_post(raw, source=self.name, video_id=self.options.video_id)
        except SourceError as exc:
            log.warning("source %s: chat message skipped: %s", self.name, exc)
            return
        yield Checkpoint(polling.dump_state(self.state), post)

    def _comments(self, video: str) -> Iterator[Item]:
        seen: dict[str, float] = self.state.setdefault("since", {})
        first = video not in seen
        body = self.get("commentThreads", {
            "part": "snippet", "videoId": video, "order": "time", "textFormat": "plainText",
            "maxResults": max(1, self.options.backfill) if first else 100})
        items = body.get("items")
        if not isinstance(items, list):
            raise SourceError(f"commentThreads for {video}: expected a list of items")
        yield from polling.fresh(self.name, seen, video, iter([items]),
                                 lambda raw: comment_to_post(raw, source=self.name),
                                 self.options.backfill, lambda: polling.dump_state(self.state))


class ChatEnded(SourceError):
    """The live chat is over (or gone): stop polling it."""


def _reason(reply: Any) -> str:
    """Return the first `reason` of a Google API error body, or ""."""
    try:
        body = reply.json()
    except ValueError:
        return ""
    error = body.get("error") if isinstance(body, Mapping) else None
    errors = error.get("errors") if isinstance(error, Mapping) else None
    first = errors[0] if isinstance(errors, list) and errors else None
    return clip(first.get("reason"), 60) if isinstance(first, Mapping) else ""


def build(name: str, options: YouTubeOptions) -> YouTubeSource:
    """Create a YouTube source."""
    return YouTubeSource(name, options)
