"""The desk in Chromium: the kill switch reaches the screens, the tablet at two sizes."""

from __future__ import annotations

from typing import Any

from tests.browser import screenshot
from tests.conftest import PASSWORD, WallServer

TIMEOUT = 15_000


def log_in(page: Any, name: str = "Mo") -> None:
    page.fill("#name", name)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("body[data-desk-ready]")


def card(page: Any, post_id: int) -> Any:
    return page.locator(f'[data-post-id="{post_id}"]')


def pending(page: Any, post_id: int) -> Any:
    return page.locator(f'[data-queue="pending"] > [data-post-id="{post_id}"]')


def test_kill_switch_blanks_every_screen_and_brings_it_back(
        wall_server_factory: Any, page_factory: Any) -> None:
    server: WallServer = wall_server_factory(mode="post")
    [post_id] = server.push({"author": "Léa", "text": "Visible before the kill switch"})
    feed = page_factory(f"{server.url}/screen/feed")
    highlights = page_factory(f"{server.url}/screen/highlights", width=1280, height=720)
    card(feed, post_id).wait_for(timeout=TIMEOUT)
    moderator = page_factory(f"{server.url}/moderate", width=1024, height=768)
    log_in(moderator)
    moderator.locator("[data-kill]").click()
    assert feed.locator("[data-holding]").is_hidden()  # one tap only arms the switch
    moderator.locator("[data-kill]").click()
    for screen in (feed, highlights):
        screen.locator("[data-holding]").wait_for(state="visible", timeout=TIMEOUT)
    assert feed.locator("[data-holding]").inner_text().find("Back in a moment") >= 0
    screenshot(feed, "feed-holding-slide")
    moderator.locator("[data-paused-banner]").wait_for(state="visible", timeout=TIMEOUT)
    feed.reload()  # a screen reloaded during the blackout stays blank
    feed.locator("[data-holding]").wait_for(state="visible", timeout=TIMEOUT)
    moderator.locator("[data-kill]").click()
    for screen in (feed, highlights):
        screen.locator("[data-holding]").wait_for(state="hidden", timeout=TIMEOUT)
    assert card(feed, post_id).is_visible()
    assert not feed.errors and not moderator.errors  # type: ignore[attr-defined]


def test_host_message_is_a_banner_for_the_chosen_time_and_can_be_removed(
        wall_server: WallServer, page_factory: Any) -> None:
    feed = page_factory(f"{wall_server.url}/screen/feed")
    feed.wait_for_selector("body[data-screen=feed]")
    moderator = page_factory(f"{wall_server.url}/moderate", width=1024, height=768)
    log_in(moderator)
    moderator.locator(".announce > summary").click()
    moderator.fill("#host-text", "Keynote starts at 14:00 in room A <b>now</b>")
    moderator.select_option("[data-host-duration]", str(15 * 60))
    moderator.locator("[data-host-form] button[type=submit]").click()
    # An announcement is a banner across the screen now, no longer a card.
    banner = feed.locator("[data-announcement]")
    banner.wait_for(timeout=TIMEOUT)
    assert "<b>now</b>" in banner.inner_text()
    assert 14 * 60 < float(feed.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('.announcement__time'))"
        ".getPropertyValue('--remaining'))")) <= 15 * 60
    assert feed.locator(".card.is-host").count() == 0
    screenshot(feed, "feed-host-message")
    moderator.locator(".announce > summary").click()
    moderator.locator('[data-action="dismiss-announcement"]').click()
    banner.wait_for(state="hidden", timeout=TIMEOUT)


