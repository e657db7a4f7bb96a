"""Every page loads in Chromium with the CSP and Trusted Types in force, and nothing is refused."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.conftest import PASSWORD, WallServer

EXTRA = """
[branding]
accent = "#ff6600"
font = "Atkinson Hyperlegible, sans-serif"
ticker = "Welcome to the lobby"
call_to_action = "Post with #TestDays"

[[sources]]
type = "attendees"
"""

# Set before any page script runs, so a violation during load is caught as well.
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(e.violatedDirective + " " + e.blockedURI + " " + e.sourceFile);
});
"""

PAGES = ["/", "/screen/feed", "/screen/stats", "/screen/highlights", "/screen/scenes",
         "/moderate", "/attend", "/ambassadors/join"]


@pytest.fixture
def server(wall_server_factory: Callable[..., WallServer], tmp_path: Path) -> WallServer:
    charter = tmp_path / "charter.md"
    charter.write_text("# Our charter\n\nBe kind <b>always</b>.\n", encoding="utf-8")
    return wall_server_factory(mode="pre", extra=EXTRA + f"""
[ambassadors]
enrolment = true
charter_file = "{charter}"
""")


@pytest.fixture
def watched(browser: Any) -> Iterator[Callable[[str], Any]]:
    """Open pages that record CSP violations, console errors, page errors and dialogs."""
    contexts: list[Any] = []

    def open_page(url: str) -> Any:
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        contexts.append(context)
        context.add_init_script(WATCH)
        page = context.new_page()
        page.problems = []
        page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))
        page.on("pageerror", lambda exc: page.problems.append(str(exc)))
        page.on("dialog", lambda d: (page.problems.append("dialog " + d.message), d.dismiss()))
        page.goto(url)
        return page

    yield open_page
    for context in contexts:
        context.close()


def settle_and_check(page: Any) -> None:
    """Let the page connect and render, then assert nothing was refused or failed."""
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    violations = page.evaluate("window.__violations")
    assert violations == [], violations
    assert page.problems == [], page.problems


def test_headers_name_a_strict_policy(server: WallServer) -> None:
    moderate = requests.get(f"{server.url}/moderate", timeout=10).headers
    assert "frame-ancestors 'none'" in moderate["Content-Security-Policy"]
    assert moderate["X-Frame-Options"] == "DENY"  # the moderator page is never framed
    reply = requests.get(f"{server.url}/screen/feed", timeout=10)
    csp = reply.headers["Content-Security-Policy"]
    # Screens may be framed by this server's /screen/scenes only.
    assert "default-src 'none'" in csp and "frame-ancestors 'self'" in csp
    assert reply.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "require-trusted-types-for 'script'" in csp
    assert "unsafe-inline" not in csp and "http" not in csp.replace("ws://", "")
    assert reply.headers["X-Content-Type-Options"] == "nosniff"
    assert reply.headers["Referrer-Policy"] == "no-referrer"
    assert "camera=()" in reply.headers["Permissions-Policy"]
    assert "Strict-Transport-Security" not in reply.headers  # plain HTTP: no HSTS
    for path in ("/api/posts", "/healthz", "/nope"):
        assert "Content-Security-Policy" in requests.get(f"{server.url}{path}",
                                                         timeout=10).headers


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_with_no_csp_violation(server: WallServer, watched: Any, path: str) -> None:
    page = watched(f"{server.url}{path}")
    if path == "/screen/scenes":
        page.wait_for_selector("[data-scenes] iframe")
    elif path.startswith("/screen/"):
        page.wait_for_selector("body[data-screen]")
    settle_and_check(page)


def test_moderator_page_after_login_has_no_csp_violation(server: WallServer,
                                                         watched: Any) -> None:
    server.push({"author": "Léa", "text": "Waiting for approval #TestDays"})
    page = watched(f"{server.url}/moderate")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-queue=pending] [data-post-id]")
    settle_and_check(page)


def test_brand_colours_reach_the_screen_without_inline_style(server: WallServer,
                                                              watched: Any) -> None:
    page = watched(f"{server.url}/screen/feed")
    page.wait_for_selector("body[data-screen]")
    assert page.get_attribute("body", "style") is None
    accent = page.evaluate(  # the theme's own variable, derived from the brand colour
        "getComputedStyle(document.body).getPropertyValue('--accent').trim()")
    assert accent == "#ff6600"
    settle_and_check(page)


def toml_string(value: str) -> str:
    """Quote a string for TOML (JSON's escapes are valid TOML basic-string escapes)."""
    import json

    return json.dumps(value)


@pytest.mark.slow
def test_hostile_strings_show_literally_on_screens_and_the_moderator_page(
        wall_server_factory: Callable[..., WallServer], watched: Any) -> None:
    from tests import hostile

    title = hostile.ON_SCREEN[1]
    extra = (f"\n[branding]\nticker = {toml_string(hostile.ON_SCREEN[0])}\n"
             f"call_to_action = {toml_string(hostile.ON_SCREEN[3])}\n")
    server = wall_server_factory(mode="pre", extra=extra)
    server.config_path.write_text(server.config_path.read_text().replace(
        'title = "Test Wall"', f"title = {toml_string(title)}"))
    server.stop()
    server.start()
    ids = server.push(*[{"author": s[:150], "text": s, "id": f"h{i}"}
                        for i, s in enumerate(hostile.ON_SCREEN)])
    moderator = watched(f"{server.url}/moderate")
    moderator.fill("#password", PASSWORD)
    moderator.click("button[type=submit]")
    for post_id in ids:
        moderator.wait_for_selector(f'[data-queue=pending] [data-post-id="{post_id}"]')
    seen = {"moderator": moderator.evaluate("document.body.innerText")}  # the queue, pending
    http = server.session()
    for post_id in ids:
        http.post(f"{server.url}/api/posts/{post_id}/approve", timeout=10).raise_for_status()
    feed = watched(f"{server.url}/screen/feed")
    feed.wait_for_selector(f'[data-post-id="{ids[-1]}"]')
    # Cards the layout keeps out of sight (under the QR zone) still hold their text.
    seen["feed"] = feed.evaluate("document.body.innerText + ' ' + [...document"
                                 ".querySelectorAll('[data-post-id]')].map(e => e.textContent)"
                                 ".join(' ')")
    for page, shown in ((moderator, seen["moderator"]), (feed, seen["feed"])):
        for value in hostile.ON_SCREEN:
            # innerText folds runs of spaces; compare the words a reader sees.
            assert " ".join(value.split()) in " ".join(shown.split()), value
        assert page.evaluate("document.querySelectorAll('script:not([src]):not([type])')"
                             ".length") == 0
        assert page.evaluate("document.querySelectorAll('[onerror], [onload]').length") == 0
        settle_and_check(page)
    assert title in feed.title()
    for name in ("stats", "highlights"):
        screen = watched(f"{server.url}/screen/{name}")
        screen.wait_for_selector("body[data-screen]")
        assert hostile.ON_SCREEN[0] in screen.evaluate("document.body.innerText")
        settle_and_check(screen)
