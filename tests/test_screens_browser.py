"""The lobby screens in Chromium, as a TV shows them: sizes, options, outages, reloads."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser import screenshot
from tests.conftest import WallServer
from tests.kiosk import (
    CONTRAST_JS,
    TIMEOUT,
    card,
    connected,
    contrast,
    mark,
    reloaded,
    wait_reloaded,
)

SIZES = {"landscape": (1920, 1080), "portrait": (1080, 1920)}
POSTS = [{"author": f"Guest {i}", "handle": f"@guest{i}",
          "text": f"Great keynote, part {i} of the day #TestDays #Lobby"} for i in range(6)]


def smallest_text(page: Any, selector: str) -> float:
    """The smallest computed font size, in CSS pixels, of the elements matching selector."""
    sizes = page.eval_on_selector_all(
        selector, "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))")
    assert sizes, f"nothing matches {selector}"
    return float(min(sizes))


def fits_the_screen(page: Any) -> bool:
    """Nothing spills past the viewport's right edge."""
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


@pytest.mark.parametrize("shape", ["landscape", "portrait"])
def test_feed_fills_the_screen_with_readable_posts(wall_server_factory: Any, page_factory: Any,
                                                   shape: str) -> None:
    server: WallServer = wall_server_factory(mode="post")
    width, height = SIZES[shape]
    feed = page_factory(f"{server.url}/screen/feed?name=lobby-{shape}", width=width,
                        height=height)
    ids = server.push(*POSTS)
    card(feed, ids[-1]).wait_for(timeout=TIMEOUT)
    # Body text at least about 1/40 of the screen's height (of its width when portrait).
    assert smallest_text(feed, ".card__text") >= min(width, height) / 40
    assert fits_the_screen(feed)
    columns = feed.locator(".feed__column").count()
    assert columns == (3 if shape == "landscape" else 2)
    badge = feed.locator(".card .network").first
    assert badge.is_visible() and badge.get_attribute("title") == "Web"
    assert badge.locator(".network__icon").is_visible()
    assert feed.locator(".card__time").first.inner_text().strip() != ""
    screenshot(feed, f"feed-{width}x{height}")
    assert feed.errors == []


def test_feed_on_a_4k_tv_scales_up(wall_server_factory: Any, page_factory: Any) -> None:
    server: WallServer = wall_server_factory(mode="post")
    feed = page_factory(f"{server.url}/screen/feed", width=3840, height=2160)
    ids = server.push(*POSTS)
    card(feed, ids[-1]).wait_for(timeout=TIMEOUT)
    assert smallest_text(feed, ".card__text") >= 2160 / 40
    assert fits_the_screen(feed)
    screenshot(feed, "feed-3840x2160")


@pytest.mark.parametrize("shape", ["landscape", "portrait"])
def test_stats_move_when_posts_arrive(wall_server_factory: Any, page_factory: Any,
                                      shape: str) -> None:
    server: WallServer = wall_server_factory(mode="post")
    width, height = SIZES[shape]
    stats = page_factory(f"{server.url}/screen/stats", width=width, height=height)
    stats.locator('[data-stat="total"]').wait_for(timeout=TIMEOUT)
    server.push(*POSTS[:3])
    stats.wait_for_function(
        "document.querySelector('[data-stat=total]').textContent.replace(/\\D/g, '') === '3'",
        timeout=TIMEOUT)
    server.push(*POSTS[3:])
    stats.wait_for_function(
        "document.querySelector('[data-stat=total]').textContent.replace(/\\D/g, '') === '6'",
        timeout=TIMEOUT)
    stats.wait_for_function(
        "document.querySelectorAll('[data-list=hashtags] .rank').length >= 1", timeout=TIMEOUT)
    assert "#lobby" in stats.locator('[data-list="hashtags"]').inner_text().lower()
    assert stats.locator('[data-list="networks"] .rank').count() == 1
    # Rows that do not fit whole are not shown: every row ends inside its list.
    assert stats.evaluate("""[...document.querySelectorAll('[data-list]')].every(list =>
        [...list.children].every(row =>
          row.getBoundingClientRect().bottom <= list.getBoundingClientRect().bottom + 1))""")
    assert fits_the_screen(stats)
    screenshot(stats, f"stats-{width}x{height}")
    assert stats.errors == []


