"""Meta's Graph APIs (Instagram, Facebook Pages, Threads): careful GETs that heed usage headers."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import urlsplit

from wall.sources import http
from wall.sources.base import SourceError

log = logging.getLogger(__name__)

GRAPH_URL = "https://graph.facebook.com/v21.0"
USAGE_SLOW = 80.0  # percent of an app's or a business's budget: space the polls out
USAGE_STOP = 95.0  # percent: wait for Meta's estimate before the next call
STOP_WAIT = 600.0  # seconds, when Meta gives no estimate (its budgets are rolling hours)
# Graph error codes that mean "too many calls" (Meta's "Graph API rate limiting" page).
RATE_CODES = {4, 17, 32, 613, 80001, 80002, 80004, 80005, 80006, 80008, 80014, 80009}


def token_from(env: str, what: str) -> str:
    """Return a token from an environment variable, or raise a SourceError saying what to set."""
    value = os.environ.get(env, "") if env else ""
    if not value:
        raise SourceError(f"environment variable {env or '(token_env)'} is not set; "
                          f"put {what} in it (docs/sources.md)")
    return value


def _json(value: str | None) -> Any:
    try:
        return json.loads(value) if value else None
    except ValueError:
        return None


def _numbers(entry: Mapping[str, Any], keys: tuple[str, ...]) -> list[float]:
    return [float(entry[k]) for k in keys
            if isinstance(entry.get(k), int | float) and not isinstance(entry.get(k), bool)]


def usage(headers: Mapping[str, str]) -> tuple[float, float]:
    """Return the highest usage percentage Meta reports and its wait estimate in seconds."""
    keys = ("call_count", "total_time", "total_cputime")
    top, wait = 0.0, 0.0
    app = _json(headers.get("X-App-Usage"))
    if isinstance(app, Mapping):
        top = max([top, *_numbers(app, keys)])
    buc = _json(headers.get("X-Business-Use-Case-Usage"))
    for entries in buc.values() if isinstance(buc, Mapping) else []:
        for entry in entries if isinstance(entries, list) else []:
            if isinstance(entry, Mapping):
                top = max([top, *_numbers(entry, keys)])
                minutes = _numbers(entry, ("estimated_time_to_regain_access",))
                wait = max([wait, *(m * 60 for m in minutes)])
    return top, wait


class Graph:
    """One Graph API host and token: GETs with the token, errors made readable."""

    def __init__(self, base: str, token_env: str, what: str) -> None:
        self.base = base.rstrip("/")
        self.token_env = token_env
        self.what = what
        self.http = http.session()
        self.percent = 0.0  # the last usage Meta reported

    def get(self, path: str, params: Mapping[str, Any] | None = None) -> Mapping[str, Any]:
        """GET a path (or a paging URL on the same host); raise RateLimited near the budget."""
        url = path if path.startswith(("http://", "https://")) else f"{self.base}/{path}"
        token = token_from(self.token_env, self.what)
        query = dict(params or {})
        if "access_token=" not in url:  # Meta's paging links carry it already
            query["access_token"] = token  # the documented way; errors never show URLs' queries
        reply = http.send(self.http, "GET", url, params=query)
        self.percent, estimate = usage(reply.headers)
        if reply.status_code >= 400:
            self._fail(reply, estimate)
        body = http.json_body(reply)
        if not isinstance(body, Mapping):
            raise SourceError(f"{http.where(url)}: expected a JSON object")
        if self.percent >= USAGE_STOP:
            wait = estimate or STOP_WAIT
            log.warning("%s: Meta reports %.0f%% of the call budget used; waiting %.0fs",
                        http.where(url), self.percent, wait)
            raise http.RateLimited(f"Meta usage at {self.percent:.0f}%, waiting {wait:.0f}s",
                                   wait)
        return body

    def _fail(self, reply: Any, estimate: float) -> None:
        """Raise the error Meta's JSON body names (code and message), or the HTTP status."""
        body = _json(reply.text)
        error = body.get("error") if isinstance(body, Mapping) else None
        code = error.get("code") if isinstance(error, Mapping) else None
        message = str(error.get("message", ""))[:200] if isinstance(error, Mapping) else ""
        if reply.status_code == 429 or code in RATE_CODES:
            wait = estimate or http.parse_when(reply.headers.get("Retry-After")) or STOP_WAIT
            raise http.RateLimited(f"{http.where(reply.url)}: rate limited (code {code}), "
                                   f"waiting {wait:.0f}s", wait)
        detail = f"Graph error {code}: {message}" if code is not None else ""
        http.check(reply, detail)

    def pages(self, path: str, params: Mapping[str, Any], limit: int) -> Iterator[list[Any]]:
        """Yield up to `limit` pages of an edge's `data`, following `paging.next` on this host."""
        url: str | None = path
        query: Mapping[str, Any] | None = params
        for _ in range(limit):
            assert url is not None
            body = self.get(url, query)
            data = body.get("data")
            if not isinstance(data, list):
                raise SourceError(f"{http.where(url)}: expected a data list")
            yield data
            paging = body.get("paging")
            following = paging.get("next") if isinstance(paging, Mapping) else None
            if not isinstance(following, str) or not data or not self._same_host(following):
                return
            url, query = following, None

    def _same_host(self, url: str) -> bool:
        """Return True for a paging URL on our host: the token is never sent elsewhere."""
        return urlsplit(url).netloc == urlsplit(self.base).netloc

    def slow_factor(self) -> float:
        """Return how much to stretch the poll interval as usage nears Meta's budget."""
        return 4.0 if self.percent >= USAGE_SLOW else 1.0

    def status(self) -> str:
        """Return the usage Meta last reported, for the sources panel."""
        return f"Meta usage {self.percent:.0f}%"

    def close(self) -> None:
        """Release the HTTP session."""
        self.http.close()
