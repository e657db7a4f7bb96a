"""Loopback stand-ins for the networks: real HTTP and websocket servers on 127.0.0.1."""

from __future__ import annotations

import json
import queue
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import ServerConnection, serve

from wall.ingest import Pipeline, SourceRunner
from wall.listening import Listening
from wall.sources.base import Runtime, Source

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def fixture(name: str) -> Any:
    """Load a JSON fixture, or the text of any other file."""
    path = FIXTURES / name
    text = path.read_text(encoding="utf-8")
    return json.loads(text) if path.suffix == ".json" else text


@dataclass
class Seen:
    """One request the stand-in received."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    at: float = field(default_factory=time.monotonic)


@dataclass
class Reply:
    """What a route answers: status, headers, body (bytes, str, or JSON-able)."""

    status: int = 200
    body: Any = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    stream: queue.Queue[bytes | None] | None = None  # chunked body until None


Route = Callable[[Seen], Reply]


class HttpStandIn:
    """A threaded HTTP server on 127.0.0.1:0 that answers from routes set by the test."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.seen: list[Seen] = []
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _serve(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                seen = Seen(self.command, parts.path,
                            {k: v[-1] for k, v in parse_qs(parts.query).items()},
                            dict(self.headers.items()), self.rfile.read(length))
                stand_in.seen.append(seen)
                route = stand_in.routes.get(parts.path)
                reply = route(seen) if route else Reply(404, {"error": "Record not found"})
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.stream is not None:
                    self._stream(reply)
                    return
                body = reply.body
                if not isinstance(body, bytes | str):
                    body = json.dumps(body, ensure_ascii=False)
                data = body.encode() if isinstance(body, str) else body
                self.send_response(reply.status)
                headers = {"Content-Type": "application/json; charset=utf-8", **reply.headers}
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _stream(self, reply: Reply) -> None:
                """Send a chunked body, one chunk per queued item, until None."""
                assert reply.stream is not None
                self.send_response(reply.status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                self.close_connection = True
                while (chunk := reply.stream.get()) is not None:
                    try:
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                        self.wfile.flush()
                    except OSError:
                        return
                self.wfile.write(b"0\r\n\r\n")

            do_GET = do_POST = do_DELETE = _serve

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        """Return the base URL."""
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def requests_to(self, path: str) -> list[Seen]:
        """Return the requests received for a path."""
        return [s for s in self.seen if s.path == path]

    def close(self) -> None:
        """Stop serving."""
        self.server.shutdown()
        self.server.server_close()


class WsStandIn:
    """A websocket server on 127.0.0.1:0; each connection sends what the test queues."""

    def __init__(self) -> None:
        self.outbox: queue.Queue[str | None] = queue.Queue()  # None: drop the connection
        self.paths: list[str] = []
        self.headers: list[dict[str, str]] = []
        self.received: list[str] = []
        self.server = serve(self._handle, "127.0.0.1", 0)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        """Return the base ws:// URL."""
        return f"ws://127.0.0.1:{self.server.socket.getsockname()[1]}"

    def _handle(self, conn: ServerConnection) -> None:
        assert conn.request is not None
        self.paths.append(conn.request.path)
        self.headers.append(dict(conn.request.headers.raw_items()))
        while True:
            try:
                incoming = conn.recv(timeout=0)
                self.received.append(str(incoming))
            except TimeoutError:
                pass
            except ConnectionClosed:
                return
            try:
                message = self.outbox.get(timeout=0.05)
            except queue.Empty:
                continue
            if message is None:
                conn.close()
                return
            try:
                conn.send(message)
            except ConnectionClosed:
                return

    def send(self, *messages: Any) -> None:
        """Queue messages (JSON-encoded unless already str) for the current connection."""
        for message in messages:
            self.outbox.put(message if isinstance(message, str) else json.dumps(message))

    def drop(self) -> None:
        """Close the current connection from the server side."""
        self.outbox.put(None)

    def close(self) -> None:
        """Stop serving."""
        self.server.shutdown()


@dataclass
class Running:
    """A source running in a thread, the way the wall runs it."""

    runner: SourceRunner
    stop: threading.Event
    thread: threading.Thread
    states: list[str] = field(default_factory=list)

    def halt(self) -> None:
        """Stop the source and wait for its thread; the last state is recorded first."""
        state = self.runner.health.state
        if not self.states or self.states[-1] != state:
            self.states.append(state)
        self.stop.set()
        self.thread.join(15)


def start_source(source: Source, pipeline: Pipeline, hashtags: tuple[str, ...] = ("TestDays",),
                 cursor: Callable[[str], str | None] | None = None,
                 listening: Listening | None = None) -> Running:
    """Run a source with SourceRunner in a thread; record every health state it shows."""
    stop = threading.Event()

    def sleep(seconds: float) -> None:
        stop.wait(max(0.0, seconds))

    runtime = Runtime(sleep=sleep, stopping=stop.is_set, hashtags=hashtags,
                      cursor=cursor or pipeline.store.cursor, known=pipeline.store.has_post,
                      listening=listening or Listening())
    runner = SourceRunner(source, pipeline, runtime)
    running = Running(runner, stop, threading.Thread(target=runner.run, daemon=True))

    def watch() -> None:
        while not stop.is_set():
            state = runner.health.state
            if not running.states or running.states[-1] != state:
                running.states.append(state)
            time.sleep(0.02)

    threading.Thread(target=watch, daemon=True).start()
    running.thread.start()
    return running


def wait_for(check: Callable[[], Any], timeout: float = 20.0, what: str = "condition") -> Any:
    """Poll until check() is truthy; fail with a message after the timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def lines(items: list[Any]) -> Iterator[str]:
    """Yield JSON lines for a list of objects."""
    for item in items:
        yield json.dumps(item)
