"""Serve the images the server made itself from the instance folder under /media/."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask, Response, abort, current_app, send_file, send_from_directory

from wall.media.generated import initials_file

log = logging.getLogger(__name__)

ONE_YEAR = 365 * 24 * 3600
SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".gif")


def media_root(app: Flask) -> Path:
    """Return the folder whose files are served under /media/."""
    return Path(app.instance_path) / "media"


def harden(response: Response) -> Response:
    """Forbid content sniffing and any active content in a served image."""
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'"
    return response


def serve(filename: str) -> Response:
    """Serve one generated or cached image with long cache headers."""
    if not filename.lower().endswith(SUFFIXES):
        abort(404)
    response = send_from_directory(media_root(current_app), filename, max_age=ONE_YEAR)
    if filename.startswith("cache/"):
        # Cached files are named by their content's hash: they never change.
        response.headers["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
    return harden(response)


def serve_initials(key: str) -> Response:
    """Serve an author's initials avatar, drawn on first request."""
    path = initials_file(media_root(current_app) / "initials", key)
    if path is None:
        abort(404)
    response = send_file(path, mimetype="image/webp", max_age=ONE_YEAR)
    return harden(response)


def init_app(app: Flask) -> None:
    """Create the media folder, the demo images if a demo source is configured, and the route."""
    from wall.runtime import get_wall

    root = media_root(app)
    root.mkdir(parents=True, exist_ok=True)
    if any(s.type == "demo" and s.enabled for s in get_wall(app).config.sources):
        from wall.demo_media import ensure_demo_media

        ensure_demo_media(root / "demo")
    app.add_url_rule("/media/initials/<key>.webp", "media_initials", serve_initials)
    app.add_url_rule("/media/<path:filename>", "media", serve)
