"""A wall of a folder in Chromium, its CSP in force: the feed under /w/<slug>/ runs live."""

from __future__ import annotations

from typing import Any

import requests

from tests.browser import screenshot
from tests.conftest import PASSWORD
from tests.walls import WallsServer, write_wall

TIMEOUT = 15_000


def open_page(browser: Any, url: str, problems: list[str]) -> Any:
    """Open a page with the server's CSP in force, recording console errors from the start."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.goto(url)
    return page


def test_a_wall_of_a_folder_shows_its_posts_live(walls_server: WallsServer,
                                                 browser: Any) -> None:
    problems: list[str] = []
    walls_server.push("alpha", "Déjà là avant l'écran #alpha")
    feed = open_page(browser, f"{walls_server.url}/w/alpha/screen/feed", problems)
    feed.locator("[data-post-id]", has_text="Déjà là avant l'écran").wait_for(timeout=TIMEOUT)
    walls_server.push("beta", "Seulement sur beta #beta")
    walls_server.push("alpha", "Arrivé en direct sur alpha #alpha")
    feed.locator("[data-post-id]", has_text="Arrivé en direct").wait_for(timeout=TIMEOUT)
    assert feed.locator("[data-post-id]", has_text="Seulement sur beta").count() == 0
    feed.locator("body[data-offline-ready=true]").wait_for(state="attached", timeout=TIMEOUT)
    screenshot(feed, "walls-alpha-feed-1920x1080")

    index = open_page(browser, f"{walls_server.url}/", problems)
    assert index.locator('[data-wall="alpha"]').inner_text().startswith("Alpha Summit")
    assert index.locator('[data-wall="beta"] [data-screen-link="feed"]').get_attribute(
        "href") == "/w/beta/screen/feed"
    screenshot(index, "walls-index-1920x1080")
    assert problems == []
    feed.context.close()
    index.context.close()


def test_a_moderator_of_a_wall_of_a_folder_approves_from_the_tablet(
        walls_server: WallsServer, browser: Any) -> None:
    write_wall(walls_server.folder, "gamma", "Gamma Forum", mode="pre")
    walls_server.wait_for("gamma", 200)
    problems: list[str] = []
    tablet = open_page(browser, f"{walls_server.url}/w/gamma/moderate", problems)
    tablet.fill('input[name="password"]', PASSWORD)
    tablet.locator('button[type="submit"]').first.click()
    tablet.locator("body[data-csrf]").wait_for(state="attached", timeout=TIMEOUT)
    post_id = walls_server.push("gamma", "À valider sur gamma #gamma")
    pending = tablet.locator(f'[data-queue=pending] [data-post-id="{post_id}"]')
    pending.wait_for(timeout=TIMEOUT)
    pending.locator('[data-action="approve"]').click()
    pending.wait_for(state="detached", timeout=TIMEOUT)
    shown = requests.get(f"{walls_server.url}/w/gamma/api/posts?status=approved",
                         timeout=10).json()["posts"]
    assert [p["id"] for p in shown] == [post_id]
    screenshot(tablet, "walls-gamma-moderator-1920x1080")
    assert problems == []
    tablet.context.close()
