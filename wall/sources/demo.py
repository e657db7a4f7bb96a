"""The built-in demo: a written dataset replayed at a steady rate, forever, offline."""

from __future__ import annotations

import logging
import random
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from wall.configreader import Reader
from wall.models import Media, Post, utcnow
from wall.sources.base import Checkpoint, Runtime, parser

log = logging.getLogger(__name__)

MEDIA_URL = "/media/demo/"


@dataclass(frozen=True)
class DemoOptions:
    """Options of a type = "demo" source."""

    rate: float = 0.5
    backlog: int = 12
    shuffle: bool = False


def parse_options(r: Reader) -> DemoOptions:
    """Read the demo source's options."""
    return DemoOptions(
        rate=r.number("rate", 0.5, low=0.01, high=50),
        backlog=r.integer("backlog", 12, low=0, high=200),
        shuffle=r.boolean("shuffle", False),
    )


@parser
def to_post(raw: Mapping[str, Any], authors: Mapping[str, Mapping[str, str]], *,
            source: str, external_id: str) -> Post:
    """Turn one dataset entry into a Post, with paths to the generated images."""
    from wall.demo_media import avatar_path, scene_path

    handle = str(raw["author"])
    author = authors.get(handle, {})
    media: tuple[Media, ...] = ()
    if raw.get("photo"):
        media = (Media(MEDIA_URL + scene_path(str(raw["photo"])), str(raw.get("alt") or "")),)
    return Post(
        source=source,
        external_id=external_id,
        network=str(author.get("network", "demo")),
        author=str(author.get("name", handle)),
        handle=handle,
        text=str(raw["text"]),
        created_at=utcnow(),
        avatar_url=MEDIA_URL + avatar_path(handle),
        media=media,
        language=str(raw.get("lang") or "") or None,
    )


class DemoSource:
    """Replays the dataset at `rate` posts per second, looping forever, resuming after a restart."""

    def __init__(self, name: str, options: DemoOptions) -> None:
        self.name = name
        self.options = options

    def posts(self, runtime: Runtime) -> Iterator[Checkpoint]:
        """Yield the backlog at first start, then one post every 1/rate seconds.

        The cursor is the number of posts sent so far: post n has the id "demo-n" and
        dataset entry n modulo its length, so a restart goes on where it stopped.
        """
        from wall.demo_media import load_dataset

        data = load_dataset()
        authors = {a["handle"]: a for a in data["authors"]}
        entries = list(data["posts"])
        saved = runtime.cursor(self.name)
        n = int(saved) if saved and saved.isdigit() else 0
        burst = 0 if saved else self.options.backlog
        order = list(range(len(entries)))
        if self.options.shuffle:
            random.Random(self.name).shuffle(order)
        while not runtime.stopping():
            if burst > 0:
                burst -= 1
            else:
                runtime.sleep(1.0 / self.options.rate)
            raw = entries[order[n % len(entries)]]
            post = to_post(raw, authors, source=self.name, external_id=f"demo-{n}")
            n += 1
            yield Checkpoint(str(n), post)


def build(name: str, options: DemoOptions) -> DemoSource:
    """Create a demo source."""
    return DemoSource(name, options)
