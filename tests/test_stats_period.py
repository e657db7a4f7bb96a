"""Stats of a period ("today", "week") in the wall's timezone, read from day counters."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from tests.conftest import make_post, write_config
from wall import stats
from wall.config import ConfigError, load_config
from wall.models import Decision
from wall.store import Store, schema

APPROVED = Decision("approved", ("test",))
AMBASSADOR = Decision("approved", ("test",), ambassador=True)
NOW = datetime(2026, 12, 2, 9, 30, tzinfo=UTC)  # 10:30 in Paris, a Wednesday


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    store = Store(f"sqlite:///{tmp_path / 'wall.db'}")
    store.create_all()
    stats.prepare(store, "Europe/Paris", "en")
    yield store
    store.close()


def post_at(store: Store, moment: datetime, decision: Decision = APPROVED, **fields: str) -> int:
    """Ingest a post, then set when it arrived (as a write that recounts it)."""
    change = store.ingest(make_post(**fields), decision)
    post_id = int(change.post["id"])  # type: ignore[index]
    with store.begin() as conn:
        conn.execute(update(schema.posts).where(schema.posts.c.id == post_id)
                     .values(received_at=moment.astimezone(UTC).replace(tzinfo=None)))
        conn.info["touched"].add(post_id)
    return post_id


def test_today_starts_at_local_midnight_and_week_is_seven_local_days(store: Store) -> None:
    paris_midnight = datetime(2026, 12, 1, 23, 0, tzinfo=UTC)  # 2 Dec 00:00 in Paris
    post_at(store, paris_midnight + timedelta(minutes=5), text="Just after midnight #a")
    post_at(store, paris_midnight - timedelta(minutes=5), text="Just before midnight #b")
    post_at(store, NOW - timedelta(days=6, hours=1), text="Six days ago #b")
    post_at(store, NOW - timedelta(days=8), text="Eight days ago #c")
    figures = stats.compute(store, NOW)
    today, week = figures["periods"]["today"], figures["periods"]["week"]
    assert (today["total"], week["total"], figures["total"]) == (1, 3, 4)
    assert today["since"] == "2026-12-01T23:00:00Z"
    assert [t["tag"] for t in today["top_hashtags"]] == ["a"]
    assert week["top_hashtags"][0] == {"tag": "b", "count": 2}
    assert len(week["series"]) == 7 and sum(p["count"] for p in week["series"]) == 3
    # Today's chart: one point per local hour since midnight (00:00 to 10:00), the first
    # hour holding the post of 00:05.
    assert len(today["series"]) == 11 and today["series"][0]["count"] == 1


def test_the_ambassadors_leaderboard_and_share_follow_the_period(store: Store) -> None:
    post_at(store, NOW - timedelta(days=2), AMBASSADOR, author="Sophie", handle="@sophie")
    post_at(store, NOW - timedelta(days=2), AMBASSADOR, author="Sophie", handle="@sophie")
    post_at(store, NOW - timedelta(hours=1), AMBASSADOR, author="Marc", handle="@marc")
    post_at(store, NOW - timedelta(hours=1), author="Guest", handle="@guest")
    figures = stats.compute(store, NOW)
    today = figures["periods"]["today"]["ambassadors"]
    week = figures["periods"]["week"]["ambassadors"]
    assert [a["author"] for a in today["top"]] == ["Marc"] and today["share"] == 0.5
    assert [a["author"] for a in week["top"]] == ["Sophie", "Marc"] and week["share"] == 0.75
    assert figures["periods"]["today"]["ambassador_posts"] == 1


def test_a_changed_timezone_counts_the_days_again(store: Store) -> None:
    post_at(store, datetime(2026, 12, 2, 4, 0, tzinfo=UTC))  # 2 Dec in Paris, 1 Dec in LA
    at = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
    assert stats.compute(store, at)["periods"]["today"]["total"] == 1
    stats.prepare(store, "America/Los_Angeles", "en")
    assert stats.compute(store, at)["periods"]["today"]["total"] == 0
    assert stats.compute(store, at)["timezone"] == "America/Los_Angeles"


def test_sentiment_counts_approved_posts_only(store: Store) -> None:
    post_at(store, NOW, text="What a fantastic keynote, I love it!")
    post_at(store, NOW, text="Service horrible, vraiment nul et décevant.")
    post_at(store, NOW, text="The talk starts at ten in room B.")
    post_at(store, NOW, Decision("pending", ("test",)), text="Wonderful, amazing, brilliant!")
    figures = stats.compute(store, NOW)
    expected = {"positive": 1, "neutral": 1, "negative": 1}
    assert figures["sentiment"] == expected
    assert figures["periods"]["today"]["sentiment"] == expected


def test_stats_period_and_timezone_are_read_and_checked(tmp_path: Path) -> None:
    good = load_config(write_config(tmp_path, screens='stats_period = "today"\n'
                                    'timezone = "Europe/Paris"'))
    assert (good.screens.stats_period, good.screens.timezone) == ("today", "Europe/Paris")
    assert load_config(write_config(tmp_path)).screens.stats_period == "all"
    with pytest.raises(ConfigError) as bad:
        load_config(write_config(tmp_path, screens='stats_period = "month"\n'
                                 'timezone = "Paris/Europe"'))
    assert "stats_period" in str(bad.value) and "Europe/Paris" in str(bad.value)


def test_a_database_counted_before_periods_is_counted_again_once(tmp_path: Path) -> None:
    path = f"sqlite:///{tmp_path / 'old.db'}"
    store = Store(path)
    store.create_all()
    post_at(store, NOW, text="What a fantastic keynote!")
    with store.begin() as conn:  # as the counters of revision 0004 left it: all-time kinds only
        kinds = schema.stat_counters.c.kind
        conn.execute(schema.stat_counters.delete().where(kinds.in_(("meta", "sentiment"))))
        conn.execute(schema.stat_counters.delete().where(kinds.like("day%")))
        conn.execute(schema.stat_counters.delete().where(kinds == "hour"))
    store.close()
    again = Store(path)
    again.create_all()
    figures = stats.compute(again, NOW)
    assert figures["periods"]["today"]["total"] == 1
    assert figures["sentiment"]["positive"] == 1
    again.close()
