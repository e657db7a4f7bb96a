"""Take the README's screenshots: run the demo wall, moderate a little, shoot every screen.

Usage: .venv/bin/python scripts/screenshots.py [OUT_DIR]   (default: docs/screenshots)
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
from PIL import Image
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "screenshots"
# (screen, URL options, viewport, file name): each screen, both themes, portrait.
SHOTS = [
    ("feed", "", (1920, 1080), "feed"),
    ("stats", "", (1920, 1080), "stats"),
    ("highlights", "", (1920, 1080), "highlights"),
    ("feed", "?theme=light", (1920, 1080), "feed-light"),
    ("stats", "?theme=light", (1920, 1080), "stats-light"),
    ("highlights", "?theme=light", (1920, 1080), "highlights-light"),
    ("feed", "?networks=mastodon,bluesky", (1080, 1920), "feed-portrait"),
    ("stats", "", (1080, 1920), "stats-portrait"),
    ("highlights", "", (1080, 1920), "highlights-portrait"),
]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]


def start_demo(workdir: Path) -> tuple[subprocess.Popen[str], str]:
    """Start the demo wall on a fresh instance folder and return it with its URL."""
    config = (ROOT / "config" / "demo.toml").read_text(encoding="utf-8")
    config = config.replace('host = "127.0.0.1"',
                            f'host = "127.0.0.1"\ninstance_dir = "{workdir / "instance"}"')
    config = config.replace("rate = 0.5", "rate = 4").replace("backlog = 12", "backlog = 30")
    path = workdir / "demo.toml"
    path.write_text(config, encoding="utf-8")
    env = dict(os.environ, SOCIALWALL_MODERATOR_PASSWORD=PASSWORD, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, "-m", "wall.cli", "run", "--config", str(path),
                             "--port", "0", "--log-level", "WARNING"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        match = re.search(r"Listening on (http://\S+)", line)
        if match:
            return proc, match.group(1)
    raise SystemExit("the demo did not start")


def moderate(url: str) -> None:
    """Approve some pending posts and highlight a few with photos."""
    http = requests.Session()
    page = http.post(f"{url}/moderate/login", data={"password": PASSWORD}, timeout=10)
    http.headers["X-CSRF-Token"] = re.search(r'data-csrf="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    pending = http.get(f"{url}/api/posts?status=pending&limit=20", timeout=10).json()["posts"]
    for post in pending[:12]:
        http.post(f"{url}/api/posts/{post['id']}/approve", timeout=10)
    approved = http.get(f"{url}/api/posts?status=approved&limit=60", timeout=10).json()["posts"]
    for post in [p for p in approved if p["media"]][:3]:
        http.post(f"{url}/api/posts/{post['id']}/highlight", timeout=10)


def main() -> None:
    """Shoot feed, stats, highlights and the moderator page, then a composite for the README."""
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        proc, url = start_demo(Path(tmp))
        try:
            time.sleep(12)
            moderate(url)
            time.sleep(3)
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
                for name, query, size, shot in SHOTS:
                    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
                    page.goto(f"{url}/screen/{name}{query}")
                    page.wait_for_timeout(4000)
                    page.screenshot(path=str(out / f"{shot}.png"))
                    page.close()
                page = browser.new_page(viewport={"width": 1024, "height": 768})
                page.goto(f"{url}/moderate")
                page.fill("input[name=password]", PASSWORD)
                page.keyboard.press("Enter")
                page.wait_for_timeout(2500)
                page.screenshot(path=str(out / "moderator.png"))
                browser.close()
        finally:
            proc.terminate()
            proc.wait(10)
    compose(out)


def compose(out: Path) -> None:
    """Put the three lobby screens side by side, as on the lobby wall."""
    shots = [Image.open(out / f"{n}.png").convert("RGB") for n in ("feed", "stats", "highlights")]
    width, height, gap = 960, 540, 24
    sheet = Image.new("RGB", (3 * width + 4 * gap, height + 2 * gap), (12, 16, 28))
    for i, shot in enumerate(shots):
        sheet.paste(shot.resize((width, height), Image.LANCZOS), (gap + i * (width + gap), gap))
    sheet.save(out.parent / "screens.png", optimize=True)


if __name__ == "__main__":
    main()
