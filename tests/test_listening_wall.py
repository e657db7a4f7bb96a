"""Keywords, mentions and exclusions through a real `socialwall run`, and on the tablet."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import requests

from tests.browser import screenshot
from tests.conftest import KEEP_ALL_KINDS, WallServer, write_config
from tests.standins import HttpStandIn, Reply, WsStandIn, fixture, wait_for
from tests.test_desk_browser import TIMEOUT, log_in

BRAND_DID = "did:plc:velociabrand00000000000"


def _event(n: int, text: str, **record: Any) -> str:
    """A Jetstream commit event creating a post (the shape of tests/fixtures/bluesky)."""
    return json.dumps({
        "did": f"did:plc:author{n:020d}", "time_us": 1_764_000_000_000_000 + n,
        "kind": "commit", "commit": {
            "rev": f"3lb{n:010d}", "operation": "create", "collection": "app.bsky.feed.post",
            "rkey": f"3lbpost{n:06d}", "cid": "bafyreib2rxk3rw6",
            "record": {"$type": "app.bsky.feed.post", "text": text, "langs": ["en"],
                       "createdAt": "2026-11-22T10:00:00.000Z", **record}}})


def _listening_wall(tmp_path: Path, jetstream: WsStandIn, appview: HttpStandIn) -> WallServer:
    path = write_config(tmp_path, mode="post", moderation=KEEP_ALL_KINDS, extra=f"""
        [[sources]]
        type = "bluesky"
        jetstream_url = "{jetstream.url}/subscribe"
        appview_url = "{appview.url}"
        """)
    path.write_text(path.read_text(encoding="utf-8").replace(
        'hashtags = ["TestDays"]',
        'hashtags = ["TestDays"]\nkeywords = ["Velocia Auto", "Velocia"]\n'
        'mentions = ["bluesky:@velocia.bsky.social"]\n'
        'exclude_keywords = ["velociraptor"]'), encoding="utf-8")
    server = WallServer(path)
    server.start()
    return server


def test_keyword_and_mention_posts_show_and_excluded_ones_do_not(
        tmp_path: Path, page_factory: Any) -> None:
    jetstream, appview = WsStandIn(), HttpStandIn()
    profiles = fixture("bluesky/profiles.json")
    appview.routes["/xrpc/app.bsky.actor.getProfile"] = lambda seen: Reply(
        200, profiles.get(seen.query["actor"], {"did": seen.query["actor"],
                                                "handle": "someone.bsky.social"}))
    appview.routes["/xrpc/com.atproto.identity.resolveHandle"] = \
        lambda seen: Reply(200, {"did": BRAND_DID})
    server = _listening_wall(tmp_path, jetstream, appview)
    try:
        wait_for(lambda: jetstream.paths, timeout=30, what="the Jetstream connection")
        mention = "Thanks @velocia.bsky.social for the quick fix"
        jetstream.send(
            _event(1, "My brakes were done in 20 minutes at Velocia Lille"),
            _event(2, "Velocia velociraptor toy, great price"),
            _event(3, "Lunch with friends, nothing to see"),
            _event(4, mention, facets=[{
                "index": {"byteStart": 7, "byteEnd": 27},
                "features": [{"$type": "app.bsky.richtext.facet#mention", "did": BRAND_DID}]}]),
            _event(5, "Velociraptors at the museum"),
            _event(6, "Last one #TestDays"))
        def shown() -> list[dict[str, Any]]:
            reply = requests.get(f"{server.url}/api/posts?limit=100", timeout=5)
            return list(reply.json()["posts"])

        wait_for(lambda: len(shown()) >= 3, timeout=30, what="the posts the wall follows")
        time.sleep(0.5)  # nothing else may arrive after the last event
        posts = {p["text"]: p["matched"] for p in shown()}
        assert posts == {
            "My brakes were done in 20 minutes at Velocia Lille": ["Velocia"],
            mention: ["Velocia", "bluesky:@velocia.bsky.social"],
            "Last one #TestDays": ["#TestDays"],
        }
        everything = server.session().get(f"{server.url}/api/posts?status=rejected",
                                          timeout=5).json()["posts"]
        assert everything == []  # the excluded and unrelated posts were never stored

        page = page_factory(f"{server.url}/moderate", width=1024, height=768)
        log_in(page)
        page.locator('[data-tab="shown"]').click()  # approved posts live in the Shown tab
        found = page.locator(".mcard", has_text="Velocia Lille")
        found.wait_for(timeout=TIMEOUT)
        assert found.locator(".mcard__matched").inner_text().replace("\n", " ") \
            == "Matched: Velocia"
        screenshot(page, "moderator-matched-1024x768")
        assert not page.errors  # type: ignore[attr-defined]
    finally:
        server.stop()
        jetstream.close()
        appview.close()
