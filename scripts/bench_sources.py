"""Measure how fast each source turns recorded payloads into posts (prints, never asserts).

Run: .venv/bin/python scripts/bench_sources.py
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.standins import fixture  # noqa: E402
from tests.test_source_bluesky import events  # noqa: E402
from wall.sources import bluesky, mastodon, x  # noqa: E402
from wall.sources.bluesky_stream import BlueskySource  # noqa: E402


def rate(label: str, count: int, work: Callable[[], object]) -> None:
    """Run work() count times and print items per second."""
    start = time.perf_counter()
    for _ in range(count):
        work()
    elapsed = time.perf_counter() - start
    sys.stdout.write(f"{label:<48} {count / elapsed:>12,.0f} /s\n")


def main() -> None:
    """Print the figures."""
    statuses = fixture("mastodon/tag_page1.json")
    rate("mastodon to_post (Status with HTML, nh3)", 20_000,
         lambda: mastodon.to_post(statuses[0], source="m"))
    page = fixture("x/search_page1.json")
    rate("x to_post (tweet + includes)", 20_000,
         lambda: x.to_post(page["data"][0], page["includes"], source="x"))
    post_event = events("jetstream.jsonl")[1]
    rate("bluesky to_post (Jetstream commit)", 20_000,
         lambda: bluesky.to_post(post_event, None, source="b"))
    source = BlueskySource("b", bluesky.BlueskyOptions())
    source.profiles.put(post_event["did"], bluesky.Profile("alice.bsky.social"))
    other = json.dumps(events("jetstream.jsonl")[2])  # a post without the wall's hashtag
    like = json.dumps(events("jetstream.jsonl")[0])
    rate("jetstream filter: non-matching post message", 50_000,
         lambda: source.handle(other, {"testdays"}))
    rate("jetstream filter: like message (other collection)", 50_000,
         lambda: source.handle(like, {"testdays"}))


if __name__ == "__main__":
    main()
