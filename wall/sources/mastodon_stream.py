"""Mastodon streaming: the first instance's hashtag streams over a websocket, with a token."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

import websocket

from wall.sources import http
from wall.sources.base import Deletion, Health, Item, Runtime, SourceError

if TYPE_CHECKING:
    from wall.sources.mastodon import MastodonSource

log = logging.getLogger(__name__)

RECV_TIMEOUT = 1.0


def streaming_url(base: str) -> str:
    """Return the websocket URL of an instance's streaming API."""
    parts = urlsplit(base)
    scheme = "wss" if parts.scheme == "https" else "ws"
    return urlunsplit((scheme, parts.netloc, parts.path + "/api/v1/streaming", "", ""))


def stream(source: MastodonSource, token: str, tags: tuple[str, ...],
           runtime: Runtime) -> Iterator[Item]:
    """Read the hashtag streams until they drop; keep polling the other instances meanwhile."""
    base = source.options.instances[0]
    url = source.options.streaming_url or streaming_url(base)
    # A multiplexed connection: one "subscribe" message per hashtag follows.
    ws = http.open_websocket(url, [f"Authorization: Bearer {token}"])
    try:
        for tag in tags:
            ws.send(json.dumps({"type": "subscribe", "stream": "hashtag", "tag": tag}))
        ws.settimeout(RECV_TIMEOUT)
        yield Health("ok", "streaming")
        next_poll = time.monotonic() + source.interval(len(tags))
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
                for other in source.options.instances[1:]:
                    for tag in tags:
                        try:
                            yield from source.poll(other, tag, runtime)
                        except http.RateLimited as exc:
                            yield Health("degraded", str(exc))
                next_poll = time.monotonic() + source.interval(len(tags))
    finally:
        http.close_websocket(ws)


def _message(source: MastodonSource, base: str, message: str | bytes) -> Iterator[Item]:
    """Turn one streaming message into items; a malformed one is logged and skipped."""
    try:
        event: Any = json.loads(message)
        kind, payload = event["event"], event["payload"]
        names = event.get("stream") or []
    except (ValueError, TypeError, KeyError):
        log.warning("source %s: malformed streaming message skipped", source.name)
        return
    if kind == "delete":
        uri = source.known.get(str(payload))
        if uri:
            yield Deletion(uri)
        return
    if kind not in ("update", "status.update"):
        return
    try:
        status = json.loads(payload) if isinstance(payload, str) else None
    except ValueError:
        status = None
    if not isinstance(status, dict) or "id" not in status:
        log.warning("source %s: malformed streamed status skipped", source.name)
        return
    tag = str(names[1]).lower() if isinstance(names, list) and len(names) > 1 else ""
    yield from source.page_items(f"{base}#{tag}", [status])



