"""Kiosk server side: branding config, URL options, screens list and reload, figures, version."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import requests
import socketio
from PIL import Image

from tests.conftest import WallServer, make_post
from wall import stats
from wall.config import ConfigError, parse_config
from wall.models import Decision
from wall.store import Store
from wall.version import build_version, code_digest
from wall.web.screens import clamp_options


def problems_of(data: dict[str, Any], base: Path | None = None) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_config(data, base=base)
    return caught.value.problems


def test_branding_is_read_from_config(tmp_path: Path) -> None:
    (tmp_path / "wall.css").write_text(".masthead { outline: 0 }", encoding="utf-8")
    Image.new("RGB", (8, 8), (200, 30, 30)).save(tmp_path / "logo.png")
    config = parse_config({
        "branding": {"logo": "logo.png", "accent": "#ff5500", "text": "#fff",
                     "font": "Atkinson Hyperlegible, sans-serif", "custom_css": "wall.css",
                     "ticker": "Keynote at 14:00", "clock": False,
                     "call_to_action": "Post with #VelociaDays"},
        "screens": {"recycle_seconds": 0, "stale_seconds": 30},
    }, base=tmp_path)
    brand = config.branding
    assert brand.logo_url == "/branding/logo.png"
    assert brand.colours == {"accent": "#ff5500", "text": "#fff"}
    assert brand.custom_css == (tmp_path / "wall.css").resolve()
    assert (brand.ticker, brand.clock) == ("Keynote at 14:00", False)
    assert config.screens.recycle_seconds == 0 and config.screens.stale_seconds == 30
    assert parse_config({"branding": {"logo": "/static/brand/logo.svg"}}).branding.logo_url \
        == "/static/brand/logo.svg"


@pytest.mark.parametrize(
    ("branding", "expected"),
    [
        ({"accent": "orange"}, 'branding.accent: must be a colour like "#0a58b8" (got "orange")'),
        ({"font": "x; } body { display: none"}, "branding.font: must be a font list"),
        ({"logo": "https://cdn.example.com/logo.png"}, "branding.logo: must be served by the wall"),
        ({"logo": "missing.png"}, "branding.logo: file"),
        ({"logo": "/static/../secret.png"}, "branding.logo: must be a plain path"),
        ({"custom_css": "theme.txt"}, "branding.custom_css: must end with one of .css"),
        ({"clock": "yes"}, "branding.clock: must be true or false"),
        ({"colour": "#fff"}, "branding.colour: unknown key; allowed here:"),
    ],
)
def test_bad_branding_is_reported_with_its_key(branding: dict[str, Any], expected: str,
                                               tmp_path: Path) -> None:
    problems = problems_of({"branding": branding}, base=tmp_path)
    assert any(p.startswith(expected) for p in problems), problems


def test_screens_keys_are_bounded() -> None:
    problems = problems_of({"screens": {"recycle_seconds": -1, "stale_seconds": 1}})
    assert "screens.recycle_seconds: must be from 0 to 3600 (got -1)" in problems
    assert "screens.stale_seconds: must be from 10 to 3600 (got 1)" in problems


def test_url_options_are_clamped() -> None:
    options = clamp_options({"theme": "neon", "columns": "99", "speed": "nan",
                             "name": "<b>lobby left</b>",
                             "networks": "Mastodon, bluesky,<script>,mastodon,"}, "feed")
    assert options == {"theme": "dark", "columns": 8, "speed": 1.0, "name": "b-lobby-left-b",
                       "networks": ["mastodon", "bluesky"], "layout": "columns"}
    assert clamp_options({"speed": "-3", "columns": "x"}, "stats")["speed"] == 0.25
    assert clamp_options({}, "stats")["networks"] == []


def test_branding_files_are_served(tmp_path: Path) -> None:
    from tests.conftest import write_config
    from wall import create_app
    from wall.config import load_config

    (tmp_path / "wall.css").write_text(".masthead__title { color: #ff5500 }", encoding="utf-8")
    Image.new("RGB", (8, 8), (200, 30, 30)).save(tmp_path / "logo.png")
    path = write_config(tmp_path, mode="post", async_mode="threading", extra=f"""
        [branding]
        logo = "{tmp_path / 'logo.png'}"
        custom_css = "{tmp_path / 'wall.css'}"
        ticker = "<script>alert(1)</script>"
        """)
    app = create_app(load_config(path), {"TESTING": True})
    try:
        client = app.test_client()
        with client.get("/branding/custom.css") as css:
            assert css.status_code == 200 and css.mimetype == "text/css"
            assert b"#ff5500" in css.data
        with client.get("/branding/logo.png") as logo:
            assert logo.status_code == 200 and logo.data.startswith(b"\x89PNG")
        assert client.get("/branding/logo.jpg").status_code == 404
        page = client.get("/screen/feed").get_data(as_text=True)
        assert 'src="/branding/logo.png"' in page and "/branding/custom.css" in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    finally:
        app.extensions["socialwall"].store.close()


def test_ambassadors_share_and_leaderboard(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'wall.db'}")
    store.create_all()
    try:
        ids = []
        for author, n in (("Sophie", 3), ("Marc", 1), ("Guest", 4)):
            for _ in range(n):
                # The rules mark ambassadors' posts as they are stored.
                change = store.ingest(make_post(author=author, handle=f"@{author.lower()}"),
                                      Decision("approved", ambassador=author != "Guest"))
                ids.append((author, change.post["id"]))
        figures = stats.compute(store)["ambassadors"]
        assert figures["posts"] == 4 and figures["share"] == 0.5
        assert [(a["author"], a["count"]) for a in figures["top"]] == [("Sophie", 3), ("Marc", 1)]
        assert store.get(ids[0][1])["ambassador"] is True
        assert store.get(ids[-1][1])["ambassador"] is False
    finally:
        store.close()


def test_version_changes_with_the_code_or_the_build(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "static").mkdir()
    script = tmp_path / "static" / "feed.js"
    script.write_text("let a = 1;", encoding="utf-8")
    before = code_digest(tmp_path)
    script.write_text("let a = 2;", encoding="utf-8")
    assert code_digest(tmp_path) != before
    monkeypatch.setenv("SOCIALWALL_BUILD", "2026-11-23.1")
    assert build_version().endswith("+2026-11-23.1")
    monkeypatch.setenv("SOCIALWALL_BUILD", "bad build!")
    assert build_version().endswith("+" + code_digest())


def _screen(server: WallServer, page: str, name: str) -> Any:
    client = socketio.SimpleClient()
    client.connect(server.url, transports=["websocket"])
    client.call("join_screen", {"screen": page, "name": name, "since": None}, timeout=10)
    assert client.call("heartbeat", {"screen": page, "name": name, "shown": 7},
                       timeout=10) == {"ok": True}
    return client


def _reloads(client: Any, timeout: float) -> list[Any]:
    """Return the screen_reload events received within timeout."""
    got = []
    try:
        while True:
            name, *args = client.receive(timeout=timeout)
            if name == "screen_reload":
                got.append(args[0])
    except socketio.exceptions.TimeoutError:
        return got


def test_moderators_list_screens_and_reload_one_or_all(wall_server: WallServer) -> None:
    assert requests.get(f"{wall_server.url}/api/screens", timeout=10).status_code == 401
    left = _screen(wall_server, "feed", "lobby-left")
    right = _screen(wall_server, "stats", "lobby-right")
    try:
        http = wall_server.session()
        listed = http.get(f"{wall_server.url}/api/screens", timeout=10).json()
        by_name = {s["name"]: s for s in listed["screens"]}
        assert by_name["lobby-left"]["screen"] == "feed" and by_name["lobby-left"]["shown"] == 7
        assert by_name["lobby-right"]["online"] is True
        assert requests.post(f"{wall_server.url}/api/screens/reload", json={},
                             timeout=10).status_code == 401
        bad = http.post(f"{wall_server.url}/api/screens/reload", json={"name": 3}, timeout=10)
        assert bad.status_code == 400 and "name" in bad.json()["error"]
        one = http.post(f"{wall_server.url}/api/screens/reload", json={"name": "lobby-left"},
                        timeout=10)
        assert one.json() == {"reloaded": "lobby-left"}
        assert _reloads(left, 3) == [{"version": listed["version"]}]
        assert _reloads(right, 1) == []
        http.post(f"{wall_server.url}/api/screens/reload", json={}, timeout=10)
        assert len(_reloads(left, 3)) == 1 and len(_reloads(right, 3)) == 1
    finally:
        left.disconnect()
        right.disconnect()


def test_new_screen_parts_speak_french(tmp_path: Path) -> None:
    from tests.conftest import PASSWORD, write_config
    from wall import create_app
    from wall.config import load_config

    path = write_config(tmp_path, mode="post", async_mode="threading")
    path.write_text(path.read_text(encoding="utf-8").replace('language = "en"',
                                                             'language = "fr"'),
                    encoding="utf-8")
    app = create_app(load_config(path), {"TESTING": True})
    try:
        client = app.test_client()
        stats_page = client.get("/screen/stats").get_data(as_text=True)
        assert "Part des ambassadeurs" in stats_page and "Top ambassadeurs" in stats_page
        client.post("/moderate/login", data={"password": PASSWORD})
        moderator_page = client.get("/moderate").get_data(as_text=True)
        assert "Écrans du hall" in moderator_page and "Tout recharger" in moderator_page
    finally:
        app.extensions["socialwall"].store.close()
