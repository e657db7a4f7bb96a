"""[moderation] min_rating: reviews below it wait for a moderator, with a readable reason."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import make_post, write_config
from wall.config import ConfigError, load_config
from wall.models import post_facts
from wall.moderation import RuleSet
from wall.moderation.settings import ModerationSection
from wall.payloads import review_fields


@pytest.mark.parametrize("min_rating,rating,status", [
    (0, 1, "approved"),      # off by default
    (3, 1, "pending"),
    (3, 2, "pending"),
    (3, 3, "approved"),
    (3, 5, "approved"),
    (3, None, "approved"),   # not a review: not concerned
    (5, 4, "pending"),
])
def test_reviews_below_min_rating_are_held(min_rating: int, rating: int | None,
                                           status: str) -> None:
    rules = RuleSet.from_config(ModerationSection(mode="post", min_rating=min_rating))
    decision = rules.decide(make_post(network="google_reviews", rating=rating))
    assert decision.status == status
    if status == "pending":
        assert decision.reasons == (f"review rated {rating}/5, below min_rating {min_rating}",)


def test_min_rating_is_read_and_checked_in_config(tmp_path: Path) -> None:
    path = write_config(tmp_path, extra="")
    text = path.read_text(encoding="utf-8").replace("[moderation]\n",
                                                    "[moderation]\nmin_rating = 4\n", 1)
    path.write_text(text, encoding="utf-8")
    assert load_config(path).moderation.min_rating == 4
    path.write_text(text.replace("min_rating = 4", "min_rating = 6"), encoding="utf-8")
    with pytest.raises(ConfigError, match="min_rating"):
        load_config(path)


def test_rating_and_place_reach_the_stored_facts_and_the_payload() -> None:
    post = make_post(rating=4, place="Velocia Auto Lille", addressed=True)
    facts = post_facts(post)
    assert facts["rating"] == 4 and facts["place"] == "Velocia Auto Lille"
    assert facts["addressed"] is True
    assert "rating" not in post_facts(make_post())
    assert review_fields(json.dumps(facts)) == {"rating": 4, "place": "Velocia Auto Lille"}
    bad: Any = {"rating": True, "place": 5}
    assert review_fields(json.dumps(bad)) == {} and review_fields("{broken") == {}
    assert review_fields(json.dumps({"rating": 9})) == {}


def test_a_dry_run_reads_an_exported_review_and_holds_it() -> None:
    from wall.dryrun import parse_line
    from wall.sources.base import SourceError

    line = {"id": "r1", "author": "Sam", "text": "Long wait.", "network": "google_reviews",
            "rating": 2, "place": "Velocia Lille", "addressed": True,
            "status": "approved", "reasons": []}
    post = parse_line(line)
    assert post.rating == 2 and post.place == "Velocia Lille" and post.addressed
    rules = RuleSet.from_config(ModerationSection(mode="post", min_rating=3))
    assert rules.decide(post).status == "pending"
    with pytest.raises(SourceError, match="rating"):
        parse_line(dict(line, rating=7))


def test_an_exported_review_keeps_its_stars_and_place(app: Any) -> None:
    import io

    from wall.exports import write_posts
    from wall.runtime import get_wall

    wall = get_wall(app)
    wall.pipeline.submit(make_post(network="google_reviews", rating=4, place="Lille",
                                   addressed=True, text="Rapide."))
    out = io.StringIO()
    assert write_posts(wall.store, out) == 1
    line = json.loads(out.getvalue())
    assert line["rating"] == 4 and line["place"] == "Lille" and line["addressed"] is True
    assert wall.store.posts("approved")[0]["rating"] == 4
