"""Every page loads in Chromium with the CSP and Trusted Types in force, and nothing is refused."""

from __future__ import annotations

from collections.abc import Callable, Iterator
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

PAGES = ["/", "/screen/feed", "/screen/stats", "/screen/highlights", "/moderate", "/attend"]


@pytest.fixture
def server(wall_server_factory: Callable[..., WallServer]) -> WallServer:
    return wall_server_factory(mode="pre", extra=EXTRA)


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
    reply = requests.get(f"{server.url}/screen/feed", timeout=10)
    csp = reply.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
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
    if path.startswith("/screen/"):
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
    accent = page.evaluate(
        "getComputedStyle(document.body).getPropertyValue('--brand-accent').trim()")
    assert accent == "#ff6600"
    settle_and_check(page)
