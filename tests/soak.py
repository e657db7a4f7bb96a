"""Helpers of the soak tests: fake payloads as docs/protocol.md describes them, and CDP figures."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import requests

from tests.conftest import TOKEN, WallServer

BATCH = 50


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


def photo(n: int) -> list[dict[str, Any]]:
    """A post's media list with one picture (every third post), as the media pipeline gives it."""
    if n % 3:
        return []
    url = f"/media/soak/{n % 6}.png"
    return [{"url": url, "alt": "", "fallback": url, "full": url, "full_fallback": url,
             "width": 800, "height": 600}]


def png(colour: tuple[int, int, int]) -> bytes:
    """A small PNG of one colour with a lighter band, for the soak's pictures."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (800, 600), colour)
    band = (min(255, colour[0] + 80), min(255, colour[1] + 80), min(255, colour[2] + 80))
    ImageDraw.Draw(image).rectangle((0, 380, 800, 460), fill=band)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
