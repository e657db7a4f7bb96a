"""Soak: tens of thousands of posts reach the screens; their memory stays flat.

Posts first go through the real path (webhook, store, broadcast). The webhook
stores about a hundred posts a second on this machine, so the flood that
follows is injected into each screen's own WebSocket: Playwright routes the
page's Socket.IO connection to the real server and adds `post_added` and
`stats_updated` frames to it, which the page parses and applies exactly like
the server's (a loopback stand-in for a server under a flood the store cannot
produce in test time).

The figures come from Chromium's DevTools protocol (JS heap after a forced
garbage collection, DOM nodes, JS event listeners) and are printed. The test
asserts boundedness, never a time. SOCIALWALL_SOAK_POSTS sets the flood size.
"""

from __future__ import annotations

import json
import os
import time
from datetime import UTC, datetime
from typing import Any

import pytest
import requests

from tests.browser import ARTIFACTS
from tests.conftest import TOKEN, WallServer
from tests.kiosk import connected

FLOOD = int(os.environ.get("SOCIALWALL_SOAK_POSTS", "20000"))
REAL_POSTS = 600
BATCH = 50
CHECKPOINTS = 5
CHUNK = 500
MAX_CARDS = 12  # the test config's [screens] max_cards
SCREENS = ("feed", "stats", "highlights")
MAX_NODES = 1500  # a whole screen with its fixed number of cards, rows or slides
FIRST_SEQ = 10_000_000  # above anything the real server's log reaches in this test


def measure(cdp: Any) -> dict[str, float]:
    """Collect garbage, then read the JS heap and the DOM counters."""
    cdp.send("HeapProfiler.collectGarbage")
    heap = cdp.send("Runtime.getHeapUsage")
    dom = cdp.send("Memory.getDOMCounters")
    attached = cdp.send("Runtime.evaluate", {
        "expression": "document.getElementsByTagName('*').length", "returnByValue": True})
    return {"heap_mb": heap["usedSize"] / 2**20, "nodes": dom["nodes"],
            "listeners": dom["jsEventListeners"], "elements": attached["result"]["value"]}


def push_real(server: WallServer, count: int) -> None:
    """Send posts through the webhook, BATCH at a time (patiently: the machine is shared)."""
    for first in range(0, count, BATCH):
        posts = [{"id": f"real-{n}", "author": f"Guest {n % 40}", "handle": f"@guest{n % 40}",
                  "text": f"Real post {n} through the webhook #TestDays"}
                 for n in range(first, min(first + BATCH, count))]
        reply = requests.post(f"{server.url}/api/ingest", json={"posts": posts},
                              headers={"Authorization": f"Bearer {TOKEN}"}, timeout=120)
        assert reply.status_code == 202, reply.text


def frame(event: str, body: dict[str, Any]) -> str:
    """A Socket.IO event frame on the default namespace, as the server sends it."""
    return "42" + json.dumps([event, body])


def fake_post(n: int) -> dict[str, Any]:
    """A post payload as docs/protocol.md describes it."""
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {"id": 5_000_000 + n, "source": "soak", "network": ("mastodon", "bluesky", "x")[n % 3],
            "external_id": f"soak-{n}", "author": f"Soak Author {n % 97}",
            "handle": f"@soak{n % 97}", "text": f"Flood post {n}, long enough to wrap on a "
            f"card a few times #TestDays #Soak{n % 13}", "url": None, "created_at": now,
            "received_at": now, "avatar": None, "media": [], "hashtags": ["testdays"],
            "language": "en", "status": "approved", "highlighted": n % 50 == 0,
            "ambassador": n % 7 == 0, "reasons": []}


