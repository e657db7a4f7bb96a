"""The lobby screens, the landing page and the health check."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    render_template,
    request,
)

from wall.config import WallConfig
from wall.i18n import labels
from wall.lobby import hours_json
from wall.models import NETWORKS
from wall.runtime import get_wall
from wall.stats_period import PERIODS

bp = Blueprint("screens", __name__)

SCREENS = ("feed", "stats", "highlights")
THEMES = ("dark", "light")
LAYOUTS = ("columns", "mosaic", "carousel")
ATTENDEE = "attendee"  # the network of posts sent from the attendees' form
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
    options = {"theme": theme if theme in THEMES else "dark", "columns": columns,
               "speed": speed, "name": name,
               "networks": clamp_networks(args.get("networks", "")),
               "layout": layout if layout in LAYOUTS else "columns"}
    if args.get("period", "") in PERIODS:  # the stats screen's; else [screens] stats_period
        options["period"] = args["period"]
    return options


def wall_context() -> dict[str, Any]:
    """Return what every page shows of the wall's config."""
    config = get_wall().config
    return {
        "title": config.wall.title,
        "language": config.wall.language,
        "timezone": config.screens.timezone,
        "hashtags": list(config.wall.hashtags),
        "highlight_seconds": config.screens.highlight_seconds,
        "max_cards": config.screens.max_cards,
        "recycle_seconds": config.screens.recycle_seconds,
        "stale_seconds": config.screens.stale_seconds,
        "auto_highlights": config.screens.auto_highlights,
        "pin_minutes": config.screens.pin_minutes,
        "holding_text": config.screens.holding_text,
        "lobby": {"hours": hours_json(config.screens.hours),
                  "outside_hours": config.screens.outside_hours,
                  "night_text": config.screens.night_text,
                  "burn_in_shift": config.screens.burn_in_shift},
        "branding": config.branding,
        "stats_period": config.screens.stats_period,
        "networks": followed_networks(config),
    }


def followed_networks(config: WallConfig) -> list[str]:
    """Return the networks of the enabled sources, in config order (the stats list them)."""
    found = [ATTENDEE if c.type == "attendees" else c.type for c in config.sources
             if c.enabled and (c.type in NETWORKS or c.type == "attendees") and c.type != "demo"]
    return list(dict.fromkeys(found))


@bp.get("/")
def index() -> str:
    """List every screen and the moderator page."""
    words = labels(get_wall().config.wall.language)
    root = request.script_root  # "/w/<slug>" for a wall of a folder
    screens = [{"name": s, "url": f"{root}/screen/{s}", "label": words.get(s, s)}
               for s in SCREENS]
    return render_template("index.html", wall=wall_context(), labels=words, screens=screens)


def clamp_scenes(args: Mapping[str, str]) -> dict[str, Any]:
    """Read ?show=feed,stats,highlights,slides&seconds=30: known scenes only, bounded time."""
    show: list[str] = []
    for part in args.get("show", "").lower().split(","):
        if part.strip() in (*SCREENS, "slides") and part.strip() not in show:
            show.append(part.strip())
    try:
        seconds = max(5, min(3600, int(args.get("seconds", "30"))))
    except ValueError:
        seconds = 30
    return {"show": show or list(SCREENS), "seconds": seconds}


def scenes() -> str:
    """Render the page that cycles one TV through several screens (and slides)."""
    wall = get_wall()
    options = clamp_options(request.args, "scenes")
    passed = {k: v for k, v in options.items()
              if k in ("theme", "speed", "layout", "columns", "period")}
    passed["networks"] = ",".join(options["networks"])
    root = request.script_root  # "/w/<slug>" for a wall of a folder
    urls = {s: f"{root}/screen/{s}?" + urlencode({**passed, "name": f"{options['name']}-{s}"})
            for s in SCREENS}
    return render_template("screen_scenes.html", wall=wall_context(),
                           labels=labels(wall.config.wall.language), screen="scenes",
                           options=options, scenes=clamp_scenes(request.args), urls=urls,
                           slides=wall.config.screens.slides, version=wall.version)


@bp.get("/screen/sw.js")
def service_worker() -> Response:
    """Serve the screens' service worker from /screen/, so its scope covers every screen."""
    response = current_app.send_static_file("js/screen-sw.js")
    response.headers["Cache-Control"] = "no-cache"
    response.mimetype = "text/javascript"
    return response


@bp.get("/screen/<name>")
def screen(name: str) -> str:
    """Render one lobby screen; its options come from the URL, clamped."""
    if name == "scenes":
        return scenes()
    if name not in SCREENS:
        abort(404)
    wall = get_wall()
    return render_template(f"screen_{name}.html", wall=wall_context(),
                           labels=labels(wall.config.wall.language), screen=name,
                           options=clamp_options(request.args, name), version=wall.version)


def init_app(app: Flask) -> None:
    """Register the screens blueprint."""
    app.register_blueprint(bp)
