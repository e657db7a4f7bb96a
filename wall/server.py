"""Serve the app with the configured async mode, announcing the port actually bound."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable
from typing import Any

from wall.lifecycle import interrupt_on_sigterm, on_stop_signals

log = logging.getLogger(__name__)
STOP_TIMEOUT = 3.0


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


def serve(app: Any, host: str, port: int, async_mode: str,
          ready: Callable[[int], None]) -> None:
    """Run the WSGI server until interrupted; call ready(port) once listening."""
    if async_mode == "gevent":
        from gevent import pywsgi

        server = pywsgi.WSGIServer((host, port), app, log=None, error_log=log)
        server.start()
        # SIGTERM or SIGINT: stop accepting, give open requests STOP_TIMEOUT, then return.
        on_stop_signals(lambda: server.stop(timeout=STOP_TIMEOUT), "gevent")
        ready(server.server_port)
        server.serve_forever()
    elif async_mode == "eventlet":
        import eventlet
        import eventlet.wsgi

        interrupt_on_sigterm()  # eventlet.wsgi.server returns on KeyboardInterrupt
        sock = eventlet.listen((host, port))
        ready(sock.getsockname()[1])
        eventlet.wsgi.server(sock, app, log_output=False)
    else:
        from werkzeug.serving import make_server

        interrupt_on_sigterm()  # the caller catches KeyboardInterrupt
        httpd = make_server(host, port, app, threaded=True)
        ready(httpd.server_port)
        httpd.serve_forever()
