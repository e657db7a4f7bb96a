"""Serve the app with the configured async mode, announcing the port actually bound."""

from __future__ import annotations

import gc
import logging
import os
import socket
import warnings
from collections.abc import Callable, Iterable
from typing import Any

from wall.lifecycle import interrupt_main_greenlet, interrupt_on_sigterm, on_stop_signals

log = logging.getLogger(__name__)
STOP_TIMEOUT = 3.0

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def patch_for(async_mode: str) -> None:
    """Monkey-patch the standard library for gevent or eventlet; call before other imports."""
    if async_mode == "gevent":
        from gevent import monkey

        monkey.patch_all()
    elif async_mode == "eventlet":
        with warnings.catch_warnings():
            # Chosen on purpose in the config; one log line says it instead of a banner.
            warnings.simplefilter("ignore")
            import eventlet

        eventlet.monkey_patch()
        log.warning("eventlet is in bug-fix-only maintenance upstream; "
                    'async_mode = "gevent" is the default and recommended mode')


def no_delay(sock: Any) -> None:
    """Send small writes at once on an accepted connection (TCP_NODELAY).

    The WSGI servers write a response's headers and body separately; with Nagle's
    algorithm on, the body waits for the client's delayed ACK (about 40 ms on
    Linux) on every response of a kept-alive connection: webhook calls,
    long-polling and moderator actions all paid it.
    """
    try:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    except (OSError, AttributeError):  # not a TCP socket (a Unix socket in front of a proxy)
        pass


def socketio_route(app: Any) -> None:
    """Give Flask a route at the Socket.IO path, so that events leave no garbage cycles.

    Flask-SocketIO runs every Socket.IO event (a heartbeat, a join) inside a request
    context built from the connection's environ, whose path is /socket.io/. With no
    route there, Flask's URL matching raised NotFound on every event and kept it, with
    its traceback, on the request: frames, contexts and the request in a reference
    cycle that only Python's cyclic GC frees. At 1,000 screens those cycles made the
    full collections that stalled the event loop 100-250 ms every few seconds (the
    p99 tail, docs/benchmarks.md). Requests to the path never reach Flask: the
    Socket.IO middleware answers them; were one to arrive, it gets a 404 as before.
    """
    def not_here() -> tuple[str, int]:
        return "Not Found", 404

    app.add_url_rule("/socket.io/", endpoint="socketio_path", methods=["GET", "POST"],
                     strict_slashes=False, view_func=not_here)
    # A WebSocket connection's environ matches only a rule that says websocket=True.
    app.add_url_rule("/socket.io/", endpoint="socketio_websocket", methods=["GET"],
                     strict_slashes=False, websocket=True, view_func=not_here)


def socketio_options(compression: bool) -> dict[str, Any]:
    """Return Flask-SocketIO options for the [server] compression setting."""
    return {"http_compression": compression}


def without_websocket_compression(app: WSGIApp) -> WSGIApp:
    """Wrap a WSGI app so that no WebSocket negotiates permessage-deflate.

    simple-websocket (gevent, threading) and eventlet accept the browser's
    permessage-deflate offer with no option to refuse it, and then compress
    every frame once per screen: the one encoded broadcast becomes N deflate
    runs. Removing the offer from the handshake is the supported way to say no
    (RFC 7692: a server may ignore the extension). Measured in docs/benchmarks.md.
    """

    def wrapped(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)
        return app(environ, start_response)

    return wrapped


GC_ENV = "SOCIALWALL_GC_THRESHOLD"
# Young collections every 20,000 net allocations instead of Python's 700, and a full one
# after 50 of the middle generation's instead of 10: at 1,000 screens a bench run had 2
# full collections instead of 6 (each 10-90 ms with the whole wall waiting) and the p99
# of ingest->screen went from 74-82 to 62-74 ms (docs/benchmarks.md, stop 12). Garbage
# cycles are rare since socketio_route; the few left wait a little longer to be freed.
GC_THRESHOLDS = (20_000, 20, 50)


def gc_thresholds(text: str) -> tuple[int, int, int]:
    """Return the GC thresholds SOCIALWALL_GC_THRESHOLD asks for ("700,10,10" is Python's)."""
    if not text.strip():
        return GC_THRESHOLDS
    try:
        values = tuple(int(part) for part in text.split(","))
        if len(values) != 3 or min(values) < 1:
            raise ValueError
    except ValueError:
        log.warning("%s=%r is not three positive whole numbers like 700,10,10; using %s",
                    GC_ENV, text, ",".join(map(str, GC_THRESHOLDS)))
        return GC_THRESHOLDS
    return values[0], values[1], values[2]


def serve(app: Any, host: str, port: int, async_mode: str,
          ready: Callable[[int], None]) -> None:
    """Run the WSGI server until interrupted; call ready(port) once listening."""
    # What start-up built (modules, lexicons, language models, the app) lives as long as
    # the process: out of the cyclic GC's sight, its full collections no longer walk it
    # (at 1,000 screens they took 120-260 ms, 25-110 ms with this).
    gc.collect()
    gc.freeze()
    gc.set_threshold(*gc_thresholds(os.environ.get(GC_ENV, "")))
    if async_mode == "gevent":
        _serve_gevent(app, host, port, ready)
    elif async_mode == "eventlet":
        _serve_eventlet(app, host, port, ready)
    else:
        _serve_threading(app, host, port, ready)


def _serve_gevent(app: Any, host: str, port: int, ready: Callable[[int], None]) -> None:
    from gevent import pywsgi

    class Handler(pywsgi.WSGIHandler):  # type: ignore[misc]
        def log_request(self) -> None:
            pass  # no access log (log=None below): skip formatting a line nobody writes

    class Server(pywsgi.WSGIServer):  # type: ignore[misc]
        def handle(self, sock: Any, address: Any) -> None:
            no_delay(sock)
            super().handle(sock, address)

    server = Server((host, port), app, log=None, error_log=log, handler_class=Handler)
    server.start()
    # SIGTERM or SIGINT: stop accepting, give open requests STOP_TIMEOUT, then return.
    on_stop_signals(lambda: server.stop(timeout=STOP_TIMEOUT), "gevent")
    ready(server.server_port)
    server.serve_forever()


def _serve_eventlet(app: Any, host: str, port: int, ready: Callable[[int], None]) -> None:
    import eventlet
    import eventlet.wsgi

    class Protocol(eventlet.wsgi.HttpProtocol):  # type: ignore[misc]
        def setup(self) -> None:
            super().setup()
            no_delay(self.connection)

    interrupt_main_greenlet()  # eventlet.wsgi.server returns on KeyboardInterrupt
    sock = eventlet.listen((host, port))
    ready(sock.getsockname()[1])
    eventlet.wsgi.server(sock, app, log_output=False, protocol=Protocol)


def _serve_threading(app: Any, host: str, port: int, ready: Callable[[int], None]) -> None:
    from werkzeug.serving import WSGIRequestHandler, make_server

    class Handler(WSGIRequestHandler):
        def setup(self) -> None:
            super().setup()
            no_delay(self.connection)

        def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
            # werkzeug logs every request at INFO on its own logger, whatever --log-level
            # says: the access log is wall.access's ([server] access_log), as in the
            # other modes.
            pass

    interrupt_on_sigterm()  # the caller catches KeyboardInterrupt
    httpd = make_server(host, port, app, threaded=True, request_handler=Handler)
    ready(httpd.server_port)
    httpd.serve_forever()
