"""The lobby screens, the landing page and the health check."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from flask import Blueprint, Flask, Response, abort, jsonify, render_template, request

from wall.i18n import labels
from wall.runtime import get_wall

bp = Blueprint("screens", __name__)

SCREENS = ("feed", "stats", "highlights")
THEMES = ("dark", "light")
LAYOUTS = ("columns", "mosaic", "carousel")
_NAME = re.compile(r"[^A-Za-z0-9_.-]+")
_NETWORK = re.compile(r"[a-z0-9_-]{1,30}")
MAX_NETWORKS = 10


def clamp_networks(raw: str) -> list[str]:
    """Read ?networks=a,b: known-looking names only, lower case, no duplicates."""
    out: list[str] = []
    for part in raw.lower().split(","):
        part = part.strip()
        if _NETWORK.fullmatch(part) and part not in out:
            out.append(part)
    return out[:MAX_NETWORKS]


def clamp_options(args: Mapping[str, str], screen: str) -> dict[str, Any]:
    """Read the URL options of a screen, keeping only allowed values."""
    theme = args.get("theme", "dark")
    try:
        columns = max(0, min(8, int(args.get("columns", "0"))))
    except ValueError:
        columns = 0
    try:
        speed = float(args.get("speed", "1"))
    except ValueError:
        speed = 1.0
    if speed != speed:  # NaN: min() and max() would let it through as 4.0
        speed = 1.0
    speed = max(0.25, min(4.0, speed))
    name = _NAME.sub("-", args.get("name", "")).strip("-")[:40] or screen
    layout = args.get("layout", "columns")
    return {"theme": theme if theme in THEMES else "dark", "columns": columns,
            "speed": speed, "name": name, "networks": clamp_networks(args.get("networks", "")),
            "layout": layout if layout in LAYOUTS else "columns"}


def wall_context() -> dict[str, Any]:
    """Return what every page shows of the wall's config."""
    config = get_wall().config
    return {
        "title": config.wall.title,
        "language": config.wall.language,
        "hashtags": list(config.wall.hashtags),
        "highlight_seconds": config.screens.highlight_seconds,
        "max_cards": config.screens.max_cards,
        "recycle_seconds": config.screens.recycle_seconds,
        "stale_seconds": config.screens.stale_seconds,
        "auto_highlights": config.screens.auto_highlights,
        "pin_minutes": config.screens.pin_minutes,
        "branding": config.branding,
    }


@bp.get("/")
def index() -> str:
    """List every screen and the moderator page."""
    words = labels(get_wall().config.wall.language)
    screens = [{"name": s, "url": f"/screen/{s}", "label": words.get(s, s)} for s in SCREENS]
    return render_template("index.html", wall=wall_context(), labels=words, screens=screens)


@bp.get("/screen/<name>")
def screen(name: str) -> str:
    """Render one lobby screen; its options come from the URL, clamped."""
    if name not in SCREENS:
        abort(404)
    wall = get_wall()
    return render_template(f"screen_{name}.html", wall=wall_context(),
                           labels=labels(wall.config.wall.language), screen=name,
                           options=clamp_options(request.args, name), version=wall.version)


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    """Report whether the database answers and what the sources are doing."""
    wall = get_wall()
    database = wall.store.ping()
    sources = [{"name": c.name, "type": c.type, "enabled": c.enabled}
               for c in wall.config.sources]
    for entry in sources:
        runner = next((r for r in wall.runners if r.source.name == entry["name"]), None)
        if runner is not None:
            entry.update(runner.health.as_dict())
        else:
            entry["state"] = "passive" if entry["enabled"] else "disabled"
    body = {"status": "ok" if database else "degraded", "version": wall.version,
            "database": "ok" if database else "down",
            "seq": wall.store.last_seq() if database else None, "sources": sources}
    return jsonify(body), 200 if database else 503


def init_app(app: Flask) -> None:
    """Register the screens blueprint."""
    app.register_blueprint(bp)