def fake_stats(n: int) -> dict[str, Any]:
    """A stats payload whose figures move with n."""
    return {"total": n, "authors": 97, "per_minute": n % 600, "pending": 0,
            "series": [{"t": f"2026-11-22T10:{m:02d}:00Z", "count": (n + m) % 90}
                       for m in range(60)],
            "top_hashtags": [{"tag": f"soak{(n + i) % 13}", "count": n - i} for i in range(8)],
            "top_authors": [{"author": f"Soak Author {(n + i) % 97}", "handle": "@soak",
                             "network": "x", "count": n - i} for i in range(8)],
            "networks": [{"network": "x", "count": n}, {"network": "mastodon", "count": n // 2}],
            "ambassadors": {"posts": n // 7, "share": 0.14, "top": [
                {"author": "Sophie", "handle": "@sophie", "network": "x", "count": n // 7}]}}


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_screens_memory_stays_flat_under_a_flood(kiosk_server: Any, browser: Any) -> None:
    server: WallServer = kiosk_server(screens="recycle_seconds = 1")
    sockets: dict[str, list[Any]] = {name: [] for name in SCREENS}
    pages, cdps, contexts = {}, {}, []
    try:
        for name in SCREENS:
            context = browser.new_context(viewport={"width": 1920, "height": 1080})
            contexts.append(context)
            page = context.new_page()
            page.errors = []  # type: ignore[attr-defined]
            page.on("pageerror", lambda exc, p=page: p.errors.append(str(exc)))

            def route(ws: Any, found: list[Any] = sockets[name]) -> None:
                ws.connect_to_server()  # everything still flows to and from the real server
                found.append(ws)

            page.route_web_socket("**/socket.io/**", route)
            page.goto(f"{server.url}/screen/{name}")
            connected(page)
            pages[name], cdps[name] = page, context.new_cdp_session(page)
        push_real(server, REAL_POSTS)
        pages["feed"].wait_for_function(
            "t => [...document.querySelectorAll('.card__text')]"
            ".some(e => e.textContent.includes(t))",
            arg=f"Real post {REAL_POSTS - 1} ", timeout=60_000)
        pages["feed"].wait_for_timeout(1500)
        rows = [(REAL_POSTS, {name: measure(cdp) for name, cdp in cdps.items()})]
        step = max(1, FLOOD // CHECKPOINTS)
        began = time.monotonic()
        for start in range(0, FLOOD, step):
            last = min(start + step, FLOOD) - 1
            for first in range(start, last + 1, CHUNK):
                inject(sockets, range(first, min(first + CHUNK, last + 1)))
                # Flow control: the next chunk waits until the feed shows this one, so the
                # page never falls a whole checkpoint behind. locator.wait_for keeps no
                # handle on the card (wait_for_selector would, and the card would leak).
                newest = min(first + CHUNK, last + 1) - 1
                pages["feed"].locator(f'[data-post-id="{5_000_000 + newest}"]').wait_for(
                    state="attached", timeout=120_000)
            total = last // 10 * 10
            pages["stats"].wait_for_function(
                "t => document.querySelector('[data-stat=total]').textContent"
                ".replace(/\\D/g, '') === t", arg=str(total), timeout=120_000)
            pages["feed"].wait_for_timeout(1500)  # rotation, recycling, tweens settle
            print(f"soak: {last + 1} injected, {time.monotonic() - began:.0f} s, "
                  f"connections {[len(sockets[n]) for n in SCREENS]}")
            rows.append((REAL_POSTS + last + 1,
                         {name: measure(cdp) for name, cdp in cdps.items()}))
        report(rows)
        ARTIFACTS.mkdir(exist_ok=True)
        for name, page in pages.items():
            page.screenshot(path=str(ARTIFACTS / f"soak-{name}.png"))
        assert pages["feed"].locator(".card").count() == MAX_CARDS
        assert pages["highlights"].locator(".spotlight").count() <= 2
        check_flat(rows)
        for page in pages.values():
            assert page.errors == []  # type: ignore[attr-defined]
    finally:
        for context in contexts:
            context.close()


def inject(sockets: dict[str, list[Any]], numbers: range) -> None:
    """Add post_added (and every tenth, stats_updated) frames to the screens' sockets."""
    for n in numbers:
        post = frame("post_added", {"seq": FIRST_SEQ + n, "post": fake_post(n)})
        sockets["feed"][-1].send(post)
        # The highlights screen gets every fifth post (every highlighted one among
        # them): the others only move its sequence number, and each send costs time.
        if n % 5 == 0:
            sockets["highlights"][-1].send(post)
        if n % 10 == 0:
            stats = frame("stats_updated", {"seq": FIRST_SEQ + n, "stats": fake_stats(n)})
            sockets["stats"][-1].send(stats)


def report(rows: list[tuple[int, dict[str, dict[str, float]]]]) -> None:
    """Print the figures, one line per checkpoint."""
    print(f"\nsoak: {rows[-1][0]} posts ({REAL_POSTS} through the webhook, then injected)")
    print("   posts | " + " | ".join(f"{n:>10} heap MB nodes listeners" for n in SCREENS))
    for posts, figures in rows:
        cells = [f"{figures[n]['heap_mb']:18.2f} {figures[n]['nodes']:5.0f} "
                 f"{figures[n]['listeners']:9.0f} {figures[n]['elements']:4.0f}" for n in SCREENS]
        print(f"  {posts:6d} | " + " | ".join(cells))


def check_flat(rows: list[tuple[int, dict[str, dict[str, float]]]]) -> None:
    """DOM, listeners and heap after GC stay within a bound of the first flood checkpoint.

    The first flood checkpoint is the reference: by then every list is full
    (the real posts alone fill fewer rows of the stats screen).
    """
    start = rows[1][1]
    for _posts, figures in rows[1:]:
        for name in SCREENS:
            now, before = figures[name], start[name]
            assert now["nodes"] <= MAX_NODES, (name, now)
            assert now["nodes"] <= before["nodes"] * 1.1 + 50, (name, now, before)
            assert now["listeners"] <= before["listeners"] + 20, (name, now, before)
            assert now["heap_mb"] <= before["heap_mb"] * 1.5 + 2, (name, now, before)
