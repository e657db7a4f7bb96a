"""Serve the files the [branding] section names: the logo and the custom CSS."""

from __future__ import annotations

from flask import Blueprint, Flask, Response, abort, send_file

from wall.branding import BrandingSection
from wall.runtime import get_wall

bp = Blueprint("branding", __name__, url_prefix="/branding")


def _branding() -> BrandingSection:
    """Return the running wall's branding."""
    return get_wall().config.branding


@bp.get("/custom.css")
def custom_css() -> Response:
    """Serve the wall's custom CSS file, or an empty stylesheet when there is none."""
    path = _branding().custom_css
    if path is None:
        return Response("", mimetype="text/css")
    response = send_file(path, mimetype="text/css", max_age=60)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/logo<ext>")
def logo(ext: str) -> Response:
    """Serve the logo file named in the config."""
    path = _branding().logo_file
    if path is None or ext != path.suffix.lower():
        abort(404)
    response = send_file(path, max_age=300)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


def init_app(app: Flask) -> None:
    """Register the routes that serve the branding files."""
    app.register_blueprint(bp)
