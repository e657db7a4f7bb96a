"""HTTP helpers shared by the polling sources: timeouts, rate limits, clear errors."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any, TypeVar

from wall.sources.base import SourceError

if TYPE_CHECKING:  # requests imports ssl: only once the server has monkey-patched
    import requests

T = TypeVar("T")
TIMEOUT = (5.0, 20.0)  # connect, and silence between two reads
DEADLINE = 60.0  # seconds for a whole download: a feed dripping a byte at a time is cut
MAX_BYTES = 10 * 1024 * 1024  # largest reply read; a bigger one is refused
_CHUNK = 64 * 1024
_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)
USER_AGENT = "socialwall (+https://github.com/socialwall)"


class RateLimited(SourceError):
    """The network asked us to wait `wait` seconds before the next request."""

    def __init__(self, message: str, wait: float) -> None:
        super().__init__(message)
        self.wait = wait


def parse_when(value: str | None, now: datetime | None = None) -> float | None:
    """Return seconds to wait from a Retry-After or reset header (seconds, epoch or date)."""
    if not value:
        return None
    now = now or datetime.now(UTC)
    value = value.strip()
    try:
        number = float(value)
    except ValueError:
        number = None
    if number is not None:
        # Small numbers are a delay in seconds; large ones an epoch time.
        return max(0.0, number - now.timestamp()) if number > 1e9 else max(0.0, number)
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            moment = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - now).total_seconds())


def where(url: str) -> str:
    """Return a URL without its query: errors are shown on the public /healthz page."""
    return url.split("?", 1)[0].split("#", 1)[0]


def session() -> requests.Session:
    """Return a session that names socialwall in its User-Agent."""
    import requests

    http = requests.Session()
    http.headers["User-Agent"] = USER_AGENT
    return http


def closing(http: requests.Session, items: Iterator[T]) -> Iterator[T]:
    """Yield a source's items, closing its session when the run ends (reopened on the next)."""
    try:
        yield from items
    finally:
        http.close()


def get(http: requests.Session, url: str, *, params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None, deadline: float | None = None,
        max_bytes: int | None = None) -> requests.Response:
    """GET a URL within a total deadline and a size cap; raise RateLimited on 429 and
    SourceError on other failures. The body is read here, so reply.content is ready."""
    import requests

    shown = where(url)
    limit = DEADLINE if deadline is None else deadline
    start = time.monotonic()
    try:
        reply = http.get(url, params=params, headers=headers, timeout=TIMEOUT, stream=True)
    except requests.Timeout:
        raise SourceError(f"{shown}: timed out") from None
    except requests.RequestException as exc:
        raise SourceError(f"{shown}: {type(exc).__name__}") from None
    try:
        if reply.status_code == 429:
            wait = parse_when(reply.headers.get("Retry-After"))
            if wait is None:
                wait = parse_when(reply.headers.get("X-RateLimit-Reset")) or 60.0
            raise RateLimited(f"{shown}: rate limited (429), waiting {wait:.0f}s", wait)
        if reply.status_code >= 400:
            raise SourceError(f"{shown}: HTTP {reply.status_code}")
        reply._content = _read(reply, shown, start + limit, limit,  # noqa: SLF001
                               MAX_BYTES if max_bytes is None else max_bytes)
    finally:
        reply.close()
    return reply


def send(http: requests.Session, method: str, url: str, **kwargs: Any) -> requests.Response:
    """Send a request within the total deadline and size cap that `get` applies; raise
    SourceError only when nothing (or too much, too slowly) came back; see `check`."""
    import requests

    shown = where(url)
    start = time.monotonic()
    try:
        reply = http.request(method, url, timeout=TIMEOUT, stream=True, **kwargs)
    except requests.Timeout:
        raise SourceError(f"{shown}: timed out") from None
    except requests.RequestException as exc:
        raise SourceError(f"{shown}: {type(exc).__name__}") from None
    try:
        reply._content = _read(reply, shown, start + DEADLINE, DEADLINE,  # noqa: SLF001
                               MAX_BYTES)
    finally:
        reply.close()
    return reply


def check(reply: requests.Response, detail: str = "") -> requests.Response:
    """Raise RateLimited on 429 and SourceError on other 4xx/5xx, with the network's detail."""
    shown = where(reply.url or "")
    if reply.status_code == 429:
        wait = parse_when(reply.headers.get("Retry-After")) or 60.0
        raise RateLimited(f"{shown}: rate limited (429), waiting {wait:.0f}s", wait)
    if reply.status_code >= 400:
        extra = f": {detail[:200]}" if detail else ""
        raise SourceError(f"{shown}: HTTP {reply.status_code}{extra}")
    return reply


def _read(reply: requests.Response, shown: str, until: float, limit: float,
          max_bytes: int) -> bytes:
    """Read a streamed body, giving up past the deadline or the size cap."""
    import requests

    declared = reply.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise SourceError(f"{shown}: reply of {int(declared):,} bytes is over the "
                          f"{max_bytes:,}-byte cap")
    body = bytearray()
    try:
        # read1 returns whatever has arrived, so the deadline is checked even when a
        # server drips one byte at a time (each read alone never times out then).
        while chunk := reply.raw.read1(_CHUNK, decode_content=True):
            body += chunk
            if len(body) > max_bytes:
                raise SourceError(f"{shown}: reply larger than the {max_bytes:,}-byte cap")
            if time.monotonic() > until:
                raise SourceError(f"{shown}: download took longer than {limit:.0f}s "
                                  "(the server sends too slowly)")
    except (requests.RequestException, OSError) as exc:
        raise SourceError(f"{shown}: {type(exc).__name__} while reading") from None
    except Exception as exc:  # urllib3's own errors (ReadTimeoutError, ProtocolError)
        if isinstance(exc, SourceError):
            raise
        raise SourceError(f"{shown}: {type(exc).__name__} while reading") from None
    return bytes(body)


def refuse_entities(content: bytes, url: str) -> bytes:
    """Refuse an XML document declaring entities (billion laughs and external entities)."""
    if _ENTITY.search(content):
        raise SourceError(f"{where(url)}: the document declares XML entities; refused "
                          "(a feed never needs them)")
    return content


def json_body(reply: requests.Response) -> Any:
    """Decode a JSON reply; raise SourceError when it is not JSON."""
    try:
        return reply.json()
    except (ValueError, json.JSONDecodeError):
        raise SourceError(f"{where(reply.url)}: reply is not JSON") from None


def open_websocket(url: str, headers: list[str] | None = None) -> Any:
    """Connect a websocket-client socket, closing it if the handshake fails."""
    import websocket

    ws = websocket.WebSocket()
    try:
        ws.connect(url, timeout=10, header=headers or [])  # type: ignore[no-untyped-call]
    except (OSError, websocket.WebSocketException) as exc:
        ws.close()
        raise SourceError(f"websocket connection to {where(url)} failed: {exc}") from None
    return ws


def close_websocket(ws: Any) -> None:
    """Say goodbye if still connected, then always release the socket."""
    try:
        ws.close(timeout=1)
    finally:
        ws.shutdown()
