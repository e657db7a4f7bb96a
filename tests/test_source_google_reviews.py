"""Google reviews: review objects to posts, OAuth refresh and paging against a stand-in."""

from __future__ import annotations

from typing import Any

import pytest

from tests.standins import HttpStandIn, fixture, start_source, wait_for
from tests.standins_networks import GoogleStandIn, stand_in
from wall.runtime import get_wall
from wall.sources.base import SourceError
from wall.sources.google_reviews import GoogleReviewsOptions, GoogleReviewsSource, to_post

__all__ = ["stand_in"]
LOCATION = "17303088970776446827"


def test_reviews_become_rated_posts_with_reviewer_and_place() -> None:
    reviews = fixture("google_reviews/reviews_p1.json")["reviews"]
    five = to_post(reviews[0], source="g", place="Velocia Auto Lille Centre")
    assert five.rating == 5 and five.author == "Hélène Marchand"
    assert five.avatar_url and five.avatar_url.startswith("https://lh3.googleusercontent.com/")
    assert five.place == "Velocia Auto Lille Centre" and five.network == "google_reviews"
    assert five.external_id == reviews[0]["name"] and five.edited_at is None
    assert five.text.startswith("Vidange") and five.addressed
    updated = to_post(reviews[1], source="g")
    assert updated.rating == 2 and updated.author == "A Google user"
    assert updated.edited_at is not None  # updated after it was written: judged again
    with pytest.raises(SourceError, match="starRating"):
        to_post(reviews[2], source="g")


@pytest.mark.parametrize("stars,expected", [("ONE", 1), ("TWO", 2), ("THREE", 3),
                                             ("FOUR", 4), ("FIVE", 5)])
def test_star_ratings_map_to_numbers(stars: str, expected: int) -> None:
    raw = dict(fixture("google_reviews/reviews_p1.json")["reviews"][0], starRating=stars)
    assert to_post(raw, source="g").rating == expected


def _all(app: Any) -> list[dict[str, Any]]:
    store = get_wall(app).store
    return [p for s in ("approved", "pending", "rejected") for p in store.posts(s, 500)]


def _source(server: HttpStandIn, **extra: Any) -> GoogleReviewsSource:
    return GoogleReviewsSource("reviews", GoogleReviewsOptions(
        account_id="111222333444", location_ids=(LOCATION,), client_id_env="G_ID",
        client_secret_env="G_SECRET", refresh_token_env="G_REFRESH",
        api_url=server.url + "/v4", info_url=server.url + "/v1",
        token_url=server.url + "/token", interval=30, **extra))


@pytest.fixture
def google_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("G_ID", "client-id.apps.googleusercontent.com")
    monkeypatch.setenv("G_SECRET", "client-secret")
    monkeypatch.setenv("G_REFRESH", "refresh-me")


def test_reviews_with_refresh_token_then_updated_and_new_ones(
        app: Any, stand_in: HttpStandIn, google_env: None) -> None:
    google = GoogleStandIn(stand_in)
    running = start_source(_source(stand_in), get_wall(app).pipeline, hashtags=())
    wait_for(lambda: len(_all(app)) == 2, what="the two rated reviews")
    running.halt()
    token_call = stand_in.requests_to("/token")[0]
    assert b"grant_type=refresh_token" in token_call.body and b"refresh-me" in token_call.body
    review = stand_in.requests_to(f"/v4/accounts/111222333444/locations/{LOCATION}/reviews")[0]
    assert review.headers["Authorization"] == "Bearer ya29.token-1"
    assert review.query["orderBy"] == "updateTime desc"
    stored = {p["author"]: p for p in _all(app)}
    assert stored["Hélène Marchand"]["rating"] == 5
    assert stored["Hélène Marchand"]["place"] == "Velocia Auto Lille Centre"
    assert stored["A Google user"]["rating"] == 2
    # The token is revoked (401): refreshed once, and the reviewer who changed her mind
    # (an update) and a new review both arrive.
    google.reject_next = 1
    google.reviews[0] = dict(google.reviews[0], starRating="THREE",
                             comment="Finalement, une attente trop longue.",
                             updateTime="2026-11-23T08:00:00Z")
    google.reviews.append(dict(google.reviews[0], name="accounts/1/locations/2/reviews/new",
                               starRating="FOUR", comment="Rapide.",
                               createTime="2026-11-23T09:00:00Z",
                               updateTime="2026-11-23T09:00:00Z"))
    running = start_source(_source(stand_in), get_wall(app).pipeline, hashtags=())
    wait_for(lambda: len(_all(app)) == 3, what="the new review")
    wait_for(lambda: any(p["rating"] == 3 for p in _all(app)), what="the updated review")
    running.halt()
    assert google.tokens == 3  # one per run, plus one after the 401
    assert "une attente trop longue" in {p["author"]: p for p in _all(app)}[
        "Hélène Marchand"]["text"]


def test_a_revoked_refresh_token_says_what_to_do(
        app: Any, stand_in: HttpStandIn, google_env: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    GoogleStandIn(stand_in)
    monkeypatch.setenv("G_REFRESH", "revoked")
    running = start_source(_source(stand_in), get_wall(app).pipeline, hashtags=())
    wait_for(lambda: running.runner.last_error, what="the token error")
    running.halt()
    error = running.runner.last_error or ""
    assert "invalid_grant" in error and "authorize again" in error
    assert "client-secret" not in error and "revoked" not in error.split("invalid_grant")[0]
    assert not _all(app)


def test_a_missing_secret_names_its_variable(app: Any, stand_in: HttpStandIn,
                                            google_env: None,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("G_SECRET")
    running = start_source(_source(stand_in), get_wall(app).pipeline, hashtags=())
    wait_for(lambda: running.runner.last_error, what="the error")
    running.halt()
    assert "G_SECRET is not set" in (running.runner.last_error or "")


def test_backfill_pages_and_later_polls_read_only_newer(
        app: Any, stand_in: HttpStandIn, google_env: None) -> None:
    google = GoogleStandIn(stand_in)
    base = google.reviews[0]
    google.reviews = [dict(base, name=f"r{i}", comment=f"Review {i}",
                           createTime=f"2026-11-{10 + i}T10:00:00Z",
                           updateTime=f"2026-11-{10 + i}T10:00:00Z") for i in range(6)]
    running = start_source(_source(stand_in, backfill=3), get_wall(app).pipeline, hashtags=())
    wait_for(lambda: len(_all(app)) == 3, what="the backfill of three")
    running.halt()
    assert sorted(p["text"] for p in _all(app)) == ["Review 3", "Review 4", "Review 5"]
    assert google.page_size == [3]


def test_the_access_token_is_refreshed_before_it_expires(stand_in: HttpStandIn,
                                                         google_env: None) -> None:
    google = GoogleStandIn(stand_in)
    now = [1000.0]
    source = GoogleReviewsSource("reviews", _source(stand_in).options, clock=lambda: now[0])
    url = f"{stand_in.url}/v4/accounts/111222333444/locations/{LOCATION}/reviews"
    source.get(url)
    now[0] += 3000  # within the token's 3599 s (less the minute kept in hand)
    source.get(url)
    assert google.tokens == 1
    now[0] += 600  # past expires_in - 60 s: a new token before the call, no 401 first
    source.get(url)
    assert google.tokens == 2
    calls = stand_in.requests_to(f"/v4/accounts/111222333444/locations/{LOCATION}/reviews")
    assert [c.headers["Authorization"] for c in calls] == [
        "Bearer ya29.token-1", "Bearer ya29.token-1", "Bearer ya29.token-2"]
