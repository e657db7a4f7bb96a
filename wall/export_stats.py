"""The wall's figures after the event: a CSV of counts and a PNG of charts."""

from __future__ import annotations

import csv
import json
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import IO

from sqlalchemy import select

from wall.models import HOST_NETWORK
from wall.store import Store, schema


class ChartsMissing(Exception):
    """matplotlib is not installed."""


def figures(store: Store) -> dict[str, Counter[str]]:
    """Count approved posts by hour, network, hashtag and author (not the announcements)."""
    p = schema.posts.c
    out: dict[str, Counter[str]] = {k: Counter() for k in
                                    ("total", "hour", "network", "hashtag", "author")}
    query = select(p.received_at, p.network, p.hashtags_json, p.handle, p.author) \
        .where(p.status == "approved", p.network != HOST_NETWORK)
    with store.read() as conn:
        for at, network, tags, handle, author in conn.execute(query):
            out["total"]["approved posts"] += 1
            out["hour"][_hour(at)] += 1
            out["network"][network] += 1
            out["hashtag"].update(t.lower() for t in json.loads(tags or "[]"))
            out["author"][handle or author] += 1
    return out


def _hour(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:00Z")  # the store keeps naive UTC times


def write_csv(store: Store, out: IO[str]) -> int:
    """Write kind,key,posts rows (hours in order, the rest most first); return how many."""
    from wall.exports import _cell

    writer = csv.writer(out)
    writer.writerow(("kind", "key", "posts"))
    count = 0
    for kind, counter in figures(store).items():
        items = sorted(counter.items()) if kind == "hour" else counter.most_common()
        for key, n in items:
            writer.writerow((kind, _cell(key), n))
            count += 1
    return count


def write_png(store: Store, path: Path, title: str) -> None:
    """Draw posts per hour and per network into a PNG."""
    try:
        import matplotlib

        matplotlib.use("Agg")  # no display on a server
        import matplotlib.pyplot as plt
    except ImportError:
        raise ChartsMissing("charts need matplotlib: pip install 'socialwall[charts]'") from None
    data = figures(store)
    hours = sorted(data["hour"].items())
    networks = data["network"].most_common()
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(12, 9), layout="constrained")
    fig.suptitle(f"{title}: {data['total']['approved posts']} approved posts")
    top.bar([h[11:16] if len(hours) <= 48 else h[5:13] for h, _ in hours],
            [n for _, n in hours], color="#0a58b8")
    top.set_title("Posts per hour (UTC)")
    top.tick_params(axis="x", labelrotation=60)
    bottom.barh([n for n, _ in networks][::-1], [c for _, c in networks][::-1], color="#1f9d6b")
    bottom.set_title("Posts per network")
    fig.savefig(path, format="png", dpi=100)
    plt.close(fig)