@pytest.mark.parametrize("shape", ["landscape", "portrait"])
def test_highlights_rotate_and_a_new_one_is_spotlit(wall_server_factory: Any, page_factory: Any,
                                                     shape: str) -> None:
    server: WallServer = wall_server_factory(mode="post")
    http = server.session()
    ids = server.push(*POSTS[:2])
    for post_id in ids:
        http.post(f"{server.url}/api/posts/{post_id}/highlight", timeout=10).raise_for_status()
    width, height = SIZES[shape]
    page = page_factory(f"{server.url}/screen/highlights", width=width, height=height)
    seen: set[str] = set()
    for _ in range(30):
        page.wait_for_timeout(300)
        seen.update(page.eval_on_selector_all(
            ".spotlight:not(.is-leaving)", "els => els.map(e => e.dataset.postId)"))
        if len(seen) == 2:
            break
    assert seen == {str(i) for i in ids}
    [third] = server.push({"author": "Keynote Team", "text": "Thank you all for coming!"})
    http.post(f"{server.url}/api/posts/{third}/highlight", timeout=10).raise_for_status()
    page.locator(f'.spotlight.is-spotlit[data-post-id="{third}"]').wait_for(timeout=TIMEOUT)
    text = page.locator(f'.spotlight[data-post-id="{third}"] .spotlight__text')
    assert float(text.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= height / 40
    page.wait_for_timeout(1500)
    screenshot(page, f"highlights-{width}x{height}")
    assert page.errors == []


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_main_text_meets_wcag_aa_contrast(wall_server_factory: Any, page_factory: Any,
                                          theme: str) -> None:
    server: WallServer = wall_server_factory(mode="post")
    [post_id] = server.push({"author": "Camille", "handle": "@camille",
                             "text": "Contrast check #TestDays"})
    server.session().post(f"{server.url}/api/posts/{post_id}/highlight",
                          timeout=10).raise_for_status()
    ratios: dict[str, float] = {}
    pages = {"feed": [".masthead__title", ".masthead__screen", ".card__author", ".card__text",
                      ".card__handle", ".card__time", ".card__text .token", ".card__star"],
             "stats": [".tile__label", ".tile__title", ".figure", ".rank__label",
                       ".rank__count", ".tile__hint"],
             "highlights": [".spotlight__text", ".spotlight__author", ".spotlight__badge",
                            ".spotlight__handle"]}
    for screen, selectors in pages.items():
        page = page_factory(f"{server.url}/screen/{screen}?theme={theme}")
        page.wait_for_selector(".card, .rank, .spotlight" if screen != "stats" else ".rank",
                               timeout=TIMEOUT)
        page.wait_for_timeout(1200)  # entrance animations finish
        screenshot(page, f"{screen}-{theme}")
        for selector in selectors:
            colours = page.evaluate(CONTRAST_JS, selector)
            assert colours is not None, f"{selector} not on the {screen} screen"
            ratios[f"{screen} {selector}"] = contrast(colours["fg"], colours["bg"])
    print(f"\ncontrast ratios ({theme}):")
    for name, ratio in sorted(ratios.items(), key=lambda item: item[1]):
        print(f"  {ratio:5.2f}  {name}")
    low = {name: round(ratio, 2) for name, ratio in ratios.items() if ratio < 4.5}
    assert low == {}


def test_url_options_are_clamped_in_the_page(wall_server_factory: Any,
                                             page_factory: Any) -> None:
    server: WallServer = wall_server_factory(mode="post")
    feed = page_factory(f"{server.url}/screen/feed?theme=neon&columns=99&speed=nan"
                        "&name=%3Cscript%3Ex%3C/script%3E")
    body = feed.locator("body")
    assert body.get_attribute("data-theme") == "dark"
    assert body.get_attribute("data-columns") == "8"
    assert body.get_attribute("data-speed") == "1.0"
    assert body.get_attribute("data-name") == "script-x-script"
    assert feed.locator(".feed__column").count() == 8
    light = page_factory(f"{server.url}/screen/feed?theme=light&columns=2&speed=0.01")
    assert light.locator("body").get_attribute("data-speed") == "0.25"
    assert light.locator(".feed__column").count() == 2
    background = light.evaluate("getComputedStyle(document.body).getPropertyValue('--bg')")
    assert background.strip() == "#eef2f8"


def test_feed_limited_to_some_networks(kiosk_server: Any, page_factory: Any) -> None:
    server: WallServer = kiosk_server(extra="""
        [[sources]]
        type = "demo"
        rate = 20
        backlog = 40
        """)
    feed = page_factory(f"{server.url}/screen/feed?networks=mastodon,bluesky")
    everything = page_factory(f"{server.url}/screen/feed")
    feed.wait_for_function("document.querySelectorAll('.card').length >= 4", timeout=TIMEOUT)
    everything.wait_for_function("document.querySelectorAll('.card').length >= 8",
                                 timeout=TIMEOUT)
    shown = set(feed.eval_on_selector_all(".card .network",
                                          "els => els.map(e => e.dataset.network)"))
    assert shown and shown <= {"mastodon", "bluesky"}
    others = set(everything.eval_on_selector_all(".card .network",
                                                 "els => els.map(e => e.dataset.network)"))
    assert others - {"mastodon", "bluesky"}, "the unfiltered feed shows other networks"
    screenshot(feed, "feed-networks")


def test_quiet_feed_recycles_older_posts(kiosk_server: Any, page_factory: Any) -> None:
    server: WallServer = kiosk_server(screens="recycle_seconds = 1")
    feed = page_factory(f"{server.url}/screen/feed?columns=1")
    ids = server.push(*POSTS[:4])
    card(feed, ids[-1]).wait_for(timeout=TIMEOUT)
    # The oldest post comes back to the top of the column; the card count stays the same.
    feed.wait_for_function(
        f"""(() => {{ const c = document.querySelector('[data-post-id="{ids[0]}"]');
            return c && c.dataset.recycled && c.parentElement.firstElementChild === c; }})()""",
        timeout=TIMEOUT)
    assert feed.locator(".card").count() == 4


def test_branding_from_config(kiosk_server: Any, page_factory: Any, tmp_path: Any) -> None:
    from PIL import Image

    Image.new("RGB", (160, 40), (255, 85, 0)).save(tmp_path / "logo.png")
    (tmp_path / "wall.css").write_text(".masthead__title { text-transform: uppercase; }",
                                       encoding="utf-8")
    server: WallServer = kiosk_server(extra=f"""
        [branding]
        logo = "{tmp_path / 'logo.png'}"
        accent = "#ff7a1a"
        font = "DejaVu Serif, serif"
        custom_css = "{tmp_path / 'wall.css'}"
        ticker = "Keynote replay at 14:00 in Hall B"
        call_to_action = "Post with #TestDays"
        clock = false
        """)
    page = page_factory(f"{server.url}/screen/feed")
    page.wait_for_function("document.querySelector('.masthead__logo').naturalWidth === 160",
                           timeout=TIMEOUT)
    style = page.evaluate("""(() => { const b = getComputedStyle(document.body);
        const t = getComputedStyle(document.querySelector('.masthead__title'));
        return {accent: b.getPropertyValue('--accent').trim(), font: b.fontFamily,
                transform: t.textTransform}; })()""")
    assert style["accent"] == "#ff7a1a"
    assert style["font"].replace('"', "").startswith("DejaVu Serif, serif")
    assert style["transform"] == "uppercase"
    assert page.locator("[data-clock]").count() == 0
    assert page.locator(".ticker__cta").inner_text() == "Post with #TestDays"
    assert "Keynote replay" in page.locator(".ticker__text").first.inner_text()
    screenshot(page, "feed-branded")


def test_reduced_motion_stops_the_ticker(kiosk_server: Any, browser: Any) -> None:
    server: WallServer = kiosk_server(extra="""
        [branding]
        ticker = "A long ticker line that would scroll"
        """)
    context = browser.new_context(viewport={"width": 1920, "height": 1080},
                                  reduced_motion="reduce")
    try:
        page = context.new_page()
        page.goto(f"{server.url}/screen/feed")
        animation = page.eval_on_selector(".ticker__track",
                                          "e => getComputedStyle(e).animationName")
        assert animation == "none"
        hidden = page.eval_on_selector_all(".ticker__text",
                                           "els => els.map(e => e.offsetParent === null)")
        assert hidden == [False, True]
    finally:
        context.close()


def test_outage_keeps_posts_then_catches_up_without_gaps(kiosk_server: Any,
                                                         page_factory: Any) -> None:
    server: WallServer = kiosk_server(screens="stale_seconds = 10")
    kept, rejected = server.push({"author": "A", "text": "stays through the outage"},
                                 {"author": "B", "text": "rejected while the screen is away"})
    feed = page_factory(f"{server.url}/screen/feed")
    card(feed, rejected).wait_for(timeout=TIMEOUT)
    mark(feed)
    feed.context.set_offline(True)
    server.stop()
    server.start()
    server.session().post(f"{server.url}/api/posts/{rejected}/reject",
                          timeout=10).raise_for_status()
    [added] = server.push({"author": "C", "text": "posted while the screen was away"})
    # The screen keeps its last posts, says it is reconnecting, then since when.
    feed.locator("[data-reconnecting]").wait_for(timeout=TIMEOUT)
    feed.locator("[data-stale]").wait_for(timeout=20_000)
    assert card(feed, kept).count() == 1 and card(feed, rejected).count() == 1
    screenshot(feed, "feed-stale")
    feed.context.set_offline(False)
    card(feed, added).wait_for(timeout=30_000)
    card(feed, rejected).wait_for(state="detached", timeout=TIMEOUT)
    ids = feed.eval_on_selector_all("[data-post-id]", "els => els.map(e => e.dataset.postId)")
    assert sorted(ids) == sorted([str(kept), str(added)])
    assert not reloaded(feed), "caught up by sequence number, not by reloading"
    feed.locator("[data-reconnecting]").wait_for(state="hidden", timeout=TIMEOUT)
    assert feed.locator("body.is-stale").count() == 0


def test_screens_reload_when_the_server_version_changes(kiosk_server: Any, page_factory: Any,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOCIALWALL_BUILD", "build-one")
    server: WallServer = kiosk_server()
    feed = page_factory(f"{server.url}/screen/feed")
    assert feed.locator("body").get_attribute("data-version").endswith("+build-one")
    connected(feed)
    mark(feed)
    server.stop()
    monkeypatch.setenv("SOCIALWALL_BUILD", "build-two")
    server.start()
    wait_reloaded(feed, timeout=40)
    assert feed.locator("body").get_attribute("data-version").endswith("+build-two")
    mark(feed)
    feed.wait_for_timeout(3000)  # and it stays: no reload loop
    assert not reloaded(feed)


def test_moderator_sees_screens_and_reloads_one_or_all(wall_server: WallServer,
                                                       page_factory: Any) -> None:
    left = page_factory(f"{wall_server.url}/screen/feed?name=lobby-left")
    right = page_factory(f"{wall_server.url}/screen/stats?name=lobby-right")
    for page in (left, right):
        connected(page)
        mark(page)
    moderator = page_factory(f"{wall_server.url}/moderate", width=1024, height=768)
    moderator.fill('input[name="password"]', "correct horse battery staple")
    moderator.locator('button[type="submit"], input[type="submit"]').first.click()
    # The drawer button is in the HTML before the module scripts that open it have run:
    # the desk marks the body ready once they have (they run in document order).
    moderator.wait_for_selector("body[data-desk-ready]", timeout=TIMEOUT)
    moderator.locator('[data-drawer-open="screens"]').click()
    row = moderator.locator('[data-screen-name="lobby-left"]')
    row.wait_for(timeout=TIMEOUT)
    moderator.locator('[data-screen-name="lobby-right"]').wait_for(timeout=TIMEOUT)
    assert "Live feed" in row.inner_text() and "posts shown" in row.inner_text()
    assert "Statistics" in moderator.locator('[data-screen-name="lobby-right"]').inner_text()
    screenshot(moderator, "moderator-screens")
    row.locator("button").click()
    wait_reloaded(left)
    right.wait_for_timeout(1500)
    assert not reloaded(right)
    mark(left)
    moderator.locator("[data-reload-all]").click()
    for page in (left, right):
        wait_reloaded(page)
