"""Google Business Profile: new and updated reviews of the brand's locations, with their stars."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from wall.configreader import Reader
from wall.models import Post
from wall.sources import http, polling
from wall.sources.base import Item, Runtime, SourceError
from wall.sources.text import clip, parse_time

log = logging.getLogger(__name__)

API_URL = "https://mybusiness.googleapis.com/v4"
INFO_URL = "https://mybusinessbusinessinformation.googleapis.com/v1"
TOKEN_URL = "https://oauth2.googleapis.com/token"
STARS = {"ONE": 1, "TWO": 2, "THREE": 3, "FOUR": 4, "FIVE": 5}
MAX_PAGES = 5
EARLY = 60.0  # refresh the access token this many seconds before it expires


@dataclass(frozen=True)
class GoogleReviewsOptions:
    """Options of a type = "google_reviews" source."""

    account_id: str
    location_ids: tuple[str, ...]
    client_id_env: str
    client_secret_env: str
    refresh_token_env: str
    api_url: str = API_URL
    info_url: str = INFO_URL
    token_url: str = TOKEN_URL
    interval: float = 300.0
    backfill: int = 20


def parse_options(r: Reader) -> GoogleReviewsOptions:
    """Read the Google reviews source's options."""
    def env(key: str) -> str:
        return r.string(key, "", required=True, allow_empty=False)

    options = GoogleReviewsOptions(
        account_id=r.string("account_id", "", required=True, allow_empty=False)
        .removeprefix("accounts/"),
        location_ids=tuple(i.rsplit("/", 1)[-1] for i in r.strings("location_ids")),
        client_id_env=env("client_id_env"),
        client_secret_env=env("client_secret_env"),
        refresh_token_env=env("refresh_token_env"),
        api_url=r.string("api_url", API_URL, allow_empty=False).rstrip("/"),
        info_url=r.string("info_url", INFO_URL, allow_empty=False).rstrip("/"),
        token_url=r.string("token_url", TOKEN_URL, allow_empty=False),
        interval=r.number("interval", 300.0, low=30, high=86400),
        backfill=r.integer("backfill", 20, low=0, high=50),
    )
    if not options.location_ids:
        r.problem("location_ids", 'list at least one location id, e.g. ["1234567890"]')
    return options


def to_post(raw: Any, *, source: str, place: str = "") -> Post:
    """Turn one Business Profile review into a Post with its stars and the location's name."""
    if not isinstance(raw, Mapping):
        raise SourceError("a review must be a JSON object")
    ident = clip(raw.get("name"), 300) or clip(raw.get("reviewId"), 300)
    stars = STARS.get(clip(raw.get("starRating"), 20))
    if not ident or stars is None:
        raise SourceError("a review needs a name and a starRating from ONE to FIVE")
    reviewer = polling.obj(raw.get("reviewer"))
    created = parse_time(raw.get("createTime"), "createTime")
    updated = parse_time(raw.get("updateTime") or raw.get("createTime"), "updateTime")
    return Post(
        source=source,
        external_id=ident,
        network="google_reviews",
        author=clip(reviewer.get("displayName"))
        or ("Anonymous" if reviewer.get("isAnonymous") else "Google user"),
        text=clip(raw.get("comment"), 5000),
        created_at=created,
        avatar_url=clip(reviewer.get("profilePhotoUrl"), 2000) or None,
        rating=stars,
        place=clip(place, 200),
        edited_at=updated if updated > created else None,  # an updated review is judged again
        addressed=True,
    )


