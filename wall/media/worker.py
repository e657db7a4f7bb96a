"""Background workers: fetch, check and re-encode a post's images, then record and broadcast."""

from __future__ import annotations

import heapq
import json
import logging
import queue
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from flask import Flask

from wall.media import records
from wall.media.cache import MediaCache
from wall.media.fetch import FetchError, Limits, fetch
from wall.media.health import FAILING_AFTER, CacheProbe, Problem
from wall.media.images import ImageError, Policy, Rendition, avatar_renditions, post_renditions
from wall.media.settings import MediaSection
from wall.media.tasks import Offload, offloader, start_thread
from wall.models import Post
from wall.payloads import local_media_path
from wall.store import Change, Store

log = logging.getLogger(__name__)

MEMO_SIZE = 512
MEMO_SECONDS = 600.0
# A failed image (network down, cache not writable) is tried again this long after, twice
# as long each time, up to RETRY_MAX, RETRY_ATTEMPTS times; no restart needed.
RETRY_START = 30.0
RETRY_MAX = 1800.0
RETRY_ATTEMPTS = 6
_TRANSIENT = ("took longer", "cannot resolve", "cannot fetch", "HTTP ")


@dataclass(frozen=True)
class Job:
    """The images of one committed post still to fetch."""

    post_id: int
    author: str
    avatar_url: str | None
    media: tuple[tuple[str, str], ...]  # (url, alt)
    attempt: int = 0


