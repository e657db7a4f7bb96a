"""The demo source: a backlog at first start, a steady rate, and a restart that resumes."""

from __future__ import annotations

from itertools import islice

from wall.sources.base import Checkpoint, Runtime
from wall.sources.demo import DemoOptions, DemoSource


def run(saved: str | None, count: int) -> tuple[list[Checkpoint], list[float]]:
    """Take `count` items from a demo source whose saved cursor is `saved`."""
    sleeps: list[float] = []
    runtime = Runtime(sleep=sleeps.append, stopping=lambda: False,
                      cursor=lambda _name: saved)
    source = DemoSource("demo", DemoOptions(rate=2, backlog=3))
    return list(islice(source.posts(runtime), count)), sleeps


def test_first_start_sends_the_backlog_at_once_then_keeps_the_rate() -> None:
    items, sleeps = run(None, 6)
    assert [i.post.external_id for i in items if i.post] == [f"demo-{n}" for n in range(6)]
    assert [i.cursor for i in items] == ["1", "2", "3", "4", "5", "6"]
    # three backlog posts go out with no pause, then one post every 1/rate seconds
    assert sleeps == [0.5, 0.5, 0.5]


def test_a_restart_resumes_after_the_saved_cursor_without_a_burst() -> None:
    first, _ = run(None, 4)
    again, sleeps = run(first[-1].cursor, 2)
    assert [i.post.external_id for i in again if i.post] == ["demo-4", "demo-5"]
    assert len(sleeps) == 2


def test_it_loops_over_the_dataset_with_new_ids() -> None:
    items, _ = run("356", 2)
    posts = [i.post for i in items if i.post]
    assert [p.external_id for p in posts] == ["demo-356", "demo-357"]
    start, _ = run(None, 1)
    assert start[0].post is not None and posts[1].text == start[0].post.text
