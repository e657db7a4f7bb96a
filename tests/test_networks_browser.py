"""The new networks on the feed in Chromium, through a real `socialwall run` and stand-ins."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser import screenshot
from tests.conftest import PASSWORD
from tests.standins import HttpStandIn, Reply, fixture
from tests.standins_networks import GoogleStandIn, LiveChat, stand_in

__all__ = ["stand_in"]
TIMEOUT = 20_000


@pytest.mark.slow  # a real server, two sources and Chromium: about 30 s
def test_review_card_shows_its_stars_and_live_chat_reaches_the_feed(
        wall_server_factory: Any, page_factory: Any, stand_in: HttpStandIn,
        monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {"G_ID": "id", "G_SECRET": "secret", "G_REFRESH": "refresh-me",
                        "YT_KEY": "key"}.items():
        monkeypatch.setenv(name, value)
    GoogleStandIn(stand_in)
    stand_in.routes["/youtube/v3/videos"] = lambda seen: Reply(
        200, fixture("youtube/videos_live.json"))
    stand_in.routes["/youtube/v3/liveChat/messages"] = LiveChat(
        [fixture("youtube/chat_p1.json")], interval_ms=1000)
    server = wall_server_factory(mode="post", moderation="min_rating = 3\n", extra=f"""
        [[sources]]
        type = "google_reviews"
        name = "reviews"
        account_id = "111222333444"
        location_ids = ["17303088970776446827"]
        client_id_env = "G_ID"
        client_secret_env = "G_SECRET"
        refresh_token_env = "G_REFRESH"
        api_url = "{stand_in.url}/v4"
        info_url = "{stand_in.url}/v1"
        token_url = "{stand_in.url}/token"

        [[sources]]
        type = "youtube"
        name = "live"
        key_env = "YT_KEY"
        api_url = "{stand_in.url}/youtube/v3"
        video_id = "jfKfPfyJRdk"
        """)
    feed = page_factory(f"{server.url}/screen/feed?networks=google_reviews,youtube")
    review = feed.locator('.card[data-rating="5"]')
    review.wait_for(timeout=TIMEOUT)
    stars = review.locator(".rating__star.is-on")
    assert stars.count() == 5 and review.locator(".rating__star").count() == 5
    assert "Velocia Auto Lille Centre" in review.inner_text()
    assert "Hélène Marchand" in review.inner_text()
    assert review.locator('.network[data-network="google_reviews"]').inner_text().strip() \
        .lower() == "google"
    chat = feed.locator(".card", has_text="Bonjour from Lille!")
    chat.wait_for(timeout=TIMEOUT)
    assert chat.locator('.network[data-network="youtube"] svg').count() == 1
    assert chat.get_attribute("data-rating") is None
    # The two-star review waits for a moderator (min_rating = 3): never on the feed.
    assert feed.locator('.card[data-rating="2"]').count() == 0
    screenshot(feed, "feed-review-and-live-chat")
    assert feed.errors == []
    # The moderator sees the held review with its stars and the rule's reason.
    moderator = page_factory(f"{server.url}/moderate", width=1024, height=768)
    moderator.fill('input[name="password"]', PASSWORD)
    moderator.locator('button[type="submit"], input[type="submit"]').first.click()
    held = moderator.locator(".mcard", has_text="Long wait, nobody at the desk.")
    held.wait_for(timeout=TIMEOUT)
    assert held.locator('.rating[data-rating="2"] .rating__star.is-on').count() == 2
    assert "review rated 2/5, below min_rating 3" in held.inner_text()
    # The sources panel shows each source's quota.
    live = moderator.locator('[data-source="live"] .sources__detail')
    live.wait_for(state="attached", timeout=TIMEOUT)
    assert "units today" in (live.text_content() or "")
    screenshot(moderator, "moderator-held-review")
    assert moderator.errors == []
