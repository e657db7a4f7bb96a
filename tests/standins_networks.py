"""Loopback stand-ins for Meta's Graph APIs, Google Business Profile and YouTube (issue 12)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.standins import HttpStandIn, Reply, Seen, fixture

__all__ = ["GraphEdge", "GoogleStandIn", "LiveChat", "media_objects", "stand_in"]


def media_objects() -> list[dict[str, Any]]:
    """Return the recorded Instagram media objects (one carousel) as a list."""
    return list(fixture("instagram/media_fields.json").values())


class GraphEdge:
    """A Graph API edge: newest first, `limit` and `since` honoured, `paging.next` on this host."""

    def __init__(self, items: list[dict[str, Any]], time_key: str = "timestamp") -> None:
        self.items = list(items)
        self.time_key = time_key
        self.fail: list[Reply] = []
        self.headers: dict[str, str] = {}

    def _when(self, item: dict[str, Any]) -> str:
        return str(item.get(self.time_key, ""))

    def __call__(self, seen: Seen) -> Reply:
        if self.fail:
            return self.fail.pop(0)
        limit = int(seen.query.get("limit", "25"))
        offset = int(seen.query.get("after", "0"))
        ordered = sorted(self.items, key=self._when, reverse=True)
        if "since" in seen.query:
            from datetime import datetime
            since = int(seen.query["since"])
            ordered = [i for i in ordered if datetime.strptime(
                self._when(i), "%Y-%m-%dT%H:%M:%S%z").timestamp() >= since]
        page = ordered[offset:offset + limit]
        body: dict[str, Any] = {"data": page}
        if offset + limit < len(ordered):
            query = "&".join(f"{k}={v}" for k, v in seen.query.items() if k != "after")
            host = seen.headers.get("Host", "")
            body["paging"] = {"cursors": {"after": str(offset + limit)},
                              "next": f"http://{host}{seen.path}?{query}&after={offset + limit}"}
        return Reply(200, body, dict(self.headers))


class GoogleStandIn:
    """The OAuth token endpoint and the Business Profile reviews, on one loopback server."""

    def __init__(self, server: HttpStandIn, location: str = "17303088970776446827") -> None:
        self.server = server
        self.tokens = 0
        self.valid: set[str] = set()
        self.reviews = list(fixture("google_reviews/reviews_p1.json")["reviews"])
        self.reject_next = 0  # answer 401 to this many review calls (a revoked token)
        self.page_size: list[int] = []
        server.routes["/token"] = self._token
        path = f"/v4/accounts/111222333444/locations/{location}/reviews"
        server.routes[path] = self._reviews
        server.routes[f"/v1/locations/{location}"] = \
            lambda seen: Reply(200, fixture("google_reviews/location.json"))

    def _token(self, seen: Seen) -> Reply:
        form = dict(p.split("=", 1) for p in seen.body.decode().split("&") if "=" in p)
        if form.get("refresh_token") != "refresh-me" or form.get("grant_type") != "refresh_token":
            return Reply(400, fixture("google_reviews/error_invalid_grant.json"))
        self.tokens += 1
        token = f"ya29.token-{self.tokens}"
        self.valid = {token}
        return Reply(200, dict(fixture("google_reviews/token.json"), access_token=token))

    def _reviews(self, seen: Seen) -> Reply:
        bearer = seen.headers.get("Authorization", "").removeprefix("Bearer ")
        if self.reject_next:
            self.reject_next -= 1
            self.valid = set()
        if bearer not in self.valid:
            return Reply(401, fixture("google_reviews/error_unauthenticated.json"))
        size = int(seen.query.get("pageSize", "50"))
        self.page_size.append(size)
        start = int(seen.query.get("pageToken", "0") or 0)
        ordered = sorted(self.reviews, key=lambda r: r["updateTime"], reverse=True)
        body: dict[str, Any] = {"reviews": ordered[start:start + size],
                                "totalReviewCount": len(ordered)}
        if start + size < len(ordered):
            body["nextPageToken"] = str(start + size)
        return Reply(200, body)


class LiveChat:
    """liveChat/messages: pages in order, each with the polling interval the test sets."""

    def __init__(self, pages: list[dict[str, Any]], interval_ms: int = 300) -> None:
        self.pages = list(pages)
        self.interval_ms = interval_ms
        self.tokens: list[str] = []
        self.after: list[Reply] = []  # replies once the pages are spent (e.g. chat ended)

    def __call__(self, seen: Seen) -> Reply:
        self.tokens.append(seen.query.get("pageToken", ""))
        if self.pages:
            page = dict(self.pages.pop(0))
            page["pollingIntervalMillis"] = self.interval_ms
            return Reply(200, page)
        if self.after:
            return self.after[0]
        return Reply(200, {"items": [], "nextPageToken": "idle",
                           "pollingIntervalMillis": self.interval_ms})


@pytest.fixture
def stand_in() -> Iterator[HttpStandIn]:
    """Yield a loopback HTTP stand-in, closed after the test."""
    server = HttpStandIn()
    yield server
    server.close()


def error(path: str) -> Callable[[Seen], Reply]:
    """Return a route answering a recorded error body with its HTTP status."""
    body = fixture(path)
    status = body["error"].get("code", 400) if isinstance(body.get("error"), dict) else 400
    status = status if isinstance(status, int) and status >= 400 else 400
    return lambda seen: Reply(status, json.dumps(body))
