"""The running Bluesky source: Jetstream over a websocket, resumed from its cursor."""

from __future__ import annotations

import json
import logging
import os
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

import websocket

from wall.listening import Listening, listen
from wall.models import Post
from wall.moderation.normalize import fold, words
from wall.sources import http
from wall.sources.base import (
    Checkpoint,
    Deletion,
    Health,
    Item,
    Runtime,
    SourceError,
    drop_reason,
    listened,
)
from wall.sources.bluesky import (
    COLLECTION,
    BlueskyOptions,
    Profile,
    ProfileCache,
    record_tags,
    to_post,
    view_to_post,
)

log = logging.getLogger(__name__)

RECV_TIMEOUT = 1.0
IDLE_CURSOR_EVERY = 10.0  # seconds between cursor saves when nothing matches
SILENCE_LIMIT = 60.0  # Jetstream sends constantly; a minute of silence means a dead link
KNOWN_POSTS = 20_000
BACKFILL_PAGES = 5


class BlueskySource:
    """Reads Jetstream from the saved cursor, keeps posts with the wall's hashtags."""

    def __init__(self, name: str, options: BlueskyOptions) -> None:
        self.name = name
        self.options = options
        self.http = http.session()
        self.profiles = ProfileCache()
        self.mine: OrderedDict[str, None] = OrderedDict()  # ids yielded, for deletions
        self.cursor: int | None = None
        self.backfilled = False
        self.known: Callable[[str, str], bool] = lambda _source, _id: False
        self.listening = Listening()
        self.wanted_tags: set[str] = set()
        self.first_words: tuple[str, ...] = ()
        self.brand_dids: dict[str, str] = {}  # the brand's accounts: DID -> handle

    def url(self) -> str:
        """Return the Jetstream URL, resuming from the cursor when there is one."""
        params: dict[str, Any] = {"wantedCollections": COLLECTION}
        if self.cursor is not None:
            params["cursor"] = self.cursor
        sep = "&" if "?" in self.options.jetstream_url else "?"
        return self.options.jetstream_url + sep + urlencode(params)

    def posts(self, runtime: Runtime) -> Iterator[Item]:
        """Backfill once with searchPosts if logged in, then read Jetstream until it drops."""
        return http.closing(self.http, self._run(runtime))

    def _run(self, runtime: Runtime) -> Iterator[Item]:
        self.follow(runtime.follows(self.options.listening, self.options.hashtags))
        if self.listening.empty:
            raise SourceError("nothing to follow: set [wall] hashtags, keywords or mentions "
                              "(or this source's own)")
        self.known = runtime.known
        saved = runtime.cursor(self.name)
        if self.cursor is None and saved and saved.isdigit():
            self.cursor = int(saved)
        self._resolve_brand()
        if not self.backfilled and self.options.handle_env:
            yield from listened(self.name, self.backfill(self.queries(), runtime),
                                self.listening)
            self.backfilled = True
        ws = http.open_websocket(self.url())
        try:
            ws.settimeout(RECV_TIMEOUT)
            yield Health("ok", "streaming")
            yield from self._read(ws, runtime)
        finally:
            http.close_websocket(ws)

    def queries(self) -> list[str]:
        """Return the searchPosts queries: each hashtag, each keyword as a phrase."""
        return [f"#{t.lower()}" for t in self.listening.hashtags] + \
            ['"' + k.replace('"', " ").strip() + '"' for k in self.listening.keywords]

    def _resolve_brand(self) -> None:
        """Learn the DIDs of the brand's Bluesky accounts: mention facets name DIDs."""
        url = f"{self.options.appview_url}/xrpc/com.atproto.identity.resolveHandle"
        for handle in self.listening.handles_on("bluesky"):
            handle = handle if "." in handle else handle + ".bsky.social"
            if handle in self.brand_dids.values():
                continue
            try:
                body = http.json_body(http.get(self.http, url, params={"handle": handle}))
            except SourceError as exc:
                log.info("source %s: %s not resolved (mentions matched by handle): %s",
                         self.name, handle, exc)
                continue
            if isinstance(body, dict) and str(body.get("did", "")).startswith("did:"):
                self.brand_dids[str(body["did"])] = handle

    def _read(self, ws: websocket.WebSocket, runtime: Runtime) -> Iterator[Item]:
        last_save = last_message = time.monotonic()
        saved_cursor = self.cursor
        while not runtime.stopping():
            try:
                message = ws.recv()
            except websocket.WebSocketTimeoutException:
                if time.monotonic() - last_message > SILENCE_LIMIT:
                    raise SourceError("Jetstream went silent; reconnecting") from None
                continue
            except (OSError, websocket.WebSocketException) as exc:
                raise SourceError(f"Jetstream dropped ({type(exc).__name__})") from None
            if not message:
                raise SourceError("Jetstream closed the connection")
            last_message = time.monotonic()
            item = self.handle(message)
            if item is not None:
                yield item
                saved_cursor, last_save = self.cursor, last_message
            elif self.cursor != saved_cursor and last_message - last_save > IDLE_CURSOR_EVERY:
                yield Checkpoint(str(self.cursor))
                saved_cursor, last_save = self.cursor, last_message

    def handle(self, message: str | bytes) -> Item | None:
        """Turn one Jetstream message into an item, or None when it is not for this wall."""
        try:
            event = json.loads(message)
            time_us = int(event["time_us"])
        except (ValueError, TypeError, KeyError):
            log.warning("source %s: malformed Jetstream message skipped", self.name)
            return None
        self.cursor = max(self.cursor or 0, time_us)
        commit = event.get("commit")
        if event.get("kind") != "commit" or not isinstance(commit, dict) \
                or commit.get("collection") != COLLECTION:
            return None
        uri = f"at://{event.get('did')}/{COLLECTION}/{commit.get('rkey')}"
        if commit.get("operation") == "delete":
            # Posts seen since the start are in memory; older ones are asked of the store.
            mine = uri in self.mine or self.known(self.name, uri)
            return Deletion(uri) if mine else None
        record = commit.get("record")
        if commit.get("operation") != "create" or not isinstance(record, dict) \
                or not self._may_match(record):
            return None
        try:
            post = self._branded(to_post(event, source=self.name))
        except SourceError as exc:
            # The firehose carries everyone's posts: only a broken one of ours is news.
            ours = {t.lower() for t in self.listening.hashtags} & record_tags(record)
            (log.warning if ours else log.debug)("source %s: post skipped: %s", self.name, exc)
            return Checkpoint(str(self.cursor))
        kept, _why = listen(post, self.listening)
        if kept is None:
            return None  # the firehose: most posts are not about the wall
        empty = drop_reason(kept)
        if empty:  # e.g. a video-only post: never an empty card
            log.info("source %s: post %s dropped: %s", self.name, kept.external_id, empty)
            return Checkpoint(str(self.cursor))
        post = self._with_profile(kept)
        self._remember(post.external_id)
        return Checkpoint(str(self.cursor), post)

    def _may_match(self, record: dict[str, Any]) -> bool:
        """Tell cheaply whether a record may be the wall's (a superset of the matcher's
        answer): the firehose brings every post, and most are not about the wall."""
        if self.listening.mentions and (record.get("facets") or "@" in str(record.get("text"))):
            return True
        if self.wanted_tags and self.wanted_tags & {fold(t) for t in record_tags(record)}:
            return True
        folded = fold(str(record.get("text") or ""))
        return any(word in folded for word in self.first_words)

    def follow(self, listening: Listening) -> None:
        """Set what the source follows, and what its cheap pre-filter looks for."""
        self.listening = listening
        self.wanted_tags = {fold(t) for t in listening.hashtags}
        self.first_words = tuple(w[0] for w in map(words, listening.keywords) if w)

    def _branded(self, post: Post) -> Post:
        """Name the brand's accounts that a post mentions by DID, for the mention rules."""
        handles = [self.brand_dids[d] for d in post.mentioned if d in self.brand_dids]
        return replace(post, mentioned=(*post.mentioned, *handles)) if handles else post

    def _with_profile(self, post: Post) -> Post:
        """Add the author's name and avatar, looked up only for the posts kept."""
        profile = self.profile(post.author_id)
        if profile is None:
            return post
        handle = profile.handle if profile.handle.startswith("did:") else "@" + profile.handle
        return replace(post, author=profile.name or profile.handle, handle=handle,
                       avatar_url=profile.avatar)

    def _remember(self, uri: str) -> None:
        self.mine[uri] = None
        while len(self.mine) > KNOWN_POSTS:
            self.mine.popitem(last=False)

    def profile(self, did: str) -> Profile | None:
        """Return the author's name and avatar, cached; None when the lookup fails."""
        found = self.profiles.get(did)
        if found is not None:
            return found
        url = f"{self.options.appview_url}/xrpc/app.bsky.actor.getProfile"
        try:
            body = http.json_body(http.get(self.http, url, params={"actor": did}))
        except SourceError as exc:
            log.info("source %s: profile of %s not resolved: %s", self.name, did, exc)
            return None
        if not isinstance(body, dict):
            return None
        avatar = body.get("avatar")
        profile = Profile(str(body.get("handle") or did)[:200],
                          str(body.get("displayName") or "")[:300],
                          avatar[:2000] if isinstance(avatar, str) else None)
        self.profiles.put(did, profile)
        return profile

    def _login(self) -> str:
        handle = os.environ.get(self.options.handle_env, "")
        password = os.environ.get(self.options.app_password_env, "")
        if not handle or not password:
            raise SourceError(f"set {self.options.handle_env} and "
                              f"{self.options.app_password_env} (an app password) to backfill")
        url = f"{self.options.pds_url}/xrpc/com.atproto.server.createSession"
        try:
            reply = self.http.post(url, json={"identifier": handle, "password": password},
                                   timeout=http.TIMEOUT)
        except Exception as exc:  # requests' many errors: the login failed, say so
            raise SourceError(f"Bluesky login failed: {type(exc).__name__}") from None
        if reply.status_code != 200:
            raise SourceError(f"Bluesky login failed (HTTP {reply.status_code}); "
                              "check the handle and the app password")
        body = http.json_body(reply)
        if not isinstance(body, dict) or not isinstance(body.get("accessJwt"), str):
            raise SourceError("Bluesky login reply has no accessJwt")
        return str(body["accessJwt"])

    def backfill(self, queries: list[str], runtime: Runtime) -> Iterator[Item]:
        """Fetch recent posts for the hashtags and keywords with searchPosts, oldest first."""
        jwt = self._login()
        headers = {"Authorization": f"Bearer {jwt}"}
        url = f"{self.options.pds_url}/xrpc/app.bsky.feed.searchPosts"
        found: list[Post] = []
        for query in queries:
            page_cursor: str | None = None
            for _ in range(BACKFILL_PAGES):
                params = {"q": query, "sort": "latest", "limit": 100}
                if page_cursor:
                    params["cursor"] = page_cursor
                body = http.json_body(http.get(self.http, url, params=params, headers=headers))
                views = body.get("posts") if isinstance(body, dict) else None
                if not isinstance(views, list):
                    raise SourceError("searchPosts reply has no posts list")
                for view in views:
                    try:
                        found.append(self._branded(view_to_post(view, source=self.name)))
                    except SourceError as exc:
                        log.warning("source %s: search result skipped: %s", self.name, exc)
                page_cursor = body.get("cursor")
                if not page_cursor or runtime.stopping():
                    break
        unique = {p.external_id: p for p in found}  # a post several queries found
        for post in sorted(unique.values(), key=lambda p: p.created_at):
            self._remember(post.external_id)
            yield post
