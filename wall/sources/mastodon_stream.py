"""Mastodon streaming: the first instance's hashtag (and mention) streams, with a token."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator, Mapping
from typing import Any, Protocol
from urllib.parse import urlsplit, urlunsplit

import websocket

from wall.sources import http
from wall.sources.base import Deletion, Health, Item, Runtime, SourceError

log = logging.getLogger(__name__)


class Poller(Protocol):
    """What the stream needs of the Mastodon source (a protocol: no import cycle)."""

    name: str

    @property
    def known(self) -> Mapping[str, str]:
        """Return the recent status ids and their uris."""
        ...

    @property
    def options(self) -> Any:
        """Return the source's options (instances, streaming_url)."""
        ...

    def interval(self, feeds: int) -> float:
        """Return the poll interval for a number of feeds."""
        ...

    def feeds(self, base: str) -> list[Any]:
        """Return the feeds to poll on an instance."""
        ...

    def poll(self, feed: Any, runtime: Runtime) -> Iterator[Item]:
        """Poll one feed."""
        ...

    def page_items(self, key: str, page: list[Any]) -> Iterator[Item]:
        """Turn a page of statuses or notifications into items."""
        ...

RECV_TIMEOUT = 1.0


def streaming_url(base: str) -> str:
    """Return the websocket URL of an instance's streaming API."""
    parts = urlsplit(base)
    scheme = "wss" if parts.scheme == "https" else "ws"
    return urlunsplit((scheme, parts.netloc, parts.path + "/api/v1/streaming", "", ""))


def stream(source: Poller, token: str, runtime: Runtime) -> Iterator[Item]:
    """Read the first instance's streams until they drop; poll the other feeds meanwhile."""
    base = source.options.instances[0]
    url = source.options.streaming_url or streaming_url(base)
    streamed = source.feeds(base)
    polled = [f for f in streamed if f.kind == "search"] + \
        [f for other in source.options.instances[1:] for f in source.feeds(other)]
    # A multiplexed connection: one "subscribe" message per hashtag, and the token's
    # notifications when its mentions are followed.
    ws = http.open_websocket(url, [f"Authorization: Bearer {token}"])
    try:
        for feed in streamed:
            if feed.kind == "statuses":
                ws.send(json.dumps({"type": "subscribe", "stream": "hashtag", "tag": feed.tag}))
            elif feed.kind == "notifications":
                ws.send(json.dumps({"type": "subscribe", "stream": "user:notification"}))
        ws.settimeout(RECV_TIMEOUT)
        yield Health("ok", "streaming")
        every = source.interval(len(streamed) + len(polled))
        next_poll = time.monotonic() + every
        while not runtime.stopping():
            try:
                message = ws.recv()
            except websocket.WebSocketTimeoutException:
                message = None
            except (OSError, websocket.WebSocketException) as exc:
                raise SourceError(f"{base}: stream dropped ({type(exc).__name__})") from None
            if message:
                yield from _message(source, base, message)
            if time.monotonic() >= next_poll:
                for feed in polled:
                    try:
                        yield from source.poll(feed, runtime)
                    except http.RateLimited as exc:
                        yield Health("degraded", str(exc))
                    except SourceError as exc:  # one feed failing leaves the stream up
                        log.warning("source %s: %s", source.name, exc)
                next_poll = time.monotonic() + every
    finally:
        http.close_websocket(ws)


# Events whose payload is a JSON text of an entity; others (e.g. "filters_changed",
# "announcement.*", "conversation") are not for the wall, and some carry no payload.
_ENTITIES = ("update", "status.update", "notification")


def _message(source: Poller, base: str, message: str | bytes) -> Iterator[Item]:
    """Turn one streaming message into items; a malformed one is logged and skipped."""
    try:
        event: Any = json.loads(message)
        kind, payload = event["event"], event.get("payload")
        names = event.get("stream") or []
    except (ValueError, TypeError, KeyError, AttributeError):
        log.warning("source %s: malformed streaming message skipped", source.name)
        return
    if kind == "delete":
        uri = source.known.get(str(payload))
        if uri:
            yield Deletion(uri)
        return
    if kind not in _ENTITIES:
        return
    try:
        status = json.loads(payload) if isinstance(payload, str) else None
    except ValueError:
        status = None
    if not isinstance(status, dict) or "id" not in status:
        log.warning("source %s: malformed streamed status skipped", source.name)
        return
    if kind == "notification":
        yield from source.page_items(f"{base}@mentions", [status])
        return
    tag = str(names[1]).lower() if isinstance(names, list) and len(names) > 1 else ""
    yield from source.page_items(f"{base}#{tag}", [status])
