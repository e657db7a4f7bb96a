"""Images the server made itself: fetched, checked, re-encoded, cached, served under /media/."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # kept import-light: wall.config imports wall.media.settings before patching
    from flask import Flask


def init_app(app: Flask) -> None:
    """Set up the media folder, the /media/ route, the image workers and the generated images."""
    from wall.media import serve, web, worker

    serve.init_app(app)
    worker.init_app(app)
    web.init_app(app)
