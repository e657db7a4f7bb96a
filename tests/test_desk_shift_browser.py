"""The desk for a shift of hours, in Chromium: undo in place, confirmations, tabs,
filters, status messages, swipe, the compact grid, the screens drawer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import create_engine, insert

from tests.browser import screenshot
from tests.conftest import WallServer
from tests.test_desk_browser import TIMEOUT, card, log_in, pending
from wall.config import load_config
from wall.store import schema

STATUS = '[data-toast][role="status"]'


def pending_ids(page: Any) -> list[str]:
    return page.eval_on_selector_all(
        '[data-queue="pending"] > [data-post-id]', "nodes => nodes.map(n => n.dataset.postId)")


def test_undo_puts_the_card_back_where_it_was_and_every_action_says_so(
        wall_server: WallServer, page_factory: Any) -> None:
    ids = wall_server.push(*({"author": f"Author {i}", "text": f"Post {i}"} for i in range(10)))
    page = page_factory(f"{wall_server.url}/moderate", width=1024, height=768)
    log_in(page)
    pending(page, ids[-1]).wait_for(timeout=TIMEOUT)
    pending(page, ids[4]).locator('[data-action="approve"]').click()
    pending(page, ids[4]).wait_for(state="detached", timeout=TIMEOUT)
    status = page.locator(STATUS)
    status.wait_for(state="visible", timeout=TIMEOUT)
    assert "Approved: Author 4" in status.inner_text()
    status.locator("[data-toast-action]").click()  # the message's Undo
    pending(page, ids[4]).wait_for(timeout=TIMEOUT)
    assert pending_ids(page).index(str(ids[4])) == 4
    status.wait_for(state="visible", timeout=TIMEOUT)
    assert "Decision undone" in status.inner_text()
    pending(page, ids[2]).locator('[data-action="reject"]').click()
    page.wait_for_function(
        "document.querySelector('[data-toast]').textContent.includes('Rejected: Author 2')",
        timeout=TIMEOUT)
    page.keyboard.press("u")
    pending(page, ids[2]).wait_for(timeout=TIMEOUT)
    assert pending_ids(page) == [str(i) for i in ids]
    assert not page.errors  # type: ignore[attr-defined]


def test_rejected_and_blocked_tabs_restore_and_unblock(
        wall_server: WallServer, page_factory: Any) -> None:
    ids = wall_server.push({"author": "Ok", "handle": "@ok", "text": "Nice talk"},
                           {"author": "Pest", "handle": "@pest", "text": "Buy now"})
    page = page_factory(f"{wall_server.url}/moderate", width=1024, height=768)
    log_in(page)
    pending(page, ids[0]).locator('[data-action="reject"]').click()
    pending(page, ids[0]).wait_for(state="detached", timeout=TIMEOUT)
    page.locator('[data-tab="rejected"]').click()
    rejected = page.locator(f'[data-queue="rejected"] > [data-post-id="{ids[0]}"]')
    rejected.wait_for(timeout=TIMEOUT)
    page.wait_for_function(
        "document.querySelector('[data-count=rejected]').textContent === '1'", timeout=TIMEOUT)
    rejected.locator('[data-action="approve"]').click()
    rejected.wait_for(state="detached", timeout=TIMEOUT)
    page.wait_for_function(  # the tab's total follows
        "document.querySelector('[data-count=rejected]').textContent === '0'", timeout=TIMEOUT)

    page.locator('[data-tab="pending"]').click()
    block = pending(page, ids[1]).locator('[data-action="block_author"]')
    block.click()
    page.wait_for_timeout(300)
    assert pending(page, ids[1]).count() == 1  # the first tap only asks
    block.click()
    pending(page, ids[1]).wait_for(state="detached", timeout=TIMEOUT)
    page.locator('[data-tab="blocked"]').click()
    row = page.locator('[data-block-key="webhook:pest"]')
    row.wait_for(timeout=TIMEOUT)
    assert "Mo" in row.inner_text()
    screenshot(page, "moderator-blocked-1024x768")
    row.locator('[data-action="unblock"]').click()
    row.wait_for(state="detached", timeout=TIMEOUT)
    page.wait_for_function(
        "document.querySelector('[data-toast]').textContent.includes('unblocked')",
        timeout=TIMEOUT)
    http = wall_server.session()
    assert http.get(f"{wall_server.url}/api/blocks", timeout=10).json()["blocks"] == []
    assert not page.errors  # type: ignore[attr-defined]


def test_filters_and_search_narrow_every_tab(
        wall_server: WallServer, page_factory: Any) -> None:
    ids = wall_server.push({"author": "Ana", "text": "Coffee is great"},
                           {"author": "Ben", "text": "Keynote was long"},
                           {"author": "Coffee Lover", "text": "Hello"})
    page = page_factory(f"{wall_server.url}/moderate", width=1024, height=768)
    log_in(page)
    pending(page, ids[2]).wait_for(timeout=TIMEOUT)
    page.fill('[data-filter="q"]', "coffee")
    pending(page, ids[1]).wait_for(state="hidden", timeout=TIMEOUT)
    assert pending(page, ids[0]).is_visible() and pending(page, ids[2]).is_visible()
    page.fill('[data-filter="q"]', "nothing like this")
    page.locator('[data-empty="pending"]').wait_for(state="visible", timeout=TIMEOUT)
    assert page.locator('[data-empty="pending"]').inner_text() == "Nothing matches the filter"
    page.fill('[data-filter="q"]', "")
    for post_id in ids:
        pending(page, post_id).locator('[data-action="approve"]').click()
        pending(page, post_id).wait_for(state="detached", timeout=TIMEOUT)
    http = wall_server.session()
    assert http.post(f"{wall_server.url}/api/host_messages", json={"text": "Lunch at noon"},
                     timeout=10).status_code == 201
    page.reload()
    page.wait_for_selector("body[data-desk-ready]")
    page.locator('[data-tab="shown"]').click()
    card(page, ids[0]).wait_for(timeout=TIMEOUT)
    page.select_option('[data-filter="network"]', "host")
    # Gone from the page, or hidden when a live update brought it back meanwhile.
    card(page, ids[0]).wait_for(state="hidden", timeout=TIMEOUT)
    assert page.locator('[data-queue="recent"] > [data-post-id]:not([hidden])').count() == 1
    # The total comes with the filtered answer, a moment after the cards are hidden.
    expect(page.locator('[data-count="shown"]')).to_have_text("1", timeout=TIMEOUT)
    assert not page.errors  # type: ignore[attr-defined]


def swipe(page: Any, post_id: int, dx: int) -> None:
    """Drag a card sideways with touch pointer events, as a finger does."""
    box = pending(page, post_id).bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + 60
    target = f'[data-queue="pending"] > [data-post-id="{post_id}"] .mcard__text'
    common = {"pointerId": 7, "pointerType": "touch", "isPrimary": True, "bubbles": True}
    page.dispatch_event(target, "pointerdown", {**common, "clientX": x, "clientY": y})
    for step in range(1, 6):
        page.dispatch_event(target, "pointermove",
                            {**common, "clientX": x + dx * step / 5, "clientY": y + 2})
    page.dispatch_event(target, "pointerup", {**common, "clientX": x + dx, "clientY": y + 2})


def test_swipe_right_approves_left_rejects_short_swipes_spring_back(
        wall_server: WallServer, page_factory: Any) -> None:
    ids = wall_server.push({"author": "Ana", "text": "Swipe me right"},
                           {"author": "Ben", "text": "Swipe me left"},
                           {"author": "Cy", "text": "Barely moved"})
    page = page_factory(f"{wall_server.url}/moderate", width=768, height=1024)
    log_in(page)
    pending(page, ids[2]).wait_for(timeout=TIMEOUT)
    swipe(page, ids[2], 30)  # under the threshold: nothing decided
    page.wait_for_timeout(500)
    assert pending(page, ids[2]).count() == 1
    assert pending(page, ids[2]).get_attribute("style") in (None, "")
    swipe(page, ids[0], 260)
    swipe(page, ids[1], -260)
    for post_id in ids[:2]:
        pending(page, post_id).wait_for(state="detached", timeout=TIMEOUT)
    http = wall_server.session()
    assert http.get(f"{wall_server.url}/api/desk/posts?tab=shown",
                    timeout=10).json()["posts"][0]["id"] == ids[0]
    assert http.get(f"{wall_server.url}/api/desk/posts?tab=rejected",
                    timeout=10).json()["posts"][0]["id"] == ids[1]
    assert not page.errors  # type: ignore[attr-defined]


def test_compact_grid_shows_more_cards_at_1024x768(
        wall_server: WallServer, page_factory: Any) -> None:
    ids = wall_server.push(*({"author": f"Author {i}", "text": f"Post number {i} " * 3}
                             for i in range(34)))
    page = page_factory(f"{wall_server.url}/moderate", width=1024, height=768)
    log_in(page)
    # No endless scroll: 30 cards, then "Show 4 more".
    pending(page, ids[29]).wait_for(timeout=TIMEOUT)
    assert pending(page, ids[30]).is_hidden()
    more = page.locator('[data-more="pending"]')
    assert more.inner_text() == "Show 4 more"
    # Cards wholly visible between the sticky bar and the bottom, the queue scrolled to its top.
    count = """() => {
        const bar = document.querySelector('[data-deskbar]').getBoundingClientRect().bottom;
        const first = document.querySelector('[data-queue="pending"] > .mcard');
        window.scrollBy(0, first.getBoundingClientRect().top - bar - 8);
        const top = document.querySelector('[data-deskbar]').getBoundingClientRect().bottom;
        return [...document.querySelectorAll('[data-queue="pending"] > .mcard')]
          .filter(c => { const r = c.getBoundingClientRect();
                         return r.height > 0 && r.top >= top && r.bottom <= innerHeight; }).length;
    }"""
    before = page.evaluate(count)
    screenshot(page, "moderator-grid-1024x768")
    page.locator("[data-compact-toggle]").click()
    after = page.evaluate(count)
    screenshot(page, "moderator-compact-1024x768")
    assert after > before >= 2, (before, after)
    # The bar stays on screen while cards are ticked, wherever the page is scrolled.
    pending(page, ids[0]).locator("[data-select]").check()
    page.mouse.wheel(0, 3000)
    page.wait_for_timeout(300)
    bar = page.locator("[data-selection]").bounding_box()
    assert bar is not None and 0 <= bar["y"] < 768
    more.click()
    pending(page, ids[33]).wait_for(timeout=TIMEOUT)
    assert more.is_hidden()
    page.reload()  # the choice is remembered on the tablet
    page.wait_for_selector("body.is-compact[data-desk-ready]")


def test_screens_drawer_greys_offline_screens_and_removes_them(
        wall_server: WallServer, page_factory: Any) -> None:
    engine = create_engine(load_config(wall_server.config_path).database_url)
    # Offline (unseen for hours) but younger than the day after which the store prunes screens.
    with engine.begin() as conn:
        conn.execute(insert(schema.screens).values(
            name="old-tv", screen="stats", shown=3,
            last_seen=datetime.now(UTC).replace(tzinfo=None) - timedelta(hours=2)))
    engine.dispose()
    page_factory(f"{wall_server.url}/screen/feed?name=lobby-left")
    page = page_factory(f"{wall_server.url}/moderate", width=1024, height=768)
    log_in(page)
    page.locator('[data-drawer-open="screens"]').click()
    old = page.locator('[data-screen-name="old-tv"]')
    live = page.locator('[data-screen-name="lobby-left"]')
    old.wait_for(timeout=TIMEOUT)
    live.wait_for(timeout=TIMEOUT)
    assert "is-offline" in (old.get_attribute("class") or "")
    assert float(old.evaluate("n => getComputedStyle(n).opacity")) < 0.8
    assert live.locator('[data-action="remove-screen"]').count() == 0
    assert "3 posts shown" in old.inner_text()
    screenshot(page, "moderator-screens-drawer")
    old.locator('[data-action="remove-screen"]').click()
    old.wait_for(state="detached", timeout=TIMEOUT)
    names = [s["name"] for s in wall_server.session().get(
        f"{wall_server.url}/api/screens", timeout=10).json()["screens"]]
    assert names == ["lobby-left"]
    page.keyboard.press("Escape")
    page.locator('[data-drawer="screens"]').wait_for(state="hidden", timeout=TIMEOUT)


@pytest.mark.slow  # restarts the server (or walks every tab): about 25 s
def test_live_indicator_follows_the_connection(
        wall_server: WallServer, page_factory: Any) -> None:
    page = page_factory(f"{wall_server.url}/moderate", width=1024, height=768)
    log_in(page)
    state = "document.querySelector('[data-live]').dataset.live"
    page.wait_for_function(f"{state} === 'connected'", timeout=TIMEOUT)
    assert page.locator("[data-live-text]").inner_text() == "Live"
    wall_server.stop()
    page.wait_for_function(f"{state} === 'reconnecting'", timeout=TIMEOUT)
    assert page.locator("[data-live-text]").inner_text() == "Reconnecting…"
    page.context.set_offline(True)  # the tablet itself loses its network
    page.wait_for_function(f"{state} === 'offline'", timeout=TIMEOUT)
    page.context.set_offline(False)
    wall_server.start()
    page.wait_for_function(f"{state} === 'connected'", timeout=40_000)
