"""Facebook Page: recorded posts and ratings to posts, the source against a Graph stand-in."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.standins import HttpStandIn, Reply, fixture, start_source, wait_for
from tests.standins_networks import GraphEdge, stand_in
from wall.config import ConfigError, load_config
from wall.runtime import get_wall
from wall.sources.base import SourceError
from wall.sources.facebook import (
    FacebookOptions,
    FacebookSource,
    post_to_post,
    rating_to_post,
)

__all__ = ["stand_in"]
TOKEN = "TEST_FB_PAGE_TOKEN"


def test_recorded_tagged_posts_become_posts_about_the_page() -> None:
    for raw in fixture("facebook/tagged_posts.json")["data"]:
        post = post_to_post(raw, source="fb")
        assert post.network == "facebook" and post.external_id == raw["id"]
        assert post.text == raw["message"] and post.addressed
    first = post_to_post(fixture("facebook/tagged_posts.json")["data"][0], source="fb")
    assert first.created_at.isoformat() == "2019-09-29T03:59:53+00:00"
    assert first.url == "https://www.facebook.com/2121008874780932_2427414477473702"
    assert first.author == "Facebook user"  # no `from` without the Page's permission


def test_recommendations_carry_stars_text_and_reviewer() -> None:
    ratings = fixture("facebook/ratings.json")["data"]
    good = rating_to_post(ratings[0], source="fb", page_id="42")
    assert good.rating == 5 and good.author == "Camille Durand"
    assert good.text.startswith("Freins changés") and good.author_id == "6843201957"
    assert good.external_id == "10158812331245_10159120887650"
    bad = rating_to_post(ratings[1], source="fb", page_id="42")
    assert bad.rating == 1 and bad.author == "Sam <b>Taylor</b>"  # text, never markup
    old = rating_to_post(ratings[2], source="fb", page_id="42")
    assert old.rating == 4 and old.text == ""
    again = rating_to_post(ratings[2], source="fb", page_id="42")
    assert old.external_id == again.external_id  # stable without a story id
    assert old.external_id.startswith("rating-")


@pytest.mark.parametrize("raw", [None, {"message": "no id"}, {"id": "1"}])
def test_malformed_post_is_a_clear_error(raw: Any) -> None:
    with pytest.raises(SourceError):
        post_to_post(raw, source="fb")


def test_config_needs_something_to_read(tmp_path: Any) -> None:
    path = tmp_path / "wall.toml"
    path.write_text('[[sources]]\ntype = "facebook"\nname = "fb"\npage_id = "42"\n'
                    'token_env = "T"\nvisitor_posts = false\ntagged = false\n'
                    'ratings = false\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="nothing to read"):
        load_config(path)


def _all(app: Any) -> list[dict[str, Any]]:
    store = get_wall(app).store
    return [p for s in ("approved", "pending", "rejected") for p in store.posts(s, 500)]


def _visitor(n: int) -> dict[str, Any]:
    return {"id": f"42_{n}", "message": f"Visitor post {n}",
            "created_time": f"2026-11-2{n}T10:00:00+0000",
            "from": {"id": f"9{n}", "name": f"Visitor {n}"}}


def test_edges_switch_on_by_default_and_resume_with_since(
        app: Any, stand_in: HttpStandIn, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TOKEN, "page-secret")
    visitors = GraphEdge([_visitor(1), _visitor(2), _visitor(3)], "created_time")
    stand_in.routes["/v21.0/42/visitor_posts"] = visitors
    stand_in.routes["/v21.0/42/tagged"] = GraphEdge(
        fixture("facebook/tagged_posts.json")["data"], "created_time")
    stand_in.routes["/v21.0/42/ratings"] = GraphEdge(
        fixture("facebook/ratings.json")["data"], "created_time")

    def source(**extra: Any) -> FacebookSource:
        return FacebookSource("fb", FacebookOptions(
            page_id="42", token_env=TOKEN, graph_url=stand_in.url + "/v21.0", interval=10,
            backfill=2, **extra))

    running = start_source(source(), get_wall(app).pipeline, hashtags=())
    wait_for(lambda: len(_all(app)) == 6, what="two items of each edge")
    running.halt()
    ratings = [p for p in _all(app) if p["text"].startswith(("Freins", "Three"))]
    assert sorted(p["rating"] for p in ratings) == [1, 5]
    assert stand_in.requests_to("/v21.0/42/ratings")[0].query["fields"].startswith(
        "created_time,recommendation_type,review_text,rating")
    # A visitor posts while the wall is stopped; the restart asks with since.
    visitors.items.append(_visitor(5))
    running = start_source(source(tagged=False, ratings=False), get_wall(app).pipeline,
                           hashtags=())
    wait_for(lambda: len(_all(app)) == 7, what="the new visitor post")
    running.halt()
    later = stand_in.requests_to("/v21.0/42/visitor_posts")[-1]
    newest = datetime(2026, 11, 23, 10, tzinfo=UTC).timestamp()  # visitor 3's time
    assert int(later.query["since"]) == int(newest)
    assert len(stand_in.requests_to("/v21.0/42/tagged")) == 1  # switched off


def test_rate_limit_code_is_waited_and_paging_stays_on_host(
        app: Any, stand_in: HttpStandIn, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TOKEN, "page-secret")
    edge = GraphEdge([_visitor(i) for i in range(1, 8)], "created_time")
    edge.fail = [Reply(400, fixture("threads/error_rate_limit.json"))]
    stand_in.routes["/v21.0/42/visitor_posts"] = edge
    source = FacebookSource("fb", FacebookOptions(
        page_id="42", token_env=TOKEN, graph_url=stand_in.url + "/v21.0", interval=10,
        backfill=3, tagged=False, ratings=False))
    running = start_source(source, get_wall(app).pipeline, hashtags=())
    wait_for(lambda: running.runner.health.state == "degraded", what="the rate limit")
    running.halt()
    assert "rate limited (code 4)" in running.runner.health.detail
    assert not _all(app)


def test_missing_token_is_a_readable_error(app: Any, stand_in: HttpStandIn) -> None:
    source = FacebookSource("fb", FacebookOptions(page_id="42", token_env="NO_SUCH_FB_TOKEN",
                                                  graph_url=stand_in.url))
    running = start_source(source, get_wall(app).pipeline, hashtags=())
    wait_for(lambda: running.runner.last_error, what="the error")
    running.halt()
    assert "NO_SUCH_FB_TOKEN is not set" in (running.runner.last_error or "")
    assert not stand_in.seen
    assert json.dumps(running.runner.health.as_dict())


def test_paging_follows_next_on_the_same_host_only(stand_in: HttpStandIn,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from wall.sources.graph import Graph

    monkeypatch.setenv(TOKEN, "page-secret")
    stand_in.routes["/v21.0/42/tagged"] = GraphEdge(
        [_visitor(i) for i in range(1, 6)], "created_time")
    graph = Graph(stand_in.url + "/v21.0", TOKEN, "a Page access token")
    pages = list(graph.pages("42/tagged", {"fields": "id,message{a,b}", "limit": 2}, 10))
    assert [len(page) for page in pages] == [2, 2, 1]
    assert [c.query["after"] for c in stand_in.requests_to("/v21.0/42/tagged")[1:]] == ["2", "4"]
    assert all(c.query["access_token"] == "page-secret" and c.query["fields"] == "id,message{a,b}"
               for c in stand_in.requests_to("/v21.0/42/tagged"))
    # A paging link to another host is not followed: the token never leaves.
    stand_in.routes["/v21.0/43/tagged"] = lambda seen: Reply(200, {
        "data": [_visitor(1)], "paging": {"next": "https://elsewhere.example/x?after=1"}})
    assert len(list(graph.pages("43/tagged", {"limit": 1}, 10))) == 1
    graph.close()
