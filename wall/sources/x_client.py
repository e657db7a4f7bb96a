"""The running X source: tweepy's Client for search, StreamingClient for the stream."""

from __future__ import annotations

import json
import logging
import queue
from collections.abc import Iterator
from typing import Any

import requests
import tweepy
from requests.adapters import HTTPAdapter

from wall.models import Post
from wall.sources.base import Checkpoint, Health, Item, Runtime, SourceError, listened
from wall.sources.http import parse_when
from wall.sources.x import (
    EXPANSIONS,
    MEDIA_FIELDS,
    TWEET_FIELDS,
    USER_FIELDS,
    X_API,
    XOptions,
    XState,
    build_queries,
    token,
    tweets_of,
)

log = logging.getLogger(__name__)

TIMEOUT = (5.0, 30.0)
RULE_TAG = "socialwall:{name}"
CONNECTED = object()  # put in the queue each time the stream (re)connects
STOPPED = object()  # put in the queue when tweepy gives up on the stream


class HostAdapter(HTTPAdapter):
    """Sends tweepy's requests to `api_url` (a proxy or a test server), with a timeout."""

    def __init__(self, api_url: str) -> None:
        super().__init__()
        self.api_url = api_url

    def send(self, request: requests.PreparedRequest,  # type: ignore[override]
             **kwargs: Any) -> requests.Response:
        """Rewrite the host tweepy hard-codes, then send."""
        if request.url and self.api_url != X_API and request.url.startswith(X_API):
            request.url = self.api_url + request.url[len(X_API):]
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = TIMEOUT
        return super().send(request, **kwargs)


class _Stream(tweepy.StreamingClient):  # type: ignore[misc]
    """A StreamingClient that hands each raw message to a queue."""

    def __init__(self, bearer: str, inbox: queue.Queue[Any]) -> None:
        super().__init__(bearer, return_type=dict, daemon=True)
        self.inbox = inbox

    def on_connect(self) -> None:
        """Tell the source to backfill what the disconnection missed."""
        self.inbox.put(CONNECTED)

    def on_disconnect(self) -> None:
        """Tell the source that tweepy's reconnection loop has ended."""
        self.inbox.put(STOPPED)

    def on_data(self, raw_data: bytes) -> None:
        """Queue the raw message; parsing happens in the source."""
        self.inbox.put(raw_data)

    def on_request_error(self, status_code: int) -> None:
        """Log; tweepy itself waits and reconnects."""
        self.inbox.put(SourceError(f"X stream: HTTP {status_code}"))


