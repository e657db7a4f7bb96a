"""Sources cannot hang or stall the wall: deadline, byte cap, entity bombs refused."""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests

from wall.sources import SourceError, http
from wall.sources.rss import RssOptions, RssSource

FEED = (Path(__file__).resolve().parent / "fixtures" / "rss" / "blog.xml").read_bytes()
BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
]>
<rss version="2.0"><channel><title>&d;</title>
<item><title>&d;</title><description>&d;</description><guid>1</guid></item>
</channel></rss>
"""


def serve(handler: Callable[[BaseHTTPRequestHandler], None]) -> Iterator[str]:
    """Run a loopback HTTP server whose GET is `handler`; yield its base URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the http.server API)
            try:
                handler(self)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up, as it should

        def log_message(self, *_args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/feed.xml"
    server.shutdown()
    server.server_close()


def _drip(req: BaseHTTPRequestHandler) -> None:
    """Send a valid header, then one byte of the feed every second."""
    req.send_response(200)
    req.send_header("Content-Type", "application/rss+xml")
    req.end_headers()
    for byte in FEED:
        req.wfile.write(bytes([byte]))
        req.wfile.flush()
        time.sleep(1.0)


@pytest.fixture
def drip_url() -> Iterator[str]:
    yield from serve(_drip)


def _reply_with(body: bytes, encoding: str = "") -> Callable[[BaseHTTPRequestHandler], None]:
    def handler(req: BaseHTTPRequestHandler) -> None:
        req.send_response(200)
        req.send_header("Content-Type", "application/rss+xml")
        if encoding:
            req.send_header("Content-Encoding", encoding)
        req.send_header("Content-Length", str(len(body)))
        req.end_headers()
        req.wfile.write(body)

    return handler


def source(url: str) -> RssSource:
    return RssSource("feed", RssOptions(url=url))


def test_a_dripping_feed_is_cut_at_the_deadline(drip_url: str,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(http, "DEADLINE", 3.0)
    start = time.monotonic()
    with pytest.raises(SourceError, match="took longer than 3s"):
        list(source(drip_url).fetch())
    assert time.monotonic() - start < 10  # not forever: the deadline plus one byte's wait


def test_an_entity_bomb_is_refused_before_parsing() -> None:
    for url in serve(_reply_with(BOMB)):
        with pytest.raises(SourceError, match="declares XML entities"):
            list(source(url).fetch())


def test_a_reply_over_the_cap_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(http, "MAX_BYTES", 4096)
    for url in serve(_reply_with(FEED + b" " * 10_000)):
        with pytest.raises(SourceError, match="cap"):
            list(source(url).fetch())
    # A gzip bomb: small on the wire, past the cap once decoded.
    for url in serve(_reply_with(gzip.compress(b" " * 1_000_000), "gzip")):
        with pytest.raises(SourceError, match="cap"):
            http.get(requests.Session(), url)


def test_a_normal_gzip_feed_still_reads() -> None:
    for url in serve(_reply_with(gzip.compress(FEED), "gzip")):
        posts = list(source(url).fetch())
        assert posts


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_a_dripping_feed_degrades_its_source_while_the_wall_answers(
        drip_url: str, wall_server_factory: Callable[..., Any]) -> None:
    server = wall_server_factory(mode="post", extra=f"""
[[sources]]
type = "rss"
name = "dripping"
url = "{drip_url}"
interval = 10
""")
    start = time.monotonic()
    state = ""
    while time.monotonic() - start < http.DEADLINE + 60:
        # The screen keeps answering, promptly, all along.
        requests.get(f"{server.url}/screen/feed", timeout=5).raise_for_status()
        health = requests.get(f"{server.url}/healthz", timeout=5).json()
        [feed] = [s for s in health["sources"] if s["name"] == "dripping"]
        state = feed["state"]
        if state == "degraded":
            break
        time.sleep(1)
    assert state == "degraded"  # and not "starting" forever
    assert time.monotonic() - start < http.DEADLINE + 30
