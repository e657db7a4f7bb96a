"""The benchmark's HTTP side: posts through the webhook, and a moderator's approvals."""

from __future__ import annotations

import itertools
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Any

import requests

from bench.figures import mark
from bench.servers import PASSWORD, TOKEN, TRUSTED

_ids = itertools.count(1)
_run = f"{int(time.time())}"


def now_ms() -> float:
    """Return the wall clock in milliseconds, as Node's performance.timeOrigin + now()."""
    return time.time() * 1000


def post(phase: str, n: int, handle: str = TRUSTED) -> dict[str, Any]:
    """Build one webhook post carrying the bench mark with its send time."""
    return {"id": f"bench-{_run}-{next(_ids)}", "author": "Bench Driver", "handle": handle,
            "text": f"{mark(phase, n, now_ms())} a benchmark post about the lobby #Bench"}


def session() -> requests.Session:
    """Return a keep-alive session that sends the webhook token."""
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {TOKEN}"
    return http


def send(http: requests.Session, url: str, posts: list[dict[str, Any]]) -> list[int]:
    """Push posts through the webhook; return their ids (empty on refusal)."""
    body: Any = posts[0] if len(posts) == 1 else {"posts": posts}
    try:
        reply = http.post(f"{url}/api/ingest", json=body, timeout=30)
    except requests.RequestException:  # an overwhelmed server: counted as not accepted
        return []
    if reply.status_code != 202:
        return []
    ids: list[int] = reply.json()["ids"]
    return ids


def steady(url: str, phase: str, rate: float, seconds: float, workers: int = 4) -> int:
    """Send single posts at a steady rate; return how many were accepted."""
    total = int(rate * seconds)
    sessions = [session() for _ in range(workers)]
    accepted = 0
    lock = threading.Lock()

    def one(n: int) -> None:
        nonlocal accepted
        ids = send(sessions[n % workers], url, [post(phase, n)])
        with lock:
            accepted += len(ids)

    start = time.monotonic()
    pool = ThreadPoolExecutor(workers)
    futures = []
    for n in range(total):
        delay = start + n / rate - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        futures.append(pool.submit(one, n))
    # Bounded: a server that stopped answering costs one HTTP timeout, not one per post.
    wait(futures, timeout=seconds + 30)
    pool.shutdown(wait=True, cancel_futures=True)
    return accepted


@dataclass
class Burst:
    """What a saturating burst sent: posts accepted, and when it started (ms)."""

    accepted: int
    started_ms: float
    seconds: float


def saturate(url: str, phase: str, seconds: float, batch: int = 10, workers: int = 2,
             limit: int = 2000) -> Burst:
    """Send batches as fast as the server takes them for `seconds` (at most `limit` posts)."""
    counter = itertools.count()
    accepted = 0
    lock = threading.Lock()
    started = now_ms()
    deadline = time.monotonic() + seconds

    def worker() -> None:
        nonlocal accepted
        http = session()
        while time.monotonic() < deadline:
            numbers = [next(counter) for _ in range(batch)]
            if numbers[-1] >= limit:
                return
            ids = send(http, url, [post(phase, n) for n in numbers])
            with lock:
                accepted += len(ids)

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Burst(accepted, started, (now_ms() - started) / 1000)


def moderator(url: str) -> requests.Session:
    """Log in as a moderator over HTTP; return a session sending the CSRF header."""
    http = requests.Session()
    reply = http.post(f"{url}/moderate/login", data={"password": PASSWORD, "name": "Bench"},
                      timeout=30)
    reply.raise_for_status()
    match = re.search(r'data-csrf="([^"]+)"', reply.text)
    if not match:
        raise RuntimeError("the moderator page has no data-csrf: login failed?")
    http.headers["X-CSRF-Token"] = match.group(1)
    return http


def approvals(url: str, count: int, gap_s: float = 0.25) -> dict[int, float]:
    """Queue `count` posts for moderation, then approve them one by one; return n -> time ms."""
    queued = session()
    ids = send(queued, url, [post("a", n, handle="@guest") for n in range(count)])
    if len(ids) != count:
        raise RuntimeError(f"queued {len(ids)} of {count} posts for approval")
    http = moderator(url)
    approved: dict[int, float] = {}
    for n, post_id in enumerate(ids):
        at = now_ms()
        try:
            reply = http.post(f"{url}/api/posts/{post_id}/approve", timeout=10)
        except requests.RequestException:
            break  # an overwhelmed server: stop here rather than wait 10 s per approval
        if reply.status_code == 200:
            approved[n] = at
        time.sleep(gap_s)
    return approved