class XSource:
    """Backfills with recent search (since_id), then reads the filtered stream."""

    def __init__(self, name: str, options: XOptions) -> None:
        self.name = name
        self.options = options
        self.client: tweepy.Client | None = None
        self.stream: _Stream | None = None
        self.inbox: queue.Queue[Any] = queue.Queue()
        self.state = XState(None)

    def _mount(self, session: requests.Session) -> None:
        adapter = HostAdapter(self.options.api_url)
        session.mount(X_API + "/", adapter)

    def _clients(self) -> tuple[tweepy.Client, _Stream]:
        bearer = token(self.options)
        client = tweepy.Client(bearer, return_type=dict, wait_on_rate_limit=False)
        stream = _Stream(bearer, self.inbox)
        self._mount(client.session)
        self._mount(stream.session)
        return client, stream

    def posts(self, runtime: Runtime) -> Iterator[Item]:
        """Keep what the wall follows of what X matched (X's rules are coarser)."""
        listening = runtime.follows(self.options.listening, self.options.hashtags)
        return listened(self.name, self._run(runtime, build_queries(listening, self.options)),
                        listening)

    def _run(self, runtime: Runtime, query: list[str]) -> Iterator[Item]:
        """Backfill, reconcile the stream rules, then stream; backfill again on reconnect."""
        self.state = XState(runtime.cursor(self.name))
        self.inbox = queue.Queue()  # a stream left over from a previous run writes elsewhere
        self.client, self.stream = self._clients()
        try:
            if not self._spent():
                yield from self.backfill(query, runtime)
            while not self.options.stream and not self._spent() and not runtime.stopping():
                runtime.sleep(60)
                yield from self.backfill(query, runtime)
            if self._spent():
                yield from self._pause(runtime)
                return
            if runtime.stopping():
                return
            self.reconcile_rules(query)
            self.stream.filter(threaded=True, expansions=EXPANSIONS, tweet_fields=TWEET_FIELDS,
                               user_fields=USER_FIELDS, media_fields=MEDIA_FIELDS)
            yield from self._read_stream(query, runtime)
        finally:
            if self.stream is not None:
                self.stream.disconnect()

    def _read_stream(self, query: list[str], runtime: Runtime) -> Iterator[Item]:
        connects = 0
        while not runtime.stopping():
            if self._spent():
                yield from self._pause(runtime)
                return
            try:
                message = self.inbox.get(timeout=0.5)
            except queue.Empty:
                runtime.sleep(0)
                continue
            if message is CONNECTED:
                connects += 1
                yield Health("ok", "streaming")
                if connects > 1:  # what the dropped connection missed
                    yield from self.backfill(query, runtime)
            elif message is STOPPED:
                raise SourceError("X stream stopped; starting again")
            elif isinstance(message, SourceError):
                yield Health("degraded", str(message))
            else:
                yield from self._message(message)

    def _message(self, raw: bytes) -> Iterator[Item]:
        """Turn one stream line into checkpointed posts; malformed lines are logged."""
        try:
            body = json.loads(raw)
        except ValueError:
            log.warning("source %s: malformed stream message skipped", self.name)
            return
        self._count(body)
        rules = body.get("matching_rules") if isinstance(body, dict) else None
        ours = RULE_TAG.format(name=self.name)
        if isinstance(rules, list) and rules and not any(
                isinstance(r, dict) and r.get("tag") == ours for r in rules):
            return  # another source's rule on the same X app matched
        yield from self._checkpointed(list(tweets_of(body, source=self.name)))

    def _count(self, body: Any) -> None:
        """Count every tweet X returned: each one is billed, even one we skip."""
        data = body.get("data") if isinstance(body, dict) else None
        self.state.reads += len(data) if isinstance(data, list) else int(data is not None)

    def _checkpointed(self, posts: list[tuple[str, Post]]) -> Iterator[Item]:
        """Yield posts oldest first, each with its cursor (the id of the tweet's version)."""
        seen: set[str] = set()
        for ident, post in sorted(posts, key=lambda p: int(p[0])):
            if ident not in seen:  # a tweet several queries found
                seen.add(ident)
                yield Checkpoint(self.state.advance(ident), post)

    def _page_size(self) -> int:
        """Ask for no more tweets than the budget has left (X allows 10 to 100)."""
        if not self.options.read_budget:
            return 100
        return max(10, min(100, self.options.read_budget - self.state.reads))

    def _spent(self) -> bool:
        budget = self.options.read_budget
        return bool(budget) and self.state.reads >= budget

    def _pause(self, runtime: Runtime) -> Iterator[Item]:
        """Stop reading (each read is billed) until the wall restarts with a bigger budget."""
        if self.stream is not None:
            self.stream.disconnect()
        yield Health("paused", f"read budget of {self.options.read_budget} posts spent")
        try:  # nothing more should match on X for this source while it is paused
            self.remove_rules()
        except (tweepy.TweepyException, requests.RequestException) as exc:
            log.warning("source %s: stream rule not removed: %s", self.name, exc)
        while not runtime.stopping():
            runtime.sleep(5)

    def backfill(self, queries: list[str], runtime: Runtime) -> Iterator[Item]:
        """Read recent search since the last id, waiting out rate limits, oldest first."""
        while not runtime.stopping():
            try:
                collected = [found for query in queries
                             for found in self._search(query, runtime)]
            except tweepy.TooManyRequests as exc:
                # Start again from the same since_id: the pages read so far would leave a gap.
                wait = parse_when(exc.response.headers.get("x-rate-limit-reset")) or 60.0
                yield Health("degraded", f"X search rate limited; waiting {wait:.0f}s")
                runtime.sleep(wait)
                continue
            yield from self._checkpointed(collected)
            return

    def _search(self, query: str, runtime: Runtime) -> list[tuple[str, Post]]:
        """Return every page of recent search since the last id (X pages newest first)."""
        assert self.client is not None
        if self.options.backfill_pages == 0 or self._spent():
            return []
        collected: list[tuple[str, Post]] = []
        params: dict[str, Any] = dict(
            query=query, max_results=self._page_size(), expansions=EXPANSIONS,
            tweet_fields=TWEET_FIELDS, user_fields=USER_FIELDS, media_fields=MEDIA_FIELDS)
        if self.state.since_id:
            params["since_id"] = self.state.since_id
        pages = tweepy.Paginator(self.client.search_recent_tweets,
                                 limit=self.options.backfill_pages, **params)
        try:
            for page in pages:
                self._count(page)
                collected.extend(tweets_of(page, source=self.name))
                if self._spent() or runtime.stopping():
                    break
        except tweepy.TooManyRequests:
            raise
        except tweepy.TweepyException as exc:
            raise SourceError(f"X search failed: {exc}") from None
        except requests.RequestException as exc:
            raise SourceError(f"X search failed: {type(exc).__name__}") from None
        return collected

    def reconcile_rules(self, queries: list[str]) -> None:
        """Make the stream's rules on X exactly this source's queries: add, drop stale."""
        assert self.stream is not None
        tag = RULE_TAG.format(name=self.name)
        try:
            current = self.stream.get_rules().get("data") or []
            ours = [r for r in current if r.get("tag") == tag]
            stale = [r["id"] for r in ours if r.get("value") not in queries]
            if stale:
                self.stream.delete_rules(stale)
            have = {r.get("value") for r in ours}
            missing = [tweepy.StreamRule(q, tag=tag) for q in queries if q not in have]
            if missing:
                self.stream.add_rules(missing)
        except tweepy.TweepyException as exc:
            raise SourceError(f"X stream rules could not be set: {exc}") from None

    def remove_rules(self) -> None:
        """Delete this source's rules on X (when the source is removed from config)."""
        assert self.stream is not None
        tag = RULE_TAG.format(name=self.name)
        current = self.stream.get_rules().get("data") or []
        ids = [r["id"] for r in current if r.get("tag") == tag]
        if ids:
            self.stream.delete_rules(ids)