@dataclass
class MediaWorker:
    """A queue of jobs and a few background tasks working through it."""

    store: Store
    settings: MediaSection
    cache: MediaCache
    emit: Callable[[Change], None]
    start_task: Callable[[Callable[[], None]], Any]
    offload: Offload = field(default=lambda fn, *args: fn(*args))
    screen: Callable[[list[bytes]], str | None] = field(default=lambda images: None)
    jobs: queue.Queue[Job] = field(default_factory=queue.Queue)
    memo: OrderedDict[tuple[str, str], tuple[float, list[Rendition] | str]] = field(
        default_factory=OrderedDict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    started: bool = False
    done: int = 0
    retries: list[tuple[float, int, Job]] = field(default_factory=list)  # heap by due time
    failures: int = 0  # jobs failed in a row
    failing_posts: set[int] = field(default_factory=set)  # posts among them (a few suffice)
    last_error: str = ""
    last_error_at: float = 0.0
    probe: CacheProbe | None = None  # set from the cache in __post_init__

    def __post_init__(self) -> None:
        """Probe the cache folder this worker writes to."""
        if self.probe is None:
            self.probe = CacheProbe(self.cache.root)

    @property
    def policy(self) -> Policy:
        """Return the decoding limits from the settings."""
        return Policy(max_pixels=self.settings.max_pixels,
                      keep_animation=self.settings.animated == "keep",
                      max_frames=self.settings.max_frames)

    @property
    def limits(self) -> Limits:
        """Return the fetching limits from the settings."""
        return Limits(max_bytes=self.settings.max_bytes, timeout=self.settings.timeout_seconds,
                      max_redirects=self.settings.max_redirects,
                      allow_private=self.settings.allow_private_addresses,
                      allow_networks=self.settings.allow_networks)

    def enqueue(self, change: Change, post: Post) -> None:
        """Queue the images of a newly committed post; the request never waits for them."""
        remote = tuple((m.url, m.alt) for m in post.media if not local_media_path(m.url))
        avatar = None if local_media_path(post.avatar_url) else post.avatar_url
        if not remote and avatar is None:
            return  # nothing to fetch: no avatar (initials are drawn on request) or local ones
        self._start()
        self.jobs.put(Job(int(change.post["id"]), post.author, avatar, remote))

    def _start(self) -> None:
        with self.lock:
            if self.started:
                return
            self.started = True
        for _ in range(self.settings.workers):
            self.start_task(self._loop)

    def resume(self) -> int:
        """Queue the posts whose images were never recorded, e.g. after a restart."""
        rows = records.unfinished(self.store)
        for row in reversed(rows):
            media = json.loads(row["media_json"] or "[]")
            remote = tuple((str(m["url"]), str(m.get("alt") or "")) for m in media
                           if not m.get("local") and not m.get("error"))
            avatar = None if row["avatar_local"] else row["avatar_url"]
            self._start()
            self.jobs.put(Job(int(row["id"]), str(row["author"]), avatar, remote))
        if rows:
            log.info("media: resumed %d posts whose images were not recorded", len(rows))
        return len(rows)

    def _loop(self) -> None:
        """Work through jobs forever; one bad job is logged and the next one runs."""
        while True:
            self._requeue_due()
            try:
                job = self.jobs.get(timeout=1.0)
            except queue.Empty:
                continue
            try:
                self.process(job)
            except Exception as exc:  # a failed job must not stop the worker
                log.exception("media of post %s could not be recorded", job.post_id)
                self._failed(job, f"could not be recorded: {exc}")
            finally:
                self.done += 1
                self.jobs.task_done()

    def _failed(self, job: Job, error: str) -> None:
        """Count a failed job and schedule it again with backoff, within its attempts."""
        with self.lock:
            self.failures += 1
            if len(self.failing_posts) < FAILING_AFTER:
                self.failing_posts.add(job.post_id)
            self.last_error, self.last_error_at = error[:300], time.time()
            if job.attempt + 1 >= RETRY_ATTEMPTS:
                log.warning("media of post %s: giving up after %d attempts", job.post_id,
                            job.attempt + 1)
                return
            delay = min(RETRY_MAX, RETRY_START * 2 ** job.attempt)
            heapq.heappush(self.retries, (time.monotonic() + delay, job.post_id,
                                          replace(job, attempt=job.attempt + 1)))
        log.warning("media of post %s failed (%s); trying again in %.0fs", job.post_id,
                    error, delay)

    def _requeue_due(self) -> None:
        """Put the retries whose time has come back on the queue."""
        now = time.monotonic()
        with self.lock:
            while self.retries and self.retries[0][0] <= now:
                self.jobs.put(heapq.heappop(self.retries)[2])

    def problem(self) -> Problem | None:
        """Return why images cannot be saved (the cache probe) or keep failing, or None."""
        assert self.probe is not None
        found = self.probe.check()
        if found is not None:
            return found
        with self.lock:
            # Several posts, not one dead link retried: the network or the hosts are down.
            if len(self.failing_posts) >= FAILING_AFTER:
                return Problem("fetch_failing", self.last_error)
        return None

    def health(self) -> dict[str, Any]:
        """Return what moderators see of the media pipeline: state, problem, queue, retries."""
        found = self.problem()
        with self.lock:
            recent = self.failures > 0
            return {"state": "degraded" if found else "ok",
                    "problem": found.code if found else "",
                    "detail": found.detail if found else "",
                    "queued": self.jobs.qsize(),
                    "retrying": len(self.retries), "failures_in_a_row": self.failures,
                    "last_error": self.last_error if recent else "",
                    "cache": str(self.cache.root)}

    def process(self, job: Job) -> Change:
        """Fetch and re-encode every image of a post, record the outcome, broadcast it.

        Failures are recorded on the post (moderators read them among its reasons) and
        the job is tried again later with backoff."""
        errors: list[str] = []
        final = 0  # errors that a retry cannot cure
        avatar = None
        fresh = job.attempt > 0  # a retry fetches again instead of reusing a failure
        if job.avatar_url:
            found = self._renditions(job.avatar_url, "avatar", fresh=fresh)
            try:
                if isinstance(found, str):
                    errors.append(f"avatar: {found}")
                    final += isinstance(found, _Final)
                else:
                    avatar = self._store(found)["avatar256.webp"]
            except OSError as exc:
                errors.append(f"avatar: media cache not writable ({exc.strerror or exc})")
        entries: list[dict[str, Any]] = []
        full_images: list[bytes] = []
        for index, (url, alt) in enumerate(job.media, start=1):
            found = self._renditions(url, "post", fresh=fresh)
            try:
                if isinstance(found, str):
                    raise _Failed(found)
                entries.append(self._entry(url, alt, found))
            except (_Failed, OSError) as exc:
                reason = (f"media cache not writable ({exc.strerror or exc})"
                          if isinstance(exc, OSError) else str(exc))
                errors.append(f"image {index} failed: {reason}")
                final += isinstance(found, _Final) and not isinstance(exc, OSError)
                entries.append({"url": url, "alt": alt, "local": None, "error": reason})
                continue
            full_images.extend(r.data for r in found if r.name == "full" and r.suffix == ".jpg")
        flag = self.screen(full_images) if full_images else None
        change = records.record_media(self.store, job.post_id, avatar_local=avatar, media=entries,
                                      errors=errors, flag=flag)
        for error in errors:
            log.warning("post %s: %s", job.post_id, error)
        self.emit(change)
        if self.probe is not None and (entries or avatar or errors):
            self.probe.forget()  # a real write succeeded or failed: probe afresh
        if len(errors) > final:
            self._failed(job, errors[0])
        else:
            with self.lock:
                self.failures = 0
                self.failing_posts.clear()
        return change

    def _entry(self, url: str, alt: str, renditions: list[Rendition]) -> dict[str, Any]:
        urls = self._store(renditions)
        card = next(r for r in renditions if r.name == "card")
        entry: dict[str, Any] = {
            "url": url, "alt": alt, "local": urls.get("animated.webp") or urls["card.webp"],
            "fallback": urls["card.jpg"], "full": urls["full.webp"],
            "full_fallback": urls["full.jpg"], "width": card.width, "height": card.height}
        return entry

    def _store(self, renditions: list[Rendition]) -> dict[str, str]:
        return {r.name + r.suffix: self.cache.put(r.data, r.suffix) for r in renditions}

    def _renditions(self, url: str, kind: str, *,
                    fresh: bool = False) -> list[Rendition] | str:
        """Return the renditions of an image, or the reason it failed (remembered a while)."""
        key = (kind, url)
        with self.lock:
            hit = self.memo.get(key)
            if hit is not None and time.monotonic() - hit[0] < MEMO_SECONDS \
                    and not (fresh and isinstance(hit[1], str)):
                self.memo.move_to_end(key)
                return hit[1]
        try:
            fetched = fetch(url, self.limits)
            make = avatar_renditions if kind == "avatar" else post_renditions
            result: list[Rendition] | str = self.offload(make, fetched.data, self.policy)
        except FetchError as exc:
            # The network or the server may recover; a refused address or a body that
            # is not an image will not.
            result = str(exc) if str(exc).startswith(_TRANSIENT) else _Final(exc)
        except ImageError as exc:  # the bytes are bad: fetching again gives the same
            result = _Final(exc)
        with self.lock:
            self.memo[key] = (time.monotonic(), result)
            while len(self.memo) > MEMO_SIZE:
                self.memo.popitem(last=False)
        return result

    def wait_idle(self, timeout: float) -> bool:
        """Wait until the queue is empty and no job runs (for tests and shutdown)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.jobs.unfinished_tasks == 0:
                return True
            time.sleep(0.05)
        return False


class _Failed(Exception):
    """An image that could not be fetched or decoded, with the reason."""


class _Final(str):
    """The reason an image failed for good (not an image, too large): never retried."""

    __slots__ = ()


def media_health(app: Flask) -> dict[str, Any]:
    """Return the media pipeline's health for moderators ({"state": "off"} when disabled)."""
    worker = app.extensions.get("socialwall.media")
    if not isinstance(worker, MediaWorker) or not worker.settings.enabled:
        return {"state": "off"}
    return worker.health()


def init_app(app: Flask) -> None:
    """Create the worker and hook it after the pipeline's commit."""
    from pathlib import Path

    from wall.media import nsfw
    from wall.media.rules import strip_media
    from wall.realtime.broadcast import emit_events
    from wall.runtime import get_wall

    wall = get_wall(app)
    settings = wall.config.media
    cache = MediaCache(Path(app.instance_path) / "media" / "cache",
                       settings.cache_max_mb * 1024 * 1024)

    def emit(change: Change) -> None:
        emit_events(change.events)
        wall.stats_dirty.set()

    worker = MediaWorker(wall.store, settings, cache, emit, start_thread,
                         offloader(wall.config.server.async_mode))
    if settings.nsfw_enabled:
        worker.screen = nsfw.screener(settings.nsfw_threshold, worker.offload)
    app.extensions["socialwall.media"] = worker
    rules = wall.config.moderation.media
    wall.pipeline.prepare = lambda post: strip_media(post, rules)
    if settings.enabled:
        wall.pipeline.after_commit = worker.enqueue
        worker.resume()
