"""Take the docs' screenshots: run demo walls, moderate a little, shoot every screen and slide.

Usage: .venv/bin/python scripts/screenshots.py [OUT_DIR]   (default: docs/screenshots)

Four demo walls run one after the other on fresh instance folders: the live one
(layouts, themes, scenes, the announcement banner, the holding slide, the
moderator desk, the attendees' form), one before [wall] starts_at (countdown),
one outside [screens] hours (night) and one after [wall] ends_at (thanks).
The stats screen and the ambassadors' pages are shot by their own scripts.
"""

from __future__ import annotations

import io
import logging
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import requests
from PIL import Image, ImageDraw
from playwright.sync_api import Browser, FilePayload, Page, sync_playwright
from playwright.sync_api import Error as PlaywrightError

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "screenshots"
TOKEN = "screenshots-token"
TZ = "Europe/Paris"
MAX_BYTES = 500_000
HD, UHD, PORTRAIT = (1920, 1080), (3840, 2160), (1080, 1920)
# (URL, viewport, file name) on the live demo wall.
SCREENS = [
    ("/screen/feed", HD, "feed"),
    ("/screen/feed?layout=mosaic", HD, "feed-mosaic"),
    ("/screen/feed?layout=carousel", HD, "feed-carousel"),
    ("/screen/feed?theme=light", HD, "feed-light"),
    ("/screen/feed?layout=mosaic&theme=light", HD, "feed-mosaic-light"),
    ("/screen/feed", UHD, "feed-4k"),
    ("/screen/feed?networks=mastodon,bluesky", PORTRAIT, "feed-portrait"),
    ("/screen/highlights", HD, "highlights"),
    ("/screen/highlights?theme=light", HD, "highlights-light"),
    ("/screen/highlights", PORTRAIT, "highlights-portrait"),
    ("/screen/stats", HD, "stats"),
    ("/screen/stats?theme=light", HD, "stats-light"),
    ("/screen/stats", PORTRAIT, "stats-portrait"),
    ("/screen/stats?period=today", HD, "stats-today"),
    ("/screen/scenes?show=feed,stats,highlights&seconds=30", HD, "scenes"),
]
# Bypassing the CSP lets Playwright poll this (the screens themselves are unchanged).
SETTLED = """() => [...document.querySelectorAll('.card, .spotlight, .mcard')]
  .every((node) => node.getAnimations().every((a) => a.playState !== 'running'))"""
TABLET = {"landscape": (1024, 768), "portrait": (768, 1024)}
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
log = logging.getLogger("screenshots")


