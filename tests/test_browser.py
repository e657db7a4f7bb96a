"""Every screen in Chromium: posts arrive, moderators decide, hostile text stays text."""

from __future__ import annotations

from typing import Any

from tests.browser import screenshot
from tests.conftest import PASSWORD, WallServer

TIMEOUT = 15_000


def card(page: Any, post_id: int) -> Any:
    return page.locator(f'[data-post-id="{post_id}"]')


def log_in(page: Any) -> None:
    page.fill('input[name="password"]', PASSWORD)
    page.locator('button[type="submit"], input[type="submit"]').first.click()
    page.wait_for_selector("body[data-csrf]")


def test_feed_shows_new_posts_live(wall_server_factory: Any, page_factory: Any) -> None:
    server: WallServer = wall_server_factory(mode="post")
    [old] = server.push({"author": "Early Bird", "text": "Before the screen opened #TestDays"})
    feed = page_factory(f"{server.url}/screen/feed")
    card(feed, old).wait_for(timeout=TIMEOUT)
    [new] = server.push({"author": "Camille Martin", "handle": "@camille",
                         "text": "The EV charging demo is brilliant #TestDays"})
    card(feed, new).wait_for(timeout=TIMEOUT)
    assert "The EV charging demo is brilliant" in card(feed, new).inner_text()
    assert "Camille Martin" in card(feed, new).inner_text()
    screenshot(feed, "feed-1920x1080")
    assert feed.errors == []


def test_feed_keeps_a_fixed_number_of_cards(wall_server_factory: Any,
                                            page_factory: Any) -> None:
    server: WallServer = wall_server_factory(mode="post")
    feed = page_factory(f"{server.url}/screen/feed")
    feed.wait_for_selector("body[data-screen=feed]")
    ids = server.push(*[{"author": f"A{i}", "text": f"post {i}"} for i in range(20)])
    card(feed, ids[-1]).wait_for(timeout=TIMEOUT)
    feed.wait_for_function("document.querySelectorAll('[data-post-id]').length <= 12",
                           timeout=TIMEOUT)
    assert card(feed, ids[0]).count() == 0


def test_moderator_approves_and_the_feed_shows_it(wall_server: WallServer,
                                                  page_factory: Any) -> None:
    feed = page_factory(f"{wall_server.url}/screen/feed")
    feed.wait_for_selector("body[data-screen=feed]")
    moderator = page_factory(f"{wall_server.url}/moderate", width=1024, height=768)
    log_in(moderator)
    [post_id] = wall_server.push({"author": "Léa", "text": "Waiting for approval #TestDays"})
    pending = card(moderator, post_id)
    pending.wait_for(timeout=TIMEOUT)
    screenshot(moderator, "moderator-1024x768")
    assert card(feed, post_id).count() == 0
    pending.locator('[data-action="approve"]').click()
    card(feed, post_id).wait_for(timeout=TIMEOUT)
    moderator.wait_for_function(
        f"!document.querySelector('[data-queue=pending] [data-post-id=\"{post_id}\"]')",
        timeout=TIMEOUT)


def test_rejecting_removes_a_post_from_the_feed(wall_server_factory: Any,
                                                page_factory: Any) -> None:
    server: WallServer = wall_server_factory(mode="post")
    feed = page_factory(f"{server.url}/screen/feed")
    [post_id] = server.push({"author": "Oops", "text": "shown then removed"})
    card(feed, post_id).wait_for(timeout=TIMEOUT)
    server.session().post(f"{server.url}/api/posts/{post_id}/reject",
                          timeout=10).raise_for_status()
    card(feed, post_id).wait_for(state="detached", timeout=TIMEOUT)


