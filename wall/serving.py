"""Production serving: the access log and the proxy headers nginx sends."""

from __future__ import annotations

import logging
import time

from flask import Flask, Response, g, request
from werkzeug.middleware.proxy_fix import ProxyFix

from wall.config import ServerSection

access = logging.getLogger("wall.access")


def init_app(app: Flask, server: ServerSection) -> None:
    """Add /healthz and /metrics; trust `proxies` proxies' X-Forwarded-*; log requests."""
    from wall.web import health

    health.init_app(app)
    if server.proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=server.proxies,  # type: ignore[method-assign]
                                x_proto=server.proxies, x_host=server.proxies,
                                x_port=server.proxies)
    if not server.access_log:
        return

    @app.before_request
    def _started() -> None:
        g.access_started = time.perf_counter()

    @app.after_request
    def _log(response: Response) -> Response:
        took = (time.perf_counter() - g.get("access_started", time.perf_counter())) * 1000
        access.info("%s %s %s %.1fms %s", request.method, request.full_path.rstrip("?"),
                    response.status_code, took, request.remote_addr,
                    extra={"method": request.method, "path": request.path,
                           "status": response.status_code, "duration_ms": round(took, 1),
                           "remote": request.remote_addr})
        return response