@contextmanager
def demo(workdir: Path, wall: str = "", screens: str = "") -> Iterator[str]:
    """Run the demo wall with extra [wall] and [screens] keys; yield its URL."""
    workdir.mkdir(parents=True, exist_ok=True)
    config = (ROOT / "config" / "demo.toml").read_text(encoding="utf-8")
    config = config.replace('host = "127.0.0.1"',
                            f'host = "127.0.0.1"\ninstance_dir = "{workdir / "instance"}"')
    config = config.replace("backlog = 12", "backlog = 40")
    config = config.replace('language = "en"', f'language = "en"\n{wall}')
    config = config.replace("highlight_seconds = 10", f"highlight_seconds = 10\n{screens}")
    config += '\n[[sources]]\ntype = "attendees"\nphotos = true\n'
    path = workdir / "demo.toml"
    path.write_text(config, encoding="utf-8")
    env = dict(os.environ, SOCIALWALL_MODERATOR_PASSWORD=PASSWORD,
               SOCIALWALL_WEBHOOK_TOKEN=TOKEN, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, "-m", "wall.cli", "run", "--config", str(path),
                             "--port", "0", "--log-level", "WARNING"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            match = re.search(r"Listening on (http://\S+)", line)
            if match:
                break
        else:
            raise SystemExit(f"the demo did not start: see {path}")
        yield match.group(1)
    finally:
        proc.terminate()
        proc.wait(10)


def session(url: str) -> requests.Session:
    """A logged-in moderator's HTTP session with its CSRF header."""
    http = requests.Session()
    page = http.post(f"{url}/moderate/login", data={"password": PASSWORD}, timeout=10)
    found = re.search(r'data-csrf="([^"]+)"', page.text)
    assert found, "no CSRF token on the moderator page"
    http.headers["X-CSRF-Token"] = found.group(1)
    return http


def moderate(http: requests.Session, url: str) -> None:
    """Approve, highlight, reject and block a little, as a moderator's first minutes."""
    pending = http.get(f"{url}/api/posts?status=pending&limit=40", timeout=10).json()["posts"]
    for post in pending[:12]:
        http.post(f"{url}/api/posts/{post['id']}/approve", timeout=10)
    for post in pending[12:16]:
        http.post(f"{url}/api/posts/{post['id']}/reject", timeout=10)
    for post in pending[16:18]:
        http.post(f"{url}/api/posts/{post['id']}/block_author", timeout=10)
    approved = http.get(f"{url}/api/posts?status=approved&limit=60", timeout=10).json()["posts"]
    for post in [p for p in approved if p["media"]][:3]:
        http.post(f"{url}/api/posts/{post['id']}/highlight", timeout=10)


def settle(page: Page) -> None:
    """Wait until no card or slide is halfway through its entrance (best effort)."""
    try:
        page.wait_for_function(SETTLED, timeout=5000)
    except PlaywrightError:
        log.warning("%s: still animating", page.url)


def smaller(data: bytes) -> bytes:
    """A PNG over MAX_BYTES reduced to a 256-colour palette (invisible on these flat screens)."""
    if len(data) <= MAX_BYTES:
        return data
    image = Image.open(io.BytesIO(data)).convert("RGB")
    image = image.quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def save(page: Page, path: Path) -> None:
    """Screenshot a page once nothing is entering, and store it small."""
    settle(page)
    data = smaller(page.screenshot())
    path.write_bytes(data)
    log.info("%s: %d KB", path.name, len(data) // 1024)


def open_page(browser: Browser, url: str, size: tuple[int, int], **options: Any) -> Page:
    """A page in a context of its own (its own service worker and storage)."""
    context = browser.new_context(viewport={"width": size[0], "height": size[1]},
                                  device_scale_factor=1, timezone_id=TZ, bypass_csp=True,
                                  **options)
    page = context.new_page()
    page.goto(url)
    return page


def shoot(browser: Browser, url: str, size: tuple[int, int], path: Path, wait: int = 4000,
          **options: Any) -> None:
    """Open a URL at a size, let it settle, save it, close it."""
    page = open_page(browser, url, size, **options)
    page.wait_for_timeout(wait)
    save(page, path)
    page.context.close()


def live_wall(browser: Browser, url: str, out: Path) -> None:
    """Every layout, theme and scene, the banner, the holding slide, the desk and the form."""
    http = session(url)
    moderate(http, url)
    time.sleep(3)
    for path, size, name in SCREENS:
        shoot(browser, url + path, size, out / f"{name}.png")
    http.post(f"{url}/api/host_messages", timeout=10, json={
        "text": "The keynote starts at 14:00 in Hall B: doors open at 13:45", "duration": 600})
    shoot(browser, f"{url}/screen/feed", HD, out / "announcement.png")
    shoot(browser, f"{url}/screen/highlights?theme=light", HD, out / "announcement-highlights.png")
    http.post(f"{url}/api/announcement/dismiss", timeout=10)
    http.post(f"{url}/api/wall/pause", timeout=10)
    shoot(browser, f"{url}/screen/feed", HD, out / "slide-holding.png")
    http.post(f"{url}/api/wall/resume", timeout=10)
    desk(browser, url, out)
    attend(browser, url, out)


def desk(browser: Browser, url: str, out: Path) -> None:
    """The moderator desk on a tablet, both orientations: three tabs and the screens drawer."""
    for orientation, size in TABLET.items():
        page = open_page(browser, f"{url}/moderate", size, has_touch=True)
        page.fill("input[name=password]", PASSWORD)
        page.keyboard.press("Enter")
        page.wait_for_timeout(2500)
        for tab in ("pending", "rejected", "blocked"):
            page.click(f'[data-tab="{tab}"]')
            page.wait_for_timeout(1200)
            save(page, out / f"desk-{tab}-{orientation}.png")
        page.click('[data-tab="pending"]')
        page.click('[data-drawer-open="screens"]')
        page.wait_for_timeout(800)
        save(page, out / f"desk-drawer-{orientation}.png")
        page.context.close()


def attend(browser: Browser, url: str, out: Path) -> None:
    """The attendees' form on a phone, a message typed and a photo chosen."""
    picture = Image.new("RGB", (1200, 900), (36, 92, 160))
    draw = ImageDraw.Draw(picture)
    draw.rectangle((0, 620, 1200, 900), fill=(52, 140, 84))
    draw.ellipse((820, 120, 1020, 320), fill=(250, 204, 80))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=85)
    page = open_page(browser, f"{url}/attend", (390, 844), has_touch=True, is_mobile=True)
    page.fill("#name", "Camille")
    page.fill("#text", "Just test-drove the new Velocia EV in the car park: silent and quick! "
                       "#VelociaDays")
    chosen: FilePayload = {"name": "car-park.jpg", "mimeType": "image/jpeg",
                           "buffer": buffer.getvalue()}
    page.set_input_files("[data-photo-input]", files=[chosen])
    page.wait_for_timeout(1000)
    save(page, out / "attend-phone.png")
    page.context.close()


def main() -> None:
    """Shoot the four demo walls, then the composite at the top of the README."""
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    local = datetime.now(ZoneInfo(TZ))
    opens = (local + timedelta(hours=2)).strftime("%H")  # open one hour, later today or tomorrow
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        with demo(Path(tmp, "live")) as url:
            time.sleep(12)
            live_wall(browser, url, out)
        starts = (datetime.now(UTC) + timedelta(days=2, hours=5)).isoformat(timespec="seconds")
        with demo(Path(tmp, "before"), wall=f'starts_at = "{starts}"') as url:
            shoot(browser, f"{url}/screen/feed", HD, out / "slide-countdown.png", wait=6000)
        night = (f'hours = ["mon-sun {opens}:00-{opens}:59"]\noutside_hours = "night"\n'
                 'night_text = "Open again at 7:30: see you tomorrow"')
        with demo(Path(tmp, "night"), screens=night) as url:
            shoot(browser, f"{url}/screen/feed", HD, out / "slide-night.png", wait=6000)
        # A minute of wall (a loaded machine may take half of it to start), then the end.
        now = datetime.now(UTC)
        ends = (now + timedelta(seconds=60)).isoformat(timespec="seconds")
        begun = (now - timedelta(days=1)).isoformat(timespec="seconds")
        with demo(Path(tmp, "after"), wall=f'starts_at = "{begun}"\nends_at = "{ends}"') as url:
            approve_all(url)
            time.sleep(max(0.0, 63 - (datetime.now(UTC) - now).total_seconds()))
            shoot(browser, f"{url}/screen/feed", HD, out / "slide-thanks.png", wait=6000)
        browser.close()
    compose(out)


def approve_all(url: str) -> None:
    """Approve what waits, so the thank-you slide has figures to show."""
    time.sleep(8)
    http = session(url)
    for post in http.get(f"{url}/api/posts?status=pending&limit=40", timeout=10).json()["posts"]:
        http.post(f"{url}/api/posts/{post['id']}/approve", timeout=10)


def compose(out: Path) -> None:
    """Put three lobby screens side by side, as on the lobby wall, for the README's top."""
    names = ("feed", "stats", "highlights")
    shots = [Image.open(out / f"{n}.png").convert("RGB")
             for n in names if (out / f"{n}.png").exists()]
    width, height, gap = 960, 540, 24
    sheet = Image.new("RGB", (len(shots) * width + (len(shots) + 1) * gap, height + 2 * gap),
                      (12, 16, 28))
    for i, shot in enumerate(shots):
        sheet.paste(shot.resize((width, height), Image.Resampling.LANCZOS),
                    (gap + i * (width + gap), gap))
    buffer = io.BytesIO()
    sheet.save(buffer, "PNG", optimize=True)
    (out.parent / "screens.png").write_bytes(smaller(buffer.getvalue()))


if __name__ == "__main__":
    main()
