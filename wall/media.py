"""Images the server made itself, served from the instance folder under /media/."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask, Response, abort, current_app, send_from_directory

log = logging.getLogger(__name__)

ONE_YEAR = 365 * 24 * 3600


def media_root(app: Flask) -> Path:
    """Return the folder whose files are served under /media/."""
    return Path(app.instance_path) / "media"


def serve(filename: str) -> Response:
    """Serve one generated or cached image with long cache headers."""
    root = media_root(current_app)
    if not filename.lower().endswith((".png", ".jpg", ".jpeg", ".webp", ".gif")):
        abort(404)
    response = send_from_directory(root, filename, max_age=ONE_YEAR)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'"
    return response


def init_app(app: Flask) -> None:
    """Create the media folder, the demo images if a demo source is configured, and the route."""
    from wall.runtime import get_wall

    root = media_root(app)
    root.mkdir(parents=True, exist_ok=True)
    if any(s.type == "demo" and s.enabled for s in get_wall(app).config.sources):
        from wall.demo_media import ensure_demo_media

        ensure_demo_media(root / "demo")
    app.add_url_rule("/media/<path:filename>", "media", serve)
