"""The sources panel on the moderator page and the attendee form, in Chromium."""

from __future__ import annotations

from typing import Any

from tests.browser import screenshot
from tests.conftest import KEEP_ALL_KINDS
from tests.standins import HttpStandIn, Reply, fixture, wait_for
from tests.test_browser import log_in


def test_moderator_sees_each_source_health(wall_server_factory: Any, page_factory: Any) -> None:
    good, bad = HttpStandIn(), HttpStandIn()
    try:
        good.routes["/feed.xml"] = lambda seen: Reply(
            200, fixture("rss/blog.xml"), {"Content-Type": "application/rss+xml"})
        bad.routes["/feed.xml"] = lambda seen: Reply(
            500, "<b>boom</b><img src=x onerror=alert(1)>", {"Content-Type": "text/html"})
        server = wall_server_factory(extra=f"""
            [[sources]]
            type = "rss"
            name = "blog"
            url = "{good.url}/feed.xml"

            [[sources]]
            type = "rss"
            name = "press"
            url = "{bad.url}/feed.xml"
            """)
        wait_for(lambda: len(bad.seen) >= 3, timeout=40, what="three failures of the press feed")
        page = page_factory(f"{server.url}/moderate", width=1280, height=800)
        log_in(page)
        page.click("[data-sources-panel] summary")
        page.wait_for_selector('[data-source="press"][data-state="down"]')
        blog = page.locator('[data-source="blog"]')
        assert blog.get_attribute("data-state") == "ok"
        assert "last post" in blog.inner_text()
        press = page.locator('[data-source="press"]').inner_text()
        assert "HTTP 500" in press
        assert page.locator("[data-sources-overall]").inner_text() == "1 needs attention"
        screenshot(page, "moderator-sources-panel")
        assert page.dialogs == [] and page.errors == []
    finally:
        good.close()
        bad.close()


def test_attendee_form_on_a_phone(wall_server_factory: Any, page_factory: Any) -> None:
    server = wall_server_factory(extra="""
        [[sources]]
        type = "attendees"
        """)
    page = page_factory(f"{server.url}/attend", width=390, height=844)
    screenshot(page, "attend-form-phone")
    page.fill("#name", "Camille <script>")
    page.fill("#text", "Quel beau stand ! #TestDays")
    page.click("button[type=submit]")
    page.wait_for_selector("[data-attend-sent]")
    screenshot(page, "attend-sent-phone")
    moderator = server.session()
    pending = moderator.get(f"{server.url}/api/posts?status=pending", timeout=5).json()["posts"]
    assert [p["author"] for p in pending] == ["Camille <script>"]


def test_a_post_deleted_on_bluesky_leaves_the_feed(wall_server_factory: Any,
                                                    page_factory: Any) -> None:
    from tests.standins import WsStandIn
    from tests.test_source_bluesky import events

    appview, jetstream = HttpStandIn(), WsStandIn()
    try:
        profiles = fixture("bluesky/profiles.json")
        appview.routes["/xrpc/app.bsky.actor.getProfile"] = \
            lambda seen: Reply(200, profiles[seen.query["actor"]])
        server = wall_server_factory(mode="post", moderation=KEEP_ALL_KINDS, extra=f"""
            [[sources]]
            type = "bluesky"
            jetstream_url = "{jetstream.url}/subscribe"
            appview_url = "{appview.url}"
            """)
        feed = page_factory(f"{server.url}/screen/feed")
        wait_for(lambda: jetstream.paths, what="the Jetstream connection")
        jetstream.send(*events("jetstream.jsonl"))
        first = feed.get_by_text("Premier jour au salon")
        first.wait_for(timeout=15_000)
        feed.get_by_text("En réponse").wait_for(timeout=15_000)
        screenshot(feed, "feed-bluesky-before-deletion")
        jetstream.send(*events("jetstream_deletes.jsonl"))
        first.wait_for(state="detached", timeout=15_000)
        assert feed.get_by_text("En réponse").is_visible()
        assert feed.dialogs == [] and feed.errors == []
    finally:
        appview.close()
        jetstream.close()