class GoogleReviewsSource:
    """Polls accounts/{a}/locations/{l}/reviews, newest update first, with an OAuth token."""

    def __init__(self, name: str, options: GoogleReviewsOptions,
                 clock: Any = time.monotonic) -> None:
        self.name = name
        self.options = options
        self.http = http.session()
        self.clock = clock
        self.token = ""
        self.expires = 0.0
        self.places: dict[str, str] = {}
        self.state: dict[str, Any] = {}
        self.calls = 0

    def _secret(self, env: str, what: str) -> str:
        value = os.environ.get(env, "")
        if not value:
            raise SourceError(f"environment variable {env} is not set; put the Google OAuth "
                              f"{what} in it (docs/sources.md)")
        return value

    def refresh(self) -> None:
        """Trade the refresh token for a new access token."""
        o = self.options
        form = {"grant_type": "refresh_token",
                "client_id": self._secret(o.client_id_env, "client id"),
                "client_secret": self._secret(o.client_secret_env, "client secret"),
                "refresh_token": self._secret(o.refresh_token_env, "refresh token")}
        reply = http.send(self.http, "POST", o.token_url, data=form)
        body = http.json_body(reply) if reply.content else {}
        if reply.status_code >= 400:
            error = body.get("error") if isinstance(body, Mapping) else None
            hint = " (the refresh token was revoked or expired: authorize again)" \
                if error == "invalid_grant" else ""
            http.check(reply, f"token refresh failed: {error or 'no detail'}{hint}")
        if not isinstance(body, Mapping) or not isinstance(body.get("access_token"), str):
            raise SourceError(f"{http.where(o.token_url)}: no access_token in the reply")
        self.token = body["access_token"]
        lifetime = body.get("expires_in")
        seconds = float(lifetime) if isinstance(lifetime, int | float) else 3600.0
        self.expires = self.clock() + seconds - EARLY
        log.info("source %s: Google access token refreshed", self.name)

    def get(self, url: str, params: Mapping[str, Any] | None = None) -> Any:
        """GET with the access token, refreshed before expiry and once more on a 401."""
        if not self.token or self.clock() >= self.expires:
            self.refresh()
        for attempt in (1, 2):
            self.calls += 1
            reply = http.send(self.http, "GET", url, params=params,
                              headers={"Authorization": f"Bearer {self.token}"})
            if reply.status_code == 401 and attempt == 1:
                self.refresh()
                continue
            http.check(reply)
            return http.json_body(reply)
        raise AssertionError("unreachable")

    def place(self, location: str) -> str:
        """Return a location's title (cached); its id when the information API refuses."""
        if location not in self.places:
            try:
                body = self.get(f"{self.options.info_url}/locations/{location}",
                                {"readMask": "title"})
                title = clip(body.get("title"), 200) if isinstance(body, Mapping) else ""
            except http.RateLimited:
                raise
            except SourceError as exc:  # not cached: asked again at the next poll
                log.warning("source %s: no title for location %s: %s", self.name, location, exc)
                return f"location {location}"
            self.places[location] = title or f"location {location}"
        return self.places[location]

    def posts(self, runtime: Runtime) -> Iterator[Item]:
        """Poll every location, then wait the interval."""
        self.state = polling.load_state(runtime.cursor(self.name), self.name)
        parts: list[tuple[str, Callable[[], Iterator[Item]]]] = [
            (f"location {loc}", partial(self._location, loc)) for loc in self.options.location_ids]
        items = polling.loop(runtime, lambda: polling.run_parts(self.name, parts),
                             lambda: self.options.interval, self.status,
                             lambda: polling.dump_state(self.state))
        return http.closing(self.http, items)

    def status(self) -> str:
        """Return the calls made, for the sources panel (Google allows 300 a minute)."""
        return f"{len(self.options.location_ids)} location(s); {self.calls} API calls"

    def _pages(self, location: str, first: bool) -> Iterator[list[Any]]:
        url = (f"{self.options.api_url}/accounts/{self.options.account_id}"
               f"/locations/{location}/reviews")
        params: dict[str, Any] = {"orderBy": "updateTime desc",
                                  "pageSize": max(1, self.options.backfill) if first else 50}
        for _ in range(1 if first else MAX_PAGES):
            body = self.get(url, params)
            reviews = body.get("reviews", []) if isinstance(body, Mapping) else None
            if not isinstance(reviews, list):
                raise SourceError(f"{http.where(url)}: expected a list of reviews")
            yield reviews
            token = body.get("nextPageToken")
            if not isinstance(token, str) or not token:
                return
            params = {**params, "pageToken": token}

    def _location(self, location: str) -> Iterator[Item]:
        seen: dict[str, float] = self.state.setdefault("since", {})
        place = self.place(location)
        pages = self._pages(location, location not in seen)
        yield from polling.fresh(
            self.name, seen, location, pages,
            lambda raw: to_post(raw, source=self.name, place=place),
            self.options.backfill, lambda: polling.dump_state(self.state),
            when=lambda post: post.edited_at or post.created_at)


def build(name: str, options: GoogleReviewsOptions) -> GoogleReviewsSource:
    """Create a Google reviews source."""
    return GoogleReviewsSource(name, options)