def test_tablet_moderates_with_keys_selection_block_and_undo(
        wall_server: WallServer, page_factory: Any) -> None:
    moderator = page_factory(f"{wall_server.url}/moderate", width=1024, height=768)
    log_in(moderator, "Alice")
    other = page_factory(f"{wall_server.url}/moderate", width=768, height=1024)
    log_in(other, "Bob")
    ids = wall_server.push(
        {"author": "Camille", "handle": "@camille", "text": "First in the queue #TestDays"},
        {"author": "Spammer", "handle": "@pest", "text": "Cheap watches here",
         "media_urls": []},
        {"author": "Spammer", "handle": "@pest", "text": "Cheap watches again"},
        {"author": "Zoé", "handle": "@zoe", "text": "Bonjour à tous"},
        {"author": "Max", "handle": "@max", "text": "Great coffee"},
    )
    for post_id in ids:
        pending(moderator, post_id).wait_for(timeout=TIMEOUT)
        pending(other, post_id).wait_for(timeout=TIMEOUT)
    moderator.locator(".presence__who", has_text="Bob").wait_for(timeout=TIMEOUT)
    other.locator(".presence__who", has_text="Alice").wait_for(timeout=TIMEOUT)
    screenshot(moderator, "moderator-desk-1024x768")
    screenshot(other, "moderator-desk-768x1024")

    # Keyboard: the first card is approved with "a", and leaves Bob's tablet at once.
    moderator.keyboard.press("j")
    moderator.keyboard.press("a")
    pending(other, ids[0]).wait_for(state="detached", timeout=TIMEOUT)
    # Undo puts it back in the queue on both tablets.
    moderator.keyboard.press("u")
    pending(other, ids[0]).wait_for(timeout=TIMEOUT)

    # Block the spammer from Bob's tablet: the first tap only asks to confirm,
    # the second blocks, and both of their posts leave the queue.
    block = pending(other, ids[1]).locator('[data-action="block_author"]')
    block.click()
    assert block.inner_text() == "Tap again to block"
    other.wait_for_timeout(500)
    assert pending(moderator, ids[1]).count() == 1
    block.click()
    for post_id in ids[1:3]:
        pending(moderator, post_id).wait_for(state="detached", timeout=TIMEOUT)

    # Select two posts and approve them at once.
    for post_id in ids[3:]:
        pending(moderator, post_id).locator("[data-select]").check()
    assert moderator.locator("[data-selected-count]").inner_text() == "2 selected"
    moderator.locator('[data-bulk="approve"]').click()
    for post_id in ids[3:]:
        pending(moderator, post_id).wait_for(state="detached", timeout=TIMEOUT)
    moderator.locator('[data-tab="shown"]').click()
    for post_id in ids[3:]:
        card(moderator, post_id).wait_for(timeout=TIMEOUT)  # now in the "shown" tab

    # Every button is a comfortable touch target.
    sizes = other.eval_on_selector_all(
        ".mcard button, .desk button, .desk summary",
        "nodes => nodes.filter(n => n.offsetParent).map(n => n.getBoundingClientRect().height)")
    assert sizes and min(sizes) >= 44, sizes
    moderator.locator(".history > summary").click()
    moderator.locator(".history__item", has_text="blocked the author").wait_for(timeout=TIMEOUT)
    screenshot(moderator, "moderator-history-1024x768")
    assert not moderator.errors and not other.errors  # type: ignore[attr-defined]


def test_ambassadors_and_toxicity_show_on_screens_and_tablet(
        tmp_path: Any, page_factory: Any) -> None:
    from tests.conftest import write_config

    path = write_config(tmp_path, mode="post")
    path.write_text(path.read_text(encoding="utf-8").replace(
        'trusted_authors = ["@velocia"]',
        'trusted_authors = ["@velocia"]\nambassadors = ["@sophie"]\n'
        'toxicity = true\ntoxicity_threshold = 0.7'), encoding="utf-8")
    server = WallServer(path)
    server.start()
    try:
        feed = page_factory(f"{server.url}/screen/feed")
        stats = page_factory(f"{server.url}/screen/stats")
        moderator = page_factory(f"{server.url}/moderate", width=1024, height=768)
        log_in(moderator)
        ids = server.push(
            {"author": "Sophie", "handle": "@sophie", "text": "Proud of our team today"},
            {"author": "Troll", "handle": "@troll", "text": "you are all stupid idiots"})
        ambassador = card(feed, ids[0])
        ambassador.wait_for(timeout=TIMEOUT)
        assert ambassador.locator(".badge--ambassador").inner_text() == "Ambassador"
        stats.locator("[data-ambassadors]").wait_for(state="visible", timeout=TIMEOUT)
        # Figures count up to their new value (issue 6): wait for the end of the count.
        stats.wait_for_function(
            "document.querySelector('[data-stat=ambassadors]').textContent.trim() === '1'",
            timeout=TIMEOUT)
        held = pending(moderator, ids[1])
        held.wait_for(timeout=TIMEOUT)
        score = int(held.locator("[data-toxicity]").get_attribute("data-toxicity") or 0)
        assert score >= 70
        assert "holds from 0.70" in held.locator(".mcard__reasons").inner_text()
        screenshot(moderator, "moderator-toxicity-1024x768")
        screenshot(stats, "stats-ambassadors")
        assert card(feed, ids[1]).count() == 0
    finally:
        server.stop()


def test_a_pinned_post_stays_on_the_highlights_screen(
        wall_server_factory: Any, page_factory: Any) -> None:
    server: WallServer = wall_server_factory(mode="post")
    http = server.session()
    ids = server.push({"author": "Ana", "text": "First highlight"},
                      {"author": "Ben", "text": "Second highlight"})
    for post_id in ids:
        assert http.post(f"{server.url}/api/posts/{post_id}/highlight", timeout=10).ok
    screen = page_factory(f"{server.url}/screen/highlights", width=1280, height=720)
    moderator = page_factory(f"{server.url}/moderate", width=1024, height=768)
    log_in(moderator)
    moderator.locator('[data-tab="shown"]').click()  # approved posts live in the Shown tab
    card(moderator, ids[0]).locator('[data-action="pin"]').click()
    card(moderator, ids[0]).locator('[data-action="unpin"]').wait_for(timeout=TIMEOUT)
    shown = ".spotlight:not(.is-leaving)"
    screen.wait_for_selector(f'{shown}[data-post-id="{ids[0]}"]', timeout=TIMEOUT)
    for _ in range(8):  # 8 s, more than two turns of highlight_seconds = 3
        screen.wait_for_timeout(1000)
        assert screen.locator(shown).get_attribute("data-post-id") == str(ids[0])
    screenshot(screen, "highlights-pinned")
    card(moderator, ids[0]).locator('[data-action="unpin"]').click()
    screen.wait_for_selector(f'{shown}[data-post-id="{ids[1]}"]', timeout=TIMEOUT)
