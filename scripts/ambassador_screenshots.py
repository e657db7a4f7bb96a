"""Take docs/ambassadors.md's screenshots: the demo wall with enrolment and the week's pick.

Usage: .venv/bin/python scripts/ambassador_screenshots.py [OUT_DIR]  (default: docs/screenshots)
Shoots the join form and the private page on a phone (390x844), the moderators'
Ambassadors tab on a tablet (1024x768) as an enrolment arrives live, and the
ambassador of the week on the highlights screen (1920x1080).
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
from playwright.sync_api import Page, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from screenshots import ARGS, PASSWORD, ROOT, moderate  # noqa: E402

CHARTER = """# Our social media charter

1. Speak as yourself: say you work here when you post about us.
2. Be kind, to customers and to colleagues, even when you disagree.
3. Never share internal figures, prices not yet announced or project names.
4. Ask the communications team when in doubt: com@velocia.example.
"""
EXTRA = """
[ambassadors]
enrolment = true
charter_file = "{charter}"
charter_version = "2026-11"
confidential_words = ["Project Falcon", "Q3 figures"]
"""


def start_demo(workdir: Path, extra: str, screens: str) -> tuple[subprocess.Popen[str], str]:
    """Start the demo wall with extra tables and [screens] keys; return it and its URL."""
    config = (ROOT / "config" / "demo.toml").read_text(encoding="utf-8")
    config = config.replace('host = "127.0.0.1"',
                            f'host = "127.0.0.1"\ninstance_dir = "{workdir / "instance"}"')
    config = config.replace("rate = 0.5", "rate = 4").replace("backlog = 12", "backlog = 30")
    config = config.replace("highlight_seconds = 10", f"highlight_seconds = 6\n{screens}")
    path = workdir / "demo.toml"
    path.write_text(config + extra, encoding="utf-8")
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


def enrol(url: str, name: str, team: str, handle: str) -> str:
    """Enrol someone over HTTP, as their phone would; return their private page."""
    http = requests.Session()
    form = http.get(f"{url}/ambassadors/join", timeout=10).text
    token = re.search(r'name="form_token" value="([^"]+)"', form)
    assert token
    reply = http.post(f"{url}/ambassadors/join", timeout=10, data={
        "form_token": token[1], "name": name, "team": team, "handle_any": handle,
        "accept": "yes", "consent": "yes"})
    return reply.url.split("?")[0]


def moderator(url: str) -> requests.Session:
    """Return a logged-in moderator session with its CSRF header."""
    http = requests.Session()
    page = http.post(f"{url}/moderate/login", data={"password": PASSWORD, "name": "Alice"},
                     timeout=10)
    http.headers["X-CSRF-Token"] = re.search(r'data-csrf="([^"]+)"', page.text)[1]  # type: ignore[index]
    return http


def approve(url: str, http: requests.Session, *names: str) -> None:
    """Approve the named enrolments."""
    for item in http.get(f"{url}/api/ambassadors", timeout=10).json()["enrolments"]:
        if item["name"] in names:
            http.post(f"{url}/api/ambassadors/{item['id']}/approve", timeout=10)


def highlight_photo(url: str, http: requests.Session, handle: str) -> None:
    """Wait for a post with a photo from that handle (the demo sends them in turn); highlight it."""
    for _ in range(60):
        posts = http.get(f"{url}/api/posts?status=approved&limit=200", timeout=10).json()
        photo = [p for p in posts["posts"] if p["handle"] == handle and p["media"]]
        if photo:
            http.post(f"{url}/api/posts/{photo[0]['id']}/highlight", timeout=10)
            return
        time.sleep(1)


def phone_join(page: Page, url: str) -> None:
    """Fill the join form as Sophie would, without sending it."""
    page.goto(f"{url}/ambassadors/join")
    page.fill("#name", "Sophie Laurent")
    page.fill("#team", "Customer service, Lyon")
    page.fill("#handle_any", "@sophie_velocia")
    page.locator("#handle_any").blur()


def main() -> None:
    """Run the demo wall with enrolment on and shoot the four pictures."""
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        charter = Path(tmp) / "charter.md"
        charter.write_text(CHARTER, encoding="utf-8")
        extra = EXTRA.format(charter=charter)
        proc, url = start_demo(Path(tmp), extra=extra,
                               screens="ambassador_of_the_week = true")
        try:
            time.sleep(12)
            moderate(url)
            http = moderator(url)
            sophie = enrol(url, "Sophie Laurent", "Customer service, Lyon", "@sophie_velocia")
            enrol(url, "Marc Petit", "Workshop", "@marc_atelier")
            approve(url, http, "Sophie Laurent", "Marc Petit")
            highlight_photo(url, http, "@sophie_velocia")
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
                phone = browser.new_page(viewport={"width": 390, "height": 844})
                phone_join(phone, url)
                phone.screenshot(path=str(out / "ambassadors-join.png"))
                phone.goto(sophie)
                phone.wait_for_timeout(500)
                phone.screenshot(path=str(out / "ambassadors-private.png"))
                tablet = browser.new_page(viewport={"width": 1024, "height": 768})
                tablet.goto(f"{url}/moderate")
                tablet.fill("#name", "Alice")
                tablet.fill("#password", PASSWORD)
                tablet.click("button[type=submit]")
                tablet.wait_for_selector("body[data-desk-ready]")
                tablet.click('[data-tab="ambassadors"]')
                tablet.wait_for_selector("[data-enrolment-id]")
                enrol(url, "Jeanne Dupont", "Workshop, Lyon", "@jeanne.dupont")
                tablet.wait_for_selector("[data-enrolment-id].is-new")
                tablet.wait_for_timeout(300)
                tablet.screenshot(path=str(out / "ambassadors-desk.png"))
                screen = browser.new_page(viewport={"width": 1920, "height": 1080})
                screen.goto(f"{url}/screen/highlights")
                screen.wait_for_selector(
                    '[data-slide="ambassador-of-the-week"]:not(.is-leaving)', timeout=90_000)
                screen.wait_for_timeout(1500)
                screen.screenshot(path=str(out / "ambassadors-week.png"))
                browser.close()
        finally:
            proc.terminate()
            proc.wait(10)


if __name__ == "__main__":
    main()