def test_hostile_text_is_shown_literally(wall_server_factory: Any, page_factory: Any) -> None:
    server: WallServer = wall_server_factory(mode="post")
    hostile = '<img src=x onerror=alert(1)> <script>alert(2)</script> <b>bold</b>'
    feed = page_factory(f"{server.url}/screen/feed")
    [post_id] = server.push({"author": '<svg onload=alert(3)>', "text": hostile,
                             "url": "javascript:alert(4)"})
    card(feed, post_id).wait_for(timeout=TIMEOUT)
    text = card(feed, post_id).inner_text()
    assert "<img src=x onerror=alert(1)>" in text and "<svg onload=alert(3)>" in text
    # The only SVG allowed is the network's own icon, drawn by the page.
    assert card(feed, post_id).locator("img[src=x], script, b, svg:not(.network__icon)"
                                       ).count() == 0
    assert card(feed, post_id).locator('a[href^="javascript"]').count() == 0
    server.session().post(f"{server.url}/api/posts/{post_id}/highlight",
                          timeout=10).raise_for_status()
    highlights = page_factory(f"{server.url}/screen/highlights")
    card(highlights, post_id).wait_for(timeout=TIMEOUT)
    assert "<script>alert(2)</script>" in card(highlights, post_id).inner_text()
    feed.wait_for_timeout(500)
    assert feed.dialogs == [] and highlights.dialogs == []


def test_stats_screen_counts_posts(wall_server_factory: Any, page_factory: Any) -> None:
    server: WallServer = wall_server_factory(mode="post")
    stats = page_factory(f"{server.url}/screen/stats")
    total = stats.locator('[data-stat="total"]')
    total.wait_for(timeout=TIMEOUT)
    server.push(*[{"author": f"Author {i % 3}", "text": f"#TestDays #Lobby post {i}"}
                  for i in range(5)])
    stats.wait_for_function(
        "document.querySelector('[data-stat=total]').textContent.replace(/\\D/g, '') === '5'",
        timeout=TIMEOUT)
    stats.wait_for_function(
        "document.querySelector('[data-stat=authors]').textContent.replace(/\\D/g, '') === '3'",
        timeout=TIMEOUT)
    assert stats.locator('[data-stat="per-minute"]').count() == 1
    assert "testdays" in stats.locator("body").inner_text().lower()
    screenshot(stats, "stats-1920x1080")


def test_highlights_rotate(wall_server_factory: Any, page_factory: Any) -> None:
    server: WallServer = wall_server_factory(mode="post")
    ids = server.push({"author": "One", "text": "first highlight"},
                      {"author": "Two", "text": "second highlight"})
    http = server.session()
    for post_id in ids:
        http.post(f"{server.url}/api/posts/{post_id}/highlight", timeout=10).raise_for_status()
    page = page_factory(f"{server.url}/screen/highlights")
    seen: set[str] = set()
    for _ in range(20):
        page.wait_for_timeout(500)
        seen.update(page.eval_on_selector_all(
            "[data-post-id]", "els => els.filter(e => e.offsetParent !== null)"
            ".map(e => e.dataset.postId)"))
        if len(seen) == 2:
            break
    assert seen == {str(i) for i in ids}
    screenshot(page, "highlights-1920x1080")


def test_screen_comes_back_after_a_server_restart(wall_server_factory: Any,
                                                  page_factory: Any) -> None:
    server: WallServer = wall_server_factory(mode="post")
    [first] = server.push({"author": "A", "text": "before the restart"})
    feed = page_factory(f"{server.url}/screen/feed")
    card(feed, first).wait_for(timeout=TIMEOUT)
    server.stop()
    server.start()
    [second] = server.push({"author": "B", "text": "after the restart"})
    card(feed, second).wait_for(timeout=30_000)
    assert feed.locator("[data-post-id]").count() == 2


def test_a_decision_leaves_every_other_moderator_tablet(wall_server: WallServer,
                                                        page_factory: Any) -> None:
    tablets = [page_factory(f"{wall_server.url}/moderate", width=768, height=1024)
               for _ in range(2)]
    for tablet in tablets:
        log_in(tablet)
    [post_id] = wall_server.push({"author": "Léa", "text": "Two tablets, one decision"})
    for tablet in tablets:
        card(tablet, post_id).wait_for(timeout=TIMEOUT)
    card(tablets[0], post_id).locator('[data-action="reject"]').click()
    tablets[1].locator(f'[data-queue=pending] [data-post-id="{post_id}"]').wait_for(
        state="detached", timeout=TIMEOUT)
    screenshot(tablets[1], "moderator-768x1024")
